#include "server/metrics.hpp"

#include <charconv>
#include <cstdio>
#include <iterator>
#include <map>

#include "core/exceptions/exception_standing.hpp"

namespace windowguard::server {
namespace {

// The pages are named by their paths without the secret that --ui-token-file puts before them.
constexpr std::array<std::string_view, 8> kEndpointNames{"/validate", "/healthz", "/readyz",       "/metrics",
                                                         "/windows",  "/ui",      "/calendar.ics", "other"};

std::size_t status_slot(unsigned status) {
  for (std::size_t i = 0; i + 1 < Metrics::kStatusCodes.size(); ++i) {
    if (Metrics::kStatusCodes[i] == status) {
      return i;
    }
  }
  return Metrics::kStatusCodes.size() - 1;  // any other code
}

std::int64_t seconds_since_epoch(core::Instant at) { return at.time_since_epoch().count(); }

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, std::string_view name, std::string_view labels, double value) {
  // The shortest text that reads back as the same double; much cheaper
  // than printf's, which a scrape of 10,000 windows' forecasts would feel.
  char number[64];
  const std::to_chars_result written = std::to_chars(std::begin(number), std::end(number), value);
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out.append(number, written.ptr);
  out += '\n';
}

std::string label(std::string_view name, std::string_view value) {
  std::string text(name);
  text += "=\"";
  for (char c : value) {  // label values escape backslash, quote and newline
    if (c == '\\' || c == '"') {
      text += '\\';
      text += c;
    } else if (c == '\n') {
      text += "\\n";
    } else {
      text += c;
    }
  }
  return text + "\"";
}

std::uint64_t read(const std::atomic<std::uint64_t>& counter) { return counter.load(std::memory_order_relaxed); }

}  // namespace

std::string_view outcome_name(AdmissionOutcome outcome) {
  switch (outcome) {
    case AdmissionOutcome::Allowed:
      return "allowed";
    case AdmissionOutcome::AllowedExempt:
      return "allowed-exempt";
    case AdmissionOutcome::AllowedByException:
      return "allowed-exception";
    case AdmissionOutcome::Denied:
      return "denied";
  }
  return "allowed";
}

void Metrics::count_admission(std::optional<core::Action> action, std::optional<admission::RequestWrite> write,
                              AdmissionOutcome outcome, bool dry_run, std::chrono::nanoseconds latency) {
  const std::size_t action_slot = action  ? static_cast<std::size_t>(*action)
                                  : write ? core::kAllActions.size() + static_cast<std::size_t>(*write)
                                          : kActionSlots - 1;
  admissions_[(action_slot * kOutcomes + static_cast<std::size_t>(outcome)) * 2 + (dry_run ? 1 : 0)].fetch_add(
      1, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(latency).count();
  std::size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) {
    ++bucket;
  }
  latency_buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_count_.fetch_add(1, std::memory_order_relaxed);
  latency_sum_nanoseconds_.fetch_add(static_cast<std::uint64_t>(latency.count()), std::memory_order_relaxed);
}

void Metrics::count_response(Endpoint endpoint, unsigned status) {
  responses_[static_cast<std::size_t>(endpoint) * kStatusCodes.size() + status_slot(status)].fetch_add(
      1, std::memory_order_relaxed);
}

void Metrics::count_policy_reload(bool success, core::Instant at) {
  policy_reloads_[success ? 0 : 1].fetch_add(1, std::memory_order_relaxed);
  if (success) {
    last_good_policy_reload_.store(seconds_since_epoch(at), std::memory_order_relaxed);
  }
}

void Metrics::count_certificate_reload(bool success) {
  certificate_reloads_[success ? 0 : 1].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::count_evicted_pod_read(bool read) {
  evicted_pod_reads_[read ? 0 : 1].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::set_certificate_expiry(core::Instant expiry) {
  certificate_expiry_.store(seconds_since_epoch(expiry), std::memory_order_relaxed);
}

namespace {

void render_exceptions(std::string& out, const core::Policy& policy, core::Instant now,
                       const core::ExceptionBook* exceptions) {
  constexpr std::array kStates{core::ExceptionState::Pending, core::ExceptionState::Scheduled,
                               core::ExceptionState::InForce, core::ExceptionState::Expired,
                               core::ExceptionState::Unusable};
  std::array<std::size_t, kStates.size()> cluster_counts{};
  if (exceptions != nullptr) {
    for (const core::WindowException& exception : exceptions->all()) {
      ++cluster_counts[static_cast<std::size_t>(core::standing_of(policy, exception, now).state)];
    }
  }
  std::array<std::size_t, kStates.size()> policy_counts{};
  for (const core::StaticException& entry : policy.static_exceptions()) {
    ++policy_counts[static_cast<std::size_t>(core::state_of(entry, now))];
  }
  header(out, "windowguard_exceptions", "gauge",
         "Exceptions by source (cluster: WindowExceptions; policy: its exceptions list) and state now.");
  for (const core::ExceptionState state : kStates) {
    const auto index = static_cast<std::size_t>(state);
    const std::string state_label = label("state", core::exception_state_name(state));
    if (exceptions != nullptr) {
      sample(out, "windowguard_exceptions", label("source", "cluster") + "," + state_label,
             static_cast<double>(cluster_counts[index]));
    }
    sample(out, "windowguard_exceptions", label("source", "policy") + "," + state_label,
           static_cast<double>(policy_counts[index]));
  }
}

void render_cluster_view(std::string& out, const cluster::ClusterViewStatus& status, core::Instant now) {
  const std::pair<const char*, const cluster::ReflectorStatus*> watches[] = {
      {"windowexceptions", &status.exceptions},
      {"imageapprovals", &status.image_approvals},
      {"namespaces", &status.namespaces}};
  const auto each = [&](const char* name, const char* type, const char* help, auto value_of) {
    header(out, name, type, help);
    for (const auto& [resource, watch] : watches) {
      sample(out, name, label("resource", resource), value_of(*watch));
    }
  };
  each("windowguard_cluster_listed", "gauge", "1 once the resource has been listed from the API server.",
       [](const cluster::ReflectorStatus& watch) { return watch.listed ? 1.0 : 0.0; });
  each("windowguard_cluster_view_age_seconds", "gauge",
       "How old the view of the resource may be: 0 while its watch is open, else the time since it was current.",
       [now](const cluster::ReflectorStatus& watch) {
         return watch.watching || !watch.listed
                    ? 0.0
                    : std::max(0.0, std::chrono::duration<double>(now - watch.current_at).count());
       });
  each("windowguard_cluster_failures_total", "counter", "Lists and watches of the resource that failed.",
       [](const cluster::ReflectorStatus& watch) { return static_cast<double>(watch.failures); });
  each("windowguard_cluster_relists_total", "counter",
       "Lists after the first (a watch too old to resume: 410 Gone, an ERROR event).",
       [](const cluster::ReflectorStatus& watch) { return static_cast<double>(watch.relists); });
  each("windowguard_cluster_resource_missing", "gauge",
       "1 while the API server does not serve the resource (for windowguard's own kinds: the CRD is not installed).",
       [](const cluster::ReflectorStatus& watch) { return watch.resource_missing ? 1.0 : 0.0; });
  header(out, "windowguard_cluster_objects_unreadable", "gauge",
         "WindowExceptions and ImageApprovals in the view that cannot be read (ignored).");
  sample(out, "windowguard_cluster_objects_unreadable", label("resource", "windowexceptions"),
         static_cast<double>(status.undecodable_exceptions));
  sample(out, "windowguard_cluster_objects_unreadable", label("resource", "imageapprovals"),
         static_cast<double>(status.undecodable_image_approvals));
}

}  // namespace

std::string Metrics::render(const core::Policy* policy, core::Instant now, const core::ExceptionBook* exceptions,
                            const cluster::ClusterViewStatus* cluster) const {
  std::string out;
  out.reserve(8192);
  render_admissions(out);
  render_policy(out, policy, now);
  render_counters(out);
  if (policy != nullptr) {
    render_exceptions(out, *policy, now, exceptions);
  }
  if (cluster != nullptr) {
    render_cluster_view(out, *cluster, now);
  }
  return out;
}

// AdmissionReviews by action, decision and dry run, how long they took, and
// the HTTP responses.
void Metrics::render_admissions(std::string& out) const {
  header(out, "windowguard_admission_requests_total", "counter",
         "AdmissionReviews decided, by action (governed, or a write to a request: request, approve, withdraw, "
         "cancel, update), decision and dry run.");
  for (std::size_t action_slot = 0; action_slot < kActionSlots; ++action_slot) {
    const std::size_t actions = core::kAllActions.size();
    const std::string_view action =
        action_slot + 1 == kActionSlots ? "none"
        : action_slot < actions         ? core::action_name(core::kAllActions[action_slot])
                                : admission::request_write_name(admission::kAllRequestWrites[action_slot - actions]);
    for (std::size_t outcome = 0; outcome < kOutcomes; ++outcome) {
      for (std::size_t dry_run = 0; dry_run < 2; ++dry_run) {
        sample(out, "windowguard_admission_requests_total",
               label("action", action) + "," + label("decision", outcome_name(static_cast<AdmissionOutcome>(outcome))) +
                   "," + label("dry_run", dry_run != 0 ? "true" : "false"),
               static_cast<double>(read(admissions_[(action_slot * kOutcomes + outcome) * 2 + dry_run])));
      }
    }
  }
  header(out, "windowguard_admission_duration_seconds", "histogram",
         "Time from a complete request to its encoded response, for POST /validate.");
  std::uint64_t cumulative = 0;
  for (std::size_t bucket = 0; bucket <= kLatencyBuckets.size(); ++bucket) {
    cumulative += read(latency_buckets_[bucket]);
    char bound[32];
    if (bucket < kLatencyBuckets.size()) {
      std::snprintf(bound, sizeof bound, "%g", kLatencyBuckets[bucket]);
    } else {
      std::snprintf(bound, sizeof bound, "+Inf");
    }
    sample(out, "windowguard_admission_duration_seconds_bucket", label("le", bound), static_cast<double>(cumulative));
  }
  sample(out, "windowguard_admission_duration_seconds_sum", "",
         static_cast<double>(read(latency_sum_nanoseconds_)) / 1e9);
  sample(out, "windowguard_admission_duration_seconds_count", "", static_cast<double>(read(latency_count_)));
  header(out, "windowguard_http_responses_total", "counter", "HTTP responses, by path and status code.");
  for (std::size_t endpoint = 0; endpoint < kEndpoints; ++endpoint) {
    for (std::size_t code = 0; code < kStatusCodes.size(); ++code) {
      const std::uint64_t count = read(responses_[endpoint * kStatusCodes.size() + code]);
      if (count != 0) {
        sample(out, "windowguard_http_responses_total",
               label("path", kEndpointNames[endpoint]) + "," +
                   label("code", kStatusCodes[code] == 0 ? "other" : std::to_string(kStatusCodes[code])),
               static_cast<double>(count));
      }
    }
  }
}

// The policy in force: its loads, its windows and what each is doing now.
void Metrics::render_policy(std::string& out, const core::Policy* policy, core::Instant now) const {
  header(out, "windowguard_policy_reloads_total", "counter", "Policy loads, by result.");
  sample(out, "windowguard_policy_reloads_total", label("result", "success"),
         static_cast<double>(read(policy_reloads_[0])));
  sample(out, "windowguard_policy_reloads_total", label("result", "failure"),
         static_cast<double>(read(policy_reloads_[1])));
  header(out, "windowguard_policy_last_success_timestamp_seconds", "gauge",
         "When the policy in force was loaded (Unix time); 0 before any good policy.");
  sample(out, "windowguard_policy_last_success_timestamp_seconds", "",
         static_cast<double>(last_good_policy_reload_.load(std::memory_order_relaxed)));
  header(out, "windowguard_policy_loaded", "gauge", "1 when a valid policy is in force.");
  sample(out, "windowguard_policy_loaded", "", policy != nullptr ? 1 : 0);
  header(out, "windowguard_policy_windows", "gauge", "Windows in the policy in force.");
  sample(out, "windowguard_policy_windows", "", policy != nullptr ? static_cast<double>(policy->windows().size()) : 0);
  header(out, "windowguard_window_active", "gauge", "1 while a window has an active occurrence.");
  if (policy != nullptr) {
    for (const core::Window& window : policy->windows()) {
      const bool active = window.schedule.valid_at(now) && window.schedule.occurrence_at(now).has_value();
      sample(out, "windowguard_window_active",
             label("window", window.name) + "," + label("type", core::window_type_name(window.type)), active ? 1 : 0);
    }
  }
  if (policy != nullptr) {
    render_forecasts(out, *policy, now);
  }
}

// Certificate reloads, evictions' Pod reads, connections.
void Metrics::render_counters(std::string& out) const {
  header(out, "windowguard_certificate_reloads_total", "counter", "Serving certificate loads, by result.");
  sample(out, "windowguard_certificate_reloads_total", label("result", "success"),
         static_cast<double>(read(certificate_reloads_[0])));
  sample(out, "windowguard_certificate_reloads_total", label("result", "failure"),
         static_cast<double>(read(certificate_reloads_[1])));
  header(out, "windowguard_certificate_expiry_timestamp_seconds", "gauge",
         "notAfter of the serving certificate in use (Unix time).");
  sample(out, "windowguard_certificate_expiry_timestamp_seconds", "",
         static_cast<double>(certificate_expiry_.load(std::memory_order_relaxed)));
  header(out, "windowguard_evicted_pod_reads_total", "counter",
         "Evictions' Pods read from the API server, by result (unread: every binding of the namespace applied).");
  sample(out, "windowguard_evicted_pod_reads_total", label("result", "read"),
         static_cast<double>(read(evicted_pod_reads_[0])));
  sample(out, "windowguard_evicted_pod_reads_total", label("result", "unread"),
         static_cast<double>(read(evicted_pod_reads_[1])));
  header(out, "windowguard_connections_open", "gauge", "TLS connections open now.");
  sample(out, "windowguard_connections_open", "", static_cast<double>(open_connections()));
  header(out, "windowguard_connections_refused_total", "counter", "Connections closed at once: too many open.");
  sample(out, "windowguard_connections_refused_total", "", static_cast<double>(read(refused_connections_)));
}

// What is coming: when each window next turns active and inactive, and
// per environment of a binding the next blackout to start, for alerts
// before a freeze begins.  A change not in sight has no sample.
void Metrics::render_forecasts(std::string& out, const core::Policy& policy, core::Instant now) const {
  const std::lock_guard lock(forecasts_mutex_);
  std::vector<core::WindowForecast> forecasts;
  forecasts.reserve(policy.windows().size());
  for (std::size_t window = 0; window < policy.windows().size(); ++window) {
    forecasts.push_back(forecasts_.of(policy, window, now));
  }
  const auto each_window = [&](const char* name, const char* help, auto instant_of) {
    header(out, name, "gauge", help);
    for (std::size_t i = 0; i < forecasts.size(); ++i) {
      const core::Window& window = policy.windows()[i];
      if (const std::optional<core::Instant> at = instant_of(forecasts[i])) {
        sample(out, name, label("window", window.name) + "," + label("type", core::window_type_name(window.type)),
               static_cast<double>(seconds_since_epoch(*at)));
      }
    }
  };
  each_window("windowguard_window_next_active_timestamp_seconds",
              "When the window next turns active (Unix time); no sample when not within 3660 days.",
              [](const core::WindowForecast& forecast) { return forecast.next_active; });
  each_window("windowguard_window_next_inactive_timestamp_seconds",
              "When the window next turns inactive (Unix time); no sample when not within 3660 days.",
              [](const core::WindowForecast& forecast) { return forecast.next_inactive; });
  // By environment as the bindings write it ("prod-*"): its earliest next
  // blackout start, and the window it belongs to.
  std::map<std::string_view, std::pair<core::Instant, std::size_t>> earliest;
  for (const core::Binding& binding : policy.bindings()) {
    for (std::size_t window : binding.windows) {
      const std::optional<core::Instant> next = forecasts[window].next_active;
      if (policy.windows()[window].type != core::WindowType::Blackout || !next) {
        continue;
      }
      for (const std::string& environment : binding.environments) {
        const auto [known, added] = earliest.try_emplace(environment, *next, window);
        if (!added && *next < known->second.first) {
          known->second = {*next, window};
        }
      }
    }
  }
  header(out, "windowguard_environment_next_blackout_timestamp_seconds", "gauge",
         "When the next blackout starts for an environment of the bindings (Unix time), and which window.");
  for (const auto& [environment, next] : earliest) {
    sample(out, "windowguard_environment_next_blackout_timestamp_seconds",
           label("environment", environment) + "," + label("window", policy.windows()[next.second].name),
           static_cast<double>(seconds_since_epoch(next.first)));
  }
}

}  // namespace windowguard::server

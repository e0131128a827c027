#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <iterator>
#include <ostream>
#include <sstream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <boost/program_options.hpp>

#include "admission/admission_decision.hpp"
#include "admission/review_decoder.hpp"
#include "cli/commands.hpp"
#include "cli/manifest_review.hpp"
#include "cli/options.hpp"
#include "core/time_text.hpp"
#include "policy/value_forms.hpp"

namespace windowguard::cli {
namespace {

// The text of the file an option names ("-": standard input).
Result<std::string> read_input(const po::variables_map& values, const char* option, std::istream& standard_input) {
  const std::string path = values[option].as<std::string>();
  std::ostringstream text;
  if (path == "-") {
    text << standard_input.rdbuf();
    return text.str();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Problem("cannot read --" + std::string(option) + " " + path);
  }
  text << file.rdbuf();
  return text.str();
}

void write_json(const core::Policy& policy, const admission::AdmissionDecision& outcome,
                const admission::AdmissionRequest& request, std::ostream& out) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  const auto string = [&](std::string_view value) {
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  const admission::Classification& classification = outcome.classification;
  writer.StartObject();
  writer.Key("allowed");
  writer.Bool(outcome.allowed);
  writer.Key("action");
  if (outcome.action) {
    string(core::action_name(*outcome.action));
  } else {
    writer.Null();
  }
  writer.Key("operation");
  string(admission::operation_name(request.operation));
  writer.Key("kind");
  string(classification.kind);
  writer.Key("name");
  string(request.name);
  writer.Key("environment");
  string(classification.environment);
  writer.Key("application");
  string(classification.application);
  writer.Key("dryRun");
  writer.Bool(request.dry_run);
  writer.Key("reason");
  string(classification.reason);
  writer.Key("message");
  string(outcome.message);
  writer.Key("windows");
  writer.StartArray();
  if (outcome.decision) {
    for (const core::WindowStatus& status : outcome.decision->windows) {
      const core::Window& window = policy.windows()[status.window];
      writer.StartObject();
      writer.Key("name");
      string(window.name);
      writer.Key("type");
      string(core::window_type_name(window.type));
      writer.Key("active");
      writer.Bool(status.active);
      writer.Key("exempt");
      writer.Bool(status.exempt);
      if (status.occurrence) {
        writer.Key("start");
        string(core::format_in_zone(status.occurrence->from, window.schedule.zone()));
        writer.Key("end");
        string(core::format_in_zone(status.occurrence->to, window.schedule.zone()));
      }
      writer.EndObject();
    }
  }
  writer.EndArray();
  writer.Key("blockedUntil");
  if (outcome.decision && outcome.decision->blocked_until) {
    string(core::format_utc(*outcome.decision->blocked_until));
  } else {
    writer.Null();
  }
  writer.Key("warnings");
  writer.StartArray();
  for (const std::string& warning : outcome.warnings) {
    string(warning);
  }
  writer.EndArray();
  writer.EndObject();
  out << buffer.GetString() << '\n';
}

// The reviews of --manifest (and --old-manifest), as the API server would send them.
Result<ManifestReviews> manifest_reviews(const po::variables_map& values, const std::vector<std::string>& groups,
                                         const core::Settings& settings, std::istream& standard_input) {
  ManifestRequest request;
  auto manifest = read_input(values, "manifest", standard_input);
  if (!manifest) {
    return manifest.error();
  }
  request.manifest = std::move(manifest).value();
  if (values.count("old-manifest") != 0) {
    auto old_manifest = read_input(values, "old-manifest", standard_input);
    if (!old_manifest) {
      return old_manifest.error();
    }
    request.old_manifest = std::move(old_manifest).value();
  }
  if (values.count("operation") != 0) {
    request.operation = values["operation"].as<std::string>();
  }
  if (values.count("namespace") != 0) {
    request.namespace_name = values["namespace"].as<std::string>();
  }
  request.username = values.count("user") != 0 ? values["user"].as<std::string>() : "";
  request.groups = groups;
  return reviews_from_manifests(request, settings);
}

// While `check --wait` waits: SIGTERM and SIGINT are held back, so that one
// that arrives while deciding is not lost, and taken by sigtimedwait.
class TerminationSignals {
 public:
  TerminationSignals() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals_, &before_);
  }
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;
  ~TerminationSignals() { pthread_sigmask(SIG_SETMASK, &before_, nullptr); }

  // Sleeps for `duration` (no polling); true when a signal ended it.
  bool arrived_within(std::chrono::milliseconds duration) const {
    const auto whole = std::chrono::duration_cast<std::chrono::seconds>(duration);
    timespec timeout{static_cast<time_t>(whole.count()),
                     static_cast<long>(std::chrono::nanoseconds(duration - whole).count())};
    while (true) {
      const int taken = sigtimedwait(&signals_, nullptr, &timeout);
      if (taken >= 0) {
        return true;
      }
      if (errno != EINTR) {
        return false;  // EAGAIN: the time is up
      }
    }
  }

 private:
  sigset_t signals_{};
  sigset_t before_{};
};

// How long `check --wait` sleeps at most between two decisions: a block
// with no end in sight may still be lifted by an edit of the policy.
constexpr core::minutes kLongestWaitBetweenDecisions{1};

std::string join(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    joined += (joined.empty() ? "" : ", ") + name;
  }
  return joined;
}

}  // namespace

int run_check(const Arguments& arguments, std::istream& in, std::ostream& out, std::ostream& err) {
  po::options_description options(
      "usage: windowguard check --policies DIR (--review FILE | --manifest FILE [options]) [--objects FILE]\n\n"
      "Decides offline, exactly as the webhook would: one review, or each governed object of a manifest;\n"
      "with --objects, as the webhook with cluster access would (WindowExceptions, ImageApprovals,\n"
      "namespace labels); without it, no image counts as approved.\n"
      "With --wait, a denied check waits for the block to lift (pipelines that queue a deploy).\n"
      "Exit 0 allowed, 1 any denied, 2 error.\n\noptions");
  options.add_options()                                                                                    //
      ("help,h", "show this help")                                                                         //
      ("policies", po::value<std::string>(), "policy directory (required)")                                //
      ("at", po::value<std::string>(), "RFC 3339 instant to decide at (default: now)")                     //
      ("user", po::value<std::string>(), "requester's user name (default: the review's, or none)")         //
      ("group", po::value<std::vector<std::string>>()->composing(), "requester's group (repeatable)")      //
      ("review", po::value<std::string>(), "an AdmissionReview v1 JSON file, or - for standard input")     //
      ("manifest", po::value<std::string>(), "Kubernetes objects, YAML or JSON (- for standard input)")    //
      ("old-manifest", po::value<std::string>(), "with --manifest: the object before an UPDATE")           //
      ("operation", po::value<std::string>(), "with --manifest: CREATE, UPDATE or DELETE")                 //
      ("namespace", po::value<std::string>(), "with --manifest: the namespace of objects that name none")  //
      ("objects", po::value<std::string>(),
       "the cluster's WindowExceptions, ImageApprovals and Namespaces: kubectl get wex,iap,ns -A -o yaml")  //
      ("output", po::value<std::string>()->default_value("text"), "text or json")                           //
      ("wait", "when denied, wait until the block lifts, reload the policy and decide again")               //
      ("timeout", po::value<std::string>(), "with --wait: give up after this long (Go duration; default 1h)");
  const ParsedOptions parsed = parse_options("check", options, arguments, out, err);
  if (parsed.exit_code) {
    return *parsed.exit_code;
  }
  const po::variables_map& values = parsed.values;
  const auto usage_error = [&](const std::string& message) { return cli::usage_error(err, "check", message); };
  if (values.count("policies") == 0) {
    return usage_error("--policies DIR is required");
  }
  if ((values.count("review") != 0) == (values.count("manifest") != 0)) {
    return usage_error("give exactly one of --review FILE and --manifest FILE");
  }
  for (const char* manifest_only : {"old-manifest", "operation", "namespace"}) {
    if (values.count(manifest_only) != 0 && values.count("manifest") == 0) {
      return usage_error(std::string("--") + manifest_only + " goes with --manifest");
    }
  }
  const std::string output = values["output"].as<std::string>();
  if (output != "text" && output != "json") {
    return usage_error("--output must be text or json");
  }
  if (values.count("wait") != 0 && values.count("at") != 0) {
    return usage_error("--wait decides at the clock's time, so it takes no --at");
  }
  if (values.count("timeout") != 0 && values.count("wait") == 0) {
    return usage_error("--timeout goes with --wait");
  }
  Result<core::seconds> timeout = core::seconds{core::hours{1}};
  if (values.count("timeout") != 0) {
    timeout = policy::parse_go_duration(values["timeout"].as<std::string>());
    if (!timeout || *timeout <= core::seconds{0}) {
      return usage_error("--timeout must be a positive Go duration such as 30m or 2h, not \"" +
                         values["timeout"].as<std::string>() + "\"");
    }
  }
  const Result<core::Instant> at_option = instant_option(values);
  if (!at_option) {
    return usage_error(at_option.error().message);
  }
  const core::Instant at = *at_option;
  const std::vector<std::string> groups =
      values.count("group") != 0 ? values["group"].as<std::vector<std::string>>() : std::vector<std::string>{};

  // Read first: its settings.workloads name kinds that --manifest may hold.
  const std::shared_ptr<const core::Policy> policy = load_policies_option(values, err);
  if (!policy) {
    return kExitUsage;
  }
  std::vector<std::string> reviews;
  if (values.count("review") != 0) {
    auto text = read_input(values, "review", in);
    if (!text) {
      return usage_error(text.error().message);
    }
    reviews.push_back(std::move(text).value());
  } else {
    auto made = manifest_reviews(values, groups, policy->settings(), in);
    if (!made) {
      return usage_error(made.error().message);
    }
    if (!made->skipped.empty()) {
      err << "windowguard check: not governed, so not decided: " << join(made->skipped) << '\n';
    }
    reviews = std::move(made->reviews);
  }

  // Every review is decoded before any is decided: an input error prints no decision.
  std::vector<admission::DecodedReview> decoded;
  for (std::string& review : reviews) {
    auto one = admission::decode_review(std::move(review));
    if (!one) {
      return usage_error("not a valid AdmissionReview: " + one.error().message);
    }
    decoded.push_back(std::move(one).value());
  }
  ClusterObjects cluster;
  if (values.count("objects") != 0) {
    const auto text = read_input(values, "objects", in);
    if (!text) {
      return usage_error(text.error().message);
    }
    auto read = cluster_objects_from(*text);
    if (!read) {
      return usage_error(read.error().message);
    }
    cluster = std::move(read).value();
    if (!cluster.ignored.empty()) {
      err << "windowguard check: --objects: neither WindowException, ImageApproval nor Namespace, so ignored: "
          << join(cluster.ignored) << '\n';
    }
  }
  // Decides every review at `now`; prints the decisions when `print`.  The
  // instant every denial lifts at, when each says (nullopt: allowed, or no
  // end in sight); what blocks; and why waiting cannot help, when it cannot.
  struct Round {
    bool allowed = true;
    std::optional<core::Instant> lifts_at;
    std::vector<std::string> blocked_by;  // "blackout window "x"", each once
    std::string time_proof;               // a denial time does not lift
  };
  const auto decide_all = [&](const core::Policy& in_force, core::Instant now, bool print) {
    Round round;
    bool every_denial_ends = true;
    for (const admission::DecodedReview& review : decoded) {
      admission::AdmissionRequest request = review.request();
      if (values.count("user") != 0) {
        request.username = values["user"].as<std::string>();
      }
      if (values.count("group") != 0) {
        request.groups.assign(groups.begin(), groups.end());
      }
      const admission::AdmissionDecision outcome = admission::evaluate_request(
          in_force, request, now, nullptr,
          {cluster.exceptions.get(), cluster.namespaces.get(), {}, nullptr, cluster.image_approvals.get()});
      if (print && output == "json") {
        write_json(in_force, outcome, request, out);
      } else if (print) {
        out << (outcome.allowed ? "ALLOWED: " : "DENIED: ") << outcome.message << '\n';
        for (const std::string& warning : outcome.warnings) {
          out << "Warning: " << warning << '\n';
        }
      }
      round.allowed = round.allowed && outcome.allowed;
      if (outcome.allowed) {
        continue;
      }
      if (outcome.denied_by_images) {
        round.time_proof =
            "its images are denied (an image policy, or an approval missing), and waiting changes neither";
      } else if (!outcome.decision || outcome.decision->allowed) {
        round.time_proof = "the request is refused, and no window's end changes that";
      }
      if (outcome.decision && outcome.decision->deciding_window) {
        const core::Window& window = in_force.windows()[*outcome.decision->deciding_window];
        std::string blocker = std::string(window.type == core::WindowType::Blackout ? "by " : "outside ") +
                              std::string(core::window_type_name(window.type)) + " window \"" + window.name + "\"";
        if (std::find(round.blocked_by.begin(), round.blocked_by.end(), blocker) == round.blocked_by.end()) {
          round.blocked_by.push_back(std::move(blocker));
        }
      }
      const auto& blocked_until = outcome.decision ? outcome.decision->blocked_until : std::nullopt;
      every_denial_ends = every_denial_ends && blocked_until.has_value();
      if (blocked_until) {
        round.lifts_at = std::max(round.lifts_at.value_or(*blocked_until), *blocked_until);
      }
    }
    if (!every_denial_ends) {
      round.lifts_at.reset();
    }
    return round;
  };
  if (values.count("wait") == 0) {
    return decide_all(*policy, at, true).allowed ? kExitOk : kExitDenied;
  }

  // --wait: decide, and while denied sleep until the block lifts (at most a
  // minute, at most until the timeout), reload the policy, decide again.
  const auto clock_now = [] { return date::floor<core::seconds>(std::chrono::system_clock::now()); };
  const TerminationSignals signals;
  const core::Instant deadline = clock_now() + *timeout;
  std::shared_ptr<const core::Policy> in_force = policy;
  while (true) {
    const core::Instant now = clock_now();
    const Round round = decide_all(*in_force, now, false);
    if (round.allowed || now >= deadline || !round.time_proof.empty()) {
      const bool allowed = decide_all(*in_force, now, true).allowed;
      if (!allowed && !round.time_proof.empty()) {
        err << "windowguard check: not waiting: " << round.time_proof << '\n';
      }
      return allowed ? kExitOk : kExitDenied;
    }
    const core::Instant wake =
        std::min({round.lifts_at.value_or(core::Instant::max()), now + kLongestWaitBetweenDecisions, deadline});
    err << "windowguard check: denied " << join(round.blocked_by) << "; waiting until " << core::format_utc(wake)
        << (round.lifts_at && wake == *round.lifts_at ? ", when the block lifts"
            : round.lifts_at ? " to decide again (the block lifts at " + core::format_utc(*round.lifts_at) + ")"
                             : " to decide again (no end of the block in sight)")
        << "; giving up at " << core::format_utc(deadline) << '\n';
    const auto sleep = std::chrono::ceil<std::chrono::milliseconds>(wake - std::chrono::system_clock::now());
    if (signals.arrived_within(std::max(sleep, std::chrono::milliseconds{0}))) {
      decide_all(*in_force, clock_now(), true);
      err << "windowguard check: stopped while waiting; still denied\n";
      return kExitDenied;
    }
    if (std::shared_ptr<const core::Policy> reloaded = load_policies_option(values, err)) {
      in_force = std::move(reloaded);
    } else {
      err << "windowguard check: the policy no longer loads; deciding with the one loaded before\n";
    }
  }
}

}  // namespace windowguard::cli

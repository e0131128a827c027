#pragma once
// Prometheus metrics: fixed label sets held in atomics (no lock, no
// allocation when counting), rendered in the text exposition format.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "admission/exception_admission.hpp"
#include "cluster/cluster_view.hpp"
#include "core/action.hpp"
#include "core/policy.hpp"
#include "core/schedule/upcoming.hpp"

namespace windowguard::server {

enum class Endpoint { Validate, Healthz, Readyz, Metrics, Windows, Ui, Calendar, Other };

// How a review was decided, as the decision log, the metrics and the audit
// annotations name it: an exempt requester's pass through a block is told
// apart from a plain allow.
enum class AdmissionOutcome : std::uint8_t { Allowed, AllowedExempt, AllowedByException, Denied };
std::string_view outcome_name(AdmissionOutcome outcome);

class Metrics {
 public:
  static constexpr std::array<unsigned, 11> kStatusCodes{200, 400, 404, 405, 408, 413, 415, 431, 500, 503, 0};
  static constexpr std::array<double, 12> kLatencyBuckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                          0.01,   0.025,   0.05,   0.1,   0.25,   1.0};

  // One decided AdmissionReview; `action` is empty when not governed, and
  // `write` when it is no write to a request object.
  void count_admission(std::optional<core::Action> action, std::optional<admission::RequestWrite> write,
                       AdmissionOutcome outcome, bool dry_run, std::chrono::nanoseconds latency);
  void count_response(Endpoint endpoint, unsigned status);
  void count_policy_reload(bool success, core::Instant at);
  void count_certificate_reload(bool success);
  // An eviction's Pod, read from the API server or not (then every binding
  // of its namespace applied).
  void count_evicted_pod_read(bool read);
  void set_certificate_expiry(core::Instant expiry);
  void connection_opened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  void connection_refused() { refused_connections_.fetch_add(1, std::memory_order_relaxed); }
  std::int64_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }

  // The exposition; window gauges come from `policy` (null before the first
  // good policy) evaluated at `now`.
  // Exception gauges come from `exceptions` and the cluster view's state from
  // `cluster` (both null without cluster access).
  std::string render(const core::Policy* policy, core::Instant now, const core::ExceptionBook* exceptions = nullptr,
                     const cluster::ClusterViewStatus* cluster = nullptr) const;

 private:
  // The parts of the exposition render writes, in its order.
  void render_admissions(std::string& out) const;
  void render_policy(std::string& out, const core::Policy* policy, core::Instant now) const;
  void render_counters(std::string& out) const;
  // Each window's next activation and deactivation, for render (under the mutex).
  void render_forecasts(std::string& out, const core::Policy& policy, core::Instant now) const;

  // The governed actions, the writes to request objects, and neither.
  static constexpr std::size_t kActionSlots = core::kAllActions.size() + admission::kAllRequestWrites.size() + 1;
  static constexpr std::size_t kEndpoints = 8;
  static constexpr std::size_t kOutcomes = 4;

  std::array<std::atomic<std::uint64_t>, kActionSlots * kOutcomes * 2> admissions_{};
  std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size() + 1> latency_buckets_{};
  std::atomic<std::uint64_t> latency_count_{0};
  std::atomic<std::uint64_t> latency_sum_nanoseconds_{0};
  std::array<std::atomic<std::uint64_t>, kEndpoints * kStatusCodes.size()> responses_{};
  std::array<std::atomic<std::uint64_t>, 2> policy_reloads_{};
  std::array<std::atomic<std::uint64_t>, 2> certificate_reloads_{};
  std::array<std::atomic<std::uint64_t>, 2> evicted_pod_reads_{};
  std::atomic<std::int64_t> last_good_policy_reload_{0};
  std::atomic<std::int64_t> certificate_expiry_{0};
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> refused_connections_{0};
  mutable std::mutex forecasts_mutex_;
  mutable core::ForecastMemo forecasts_;
};

}  // namespace windowguard::server

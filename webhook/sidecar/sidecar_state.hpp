#pragma once
// What the policy sidecar counts and serves on /metrics.
#include <atomic>
#include <cstdint>
#include <string>

namespace windowguard::sidecar {

struct SidecarState {
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::int64_t> last_success{0};  // Unix time of the last version published
  std::atomic<std::int64_t> last_change{0};   // when the source last held a version not yet published
  std::atomic<bool> ready{false};

  // The Prometheus text exposition of the above.
  std::string render_metrics() const;
};

// The current Unix time, in seconds.
std::int64_t unix_now();

}  // namespace windowguard::sidecar

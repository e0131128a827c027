#include "sidecar/sidecar_state.hpp"

#include <chrono>

namespace windowguard::sidecar {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string SidecarState::render_metrics() const {
  std::string out;
  out += "# HELP windowguard_sidecar_versions_total Policy versions seen in the source, by result.\n";
  out += "# TYPE windowguard_sidecar_versions_total counter\n";
  out += "windowguard_sidecar_versions_total{result=\"accepted\"} " + std::to_string(accepted.load()) + "\n";
  out += "windowguard_sidecar_versions_total{result=\"rejected\"} " + std::to_string(rejected.load()) + "\n";
  out += "windowguard_sidecar_versions_total{result=\"failed\"} " + std::to_string(failed.load()) + "\n";
  out += "# HELP windowguard_sidecar_last_success_timestamp_seconds When a version was last published (Unix time).\n";
  out += "# TYPE windowguard_sidecar_last_success_timestamp_seconds gauge\n";
  out += "windowguard_sidecar_last_success_timestamp_seconds " + std::to_string(last_success.load()) + "\n";
  out +=
      "# HELP windowguard_sidecar_source_changed_timestamp_seconds When the source last held a version other than "
      "the published one (Unix time): later than the last success while a rejected version waits.\n";
  out += "# TYPE windowguard_sidecar_source_changed_timestamp_seconds gauge\n";
  out += "windowguard_sidecar_source_changed_timestamp_seconds " + std::to_string(last_change.load()) + "\n";
  out += "# HELP windowguard_sidecar_ready 1 when a valid version is published.\n";
  out += "# TYPE windowguard_sidecar_ready gauge\n";
  out += std::string("windowguard_sidecar_ready ") + (ready.load() ? "1" : "0") + "\n";
  return out;
}

}  // namespace windowguard::sidecar

#pragma once
// `windowguard sidecar`: polls the mounted ConfigMap, publishes valid
// versions (Publisher), and serves /healthz, /readyz and /metrics over plain
// HTTP for the kubelet's probes and Prometheus.
#include <chrono>
#include <string>

namespace windowguard::sidecar {

struct SidecarConfig {
  std::string source;
  std::string publish;
  std::string listen_host = "0.0.0.0";
  unsigned short listen_port = 8081;
  std::chrono::milliseconds interval{2000};
};

// Runs until SIGTERM or SIGINT; returns the exit code.  Logging must have
// been started.
int run_sidecar(const SidecarConfig& config);

}  // namespace windowguard::sidecar

#pragma once
#include <chrono>
#include <cstddef>
#include <string>

namespace windowguard::server {

// Everything `windowguard serve` is told; defaults are the documented ones.
struct ServerConfig {
  std::string listen_host = "0.0.0.0";
  unsigned short listen_port = 8443;
  std::string tls_cert;
  std::string tls_key;
  std::string client_ca;  // empty: no client certificates asked for
  std::string policies;
  unsigned threads = 0;  // 0: one per available core
  std::size_t max_body_bytes = std::size_t{8} * 1024 * 1024;
  std::size_t max_header_bytes = std::size_t{64} * 1024;
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{10'000};
  std::chrono::milliseconds idle_timeout{90'000};
  std::size_t max_connections = 1024;
  std::chrono::milliseconds reload_interval{2'000};
  std::chrono::milliseconds shutdown_grace{20'000};
  std::string log_level = "info";
  // Cluster access, for WindowExceptions: none (the policy's static
  // exceptions only), the pod's service account, or a kubeconfig.
  bool in_cluster = false;
  std::string kubeconfig;
  std::string service_account_directory = "/var/run/secrets/kubernetes.io/serviceaccount";
  // How long an eviction's review waits for its Pod to be read: well inside
  // the API server's 5 s webhook timeout.
  std::chrono::milliseconds pod_read_deadline{2'000};
  // The page and the feed (docs/operations.md): on a listener of their own
  // as well when ui_listen_port is set (TLS with the same certificate); under
  // a secret first path segment when ui_token is set; with requesters,
  // approvers and reasons when ui_people is.
  std::string ui_listen_host;
  unsigned short ui_listen_port = 0;  // 0: no listener of their own
  std::string ui_token;
  bool ui_people = false;
};

}  // namespace windowguard::server

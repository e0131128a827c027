#pragma once
// Loads the policy directory and the TLS files, and again whenever they
// change, publishing each version that loads; a version that does not load
// is logged and counted, and the last good one stays in force.
#include <string>
#include <vector>

#include "server/server_state.hpp"

namespace windowguard::server {

class Watcher {
 public:
  explicit Watcher(SharedState& shared) : shared_(shared) {}

  // Whether the TLS files make a context (the server cannot start without).
  bool load_tls_at_start();
  // A policy that does not load leaves the server not ready, with the reason.
  void load_policy_at_start();
  // Reloads what changed since the last look.
  void poll();

 private:
  std::vector<std::string> tls_paths() const;
  bool reload_tls();
  bool reload_policy();
  void report_rejected_policy(const Problems& problems);

  SharedState& shared_;
  std::string tls_fingerprint_;
  std::string policy_fingerprint_;
};

}  // namespace windowguard::server

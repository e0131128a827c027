#pragma once
// A real Kubernetes control plane for the cluster tests, as controller-runtime's
// envtest gives Go projects: etcd, kube-apiserver and kube-controller-manager
// on free 127.0.0.1 ports, in a temporary directory, with a PKI made at start
// (tests/support/make-cluster-pki.sh).  Everything it starts is stopped when
// it goes, and dies with the test process.  docs/testing.md says where the
// binaries come from.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "support/child_process.hpp"

namespace windowguard::testing {

struct KubeAssets {
  std::filesystem::path etcd;
  std::filesystem::path kube_apiserver;
  std::filesystem::path kube_controller_manager;
  std::filesystem::path kubectl;
};

// Looks in $KUBEBUILDER_ASSETS, then $WINDOWGUARD_KUBE_ASSETS, then on PATH
// (kubectl: on PATH only).  When something is missing: what, and how to
// provide it.
Result<KubeAssets> find_kube_assets();

// Who a kubectl command acts as.
struct Identity {
  enum class Credentials {
    Admin,              // the admin client certificate (group system:masters)
    ClientCertificate,  // a client certificate with CN=user and one O per group
    Impersonated,       // the admin, with --as and --as-group
  };
  Credentials credentials = Credentials::Admin;
  std::string user;
  std::vector<std::string> groups;

  static Identity admin() { return {}; }
  static Identity user_with_certificate(std::string user, std::vector<std::string> groups = {}) {
    return {Credentials::ClientCertificate, std::move(user), std::move(groups)};
  }
  static Identity impersonating(std::string user, std::vector<std::string> groups = {}) {
    return {Credentials::Impersonated, std::move(user), std::move(groups)};
  }
};

class ControlPlane {
 public:
  // Starts everything and waits (bounded) until the API server is ready and
  // the controller manager has made the default namespace's service account;
  // throws std::runtime_error, with the end of each log, when it cannot.
  explicit ControlPlane(KubeAssets assets);
  ~ControlPlane();
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  // A file of the PKI: ca.crt, webhook.crt, webhook.key, ...
  std::filesystem::path pki(const std::string& file) const { return directory_ / "pki" / file; }
  const std::filesystem::path& directory() const { return directory_; }
  unsigned short api_server_port() const { return api_server_port_; }

  // Stops the API server (an outage: etcd and the controller manager stay),
  // and starts it again on the same port, waiting (bounded) until it is
  // ready; then starts the controller manager again.
  void stop_api_server();
  void start_api_server();

  // A kubeconfig that acts as `who` (the admin's for an impersonation).
  std::filesystem::path kubeconfig(const Identity& who) { return kubeconfig_for(who); }

  // Runs the real kubectl as `who`, bounded by a deadline.
  CommandResult kubectl(const Identity& who, const std::vector<std::string>& arguments, const std::string& input = "");
  CommandResult kubectl(const std::vector<std::string>& arguments, const std::string& input = "") {
    return kubectl(Identity::admin(), arguments, input);
  }

 private:
  std::filesystem::path kubeconfig_for(const Identity& who);
  void write_kubeconfig(const std::filesystem::path& path, const std::string& certificate_name) const;
  void start(const std::string& name, const std::vector<std::string>& argv);
  // Stops the process started as `name`, if it runs, and starts `argv` in
  // its place, appending to its log.
  void restart(const std::string& name, const std::vector<std::string>& argv);
  void wait_until_api_server_ready();
  void wait_until(const std::string& what, const std::function<bool()>& ready, std::chrono::seconds timeout);
  std::string log_tails() const;
  void stop_all();

  KubeAssets assets_;
  std::filesystem::path directory_;
  unsigned short api_server_port_ = 0;
  std::vector<std::pair<std::string, std::unique_ptr<ChildProcess>>> processes_;  // in start order
  std::vector<std::string> api_server_argv_;
  std::vector<std::string> controller_manager_argv_;
  std::map<std::string, std::filesystem::path> certificate_kubeconfigs_;  // by user and groups
};

}  // namespace windowguard::testing

#include "support/control_plane.hpp"
#include "support/build_paths.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace windowguard::testing {
namespace fs = std::filesystem;
namespace {

using namespace std::chrono_literals;

constexpr auto kCommandDeadline = 60s;

std::string variable(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

bool is_executable(const fs::path& path) { return !path.empty() && access(path.c_str(), X_OK) == 0; }

fs::path on_path(const std::string& name) {
  std::istringstream directories(variable("PATH"));
  for (std::string directory; std::getline(directories, directory, ':');) {
    if (!directory.empty() && is_executable(fs::path(directory) / name)) {
      return fs::path(directory) / name;
    }
  }
  return {};
}

// The first of the asset directories, then PATH, that has `name`.
fs::path find_binary(const std::string& name) {
  for (const char* directory_variable : {"KUBEBUILDER_ASSETS", "WINDOWGUARD_KUBE_ASSETS"}) {
    const std::string directory = variable(directory_variable);
    if (!directory.empty() && is_executable(fs::path(directory) / name)) {
      return fs::path(directory) / name;
    }
  }
  return on_path(name);
}

// A port nothing listens on now.  Another process may take it before the
// component binds it; start-up then fails with that component's log.
unsigned short free_port() {
  const int socket_descriptor = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (socket_descriptor < 0 || bind(socket_descriptor, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(socket_descriptor, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot find a free port on 127.0.0.1");
  }
  close(socket_descriptor);
  return ntohs(address.sin_port);
}

std::string tail_of(const fs::path& file, std::size_t most_bytes) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() > most_bytes ? all.substr(all.size() - most_bytes) : all;
}

std::string key_of(const Identity& who) {
  std::string key = who.user;
  for (const std::string& group : who.groups) {
    key += "\n" + group;
  }
  return key;
}

}  // namespace

Result<KubeAssets> find_kube_assets() {
  KubeAssets assets{find_binary("etcd"), find_binary("kube-apiserver"), find_binary("kube-controller-manager"),
                    on_path("kubectl")};
  std::string missing;
  for (const auto& [name, path] : {std::pair{"etcd", &assets.etcd},
                                   {"kube-apiserver", &assets.kube_apiserver},
                                   {"kube-controller-manager", &assets.kube_controller_manager},
                                   {"kubectl", &assets.kubectl}}) {
    if (path->empty()) {
      missing += missing.empty() ? name : std::string(", ") + name;
    }
  }
  if (missing.empty()) {
    return assets;
  }
  return Problem("cluster tests skipped: no " + missing +
                 ". Put etcd, kube-apiserver and kube-controller-manager in a directory named by "
                 "KUBEBUILDER_ASSETS or WINDOWGUARD_KUBE_ASSETS, or on PATH, and kubectl on PATH "
                 "(docs/testing.md).");
}

ControlPlane::ControlPlane(KubeAssets assets) : assets_(std::move(assets)) {
  std::string pattern = (fs::temp_directory_path() / "windowguard-cluster-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot make a temporary directory");
  }
  directory_ = pattern;
  try {
    const CommandResult made_pki = run_command(
        {std::string(build_paths::source_dir) + "/tests/support/make-cluster-pki.sh", (directory_ / "pki").string()},
        "", kCommandDeadline);
    if (made_pki.exit_code != 0) {
      throw std::runtime_error("make-cluster-pki.sh failed: " + made_pki.err);
    }
    const std::string etcd_port = std::to_string(free_port());
    const std::string peer_port = std::to_string(free_port());
    start("etcd", {assets_.etcd.string(), "--name", "test", "--data-dir", (directory_ / "etcd").string(),
                   "--listen-client-urls", "http://127.0.0.1:" + etcd_port, "--advertise-client-urls",
                   "http://127.0.0.1:" + etcd_port, "--listen-peer-urls", "http://127.0.0.1:" + peer_port,
                   "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer_port, "--initial-cluster",
                   "test=http://127.0.0.1:" + peer_port});
    api_server_port_ = free_port();
    const auto pki_file = [this](const char* name) { return pki(name).string(); };
    api_server_argv_ = {
        assets_.kube_apiserver.string(), "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
        "--secure-port=" + std::to_string(api_server_port_),
        // 127.0.0.1 is not a valid Endpoints address for the kubernetes Service.
        "--endpoint-reconciler-type=none", "--etcd-servers=http://127.0.0.1:" + etcd_port,
        "--service-cluster-ip-range=10.96.0.0/16", "--cert-dir=" + (directory_ / "kube-apiserver").string(),
        "--tls-cert-file=" + pki_file("apiserver.crt"), "--tls-private-key-file=" + pki_file("apiserver.key"),
        "--client-ca-file=" + pki_file("ca.crt"), "--service-account-key-file=" + pki_file("service-accounts.pub"),
        "--service-account-signing-key-file=" + pki_file("service-accounts.key"),
        "--service-account-issuer=https://kubernetes.default.svc", "--authorization-mode=Node,RBAC",
        "--requestheader-client-ca-file=" + pki_file("front-proxy-ca.crt"),
        "--requestheader-allowed-names=front-proxy-client", "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group", "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--proxy-client-cert-file=" + pki_file("front-proxy-client.crt"),
        "--proxy-client-key-file=" + pki_file("front-proxy-client.key")};
    start("kube-apiserver", api_server_argv_);
    write_kubeconfig(directory_ / "admin.kubeconfig", "admin");
    write_kubeconfig(directory_ / "controller-manager.kubeconfig", "controller-manager");
    wait_until_api_server_ready();
    const std::string manager_kubeconfig = (directory_ / "controller-manager.kubeconfig").string();
    controller_manager_argv_ = {
        assets_.kube_controller_manager.string(), "--kubeconfig=" + manager_kubeconfig,
        "--authentication-kubeconfig=" + manager_kubeconfig, "--authorization-kubeconfig=" + manager_kubeconfig,
        // Each controller acts as its own service account, as it reaches a webhook in a real cluster.
        "--use-service-account-credentials=true",
        "--service-account-private-key-file=" + pki_file("service-accounts.key"),
        "--root-ca-file=" + pki_file("ca.crt"), "--controllers=*,-service,-cloud-node-lifecycle",
        "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=0"};
    start("kube-controller-manager", controller_manager_argv_);
    wait_until(
        "the controller manager made the default service account",
        [this] {
          return kubectl({"get", "serviceaccount", "default", "--namespace=default"}).exit_code == 0;
        },
        30s);
  } catch (...) {
    stop_all();
    throw;
  }
}

ControlPlane::~ControlPlane() { stop_all(); }

void ControlPlane::stop_all() {
  // The controller manager first and etcd last, so that none of them spends
  // its grace period retrying a component already gone.
  while (!processes_.empty()) {
    if (processes_.back().second) {
      processes_.back().second->stop(10s);
    }
    processes_.pop_back();
  }
  if (!directory_.empty() && variable("WINDOWGUARD_KEEP_CLUSTER").empty()) {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }
}

void ControlPlane::start(const std::string& name, const std::vector<std::string>& argv) {
  const fs::path log = directory_ / (name + ".log");
  const int output = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int input = open("/dev/null", O_RDONLY | O_CLOEXEC);
  auto process = std::make_unique<ChildProcess>(argv, input, output, output);
  close(output);
  close(input);
  processes_.emplace_back(name, std::move(process));
}

void ControlPlane::wait_until_api_server_ready() {
  wait_until(
      "the API server is ready",
      [this] {
        const CommandResult ready = kubectl({"get", "--raw=/readyz"});
        return ready.exit_code == 0 && ready.out == "ok";
      },
      30s);
}

void ControlPlane::stop_api_server() {
  for (auto& [name, process] : processes_) {
    if (name == "kube-apiserver" && process) {
      process->stop(10s);
      process.reset();
    }
  }
}

void ControlPlane::restart(const std::string& name, const std::vector<std::string>& argv) {
  const fs::path log = directory_ / (name + ".log");
  const int output = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const int input = open("/dev/null", O_RDONLY | O_CLOEXEC);
  for (auto& [started, process] : processes_) {
    if (started == name) {
      if (process) {
        process->stop(10s);
      }
      process = std::make_unique<ChildProcess>(argv, input, output, output);
    }
  }
  close(output);
  close(input);
}

void ControlPlane::start_api_server() {
  restart("kube-apiserver", api_server_argv_);
  wait_until_api_server_ready();
  // The controller manager outlives an outage but its controllers stop
  // acting (seen: no ServiceAccount in a new namespace, no Pods for a new
  // ReplicaSet, 30 s on): start it again, as the tests after an outage need
  // controllers that work.
  restart("kube-controller-manager", controller_manager_argv_);
}

void ControlPlane::wait_until(const std::string& what, const std::function<bool()>& ready,
                              std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ready()) {
    for (auto& [name, process] : processes_) {
      if (process && process->wait_for_exit(0ms) != -1) {
        throw std::runtime_error(name + " exited while waiting until " + what + "\n" + log_tails());
      }
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("timed out waiting until " + what + "\n" + log_tails());
    }
    std::this_thread::sleep_for(200ms);
  }
}

std::string ControlPlane::log_tails() const {
  std::string tails;
  for (const auto& [name, process] : processes_) {
    tails += "--- end of " + name + ".log\n" + tail_of(directory_ / (name + ".log"), 2000) + "\n";
  }
  return tails;
}

void ControlPlane::write_kubeconfig(const fs::path& path, const std::string& certificate_name) const {
  std::ofstream(path) << "apiVersion: v1\nkind: Config\n"
                      << "clusters:\n- name: test\n  cluster:\n    server: https://127.0.0.1:" << api_server_port_
                      << "\n    certificate-authority: " << pki("ca.crt").string() << "\n"
                      << "users:\n- name: " << certificate_name
                      << "\n  user:\n    client-certificate: " << pki(certificate_name + ".crt").string()
                      << "\n    client-key: " << pki(certificate_name + ".key").string() << "\n"
                      << "contexts:\n- name: test\n  context: {cluster: test, user: " << certificate_name << "}\n"
                      << "current-context: test\n";
}

fs::path ControlPlane::kubeconfig_for(const Identity& who) {
  if (who.credentials != Identity::Credentials::ClientCertificate) {
    return directory_ / "admin.kubeconfig";
  }
  const std::string key = key_of(who);
  const auto known = certificate_kubeconfigs_.find(key);
  if (known != certificate_kubeconfigs_.end()) {
    return known->second;
  }
  const std::string certificate_name = "user-" + std::to_string(certificate_kubeconfigs_.size());
  std::vector<std::string> argv{std::string(build_paths::source_dir) + "/tests/support/make-cluster-pki.sh",
                                (directory_ / "pki").string(), "user", certificate_name, who.user};
  argv.insert(argv.end(), who.groups.begin(), who.groups.end());
  const CommandResult made = run_command(argv, "", kCommandDeadline);
  if (made.exit_code != 0) {
    throw std::runtime_error("cannot make a client certificate for " + who.user + ": " + made.err);
  }
  const fs::path kubeconfig = directory_ / (certificate_name + ".kubeconfig");
  write_kubeconfig(kubeconfig, certificate_name);
  certificate_kubeconfigs_.emplace(key, kubeconfig);
  return kubeconfig;
}

CommandResult ControlPlane::kubectl(const Identity& who, const std::vector<std::string>& arguments,
                                    const std::string& input) {
  std::vector<std::string> argv{assets_.kubectl.string(), "--kubeconfig=" + kubeconfig_for(who).string(),
                                "--request-timeout=30s"};
  if (who.credentials == Identity::Credentials::Impersonated) {
    argv.push_back("--as=" + who.user);
    for (const std::string& group : who.groups) {
      argv.push_back("--as-group=" + group);
    }
  }
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_command(argv, input, kCommandDeadline);
}

}  // namespace windowguard::testing

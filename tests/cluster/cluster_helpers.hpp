#pragma once
// What the cluster tests share: the people who act, the objects they apply,
// and a fixture that makes namespaces for them.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cluster/cluster_environment.hpp"
#include "support/build_paths.hpp"
#include "support/tls_client.hpp"

namespace windowguard::testing {

using namespace std::chrono_literals;

inline const Identity kAdmin = Identity::admin();  // system:masters: a super-admin, exempt from change-freeze
inline const Identity kDeveloper = Identity::user_with_certificate("dev");  // the edit role in every test namespace
inline const Identity kOnCall = Identity::user_with_certificate("olivia", {"sre-oncall"});  // an exempt group
inline const Identity kArgoCd = Identity::impersonating("system:serviceaccount:argocd:argocd-application-controller");
inline const Identity kAutoscaler =
    Identity::impersonating("system:serviceaccount:kube-system:horizontal-pod-autoscaler");

inline std::string output_of(const CommandResult& result) { return result.out + result.err; }

// How the API server reaches the webhook: trusting the cluster's CA.
inline ClientOptions as_the_api_server() {
  return {ClusterEnvironment::shared().cluster().pki("ca.crt").string(), "", "", 0, 0, ""};
}

inline std::string webhook_metrics() {
  const ClientOptions api_server = as_the_api_server();
  return https_request(ClusterEnvironment::shared().webhook().port(), api_server, http::verb::get, "/metrics").body();
}

// The metrics once they hold `line` (bounded), or as they were at the end.
inline std::string metrics_within(const std::string& line, std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::string metrics = webhook_metrics();
  while (metrics.find(line) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(250ms);
    metrics = webhook_metrics();
  }
  return metrics;
}

// Applies `manifest` as `who` until the webhook allows it (bounded):
// the watch brings a change within seconds.
inline CommandResult deploy_until_allowed(const std::string& manifest, std::chrono::seconds within,
                                          const Identity& who = kDeveloper) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  CommandResult result;
  do {
    result = ClusterEnvironment::shared().cluster().kubectl(who, {"apply", "-f", "-"}, manifest);
    if (result.exit_code == 0) {
      break;
    }
    std::this_thread::sleep_for(250ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return result;
}

inline CommandResult deploy_until_denied(const std::string& manifest, std::chrono::seconds within,
                                         const Identity& who = kDeveloper) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  CommandResult result;
  do {
    result = ClusterEnvironment::shared().cluster().kubectl(who, {"apply", "-f", "-"}, manifest);
    if (result.exit_code != 0) {
      break;
    }
    std::this_thread::sleep_for(250ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return result;
}

// `windowguard VERB ...` as `who`: the CLI reaches the cluster through the
// real kubectl, with that identity's kubeconfig.
inline CommandResult windowguard_as(const Identity& who, const std::vector<std::string>& arguments,
                                    const std::vector<std::string>& environment = {}) {
  std::vector<std::string> argv{"env", "KUBECONFIG=" + ClusterEnvironment::shared().cluster().kubeconfig(who).string()};
  argv.insert(argv.end(), environment.begin(), environment.end());
  argv.emplace_back(build_paths::windowguard_binary);
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_command(argv, "", 60s);
}

inline std::string deployment(const std::string& name, const std::string& ns, int replicas,
                              const std::string& image = "nginx:1.25") {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\n  namespace: " + ns +
         "\n  labels: {app: " + name + "}\nspec:\n  replicas: " + std::to_string(replicas) +
         "\n  selector:\n    matchLabels: {app: " + name +
         "}\n  template:\n    metadata:\n      labels: {app: " + name +
         "}\n    spec:\n      containers:\n        - name: app\n          image: " + image + "\n";
}

inline std::string workload(const std::string& kind, const std::string& name, const std::string& ns) {
  std::string text = "apiVersion: apps/v1\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n  namespace: " + ns +
                     "\n  labels: {app: " + name + "}\nspec:\n";
  if (kind != "DaemonSet") {
    text += "  replicas: 1\n";
  }
  if (kind == "StatefulSet") {
    text += "  serviceName: " + name + "\n";
  }
  return text + "  selector:\n    matchLabels: {app: " + name +
         "}\n  template:\n    metadata:\n      labels: {app: " + name +
         "}\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.25\n";
}

// The webhook's decision log lines about `name` as `user`, so far.
inline std::size_t decisions_about(const std::string& user, const std::string& name) {
  std::size_t count = 0;
  for (const std::string& line : ClusterEnvironment::shared().webhook().log()) {
    if (line.find("\"msg\":\"admission decision\"") != std::string::npos &&
        line.find("\"user\":\"" + user + "\"") != std::string::npos &&
        line.find("\"name\":\"" + name + "\"") != std::string::npos) {
      ++count;
    }
  }
  return count;
}

// One governed request of docs/admission.md's table, made by the developer
// during the freeze: denied, with the words kubectl prints, and sent to the
// webhook (no matchCondition may skip it).
struct GovernedRow {
  const char* name;
  std::vector<std::string> arguments;
  std::string object;  // the name the webhook logs
  std::vector<std::string> printed;
  std::string input = {};  // kubectl's standard input
};

inline void expect_denied_and_reviewed(const GovernedRow& row, const Identity& who = kDeveloper) {
  SCOPED_TRACE(row.name);
  const std::size_t before = decisions_about(who.user, row.object);
  const CommandResult result = ClusterEnvironment::shared().cluster().kubectl(who, row.arguments, row.input);
  EXPECT_NE(result.exit_code, 0) << output_of(result);
  EXPECT_NE(result.err.find("admission webhook \"windows.windowguard.dev\" denied the request"), std::string::npos)
      << output_of(result);
  for (const std::string& words : row.printed) {
    EXPECT_NE(output_of(result).find(words), std::string::npos)
        << "missing \"" << words << "\" in " << output_of(result);
  }
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (decisions_about(who.user, row.object) == before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_GT(decisions_about(who.user, row.object), before) << "the webhook never saw it";
}

class Cluster : public ClusterTest {
 protected:
  static void admin_apply(const std::string& manifest) {
    const CommandResult applied = cluster().kubectl({"apply", "-f", "-"}, manifest);
    ASSERT_EQ(applied.exit_code, 0) << output_of(applied);
  }
  // A namespace in which the developer has the edit role and the on-call
  // group too.
  static void make_namespace(const std::string& ns) {
    admin_apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + ns +
                "}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: edit, "
                "namespace: " +
                ns +
                "}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\nsubjects:\n"
                "  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: dev}\n"
                "  - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: sre-oncall}\n");
  }
  // Waits (bounded) until `ns` holds `count` Pods labelled app=`app`.
  static std::vector<std::string> wait_for_pods(const std::string& ns, const std::string& app, std::size_t count) {
    std::vector<std::string> names;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      const CommandResult listed = cluster().kubectl(
          {"get", "pods", "--namespace", ns, "-l", "app=" + app, "-o", "jsonpath={.items[*].metadata.name}"});
      names.clear();
      std::istringstream words(listed.out);
      for (std::string name; words >> name;) {
        names.push_back(name);
      }
      if (names.size() == count) {
        break;
      }
      std::this_thread::sleep_for(250ms);
    }
    return names;
  }
};

}  // namespace windowguard::testing

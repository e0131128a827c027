#include "cluster/cluster_environment.hpp"
#include "support/build_paths.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include <date/date.h>

namespace windowguard::testing {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// The policy the cluster tests are decided by.  Namespaces frozen*: a
// blackout in force for decades; soon: a blackout that starts in ten
// minutes (within warnBeforeMinutes); billing-only: the blackout for the
// billing application alone; open: bound to nothing.  Namespaces release-*
// need approved images (release-two two approvals, release-brief approvals
// that expire after 15 s, release-prod promotions from release-staging)
// and refuse `latest`.
std::string cluster_policy(std::chrono::system_clock::time_point now) {
  const auto minute = date::floor<std::chrono::minutes>(now);
  return R"(apiVersion: windowguard.dev/v1
kind: WindowPolicy
settings:
  superAdminGroups: [system:masters]
  warnBeforeMinutes: 30
  trustedRequesters: ["system:serviceaccount:argo-rollouts:argo-rollouts"]
  workloads:
    - {group: argoproj.io, version: v1alpha1, resource: rollouts, kind: Rollout, template: spec.template,
       replicas: spec.replicas, scale: true}
    - {group: example.com, version: v1, resource: batchruns, kind: BatchRun, template: spec.run.podTemplate}
windows:
  - name: change-freeze
    type: blackout
    timeZone: Europe/Berlin
    durations:
      - once: {from: "2000-01-01 00:00", to: "2099-01-01 00:00"}
    exempt:
      superAdmins: true
      groups: [sre-oncall]
    exceptions:
      approvals: 1
      approvers: {superAdmins: false, groups: [sre-leads], users: [mallory-approver]}
      maxDuration: 2h
    message: Production is frozen.
  - name: incident-freeze
    type: blackout
    durations:
      - once: {from: "2000-01-01 00:00", to: "2099-01-01 00:00"}
    exceptions:
      approvers: {superAdmins: false, groups: [sre-leads]}
      requesters: {superAdmins: false, groups: [sre-oncall]}
  - name: release-train
    type: blackout
    timeZone: UTC
    durations:
      - once: {from: ")" +
         date::format("%F %R", minute + 10min) + R"(", to: ")" + date::format("%F %R", minute + 70min) + R"("}
    message: The release train leaves soon.
bindings:
  - windows: [change-freeze]
    environments: ["frozen*"]
  - windows: [release-train]
    environments: [soon]
  - windows: [change-freeze]
    namespaceSelector:
      matchLabels: {windowguard.dev/frozen: "true"}
  - windows: [change-freeze]
    environments: [billing-only]
    applications: [billing]
approvals:
  - name: release
    environments: [release-one]
    approvers: {superAdmins: false, groups: [release-managers]}
  - name: release-two
    environments: [release-two]
    required: 2
    approvers: {superAdmins: false, groups: [release-managers]}
  - name: release-brief
    environments: [release-brief]
    approvers: {superAdmins: false, groups: [release-managers]}
    expireAfter: 15s
  - name: release-promoted
    environments: [release-prod]
    promotedFrom: [release-staging]
    approvers: {superAdmins: false, groups: [release-managers]}
imagePolicies:
  - name: no-latest
    environments: ["release-*"]
    fail:
      - {tag: latest}
    message: Pin a version.
)";
}

}  // namespace

ClusterEnvironment& ClusterEnvironment::shared() {
  // Made by main() (tests/cluster/cluster_main.cpp) and owned by gtest.
  static ClusterEnvironment* const environment = new ClusterEnvironment;
  return *environment;
}

void ClusterEnvironment::SetUp() {
  auto assets = find_kube_assets();
  if (!assets) {
    const std::string& reason = assets.error().message;
    // CI provides the binaries and says so: there, missing ones are a failure.
    const char* required = std::getenv("WINDOWGUARD_REQUIRE_CLUSTER");
    (required != nullptr && std::string_view(required) == "1" ? start_failure_ : skip_reason_) = reason;
    return;
  }
  try {
    const auto started = std::chrono::steady_clock::now();
    cluster_ = std::make_unique<ControlPlane>(std::move(assets).value());
    std::cout
        << "[ CLUSTER  ] control plane ready in "
        << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
        << " ms on 127.0.0.1:" << cluster_->api_server_port() << std::endl;
    fs::create_directories(policies());
    std::ofstream(policies() / "policy.yaml") << cluster_policy(std::chrono::system_clock::now());
    install_windowguard_objects();
    start_webhook();
  } catch (const std::exception& failure) {
    start_failure_ = failure.what();
  }
}

void ClusterEnvironment::TearDown() {
  if (cluster_) {
    // The registration goes before the webhook and the cluster: nothing may
    // be left calling a port that is closed.
    cluster_->kubectl({"delete", "validatingwebhookconfiguration", "windowguard", "--ignore-not-found"});
  }
  webhook_.reset();
  cluster_.reset();
}

fs::path ClusterEnvironment::policies() const { return cluster_->directory() / "policies"; }

// The CRD and the roles, as manifests/ ships them; the webhook acts as a user
// of its own bound to the webhook's ClusterRole, approvers get theirs.
void ClusterEnvironment::install_windowguard_objects() {
  const fs::path manifests = fs::path(build_paths::source_dir) / "manifests";
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{"apply", "-f", (manifests / "crds/windowexceptions.yaml").string()},
        std::vector<std::string>{"apply", "-f", (manifests / "crds/imageapprovals.yaml").string()},
        std::vector<std::string>{"apply", "-f", (manifests / "rbac.yaml").string()},
        std::vector<std::string>{"create", "clusterrolebinding", "webhook-reads-exceptions",
                                 "--clusterrole=windowguard-webhook", "--user=" + std::string(kWebhookUser)},
        std::vector<std::string>{"create", "clusterrolebinding", "approvers", "--clusterrole=windowguard-approver",
                                 "--group=sre-leads", "--group=release-managers", "--user=mallory",
                                 "--user=mallory-approver"},
        std::vector<std::string>{"wait", "--for=condition=Established", "--timeout=30s",
                                 "crd/windowexceptions.windowguard.dev", "crd/imageapprovals.windowguard.dev"}}) {
    const CommandResult done = cluster_->kubectl(arguments);
    if (done.exit_code != 0) {
      throw std::runtime_error("kubectl " + arguments.front() + " failed: " + done.err);
    }
  }
  install_configured_workload_kinds();
}

// The kinds of the policy's settings.workloads, as CRDs, and what docs/policy.md
// asks for them: the webhook may list them, to see what a promotion's source
// runs.  Rollouts have Argo Rollouts' shape (a Deployment's paths and a scale
// subresource); a BatchRun keeps its template elsewhere.
void ClusterEnvironment::install_configured_workload_kinds() {
  const auto crd = [](const std::string& group, const std::string& plural, const std::string& kind,
                      const std::string& version, bool scale) {
    std::string text =
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: " + plural + "." +
        group + "}\nspec:\n  group: " + group + "\n  scope: Namespaced\n  names: {plural: " + plural +
        ", singular: " + plural.substr(0, plural.size() - 1) + ", kind: " + kind +
        "}\n  versions:\n    - name: " + version +
        "\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n"
        "          type: object\n          x-kubernetes-preserve-unknown-fields: true\n";
    if (scale) {
      text +=
          "      subresources:\n        scale: {specReplicasPath: .spec.replicas, statusReplicasPath: "
          ".status.replicas}\n";
    }
    return text;
  };
  const std::string grant =
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "
      "windowguard-configured-workloads}\n"
      "rules:\n  - {apiGroups: [argoproj.io], resources: [rollouts], verbs: [get, list]}\n"
      "  - {apiGroups: [example.com], resources: [batchruns], verbs: [get, list]}\n---\n"
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
      "metadata: {name: windowguard-configured-workloads}\n"
      "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: windowguard-configured-workloads}\n"
      "subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: " +
      std::string(kWebhookUser) + "}]\n";
  const CommandResult applied = cluster_->kubectl(
      {"apply", "-f", "-"}, crd("argoproj.io", "rollouts", "Rollout", "v1alpha1", true) + "---\n" +
                                crd("example.com", "batchruns", "BatchRun", "v1", false) + "---\n" + grant);
  const CommandResult established = cluster_->kubectl({"wait", "--for=condition=Established", "--timeout=30s",
                                                       "crd/rollouts.argoproj.io", "crd/batchruns.example.com"});
  if (applied.exit_code != 0 || established.exit_code != 0) {
    throw std::runtime_error("the configured workload kinds were not installed: " + applied.err + established.err);
  }
}

void ClusterEnvironment::start_webhook() {
  webhook_ = std::make_unique<ServerProcess>(
      "serve",
      std::vector<std::string>{"--tls-cert", cluster_->pki("webhook.crt").string(), "--tls-key",
                               cluster_->pki("webhook.key").string(), "--policies", policies().string(), "--kubeconfig",
                               cluster_->kubeconfig(Identity::user_with_certificate(kWebhookUser)).string()});
  if (!webhook_->running()) {
    throw std::runtime_error("windowguard serve did not start");
  }
  register_webhook();
}

void ClusterEnvironment::stop_webhook() { webhook_.reset(); }

void ClusterEnvironment::register_webhook() {
  // Only by URL, on 127.0.0.1: never a Service, which the API server would
  // dial on a cluster IP.
  const CommandResult rendered =
      run_command({build_paths::windowguard_binary, "webhook-config", "--policies", policies().string(), "--url",
                   "https://127.0.0.1:" + std::to_string(webhook_->port()) + "/validate", "--ca-bundle",
                   cluster_->pki("ca.crt").string()},
                  "", 30s);
  if (rendered.exit_code != 0) {
    throw std::runtime_error("windowguard webhook-config failed: " + rendered.err);
  }
  const CommandResult applied = cluster_->kubectl({"apply", "-f", "-"}, rendered.out);
  if (applied.exit_code != 0) {
    throw std::runtime_error("cannot register the webhook: " + applied.err);
  }
  // The API server picks a new registration up within a few seconds: wait
  // until a request the webhook denies is denied.
  cluster_->kubectl({"create", "namespace", "frozen-probe"});
  cluster_->kubectl({"create", "rolebinding", "probe", "--clusterrole=edit", "--user=registration-probe",
                     "--namespace=frozen-probe"});
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    const CommandResult probe = cluster_->kubectl(
        Identity::impersonating("registration-probe"),
        {"create", "deployment", "probe", "--image=nginx", "--namespace", "frozen-probe", "--dry-run=server"});
    if (probe.err.find("denied the request") != std::string::npos) {
      return;
    }
    std::this_thread::sleep_for(250ms);
  }
  throw std::runtime_error("the API server did not call the webhook within 30 s");
}

}  // namespace windowguard::testing

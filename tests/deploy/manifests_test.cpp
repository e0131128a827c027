// Tests of the installation assets themselves: manifests/, certs/ and the
// example policies they ship.  No cluster is needed (none runs here): the YAML
// is parsed and cross-checked, and the binary is run with the manifests' own
// arguments on 127.0.0.1.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "cli/commands.hpp"
#include "core/policy.hpp"
#include "policy/policy_loader.hpp"
#include "support/build_paths.hpp"
#include "support/fixtures.hpp"
#include "support/server_process.hpp"
#include "support/test_certificates.hpp"
#include "support/tls_client.hpp"

namespace windowguard::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kSource = build_paths::source_dir;

// Every document of every YAML file under `directory`, keyed "Kind/name".
std::map<std::string, YAML::Node> load_objects(const fs::path& directory) {
  std::map<std::string, YAML::Node> objects;
  for (const auto& entry : fs::directory_iterator(directory)) {
    const std::string extension = entry.path().extension().string();
    if (extension != ".yaml" && extension != ".yml") {
      continue;
    }
    for (const YAML::Node& document : YAML::LoadAllFromFile(entry.path().string())) {
      if (document["kind"] && document["kind"].as<std::string>() != "Kustomization") {
        objects[document["kind"].as<std::string>() + "/" + document["metadata"]["name"].as<std::string>()] = document;
      }
    }
  }
  return objects;
}

class Manifests : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    objects_ = new std::map<std::string, YAML::Node>(load_objects(kSource / "manifests"));
    objects_->merge(load_objects(kSource / "manifests/crds"));
  }
  static void TearDownTestSuite() { delete objects_; }

  static YAML::Node object(const std::string& key) {
    const auto found = objects_->find(key);
    if (found == objects_->end()) {
      ADD_FAILURE() << "no " << key << " in manifests/";
      return YAML::Node();
    }
    return found->second;
  }
  static YAML::Node container(const std::string& name) {
    for (const YAML::Node& candidate : object("Deployment/windowguard")["spec"]["template"]["spec"]["containers"]) {
      if (candidate["name"].as<std::string>() == name) {
        return candidate;
      }
    }
    ADD_FAILURE() << "no container " << name;
    return YAML::Node();
  }
  static std::vector<std::string> strings(const YAML::Node& list) {
    std::vector<std::string> values;
    for (const YAML::Node& item : list) {
      values.push_back(item.as<std::string>());
    }
    return values;
  }

  static inline std::map<std::string, YAML::Node>* objects_ = nullptr;
};

TEST_F(Manifests, EveryFileParsesAndTheKustomizationListsThemAll) {
  const YAML::Node kustomization = YAML::LoadFile((kSource / "manifests/kustomization.yaml").string());
  std::set<std::string> listed;
  for (const std::string& resource : strings(kustomization["resources"])) {
    EXPECT_TRUE(fs::exists(kSource / "manifests" / resource)) << resource;
    listed.insert(resource);
  }
  for (const auto& entry : fs::directory_iterator(kSource / "manifests")) {
    const std::string name = entry.path().filename().string();
    // monitoring/ is applied on its own: it needs the Prometheus Operator's CRDs.
    if (name != "kustomization.yaml" && name != "monitoring") {
      EXPECT_TRUE(listed.count(name)) << name << " is not in kustomization.yaml";
    }
  }
  for (const char* key :
       {"CustomResourceDefinition/windowexceptions.windowguard.dev",
        "CustomResourceDefinition/imageapprovals.windowguard.dev", "Namespace/windowguard",
        "ServiceAccount/windowguard", "ConfigMap/windowguard-policies", "Deployment/windowguard", "Service/windowguard",
        "PodDisruptionBudget/windowguard", "ValidatingWebhookConfiguration/windowguard"}) {
    EXPECT_TRUE(objects_->count(key)) << key;
  }
}

TEST_F(Manifests, NamesPortsAndSelectorsAgree) {
  const YAML::Node deployment = object("Deployment/windowguard");
  const YAML::Node service = object("Service/windowguard");
  const YAML::Node webhook = object("ValidatingWebhookConfiguration/windowguard")["webhooks"][0];
  const YAML::Node pdb = object("PodDisruptionBudget/windowguard");
  const std::string pod_label =
      deployment["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"].as<std::string>();
  EXPECT_EQ(deployment["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"].as<std::string>(), pod_label);
  EXPECT_EQ(service["spec"]["selector"]["app.kubernetes.io/name"].as<std::string>(), pod_label);
  EXPECT_EQ(pdb["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"].as<std::string>(), pod_label);

  const YAML::Node port = service["spec"]["ports"][0];
  const YAML::Node webhook_port = container("webhook")["ports"][0];
  EXPECT_EQ(port["targetPort"].as<std::string>(), webhook_port["name"].as<std::string>());
  EXPECT_EQ(webhook_port["containerPort"].as<int>(), 8443);
  const auto args = strings(container("webhook")["args"]);
  EXPECT_NE(std::find(args.begin(), args.end(), "--listen=0.0.0.0:8443"), args.end());

  const YAML::Node client = webhook["clientConfig"]["service"];
  EXPECT_EQ(client["name"].as<std::string>(), service["metadata"]["name"].as<std::string>());
  EXPECT_EQ(client["namespace"].as<std::string>(), service["metadata"]["namespace"].as<std::string>());
  EXPECT_EQ(client["port"].as<int>(), port["port"].as<int>());
  EXPECT_EQ(client["path"].as<std::string>(), "/validate");
  for (const auto& [key, node] : *objects_) {
    if (node["metadata"]["namespace"]) {
      EXPECT_EQ(node["metadata"]["namespace"].as<std::string>(), "windowguard") << key;
    }
  }
  const YAML::Node volumes = deployment["spec"]["template"]["spec"]["volumes"];
  std::map<std::string, YAML::Node> by_name;
  for (const YAML::Node& volume : volumes) {
    by_name[volume["name"].as<std::string>()] = volume;
  }
  EXPECT_EQ(by_name["tls"]["secret"]["secretName"].as<std::string>(), "windowguard-tls");
  EXPECT_EQ(by_name["policy-configmap"]["configMap"]["name"].as<std::string>(), "windowguard-policies");
  EXPECT_TRUE(by_name["published-policies"]["emptyDir"].IsDefined());
  EXPECT_EQ(deployment["spec"]["template"]["spec"]["serviceAccountName"].as<std::string>(), "windowguard");
}

TEST_F(Manifests, ProbesPointAtRealEndpointsOnRealPorts) {
  const YAML::Node webhook = container("webhook");
  EXPECT_EQ(webhook["readinessProbe"]["httpGet"]["path"].as<std::string>(), "/readyz");
  EXPECT_EQ(webhook["livenessProbe"]["httpGet"]["path"].as<std::string>(), "/healthz");
  for (const char* probe : {"readinessProbe", "livenessProbe"}) {
    EXPECT_EQ(webhook[probe]["httpGet"]["scheme"].as<std::string>(), "HTTPS");
    EXPECT_EQ(webhook[probe]["httpGet"]["port"].as<std::string>(), webhook["ports"][0]["name"].as<std::string>());
  }
  const YAML::Node sidecar = container("policy-sidecar");
  EXPECT_EQ(sidecar["readinessProbe"]["httpGet"]["path"].as<std::string>(), "/readyz");
  EXPECT_EQ(sidecar["livenessProbe"]["httpGet"]["path"].as<std::string>(), "/healthz");
  EXPECT_EQ(sidecar["readinessProbe"]["httpGet"]["port"].as<std::string>(),
            sidecar["ports"][0]["name"].as<std::string>());
  const auto args = strings(sidecar["args"]);
  EXPECT_NE(std::find(args.begin(), args.end(),
                      "--listen=0.0.0.0:" + std::to_string(sidecar["ports"][0]["containerPort"].as<int>())),
            args.end());
}

TEST_F(Manifests, PodIsHardened) {
  const YAML::Node deployment = object("Deployment/windowguard");
  const YAML::Node pod = deployment["spec"]["template"]["spec"];
  EXPECT_GE(deployment["spec"]["replicas"].as<int>(), 2);
  EXPECT_TRUE(pod["affinity"]["podAntiAffinity"].IsDefined());
  EXPECT_TRUE(pod["securityContext"]["runAsNonRoot"].as<bool>());
  EXPECT_NE(pod["securityContext"]["runAsUser"].as<int>(), 0);
  EXPECT_EQ(pod["securityContext"]["seccompProfile"]["type"].as<std::string>(), "RuntimeDefault");
  EXPECT_FALSE(pod["automountServiceAccountToken"].as<bool>());
  EXPECT_GT(pod["terminationGracePeriodSeconds"].as<int>(), 20);  // the webhook's --shutdown-grace
  for (const YAML::Node& each : pod["containers"]) {
    const std::string name = each["name"].as<std::string>();
    EXPECT_FALSE(each["securityContext"]["allowPrivilegeEscalation"].as<bool>()) << name;
    EXPECT_TRUE(each["securityContext"]["readOnlyRootFilesystem"].as<bool>()) << name;
    EXPECT_EQ(strings(each["securityContext"]["capabilities"]["drop"]), std::vector<std::string>{"ALL"}) << name;
    for (const char* kind : {"requests", "limits"}) {
      EXPECT_TRUE(each["resources"][kind]["cpu"].IsDefined() && each["resources"][kind]["memory"].IsDefined())
          << name << " " << kind;
    }
  }
  EXPECT_EQ(object("PodDisruptionBudget/windowguard")["spec"]["minAvailable"].as<int>(), 1);
}

// "apiGroup resource verb" for each permission of a ClusterRole.
std::vector<std::string> permissions_of(const YAML::Node& role) {
  std::vector<std::string> permissions;
  for (const YAML::Node& rule : role["rules"]) {
    for (const YAML::Node& group : rule["apiGroups"]) {
      for (const YAML::Node& resource : rule["resources"]) {
        for (const YAML::Node& verb : rule["verbs"]) {
          permissions.push_back(group.as<std::string>() + " " + resource.as<std::string>() + " " +
                                verb.as<std::string>());
        }
      }
    }
  }
  return permissions;
}

// Requesters file and cancel requests, approvers write status only, readers
// read; each is aggregated into the built-in role of that name, but approvers,
// whom the platform team binds itself.
TEST_F(Manifests, TheExceptionRolesGrantWhatEachPartyNeedsAndNoMore) {
  EXPECT_EQ(permissions_of(object("ClusterRole/windowguard-webhook")),
            (std::vector<std::string>{"windowguard.dev windowexceptions get",
                                      "windowguard.dev windowexceptions list",
                                      "windowguard.dev windowexceptions watch",
                                      "windowguard.dev imageapprovals get",
                                      "windowguard.dev imageapprovals list",
                                      "windowguard.dev imageapprovals watch",
                                      "windowguard.dev windowexceptions/status patch",
                                      "windowguard.dev imageapprovals/status patch",
                                      " namespaces get",
                                      " namespaces list",
                                      " namespaces watch",
                                      " pods get",
                                      " pods list",
                                      "apps deployments get",
                                      "apps deployments list",
                                      "apps statefulsets get",
                                      "apps statefulsets list",
                                      "apps daemonsets get",
                                      "apps daemonsets list",
                                      "apps replicasets get",
                                      "apps replicasets list"}));
  const YAML::Node binding = object("ClusterRoleBinding/windowguard-webhook");
  EXPECT_EQ(binding["subjects"][0]["kind"].as<std::string>(), "ServiceAccount");
  EXPECT_EQ(binding["subjects"][0]["name"].as<std::string>(), "windowguard");
  const YAML::Node requester = object("ClusterRole/windowguard-requester");
  EXPECT_EQ(
      permissions_of(requester),
      (std::vector<std::string>{"windowguard.dev windowexceptions get", "windowguard.dev windowexceptions list",
                                "windowguard.dev windowexceptions watch", "windowguard.dev windowexceptions create",
                                "windowguard.dev windowexceptions delete", "windowguard.dev imageapprovals get",
                                "windowguard.dev imageapprovals list", "windowguard.dev imageapprovals watch",
                                "windowguard.dev imageapprovals create", "windowguard.dev imageapprovals delete"}));
  EXPECT_EQ(requester["metadata"]["labels"]["rbac.authorization.k8s.io/aggregate-to-edit"].as<std::string>(), "true");
  const YAML::Node approver = object("ClusterRole/windowguard-approver");
  EXPECT_EQ(permissions_of(approver),
            (std::vector<std::string>{
                "windowguard.dev windowexceptions get", "windowguard.dev windowexceptions list",
                "windowguard.dev windowexceptions watch", "windowguard.dev windowexceptions delete",
                "windowguard.dev imageapprovals get", "windowguard.dev imageapprovals list",
                "windowguard.dev imageapprovals watch", "windowguard.dev imageapprovals delete",
                "windowguard.dev windowexceptions/status get", "windowguard.dev windowexceptions/status update",
                "windowguard.dev windowexceptions/status patch", "windowguard.dev imageapprovals/status get",
                "windowguard.dev imageapprovals/status update", "windowguard.dev imageapprovals/status patch"}));
  EXPECT_FALSE(approver["metadata"]["labels"]["rbac.authorization.k8s.io/aggregate-to-edit"]);
  const YAML::Node viewer = object("ClusterRole/windowguard-view");
  EXPECT_EQ(permissions_of(viewer),
            (std::vector<std::string>{"windowguard.dev windowexceptions get", "windowguard.dev windowexceptions list",
                                      "windowguard.dev windowexceptions watch", "windowguard.dev imageapprovals get",
                                      "windowguard.dev imageapprovals list", "windowguard.dev imageapprovals watch"}));
  EXPECT_EQ(viewer["metadata"]["labels"]["rbac.authorization.k8s.io/aggregate-to-view"].as<std::string>(), "true");
}

// The CRD: namespaced, short name wex, status subresource, and printer
// columns for approvals, state and until.
TEST_F(Manifests, TheWindowExceptionCrdHasItsShortNameStatusAndColumns) {
  const YAML::Node crd = object("CustomResourceDefinition/windowexceptions.windowguard.dev");
  EXPECT_EQ(crd["spec"]["group"].as<std::string>(), "windowguard.dev");
  EXPECT_EQ(crd["spec"]["scope"].as<std::string>(), "Namespaced");
  EXPECT_EQ(strings(crd["spec"]["names"]["shortNames"]), std::vector<std::string>{"wex"});
  const YAML::Node version = crd["spec"]["versions"][0];
  EXPECT_EQ(version["name"].as<std::string>(), "v1");
  EXPECT_TRUE(version["subresources"]["status"].IsMap());
  std::vector<std::string> columns;
  for (const YAML::Node& column : version["additionalPrinterColumns"]) {
    columns.push_back(column["name"].as<std::string>() + "=" + column["jsonPath"].as<std::string>() +
                      (column["priority"] ? " (wide)" : ""));
  }
  // The scope (windows, users, groups) shows with -o wide, where approvers
  // look before they approve.
  EXPECT_EQ(columns, (std::vector<std::string>{"Approvals=.status.approved", "State=.status.state", "Until=.spec.until",
                                               "Requested-By=.spec.requestedBy (wide)", "Windows=.spec.windows (wide)",
                                               "Users=.spec.users (wide)", "Groups=.spec.groups (wide)",
                                               "Reason=.spec.reason (wide)", "Age=.metadata.creationTimestamp"}));
  const YAML::Node spec = version["schema"]["openAPIV3Schema"]["properties"]["spec"];
  EXPECT_EQ(strings(spec["required"]), (std::vector<std::string>{"requestedBy", "reason", "windows", "until"}));
}

// The ImageApproval CRD: namespaced, short name iap, status subresource, and
// printer columns for application, images, approvals, state and age.
TEST_F(Manifests, TheImageApprovalCrdHasItsShortNameStatusAndColumns) {
  const YAML::Node crd = object("CustomResourceDefinition/imageapprovals.windowguard.dev");
  EXPECT_EQ(crd["spec"]["scope"].as<std::string>(), "Namespaced");
  EXPECT_EQ(strings(crd["spec"]["names"]["shortNames"]), std::vector<std::string>{"iap"});
  const YAML::Node version = crd["spec"]["versions"][0];
  EXPECT_TRUE(version["subresources"]["status"].IsMap());
  std::vector<std::string> columns;
  for (const YAML::Node& column : version["additionalPrinterColumns"]) {
    columns.push_back(column["name"].as<std::string>() + "=" + column["jsonPath"].as<std::string>());
  }
  EXPECT_EQ(columns, (std::vector<std::string>{"Application=.spec.application", "Images=.spec.images",
                                               "Approvals=.status.approved", "State=.status.state",
                                               "Promoted-From=.spec.promotedFrom", "Requested-By=.spec.requestedBy",
                                               "Age=.metadata.creationTimestamp"}));
  const YAML::Node spec = version["schema"]["openAPIV3Schema"]["properties"]["spec"];
  EXPECT_EQ(strings(spec["required"]), (std::vector<std::string>{"requestedBy", "application", "images"}));
  EXPECT_EQ(spec["properties"]["images"]["maxItems"].as<int>(), 32);
}

TEST_F(Manifests, WebhookRulesCoverEveryGovernedRequest) {
  const YAML::Node webhook = object("ValidatingWebhookConfiguration/windowguard")["webhooks"][0];
  EXPECT_EQ(strings(webhook["admissionReviewVersions"]), std::vector<std::string>{"v1"});
  EXPECT_EQ(webhook["sideEffects"].as<std::string>(), "None");
  EXPECT_LE(webhook["timeoutSeconds"].as<int>(), 10);
  const std::string failure_policy = webhook["failurePolicy"].as<std::string>();
  EXPECT_TRUE(failure_policy == "Fail" || failure_policy == "Ignore");
  // (group, resource, operation) triples the rules must match: docs/admission.md, "Request -> action".
  std::set<std::string> covered;
  for (const YAML::Node& rule : webhook["rules"]) {
    EXPECT_EQ(strings(rule["apiVersions"]), std::vector<std::string>{"v1"});
    for (const std::string& group : strings(rule["apiGroups"])) {
      for (const std::string& resource : strings(rule["resources"])) {
        for (const std::string& operation : strings(rule["operations"])) {
          covered.insert(group + " " + resource + " " + operation);
        }
      }
    }
  }
  for (const char* workload : {"deployments", "statefulsets", "daemonsets", "replicasets"}) {
    for (const char* operation : {"CREATE", "UPDATE", "DELETE"}) {
      EXPECT_TRUE(covered.count(std::string("apps ") + workload + " " + operation)) << workload << " " << operation;
    }
  }
  for (const char* scalable : {"deployments/scale", "statefulsets/scale", "replicasets/scale"}) {
    EXPECT_TRUE(covered.count(std::string("apps ") + scalable + " UPDATE")) << scalable;
  }
  for (const char* operation : {"CREATE", "UPDATE", "DELETE"}) {
    EXPECT_TRUE(covered.count(std::string(" pods ") + operation)) << operation;
    EXPECT_TRUE(covered.count(std::string("batch cronjobs ") + operation)) << operation;
  }
  EXPECT_TRUE(covered.count(" pods/eviction CREATE"));
  EXPECT_TRUE(covered.count("batch jobs CREATE"));
  EXPECT_TRUE(covered.count("batch jobs DELETE"));
  EXPECT_TRUE(covered.count(" namespaces DELETE"));
  EXPECT_FALSE(covered.count(" pods/ephemeralcontainers UPDATE"));  // kubectl debug is how incidents are looked into

  const YAML::Node excluded = webhook["namespaceSelector"]["matchExpressions"][0];
  EXPECT_EQ(excluded["key"].as<std::string>(), "kubernetes.io/metadata.name");
  EXPECT_EQ(excluded["operator"].as<std::string>(), "NotIn");
  const auto values = strings(excluded["values"]);
  EXPECT_NE(std::find(values.begin(), values.end(), "kube-system"), values.end());
  EXPECT_NE(std::find(values.begin(), values.end(), "windowguard"), values.end());
}

TEST_F(Manifests, MatchConditionsSkipEveryBuiltInTrustedRequester) {
  const std::string expression =
      object("ValidatingWebhookConfiguration/windowguard")["webhooks"][0]["matchConditions"][0]["expression"]
          .as<std::string>();
  for (const std::string& requester : core::Settings::builtin_trusted_requesters()) {
    if (requester.back() == '*') {
      EXPECT_NE(expression.find("startsWith('" + requester.substr(0, requester.size() - 1) + "')"), std::string::npos)
          << requester;
    } else {
      EXPECT_NE(expression.find("'" + requester + "'"), std::string::npos) << requester;
    }
  }
  EXPECT_EQ(expression.find("argocd"), std::string::npos);  // Argo CD stays governed
  EXPECT_EQ(expression.rfind("!(", 0), 0U);
}

// manifests/ holds `windowguard webhook-config`'s output for the example
// policies, so that the cluster skips exactly the requesters they trust.
TEST_F(Manifests, TheWebhookConfigurationIsWhatWebhookConfigRendersForTheExamplePolicies) {
  std::ostringstream rendered;
  std::ostringstream errors;
  const fs::path previous = fs::current_path();
  fs::current_path(kSource);
  const int exit_code =
      cli::run_webhook_config({"--policies", "policies", "--service", "windowguard/windowguard:443"}, rendered, errors);
  fs::current_path(previous);
  ASSERT_EQ(exit_code, 0) << errors.str();
  EXPECT_EQ(errors.str(), "");
  std::ifstream shipped(kSource / "manifests/validatingwebhookconfiguration.yaml");
  const std::string shipped_text((std::istreambuf_iterator<char>(shipped)), std::istreambuf_iterator<char>());
  EXPECT_EQ(shipped_text, rendered.str())
      << "render it again: build/windowguard webhook-config --policies policies --service "
         "windowguard/windowguard:443 > manifests/validatingwebhookconfiguration.yaml";
}

TEST(Kustomization, DeploysTheImageOfThisVersion) {
  const YAML::Node kustomization = YAML::LoadFile((kSource / "manifests/kustomization.yaml").string());
  EXPECT_EQ(kustomization["images"][0]["newTag"].as<std::string>(), WINDOWGUARD_VERSION);
}

TEST_F(Manifests, TheConfigMapHoldsExactlyTheExamplePoliciesAndPassesLint) {
  const YAML::Node data = object("ConfigMap/windowguard-policies")["data"];
  std::vector<policy::PolicySource> sources;
  std::set<std::string> keys;
  for (const auto& entry : data) {
    const std::string key = entry.first.as<std::string>();
    keys.insert(key);
    EXPECT_EQ(entry.second.as<std::string>(), read_text((kSource / "policies" / key).string()))
        << key << " differs from policies/: run scripts/render-policies-configmap.sh";
    sources.push_back({key, entry.second.as<std::string>()});
  }
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(kSource / "policies")) {
    files.insert(entry.path().filename().string());
  }
  EXPECT_EQ(keys, files);
  const auto loaded = policy::load_policy(sources);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().front().to_string());
}

// kubectl's built-in kustomize renders both install paths (kubectl is a
// client only: no cluster is contacted).  Machines without kubectl skip this.
TEST(Kustomize, RendersTheBaseTheCertManagerOverlayAndTheMonitoring) {
  if (std::system("kubectl version --client >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "kubectl is not installed";
  }
  for (const char* directory : {"manifests", "certs/cert-manager", "manifests/monitoring"}) {
    const std::string command = "kubectl kustomize " + (kSource / directory).string() + " >/dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << directory;
  }
}

TEST(CertManagerOverlay, IssuesTheSecretTheDeploymentMountsForTheServiceNames) {
  const std::map<std::string, YAML::Node> objects = load_objects(kSource / "certs/cert-manager");
  const YAML::Node certificate = objects.at("Certificate/windowguard-tls");
  EXPECT_EQ(certificate["spec"]["secretName"].as<std::string>(), "windowguard-tls");
  std::vector<std::string> names;
  for (const YAML::Node& name : certificate["spec"]["dnsNames"]) {
    names.push_back(name.as<std::string>());
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "windowguard.windowguard.svc"), names.end());
  EXPECT_EQ(certificate["spec"]["issuerRef"]["name"].as<std::string>(), "windowguard-ca");
  EXPECT_TRUE(objects.count("Issuer/windowguard-ca"));
  const YAML::Node kustomization = YAML::LoadFile((kSource / "certs/cert-manager/kustomization.yaml").string());
  const std::string patch = kustomization["patches"][0]["patch"].as<std::string>();
  EXPECT_NE(patch.find("cert-manager.io/inject-ca-from: windowguard/windowguard-tls"), std::string::npos);
  EXPECT_EQ(kustomization["resources"][0].as<std::string>(), "../../manifests");
}

class SelfSignedCertificates : public ::testing::Test {
 protected:
  void SetUp() override {
    out_ = fs::temp_directory_path() / ("windowguard-self-signed-" + std::to_string(getpid()));
    fs::remove_all(out_);
    ASSERT_EQ(std::system(((kSource / "certs/self-signed.sh").string() + " " + out_.string() + " 2>/dev/null").c_str()),
              0);
  }
  void TearDown() override { fs::remove_all(out_); }
  fs::path out_;
};

TEST_F(SelfSignedCertificates, MakeTheSecretAndPatchTheCaBundle) {
  for (const char* file : {"ca.crt", "ca.key", "tls.crt", "tls.key", "secret.yaml", "kustomization.yaml"}) {
    EXPECT_TRUE(fs::exists(out_ / file)) << file;
  }
  const YAML::Node secret = YAML::LoadFile((out_ / "secret.yaml").string());
  EXPECT_EQ(secret["metadata"]["name"].as<std::string>(), "windowguard-tls");
  EXPECT_EQ(secret["metadata"]["namespace"].as<std::string>(), "windowguard");
  EXPECT_EQ(secret["type"].as<std::string>(), "kubernetes.io/tls");
  const YAML::Node overlay = YAML::LoadFile((out_ / "kustomization.yaml").string());
  const YAML::Node patch = YAML::Load(overlay["patches"][0]["patch"].as<std::string>());
  EXPECT_EQ(patch[0]["path"].as<std::string>(), "/webhooks/0/clientConfig/caBundle");
  // The caBundle is the CA, base64-encoded, and the Secret holds the serving pair.
  const auto base64 = [](const fs::path& file) {
    const std::string command = "base64 -w0 < " + file.string();
    std::string encoded;
    FILE* pipe = popen(command.c_str(), "r");
    char chunk[4096];
    std::size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, pipe)) > 0) {
      encoded.append(chunk, got);
    }
    pclose(pipe);
    return encoded;
  };
  EXPECT_EQ(patch[0]["value"].as<std::string>(), base64(out_ / "ca.crt"));
  EXPECT_EQ(secret["data"]["tls.crt"].as<std::string>(), base64(out_ / "tls.crt"));
  EXPECT_TRUE(fs::is_directory(out_ / overlay["resources"][0].as<std::string>()));
}

TEST_F(SelfSignedCertificates, AreServedByTheWebhookAndVerifyForTheServiceName) {
  const fs::path policies = out_ / "policies";
  fs::create_directories(policies);
  fs::copy(kSource / "policies", policies);
  ServerProcess server("serve", {"--tls-cert", (out_ / "tls.crt").string(), "--tls-key", (out_ / "tls.key").string(),
                                 "--policies", policies.string()});
  ASSERT_TRUE(server.running());
  ClientOptions api_server{(out_ / "ca.crt").string(), "", "", 0, 0, "windowguard.windowguard.svc"};
  EXPECT_EQ(https_request(server.port(), api_server, http::verb::get, "/healthz").body(), "ok\n");
  ClientOptions wrong_name = api_server;
  wrong_name.host_name = "other.windowguard.svc";
  EXPECT_THROW(https_request(server.port(), wrong_name, http::verb::get, "/healthz"), boost::system::system_error);
}

// The Deployment's own arguments, with its mount paths pointed at test
// directories and its port at a free one, start both containers' programs.
TEST_F(Manifests, TheBinaryAcceptsTheDeploymentsArguments) {
  const fs::path root = fs::temp_directory_path() / ("windowguard-manifest-args-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "etc/windowguard/policies");
  fs::create_directories(root / "etc/windowguard/configmap");
  fs::copy(kSource / "policies", root / "etc/windowguard/configmap");
  ASSERT_TRUE(make_test_certificates(root / "certs"));
  fs::create_directories(root / "etc/windowguard/tls");
  fs::copy_file(root / "certs/server.crt", root / "etc/windowguard/tls/tls.crt");
  fs::copy_file(root / "certs/server.key", root / "etc/windowguard/tls/tls.key");
  const auto rewritten = [&](const std::string& name) {
    std::vector<std::string> args = strings(container(name)["args"]);
    const std::string verb = args.front();
    args.erase(args.begin());
    std::vector<std::string> result;
    for (std::string arg : args) {
      if (arg.rfind("--listen=", 0) == 0) {
        continue;  // ServerProcess listens on 127.0.0.1:0
      }
      result.push_back(replace_all(arg, "/etc/windowguard", (root / "etc/windowguard").string()));
    }
    return std::make_pair(verb, result);
  };
  const auto [sidecar_verb, sidecar_args] = rewritten("policy-sidecar");
  ServerProcess sidecar(sidecar_verb, sidecar_args);
  ASSERT_TRUE(sidecar.running());
  EXPECT_TRUE(sidecar.wait_for_log("policy version published", 10s));
  auto [webhook_verb, webhook_args] = rewritten("webhook");
  // --in-cluster: a service account mount, and an API server address where
  // nothing listens.  The webhook serves, and is not ready until it has
  // listed WindowExceptions.
  ASSERT_NE(std::find(webhook_args.begin(), webhook_args.end(), "--in-cluster"), webhook_args.end());
  fs::create_directories(root / "serviceaccount");
  fs::copy_file(root / "certs/ca.crt", root / "serviceaccount/ca.crt");
  std::ofstream(root / "serviceaccount/token") << "a-token";
  std::ofstream(root / "serviceaccount/namespace") << "windowguard";
  webhook_args.push_back("--service-account-directory=" + (root / "serviceaccount").string());
  ServerProcess webhook(webhook_verb, webhook_args,
                        {"env", "KUBERNETES_SERVICE_HOST=127.0.0.1", "KUBERNETES_SERVICE_PORT=1"});
  ASSERT_TRUE(webhook.running());
  ClientOptions trusting{(root / "certs/ca.crt").string(), "", "", 0, 0, ""};
  EXPECT_EQ(https_request(webhook.port(), trusting, http::verb::get, "/healthz").body(), "ok\n");
  const auto readiness = https_request(webhook.port(), trusting, http::verb::get, "/readyz");
  EXPECT_EQ(readiness.result_int(), 503);
  EXPECT_EQ(readiness.body(), "not ready: WindowExceptions have not been listed yet\n");
  EXPECT_TRUE(webhook.wait_for_log("cannot list", 10s));
  fs::remove_all(root);
}

}  // namespace
}  // namespace windowguard::testing

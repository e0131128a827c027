#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <date/date.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "support/build_paths.hpp"
#include "support/fixtures.hpp"

namespace windowguard::cli {
namespace {

const std::string kTestPolicies = std::string(build_paths::source_dir) + "/tests/admission/policies";
const std::string kExamplePolicies = std::string(build_paths::source_dir) + "/policies";
const std::string kRealCreate = testing::fixtures_dir() + "/apiserver-1.24/001-CREATE-deployments-api.json";
constexpr const char* kSaturday = "2024-05-04T12:00:00Z";
constexpr const char* kWednesday = "2024-05-08T12:00:00Z";

struct CheckRun {
  int code;
  std::string out;
  std::string err;
};

CheckRun check(Arguments arguments, const std::string& standard_input = "") {
  std::istringstream in(standard_input);
  std::ostringstream out;
  std::ostringstream err;
  const int code = run_check(arguments, in, out, err);
  return {code, out.str(), err.str()};
}

class ManifestFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("windowguard-check-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(directory_ / name) << text;
    return (directory_ / name).string();
  }
  std::filesystem::path directory_;
};

std::string deployment_yaml(int replicas, const std::string& image, const std::string& namespace_line) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n" + namespace_line +
         "  labels: {app: web}\nspec:\n  replicas: " + std::to_string(replicas) +
         "\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
         "    spec: {containers: [{name: web, image: \"" +
         image + "\"}]}\n";
}

// The README's CI recipe, run as it is written there: its commands, its
// manifest, and the output it shows.
TEST(Check, TheReadmesRecipePrintsWhatTheReadmeShows) {
  const std::string source = build_paths::source_dir;
  const std::string readme = testing::read_text(source + "/README.md");
  const std::string manifest = source + "/examples/storefront.yaml";
  for (const auto& [at, code] : {std::pair{"2031-06-03T12:00:00Z", kExitDenied}, {"2031-06-10T12:00:00Z", kExitOk}}) {
    const CheckRun run = check({"--policies", kExamplePolicies, "--manifest", manifest, "--at", at});
    EXPECT_EQ(run.code, code) << run.err;
    const std::string shown = "$ windowguard check --policies policies --manifest examples/storefront.yaml --at " +
                              std::string(at) + "\n" + run.out;
    EXPECT_NE(readme.find(shown), std::string::npos) << "README.md does not show:\n" << shown;
  }
}

TEST(Check, DeniesARealReviewDuringABlackoutWithExitOne) {
  const CheckRun run = check({"--policies", kTestPolicies, "--review", kRealCreate, "--at", kSaturday});
  EXPECT_EQ(run.code, kExitDenied) << run.err;
  EXPECT_EQ(run.out,
            "DENIED: deploy of Deployment team-a/api is blocked by blackout window \"weekend-freeze\", active Sat "
            "2024-05-04 00:00 CEST until Mon 2024-05-06 06:00 CEST (Europe/Berlin). Allowed again at Mon 2024-05-06 "
            "06:00 CEST (Mon 2024-05-06 04:00 UTC). No changes at the weekend. Exempt: members of platform-admins; "
            "user oncall@example.com; group sre-oncall.\n");
}

TEST(Check, AllowsOutsideTheWindowWithExitZero) {
  const CheckRun run = check({"--policies", kTestPolicies, "--review", kRealCreate, "--at", kWednesday});
  EXPECT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out, "ALLOWED: deploy of Deployment team-a/api is allowed: no window blocks it.\n");
}

TEST(Check, ReadsTheReviewFromStandardInput) {
  const CheckRun run =
      check({"--policies", kTestPolicies, "--review", "-", "--at", kSaturday}, testing::read_text(kRealCreate));
  EXPECT_EQ(run.code, kExitDenied) << run.err;
}

TEST(Check, UserAndGroupsReplaceTheReviewsRequester) {
  const CheckRun run = check({"--policies", kTestPolicies, "--review", kRealCreate, "--at", kSaturday, "--user",
                              "carol", "--group", "developers", "--group", "sre-oncall"});
  EXPECT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out,
            "ALLOWED: deploy of Deployment team-a/api is allowed: the requester is exempt from blackout window "
            "\"weekend-freeze\".\nWarning: windowguard: deploy allowed only because you are exempt from blackout "
            "window \"weekend-freeze\"\n");
}

TEST(Check, JsonOutputHasTheDocumentedShape) {
  const CheckRun run =
      check({"--policies", kTestPolicies, "--review", kRealCreate, "--at", kSaturday, "--output", "json"});
  EXPECT_EQ(run.code, kExitDenied) << run.err;
  rapidjson::Document document;
  document.Parse(run.out.c_str());
  ASSERT_FALSE(document.HasParseError()) << run.out;
  EXPECT_FALSE(document["allowed"].GetBool());
  EXPECT_STREQ(document["action"].GetString(), "deploy");
  EXPECT_STREQ(document["operation"].GetString(), "CREATE");
  EXPECT_STREQ(document["kind"].GetString(), "Deployment");
  EXPECT_STREQ(document["name"].GetString(), "api");
  EXPECT_STREQ(document["environment"].GetString(), "team-a");
  EXPECT_STREQ(document["application"].GetString(), "api");
  EXPECT_FALSE(document["dryRun"].GetBool());
  EXPECT_STREQ(document["reason"].GetString(), "created");
  EXPECT_NE(std::string(document["message"].GetString()).find("is blocked by blackout window"), std::string::npos);
  ASSERT_EQ(document["windows"].Size(), 1U);
  const auto& window = document["windows"][0];
  EXPECT_STREQ(window["name"].GetString(), "weekend-freeze");
  EXPECT_STREQ(window["type"].GetString(), "blackout");
  EXPECT_TRUE(window["active"].GetBool());
  EXPECT_FALSE(window["exempt"].GetBool());
  EXPECT_STREQ(window["start"].GetString(), "2024-05-04T00:00:00+02:00");
  EXPECT_STREQ(window["end"].GetString(), "2024-05-06T06:00:00+02:00");
  EXPECT_STREQ(document["blockedUntil"].GetString(), "2024-05-06T04:00:00Z");
  EXPECT_TRUE(document["warnings"].IsArray());
}

TEST(Check, JsonForANotGovernedRequestHasANullActionAndNoBlock) {
  const CheckRun run = check({"--policies", kTestPolicies, "--review",
                              testing::fixtures_dir() + "/apiserver-1.24/008-UPDATE-deployments-scale-web.json", "--at",
                              kSaturday, "--output", "json"});
  EXPECT_EQ(run.code, kExitOk) << run.err;
  rapidjson::Document document;
  document.Parse(run.out.c_str());
  ASSERT_FALSE(document.HasParseError());
  EXPECT_TRUE(document["allowed"].GetBool());
  EXPECT_TRUE(document["action"].IsNull());
  EXPECT_TRUE(document["blockedUntil"].IsNull());
  EXPECT_EQ(document["windows"].Size(), 0U);
}

TEST_F(ManifestFiles, AManifestIsCheckedAsItsCreate) {
  const std::string manifest = write("web.yaml", deployment_yaml(2, "nginx:1.25", "  namespace: prod-eu-1\n"));
  const CheckRun denied = check({"--policies", kTestPolicies, "--manifest", manifest, "--at", kSaturday});
  EXPECT_EQ(denied.code, kExitDenied) << denied.err;
  EXPECT_EQ(denied.out.rfind("DENIED: deploy of Deployment prod-eu-1/web is blocked by blackout window", 0), 0U)
      << denied.out;
  const CheckRun allowed = check({"--policies", kTestPolicies, "--manifest", manifest, "--at", kWednesday});
  EXPECT_EQ(allowed.code, kExitOk) << allowed.err;
}

// The doors beside the workloads, as `kubectl apply` would send them; a
// policy's settings.workloads kind too.
TEST_F(ManifestFiles, PodsJobsCronJobsAndConfiguredKindsAreCheckedToo) {
  const std::string doors =
      write("doors.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: sneaky, namespace: prod-eu-1, labels: {app: api}}\n"
            "spec:\n  containers: [{name: app, image: nginx:latest}]\n---\n"
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: prod-eu-1}\n"
            "spec:\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      restartPolicy: Never\n"
            "      containers: [{name: app, image: nginx:1.25}]\n---\n"
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly, namespace: prod-eu-1, labels: {app: api}}\n"
            "spec:\n  schedule: \"0 2 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
            "          restartPolicy: Never\n          containers: [{name: app, image: nginx:1.25}]\n---\n"
            "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: shop, namespace: prod-eu-1}\n"
            "spec:\n  template:\n    spec:\n      containers: [{name: app, image: nginx:1.25}]\n");
  const CheckRun denied = check({"--policies", kTestPolicies, "--manifest", doors, "--at", kSaturday});
  EXPECT_EQ(denied.code, kExitDenied) << denied.err;
  for (const char* line : {"DENIED: deploy of Pod prod-eu-1/sneaky is blocked",
                           "DENIED: deploy of Job prod-eu-1/migrate", "DENIED: deploy of CronJob prod-eu-1/nightly"}) {
    EXPECT_NE(denied.out.find(line), std::string::npos) << denied.out;
  }
  EXPECT_NE(denied.err.find("not governed, so not decided: argoproj.io/v1alpha1 Rollout shop"), std::string::npos)
      << denied.err;
  std::filesystem::create_directories(directory_ / "policies");
  write("policies/policy.yaml",
        "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nsettings:\n  workloads:\n    - {group: argoproj.io, "
        "version: v1alpha1, resource: rollouts, kind: Rollout,"
        " template: spec.template}\nwindows:\n  - name: freeze\n    type: blackout\n    durations:\n"
        "      - once: {from: \"2024-05-04 00:00\", to: \"2024-05-05 00:00\"}\n"
        "bindings:\n  - windows: [freeze]\n    environments: [prod-eu-1]\n");
  const CheckRun configured =
      check({"--policies", (directory_ / "policies").string(), "--manifest", doors, "--at", kSaturday});
  EXPECT_NE(configured.out.find("DENIED: deploy of Rollout prod-eu-1/shop is blocked"), std::string::npos)
      << configured.out << configured.err;
}

TEST_F(ManifestFiles, AnOldManifestMakesAnUpdate) {
  const std::string ns = "  namespace: prod-eu-1\n";
  const std::string before = write("before.yaml", deployment_yaml(2, "nginx:1.25", ns));
  const std::string image = write("image.yaml", deployment_yaml(2, "nginx:1.26", ns));
  const std::string zero = write("zero.yaml", deployment_yaml(0, "nginx:1.25", ns));
  const std::string more = write("more.yaml", deployment_yaml(5, "nginx:1.25", ns));
  const auto first_line = [](const std::string& text) { return text.substr(0, text.find('\n')); };
  const CheckRun deploy =
      check({"--policies", kTestPolicies, "--manifest", image, "--old-manifest", before, "--at", kSaturday});
  EXPECT_EQ(deploy.code, kExitDenied);
  EXPECT_EQ(first_line(deploy.out).substr(0, 48), "DENIED: deploy of Deployment prod-eu-1/web is bl");
  const CheckRun hibernate =
      check({"--policies", kTestPolicies, "--manifest", zero, "--old-manifest", before, "--at", kSaturday});
  EXPECT_EQ(first_line(hibernate.out).substr(0, 51), "DENIED: hibernate of Deployment prod-eu-1/web is bl");
  const CheckRun scale =
      check({"--policies", kTestPolicies, "--manifest", more, "--old-manifest", before, "--at", kSaturday});
  EXPECT_EQ(scale.code, kExitOk);
  EXPECT_EQ(scale.out,
            "ALLOWED: UPDATE of Deployment prod-eu-1/web is not governed: neither spec.template nor a scale to or from "
            "zero changed.\n");
}

TEST_F(ManifestFiles, DeleteAndNamespaceOptions) {
  const std::string manifest = write("web.json", R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":1}})");
  const CheckRun deleted = check({"--policies", kTestPolicies, "--manifest", manifest, "--operation", "DELETE",
                                  "--namespace", "prod-eu-1", "--at", kSaturday});
  EXPECT_EQ(deleted.code, kExitDenied);
  EXPECT_EQ(deleted.out.rfind("DENIED: delete of Deployment prod-eu-1/web is blocked", 0), 0U) << deleted.out;
  // Without a namespace anywhere, the object cannot be placed: an input error
  // naming it, not a silent decision for "default".
  const CheckRun nowhere = check({"--policies", kTestPolicies, "--manifest", manifest, "--at", kSaturday});
  EXPECT_EQ(nowhere.code, kExitUsage);
  EXPECT_EQ(nowhere.err,
            "windowguard check: Deployment web names no namespace (metadata.namespace); pass --namespace NAME, the "
            "namespace it will be applied to\n");
  EXPECT_EQ(nowhere.out, "");
  // As `kubectl apply -n`: an object's own namespace must agree with --namespace.
  const std::string placed = write("placed.yaml", deployment_yaml(1, "nginx", "  namespace: prod-eu-1\n"));
  const CheckRun disagreeing =
      check({"--policies", kTestPolicies, "--manifest", placed, "--namespace", "batch", "--at", kSaturday});
  EXPECT_EQ(disagreeing.code, kExitUsage);
  EXPECT_EQ(disagreeing.err, "windowguard check: Deployment web is in namespace prod-eu-1, not --namespace batch\n");
  const CheckRun agreeing =
      check({"--policies", kTestPolicies, "--manifest", placed, "--namespace", "prod-eu-1", "--at", kSaturday});
  EXPECT_EQ(agreeing.code, kExitDenied) << agreeing.err;
}

// What `kubectl kustomize` and `helm template` print: several documents, some
// of kinds windowguard does not govern, and List objects (`kubectl get -o
// yaml`).  Each governed object is decided, one line each, in order.
TEST_F(ManifestFiles, AStreamOfDocumentsAndListsIsDecidedObjectByObject) {
  const std::string stream =
      "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: prod-eu-1}\n---\n" +
      deployment_yaml(2, "nginx:1.25", "  namespace: prod-eu-1\n") +
      "---\n# an empty document\n---\n"
      "apiVersion: v1\nkind: List\nitems:\n"
      "  - {apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db, namespace: batch, labels: {app: db}},\n"
      "     spec: {template: {spec: {containers: []}}}}\n"
      "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: settings}}\n";
  const std::string file = write("stream.yaml", stream);
  const CheckRun saturday = check({"--policies", kTestPolicies, "--manifest", file, "--at", kSaturday});
  EXPECT_EQ(saturday.code, kExitDenied) << saturday.err;
  const std::vector<std::string> lines = [&] {
    std::vector<std::string> split;
    std::istringstream text(saturday.out);
    for (std::string line; std::getline(text, line);) {
      split.push_back(line);
    }
    return split;
  }();
  ASSERT_EQ(lines.size(), 2U) << saturday.out;
  EXPECT_EQ(lines[0].rfind("DENIED: deploy of Deployment prod-eu-1/web is blocked by blackout window", 0), 0U);
  EXPECT_EQ(lines[1].rfind(
                "DENIED: deploy of StatefulSet batch/db is blocked outside maintenance window \"nightly-batch\"", 0),
            0U)
      << lines[1];
  EXPECT_EQ(saturday.err, "windowguard check: not governed, so not decided: v1 Service web, v1 ConfigMap settings\n");

  // From standard input too, as JSON Lines: one object per governed object.
  const CheckRun json = check(
      {"--policies", kTestPolicies, "--manifest", "-", "--at", "2024-05-08T03:00:00Z", "--output", "json"}, stream);
  EXPECT_EQ(json.code, kExitOk) << json.err;
  std::istringstream entries(json.out);
  std::vector<std::pair<std::string, bool>> decided;
  for (std::string line; std::getline(entries, line);) {
    rapidjson::Document entry;
    entry.Parse(line.c_str());
    ASSERT_FALSE(entry.HasParseError()) << line;
    decided.emplace_back(std::string(entry["kind"].GetString()) + " " + entry["environment"].GetString() + "/" +
                             entry["name"].GetString(),
                         entry["allowed"].GetBool());
  }
  // Wednesday 05:00 Berlin: no weekend freeze; 23:00 the evening before in
  // New York, inside the batch namespace's maintenance window.
  const std::vector<std::pair<std::string, bool>> expected{{"Deployment prod-eu-1/web", true},
                                                           {"StatefulSet batch/db", true}};
  EXPECT_EQ(decided, expected);

  // Allowed when every governed object is.
  const CheckRun wednesday = check({"--policies", kTestPolicies, "--manifest", file, "--at", "2024-05-08T03:00:00Z"});
  EXPECT_EQ(wednesday.code, kExitOk) << wednesday.out;
}

TEST_F(ManifestFiles, ExamplePoliciesInsideAndOutsideTheirWindows) {
  // The README's CI recipe, against policies/: storefront in prod-us during the
  // product launch (2031-06-03/04 in +05:45), then a week later.
  const std::string manifest = write("storefront.yaml",
                                     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                                     "  name: storefront\n  namespace: prod-us\n"
                                     "  labels: {app.kubernetes.io/name: storefront}\n"
                                     "spec:\n  template: {spec: {containers: []}}\n");
  const CheckRun launch =
      check({"--policies", kExamplePolicies, "--manifest", manifest, "--at", "2031-06-03T12:00:00Z"});
  EXPECT_EQ(launch.code, kExitDenied);
  EXPECT_EQ(launch.out.rfind("DENIED: deploy of Deployment prod-us/storefront is blocked by blackout window "
                             "\"product-launch\", active Tue 2031-06-03 00:00 +05:45 until Thu 2031-06-05 00:00 +05:45 "
                             "(+05:45).",
                             0),
            0U)
      << launch.out;
  const CheckRun tuesday =
      check({"--policies", kExamplePolicies, "--manifest", manifest, "--at", "2031-06-10T12:00:00Z"});
  EXPECT_EQ(tuesday.code, kExitOk) << tuesday.out;
  const CheckRun weekend =
      check({"--policies", kExamplePolicies, "--manifest", manifest, "--at", "2026-12-05T20:00:00Z"});
  EXPECT_EQ(weekend.code, kExitDenied);
  EXPECT_NE(weekend.out.find("blackout window \"weekend-freeze\""), std::string::npos) << weekend.out;
}

TEST_F(ManifestFiles, UsageAndInputErrorsExitTwo) {
  const std::string manifest = write("web.yaml", deployment_yaml(1, "nginx", ""));
  const std::string config_map = write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
  const std::string two = write("two.yaml", deployment_yaml(1, "a", "") + "---\n" + deployment_yaml(1, "b", ""));
  const std::string empty = write("empty.yaml", "---\n# nothing\n");
  const std::string kindless = write("kindless.yaml", deployment_yaml(1, "a", "") + "---\napiVersion: v1\n");
  const std::string broken = write("broken.yaml", "apiVersion: [apps/v1\n");
  const std::string not_review = write("review.json", R"({"apiVersion":"v1","kind":"Pod"})");
  struct Row {
    Arguments arguments;
    std::string error;
  };
  const std::vector<Row> rows{
      {{"--review", kRealCreate}, "windowguard check: --policies DIR is required\n"},
      {{"--policies", kTestPolicies}, "windowguard check: give exactly one of --review FILE and --manifest FILE\n"},
      {{"--policies", kTestPolicies, "--review", kRealCreate, "--manifest", manifest},
       "windowguard check: give exactly one of --review FILE and --manifest FILE\n"},
      {{"--policies", kTestPolicies, "--review", kRealCreate, "--old-manifest", manifest},
       "windowguard check: --old-manifest goes with --manifest\n"},
      {{"--policies", kTestPolicies, "--manifest", manifest, "--operation", "UPDATE"},
       "windowguard check: --operation UPDATE needs --old-manifest (the object before the change)\n"},
      {{"--policies", kTestPolicies, "--manifest", manifest, "--operation", "PATCH"},
       "windowguard check: --operation must be CREATE, UPDATE or DELETE\n"},
      {{"--policies", kTestPolicies, "--manifest", config_map},
       "windowguard check: --manifest is a v1 ConfigMap; windowguard governs apps/v1 Deployment, apps/v1 "
       "StatefulSet, apps/v1 DaemonSet, apps/v1 ReplicaSet, v1 Pod, batch/v1 Job, batch/v1 CronJob, v1 Namespace "
       "(for a scale subresource request, pass the AdmissionReview with --review)\n"},
      {{"--policies", kTestPolicies, "--manifest", two, "--old-manifest", manifest},
       "windowguard check: --old-manifest and --manifest must each hold one object: an UPDATE changes one object\n"},
      {{"--policies", kTestPolicies, "--manifest", empty},
       "windowguard check: --manifest holds no Kubernetes object\n"},
      {{"--policies", kTestPolicies, "--manifest", kindless}, "windowguard check: --manifest object 2 has no kind\n"},
      {{"--policies", kTestPolicies, "--manifest", two},
       "windowguard check: Deployment web names no namespace (metadata.namespace); pass --namespace NAME, the "
       "namespace it will be applied to\n"},
      {{"--policies", kTestPolicies, "--manifest", broken},
       "windowguard check: --manifest is not valid YAML or JSON: line 2, column 1: end of sequence flow not found\n"},
      {{"--policies", kTestPolicies, "--review", not_review},
       "windowguard check: not a valid AdmissionReview: apiVersion must be \"admission.k8s.io/v1\", not \"v1\"\n"},
      {{"--policies", kTestPolicies, "--review", "/nonexistent/review.json"},
       "windowguard check: cannot read --review /nonexistent/review.json\n"},
      {{"--policies", kTestPolicies, "--review", kRealCreate, "--at", "noon"},
       "windowguard check: --at must be an RFC 3339 instant such as 2024-06-21T18:00:00Z\n"},
      {{"--policies", kTestPolicies, "--review", kRealCreate, "--output", "yaml"},
       "windowguard check: --output must be text or json\n"},
  };
  for (const Row& row : rows) {
    const CheckRun run = check(row.arguments);
    EXPECT_EQ(run.code, kExitUsage) << row.error;
    EXPECT_EQ(run.err, row.error);
    EXPECT_EQ(run.out, "");
  }
}

// --objects: the cluster as `kubectl get wex,ns -A -o yaml` prints it, so
// that a CI run decides as the webhook with cluster access would.
TEST_F(ManifestFiles, ObjectsBringTheClustersExceptionsAndNamespaceLabels) {
  std::filesystem::create_directories(directory_ / "policies");
  write("policies/policy.yaml", R"(apiVersion: windowguard.dev/v1
kind: WindowPolicy
windows:
  - name: change-freeze
    type: blackout
    timeZone: UTC
    durations:
      - once: {from: "2026-12-01 00:00", to: "2027-01-01 00:00"}
    exceptions:
      approvals: 1
      approvers: {groups: [sre-leads]}
      maxDuration: 2h
bindings:
  - windows: [change-freeze]
    environments: [shop]
  - windows: [change-freeze]
    namespaceSelector: {matchLabels: {tier: prod}}
)");
  const std::string objects = write("objects.yaml", R"(apiVersion: v1
kind: List
items:
  - apiVersion: windowguard.dev/v1
    kind: WindowException
    metadata: {name: inc-1, namespace: shop, creationTimestamp: "2026-12-02T09:00:00Z"}
    spec:
      windows: [change-freeze]
      requestedBy: alice
      reason: "INC-1: the checkout hotfix"
      until: "2026-12-02T11:00:00Z"
    status:
      approvals:
        - {user: lena, at: "2026-12-02T09:05:00Z", groups: [sre-leads]}
  - apiVersion: v1
    kind: Namespace
    metadata: {name: payments, labels: {tier: prod}}
  - apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: shop}
)");
  const std::string policies = (directory_ / "policies").string();
  const auto deploy_as_alice = [&](const std::string& ns, const std::string& at, bool with_objects) {
    Arguments arguments{"--policies",  policies, "--manifest", write("web.yaml", deployment_yaml(1, "web:2", "")),
                        "--namespace", ns,       "--user",     "alice",
                        "--at",        at};
    if (with_objects) {
      arguments.insert(arguments.end(), {"--objects", objects});
    }
    return check(arguments);
  };

  const CheckRun lifted = deploy_as_alice("shop", "2026-12-02T10:00:00Z", true);
  EXPECT_EQ(lifted.code, kExitOk) << lifted.out << lifted.err;
  EXPECT_NE(lifted.out.find("exception \"shop/inc-1\""), std::string::npos) << lifted.out;
  EXPECT_NE(
      lifted.err.find("--objects: neither WindowException, ImageApproval nor Namespace, so ignored: v1 Service web"),
      std::string::npos)
      << lifted.err;
  EXPECT_EQ(deploy_as_alice("shop", "2026-12-02T10:00:00Z", false).code, kExitDenied) << "without the exception";
  EXPECT_EQ(deploy_as_alice("shop", "2026-12-02T11:00:00Z", true).code, kExitDenied) << "at its until";
  EXPECT_EQ(deploy_as_alice("payments", "2026-12-02T10:00:00Z", true).code, kExitDenied) << "by namespace label";
  EXPECT_EQ(deploy_as_alice("payments", "2026-12-02T10:00:00Z", false).code, kExitOk) << "no labels without objects";

  // A cluster without exceptions: `kubectl get wex -A -o yaml` prints an empty List.
  const CheckRun none = check({"--policies", policies, "--manifest", write("web.yaml", deployment_yaml(1, "web:2", "")),
                               "--namespace", "shop", "--at", "2026-12-02T10:00:00Z", "--objects",
                               write("none.yaml", "apiVersion: v1\nkind: List\nitems: []\n")});
  EXPECT_EQ(none.code, kExitDenied) << none.out << none.err;
  EXPECT_EQ(none.err, "");

  const CheckRun unreadable =
      check({"--policies", policies, "--manifest", write("web.yaml", deployment_yaml(1, "web:2", "")), "--namespace",
             "shop", "--objects",
             write("bad.yaml",
                   "apiVersion: windowguard.dev/v1\nkind: WindowException\n"
                   "metadata: {name: broken, namespace: shop}\nspec: {}\n")});
  EXPECT_EQ(unreadable.code, kExitUsage);
  EXPECT_NE(unreadable.err.find("--objects object 1 (WindowException broken): "), std::string::npos) << unreadable.err;
  EXPECT_EQ(unreadable.out, "");
}

// --objects with ImageApprovals: CI asks "would this deploy pass?" offline,
// with the approvals the cluster holds.
TEST_F(ManifestFiles, ObjectsBringTheClustersImageApprovals) {
  std::filesystem::create_directories(directory_ / "policies");
  write("policies/policy.yaml", R"(apiVersion: windowguard.dev/v1
kind: WindowPolicy
approvals:
  - name: shop-release
    environments: [shop]
    required: 1
    approvers: {superAdmins: false, users: [lena]}
)");
  const auto approval = [](const std::string& image) {
    return "apiVersion: windowguard.dev/v1\nkind: ImageApproval\nmetadata: {name: web-2, namespace: shop}\n"
           "spec: {requestedBy: alice, application: web, images: [\"" +
           image + "\"]}\nstatus: {approvals: [{user: lena, at: \"2026-12-02T09:05:00Z\"}]}\n";
  };
  const std::string policies = (directory_ / "policies").string();
  const auto deploy = [&](const std::vector<std::string>& more) {
    Arguments arguments{"--policies",  policies,
                        "--manifest",  write("web.yaml", deployment_yaml(1, "web:2", "")),
                        "--namespace", "shop",
                        "--user",      "alice",
                        "--at",        "2026-12-02T10:00:00Z"};
    arguments.insert(arguments.end(), more.begin(), more.end());
    return check(arguments);
  };
  const CheckRun approved = deploy({"--objects", write("iap.yaml", approval("docker.io/library/web:2"))});
  EXPECT_EQ(approved.code, kExitOk) << approved.out << approved.err;
  const CheckRun other = deploy({"--objects", write("iap.yaml", approval("web:3"))});
  EXPECT_EQ(other.code, kExitDenied) << other.out;
  EXPECT_NE(other.out.find("Image web:2 needs an approval under approvals rule \"shop-release\": no ImageApproval of "
                           "web in shop names it. Request one with: windowguard image request web-2 -n shop "
                           "--application web --image web:2."),
            std::string::npos)
      << other.out;
  const CheckRun without = deploy({});
  EXPECT_EQ(without.code, kExitDenied);
  EXPECT_NE(without.out.find("cannot read ImageApprovals"), std::string::npos) << without.out;
  const CheckRun unreadable = deploy({"--objects", write("iap.yaml", approval("Web:2"))});
  EXPECT_EQ(unreadable.code, kExitUsage);
  EXPECT_NE(unreadable.err.find("--objects object 1 (ImageApproval web-2): spec.images[0]: image \"Web:2\" is not a "
                                "valid reference: repository name must be lowercase"),
            std::string::npos)
      << unreadable.err;
}

TEST(Check, ABrokenPolicyIsAnInputError) {
  const CheckRun run = check({"--policies", "/nonexistent/policies", "--review", kRealCreate});
  EXPECT_EQ(run.code, kExitUsage);
  EXPECT_EQ(run.err, "/nonexistent/policies: is not a readable directory of policy files\n");
}

// check --wait, against the real clock: a policy made at the start of the
// test blocks every deploy from the start of the current minute for as long
// as the test asks, so that the block lifts that many seconds from now.
class CheckWait : public ManifestFiles {
 protected:
  // A policy directory with one blackout that ends `seconds` from now.
  std::string blackout_ending_in(int seconds) {
    const auto now = date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto minute = date::floor<std::chrono::minutes>(now);
    const date::hh_mm_ss<std::chrono::minutes> clock{minute - date::floor<date::days>(minute)};
    const auto duration = (now - minute).count() + seconds;
    std::filesystem::create_directories(directory_ / "policies");
    write("policies/p.yaml",
          "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n  - name: brief\n"
          "    type: blackout\n    durations:\n      - cron: {schedule: \"" +
              std::to_string(clock.minutes().count()) + " " + std::to_string(clock.hours().count()) +
              " * * *\", duration: " + std::to_string(duration) +
              "s}\nbindings:\n  - windows: [brief]\n"
              "    environments: [\"*\"]\n");
    return (directory_ / "policies").string();
  }
  std::string manifest() { return write("web.yaml", deployment_yaml(1, "nginx:1.25", "  namespace: prod\n")); }
};

TEST_F(CheckWait, AllowsOnceABlockThatLiftsWithinSecondsHasLifted) {
  const std::string policies = blackout_ending_in(5);
  const CheckRun run = check({"--policies", policies, "--manifest", manifest(), "--user", "dev", "--wait"});
  EXPECT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out, "ALLOWED: deploy of Deployment prod/web is allowed: no window blocks it.\n");
  EXPECT_NE(run.err.find("windowguard check: denied by blackout window \"brief\"; waiting until "), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find(", when the block lifts; giving up at "), std::string::npos) << run.err;
}

TEST_F(CheckWait, IsStillDeniedAtTheTimeoutOfABlockThatOutlastsIt) {
  const std::string policies = blackout_ending_in(600);
  const CheckRun run =
      check({"--policies", policies, "--manifest", manifest(), "--user", "dev", "--wait", "--timeout", "2s"});
  EXPECT_EQ(run.code, kExitDenied) << run.err;
  EXPECT_EQ(run.out.rfind("DENIED: deploy of Deployment prod/web is blocked by blackout window \"brief\"", 0), 0U)
      << run.out;
  // It slept (at most a minute at a time, never past the timeout) instead of
  // deciding again and again: one line per sleep.
  const auto waits = std::count(run.err.begin(), run.err.end(), '\n');
  EXPECT_GE(waits, 1);
  EXPECT_LE(waits, 2) << run.err;
}

// An image policy's refusal does not lift with time: --wait says so and
// gives up at once, even while a window blocks too.
TEST_F(CheckWait, GivesUpAtOnceOnADenialTimeCannotLift) {
  const std::string policies = blackout_ending_in(600);
  write("policies/images.yaml",
        "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nimagePolicies:\n  - name: no-latest\n"
        "    environments: [\"*\"]\n    fail: [{tag: latest}]\n");
  const std::string latest = write("latest.yaml", deployment_yaml(1, "nginx:latest", "  namespace: prod\n"));
  const CheckRun run = check({"--policies", policies, "--manifest", latest, "--user", "dev", "--wait"});
  EXPECT_EQ(run.code, kExitDenied) << run.err;
  EXPECT_NE(run.out.find("no-latest"), std::string::npos) << run.out;
  // No "waiting until" line: it decided once.
  EXPECT_EQ(run.err,
            "windowguard check: not waiting: its images are denied (an image policy, or an approval missing), and "
            "waiting changes neither\n");
}

TEST_F(CheckWait, StopsWaitingOnSigterm) {
  const std::string policies = blackout_ending_in(600);
  std::thread terminator([] {
    // Held back here too, so that the signal waits for the check's sigtimedwait.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds{500});
    kill(getpid(), SIGTERM);
  });
  const CheckRun run = check({"--policies", policies, "--manifest", manifest(), "--user", "dev", "--wait"});
  terminator.join();
  EXPECT_EQ(run.code, kExitDenied) << run.err;
  EXPECT_NE(run.err.find("windowguard check: stopped while waiting; still denied"), std::string::npos) << run.err;
}

TEST_F(CheckWait, TakesNoAtAndATimeoutOnlyWithWait) {
  const std::string policies = blackout_ending_in(600);
  EXPECT_EQ(check({"--policies", policies, "--manifest", manifest(), "--wait", "--at", kSaturday}).err,
            "windowguard check: --wait decides at the clock's time, so it takes no --at\n");
  EXPECT_EQ(check({"--policies", policies, "--manifest", manifest(), "--timeout", "5m"}).err,
            "windowguard check: --timeout goes with --wait\n");
  EXPECT_EQ(check({"--policies", policies, "--manifest", manifest(), "--wait", "--timeout", "soon"}).code, kExitUsage);
}

}  // namespace
}  // namespace windowguard::cli

// Break-glass against a real API server: a developer requests a
// WindowException, other people approve it with kubectl, and the webhook
// honours it within seconds, through its watch.
#include <gtest/gtest.h>

#include <date/date.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cluster/cluster_helpers.hpp"
#include "support/build_paths.hpp"
#include "support/tls_client.hpp"

namespace windowguard::testing {
namespace {

const Identity kLeadLena = Identity::user_with_certificate("lena", {"sre-leads"});  // an eligible approver
// Allowed by RBAC to write status, but not named by the policy's approvers.
const Identity kMallory = Identity::user_with_certificate("mallory");

std::string rfc3339(std::chrono::system_clock::time_point at) {
  return date::format("%FT%TZ", date::floor<std::chrono::seconds>(at));
}

std::string exception_request(const std::string& name, const std::string& ns, const std::string& requested_by,
                              std::chrono::system_clock::time_point until, const std::string& more_spec = "",
                              const std::string& window = "change-freeze") {
  return "apiVersion: windowguard.dev/v1\nkind: WindowException\nmetadata: {name: " + name + ", namespace: " + ns +
         "}\nspec:\n  requestedBy: " + requested_by +
         "\n  reason: \"INC-4711: card payments failing; hotfix 2.3.1\"\n  windows: [" + window + "]\n  until: \"" +
         rfc3339(until) + "\"\n" + more_spec;
}

// The approver's own approval, added (a merge patch replaces the list: the
// tests' objects have at most one).
std::string approval_patch(const std::string& user, const std::string& groups) {
  return R"({"status":{"approvals":[{"user":")" + user + R"(","at":")" + rfc3339(std::chrono::system_clock::now()) +
         R"(","groups":[)" + groups + "]}]}}";
}

CommandResult patch_status(const Identity& who, const std::string& name, const std::string& ns,
                           const std::string& patch) {
  return ClusterEnvironment::shared().cluster().kubectl(
      who, {"patch", "windowexception", name, "-n", ns, "--subresource=status", "--type=merge", "-p", patch});
}

// "APPROVALS STATE" as `kubectl get wex` prints them, once they read
// `expected` (bounded): windowguard writes them within a few seconds.
std::string columns_within(const std::string& name, const std::string& ns, const std::string& expected,
                           std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::string columns;
  do {
    const CommandResult shown = ClusterEnvironment::shared().cluster().kubectl(
        {"get", "wex", name, "-n", ns, "--no-headers", "-o", "custom-columns=A:.status.approved,S:.status.state"});
    std::istringstream words(shown.out);
    std::string approved;
    std::string state;
    words >> approved;
    std::getline(words >> std::ws, state);
    columns = approved + " " + state;
    if (columns == expected) {
      break;
    }
    std::this_thread::sleep_for(250ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return columns;
}

// The developer files a request that ends at `until`, and lena approves it.
void file_and_approve(const std::string& name, const std::string& ns, std::chrono::system_clock::time_point until) {
  ControlPlane& cluster = ClusterEnvironment::shared().cluster();
  const CommandResult filed =
      cluster.kubectl(kDeveloper, {"create", "-f", "-"}, exception_request(name, ns, "dev", until));
  ASSERT_EQ(filed.exit_code, 0) << output_of(filed);
  const CommandResult approved = patch_status(kLeadLena, name, ns, approval_patch("lena", R"("sre-leads")"));
  ASSERT_EQ(approved.exit_code, 0) << output_of(approved);
}

const char* const kDenied = "admission webhook \"windows.windowguard.dev\" denied the request";
const char* const kRefused = "admission webhook \"exceptions.windowguard.dev\" denied the request";

TEST_F(Cluster, AnApprovedExceptionLetsTheDeveloperDeployUntilItIsWithdrawn) {
  make_namespace("frozen-incident");
  const std::string web = deployment("web", "frozen-incident", 1);
  const CommandResult frozen = cluster().kubectl(kDeveloper, {"apply", "-f", "-"}, web);
  EXPECT_NE(frozen.err.find(kDenied), std::string::npos) << output_of(frozen);

  const auto until = std::chrono::system_clock::now() + 1h;
  const CommandResult requested = cluster().kubectl(kDeveloper, {"create", "-f", "-"},
                                                    exception_request("inc-4711", "frozen-incident", "dev", until));
  ASSERT_EQ(requested.exit_code, 0) << output_of(requested);
  EXPECT_EQ(columns_within("inc-4711", "frozen-incident", "0/1 pending", 10s), "0/1 pending");
  const CommandResult still_frozen = cluster().kubectl(kDeveloper, {"apply", "-f", "-"}, web);
  EXPECT_NE(still_frozen.err.find(kDenied), std::string::npos) << "a pending request lifts nothing";

  // The developer may not approve (RBAC lets nobody but approvers write
  // status: the developer is refused there already).
  const CommandResult own = patch_status(kDeveloper, "inc-4711", "frozen-incident", approval_patch("dev", ""));
  EXPECT_NE(own.exit_code, 0);
  EXPECT_NE(own.err.find("forbidden"), std::string::npos) << output_of(own);
  // A person with the approver role whom the policy does not name is refused by windowguard.
  const CommandResult not_eligible =
      patch_status(kMallory, "inc-4711", "frozen-incident", approval_patch("mallory", ""));
  EXPECT_NE(not_eligible.err.find(kRefused), std::string::npos) << output_of(not_eligible);
  EXPECT_NE(not_eligible.err.find("you (\"mallory\") may not approve exceptions to window \"change-freeze\""),
            std::string::npos)
      << output_of(not_eligible);
  // An approval in someone else's name is refused.
  const CommandResult forged = patch_status(kMallory, "inc-4711", "frozen-incident", approval_patch("lena", ""));
  EXPECT_NE(forged.err.find("only your own approval may be added"), std::string::npos) << output_of(forged);

  const CommandResult approved =
      patch_status(kLeadLena, "inc-4711", "frozen-incident", approval_patch("lena", R"("sre-leads")"));
  ASSERT_EQ(approved.exit_code, 0) << output_of(approved);
  const CommandResult allowed = deploy_until_allowed(web, 10s);
  ASSERT_EQ(allowed.exit_code, 0) << output_of(allowed);
  // kubectl's columns, kept by windowguard.
  EXPECT_EQ(columns_within("inc-4711", "frozen-incident", "1/1 in force", 10s), "1/1 in force");
  EXPECT_NE(allowed.err.find("Warning: windowguard: deploy allowed only because exception "
                             "\"frozen-incident/inc-4711\" until"),
            std::string::npos)
      << output_of(allowed);
  EXPECT_NE(allowed.err.find("(reason: INC-4711: card payments failing; hotfix 2.3.1; approved by lena)"),
            std::string::npos)
      << output_of(allowed);

  // The spec cannot change once approved (nor before), not even for a
  // cluster admin (requesters have no update at all).
  const CommandResult longer =
      cluster().kubectl(kAdmin, {"patch", "windowexception", "inc-4711", "-n", "frozen-incident", "--type=merge", "-p",
                                 R"({"spec":{"until":")" + rfc3339(until + 1h) + R"("}})"});
  EXPECT_NE(longer.exit_code, 0);
  EXPECT_NE(longer.err.find("the spec of an exception cannot change"), std::string::npos) << output_of(longer);

  const CommandResult withdrawn =
      patch_status(kLeadLena, "inc-4711", "frozen-incident", R"({"status":{"approvals":[]}})");
  ASSERT_EQ(withdrawn.exit_code, 0) << output_of(withdrawn);
  const CommandResult denied_again = deploy_until_denied(deployment("web", "frozen-incident", 1, "nginx:1.26"), 10s);
  EXPECT_NE(denied_again.err.find(kDenied), std::string::npos) << output_of(denied_again);
}

TEST_F(Cluster, AForgedRequesterIsRefused) {
  make_namespace("frozen-forgery");
  const CommandResult forged =
      cluster().kubectl(kDeveloper, {"create", "-f", "-"},
                        exception_request("inc-1", "frozen-forgery", "olivia", std::chrono::system_clock::now() + 1h));
  EXPECT_NE(forged.exit_code, 0);
  EXPECT_NE(forged.err.find(kRefused), std::string::npos) << output_of(forged);
  EXPECT_NE(forged.err.find("spec.requestedBy \"olivia\" must be you (\"dev\")"), std::string::npos)
      << output_of(forged);
  const CommandResult too_long =
      cluster().kubectl(kDeveloper, {"create", "-f", "-"},
                        exception_request("inc-2", "frozen-forgery", "dev", std::chrono::system_clock::now() + 3h));
  EXPECT_NE(too_long.err.find("longer than window \"change-freeze\" allows (maxDuration 2h)"), std::string::npos)
      << output_of(too_long);
}

// The reproduction: an approver's patch that also wrote "2/2 in force" was
// accepted, and kubectl showed it until windowguard rewrote it.
TEST_F(Cluster, AnApproverCannotWriteTheSummaryWindowguardKeeps) {
  make_namespace("frozen-summary");
  const CommandResult filed =
      cluster().kubectl(kDeveloper, {"create", "-f", "-"},
                        exception_request("inc-9", "frozen-summary", "dev", std::chrono::system_clock::now() + 1h));
  ASSERT_EQ(filed.exit_code, 0) << output_of(filed);
  EXPECT_EQ(columns_within("inc-9", "frozen-summary", "0/1 pending", 10s), "0/1 pending");
  std::string spoofed = approval_patch("lena", R"("sre-leads")");
  spoofed.replace(spoofed.rfind("}}"), 2, R"(,"approved":"2/2","state":"in force"}})");
  const CommandResult refused = patch_status(kLeadLena, "inc-9", "frozen-summary", spoofed);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find(kRefused), std::string::npos) << output_of(refused);
  EXPECT_NE(refused.err.find("status.approved and status.state are windowguard's to write"), std::string::npos)
      << output_of(refused);
  EXPECT_EQ(columns_within("inc-9", "frozen-summary", "0/1 pending", 1s), "0/1 pending");
  const CommandResult approved =
      patch_status(kLeadLena, "inc-9", "frozen-summary", approval_patch("lena", R"("sre-leads")"));
  ASSERT_EQ(approved.exit_code, 0) << output_of(approved);
  EXPECT_EQ(columns_within("inc-9", "frozen-summary", "1/1 in force", 10s), "1/1 in force");
}

// The reproduction: a developer with `edit` deleted someone else's approved
// request.  Now only its requester, an approver of it or a super admin may,
// and a namespace that holds requests is still deleted whole.
TEST_F(Cluster, ARequestBelongsToItsPeople) {
  make_namespace("frozen-owned");
  file_and_approve("alice-fix", "frozen-owned", std::chrono::system_clock::now() + 1h);
  const CommandResult colleague =
      cluster().kubectl(kOnCall, {"delete", "windowexception", "alice-fix", "-n", "frozen-owned"});
  EXPECT_NE(colleague.exit_code, 0);
  EXPECT_NE(colleague.err.find(kRefused), std::string::npos) << output_of(colleague);
  EXPECT_NE(colleague.err.find("only its requester (\"dev\"), an approver of it or a super admin may cancel this "
                               "exception; you are \"olivia\""),
            std::string::npos)
      << output_of(colleague);
  const CommandResult approver =
      cluster().kubectl(kLeadLena, {"delete", "windowexception", "alice-fix", "-n", "frozen-owned"});
  EXPECT_EQ(approver.exit_code, 0) << output_of(approver);
  file_and_approve("left-behind", "frozen-owned", std::chrono::system_clock::now() + 1h);
  const CommandResult deleted = cluster().kubectl({"delete", "namespace", "frozen-owned", "--timeout=60s"});
  EXPECT_EQ(deleted.exit_code, 0) << output_of(deleted);
  EXPECT_NE(cluster().kubectl({"get", "namespace", "frozen-owned"}).exit_code, 0);
}

TEST_F(Cluster, OnlyAWindowsRequestersMayAskToLiftIt) {
  make_namespace("incident-requests");
  const auto until = std::chrono::system_clock::now() + 1h;
  const CommandResult developer =
      cluster().kubectl(kDeveloper, {"create", "-f", "-"},
                        exception_request("by-dev", "incident-requests", "dev", until, "", "incident-freeze"));
  EXPECT_NE(developer.exit_code, 0);
  EXPECT_NE(developer.err.find(std::string(kRefused) + ": you (\"dev\") may not request exceptions to window "
                                                       "\"incident-freeze\"; its requesters are members of sre-oncall"),
            std::string::npos)
      << output_of(developer);
  const CommandResult on_call =
      cluster().kubectl(kOnCall, {"create", "-f", "-"},
                        exception_request("by-olivia", "incident-requests", "olivia", until, "", "incident-freeze"));
  EXPECT_EQ(on_call.exit_code, 0) << output_of(on_call);
}

TEST_F(Cluster, ABroadRequestIsAcceptedWithAWarningAndItsScopeShowsWhereApproversLook) {
  make_namespace("frozen-broad");
  const CommandResult filed =
      cluster().kubectl(kDeveloper, {"create", "-f", "-"},
                        exception_request("everyone", "frozen-broad", "dev", std::chrono::system_clock::now() + 1h,
                                          "  groups: [system:authenticated]\n"));
  EXPECT_EQ(filed.exit_code, 0) << output_of(filed);
  EXPECT_NE(filed.err.find("Warning: this request covers many people: group \"system:authenticated\" (every "
                           "signed-in user)"),
            std::string::npos)
      << output_of(filed);
  const CommandResult wide = cluster().kubectl({"get", "wex", "everyone", "-n", "frozen-broad", "-o", "wide"});
  ASSERT_EQ(wide.exit_code, 0) << output_of(wide);
  std::istringstream lines(wide.out);
  std::string header;
  std::string row;
  std::getline(lines, header);
  std::getline(lines, row);
  for (const char* column : {"WINDOWS", "USERS", "GROUPS"}) {
    EXPECT_NE(header.find(column), std::string::npos) << wide.out;
  }
  EXPECT_NE(row.find("change-freeze"), std::string::npos) << wide.out;
  EXPECT_NE(row.find("system:authenticated"), std::string::npos) << wide.out;
  const CommandResult approved = windowguard_as(kLeadLena, {"approve", "exception", "everyone", "-n", "frozen-broad"});
  ASSERT_EQ(approved.exit_code, 0) << output_of(approved);
  EXPECT_NE(approved.out.find("  groups:       system:authenticated\n"), std::string::npos) << output_of(approved);
  EXPECT_NE(approved.out.find("  broad:        group \"system:authenticated\" (every signed-in user)"),
            std::string::npos)
      << output_of(approved);
}

TEST_F(Cluster, AnExceptionStopsCountingAtItsUntil) {
  make_namespace("frozen-brief");
  const auto until = std::chrono::system_clock::now() + 20s;
  ASSERT_NO_FATAL_FAILURE(file_and_approve("brief", "frozen-brief", until));
  const CommandResult allowed = deploy_until_allowed(deployment("api", "frozen-brief", 1), 10s);
  ASSERT_EQ(allowed.exit_code, 0) << output_of(allowed);
  std::this_thread::sleep_until(until + 1s);
  EXPECT_EQ(columns_within("brief", "frozen-brief", "1/1 expired", 10s), "1/1 expired");
  const CommandResult after =
      cluster().kubectl(kDeveloper, {"apply", "-f", "-"}, deployment("api", "frozen-brief", 1, "nginx:1.26"));
  EXPECT_NE(after.err.find(kDenied), std::string::npos)
      << "the object is still there, but its until has passed: " << output_of(after);
}

// A review of the developer creating Deployment `name` in `ns`, as the API
// server would send it: for asking the webhook directly while the API server
// is down.
std::string deployment_review(const std::string& name, const std::string& ns) {
  return R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"outage",)"
         R"("kind":{"group":"apps","version":"v1","kind":"Deployment"},)"
         R"("resource":{"group":"apps","version":"v1","resource":"deployments"},"name":")" +
         name + R"(","namespace":")" + ns + R"(","operation":"CREATE","userInfo":{"username":"dev","groups":[]},)" +
         R"("object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":")" + name + R"(","namespace":")" +
         ns + R"(","labels":{"app":")" + name + R"("}},"spec":{"replicas":1,"template":{"metadata":{"labels":)" +
         R"({"app":")" + name + R"("}},"spec":{"containers":[{"name":"app","image":"nginx:1.25"}]}}}}}})";
}

bool webhook_allows(const std::string& review) {
  const ClientOptions api_server = as_the_api_server();
  const HttpResponse response =
      https_request(ClusterEnvironment::shared().webhook().port(), api_server, http::verb::post, "/validate", review);
  return response.body().find(R"("allowed":true)") != std::string::npos;
}

TEST_F(Cluster, TheWatchSurvivesAnApiServerOutageAndExceptionsEndOnTimeMeanwhile) {
  make_namespace("frozen-outage");
  const auto until = std::chrono::system_clock::now() + 40s;
  ASSERT_NO_FATAL_FAILURE(file_and_approve("outage", "frozen-outage", until));
  ASSERT_EQ(deploy_until_allowed(deployment("api", "frozen-outage", 1), 10s).exit_code, 0);

  cluster().stop_api_server();
  // The last view stays, and says how old it is; the clock still ends the
  // exception at its until.
  const std::string review = deployment_review("probe", "frozen-outage");
  EXPECT_TRUE(webhook_allows(review)) << "the view from before the outage";
  std::this_thread::sleep_until(until + 1s);
  EXPECT_FALSE(webhook_allows(review)) << "past its until, with the API server down";
  const std::string metrics = webhook_metrics();
  EXPECT_EQ(metrics.find("windowguard_cluster_view_age_seconds{resource=\"windowexceptions\"} 0\n"), std::string::npos)
      << "the view's age grows while the watch is down";

  cluster().start_api_server();
  // The watch comes back on its own: a request approved now is honoured.
  ASSERT_NO_FATAL_FAILURE(file_and_approve("after-outage", "frozen-outage", std::chrono::system_clock::now() + 1h));
  const CommandResult allowed = deploy_until_allowed(deployment("api", "frozen-outage", 1, "nginx:1.26"), 30s);
  EXPECT_EQ(allowed.exit_code, 0) << output_of(allowed);
}

// Without the CRD there are no WindowExceptions: the webhook says so in a
// metric, stays ready and decides as before; once the CRD is back it reads
// the objects again on its own.
TEST_F(Cluster, WithoutTheCrdThereAreNoExceptionsAndDecisionsGoOn) {
  make_namespace("frozen-no-crd");
  const std::string missing = "windowguard_cluster_resource_missing{resource=\"windowexceptions\"} ";
  ASSERT_NE(webhook_metrics().find(missing + "0\n"), std::string::npos);
  const CommandResult deleted =
      cluster().kubectl({"delete", "crd", "windowexceptions.windowguard.dev", "--timeout=60s"});
  ASSERT_EQ(deleted.exit_code, 0) << output_of(deleted);
  const std::string without = metrics_within(missing + "1\n", 30s);
  EXPECT_NE(without.find(missing + "1\n"), std::string::npos) << without;
  EXPECT_NE(without.find("windowguard_exceptions{source=\"cluster\",state=\"in force\"} 0\n"), std::string::npos);
  EXPECT_EQ(https_request(webhook().port(), as_the_api_server(), http::verb::get, "/readyz").body(), "ready\n");
  const CommandResult denied = deploy_until_denied(deployment("api", "frozen-no-crd", 1), 10s);
  EXPECT_NE(denied.err.find(kDenied), std::string::npos) << output_of(denied);

  const std::filesystem::path crd =
      std::filesystem::path(build_paths::source_dir) / "manifests" / "crds" / "windowexceptions.yaml";
  ASSERT_EQ(cluster().kubectl({"apply", "-f", crd.string()}).exit_code, 0);
  ASSERT_EQ(
      cluster()
          .kubectl({"wait", "--for=condition=Established", "--timeout=30s", "crd/windowexceptions.windowguard.dev"})
          .exit_code,
      0);
  const std::string back = metrics_within(missing + "0\n", 30s);
  EXPECT_NE(back.find(missing + "0\n"), std::string::npos) << back;
  ASSERT_NO_FATAL_FAILURE(file_and_approve("after-crd", "frozen-no-crd", std::chrono::system_clock::now() + 1h));
  const CommandResult allowed = deploy_until_allowed(deployment("api", "frozen-no-crd", 1), 30s);
  EXPECT_EQ(allowed.exit_code, 0) << output_of(allowed);
}

// A binding by namespace label follows the label: the watch of Namespaces
// brings it within seconds.
TEST_F(Cluster, ABindingByNamespaceLabelFollowsTheLabel) {
  make_namespace("labelled-later");
  // A new Deployment, as a server-side dry run: always governed, never kept.
  const auto create_is_denied = [](std::chrono::seconds within, bool denied) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    CommandResult result;
    do {
      result = ClusterEnvironment::shared().cluster().kubectl(
          kDeveloper, {"create", "deployment", "probe", "--image=nginx", "-n", "labelled-later", "--dry-run=server"});
      if ((result.exit_code != 0) == denied) {
        break;
      }
      std::this_thread::sleep_for(250ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return result;
  };
  const CommandResult unbound = create_is_denied(0s, false);
  EXPECT_EQ(unbound.exit_code, 0) << "no window applies yet: " << output_of(unbound);
  ASSERT_EQ(cluster().kubectl({"label", "namespace", "labelled-later", "windowguard.dev/frozen=true"}).exit_code, 0);
  const CommandResult denied = create_is_denied(10s, true);
  EXPECT_NE(denied.err.find("blocked by blackout window \"change-freeze\""), std::string::npos) << output_of(denied);
  ASSERT_EQ(cluster().kubectl({"label", "namespace", "labelled-later", "windowguard.dev/frozen-"}).exit_code, 0);
  const CommandResult allowed = create_is_denied(10s, false);
  EXPECT_EQ(allowed.exit_code, 0) << output_of(allowed);
}

// The developer asks, through the CLI, for change-freeze to be lifted in `ns`
// for half an hour.
CommandResult request_freeze_lift(const std::string& name, const std::string& ns, const std::string& reason) {
  return windowguard_as(kDeveloper, {"exception", "request", name, "-n", ns, "--windows", "change-freeze", "--for",
                                     "30m", "--reason", reason});
}

TEST_F(Cluster, TheCommandLineRequestsApprovesWithdrawsAndCancels) {
  make_namespace("frozen-cli");
  const CommandResult requested = request_freeze_lift("cli-fix", "frozen-cli", "INC-9: a hotfix through the CLI");
  ASSERT_EQ(requested.exit_code, 0) << output_of(requested);
  EXPECT_NE(requested.out.find("windowexception.windowguard.dev/cli-fix created"), std::string::npos)
      << output_of(requested);
  EXPECT_NE(requested.out.find("windowguard approve exception cli-fix -n frozen-cli"), std::string::npos);

  // windowguard writes who may approve beside the state.
  ASSERT_EQ(columns_within("cli-fix", "frozen-cli", "0/1 pending", 10s), "0/1 pending");
  const CommandResult own = windowguard_as(kDeveloper, {"approve", "exception", "cli-fix", "-n", "frozen-cli"});
  EXPECT_EQ(own.exit_code, 1) << "the requester may not write approvals: " << output_of(own);
  EXPECT_NE(own.err.find("windowguard: you (dev) may not approve in this cluster: RBAC does not let you write "
                         "windowexceptions/status (the windowguard-approver role grants it).\nWho may approve "
                         "frozen-cli/cli-fix: mallory-approver, members of sre-leads."),
            std::string::npos)
      << output_of(own);
  const CommandResult approved = windowguard_as(kLeadLena, {"approve", "exception", "cli-fix", "-n", "frozen-cli"});
  ASSERT_EQ(approved.exit_code, 0) << output_of(approved);
  EXPECT_NE(approved.out.find("Approved frozen-cli/cli-fix as lena.\n  windows:      change-freeze\n  users:        "
                              "dev\n  groups:       -\n  applications: all\n  actions:      "
                              "deploy,restart,delete,hibernate,unhibernate\n"),
            std::string::npos)
      << output_of(approved);
  const CommandResult again = windowguard_as(kLeadLena, {"approve", "exception", "cli-fix", "-n", "frozen-cli"});
  EXPECT_NE(again.out.find("have approved frozen-cli/cli-fix already"), std::string::npos) << output_of(again);
  ASSERT_EQ(deploy_until_allowed(deployment("web", "frozen-cli", 1), 10s).exit_code, 0);
  EXPECT_EQ(columns_within("cli-fix", "frozen-cli", "1/1 in force", 10s), "1/1 in force");

  const CommandResult listed = windowguard_as(kAdmin, {"requests", "-n", "frozen-cli", "--output", "json"});
  ASSERT_EQ(listed.exit_code, 0) << output_of(listed);
  EXPECT_NE(listed.out.find(R"("name":"cli-fix","requestedBy":"dev")"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(R"("approved":"1/1","state":"in force","approvers":["lena"],)"
                            R"("eligibleApprovers":"mallory-approver, members of sre-leads")"),
            std::string::npos)
      << listed.out;
  EXPECT_NE(listed.out.find(R"("windows":["change-freeze"],"users":["dev"],"groups":[],"applications":[],)"
                            R"("actions":["deploy","restart","delete","hibernate","unhibernate"],"broad":[])"),
            std::string::npos)
      << listed.out;
  const CommandResult wide = windowguard_as(kAdmin, {"requests", "-n", "frozen-cli", "-o", "wide"});
  ASSERT_EQ(wide.exit_code, 0) << output_of(wide);
  EXPECT_NE(wide.out.find("WINDOWS"), std::string::npos) << wide.out;
  EXPECT_NE(wide.out.find("change-freeze"), std::string::npos) << wide.out;

  const CommandResult withdrawn = windowguard_as(kLeadLena, {"withdraw", "exception", "cli-fix", "-n", "frozen-cli"});
  ASSERT_EQ(withdrawn.exit_code, 0) << output_of(withdrawn);
  const CommandResult denied = deploy_until_denied(deployment("web", "frozen-cli", 1, "nginx:1.26"), 10s);
  EXPECT_NE(denied.err.find(kDenied), std::string::npos) << output_of(denied);

  // Installed as kubectl-windowguard, it is a kubectl plugin.
  const std::filesystem::path plugins = cluster().directory() / "plugins";
  std::filesystem::create_directories(plugins);
  std::filesystem::create_symlink(build_paths::windowguard_binary, plugins / "kubectl-windowguard");
  const CommandResult plugin = run_command(
      {"env", "PATH=" + plugins.string() + ":" + std::getenv("PATH"),
       "KUBECONFIG=" + cluster().kubeconfig(kAdmin).string(), "kubectl", "windowguard", "requests", "-n", "frozen-cli"},
      "", 60s);
  ASSERT_EQ(plugin.exit_code, 0) << output_of(plugin);
  EXPECT_NE(plugin.out.find("cli-fix"), std::string::npos) << plugin.out;
  const CommandResult plugin_help = run_command(
      {"env", "PATH=" + plugins.string() + ":" + std::getenv("PATH"), "kubectl", "windowguard", "--help"}, "", 60s);
  EXPECT_NE(plugin_help.out.find("usage: kubectl windowguard <verb> [options]"), std::string::npos)
      << output_of(plugin_help);

  const CommandResult cancelled = windowguard_as(kDeveloper, {"cancel", "exception", "cli-fix", "-n", "frozen-cli"});
  ASSERT_EQ(cancelled.exit_code, 0) << output_of(cancelled);
  EXPECT_NE(cancelled.out.find("deleted"), std::string::npos) << output_of(cancelled);
}

// Two approvers at once: another approval lands between lena's read and her
// patch (a kubectl wrapper makes it so), and her CLI reads again rather than
// lose it or fail.
TEST_F(Cluster, TwoApproversAtOnceKeepBothApprovals) {
  make_namespace("frozen-race");
  const CommandResult requested = request_freeze_lift("race-fix", "frozen-race", "INC-10: two approvers at once");
  ASSERT_EQ(requested.exit_code, 0) << output_of(requested);

  const Identity rival = Identity::user_with_certificate("mallory-approver");
  const std::filesystem::path wrapper = cluster().directory() / "kubectl-with-a-rival";
  {
    std::ofstream script(wrapper);
    script << "#!/bin/sh\nif [ \"$1\" = patch ] && [ ! -e \"$0.done\" ]; then\n  : > \"$0.done\"\n"
           << "  env -u WINDOWGUARD_KUBECTL KUBECONFIG=" << cluster().kubeconfig(rival).string() << ' '
           << build_paths::windowguard_binary << " approve exception race-fix -n frozen-race >&2 || exit 3\nfi\n"
           << "echo \"$1\" >> \"$0.calls\"\nexec kubectl \"$@\"\n";
  }
  std::filesystem::permissions(wrapper, std::filesystem::perms::owner_all);
  const CommandResult approved = windowguard_as(kLeadLena, {"approve", "exception", "race-fix", "-n", "frozen-race"},
                                                {"WINDOWGUARD_KUBECTL=" + wrapper.string()});
  ASSERT_EQ(approved.exit_code, 0) << output_of(approved);
  EXPECT_NE(approved.out.find("Approved frozen-race/race-fix as lena."), std::string::npos) << output_of(approved);
  const CommandResult approvers =
      cluster().kubectl({"get", "wex", "race-fix", "-n", "frozen-race", "-o", "jsonpath={.status.approvals[*].user}"});
  EXPECT_EQ(approvers.out, "mallory-approver lena") << output_of(approvers);
  std::ifstream calls(wrapper.string() + ".calls");
  const std::string called((std::istreambuf_iterator<char>(calls)), std::istreambuf_iterator<char>());
  // At least one retry: windowguard's own status writes may add more.
  EXPECT_TRUE(called.starts_with("auth\nget\npatch\nget\npatch\n"))
      << "lena's first patch met a conflict and was tried again:\n"
      << called;
}

}  // namespace
}  // namespace windowguard::testing

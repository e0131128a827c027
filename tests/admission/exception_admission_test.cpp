// Writes to WindowException objects as the API server sends them: whole
// AdmissionReviews through evaluate_request, the webhook's one path.
#include "admission/exception_admission.hpp"

#include <gtest/gtest.h>

#include "admission/admission_decision.hpp"
#include "objects/codec.hpp"
#include "policy/policy_loader.hpp"
#include "support/object_write_review.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::admission {
namespace {

using testing::utc;

const core::Instant kNow = utc("2026-12-05T18:00:00Z");

std::shared_ptr<const core::Policy> freeze_policy() {
  auto loaded = policy::load_policy({{"p.yaml", R"yaml(apiVersion: windowguard.dev/v1
kind: WindowPolicy
windows:
  - name: weekend-freeze
    type: blackout
    durations:
      - weekly: {days: [Sat, Sun], from: "00:00", to: "23:59"}
    exceptions:
      approvals: 1
      approvers: {groups: [sre-leads]}
bindings:
  - windows: [weekend-freeze]
    environments: [payments-prod]
)yaml"}});
  return loaded.value().policy;
}

constexpr const char* kSpec =
    R"({"requestedBy":"alice","reason":"INC-4711: card payments failing","windows":["weekend-freeze"],)"
    R"("until":"2026-12-05T20:00:00Z"})";

std::string object(const std::string& spec, const std::string& approvals) {
  return R"({"apiVersion":"windowguard.dev/v1","kind":"WindowException","metadata":{"name":"inc-4711",)"
         R"("namespace":"payments-prod","creationTimestamp":"2026-12-05T17:59:00Z"},"spec":)" +
         spec + R"(,"status":{"approvals":[)" + approvals + "]}}";
}

std::string review(const char* operation, const char* sub_resource, const std::string& user, const std::string& groups,
                   const std::string& new_object, const std::string& old_object) {
  return testing::object_write_review({"WindowException", "windowexceptions", "inc-4711", "payments-prod"}, operation,
                                      sub_resource, user, groups, new_object, old_object);
}

AdmissionDecision decide(const std::string& body) {
  static const std::shared_ptr<const core::Policy> policy = freeze_policy();
  auto decoded = decode_review(body);
  EXPECT_TRUE(decoded.ok()) << decoded.error().message;
  return evaluate_request(*policy, decoded.value().request(), kNow);
}

TEST(ExceptionAdmission, TheRequesterFilesAnExceptionAndAnSreLeadApprovesIt) {
  const std::string filed = object(kSpec, "");
  const AdmissionDecision created = decide(review("CREATE", "", "alice", R"("developers")", filed, ""));
  EXPECT_TRUE(created.allowed) << created.message;
  EXPECT_EQ(created.message, "request of WindowException payments-prod/inc-4711 is allowed");
  EXPECT_EQ(action_label(created), "request");
  EXPECT_TRUE(created.warnings.empty()) << created.warnings.front();
  const std::string approved = object(kSpec, R"({"user":"bob","at":"2026-12-05T18:01:00Z","groups":["sre-leads"]})");
  const AdmissionDecision approval =
      decide(review("UPDATE", "status", "bob", R"("sre-leads","system:authenticated")", approved, filed));
  EXPECT_TRUE(approval.allowed) << approval.message;
  EXPECT_EQ(approval.message, "approve of WindowException payments-prod/inc-4711 is allowed");
  EXPECT_EQ(action_label(approval), "approve");
  const AdmissionDecision withdrawal = decide(review("UPDATE", "status", "bob", R"("sre-leads")", filed, approved));
  EXPECT_TRUE(withdrawal.allowed) << withdrawal.message;
  EXPECT_EQ(action_label(withdrawal), "withdraw");
  const AdmissionDecision labelled = decide(review("UPDATE", "", "alice", "", filed, filed));
  EXPECT_EQ(action_label(labelled), "update");
  const AdmissionDecision cancelled = decide(review("DELETE", "", "alice", "", "", filed));
  EXPECT_TRUE(cancelled.allowed) << cancelled.message;
  EXPECT_EQ(action_label(cancelled), "cancel");
}

TEST(ExceptionAdmission, ABroadRequestIsAcceptedWithAWarningThatSaysWhomItCovers) {
  const std::string everyone =
      R"({"requestedBy":"alice","reason":"INC-4711: card payments failing","windows":["weekend-freeze"],)"
      R"("groups":["system:authenticated","payments-team"],"until":"2026-12-05T20:00:00Z"})";
  const AdmissionDecision created = decide(review("CREATE", "", "alice", "", object(everyone, ""), ""));
  EXPECT_TRUE(created.allowed) << created.message;
  ASSERT_EQ(created.warnings.size(), 1U);
  EXPECT_EQ(created.warnings[0],
            "this request covers many people: group \"system:authenticated\" (every signed-in user); once approved it "
            "lifts its windows for all of them. Approvers see its scope in `kubectl get wex -o wide` and `windowguard "
            "requests -o wide`");
}

TEST(ExceptionAdmission, AForgedRequesterASelfApprovalAndAChangedSpecAreRefused) {
  const std::string filed = object(kSpec, "");
  const AdmissionDecision forged = decide(review("CREATE", "", "mallory", "", filed, ""));
  EXPECT_FALSE(forged.allowed);
  EXPECT_EQ(forged.message,
            "spec.requestedBy \"alice\" must be you (\"mallory\"): an exception is requested by the person who "
            "creates it");
  const std::string self = object(kSpec, R"({"user":"alice","at":"2026-12-05T18:01:00Z","groups":["sre-leads"]})");
  const AdmissionDecision self_approval = decide(review("UPDATE", "status", "alice", R"("sre-leads")", self, filed));
  EXPECT_FALSE(self_approval.allowed);
  EXPECT_EQ(self_approval.message,
            "you requested this exception: window \"weekend-freeze\" needs the approval of someone else");
  const std::string longer =
      object(R"({"requestedBy":"alice","reason":"INC-4711: card payments failing","windows":["weekend-freeze"],)"
             R"("until":"2026-12-05T21:00:00Z"})",
             "");
  const AdmissionDecision changed = decide(review("UPDATE", "", "alice", "", longer, filed));
  EXPECT_FALSE(changed.allowed);
  EXPECT_EQ(changed.message, "the spec of an exception cannot change: cancel it and request a new one");
}

// The reproduction: an approver's patch that adds their approval and also
// writes the summary windowguard keeps ("2/2", "in force").
TEST(ExceptionAdmission, AnApproversStatusWriteChangesNothingButTheirApproval) {
  const std::string filed = object(kSpec, "");
  const std::string bob = R"({"user":"bob","at":"2026-12-05T18:01:00Z","groups":["sre-leads"]})";
  std::string spoofed = object(kSpec, bob);
  spoofed.replace(spoofed.rfind("]}}"), 3, R"(],"approved":"2/2","state":"in force"}})");
  const AdmissionDecision refused =
      decide(review("UPDATE", "status", "bob", R"("sre-leads","system:authenticated")", spoofed, filed));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.message,
            "status.approved and status.state are windowguard's to write: your status update may add or remove your "
            "own approval and change nothing else");
  // The same summary, unchanged beside the approval, is not a change.
  std::string summarised = object(kSpec, "");
  summarised.replace(summarised.rfind("]}}"), 3, R"(],"approved":"0/1","state":"pending"}})");
  std::string approved = object(kSpec, bob);
  approved.replace(approved.rfind("]}}"), 3, R"(],"approved":"0/1","state":"pending"}})");
  EXPECT_TRUE(decide(review("UPDATE", "status", "bob", R"("sre-leads")", approved, summarised)).allowed);
}

TEST(ExceptionAdmission, AMalformedObjectIsRefusedNamingTheField) {
  const AdmissionDecision no_until = decide(review(
      "CREATE", "", "alice", "",
      object(R"({"requestedBy":"alice","reason":"INC-4711: card payments failing","windows":["weekend-freeze"]})", ""),
      ""));
  EXPECT_FALSE(no_until.allowed);
  EXPECT_EQ(no_until.message, "spec.until is required");
  const AdmissionDecision bad_action = decide(
      review("CREATE", "", "alice", "",
             object(R"({"requestedBy":"alice","reason":"INC-4711: card payments failing","windows":["weekend-freeze"],)"
                    R"("actions":["redeploy"],"until":"2026-12-05T20:00:00Z"})",
                    ""),
             ""));
  EXPECT_EQ(bad_action.message,
            "spec.actions names an unknown action \"redeploy\"; expected deploy, restart, delete, hibernate or "
            "unhibernate");
}

// A request belongs to its people: its requester, an approver of it, a
// super admin, and the controllers that empty a deleted namespace may cancel
// it; a colleague with the same RBAC may not.
TEST(ExceptionAdmission, OnlyItsPeopleMayCancelARequest) {
  const std::string filed = object(kSpec, "");
  EXPECT_TRUE(decide(review("DELETE", "", "alice", "", "", filed)).allowed);
  EXPECT_TRUE(decide(review("DELETE", "", "bob", R"("sre-leads")", "", filed)).allowed);
  EXPECT_TRUE(decide(review("DELETE", "", "root", R"("system:masters")", "", filed)).allowed);
  EXPECT_TRUE(
      decide(review("DELETE", "", "system:serviceaccount:kube-system:namespace-controller", "", "", filed)).allowed);
  const AdmissionDecision refused = decide(review("DELETE", "", "mallory", R"("developers")", "", filed));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.message,
            "only its requester (\"alice\"), an approver of it or a super admin may cancel this exception; you are "
            "\"mallory\"");
}

}  // namespace
}  // namespace windowguard::admission

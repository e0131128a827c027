// windowguard's own objects, read and written: what the API server sends
// (AdmissionReviews, lists, watch events), what the CLI files, the status
// windowguard keeps and where the API server serves them.
#include "objects/codec.hpp"

#include <gtest/gtest.h>

#include "support/time_helpers.hpp"

namespace windowguard::objects {
namespace {

using testing::utc;

const core::Instant kNow = utc("2026-12-05T18:00:00Z");

TEST(WindowExceptionJson, DefaultsFromToCreationAndUsersToTheRequester) {
  rapidjson::Document document;
  std::string text =
      R"({"apiVersion":"windowguard.dev/v1","kind":"WindowException","metadata":{"name":"inc-4711",)"
      R"("namespace":"payments-prod","creationTimestamp":"2026-12-05T17:59:00Z"},"spec":)"
      R"({"requestedBy":"alice","reason":"INC-4711: card payments failing","windows":["weekend-freeze"],)"
      R"("until":"2026-12-05T20:00:00Z"},"status":{"approvals":[{"user":"bob","at":"2026-12-05T18:01:00+01:00"}]}})";
  document.Parse(text.c_str());
  const auto exception = decode_window_exception(document, kNow);
  ASSERT_TRUE(exception.ok()) << exception.error().message;
  EXPECT_EQ(exception->namespace_name, "payments-prod");
  EXPECT_EQ(exception->name, "inc-4711");
  EXPECT_EQ(exception->scope.from, utc("2026-12-05T17:59:00Z"));
  EXPECT_EQ(exception->scope.until, utc("2026-12-05T20:00:00Z"));
  EXPECT_EQ(exception->scope.users, std::vector<std::string>{"alice"});
  EXPECT_TRUE(exception->scope.actions.contains(core::Action::Hibernate));
  ASSERT_EQ(exception->approvals.size(), 1U);
  EXPECT_EQ(exception->approvals[0].at, utc("2026-12-05T17:01:00Z"));
}

TEST(ImageApprovalJson, ReadsEveryFieldAndRefusesWhatIsNotAnImageApproval) {
  rapidjson::Document object;
  object.Parse(R"({"apiVersion": "windowguard.dev/v1", "kind": "ImageApproval",
    "metadata": {"name": "checkout-2-3-1", "namespace": "payments-prod"},
    "spec": {"requestedBy": "alice", "application": "checkout", "images": ["registry.example.com/payments/checkout:2.3.1"],
             "builtBy": "carol", "promotedFrom": "payments-staging", "approvers": ["bob"]},
    "status": {"approvals": [{"user": "bob", "at": "2026-12-05T18:03:11Z", "groups": ["release-managers"]}]}})");
  const Result<core::ImageApproval> read = decode_image_approval(object);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->namespace_name, "payments-prod");
  EXPECT_EQ(read->name, "checkout-2-3-1");
  EXPECT_EQ(read->requested_by, "alice");
  EXPECT_EQ(read->application, "checkout");
  ASSERT_EQ(read->images.size(), 1U);
  EXPECT_EQ(read->images[0].normalized(), "registry.example.com/payments/checkout:2.3.1");
  EXPECT_EQ(read->built_by, "carol");
  EXPECT_EQ(read->promoted_from, "payments-staging");
  EXPECT_EQ(read->approvers, std::vector<std::string>{"bob"});
  ASSERT_EQ(read->approvals.size(), 1U);
  EXPECT_EQ(read->approvals[0].user, "bob");
  EXPECT_EQ(read->approvals[0].at, utc("2026-12-05T18:03:11Z"));
  EXPECT_EQ(read->approvals[0].groups, std::vector<std::string>{"release-managers"});

  const std::vector<std::pair<std::string, std::string>> refused{
      {R"({"metadata": {"name": "a"}})", "spec is required"},
      {R"({"spec": {"application": "a", "images": ["x"]}})", "spec.requestedBy is required"},
      {R"({"spec": {"requestedBy": "u", "images": ["x"]}})", "spec.application is required"},
      {R"({"spec": {"requestedBy": "u", "application": "a", "images": []}})",
       "spec.images must list 1 to 32 image references"},
      {R"({"spec": {"requestedBy": "u", "application": "a", "images": ["ok", "Not/OK"]}})",
       "spec.images[1]: image \"Not/OK\" is not a valid reference: repository name must be lowercase"},
      {R"({"spec": {"requestedBy": "u", "application": "a", "images": ["x"]}, "status": {"approvals": {}}})",
       "status.approvals must be a list"},
  };
  for (const auto& [json, problem] : refused) {
    object.Parse(json.c_str());
    const Result<core::ImageApproval> result = decode_image_approval(object);
    ASSERT_FALSE(result) << json;
    EXPECT_EQ(result.error().message, problem);
  }
}

// What `windowguard exception request` files: the defaults left out, so that
// the object's own apply.
TEST(ExceptionRequestJson, LeavesOutWhatWasNotGiven) {
  ExceptionRequest request{
      "inc-4711", "payments-prod",      "alice", "INC-4711: card payments failing", {"weekend-freeze"}, {}, {}, {}, {},
      kNow,       kNow + core::hours{2}};
  EXPECT_EQ(encode_exception_request(request),
            R"({"apiVersion":"windowguard.dev/v1","kind":"WindowException","metadata":{"name":"inc-4711",)"
            R"("namespace":"payments-prod"},"spec":{"requestedBy":"alice","reason":"INC-4711: card payments failing",)"
            R"("windows":["weekend-freeze"],"from":"2026-12-05T18:00:00Z","until":"2026-12-05T20:00:00Z"}})");
  request.applications = {"checkout"};
  request.actions = {"deploy"};
  request.groups = {"sre-oncall"};
  rapidjson::Document written;
  const std::string text = encode_exception_request(request);
  written.Parse(text.c_str());
  const auto read = decode_window_exception(written, kNow);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->requested_by, "alice");
  EXPECT_EQ(read->scope.applications, std::vector<std::string>{"checkout"});
  EXPECT_TRUE(read->scope.actions.contains(core::Action::Deploy));
  EXPECT_FALSE(read->scope.actions.contains(core::Action::Restart));
  EXPECT_EQ(read->scope.groups, std::vector<std::string>{"sre-oncall"});
  EXPECT_TRUE(read->scope.users.empty()) << "groups given: the requester is not added";
  EXPECT_EQ(read->scope.until, kNow + core::hours{2});
}

TEST(ImageApprovalRequestJson, ReadsBackAsWritten) {
  const ImageApprovalRequest request{"web-2", "prod", "alice", "web", {"web:2", "sidecar:1"}, "ci-bot", "", {"bob"}};
  EXPECT_EQ(
      encode_image_approval_request(request),
      R"({"apiVersion":"windowguard.dev/v1","kind":"ImageApproval","metadata":{"name":"web-2","namespace":"prod"},)"
      R"("spec":{"requestedBy":"alice","application":"web","images":["web:2","sidecar:1"],"builtBy":"ci-bot",)"
      R"("approvers":["bob"]}})");
}

// The status patch escapes what the policy names (a user called "a\"b").
TEST(ShownStatus, IsPatchedAndReadBack) {
  const ShownStatus status{"1/2", "pending", R"(members of sre-leads, a"b)"};
  const std::string patch = status_patch(status);
  EXPECT_EQ(patch, R"({"status":{"approved":"1/2","state":"pending","approvers":"members of sre-leads, a\"b"}})");
  rapidjson::Document object;
  object.Parse(patch.c_str());
  EXPECT_EQ(shown_status_of(object), status);
  object.Parse("{}");
  EXPECT_EQ(shown_status_of(object), ShownStatus{});
}

TEST(ObjectPaths, AreTheApiServersOwn) {
  EXPECT_EQ(list_path(kExceptionResource), "/apis/windowguard.dev/v1/windowexceptions");
  EXPECT_EQ(status_path(kImageApprovalResource, "prod", "web-2"),
            "/apis/windowguard.dev/v1/namespaces/prod/imageapprovals/web-2/status");
}

}  // namespace
}  // namespace windowguard::objects

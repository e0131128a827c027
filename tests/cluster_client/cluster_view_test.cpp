#include "cluster/cluster_view.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <string>

#include "cluster_client/fake_api_fixture.hpp"
#include "policy/policy_loader.hpp"
#include "support/fake_api_server.hpp"

namespace windowguard::cluster {
namespace {

using testing::eventually;
using testing::FakeApiFixture;
using testing::FakeApiServer;
using testing::FakeReply;
using testing::FakeRequest;
using testing::streamed;
using testing::whole;

class ClusterViewTest : public FakeApiFixture {};

constexpr const char* kWindowguard = "system:serviceaccount:windowguard:windowguard";

// A request for an hour, approved by the one approver the window needs, and
// one without a spec.
const std::string kExceptions =
    R"({"metadata":{"resourceVersion":"7"},"items":[)"
    R"({"apiVersion":"windowguard.dev/v1","kind":"WindowException","metadata":{"name":"inc-1","namespace":"shop",)"
    R"("creationTimestamp":"2026-12-05T17:00:00Z","resourceVersion":"5"},"spec":{"requestedBy":"alice",)"
    R"("reason":"INC-1","windows":["freeze"],"until":"2099-01-01T00:00:00Z"},)"
    R"("status":{"approvals":[{"user":"lead","at":"2026-12-05T17:01:00Z"}]}},)"
    R"({"apiVersion":"windowguard.dev/v1","kind":"WindowException","metadata":{"name":"broken","namespace":"shop",)"
    R"("resourceVersion":"6"}}]})";

// The API server as the view meets it: its lists, watches that stay open,
// windowguard's identity, and status patches accepted.
FakeReply api_server(const FakeRequest& request) {
  if (request.method == "POST") {
    return whole(201, std::string(R"({"kind":"SelfSubjectReview","status":{"userInfo":{"username":")") + kWindowguard +
                          R"("}}})");
  }
  if (request.method == "PATCH") {
    return whole(200, "{}");
  }
  if (request.target.find("watch=1") != std::string::npos) {
    return streamed({}, true);
  }
  if (request.target.starts_with("/apis/windowguard.dev/v1/windowexceptions")) {
    return whole(200, kExceptions);
  }
  if (request.target.starts_with("/api/v1/namespaces")) {
    return whole(200, R"({"metadata":{"resourceVersion":"3"},"items":[)"
                      R"({"metadata":{"name":"shop","labels":{"env":"prod"},"resourceVersion":"3"}}]})");
  }
  return whole(200, R"({"metadata":{"resourceVersion":"4"},"items":[]})");
}

std::shared_ptr<const core::Policy> freeze_policy() {
  auto loaded = policy::load_policy({{"p.yaml", R"yaml(apiVersion: windowguard.dev/v1
kind: WindowPolicy
windows:
  - name: freeze
    type: blackout
    durations:
      - daily: {from: "00:00", to: "12:00"}
    exceptions:
      approvals: 1
      approvers: {users: [lead]}
)yaml"}});
  return loaded.value().policy;
}

// What the view hands on, as the server keeps it.
struct Published {
  std::mutex mutex;
  std::shared_ptr<const core::ExceptionBook> exceptions;
  std::shared_ptr<const core::NamespaceLabels> namespaces;
  std::shared_ptr<const core::ImageApprovalBook> image_approvals;

  ClusterView::Outlets outlets(std::shared_ptr<const core::Policy> policy) {
    return {[this](auto book) {
              const std::lock_guard lock(mutex);
              exceptions = std::move(book);
            },
            [this](auto labels) {
              const std::lock_guard lock(mutex);
              namespaces = std::move(labels);
            },
            [policy] { return policy; },
            [this](auto book) {
              const std::lock_guard lock(mutex);
              image_approvals = std::move(book);
            }};
  }
};

TEST_F(ClusterViewTest, PublishesWhatItListsAndIsReadyOnceEveryResourceIsListed) {
  FakeApiServer server(certificates(), api_server);
  Published published;
  ClusterView view(server.credentials("t"), published.outlets(freeze_policy()));
  EXPECT_EQ(view.not_ready_reason(), "WindowExceptions have not been listed yet");
  view.start();
  ASSERT_TRUE(eventually([&] { return view.not_ready_reason().empty(); })) << view.not_ready_reason();
  const std::lock_guard lock(published.mutex);
  ASSERT_NE(published.exceptions, nullptr);
  ASSERT_EQ(published.exceptions->all().size(), 1U) << "the object without a spec is left out";
  EXPECT_EQ(published.exceptions->all()[0].name, "inc-1");
  EXPECT_EQ(view.status().undecodable_exceptions, 1U);
  ASSERT_NE(published.namespaces, nullptr);
  const core::Labels labels = published.namespaces->of("shop");
  ASSERT_EQ(labels.size(), 1U);
  EXPECT_EQ(labels[0].key, "env");
  EXPECT_EQ(labels[0].value, "prod");
  ASSERT_NE(published.image_approvals, nullptr);
  EXPECT_TRUE(published.image_approvals->all().empty());
}

TEST_F(ClusterViewTest, LearnsWhoItIsAndWritesTheStatusEachObjectShouldShow) {
  FakeApiServer server(certificates(), api_server);
  Published published;
  ClusterView view(server.credentials("t"), published.outlets(freeze_policy()));
  view.start();
  ASSERT_TRUE(eventually([&] { return view.identity() == kWindowguard; })) << view.identity();
  const auto patched = [&]() -> std::optional<FakeRequest> {
    for (const FakeRequest& request : server.requests()) {
      if (request.method == "PATCH") {
        return request;
      }
    }
    return std::nullopt;
  };
  ASSERT_TRUE(eventually([&] { return patched().has_value(); }));
  const FakeRequest patch = *patched();
  EXPECT_EQ(patch.target, "/apis/windowguard.dev/v1/namespaces/shop/windowexceptions/inc-1/status");
  EXPECT_EQ(patch.content_type, "application/merge-patch+json");
  EXPECT_EQ(patch.body, objects::status_patch({"1/1", "in force", "members of system:masters, lead"}));
}

TEST_F(ClusterViewTest, StopEndsEveryWatchAndTheStatusWriter) {
  FakeApiServer server(certificates(), api_server);
  Published published;
  ClusterView view(server.credentials("t"), published.outlets(freeze_policy()));
  view.start();
  ASSERT_TRUE(eventually([&] { return view.status().exceptions.watching && view.status().namespaces.watching; }));
  view.stop();
  EXPECT_FALSE(view.status().exceptions.watching);
  EXPECT_FALSE(view.status().namespaces.watching);
  EXPECT_FALSE(view.status().image_approvals.watching);
}

}  // namespace
}  // namespace windowguard::cluster

#include "cluster/review_reader.hpp"

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

#include "cluster_client/fake_api_fixture.hpp"
#include "support/fake_api_server.hpp"

namespace windowguard::cluster {
namespace {

using testing::FakeApiFixture;
using testing::FakeApiServer;
using testing::FakeReply;
using testing::FakeRequest;
using testing::whole;

class ReviewReaderTest : public FakeApiFixture {};

// Reads `what` with a started reader of one worker, and waits for the answer.
Result<ReviewFacts> read_with(const FakeApiServer& server, ReviewRead what) {
  ReviewReader reader(server.credentials("t"), 1, 4);
  reader.start();
  std::promise<Result<ReviewFacts>> answered;
  reader.read(std::move(what), [&](Result<ReviewFacts> read) { answered.set_value(std::move(read)); });
  return answered.get_future().get();
}

TEST_F(ReviewReaderTest, AnEvictedPodsLabelsAreRead) {
  FakeApiServer server(certificates(), [](const FakeRequest&) {
    return whole(200, R"({"kind":"Pod","metadata":{"name":"api-1","labels":{"app":"api","tier":"web"}}})");
  });
  const Result<ReviewFacts> read = read_with(server, PodToRead{"prod-eu-1", "api-1"});
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(std::get<PodLabels>(*read), (PodLabels{{"app", "api"}, {"tier", "web"}}));
  ASSERT_EQ(server.requests().size(), 1U);
  EXPECT_EQ(server.requests()[0].target, "/api/v1/namespaces/prod-eu-1/pods/api-1");
}

TEST_F(ReviewReaderTest, AnAnswerThatIsNoPodIsAProblem) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return whole(200, "<html>"); });
  const Result<ReviewFacts> read = read_with(server, PodToRead{"prod-eu-1", "api-1"});
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message, "the API server's answer is not a Pod's JSON");
}

TEST_F(ReviewReaderTest, ARefusedReadSaysWhichAndHow) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return whole(403, R"({"kind":"Status"})"); });
  const Result<ReviewFacts> read = read_with(server, PodToRead{"prod-eu-1", "api-1"});
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message, "GET /api/v1/namespaces/prod-eu-1/pods/api-1: HTTP 403");
}

// A promotion reads the kinds its settings govern and the Pods: the
// templates of its application name images, its Pods report digests.
TEST_F(ReviewReaderTest, ASourcesImagesAreWhatItsApplicationsWorkloadsAndPodsRun) {
  FakeApiServer server(certificates(), [](const FakeRequest& request) {
    if (request.target.ends_with("/deployments")) {
      return whole(200, R"({"apiVersion":"apps/v1","kind":"DeploymentList","items":[)"
                        R"({"metadata":{"name":"web","labels":{"app":"web"}},"spec":{"template":{"spec":)"
                        R"({"containers":[{"name":"web","image":"web:2"}]}}}},)"
                        R"({"metadata":{"name":"api","labels":{"app":"api"}},"spec":{"template":{"spec":)"
                        R"({"containers":[{"name":"api","image":"api:7"}]}}}}]})");
    }
    if (request.target.ends_with("/pods")) {
      return whole(
          200, R"({"apiVersion":"v1","kind":"PodList","items":[{"metadata":{"name":"web-1","labels":{"app":"web"}},)"
               R"("spec":{"containers":[{"name":"web","image":"web:2"}]},"status":{"containerStatuses":)"
               R"([{"name":"web","image":"web:2","imageID":"docker.io/library/web@sha256:)" +
                   std::string(64, 'a') + R"("}]}}]})");
    }
    return whole(200, R"({"kind":"List","items":[]})");
  });
  const Result<ReviewFacts> read = read_with(server, SourceToRead{"shop-staging", "web", core::Settings{}});
  ASSERT_TRUE(read) << read.error().message;
  const auto& running = std::get<core::RunningImages>(*read);
  ASSERT_EQ(running.named.size(), 1U);
  EXPECT_EQ(running.named[0].normalized(), "docker.io/library/web:2");
  ASSERT_EQ(running.reported.size(), 1U);
  EXPECT_EQ(running.reported[0].digest, "sha256:" + std::string(64, 'a'));
  std::vector<std::string> targets;
  for (const FakeRequest& request : server.requests()) {
    targets.push_back(request.target);
  }
  EXPECT_EQ(targets, (std::vector<std::string>{"/apis/apps/v1/namespaces/shop-staging/deployments",
                                               "/apis/apps/v1/namespaces/shop-staging/statefulsets",
                                               "/apis/apps/v1/namespaces/shop-staging/daemonsets",
                                               "/apis/apps/v1/namespaces/shop-staging/replicasets",
                                               "/api/v1/namespaces/shop-staging/pods"}));
}

TEST_F(ReviewReaderTest, AListThatIsNoListIsAProblem) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return whole(200, "[1,"); });
  const Result<ReviewFacts> read = read_with(server, SourceToRead{"shop-staging", "web", core::Settings{}});
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message, "the API server's answer is not a list's JSON");
}

TEST_F(ReviewReaderTest, OnlyNamesOfObjectsAreRead) {
  EXPECT_TRUE(ReviewReader::names_objects(PodToRead{"prod-eu-1", "api-7d9c4b6f5-x2x7k"}));
  EXPECT_FALSE(ReviewReader::names_objects(PodToRead{"prod-eu-1", "../../secrets/x"}));
  EXPECT_FALSE(ReviewReader::names_objects(PodToRead{"", "api"}));
  EXPECT_FALSE(ReviewReader::names_objects(SourceToRead{"shop staging", "web", core::Settings{}}));
}

TEST_F(ReviewReaderTest, AReadBeyondTheQueueOrAfterStopFailsAtOnce) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return whole(200, "{}"); });
  ReviewReader reader(server.credentials("t"), 1, 1);  // not started: what is queued stays queued
  std::vector<std::string> problems;
  const auto note = [&](Result<ReviewFacts> read) { problems.push_back(read ? "read" : read.error().message); };
  reader.read(PodToRead{"a", "b"}, note);
  reader.read(PodToRead{"a", "c"}, note);
  EXPECT_EQ(problems, std::vector<std::string>{"too many reads waiting (1)"});
  reader.stop();
  EXPECT_EQ(problems, (std::vector<std::string>{"too many reads waiting (1)", "windowguard is stopping"}))
      << "the queued read fails when the reader stops";
  reader.read(PodToRead{"a", "d"}, note);
  EXPECT_EQ(problems.back(), "windowguard is stopping");
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace windowguard::cluster

#include "cluster/api_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "cluster_client/fake_api_fixture.hpp"
#include "support/fake_api_server.hpp"

namespace windowguard::cluster {
namespace {

using testing::FakeApiFixture;
using testing::FakeApiServer;
using testing::FakeReply;
using testing::FakeRequest;
using testing::streamed;
using testing::whole;
using namespace std::chrono_literals;

class ApiClientTest : public FakeApiFixture {};

// What one stream handed on.
struct Streamed {
  int opened = 0;
  std::vector<std::string> lines;
  Result<ApiResponse> response = Problem("not run");
};

// `handed_on`, when given, counts the lines as they come, for another thread.
Streamed stream_from(ApiClient& client, Interrupter& interrupter, const std::string& target,
                     std::atomic<int>* handed_on = nullptr) {
  Streamed seen;
  seen.response = client.stream(target, interrupter,
                                {[&] { ++seen.opened; },
                                 [&](std::string_view line) {
                                   seen.lines.emplace_back(line);
                                   if (handed_on != nullptr) {
                                     ++*handed_on;
                                   }
                                   return true;
                                 },
                                 [] {}});
  return seen;
}

TEST_F(ApiClientTest, SendsTheTokenAndReadsTheWholeAnswer) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return whole(200, R"({"kind":"List"})"); });
  ApiClient client(server.credentials("the-token"), 5s);
  Interrupter interrupter;
  const Result<ApiResponse> response =
      client.send({ApiRequest::Method::Get, "/api/v1/namespaces", {}}, interrupter, 1024);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200U);
  EXPECT_EQ(response->body, R"({"kind":"List"})");
  ASSERT_EQ(server.requests().size(), 1U);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].target, "/api/v1/namespaces");
  EXPECT_EQ(server.requests()[0].authorization, "Bearer the-token");
}

TEST_F(ApiClientTest, APatchCarriesItsBodyAndContentType) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return whole(200, "{}"); });
  ApiClient client(server.credentials("t"), 5s);
  Interrupter interrupter;
  const ApiRequest patch{ApiRequest::Method::Patch, "/apis/windowguard.dev/v1/namespaces/a/windowexceptions/b/status",
                         R"({"status":{"state":"approved"}})", "application/merge-patch+json"};
  ASSERT_TRUE(client.send(patch, interrupter, 1024));
  ASSERT_EQ(server.requests().size(), 1U);
  EXPECT_EQ(server.requests()[0].method, "PATCH");
  EXPECT_EQ(server.requests()[0].content_type, "application/merge-patch+json");
  EXPECT_EQ(server.requests()[0].body, R"({"status":{"state":"approved"}})");
}

TEST_F(ApiClientTest, AnAnswerOverTheBodyLimitIsAnError) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return whole(200, std::string(2048, 'x')); });
  ApiClient client(server.credentials("t"), 5s);
  Interrupter interrupter;
  const Result<ApiResponse> response = client.send({ApiRequest::Method::Get, "/big", {}}, interrupter, 1024);
  ASSERT_FALSE(response);
  EXPECT_NE(response.error().message.find("reading the answer to /big"), std::string::npos) << response.error().message;
}

TEST_F(ApiClientTest, AStreamOpensOnceAndHandsOnEachLine) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return streamed({"one", "two", "three"}, false); });
  ApiClient client(server.credentials("t"), 5s);
  Interrupter interrupter;
  const Streamed seen = stream_from(client, interrupter, "/watch");
  ASSERT_TRUE(seen.response) << seen.response.error().message;
  EXPECT_EQ(seen.response->status, 200U);
  EXPECT_EQ(seen.opened, 1);
  EXPECT_EQ(seen.lines, (std::vector<std::string>{"one", "two", "three"}));
}

TEST_F(ApiClientTest, AStreamRefusedNeverOpensAndComesBackWithItsBody) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return whole(403, R"({"reason":"Forbidden"})"); });
  ApiClient client(server.credentials("t"), 5s);
  Interrupter interrupter;
  const Streamed seen = stream_from(client, interrupter, "/watch");
  ASSERT_TRUE(seen.response) << seen.response.error().message;
  EXPECT_EQ(seen.response->status, 403U);
  EXPECT_EQ(seen.response->body, R"({"reason":"Forbidden"})");
  EXPECT_EQ(seen.opened, 0);
  EXPECT_TRUE(seen.lines.empty());
}

// A held stream, and `meanwhile` done from another thread once the client
// has handed on the stream's first line (the server having the request is
// not enough: under a sanitizer, the line may still be on its way).
Streamed stream_while(ApiClient& client, Interrupter& interrupter, const std::function<void()>& meanwhile) {
  std::atomic<int> handed_on{0};
  std::thread other([&] {
    EXPECT_TRUE(testing::eventually([&] { return handed_on.load() > 0; }));
    meanwhile();
  });
  Streamed seen = stream_from(client, interrupter, "/watch", &handed_on);
  other.join();
  return seen;
}

TEST_F(ApiClientTest, AStreamDroppedMidwayIsAnError) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return streamed({"one"}, true); });
  ApiClient client(server.credentials("t"), 5s);
  Interrupter interrupter;
  const Streamed seen = stream_while(client, interrupter, [&] { server.go_down(); });
  EXPECT_FALSE(seen.response);
  EXPECT_EQ(seen.opened, 1);
  EXPECT_EQ(seen.lines, std::vector<std::string>{"one"});
}

TEST_F(ApiClientTest, AnInterruptionEndsAHeldStream) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return streamed({"one"}, true); });
  ApiClient client(server.credentials("t"), 5s);
  Interrupter interrupter;
  const Streamed seen = stream_while(client, interrupter, [&] { interrupter.interrupt(); });
  ASSERT_FALSE(seen.response);
  EXPECT_NE(seen.response.error().message.find("interrupted"), std::string::npos) << seen.response.error().message;
}

TEST_F(ApiClientTest, AServerThatIsDownIsNamed) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return whole(200, "{}"); });
  const Credentials credentials = server.credentials("t");
  server.go_down();
  ApiClient client(credentials, 5s);
  Interrupter interrupter;
  const Result<ApiResponse> response = client.send({ApiRequest::Method::Get, "/", {}}, interrupter, 1024);
  ASSERT_FALSE(response);
  EXPECT_NE(response.error().message.find("cannot connect to 127.0.0.1:" + credentials.port), std::string::npos)
      << response.error().message;
}

TEST_F(ApiClientTest, AServerTheClusterCaDidNotSignIsRefused) {
  FakeApiServer server(certificates(), [](const FakeRequest&) { return whole(200, "{}"); });
  Credentials credentials = server.credentials("t");
  credentials.ca_pem = pem("other-ca.crt");
  ApiClient client(credentials, 5s);
  Interrupter interrupter;
  const Result<ApiResponse> response = client.send({ApiRequest::Method::Get, "/", {}}, interrupter, 1024);
  ASSERT_FALSE(response);
  EXPECT_NE(response.error().message.find("TLS handshake with the API server"), std::string::npos)
      << response.error().message;
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace windowguard::cluster

#include "cluster/reflector.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cluster_client/fake_api_fixture.hpp"
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
using namespace std::chrono_literals;

constexpr const char* kPath = "/apis/windowguard.dev/v1/windowexceptions";

std::string object(const std::string& name, int resource_version) {
  return R"({"metadata":{"namespace":"team","name":")" + name + R"(","resourceVersion":")" +
         std::to_string(resource_version) + R"("}})";
}

std::string list_of(const std::vector<std::string>& items, int resource_version, const std::string& next = "") {
  std::string body = R"({"metadata":{"resourceVersion":")" + std::to_string(resource_version) + R"(","continue":")" +
                     next + R"("},"items":[)";
  for (std::size_t index = 0; index < items.size(); ++index) {
    body += (index == 0 ? "" : ",") + items[index];
  }
  return body + "]}";
}

std::string event(const std::string& type, const std::string& name, int resource_version) {
  return R"({"type":")" + type + R"(","object":)" + object(name, resource_version) + "}";
}

bool is_watch(const FakeRequest& request) { return request.target.find("watch=1") != std::string::npos; }

// A reflector running on its own thread, with short backoffs, and the
// names in the last set it handed on.
class RunningReflector {
 public:
  explicit RunningReflector(const FakeApiServer& server, std::size_t page_size = 500)
      : client_(server.credentials("t"), 5s),
        reflector_(client_, options(page_size),
                   [this](const Reflector::Objects& objects) {
                     const std::lock_guard lock(mutex_);
                     names_.clear();
                     for (const auto& [key, value] : objects) {
                       names_.insert(key);
                     }
                     ++publications_;
                   }),
        thread_([this] { reflector_.run(); }) {}
  ~RunningReflector() {
    reflector_.stop();
    thread_.join();
  }

  std::set<std::string> names() const {
    const std::lock_guard lock(mutex_);
    return names_;
  }
  int publications() const {
    const std::lock_guard lock(mutex_);
    return publications_;
  }
  ReflectorStatus status() const { return reflector_.status(); }

 private:
  static Reflector::Options options(std::size_t page_size) {
    Reflector::Options options{"windowexceptions", kPath};
    options.first_backoff = 5ms;
    options.longest_backoff = 20ms;
    options.page_size = page_size;
    return options;
  }

  ApiClient client_;
  Reflector reflector_;
  mutable std::mutex mutex_;
  std::set<std::string> names_;
  int publications_ = 0;
  std::thread thread_;
};

class ReflectorTest : public FakeApiFixture {};

TEST_F(ReflectorTest, ListsThenHandsOnEveryChangeTheWatchBrings) {
  FakeApiServer server(certificates(), [](const FakeRequest& request) {
    if (!is_watch(request)) {
      return whole(200, list_of({object("a", 4), object("b", 5)}, 5));
    }
    return streamed({event("ADDED", "c", 6), event("MODIFIED", "a", 7), event("DELETED", "b", 8)}, true);
  });
  const RunningReflector reflector(server);
  ASSERT_TRUE(eventually([&] { return reflector.names() == std::set<std::string>{"team/a", "team/c"}; }));
  const ReflectorStatus status = reflector.status();
  EXPECT_TRUE(status.listed);
  EXPECT_TRUE(status.watching);
  EXPECT_EQ(status.failures, 0U);
  const std::vector<FakeRequest> requests = server.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].target, std::string(kPath) + "?limit=500");
  EXPECT_EQ(requests[1].target,
            std::string(kPath) + "?watch=1&allowWatchBookmarks=true&resourceVersion=5&timeoutSeconds=290");
}

TEST_F(ReflectorTest, AWatchThatEndsIsResumedFromTheLastResourceVersionSeen) {
  FakeApiServer server(certificates(), [](const FakeRequest& request) {
    if (!is_watch(request)) {
      return whole(200, list_of({}, 5));
    }
    return streamed({event("ADDED", "c", 9)}, true);
  });
  const RunningReflector reflector(server);
  ASSERT_TRUE(eventually([&] { return reflector.names().count("team/c") == 1; }));
  server.end_streams();
  ASSERT_TRUE(eventually([&] { return server.requests().size() >= 3; }));
  const FakeRequest resumed = server.requests()[2];
  EXPECT_NE(resumed.target.find("watch=1"), std::string::npos) << resumed.target;
  EXPECT_NE(resumed.target.find("resourceVersion=9"), std::string::npos) << resumed.target;
  EXPECT_EQ(reflector.status().relists, 0U);
}

TEST_F(ReflectorTest, APagedListIsHandedOnWhole) {
  FakeApiServer server(certificates(), [](const FakeRequest& request) {
    if (is_watch(request)) {
      return streamed({}, true);
    }
    if (request.target.find("continue=page-2") == std::string::npos) {
      return whole(200, list_of({object("a", 1)}, 5, "page-2"));
    }
    return whole(200, list_of({object("b", 2)}, 5));
  });
  const RunningReflector reflector(server, 1);
  ASSERT_TRUE(eventually([&] { return reflector.status().watching; }));
  EXPECT_EQ(reflector.names(), (std::set<std::string>{"team/a", "team/b"}));
  EXPECT_EQ(reflector.publications(), 1) << "one publication for the whole list, not one per page";
  EXPECT_EQ(server.requests()[1].target, std::string(kPath) + "?limit=1&continue=page-2");
}

// The first watch after the first list answers `first_watch`; the reflector
// must list again, and hand on what the second list holds.
void expect_a_relist_after(const std::filesystem::path& certificates, const FakeReply& first_watch) {
  std::atomic<int> lists = 0;
  FakeApiServer server(certificates, [&](const FakeRequest& request) {
    if (!is_watch(request)) {
      ++lists;
      return whole(200, list_of({object(lists == 1 ? "old" : "new", 5)}, 5));
    }
    return lists == 1 ? first_watch : streamed({}, true);
  });
  const RunningReflector reflector(server);
  ASSERT_TRUE(eventually([&] { return reflector.names() == std::set<std::string>{"team/new"}; }));
  EXPECT_EQ(reflector.status().relists, 1U);
}

TEST_F(ReflectorTest, AWatchTooOldToResumeRelists) {
  expect_a_relist_after(certificates(), whole(410, R"({"kind":"Status","code":410})"));
}

TEST_F(ReflectorTest, AnErrorEventRelists) {
  expect_a_relist_after(certificates(), streamed({R"({"type":"ERROR","object":{"kind":"Status","code":410}})"}, true));
}

TEST_F(ReflectorTest, AMissingResourceIsTakenAsEmptyAndLookedForAgain) {
  std::atomic<bool> installed = false;
  FakeApiServer server(certificates(), [&](const FakeRequest& request) {
    if (!installed) {
      return whole(404, R"({"kind":"Status","code":404})");
    }
    return is_watch(request) ? streamed({}, true) : whole(200, list_of({object("a", 1)}, 5));
  });
  const RunningReflector reflector(server);
  ASSERT_TRUE(eventually([&] { return reflector.status().listed; }));
  EXPECT_TRUE(reflector.status().resource_missing);
  EXPECT_TRUE(reflector.names().empty());
  installed = true;
  // The status follows the publication: once it says found, the view is there.
  ASSERT_TRUE(eventually([&] { return !reflector.status().resource_missing; }));
  EXPECT_EQ(reflector.names(), std::set<std::string>{"team/a"});
}

TEST_F(ReflectorTest, TheViewAgesFromTheMomentTheApiServerWentDown) {
  FakeApiServer server(certificates(), [](const FakeRequest& request) {
    return is_watch(request) ? streamed({}, true) : whole(200, list_of({object("a", 1)}, 5));
  });
  const RunningReflector reflector(server);
  ASSERT_TRUE(eventually([&] { return reflector.status().watching; }));
  server.go_down();
  ASSERT_TRUE(eventually([&] { return !reflector.status().watching; }));
  const auto went_down = reflector.status().current_at;
  // Watches that cannot even connect say nothing of the view: it stays as
  // old as the moment the last one ended.
  const std::uint64_t failures = reflector.status().failures;
  ASSERT_TRUE(eventually([&] { return reflector.status().failures >= failures + 3; }));
  EXPECT_EQ(reflector.status().current_at, went_down);
  EXPECT_FALSE(reflector.status().watching);
  EXPECT_EQ(reflector.names(), std::set<std::string>{"team/a"}) << "the last view stays";
}

TEST_F(ReflectorTest, EveryRequestCarriesTheToken) {
  FakeApiServer server(certificates(), [](const FakeRequest& request) {
    return is_watch(request) ? streamed({}, true) : whole(200, list_of({}, 5));
  });
  const RunningReflector reflector(server);
  ASSERT_TRUE(eventually([&] { return reflector.status().watching; }));
  for (const FakeRequest& request : server.requests()) {
    EXPECT_EQ(request.authorization, "Bearer t") << request.target;
  }
}

}  // namespace
}  // namespace windowguard::cluster

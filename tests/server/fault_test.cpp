// Fault tests: the real server while its inputs break under it and clients
// misbehave.  The invariant everywhere: every request is answered, and by the
// last good policy (an environment bound to an always-on blackout is denied,
// an unbound one allowed).  127.0.0.1 only; every loop is bounded.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/server_fixture.hpp"

namespace windowguard::testing {
namespace {

constexpr const char* kBrokenPolicy =
    "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nbindings:\n  - windows: [ghost]\n"
    "    environments: [frozen]\n";

template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

class FaultTest : public ServerFixture {
 protected:
  bool allowed(const std::string& environment) {
    return validate(review(environment)).body().find("\"allowed\":true") != std::string::npos;
  }

  // Reviews on new connections from a background thread until stopped (or
  // 5,000 rounds), each checked against the invariant.
  class Traffic {
   public:
    explicit Traffic(FaultTest& test)
        : worker_([this, &test] {
            for (int round = 0; round < 5000 && !stop_; ++round) {
              check(test, "frozen", false);
              check(test, "open", true);
            }
          }) {}
    ~Traffic() { finish(); }
    void finish() {
      stop_ = true;
      if (worker_.joinable()) {
        worker_.join();
      }
    }
    int answered() const { return answered_; }
    int wrong() const { return wrong_; }
    int failed() const { return failed_; }

   private:
    void check(FaultTest& test, const std::string& environment, bool expect_allowed) {
      try {
        const HttpResponse response = test.validate(review(environment));
        const bool allowed = response.body().find("\"allowed\":true") != std::string::npos;
        ++answered_;
        wrong_ += response.result_int() != 200 || allowed != expect_allowed ? 1 : 0;
      } catch (const std::exception&) {
        ++failed_;
      }
    }

    std::atomic<bool> stop_{false};
    std::atomic<int> answered_{0};
    std::atomic<int> wrong_{0};
    std::atomic<int> failed_{0};
    std::thread worker_;
  };

  static void expect_every_answer_right(Traffic& traffic) {
    traffic.finish();
    EXPECT_GT(traffic.answered(), 0);
    EXPECT_EQ(traffic.wrong(), 0);
    EXPECT_EQ(traffic.failed(), 0);
  }
};

TEST_F(FaultTest, PolicyDirectoryVanishesAndComesBack) {
  start();
  Traffic traffic(*this);
  const std::string away = policies_->path() + ".away";
  fs::rename(policies_->path(), away);
  EXPECT_TRUE(server_->wait_for_log("policy rejected; the last good policy stays in force", 10s));
  EXPECT_EQ(get("/readyz").result_int(), 200);
  std::this_thread::sleep_for(500ms);  // several polls of a missing directory
  fs::rename(away, policies_->path());
  EXPECT_TRUE(server_->wait_for_log("policy loaded\",\"directory", 10s));
  expect_every_answer_right(traffic);
}

TEST_F(FaultTest, HalfWrittenPolicyIsRejectedAndTheCompletedOneLoads) {
  start();
  const std::string complete = policy_text("elsewhere");  // frozen no longer bound
  const fs::path file = fs::path(policies_->path()) / "policy.yaml";
  // A writer that is not atomic: the first half, a pause of several polls, the rest.
  std::ofstream(file) << complete.substr(0, complete.find("daily") + 20);
  EXPECT_TRUE(server_->wait_for_log("policy rejected; the last good policy stays in force", 10s));
  EXPECT_FALSE(allowed("frozen"));
  EXPECT_TRUE(allowed("open"));
  std::ofstream(file) << complete;
  EXPECT_TRUE(eventually([&] { return allowed("frozen"); }));
}

TEST_F(FaultTest, UnreadablePolicyFileKeepsTheLastGoodPolicy) {
  // Root reads any file: run the server as nobody so permissions apply.
  std::vector<std::string> launcher;
  if (geteuid() == 0) {
    launcher = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
    for (const auto& entry : fs::recursive_directory_iterator(work_)) {
      fs::permissions(entry.path(), fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
    }
  }
  start({}, launcher);
  Traffic traffic(*this);
  policies_->publish({{"policy.yaml", policy_text("elsewhere")}}, fs::perms::none);
  EXPECT_TRUE(server_->wait_for_log("policy rejected; the last good policy stays in force", 10s));
  EXPECT_TRUE(server_->wait_for_log("Permission denied", 1s));
  EXPECT_EQ(get("/readyz").result_int(), 200);
  expect_every_answer_right(traffic);
  policies_->publish(policy_text("elsewhere"));
  EXPECT_TRUE(eventually([&] { return allowed("frozen"); }));
}

TEST_F(FaultTest, FiftyPolicyChangesASecond) {
  start();
  EXPECT_TRUE(allowed("open"));  // what a first request opens for good is not counted below
  const std::vector<std::string> targets_before = server_->descriptor_targets();
  Traffic traffic(*this);
  // Three versions in turn, one of them broken; every valid one freezes "frozen".
  const std::string versions[] = {policy_text("frozen"), policy_text("frozen, also-frozen"), kBrokenPolicy};
  for (int change = 0; change < 200; ++change) {  // four seconds: several polls see different versions
    policies_->publish(versions[change % 3]);
    std::this_thread::sleep_for(20ms);
  }
  expect_every_answer_right(traffic);
  // Nothing is lost: the last change wins.
  policies_->publish(policy_text("elsewhere"));
  EXPECT_TRUE(eventually([&] { return allowed("frozen"); }));
  EXPECT_GE(server_->count_log("policy changed; loading"), 3U);
  EXPECT_LE(server_->open_descriptors(), static_cast<long>(targets_before.size()) + 2)
      << "open at the start: " << ::testing::PrintToString(targets_before)
      << "\nopen at the end: " << ::testing::PrintToString(server_->descriptor_targets());
}

TEST_F(FaultTest, TruncatedCertificateOrMismatchedKeyMidTrafficKeepsThePreviousPair) {
  start();
  Traffic traffic(*this);
  const fs::path certificate = work_ / "tls/tls.crt";
  std::string pem;
  {
    std::ifstream in(*certs_ / "rotated.crt");
    pem.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(certificate) << pem.substr(0, pem.size() / 2);  // written in place, cut short
  EXPECT_TRUE(eventually([&] { return server_->count_log("certificate rejected") == 1; }));
  EXPECT_EQ(TlsClient(server_->port(), trusting()).server_common_name(), "first");

  install_tls("server", "rotated");  // the old certificate with a new, foreign key
  EXPECT_TRUE(eventually([&] { return server_->count_log("certificate rejected") == 2; }));
  EXPECT_EQ(TlsClient(server_->port(), trusting()).server_common_name(), "first");

  install_tls("rotated");
  EXPECT_TRUE(eventually([&] { return TlsClient(server_->port(), trusting()).server_common_name() == "rotated"; }));
  expect_every_answer_right(traffic);
}

TEST_F(FaultTest, SigtermDuringAReloadExitsCleanlyAfterAnsweringInFlightRequests) {
  start();
  std::string large = "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n";
  for (int i = 0; i < 3000; ++i) {
    large += "  - name: w" + std::to_string(i) +
             "\n    type: blackout\n    durations:\n      - daily: {from: \"01:00\", to: \"02:00\"}\n";
  }
  large += "bindings:\n  - windows: [w0]\n    environments: [bulk]\n";
  TlsClient in_flight(server_->port(), trusting());
  const std::string body = review("open");
  in_flight.write_raw("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 100));
  policies_->publish(large);
  ASSERT_TRUE(server_->wait_for_log("policy changed; loading", 10s));
  server_->signal(SIGTERM);
  in_flight.write_raw(body.substr(100));
  EXPECT_EQ(in_flight.read_response().result_int(), 200);
  EXPECT_EQ(server_->wait_for_exit(15s), 0);
  EXPECT_TRUE(server_->wait_for_log("\"msg\":\"stopped\"", 2s));
}

// A plain TCP connection to the server's port (no TLS), non-blocking.
int raw_connection(unsigned short port) {
  const int descriptor = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  connect(descriptor, reinterpret_cast<const sockaddr*>(&address), sizeof address);  // completes in the background
  return descriptor;
}

TEST_F(FaultTest, GarbageHugeBodiesAndByteByByteHeaders) {
  start();
  const long resident_before = server_->resident_kib();
  // Not TLS at all.
  const int garbage = raw_connection(server_->port());
  std::this_thread::sleep_for(50ms);
  const std::string noise = "\x16\x03\x01\xff\xff garbage that is not a TLS record\r\n\r\n";
  EXPECT_GT(write(garbage, noise.data(), noise.size()), 0);
  close(garbage);

  // 100 MB announced: refused before any of it is read.
  TlsClient announced(server_->port(), trusting());
  announced.write_raw("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                      std::to_string(100 * 1024 * 1024) + "\r\n\r\n");
  EXPECT_EQ(announced.read_response().result_int(), 413);

  // 100 MB streamed in chunks without a length: cut off at the 8 MiB limit.
  TlsClient streamed(server_->port(), trusting());
  streamed.write_raw(
      "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n");
  const std::string chunk = "100000\r\n" + std::string(0x100000, ' ') + "\r\n";
  int chunks_sent = 0;
  try {
    for (; chunks_sent < 100; ++chunks_sent) {
      streamed.write_raw(chunk);
    }
  } catch (const boost::system::system_error&) {
    // the server answered and closed: the rest could not be written
  }
  EXPECT_LT(chunks_sent, 100);
  EXPECT_LT(server_->resident_kib() - resident_before, 64 * 1024);

  // Headers one byte at a time (well inside the header deadline) are served.
  TlsClient trickle(server_->port(), trusting());
  for (const char byte : std::string("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: trickle\r\n\r\n")) {
    trickle.write_raw(std::string(1, byte));
    std::this_thread::sleep_for(2ms);
  }
  EXPECT_EQ(trickle.read_response().body(), "ok\n");
  EXPECT_FALSE(allowed("frozen"));
  EXPECT_TRUE(allowed("open"));
}

TEST_F(FaultTest, TenThousandSilentConnectionsAreShedAndServiceResumes) {
  constexpr int kSilent = 10'000;
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);
  if (files.rlim_cur < kSilent + 500) {
    GTEST_SKIP() << "needs " << kSilent + 500 << " file descriptors; the hard limit is " << files.rlim_max;
  }
  start({"--handshake-timeout", "2s"});  // the server inherits the raised limit
  EXPECT_TRUE(allowed("open"));          // what a first request opens for good is not counted below
  const std::vector<std::string> targets_before = server_->descriptor_targets();
  const long descriptors_before = static_cast<long>(targets_before.size());
  std::vector<int> silent;
  for (int i = 0; i < kSilent; ++i) {
    silent.push_back(raw_connection(server_->port()));
  }
  // At most --max-connections (1024) are held; the rest are closed at once.
  std::this_thread::sleep_for(1s);
  EXPECT_LE(server_->open_descriptors(), descriptors_before + 1024 + 16);
  // Once the handshake deadline passes, the held ones are dropped and
  // ordinary clients are served again.
  EXPECT_TRUE(eventually(
      [&] {
        try {
          return allowed("open");
        } catch (const std::exception&) {
          return false;
        }
      },
      15s));
  EXPECT_FALSE(allowed("frozen"));
  for (const int descriptor : silent) {
    close(descriptor);
  }
  // Generous: under sanitizers and a parallel test run the closes take a while.
  EXPECT_TRUE(eventually([&] { return server_->open_descriptors() <= descriptors_before + 2; }, 60s))
      << "open at the start: " << ::testing::PrintToString(targets_before)
      << "\nopen at the end: " << ::testing::PrintToString(server_->descriptor_targets());
}

// An API server that takes connections and never answers: an eviction's Pod
// cannot be read.  The review is answered when the read's deadline passes
// (2 s, well inside the API server's 5 s), under every binding of the
// namespace; meanwhile the one I/O thread serves other connections.
TEST_F(FaultTest, AnEvictionWhosePodCannotBeReadIsAnsweredAtItsDeadlineWhileOthersAreServed) {
  const int silent = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(silent, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(silent, 64), 0);
  ASSERT_EQ(getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const fs::path kubeconfig = work_ / "kubeconfig";
  std::ofstream(kubeconfig) << "apiVersion: v1\nkind: Config\nclusters:\n- name: silent\n  cluster:\n"
                            << "    server: https://127.0.0.1:" << ntohs(address.sin_port) << "\n"
                            << "    certificate-authority: " << (*certs_ / "ca.crt").string() << "\n"
                            << "users:\n- name: reader\n  user: {token: a-token}\ncontexts:\n"
                            << "- name: silent\n  context: {cluster: silent, user: reader}\ncurrent-context: silent\n";
  server_ = std::make_unique<ServerProcess>(
      "serve", std::vector<std::string>{"--tls-cert", (work_ / "tls/tls.crt").string(), "--tls-key",
                                        (work_ / "tls/tls.key").string(), "--policies", policies_->path(), "--threads",
                                        "1", "--kubeconfig", kubeconfig.string()});
  ASSERT_TRUE(server_->running());

  const std::string eviction = replace_all(fixture("generated/pod-eviction.json"), "prod-eu-1", "frozen");
  const auto sent = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point answered;
  std::string answer;
  std::thread evicting([&] {
    answer = validate(eviction).body();
    answered = std::chrono::steady_clock::now();
  });
  std::this_thread::sleep_for(300ms);
  const HttpResponse health = get("/healthz");
  const auto healthy = std::chrono::steady_clock::now();
  evicting.join();
  close(silent);

  EXPECT_EQ(health.result_int(), 200U);
  EXPECT_LT(healthy, answered) << "the I/O thread served /healthz while the eviction waited";
  EXPECT_NE(answer.find("\"allowed\":false"), std::string::npos) << answer;
  EXPECT_GE(answered - sent, 1900ms);
  EXPECT_LT(answered - sent, 4500ms);
  EXPECT_TRUE(server_->wait_for_log("evicted Pod unread", 1s));
  EXPECT_TRUE(server_->wait_for_log("not read within the time allowed", 1s));
}

}  // namespace
}  // namespace windowguard::testing

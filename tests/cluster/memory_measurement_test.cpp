// A measurement, not part of the suite (docs/performance.md, "Memory with
// cluster access"): the webhook's resident memory while it watches 1,000
// WindowExceptions in force across 1,000 namespaces, among 10,000 namespaces.
// Run it alone, on a control plane of its own:
//   build/tests/cluster_test --gtest_also_run_disabled_tests
//     --gtest_filter='*DISABLED_TheWebhooksMemory*'
#include <gtest/gtest.h>

#include <date/date.h>

#include <cstdio>
#include <functional>
#include <optional>
#include <thread>

#include "cluster/cluster_helpers.hpp"

namespace windowguard::testing {
namespace {

constexpr int kNamespaces = 10'000;
constexpr int kExceptions = 1'000;
constexpr int kWorkers = 4;
constexpr long kTargetKib = 64L * 1024;

std::string namespace_name(int index) {
  char name[16];
  std::snprintf(name, sizeof name, "mem-%05d", index);
  return name;
}

// Runs `work(worker, i)` for every i in [0, count) on kWorkers threads.
void in_parallel(int count, const std::function<void(int, int)>& work) {
  std::vector<std::thread> workers;
  for (int worker = 0; worker < kWorkers; ++worker) {
    workers.emplace_back([&, worker] {
      for (int i = worker; i < count; i += kWorkers) {
        work(worker, i);
      }
    });
  }
  for (std::thread& thread : workers) {
    thread.join();
  }
}

// The webhook's resident memory once it counts every exception in force and
// its status writer has been over each of them.
long settled_resident_kib() {
  const std::string in_force =
      "windowguard_exceptions{source=\"cluster\",state=\"in force\"} " + std::to_string(kExceptions) + "\n";
  const std::string metrics = metrics_within(in_force, 120s);
  EXPECT_NE(metrics.find(in_force), std::string::npos) << metrics;
  std::this_thread::sleep_for(10s);
  return ClusterEnvironment::shared().webhook().resident_kib();
}

TEST_F(Cluster, DISABLED_TheWebhooksMemoryWithAThousandExceptionsAndTenThousandNamespaces) {
  const long idle_kib = webhook().resident_kib();
  // Straight to the API server as the admin, one connection per worker:
  // kubectl's client-side rate limit would make this take minutes.
  const ClientOptions admin{cluster().pki("ca.crt").string(),
                            cluster().pki("admin.crt").string(),
                            cluster().pki("admin.key").string(),
                            0,
                            0,
                            ""};
  const unsigned short api_server = cluster().api_server_port();
  const auto create_all = [&](int count, const std::function<std::pair<std::string, std::string>(int)>& object_of) {
    std::vector<std::optional<TlsClient>> clients(kWorkers);
    in_parallel(count, [&](int worker, int i) {
      if (!clients[worker]) {
        clients[worker].emplace(api_server, admin);
      }
      const auto [target, body] = object_of(i);
      const HttpResponse created = clients[worker]->request(http::verb::post, target, body);
      EXPECT_EQ(created.result_int(), 201U) << target << ": " << created.body();
    });
  };
  create_all(kNamespaces, [](int i) {
    return std::pair{std::string("/api/v1/namespaces"),
                     R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")" + namespace_name(i) +
                         R"(","labels":{"windowguard.dev/frozen":"true","team":"team-)" + std::to_string(i % 50) +
                         R"("}}})"};
  });
  const std::string until =
      date::format("%FT%TZ", date::floor<std::chrono::seconds>(std::chrono::system_clock::now() + 90min));
  create_all(kExceptions, [&](int i) {
    return std::pair{"/apis/windowguard.dev/v1/namespaces/" + namespace_name(i) + "/windowexceptions",
                     R"({"apiVersion":"windowguard.dev/v1","kind":"WindowException","metadata":{"name":"incident"},)"
                     R"("spec":{"windows":["change-freeze"],"requestedBy":"admin","until":")" +
                         until + R"(","reason":"INC-)" + std::to_string(i) + R"(: a hotfix during the freeze"}})"};
  });
  const Identity lead = Identity::user_with_certificate("lena", {"sre-leads"});
  cluster().kubeconfig(lead);  // made once, before the workers share it
  in_parallel(kExceptions, [&](int, int i) {
    const std::string at = date::format("%FT%TZ", date::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    const CommandResult approved = ClusterEnvironment::shared().cluster().kubectl(
        lead, {"patch", "windowexception", "incident", "-n", namespace_name(i), "--subresource=status", "--type=merge",
               "-p", R"({"status":{"approvals":[{"user":"lena","at":")" + at + R"(","groups":["sre-leads"]}]}})"});
    EXPECT_EQ(approved.exit_code, 0) << output_of(approved);
  });

  // Watched as they came, then listed by a webhook started afresh.
  const long watched_kib = settled_resident_kib();
  ClusterEnvironment::shared().stop_webhook();
  ClusterEnvironment::shared().start_webhook();
  const long listed_kib = settled_resident_kib();
  std::cout << "[ MEASURED ] resident memory with " << kExceptions << " exceptions in force and " << kNamespaces
            << " more namespaces: idle before " << idle_kib << " KiB; after watching them arrive " << watched_kib
            << " KiB; after listing them at start " << listed_kib << " KiB" << std::endl;
  EXPECT_LE(watched_kib, kTargetKib);
  EXPECT_LE(listed_kib, kTargetKib);
}

}  // namespace
}  // namespace windowguard::testing

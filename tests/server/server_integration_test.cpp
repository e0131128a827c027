// Integration tests: the real `windowguard serve` binary on a free 127.0.0.1
// port, certificates made at test time, real TLS.  Every loop is bounded.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <rapidjson/document.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/server_fixture.hpp"

namespace windowguard::testing {
namespace {

class ServerTest : public ServerFixture {};

TEST_F(ServerTest, AllowedDeniedWarnedAndDryRunReviews) {
  start();
  const rapidjson::Document allowed = json(validate(review("open")).body());
  EXPECT_STREQ(allowed["apiVersion"].GetString(), "admission.k8s.io/v1");
  EXPECT_STREQ(allowed["kind"].GetString(), "AdmissionReview");
  EXPECT_STREQ(allowed["response"]["uid"].GetString(), "u-create");
  EXPECT_TRUE(allowed["response"]["allowed"].GetBool());

  const HttpResponse denied_response = validate(review("frozen"));
  EXPECT_EQ(denied_response.result_int(), 200);
  EXPECT_EQ(denied_response[http::field::content_type], "application/json");
  const rapidjson::Document denied = json(denied_response.body());
  EXPECT_FALSE(denied["response"]["allowed"].GetBool());
  EXPECT_EQ(denied["response"]["status"]["code"].GetInt(), 403);
  EXPECT_NE(std::string(denied["response"]["status"]["message"].GetString())
                .find("deploy of Deployment frozen/api is blocked by blackout window \"always-frozen\""),
            std::string::npos);

  const rapidjson::Document exempt = json(validate(review("frozen", "oncall@example.com")).body());
  EXPECT_TRUE(exempt["response"]["allowed"].GetBool());
  EXPECT_STREQ(exempt["response"]["warnings"][0].GetString(),
               "windowguard: deploy allowed only because you are exempt from blackout window \"always-frozen\"");
  EXPECT_STREQ(exempt["response"]["auditAnnotations"]["bypassed-windows"].GetString(), "always-frozen");

  const rapidjson::Document soon = json(validate(review("soon")).body());
  EXPECT_TRUE(soon["response"]["allowed"].GetBool());
  EXPECT_NE(std::string(soon["response"]["warnings"][0].GetString()).find("by blackout window \"soon\""),
            std::string::npos);

  const std::string dry_run = replace_all(fixture("generated/deployment-create-dry-run.json"), "prod-eu-1", "frozen");
  const rapidjson::Document dry = json(validate(dry_run).body());
  EXPECT_FALSE(dry["response"]["allowed"].GetBool());
  EXPECT_TRUE(server_->wait_for_log("\"dryRun\":true", 5s));
  EXPECT_TRUE(
      server_->wait_for_log("\"msg\":\"admission decision\",\"uid\":\"u-create\",\"user\":\"alice@example.com\","
                            "\"namespace\":\"frozen\",\"kind\":\"Deployment\",\"name\":\"api\","
                            "\"operation\":\"CREATE\",\"action\":\"deploy\",\"decision\":\"denied\","
                            "\"windows\":[\"always-frozen\"],\"dryRun\":false",
                            5s));
}

TEST_F(ServerTest, EveryErrorStatus) {
  start({"--max-body-bytes", "65536", "--max-header-bytes", "8192"});
  TlsClient client(server_->port(), trusting());
  EXPECT_EQ(client.request(verb::get, "/nowhere").result_int(), 404);
  const HttpResponse wrong_method = client.request(verb::get, "/validate");
  EXPECT_EQ(wrong_method.result_int(), 405);
  EXPECT_EQ(wrong_method[http::field::allow], "POST");
  EXPECT_EQ(client.request(verb::post, "/healthz", "{}").result_int(), 405);
  EXPECT_EQ(client.request(verb::post, "/validate", review("open"), "text/plain").result_int(), 415);
  const HttpResponse malformed = client.request(verb::post, "/validate", "{\"apiVersion\":\"admission.k8s.io/v1\"}");
  EXPECT_EQ(malformed.result_int(), 400);
  EXPECT_EQ(malformed.body(), "malformed AdmissionReview: kind is missing\n");
  EXPECT_EQ(client.request(verb::post, "/validate", "garbage").result_int(), 400);
  // The connection survives all of the above (keep-alive).
  EXPECT_EQ(client.request(verb::get, "/healthz").body(), "ok\n");

  TlsClient big(server_->port(), trusting());
  big.write_raw(
      "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 102400\r\n\r\n");
  EXPECT_EQ(big.read_response().result_int(), 413);
  TlsClient chunked(server_->port(), trusting());  // no Content-Length: the limit applies as the body arrives
  chunked.write_raw(
      "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n10000\r\n" +
      std::string(0x10000, ' ') + "\r\n1\r\n \r\n");
  EXPECT_EQ(chunked.read_response().result_int(), 413);
  TlsClient huge_header(server_->port(), trusting());
  huge_header.write_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(16 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(huge_header.read_response().result_int(), 431);
  TlsClient garbage(server_->port(), trusting());
  garbage.write_raw("\x01\x02 not http at all\r\n\r\n");
  EXPECT_EQ(garbage.read_response().result_int(), 400);
}

TEST_F(ServerTest, PipelinedAndSplitRequestsAreEachAnswered) {
  start();
  TlsClient client(server_->port(), trusting());
  const std::string body = review("frozen");
  const std::string post = "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n";
  const auto denied = [&client] { return !json(client.read_response().body())["response"]["allowed"].GetBool(); };
  // Two requests in one record: the second is already read when the first is answered.
  client.write_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + post + body);
  EXPECT_EQ(client.read_response().body(), "ok\n");
  EXPECT_TRUE(denied());
  // The header alone, then the body in two records.
  client.write_raw(post);
  client.write_raw(body.substr(0, 100));
  client.write_raw(body.substr(100));
  EXPECT_TRUE(denied());
  // Half a header, then the rest of it with the body.
  client.write_raw(post.substr(0, 20));
  client.write_raw(post.substr(20) + body);
  EXPECT_TRUE(denied());
  // A chunked body, several chunks in one record.
  std::ostringstream rest_size;
  rest_size << std::hex << body.size() - 100;
  client.write_raw(
      "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n64\r\n" +
      body.substr(0, 100) + "\r\n" + rest_size.str() + "\r\n" + body.substr(100) + "\r\n0\r\n\r\n");
  EXPECT_TRUE(denied());
}

TEST_F(ServerTest, AConnectionTheClientAskedToCloseIsReleasedWithoutWaitingForTheClient) {
  start();
  TlsClient closing(server_->port(), trusting());
  closing.write_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(closing.read_response().body(), "ok\n");
  // `closing` stays open and never sends its close_notify.  The server sends
  // its own and lets go at once, well before its 2 s close deadline: then
  // only the connection asking for /metrics is open.
  bool released = false;
  for (int attempt = 0; attempt < 10 && !released; ++attempt) {
    released = get("/metrics").body().find("\nwindowguard_connections_open 1\n") != std::string::npos;
    if (!released) {
      std::this_thread::sleep_for(100ms);
    }
  }
  EXPECT_TRUE(released);
  EXPECT_EQ(closing.read_some(), "");
}

TEST_F(ServerTest, NotReadyWithoutAValidPolicyThenReadyWhenOneArrives) {
  policies_->publish(
      "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n  - name: x\n    type: sometimes\n");
  start();
  EXPECT_EQ(get("/healthz").result_int(), 200);
  const HttpResponse not_ready = get("/readyz");
  EXPECT_EQ(not_ready.result_int(), 503);
  EXPECT_NE(not_ready.body().find("policy.yaml:5:11: window \"x\" type \"sometimes\" is unknown"), std::string::npos)
      << not_ready.body();
  EXPECT_EQ(validate(review("open")).result_int(), 503);
  EXPECT_TRUE(server_->wait_for_log("policy rejected; not ready", 5s));
  policies_->publish(policy_text("frozen"));
  for (int attempt = 0; attempt < 100 && get("/readyz").result_int() != 200; ++attempt) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(get("/readyz").body(), "ready\n");
}

TEST_F(ServerTest, WindowsEndpointListsOccurrencesAsTheCliDoes) {
  start();
  const rapidjson::Document listing = json(get("/windows?environment=soon&days=1").body());
  ASSERT_TRUE(listing.IsArray());
  ASSERT_EQ(listing.Size(), 1U);
  EXPECT_STREQ(listing[0]["window"].GetString(), "soon");
  EXPECT_FALSE(listing[0]["active"].GetBool());
  EXPECT_EQ(json(get("/windows?environment=frozen&application=api&days=1").body())[0]["active"].GetBool(), true);
  EXPECT_EQ(get("/windows?days=0").result_int(), 400);
  EXPECT_EQ(get("/windows?application=api").result_int(), 400);
}

// Parses the Prometheus text format: every line is a comment or "name{labels} value".
// An exempt pass through a block is counted and logged apart from a plain
// allow, and the log names the requester's groups.
TEST_F(ServerTest, AnExemptPassIsCountedAndLoggedAsOne) {
  start();
  validate(review("frozen", "oncall@example.com"));
  validate(review("open"));
  const std::string metrics = get("/metrics").body();
  EXPECT_NE(metrics.find("windowguard_admission_requests_total{action=\"deploy\",decision=\"allowed-exempt\","
                         "dry_run=\"false\"} 1\n"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find(
                "windowguard_admission_requests_total{action=\"deploy\",decision=\"allowed\",dry_run=\"false\"} 1\n"),
            std::string::npos);
  EXPECT_TRUE(server_->wait_for_log("\"user\":\"oncall@example.com\"", 5s));
  EXPECT_TRUE(server_->wait_for_log("\"decision\":\"allowed-exempt\"", 5s));
  EXPECT_TRUE(server_->wait_for_log("\"groups\":[\"developers\",\"system:authenticated\"]", 5s));
}

TEST_F(ServerTest, MetricsExpositionParses) {
  start();
  validate(review("frozen"));
  validate(review("open"));
  get("/nowhere");
  const HttpResponse response = get("/metrics");
  EXPECT_EQ(response[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  std::map<std::string, std::string> types;
  std::map<std::string, double> samples;
  std::istringstream lines(response.body());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream fields(line.substr(7));
      std::string name, type;
      fields >> name >> type;
      types[name] = type;
      continue;
    }
    if (line.rfind("# HELP ", 0) == 0) {
      continue;
    }
    ASSERT_FALSE(line.empty() || line[0] == '#') << line;
    const std::size_t space = line.rfind(' ');
    ASSERT_NE(space, std::string::npos) << line;
    const std::string series = line.substr(0, space);
    const std::string name = series.substr(0, series.find('{'));
    ASSERT_TRUE(std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    })) << line;
    if (series.find('{') != std::string::npos) {
      ASSERT_EQ(series.back(), '}') << line;
    }
    const std::string family = types.count(name) ? name : name.substr(0, name.rfind('_'));
    ASSERT_TRUE(types.count(family) || types.count(name.substr(0, name.rfind("_bucket")))) << "no TYPE for " << line;
    samples[series] = std::stod(line.substr(space + 1));
  }
  EXPECT_EQ(types["windowguard_admission_requests_total"], "counter");
  EXPECT_EQ(types["windowguard_admission_duration_seconds"], "histogram");
  EXPECT_EQ((samples["windowguard_admission_requests_total{action=\"deploy\",decision=\"denied\",dry_run=\"false\"}"]),
            1);
  EXPECT_EQ((samples["windowguard_admission_requests_total{action=\"deploy\",decision=\"allowed\",dry_run=\"false\"}"]),
            1);
  EXPECT_EQ(samples["windowguard_admission_duration_seconds_count"], 2);
  EXPECT_EQ(samples["windowguard_admission_duration_seconds_bucket{le=\"+Inf\"}"], 2);
  EXPECT_EQ((samples["windowguard_http_responses_total{path=\"/validate\",code=\"200\"}"]), 2);
  EXPECT_EQ((samples["windowguard_http_responses_total{path=\"other\",code=\"404\"}"]), 1);
  EXPECT_EQ((samples["windowguard_policy_reloads_total{result=\"success\"}"]), 1);
  EXPECT_GT(samples["windowguard_policy_last_success_timestamp_seconds"], 1.7e9);
  EXPECT_EQ(samples["windowguard_policy_windows"], 2);
  EXPECT_EQ((samples["windowguard_window_active{window=\"always-frozen\",type=\"blackout\"}"]), 1);
  EXPECT_EQ((samples["windowguard_window_active{window=\"soon\",type=\"blackout\"}"]), 0);
  EXPECT_GT(samples["windowguard_certificate_expiry_timestamp_seconds"], 1.7e9);
  EXPECT_GE(samples["windowguard_connections_open"], 1);
}

TEST_F(ServerTest, TwoHundredConcurrentKeepAliveConnections) {
  start({"--max-connections", "300"});
  std::vector<std::unique_ptr<TlsClient>> clients;
  for (int i = 0; i < 200; ++i) {
    clients.push_back(std::make_unique<TlsClient>(server_->port(), trusting()));
  }
  for (int round = 0; round < 2; ++round) {
    int ok = 0;
    for (auto& client : clients) {
      ok += client->request(verb::post, "/validate", review("open")).result_int() == 200 ? 1 : 0;
    }
    EXPECT_EQ(ok, 200) << "round " << round;
  }
}

TEST_F(ServerTest, TooManyConnectionsAreClosedAtOnce) {
  start({"--max-connections", "3"});
  std::vector<std::unique_ptr<TlsClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<TlsClient>(server_->port(), trusting()));
  }
  EXPECT_THROW(TlsClient(server_->port(), trusting()), boost::system::system_error);
  clients.pop_back();
  // The closed connection is counted down once the server notices it.
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    try {
      served = TlsClient(server_->port(), trusting()).request(verb::get, "/healthz").result_int() == 200;
    } catch (const boost::system::system_error&) {
      std::this_thread::sleep_for(100ms);
    }
  }
  EXPECT_TRUE(served);
}

TEST_F(ServerTest, SlowLorisIsCutOffWhileOthersAreServed) {
  start({"--header-timeout", "1s"});
  TlsClient slow(server_->port(), trusting());
  const auto started = std::chrono::steady_clock::now();
  std::atomic<bool> cut_off{false};
  std::thread loris([&] {
    const std::string request = "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
    try {
      for (std::size_t i = 0; i < request.size() && i < 40; ++i) {  // at most ~8 s
        slow.write_raw(std::string(1, request[i]));
        std::this_thread::sleep_for(200ms);
      }
      cut_off = slow.read_some().empty();
    } catch (const boost::system::system_error&) {
      cut_off = true;
    }
  });
  int served = 0;
  for (int i = 0; i < 20; ++i) {
    served += validate(review("open")).result_int() == 200 ? 1 : 0;
  }
  loris.join();
  EXPECT_EQ(served, 20);
  EXPECT_TRUE(cut_off);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 9s);
}

TEST_F(ServerTest, CertificateRotationWhileRequestsFlow) {
  start();
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int> requests{0};
  std::thread traffic([&] {
    for (int i = 0; i < 2000 && !stop; ++i) {  // bounded
      try {
        failures += validate(review("open")).result_int() == 200 ? 0 : 1;
      } catch (const std::exception&) {
        ++failures;
      }
      ++requests;
    }
  });
  TlsClient long_lived(server_->port(), trusting());
  EXPECT_EQ(long_lived.server_common_name(), "first");

  install_tls("rotated");
  std::string served_name;
  for (int attempt = 0; attempt < 100 && served_name != "rotated"; ++attempt) {
    std::this_thread::sleep_for(100ms);
    served_name = TlsClient(server_->port(), trusting()).server_common_name();
  }
  EXPECT_EQ(served_name, "rotated");
  // The connection opened before the rotation still works.
  EXPECT_EQ(long_lived.request(verb::get, "/healthz").result_int(), 200);

  // A broken pair (the rotated certificate with the first key) is rejected: the rotated one stays.
  install_tls("rotated", "server");
  EXPECT_TRUE(server_->wait_for_log("certificate rejected; the previous one stays in use", 10s));
  EXPECT_EQ(TlsClient(server_->port(), trusting()).server_common_name(), "rotated");
  stop = true;
  traffic.join();
  EXPECT_GT(requests.load(), 0);
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(ServerTest, PolicyReloadWhileRequestsFlow) {
  start();
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread traffic([&] {
    for (int i = 0; i < 2000 && !stop; ++i) {
      try {
        const HttpResponse response = validate(review("open"));
        failures +=
            response.result_int() == 200 && response.body().find("\"allowed\":true") != std::string::npos ? 0 : 1;
      } catch (const std::exception&) {
        ++failures;
      }
    }
  });
  EXPECT_NE(validate(review("frozen")).body().find("\"allowed\":false"), std::string::npos);
  policies_->publish(policy_text("elsewhere"));  // frozen is no longer bound
  bool reloaded = false;
  for (int attempt = 0; attempt < 100 && !reloaded; ++attempt) {
    std::this_thread::sleep_for(100ms);
    reloaded = validate(review("frozen")).body().find("\"allowed\":true") != std::string::npos;
  }
  EXPECT_TRUE(reloaded);

  policies_->publish(
      "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nbindings:\n  - windows: [ghost]\n"
      "    environments: [frozen]\n");
  EXPECT_TRUE(server_->wait_for_log("policy rejected; the last good policy stays in force", 10s));
  EXPECT_TRUE(server_->wait_for_log("policy.yaml:4:15: binding refers to unknown window \\\"ghost\\\"", 1s));
  EXPECT_NE(validate(review("frozen")).body().find("\"allowed\":true"), std::string::npos);
  EXPECT_NE(get("/metrics").body().find("windowguard_policy_reloads_total{result=\"failure\"} 1"), std::string::npos);
  EXPECT_EQ(get("/readyz").result_int(), 200);
  stop = true;
  traffic.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(ServerTest, SigtermFinishesRequestsInFlightAndExitsZero) {
  start();
  TlsClient in_flight(server_->port(), trusting());
  const std::string body = review("open");
  in_flight.write_raw("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 100));
  TlsClient idle(server_->port(), trusting());
  std::this_thread::sleep_for(300ms);
  server_->signal(SIGTERM);
  EXPECT_TRUE(server_->wait_for_log("shutting down", 5s));
  in_flight.write_raw(body.substr(100));
  const HttpResponse response = in_flight.read_response();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_EQ(server_->wait_for_exit(10s), 0);
  EXPECT_TRUE(server_->wait_for_log("\"msg\":\"stopped\"", 2s));
  EXPECT_THROW(TlsClient(server_->port(), trusting()), boost::system::system_error);
}

TEST_F(ServerTest, Tls11IsRefusedAndTls12Accepted) {
  start();
  ClientOptions old_tls = trusting();
  old_tls.min_version = TLS1_VERSION;
  old_tls.max_version = TLS1_1_VERSION;
  EXPECT_THROW(TlsClient(server_->port(), old_tls), boost::system::system_error);
  ClientOptions tls12 = trusting();
  tls12.max_version = TLS1_2_VERSION;
  EXPECT_EQ(TlsClient(server_->port(), tls12).request(verb::get, "/healthz").result_int(), 200);
}

TEST_F(ServerTest, ClientCaModeRequiresAClientCertificateFromThatCa) {
  start({"--client-ca", (*certs_ / "ca.crt").string()});
  // TLS 1.3 reports a missing or foreign client certificate after the handshake, on first use.
  const auto refused = [&](const ClientOptions& options) {
    try {
      TlsClient client(server_->port(), options);
      return client.request(verb::get, "/healthz").result_int() != 200;
    } catch (const boost::system::system_error&) {
      return true;
    }
  };
  EXPECT_TRUE(refused(trusting()));
  ClientOptions stranger = trusting();
  stranger.certificate = (*certs_ / "stranger.crt").string();
  stranger.key = (*certs_ / "stranger.key").string();
  EXPECT_TRUE(refused(stranger));
  ClientOptions api_server = trusting();
  api_server.certificate = (*certs_ / "client.crt").string();
  api_server.key = (*certs_ / "client.key").string();
  EXPECT_EQ(TlsClient(server_->port(), api_server).request(verb::get, "/healthz").result_int(), 200);
}

TEST_F(ServerTest, EnvironmentVariablesConfigureTheServer) {
  setenv("WINDOWGUARD_MAX_BODY_BYTES", "1000", 1);
  setenv("WINDOWGUARD_NOT_AN_OPTION", "ignored", 1);  // other WINDOWGUARD_ variables are not serve's business
  start();
  unsetenv("WINDOWGUARD_MAX_BODY_BYTES");
  unsetenv("WINDOWGUARD_NOT_AN_OPTION");
  EXPECT_EQ(validate(review("open")).result_int(), 413);
}

TEST_F(ServerTest, StartsOnlyWithAUsableCertificate) {
  install_tls("rotated", "server");
  server_ = std::make_unique<ServerProcess>(
      "serve", std::vector<std::string>{"--tls-cert", (work_ / "tls/tls.crt").string(), "--tls-key",
                                        (work_ / "tls/tls.key").string(), "--policies", policies_->path()});
  EXPECT_FALSE(server_->running());
  EXPECT_EQ(server_->wait_for_exit(5s), 1);
  EXPECT_TRUE(server_->wait_for_log("does not match the certificate", 1s));
}

}  // namespace
}  // namespace windowguard::testing

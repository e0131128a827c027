// The webhook's HTTP semantics without sockets: routing, methods, content
// types, readiness and status codes, straight through handle_request, and
// the endpoints behind it.
#include "server/router.hpp"
#include "support/build_paths.hpp"

#include <gtest/gtest.h>

#include "policy/policy_directory.hpp"
#include "policy/policy_loader.hpp"
#include "report/page.hpp"
#include "server/endpoints/pages.hpp"
#include "server/endpoints/scrape.hpp"
#include "server/endpoints/validate.hpp"
#include "server/observation.hpp"
#include "server/responses.hpp"
#include "support/fixtures.hpp"
#include "support/object_write_review.hpp"
#include "support/policy_builder.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::server {
namespace {

using testing::fixture;

const core::Policy& test_policy() {
  static const auto loaded =
      policy::load_policy_directory(std::string(build_paths::source_dir) + "/tests/admission/policies");
  return *loaded.value().policy;
}

struct Exchange {
  http::verb method;
  std::string target;
  std::string content_type;  // none when empty
  std::string body;
};

struct Answered {
  unsigned status;
  std::string content_type;
  std::string allow;
  std::string body;
};

// The response in an outcome that has one.
const Response& response_of(const Handled& handled) {
  if (const auto* decided = std::get_if<DecidedReview>(&handled)) {
    return decided->response;
  }
  return std::get<Answer>(handled).response;
}

// How the page listener and the secret path are set, for the pages' tests.
struct PageAccess {
  std::string_view ui_token;
  bool pages_only = false;
};

Handled handled_by_session(Request& request, const HandlerContext& context) {
  static Metrics metrics;
  Handled handled = handle_request(request, context);
  // What the session has the renderer do, off the I/O thread.
  if (const auto* scrape = std::get_if<PendingScrape>(&handled)) {
    handled = answer_scrape(*scrape, metrics.render(context.policy, context.now));
  } else if (const auto* page = std::get_if<PendingPage>(&handled)) {
    const report::PageKind kind =
        page->endpoint == Endpoint::Calendar ? report::PageKind::Calendar : report::PageKind::Timeline;
    handled = answer_page(*page, report::render_page(*context.policy, {kind, page->request, false, "test"}, {}));
  }
  return handled;
}

Answered handle(const Exchange& exchange, const core::Policy* policy, std::string_view not_ready_reason = "",
                PageAccess access = {}) {
  core::DecisionMemo memo;
  Request request(exchange.method, exchange.target, 11);
  if (!exchange.content_type.empty()) {
    request.set(http::field::content_type, exchange.content_type);
  }
  request.body() = exchange.body;
  request.prepare_payload();
  HandlerContext context{policy, not_ready_reason, testing::utc("2024-05-04T12:00:00Z"), memo};
  context.ui_token = access.ui_token;
  context.pages_only = access.pages_only;
  const Handled handled = handled_by_session(request, context);
  const Response& response = response_of(handled);
  return {response.result_int(), std::string(response[http::field::content_type]),
          std::string(response[http::field::allow]), response.body()};
}

struct RouteCase {
  const char* name;
  Exchange exchange;
  unsigned status;
  std::string body_starts_with;
  std::string allow = "";
};

void PrintTo(const RouteCase& row, std::ostream* out) { *out << row.name; }

class Routing : public ::testing::TestWithParam<RouteCase> {};

TEST_P(Routing, AnswersEachEndpointAndMethodWithItsStatus) {
  const RouteCase& row = GetParam();
  const Answered handled = handle(row.exchange, &test_policy());
  EXPECT_EQ(handled.status, row.status) << handled.body;
  EXPECT_EQ(handled.body.substr(0, row.body_starts_with.size()), row.body_starts_with);
  EXPECT_EQ(handled.allow, row.allow);
}

const std::string kJson = "application/json";

const RouteCase kRouteCases[] = {
    {"a_review_is_decided",
     {http::verb::post, "/validate", kJson, fixture("generated/deployment-create.json")},
     200,
     "{\"apiVersion\":\"admission.k8s.io/v1\""},
    {"the_api_servers_timeout_parameter_is_ignored",
     {http::verb::post, "/validate?timeout=10s", kJson, fixture("generated/deployment-create.json")},
     200,
     "{"},
    {"a_charset_and_any_case_of_the_media_type",
     {http::verb::post, "/validate", "Application/JSON; charset=utf-8", fixture("generated/deployment-create.json")},
     200,
     "{"},
    {"validate_only_by_post", {http::verb::get, "/validate", "", ""}, 405, "use POST for /validate", "POST"},
    {"a_review_must_be_json",
     {http::verb::post, "/validate", "text/plain", "{}"},
     415,
     "Content-Type must be application/json"},
    {"a_malformed_review_is_a_bad_request",
     {http::verb::post, "/validate", kJson, "{\"kind\":"},
     400,
     "malformed AdmissionReview: body is not valid JSON"},
    {"healthz", {http::verb::get, "/healthz", "", ""}, 200, "ok"},
    {"readyz", {http::verb::get, "/readyz", "", ""}, 200, "ready"},
    {"metrics", {http::verb::get, "/metrics", "", ""}, 200, "# HELP"},
    {"windows", {http::verb::get, "/windows?environment=prod-eu-1&days=7", "", ""}, 200, "["},
    {"windows_needs_an_environment_for_an_application",
     {http::verb::get, "/windows?application=api", "", ""},
     400,
     "application needs environment"},
    {"probes_only_by_get", {http::verb::post, "/healthz", "", ""}, 405, "use GET", "GET"},
    {"the_page", {http::verb::get, "/ui", "", ""}, 200, "<!DOCTYPE html>"},
    {"the_page_with_blank_filters_as_its_form_sends_them",
     {http::verb::get, "/ui?environment=&application=&days=3", "", ""},
     200,
     "<!DOCTYPE html>"},
    {"the_page_looks_90_days_ahead_at_most",
     {http::verb::get, "/ui?days=91", "", ""},
     400,
     "days must be a whole number from 1 to 90"},
    {"the_feed", {http::verb::get, "/calendar.ics?environment=prod-*", "", ""}, 200, "BEGIN:VCALENDAR\r\n"},
    {"the_feed_looks_a_year_ahead", {http::verb::get, "/calendar.ics?days=366", "", ""}, 200, "BEGIN:VCALENDAR"},
    {"the_feed_looks_a_year_ahead_at_most",
     {http::verb::get, "/calendar.ics?days=367", "", ""},
     400,
     "days must be a whole number from 1 to 366"},
    {"pages_only_by_get", {http::verb::post, "/ui", "", ""}, 405, "use GET", "GET"},
    {"an_unknown_path", {http::verb::get, "/admin", "", ""}, 404, "not found"},
};

INSTANTIATE_TEST_SUITE_P(Table, Routing, ::testing::ValuesIn(kRouteCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Router, ThePageAndTheFeedSayWhatTheyAreAndForbidFetchesReferrersAndCaching) {
  Request request(http::verb::get, "/ui", 11);
  core::DecisionMemo memo;
  const HandlerContext context{&test_policy(), "", testing::utc("2024-05-04T12:00:00Z"), memo};
  const Handled page = handled_by_session(request, context);
  const Response& response = response_of(page);
  EXPECT_EQ(response[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(response["Content-Security-Policy"],
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response[http::field::cache_control], "no-store");
  EXPECT_EQ(std::get<Answer>(page).endpoint, Endpoint::Ui);
  Request feed_request(http::verb::get, "/calendar.ics", 11);
  const Handled feed = handled_by_session(feed_request, context);
  EXPECT_EQ(response_of(feed)[http::field::content_type], "text/calendar; charset=utf-8");
  EXPECT_EQ(std::get<Answer>(feed).endpoint, Endpoint::Calendar);
  EXPECT_EQ(handle({http::verb::get, "/ui", "", ""}, nullptr, "no policy yet").status, 503U);
}

TEST(Router, WithATokenThePagesAnswerOnlyUnderIt) {
  constexpr std::string_view kToken = "s3cret-0123456789";
  const PageAccess access{kToken};
  const auto status = [&](const std::string& target) {
    return handle({http::verb::get, target, "", ""}, &test_policy(), "", access).status;
  };
  EXPECT_EQ(status("/ui"), 404U);
  EXPECT_EQ(status("/calendar.ics"), 404U);
  EXPECT_EQ(status("/s3cret-0123456789/ui"), 200U);
  EXPECT_EQ(status("/s3cret-0123456789/calendar.ics?days=7"), 200U);
  EXPECT_EQ(status("/s3cret-0123456780/ui"), 404U) << "one character off";
  EXPECT_EQ(status("/s3cret-012345678/ui"), 404U) << "a prefix of it";
  EXPECT_EQ(status("/s3cret-0123456789x/ui"), 404U) << "longer";
  EXPECT_EQ(status("/s3cret-0123456789/metrics"), 404U) << "the token opens the pages only";
  EXPECT_EQ(status("/healthz"), 200U);
  EXPECT_EQ(endpoint_of("/s3cret-0123456789/calendar.ics?days=3", kToken), Endpoint::Calendar);
  EXPECT_EQ(endpoint_of("/ui", kToken), Endpoint::Other);
}

TEST(Router, AConnectionOfThePageListenerGetsThePagesOnly) {
  const PageAccess pages_only{{}, true};
  const auto status = [&](http::verb method, const std::string& target) {
    return handle({method, target, kJson, fixture("generated/deployment-create.json")}, &test_policy(), "", pages_only)
        .status;
  };
  EXPECT_EQ(status(http::verb::post, "/validate"), 404U);
  EXPECT_EQ(status(http::verb::get, "/metrics"), 404U);
  EXPECT_EQ(status(http::verb::get, "/windows?environment=prod-eu-1"), 404U);
  EXPECT_EQ(status(http::verb::get, "/healthz"), 404U);
  EXPECT_EQ(status(http::verb::get, "/ui"), 200U);
  EXPECT_EQ(status(http::verb::get, "/calendar.ics"), 200U);
}

TEST(Router, ADeniedReviewIsAnsweredWithStatusOkAndTheDenial) {
  const Answered handled =
      handle({http::verb::post, "/validate", kJson, fixture("generated/deployment-create.json")}, &test_policy());
  ASSERT_EQ(handled.status, 200U);
  EXPECT_EQ(handled.content_type, "application/json");
  EXPECT_NE(handled.body.find("\"allowed\":false"), std::string::npos) << handled.body;
  EXPECT_NE(handled.body.find("blackout window \\\"weekend-freeze\\\""), std::string::npos) << handled.body;
}

TEST(Router, WithoutAPolicyReviewsAndReadinessAreUnavailableAndLivenessIsNot) {
  const std::string reason = "no valid policy in /policies: /policies/p.yaml:3:1: kind must be \"WindowPolicy\"";
  const Answered review =
      handle({http::verb::post, "/validate", kJson, fixture("generated/deployment-create.json")}, nullptr, reason);
  EXPECT_EQ(review.status, 503U);
  EXPECT_EQ(review.body, "no valid policy is loaded: " + reason + "\n");
  const Answered ready = handle({http::verb::get, "/readyz", "", ""}, nullptr, reason);
  EXPECT_EQ(ready.status, 503U);
  EXPECT_NE(ready.body.find(reason), std::string::npos) << ready.body;
  EXPECT_EQ(handle({http::verb::get, "/healthz", "", ""}, nullptr, reason).status, 200U);
}

// With cluster access an eviction's review waits for its Pod, whose labels
// name its application; unread, every binding of the namespace applies.
TEST(Router, AnEvictionIsDecidedWithItsPodOrUnderEveryBindingOfItsNamespace) {
  using testing::WindowSpec;
  const core::Policy policy(
      {testing::make_window(WindowSpec{
          "billing-freeze", core::WindowType::Blackout, {core::Daily{testing::clock(0), testing::clock(23, 59)}}})},
      {core::Binding{{0}, {"prod-eu-1"}, {"billing"}, std::nullopt}}, core::Settings{});
  Metrics metrics;
  core::DecisionMemo memo;
  HandlerContext context{&policy, "", testing::utc("2024-05-08T12:00:00Z"), memo};
  context.reads_cluster = true;
  // As the session does: each decided review is observed, then answered.
  const auto observed = [&](DecidedReview decided) {
    observe(metrics, decided, policy, std::chrono::milliseconds(1));
    return std::move(decided.response);
  };
  const auto eviction_request = [] {
    Request request(http::verb::post, "/validate", 11);
    request.set(http::field::content_type, kJson);
    request.body() = fixture("generated/pod-eviction.json");
    request.prepare_payload();
    return request;
  };
  const auto pending_eviction = [&] {
    Request request = eviction_request();
    Handled handled = handle_request(request, context);
    EXPECT_TRUE(std::holds_alternative<PendingReview>(handled));
    return std::get<PendingReview>(std::move(handled));
  };
  // What the reader makes of the Pod it reads (tests/cluster_client/review_reader_test.cpp).
  const auto pod_of = [](const std::string& app) {
    return Result<cluster::ReviewFacts>(cluster::PodLabels{{"app", app}});
  };

  PendingReview api = pending_eviction();
  ASSERT_TRUE(std::holds_alternative<cluster::PodToRead>(api.needs));
  EXPECT_EQ(std::get<cluster::PodToRead>(api.needs).namespace_name, "prod-eu-1");
  EXPECT_EQ(std::get<cluster::PodToRead>(api.needs).name, "api-7d9c4b6f5-x2x7k");
  const Response api_answer = observed(answer_review(std::move(api), pod_of("api"), context));
  EXPECT_NE(api_answer.body().find("\"allowed\":true"), std::string::npos) << api_answer.body();
  PendingReview billing = pending_eviction();
  const Response billing_answer = observed(answer_review(std::move(billing), pod_of("billing"), context));
  EXPECT_NE(billing_answer.body().find("\"allowed\":false"), std::string::npos) << billing_answer.body();
  PendingReview unread = pending_eviction();
  const Response unread_answer =
      observed(answer_review(std::move(unread), Problem("GET /api/v1/...: HTTP 403"), context));
  EXPECT_NE(unread_answer.body().find("\"allowed\":false"), std::string::npos) << unread_answer.body();
  PendingReview garbled = pending_eviction();
  const Response garbled_answer =
      observed(answer_review(std::move(garbled), Problem("the API server's answer is not a Pod's JSON"), context));
  EXPECT_NE(garbled_answer.body().find("\"allowed\":false"), std::string::npos) << garbled_answer.body();

  const std::string rendered = metrics.render(&policy, context.now);
  EXPECT_NE(rendered.find("windowguard_evicted_pod_reads_total{result=\"read\"} 2"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("windowguard_evicted_pod_reads_total{result=\"unread\"} 2"), std::string::npos);
  EXPECT_NE(rendered.find("windowguard_http_responses_total{path=\"/validate\",code=\"200\"} 4"), std::string::npos);

  context.reads_cluster = false;
  Request request = eviction_request();
  EXPECT_TRUE(std::holds_alternative<DecidedReview>(handle_request(request, context))) << "without cluster access";
}

// With cluster access a promotion request waits for its source's workloads:
// it is accepted only for images its application runs there now.
TEST(Router, APromotionRequestIsDecidedWithTheImagesItsSourceRuns) {
  auto loaded = policy::load_policy({{"p.yaml", R"yaml(apiVersion: windowguard.dev/v1
kind: WindowPolicy
approvals:
  - name: prod-release
    environments: [shop-prod]
)yaml"}});
  ASSERT_TRUE(loaded);
  const core::Policy& policy = *loaded->policy;
  core::DecisionMemo memo;
  HandlerContext context{&policy, "", testing::utc("2026-12-05T18:00:00Z"), memo};
  context.reads_cluster = true;
  const std::string object =
      R"({"apiVersion":"windowguard.dev/v1","kind":"ImageApproval","metadata":{"name":"web-2","namespace":"shop-prod"},)"
      R"("spec":{"requestedBy":"alice","application":"web","images":["web:2"],"promotedFrom":"shop-staging"}})";
  const auto pending_promotion = [&] {
    Request request(http::verb::post, "/validate", 11);
    request.set(http::field::content_type, kJson);
    request.body() = testing::object_write_review({"ImageApproval", "imageapprovals", "web-2", "shop-prod"}, "CREATE",
                                                  "", "alice", "", object, "");
    request.prepare_payload();
    Handled handled = handle_request(request, context);
    EXPECT_TRUE(std::holds_alternative<PendingReview>(handled));
    return std::get<PendingReview>(std::move(handled));
  };
  // What the reader makes of the source's workloads and Pods
  // (tests/cluster_client/review_reader_test.cpp).
  const auto running_in_source = [](const std::vector<std::string>& images) {
    core::RunningImages running;
    for (const std::string& image : images) {
      running.named.push_back(core::parse_image_reference(image).value());
    }
    return Result<cluster::ReviewFacts>(std::move(running));
  };

  PendingReview running = pending_promotion();
  ASSERT_TRUE(std::holds_alternative<cluster::SourceToRead>(running.needs));
  EXPECT_EQ(std::get<cluster::SourceToRead>(running.needs).namespace_name, "shop-staging");
  EXPECT_EQ(std::get<cluster::SourceToRead>(running.needs).application, "web");
  const Response allowed =
      answer_review(std::move(running), running_in_source({"docker.io/library/web:2"}), context).response;
  EXPECT_NE(allowed.body().find("\"allowed\":true"), std::string::npos) << allowed.body();
  const Response other_app = answer_review(pending_promotion(), running_in_source({}), context).response;
  EXPECT_NE(other_app.body().find("does not run in \\\"shop-staging\\\" now"), std::string::npos) << other_app.body();
  const Response unread = answer_review(pending_promotion(), Problem("GET ...: HTTP 403"), context).response;
  EXPECT_NE(unread.body().find("could not read what runs there (GET ...: HTTP 403)"), std::string::npos)
      << unread.body();

  // A review that needed nothing read is decided as it is.
  PendingReview deployment{
      std::move(admission::decode_review(fixture("generated/deployment-create.json"))).value(), {}, 11, true};
  const Response decided = answer_review(std::move(deployment), Problem("nothing was read"), context).response;
  EXPECT_NE(decided.body().find("\"allowed\":true"), std::string::npos) << decided.body();
}

TEST(Router, EndpointsAreNamedByPathAlone) {
  EXPECT_EQ(endpoint_of("/validate?timeout=5s"), Endpoint::Validate);
  EXPECT_EQ(endpoint_of("/windows"), Endpoint::Windows);
  EXPECT_EQ(endpoint_of("/metrics?x=1"), Endpoint::Metrics);
  EXPECT_EQ(endpoint_of("/validatex"), Endpoint::Other);
  EXPECT_EQ(endpoint_of(""), Endpoint::Other);
}

TEST(Router, AnIncompleteRequestGetsAnErrorThatClosesTheConnection) {
  const Response response = error_response(http::status::payload_too_large, 11, "body too large");
  EXPECT_EQ(response.result_int(), 413U);
  EXPECT_EQ(response.body(), "body too large\n");
  EXPECT_FALSE(response.keep_alive());
}

}  // namespace
}  // namespace windowguard::server

// Google Benchmark: the request cost against the JSON-parse floor, decision
// cost against policy size, policy load time and the windows listing.
// Run with bench/run.sh (which also runs the load test).
#include <benchmark/benchmark.h>
#include <linux/perf_event.h>
#include <malloc.h>
#include <rapidjson/document.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "admission/admission_decision.hpp"
#include "admission/response_encoder.hpp"
#include "admission/review_decoder.hpp"
#include "adversarial_policies.hpp"
#include "core/decision.hpp"
#include "core/schedule/time_text.hpp"
#include "core/schedule/upcoming.hpp"
#include "logging/log.hpp"
#include "policy/policy_directory.hpp"
#include "policy/policy_loader.hpp"
#include "policy_generator.hpp"
#include "report/page.hpp"
#include "server/metrics.hpp"
#include "server/observation.hpp"
#include "server/published.hpp"
#include "server/router.hpp"
#include "support/build_paths.hpp"

namespace windowguard::bench {
namespace {

// Wednesday noon: no window of the synthetic policies is active, so requests
// are allowed after a full look at every applicable window (and at what starts
// within warnBeforeMinutes) - the common case on a real cluster.
const core::Instant kAt = *core::parse_rfc3339("2026-11-25T12:00:00Z");

std::string read_review(const std::string& label) {
  std::ifstream file(std::string(build_paths::source_dir) + "/bench/data/review-" + label + ".json");
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

const core::Policy& policy_of(int total) {
  static std::map<int, std::shared_ptr<const core::Policy>> cache;
  auto& slot = cache[total];
  if (!slot) {
    slot = policy::load_policy({{"bench.yaml", synthetic_policy(total, 20)}}).value().policy;
  }
  return *slot;
}

const char* const kSizes[] = {"4k", "30k", "200k"};

// Reports the user-space instructions retired per iteration, counted by the
// kernel's perf events from its construction (just before the benchmark's
// loop) to its destruction (just after).  Unlike time, the count does not
// depend on what else the shared machine runs.  Reports nothing where perf
// events are not allowed.
class InstructionsPerIteration {
 public:
  explicit InstructionsPerIteration(benchmark::State& state) : state_(state) {
    perf_event_attr attributes{};
    attributes.type = PERF_TYPE_HARDWARE;
    attributes.size = sizeof(attributes);
    attributes.config = PERF_COUNT_HW_INSTRUCTIONS;
    attributes.exclude_kernel = 1;
    attributes.exclude_hv = 1;
    descriptor_ = static_cast<int>(syscall(SYS_perf_event_open, &attributes, 0, -1, -1, 0));
  }
  ~InstructionsPerIteration() {
    std::uint64_t count = 0;
    if (descriptor_ >= 0 && ::read(descriptor_, &count, sizeof(count)) == sizeof(count) && state_.iterations() > 0) {
      state_.counters["instructions"] = static_cast<double>(count) / static_cast<double>(state_.iterations());
    }
    if (descriptor_ >= 0) {
      ::close(descriptor_);
    }
  }
  InstructionsPerIteration(const InstructionsPerIteration&) = delete;
  InstructionsPerIteration& operator=(const InstructionsPerIteration&) = delete;

 private:
  benchmark::State& state_;
  int descriptor_;
};

// The floor: RapidJSON parsing the body in place, with the decoder's own
// parser (admission::parse_body_in_place), so that the floor and the full path
// run the same machine code for the parse: where a build places that code
// moved the parse's time by a quarter or more on these machines, in either
// direction, which two separate copies of it turned into a ratio.  The body is
// copied first, as on the full path, since in-place parsing consumes it.
void parse_floor_request(const std::string& body) {
  std::string copy = body;
  rapidjson::Document document;
  benchmark::DoNotOptimize(admission::parse_body_in_place(copy.data(), document).result.IsError());
}
void BM_ParseFloor(benchmark::State& state) {
  const std::string body = read_review(kSizes[state.range(0)]);
  const InstructionsPerIteration counted(state);
  for (auto _ : state) {
    parse_floor_request(body);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetLabel(kSizes[state.range(0)]);
}
BENCHMARK(BM_ParseFloor)->DenseRange(0, 2);

// The same parse through RapidJSON's own entry point (Document::ParseInsitu,
// no nesting limit), for reference: a second copy of the parsing code.
void BM_ParseRapidjsonEntryPoint(benchmark::State& state) {
  const std::string body = read_review(kSizes[state.range(0)]);
  const InstructionsPerIteration counted(state);
  for (auto _ : state) {
    std::string copy = body;
    rapidjson::Document document;
    document.ParseInsitu(copy.data());
    benchmark::DoNotOptimize(document.IsObject());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetLabel(kSizes[state.range(0)]);
}
BENCHMARK(BM_ParseRapidjsonEntryPoint)->DenseRange(0, 2);

// windowguard's whole request path: decode + classify + decide + explain + encode,
// against a policy of 1,000 windows of which 20 apply, with the I/O thread's
// decision memo as the server has it.  Deciding afresh, requests alternate
// between two instants a week apart (the same state of every window): no
// decision holds from one to the other, so each request misses the decision
// memo and decides afresh from the schedule memo - the first request of a
// subject, requester and action, or the first after one of its windows
// changed.  Otherwise every request after the first finds its decision in the
// memo, as the requests that follow do.
//
// With `exceptions`, the cluster's WindowExceptions are in the decision too:
// 1,000 in force across 1,000 namespaces, one of them in the request's
// namespace and naming its requester (so that every decision afresh weighs
// its approvals), none lifting a window that blocks.
class FullPathRequests {
 public:
  FullPathRequests(const std::string& body, bool decide_afresh, const core::ExceptionBook* exceptions = nullptr,
                   const core::Policy& policy = policy_of(1000),
                   const core::ImageApprovalBook* image_approvals = nullptr)
      : body_(body),
        policy_(policy),
        instants_{kAt, decide_afresh ? kAt + core::days{7} : kAt},
        cluster_{exceptions, nullptr, {}, nullptr, image_approvals} {}
  void run_one() {
    auto decoded = admission::decode_review(body_);
    const auto& review = decoded.value().request();
    const core::Instant at = instants_[request_++ % 2];
    const admission::AdmissionDecision decision = admission::evaluate_request(policy_, review, at, &memo_, cluster_);
    std::string response = admission::encode_response(review.uid, decision);
    benchmark::DoNotOptimize(response.data());
  }

 private:
  const std::string& body_;
  const core::Policy& policy_;
  core::DecisionMemo memo_;
  core::Instant instants_[2];
  admission::ClusterFacts cluster_;
  std::int64_t request_ = 0;
};

// 1,000 WindowExceptions, each approved, in force around kAt and a week after
// it, in namespaces prod-eu-0 .. prod-eu-999 (the reviews' is prod-eu-1).
core::ExceptionBook make_thousand_exceptions() {
  std::vector<core::WindowException> exceptions;
  for (int i = 0; i < 1000; ++i) {
    core::WindowException exception;
    exception.namespace_name = "prod-eu-" + std::to_string(i);
    exception.name = "incident-" + std::to_string(i);
    exception.requested_by = "argocd";
    exception.reason = "an incident that needs a fix";
    exception.scope.windows = {"window-0"};
    exception.scope.users = {"argocd"};
    exception.scope.from = kAt - core::days{1};
    exception.scope.until = kAt + core::days{8};
    exception.approvals = {{"lead", kAt - core::hours{1}, {"system:masters"}}};
    exceptions.push_back(std::move(exception));
  }
  return core::ExceptionBook(std::move(exceptions));
}

const core::ExceptionBook& thousand_exceptions() {
  static const core::ExceptionBook book = make_thousand_exceptions();
  return book;
}

// What the webhook holds for them: the heap a book of 1,000 takes (the
// reflector's JSON copies of the objects come on top: see docs/performance.md).
void BM_ThousandExceptionsMemory(benchmark::State& state) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::size_t before = mallinfo2().uordblks;
    const core::ExceptionBook book = make_thousand_exceptions();
    bytes = mallinfo2().uordblks - before;
    benchmark::DoNotOptimize(book.all().data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ThousandExceptionsMemory)->Iterations(3)->Unit(benchmark::kMillisecond);

// One POST /validate through the router, answered and observed as the
// session does (its two reads of the steady clock included).
[[gnu::noinline]] void served_review(const std::string& body, const server::HandlerContext& context,
                                     server::Metrics& metrics) {
  const auto received = std::chrono::steady_clock::now();
  server::Request request(boost::beast::http::verb::post, "/validate", 11);
  request.set(boost::beast::http::field::content_type, "application/json");
  request.body() = body;
  server::Handled handled = server::handle_request(request, context);
  const server::DecidedReview& decided = std::get<server::DecidedReview>(handled);
  server::observe(metrics, decided, *context.policy, std::chrono::steady_clock::now() - received);
  benchmark::DoNotOptimize(decided.response.body().data());
}

void full_path(benchmark::State& state, bool decide_afresh, const std::string& kind = "") {
  const std::string body = read_review(kind + kSizes[state.range(0)]);
  FullPathRequests requests(body, decide_afresh);
  const InstructionsPerIteration counted(state);
  for (auto _ : state) {
    requests.run_one();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetLabel(kSizes[state.range(0)]);
}
void BM_FullPath(benchmark::State& state) { full_path(state, false); }
BENCHMARK(BM_FullPath)->DenseRange(0, 2);
void BM_FullPathDecidingAfresh(benchmark::State& state) { full_path(state, true); }
BENCHMARK(BM_FullPathDecidingAfresh)->DenseRange(0, 2);
// The same `kubectl set image` on a bare Pod that runs the Deployment's
// template: a Pod's review against a Deployment's, like for like.
void BM_FullPathPod(benchmark::State& state) { full_path(state, false, "pod-"); }
BENCHMARK(BM_FullPathPod)->DenseRange(0, 2);

// The full path as the server serves it: routing, and observing (the
// metrics, and the decision log line when info is logged) around decode,
// decide and encode.  Logged at warn, as `--log-level warn` runs: the line's
// cost is the logger's, not the routing's.  Against BM_FullPath, what the
// router and the observation cost.
void BM_ServedReview(benchmark::State& state) {
  logging::start_logging("warn");
  const std::string body = read_review(kSizes[state.range(0)]);
  server::Metrics metrics;
  core::DecisionMemo memo;
  const server::HandlerContext context{&policy_of(1000), "", kAt, memo};
  const InstructionsPerIteration counted(state);
  for (auto _ : state) {
    served_review(body, context, metrics);
  }
  state.SetLabel(kSizes[state.range(0)]);
  logging::stop_logging();
}
BENCHMARK(BM_ServedReview)->DenseRange(0, 2);

// The full path / floor time ratio in pairs, within one process: each
// iteration times 32 parses, 64 full-path requests and 32 parses again, block
// by block, so that the two sides of a pair meet the same machine within a
// millisecond or two.  Separate benchmarks see it seconds apart, and this
// shared machine's speed moves by a quarter or more in that time; a pair's
// ratio moves far less.  Reports `ratio`, the median of the pairs' ratios.
template <typename Request>
double seconds_for(int requests, Request&& request) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < requests; ++i) {
    request();
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
void paired_ratio(benchmark::State& state, bool decide_afresh, const core::ExceptionBook* exceptions = nullptr) {
  constexpr int kBlock = 32;
  const std::string body = read_review(kSizes[state.range(0)]);
  FullPathRequests requests(body, decide_afresh, exceptions);
  const auto parse = [&body] { parse_floor_request(body); };
  const auto full = [&requests] { requests.run_one(); };
  std::vector<double> ratios;
  for (auto _ : state) {
    const double floor_before = seconds_for(kBlock, parse);
    const double full_path = seconds_for(2 * kBlock, full);
    const double floor_after = seconds_for(kBlock, parse);
    ratios.push_back(full_path / (floor_before + floor_after));
  }
  const auto middle = ratios.begin() + static_cast<std::ptrdiff_t>(ratios.size() / 2);
  std::nth_element(ratios.begin(), middle, ratios.end());
  state.counters["ratio"] = *middle;
  state.SetLabel(kSizes[state.range(0)]);
}
void BM_PairedRatio(benchmark::State& state) { paired_ratio(state, false); }
BENCHMARK(BM_PairedRatio)->DenseRange(0, 2);
void BM_PairedRatioDecidingAfresh(benchmark::State& state) { paired_ratio(state, true); }
BENCHMARK(BM_PairedRatioDecidingAfresh)->DenseRange(0, 2);
void BM_PairedRatioWithExceptions(benchmark::State& state) { paired_ratio(state, false, &thousand_exceptions()); }
BENCHMARK(BM_PairedRatioWithExceptions)->DenseRange(0, 2);
void BM_PairedRatioDecidingAfreshWithExceptions(benchmark::State& state) {
  paired_ratio(state, true, &thousand_exceptions());
}
BENCHMARK(BM_PairedRatioDecidingAfreshWithExceptions)->DenseRange(0, 2);

// The synthetic policy of 1,000 windows with deployment approvals and an
// image policy for every prod-* namespace: what a deploy pays on top.
const core::Policy& policy_with_image_rules() {
  static const std::shared_ptr<const core::Policy> policy =
      policy::load_policy({{"bench.yaml", synthetic_policy(1000, 20) + R"(approvals:
  - name: prod-release
    environments: ["prod-*"]
    required: 1
imagePolicies:
  - name: prod-images
    environments: ["prod-*"]
    pass:
      - {registry: registry.example.com}
    fail:
      - {tag: latest}
)"}})
          .value()
          .policy;
  return *policy;
}

// 1,000 ImageApprovals, 10 in each of prod-eu-0 .. prod-eu-99; in the
// reviews' namespace one of them, approved, names every image the reviews run.
core::ImageApprovalBook make_thousand_image_approvals() {
  std::vector<core::ImageApproval> requests;
  for (int i = 0; i < 1000; ++i) {
    core::ImageApproval request;
    request.namespace_name = "prod-eu-" + std::to_string(i % 100);
    request.name = "release-" + std::to_string(i);
    request.requested_by = "dev";
    request.application = i == 1 ? "checkout" : "service-" + std::to_string(i);
    for (int image = 0; image < 33; ++image) {
      const std::string version = "1." + std::to_string(image) + "." + (image == 0 ? "1" : "0");
      request.images.push_back(
          *core::parse_image_reference("registry.example.com/team/service-" + std::to_string(image) + ":" + version));
    }
    request.approvals = {{"lead", kAt - core::hours{1}, {"system:masters"}}};
    requests.push_back(std::move(request));
  }
  return core::ImageApprovalBook(std::move(requests));
}

void BM_FullPathWithImageApprovals(benchmark::State& state) {
  static const core::ImageApprovalBook book = make_thousand_image_approvals();
  const std::string body = read_review(kSizes[state.range(0)]);
  FullPathRequests requests(body, false, nullptr, policy_with_image_rules(), &book);
  // What is measured must be the path that checks images, and let them in.
  auto decoded = admission::decode_review(body);
  const admission::AdmissionDecision decision =
      admission::evaluate_request(policy_with_image_rules(), decoded.value().request(), kAt, nullptr,
                                  admission::ClusterFacts{.image_approvals = &book});
  const bool checked = decision.audit_annotations.find(admission::AuditKey::ImageApprovals) != nullptr;
  if (!decision.allowed || !checked) {
    state.SkipWithError(("the review is not let in by its ImageApproval: " + decision.message).c_str());
    return;
  }
  const InstructionsPerIteration counted(state);
  for (auto _ : state) {
    requests.run_one();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetLabel(kSizes[state.range(0)]);
}
BENCHMARK(BM_FullPathWithImageApprovals)->DenseRange(0, 2);

// What approvals and image policies add to a deploy, in pairs as
// paired_ratio does: each iteration times 32 requests of today's full path,
// 64 with the image rules and 1,000 ImageApprovals, and 32 of today's again.
// Reports `ratio`, the median of the pairs' ratios (the issue's bound: 1.1).
void BM_PairedRatioImageApprovals(benchmark::State& state) {
  constexpr int kBlock = 32;
  static const core::ImageApprovalBook book = make_thousand_image_approvals();
  const std::string body = read_review(kSizes[state.range(0)]);
  FullPathRequests today(body, false);
  FullPathRequests with_images(body, false, nullptr, policy_with_image_rules(), &book);
  std::vector<double> ratios;
  for (auto _ : state) {
    const double before = seconds_for(kBlock, [&] { today.run_one(); });
    const double images = seconds_for(2 * kBlock, [&] { with_images.run_one(); });
    const double after = seconds_for(kBlock, [&] { today.run_one(); });
    ratios.push_back(images / (before + after));
  }
  const auto middle = ratios.begin() + static_cast<std::ptrdiff_t>(ratios.size() / 2);
  std::nth_element(ratios.begin(), middle, ratios.end());
  state.counters["ratio"] = *middle;
  state.SetLabel(kSizes[state.range(0)]);
}
BENCHMARK(BM_PairedRatioImageApprovals)->DenseRange(0, 2);

// The decision alone, 20 applicable windows, policies of 100 to 10,000
// windows: without a memo (what `windowguard check` pays, and a thread's
// first request to meet these windows), and with the schedule memo filled
// (a request that decides afresh, as in BM_FullPathDecidingAfresh).
void decide_repeatedly(benchmark::State& state, core::ScheduleMemo* memo) {
  const core::Policy& policy = policy_of(static_cast<int>(state.range(0)));
  const std::vector<std::string_view> groups{"developers"};
  core::DecisionInput input;
  input.action = core::Action::Deploy;
  input.subject = core::Subject{"prod-eu-1", "checkout", {}, false};
  input.requester = core::Requester{"alice@example.com", groups};
  input.at = kAt;
  const InstructionsPerIteration counted(state);
  for (auto _ : state) {
    core::Decision decision = core::decide(policy, input, memo);
    benchmark::DoNotOptimize(decision.allowed);
  }
}
void BM_Decide(benchmark::State& state) { decide_repeatedly(state, nullptr); }
BENCHMARK(BM_Decide)->Arg(100)->Arg(1000)->Arg(10000);
void BM_DecideMemo(benchmark::State& state) {
  core::ScheduleMemo memo;
  decide_repeatedly(state, &memo);
}
BENCHMARK(BM_DecideMemo)->Arg(100)->Arg(1000)->Arg(10000);

// The worst cases: each policy of bench/adversarial/ decided on its deny path
// (the walk to the end of the block) with a memo of the decision's own, as
// `windowguard check` decides and as a server thread decides first.  Reports
// the window states read and the occurrences generated per decision.
void BM_AdversarialDecision(benchmark::State& state) {
  static const std::vector<AdversarialPolicy> policies = load_adversarial_policies(build_paths::source_dir);
  const AdversarialPolicy& adversarial = policies.at(static_cast<std::size_t>(state.range(0)));
  const core::DecisionInput input = adversarial_request(adversarial.denied_at);
  core::EvaluationCost cost;
  for (auto _ : state) {
    const core::Decision decision = core::decide(*adversarial.policy, input);
    cost = decision.cost;
    benchmark::DoNotOptimize(decision.allowed);
  }
  state.counters["window_changes"] = static_cast<double>(cost.window_changes);
  state.counters["expansions"] = static_cast<double>(cost.expansions);
  state.SetLabel(adversarial.name);
}
BENCHMARK(BM_AdversarialDecision)->DenseRange(0, 10)->Unit(benchmark::kMicrosecond);

// Reading, validating and compiling a 10,000-window policy directory, and
// publishing it to the request path (what a reload costs).
void BM_LoadCompileSwap(benchmark::State& state) {
  const auto directory = std::filesystem::temp_directory_path() / "windowguard-bench-policy";
  std::filesystem::create_directories(directory);
  std::ofstream(directory / "policy.yaml") << synthetic_policy(static_cast<int>(state.range(0)), 20);
  server::Published<const core::Policy> published;
  for (auto _ : state) {
    auto loaded = policy::load_policy_directory(directory);
    published.publish(std::move(loaded.value().policy));
  }
  std::filesystem::remove_all(directory);
}
BENCHMARK(BM_LoadCompileSwap)->Arg(10000)->Unit(benchmark::kMillisecond);

// `windowguard windows --days 90` over 1,000 windows.
void BM_List90Days(benchmark::State& state) {
  const core::Policy& policy = policy_of(1000);
  core::ListingRequest request;
  request.at = kAt;
  request.ahead = core::days{90};
  for (auto _ : state) {
    auto listed = core::list_occurrences(policy, request);
    benchmark::DoNotOptimize(listed.data());
  }
}
BENCHMARK(BM_List90Days)->Unit(benchmark::kMillisecond);

// A scrape of /metrics: every window's state and forecast (its next
// activation and deactivation) and each environment's next blackout, for
// policies of 100 to 10,000 windows.
void BM_MetricsScrape(benchmark::State& state) {
  const core::Policy& policy = policy_of(static_cast<int>(state.range(0)));
  const server::Metrics metrics;
  for (auto _ : state) {
    std::string text = metrics.render(&policy, kAt);
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(BM_MetricsScrape)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// The page (GET /ui) and the feed (GET /calendar.ics) of 10,000 windows,
// each bound to a namespace of its own, over 14 and 90 days: the timeline
// and its rendering, as the renderer's thread makes them.
void BM_RenderPage(benchmark::State& state) {
  const core::Policy& policy = policy_of(10000);
  const bool feed = state.range(0) == 1;
  const report::PageRequest request{feed ? report::PageKind::Calendar : report::PageKind::Timeline,
                                    {kAt, core::days{feed ? core::kDefaultFeedDays : core::kDefaultPageDays}, {}, {}},
                                    false,
                                    "bench"};
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string page = report::render_page(policy, request, {});
    bytes = page.size();
    benchmark::DoNotOptimize(page.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderPage)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace windowguard::bench

BENCHMARK_MAIN();

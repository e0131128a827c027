#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <iterator>
#include <ostream>
#include <sstream>

#include <boost/program_options.hpp>

#include "admission/admission_decision.hpp"
#include "admission/review_decoder.hpp"
#include "cli/commands.hpp"
#include "cli/manifest_review.hpp"
#include "cli/options.hpp"
#include "core/join.hpp"
#include "core/schedule/time_text.hpp"
#include "policy/value_forms.hpp"
#include "report/decision_json.hpp"

namespace windowguard::cli {
namespace {

// The text of the file an option names ("-": standard input).
Result<std::string> read_input(const po::variables_map& values, const char* option, std::istream& standard_input) {
  const std::string path = values[option].as<std::string>();
  std::ostringstream text;
  if (path == "-") {
    text << standard_input.rdbuf();
    return text.str();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Problem("cannot read --" + std::string(option) + " " + path);
  }
  text << file.rdbuf();
  return text.str();
}

// The reviews of --manifest (and --old-manifest), as the API server would send them.
Result<ManifestReviews> manifest_reviews(const po::variables_map& values, const std::vector<std::string>& groups,
                                         const core::Settings& settings, std::istream& standard_input) {
  ManifestRequest request;
  auto manifest = read_input(values, "manifest", standard_input);
  if (!manifest) {
    return manifest.error();
  }
  request.manifest = std::move(manifest).value();
  if (values.count("old-manifest") != 0) {
    auto old_manifest = read_input(values, "old-manifest", standard_input);
    if (!old_manifest) {
      return old_manifest.error();
    }
    request.old_manifest = std::move(old_manifest).value();
  }
  if (values.count("operation") != 0) {
    request.operation = values["operation"].as<std::string>();
  }
  if (values.count("namespace") != 0) {
    request.namespace_name = values["namespace"].as<std::string>();
  }
  request.username = values.count("user") != 0 ? values["user"].as<std::string>() : "";
  request.groups = groups;
  return reviews_from_manifests(request, settings);
}

// While `check --wait` waits: SIGTERM and SIGINT are held back, so that one
// that arrives while deciding is not lost, and taken by sigtimedwait.
class TerminationSignals {
 public:
  TerminationSignals() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals_, &before_);
  }
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;
  ~TerminationSignals() { pthread_sigmask(SIG_SETMASK, &before_, nullptr); }

  // Sleeps for `duration` (no polling); true when a signal ended it.
  bool arrived_within(std::chrono::milliseconds duration) const {
    const auto whole = std::chrono::duration_cast<std::chrono::seconds>(duration);
    timespec timeout{static_cast<time_t>(whole.count()),
                     static_cast<long>(std::chrono::nanoseconds(duration - whole).count())};
    while (true) {
      const int taken = sigtimedwait(&signals_, nullptr, &timeout);
      if (taken >= 0) {
        return true;
      }
      if (errno != EINTR) {
        return false;  // EAGAIN: the time is up
      }
    }
  }

 private:
  sigset_t signals_{};
  sigset_t before_{};
};

// How long `check --wait` sleeps at most between two decisions: a block
// with no end in sight may still be lifted by an edit of the policy.
constexpr core::minutes kLongestWaitBetweenDecisions{1};

po::options_description check_options() {
  po::options_description options(
      "usage: windowguard check --policies DIR (--review FILE | --manifest FILE [options]) [--objects FILE]\n\n"
      "Decides offline, exactly as the webhook would: one review, or each governed object of a manifest;\n"
      "with --objects, as the webhook with cluster access would (WindowExceptions, ImageApprovals,\n"
      "namespace labels); without it, no image counts as approved.\n"
      "With --wait, a denied check waits for the block to lift (pipelines that queue a deploy).\n"
      "Exit 0 allowed, 1 any denied, 2 error.\n\noptions");
  options.add_options()                                                                                    //
      ("help,h", "show this help")                                                                         //
      ("policies", po::value<std::string>(), "policy directory (required)")                                //
      ("at", po::value<std::string>(), "RFC 3339 instant to decide at (default: now)")                     //
      ("user", po::value<std::string>(), "requester's user name (default: the review's, or none)")         //
      ("group", po::value<std::vector<std::string>>()->composing(), "requester's group (repeatable)")      //
      ("review", po::value<std::string>(), "an AdmissionReview v1 JSON file, or - for standard input")     //
      ("manifest", po::value<std::string>(), "Kubernetes objects, YAML or JSON (- for standard input)")    //
      ("old-manifest", po::value<std::string>(), "with --manifest: the object before an UPDATE")           //
      ("operation", po::value<std::string>(), "with --manifest: CREATE, UPDATE or DELETE")                 //
      ("namespace", po::value<std::string>(), "with --manifest: the namespace of objects that name none")  //
      ("objects", po::value<std::string>(),
       "the cluster's WindowExceptions, ImageApprovals and Namespaces: kubectl get wex,iap,ns -A -o yaml")  //
      ("output", po::value<std::string>()->default_value("text"), "text or json")                           //
      ("wait", "when denied, wait until the block lifts, reload the policy and decide again")               //
      ("timeout", po::value<std::string>(), "with --wait: give up after this long (Go duration; default 1h)");
  return options;
}

// What the options ask for, once they agree with one another.
struct CheckRequest {
  bool json = false;
  bool wait = false;
  core::seconds timeout{core::hours{1}};
  core::Instant at;
  std::optional<std::string> user;
  std::optional<std::vector<std::string>> groups;
};

// The problem is a usage error's message.
Result<CheckRequest> check_request_of(const po::variables_map& values) {
  if (values.count("policies") == 0) {
    return Problem("--policies DIR is required");
  }
  if ((values.count("review") != 0) == (values.count("manifest") != 0)) {
    return Problem("give exactly one of --review FILE and --manifest FILE");
  }
  for (const char* manifest_only : {"old-manifest", "operation", "namespace"}) {
    if (values.count(manifest_only) != 0 && values.count("manifest") == 0) {
      return Problem(std::string("--") + manifest_only + " goes with --manifest");
    }
  }
  CheckRequest request;
  const std::string output = values["output"].as<std::string>();
  if (output != "text" && output != "json") {
    return Problem("--output must be text or json");
  }
  request.json = output == "json";
  request.wait = values.count("wait") != 0;
  if (request.wait && values.count("at") != 0) {
    return Problem("--wait decides at the clock's time, so it takes no --at");
  }
  if (values.count("timeout") != 0) {
    if (!request.wait) {
      return Problem("--timeout goes with --wait");
    }
    const Result<core::seconds> timeout = policy::parse_go_duration(values["timeout"].as<std::string>());
    if (!timeout || *timeout <= core::seconds{0}) {
      return Problem("--timeout must be a positive Go duration such as 30m or 2h, not \"" +
                     values["timeout"].as<std::string>() + "\"");
    }
    request.timeout = *timeout;
  }
  const Result<core::Instant> at = instant_option(values);
  if (!at) {
    return at.error();
  }
  request.at = *at;
  if (values.count("user") != 0) {
    request.user = values["user"].as<std::string>();
  }
  if (values.count("group") != 0) {
    request.groups = values["group"].as<std::vector<std::string>>();
  }
  return request;
}

// What is decided: the reviews, and the cluster's objects they are decided
// with.  Every review is decoded before any is decided: an input error
// prints no decision.
struct CheckInputs {
  std::vector<admission::DecodedReview> reviews;
  ClusterObjects cluster;
};

Result<std::vector<std::string>> review_texts(const po::variables_map& values, const CheckRequest& request,
                                              const core::Settings& settings, std::istream& in, std::ostream& err) {
  if (values.count("review") != 0) {
    auto text = read_input(values, "review", in);
    if (!text) {
      return text.error();
    }
    return std::vector<std::string>{std::move(text).value()};
  }
  auto made = manifest_reviews(values, request.groups.value_or(std::vector<std::string>{}), settings, in);
  if (!made) {
    return made.error();
  }
  if (!made->skipped.empty()) {
    err << "windowguard check: not governed, so not decided: " << core::join(made->skipped) << '\n';
  }
  return std::move(made->reviews);
}

Result<CheckInputs> read_inputs(const po::variables_map& values, const CheckRequest& request,
                                const core::Settings& settings, std::istream& in, std::ostream& err) {
  auto texts = review_texts(values, request, settings, in, err);
  if (!texts) {
    return texts.error();
  }
  CheckInputs inputs;
  for (std::string& text : *texts) {
    auto one = admission::decode_review(std::move(text));
    if (!one) {
      return Problem("not a valid AdmissionReview: " + one.error().message);
    }
    inputs.reviews.push_back(std::move(one).value());
  }
  if (values.count("objects") == 0) {
    return inputs;
  }
  const auto text = read_input(values, "objects", in);
  if (!text) {
    return text.error();
  }
  auto read = cluster_objects_from(*text);
  if (!read) {
    return read.error();
  }
  inputs.cluster = std::move(read).value();
  if (!inputs.cluster.ignored.empty()) {
    err << "windowguard check: --objects: neither WindowException, ImageApproval nor Namespace, so ignored: "
        << core::join(inputs.cluster.ignored) << '\n';
  }
  return inputs;
}

// One decision of every review: whether all are allowed; the instant every
// denial lifts at, when each says (nullopt: allowed, or no end in sight);
// what blocks; and why waiting cannot help, when it cannot.
struct Round {
  bool allowed = true;
  std::optional<core::Instant> lifts_at;
  std::vector<std::string> blocked_by;  // "blackout window "x"", each once
  std::string time_proof;               // a denial time does not lift
};

class Checker {
 public:
  Checker(const CheckRequest& request, const CheckInputs& inputs, std::ostream& out)
      : request_(request), inputs_(inputs), out_(out) {}

  // Decides every review at `now`; prints the decisions when `print`.
  Round decide(const core::Policy& policy, core::Instant now, bool print) const {
    Round round;
    bool every_denial_ends = true;
    for (const admission::DecodedReview& review : inputs_.reviews) {
      const admission::AdmissionRequest request = as_requested(review);
      const ClusterObjects& cluster = inputs_.cluster;
      const admission::AdmissionDecision outcome = admission::evaluate_request(
          policy, request, now, nullptr,
          {cluster.exceptions.get(), cluster.namespaces.get(), {}, nullptr, cluster.image_approvals.get()});
      if (print) {
        print_decision(policy, outcome, request);
      }
      round.allowed = round.allowed && outcome.allowed;
      if (!outcome.allowed) {
        every_denial_ends = add_denial(policy, outcome, round) && every_denial_ends;
      }
    }
    if (!every_denial_ends) {
      round.lifts_at.reset();
    }
    return round;
  }

 private:
  admission::AdmissionRequest as_requested(const admission::DecodedReview& review) const {
    admission::AdmissionRequest request = review.request();
    if (request_.user) {
      request.username = *request_.user;
    }
    if (request_.groups) {
      request.groups.assign(request_.groups->begin(), request_.groups->end());
    }
    return request;
  }

  void print_decision(const core::Policy& policy, const admission::AdmissionDecision& outcome,
                      const admission::AdmissionRequest& request) const {
    if (request_.json) {
      out_ << report::decision_json(policy, outcome, request) << '\n';
      return;
    }
    out_ << (outcome.allowed ? "ALLOWED: " : "DENIED: ") << outcome.message << '\n';
    for (const std::string& warning : outcome.warnings) {
      out_ << "Warning: " << warning << '\n';
    }
  }

  // Adds what the denial says to the round; whether it says when it ends.
  static bool add_denial(const core::Policy& policy, const admission::AdmissionDecision& outcome, Round& round) {
    if (outcome.denied_by_images) {
      round.time_proof = "its images are denied (an image policy, or an approval missing), and waiting changes neither";
    } else if (!outcome.decision || outcome.decision->allowed) {
      round.time_proof = "the request is refused, and no window's end changes that";
    }
    if (outcome.decision && outcome.decision->deciding_window) {
      const core::Window& window = policy.windows()[*outcome.decision->deciding_window];
      std::string blocker = std::string(window.type == core::WindowType::Blackout ? "by " : "outside ") +
                            std::string(core::window_type_name(window.type)) + " window \"" + window.name + "\"";
      if (std::find(round.blocked_by.begin(), round.blocked_by.end(), blocker) == round.blocked_by.end()) {
        round.blocked_by.push_back(std::move(blocker));
      }
    }
    const auto& blocked_until = outcome.decision ? outcome.decision->blocked_until : std::nullopt;
    if (blocked_until) {
      round.lifts_at = std::max(round.lifts_at.value_or(*blocked_until), *blocked_until);
    }
    return blocked_until.has_value();
  }

  const CheckRequest& request_;
  const CheckInputs& inputs_;
  std::ostream& out_;
};

// --wait: decide, and while denied sleep until the block lifts (at most a
// minute, at most until the timeout), reload the policy, decide again.
int wait_until_allowed(const Checker& checker, const po::variables_map& values, const CheckRequest& request,
                       std::shared_ptr<const core::Policy> in_force, std::ostream& err) {
  const auto clock_now = [] { return date::floor<core::seconds>(std::chrono::system_clock::now()); };
  const TerminationSignals signals;
  const core::Instant deadline = clock_now() + request.timeout;
  while (true) {
    const core::Instant now = clock_now();
    const Round round = checker.decide(*in_force, now, false);
    if (round.allowed || now >= deadline || !round.time_proof.empty()) {
      const bool allowed = checker.decide(*in_force, now, true).allowed;
      if (!allowed && !round.time_proof.empty()) {
        err << "windowguard check: not waiting: " << round.time_proof << '\n';
      }
      return allowed ? kExitOk : kExitDenied;
    }
    const core::Instant wake =
        std::min({round.lifts_at.value_or(core::Instant::max()), now + kLongestWaitBetweenDecisions, deadline});
    err << "windowguard check: denied " << core::join(round.blocked_by) << "; waiting until " << core::format_utc(wake)
        << (round.lifts_at && wake == *round.lifts_at ? ", when the block lifts"
            : round.lifts_at ? " to decide again (the block lifts at " + core::format_utc(*round.lifts_at) + ")"
                             : " to decide again (no end of the block in sight)")
        << "; giving up at " << core::format_utc(deadline) << '\n';
    const auto sleep = std::chrono::ceil<std::chrono::milliseconds>(wake - std::chrono::system_clock::now());
    if (signals.arrived_within(std::max(sleep, std::chrono::milliseconds{0}))) {
      checker.decide(*in_force, clock_now(), true);
      err << "windowguard check: stopped while waiting; still denied\n";
      return kExitDenied;
    }
    if (std::shared_ptr<const core::Policy> reloaded = load_policies_option(values, err)) {
      in_force = std::move(reloaded);
    } else {
      err << "windowguard check: the policy no longer loads; deciding with the one loaded before\n";
    }
  }
}

}  // namespace

int run_check(const Arguments& arguments, std::istream& in, std::ostream& out, std::ostream& err) {
  const po::options_description options = check_options();
  const ParsedOptions parsed = parse_options("check", options, arguments, out, err);
  if (parsed.exit_code) {
    return *parsed.exit_code;
  }
  const po::variables_map& values = parsed.values;
  const Result<CheckRequest> request = check_request_of(values);
  if (!request) {
    return usage_error(err, "check", request.error().message);
  }
  // Read first: its settings.workloads name kinds that --manifest may hold.
  const std::shared_ptr<const core::Policy> policy = load_policies_option(values, err);
  if (!policy) {
    return kExitUsage;
  }
  const Result<CheckInputs> inputs = read_inputs(values, *request, policy->settings(), in, err);
  if (!inputs) {
    return usage_error(err, "check", inputs.error().message);
  }
  const Checker checker(*request, *inputs, out);
  if (!request->wait) {
    return checker.decide(*policy, request->at, true).allowed ? kExitOk : kExitDenied;
  }
  return wait_until_allowed(checker, values, *request, policy, err);
}

}  // namespace windowguard::cli

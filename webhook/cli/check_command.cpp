#include <fstream>
#include <iostream>
#include <iterator>
#include <ostream>
#include <sstream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <boost/program_options.hpp>

#include "admission/admission_decision.hpp"
#include "admission/review_decoder.hpp"
#include "cli/commands.hpp"
#include "cli/manifest_review.hpp"
#include "cli/options.hpp"
#include "core/time_text.hpp"

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

void write_json(const core::Policy& policy, const admission::AdmissionDecision& outcome,
                const admission::AdmissionRequest& request, std::ostream& out) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  const auto string = [&](std::string_view value) {
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  const admission::Classification& classification = outcome.classification;
  writer.StartObject();
  writer.Key("allowed");
  writer.Bool(outcome.allowed);
  writer.Key("action");
  if (outcome.action) {
    string(core::action_name(*outcome.action));
  } else {
    writer.Null();
  }
  writer.Key("operation");
  string(admission::operation_name(request.operation));
  writer.Key("kind");
  string(classification.kind);
  writer.Key("name");
  string(request.name);
  writer.Key("environment");
  string(classification.environment);
  writer.Key("application");
  string(classification.application);
  writer.Key("dryRun");
  writer.Bool(request.dry_run);
  writer.Key("reason");
  string(classification.reason);
  writer.Key("message");
  string(outcome.message);
  writer.Key("windows");
  writer.StartArray();
  if (outcome.decision) {
    for (const core::WindowStatus& status : outcome.decision->windows) {
      const core::Window& window = policy.windows()[status.window];
      writer.StartObject();
      writer.Key("name");
      string(window.name);
      writer.Key("type");
      string(core::window_type_name(window.type));
      writer.Key("active");
      writer.Bool(status.active);
      writer.Key("exempt");
      writer.Bool(status.exempt);
      if (status.occurrence) {
        writer.Key("start");
        string(core::format_in_zone(status.occurrence->from, window.schedule.zone()));
        writer.Key("end");
        string(core::format_in_zone(status.occurrence->to, window.schedule.zone()));
      }
      writer.EndObject();
    }
  }
  writer.EndArray();
  writer.Key("blockedUntil");
  if (outcome.decision && outcome.decision->blocked_until) {
    string(core::format_utc(*outcome.decision->blocked_until));
  } else {
    writer.Null();
  }
  writer.Key("warnings");
  writer.StartArray();
  for (const std::string& warning : outcome.warnings) {
    string(warning);
  }
  writer.EndArray();
  writer.EndObject();
  out << buffer.GetString() << '\n';
}

// The reviews of --manifest (and --old-manifest), as the API server would send them.
Result<ManifestReviews> manifest_reviews(const po::variables_map& values, const std::vector<std::string>& groups,
                                         std::istream& standard_input) {
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
  return reviews_from_manifests(request);
}

std::string join(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    joined += (joined.empty() ? "" : ", ") + name;
  }
  return joined;
}

}  // namespace

int run_check(const Arguments& arguments, std::istream& in, std::ostream& out, std::ostream& err) {
  po::options_description options(
      "usage: windowguard check --policies DIR (--review FILE | --manifest FILE [options]) [--objects FILE]\n\n"
      "Decides offline, exactly as the webhook would: one review, or each governed object of a manifest;\n"
      "with --objects, as the webhook with cluster access would (WindowExceptions, ImageApprovals,\n"
      "namespace labels); without it, no image counts as approved.\n"
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
      ("output", po::value<std::string>()->default_value("text"), "text or json");
  const ParsedOptions parsed = parse_options("check", options, arguments, out, err);
  if (parsed.exit_code) {
    return *parsed.exit_code;
  }
  const po::variables_map& values = parsed.values;
  const auto usage_error = [&](const std::string& message) { return cli::usage_error(err, "check", message); };
  if (values.count("policies") == 0) {
    return usage_error("--policies DIR is required");
  }
  if ((values.count("review") != 0) == (values.count("manifest") != 0)) {
    return usage_error("give exactly one of --review FILE and --manifest FILE");
  }
  for (const char* manifest_only : {"old-manifest", "operation", "namespace"}) {
    if (values.count(manifest_only) != 0 && values.count("manifest") == 0) {
      return usage_error(std::string("--") + manifest_only + " goes with --manifest");
    }
  }
  const std::string output = values["output"].as<std::string>();
  if (output != "text" && output != "json") {
    return usage_error("--output must be text or json");
  }
  const Result<core::Instant> at_option = instant_option(values);
  if (!at_option) {
    return usage_error(at_option.error().message);
  }
  const core::Instant at = *at_option;
  const std::vector<std::string> groups =
      values.count("group") != 0 ? values["group"].as<std::vector<std::string>>() : std::vector<std::string>{};

  std::vector<std::string> reviews;
  if (values.count("review") != 0) {
    auto text = read_input(values, "review", in);
    if (!text) {
      return usage_error(text.error().message);
    }
    reviews.push_back(std::move(text).value());
  } else {
    auto made = manifest_reviews(values, groups, in);
    if (!made) {
      return usage_error(made.error().message);
    }
    if (!made->skipped.empty()) {
      err << "windowguard check: not governed, so not decided: " << join(made->skipped) << '\n';
    }
    reviews = std::move(made->reviews);
  }

  // Every review is decoded before any is decided: an input error prints no decision.
  std::vector<admission::DecodedReview> decoded;
  for (std::string& review : reviews) {
    auto one = admission::decode_review(std::move(review));
    if (!one) {
      return usage_error("not a valid AdmissionReview: " + one.error().message);
    }
    decoded.push_back(std::move(one).value());
  }
  ClusterObjects cluster;
  if (values.count("objects") != 0) {
    const auto text = read_input(values, "objects", in);
    if (!text) {
      return usage_error(text.error().message);
    }
    auto read = cluster_objects_from(*text);
    if (!read) {
      return usage_error(read.error().message);
    }
    cluster = std::move(read).value();
    if (!cluster.ignored.empty()) {
      err << "windowguard check: --objects: neither WindowException, ImageApproval nor Namespace, so ignored: "
          << join(cluster.ignored) << '\n';
    }
  }
  const std::shared_ptr<const core::Policy> policy = load_policies_option(values, err);
  if (!policy) {
    return kExitUsage;
  }
  bool all_allowed = true;
  for (const admission::DecodedReview& review : decoded) {
    admission::AdmissionRequest request = review.request();
    if (values.count("user") != 0) {
      request.username = values["user"].as<std::string>();
    }
    if (values.count("group") != 0) {
      request.groups.assign(groups.begin(), groups.end());
    }
    const admission::AdmissionDecision outcome = admission::evaluate_request(
        *policy, request, at, nullptr,
        {cluster.exceptions.get(), cluster.namespaces.get(), {}, nullptr, cluster.image_approvals.get()});
    if (output == "json") {
      write_json(*policy, outcome, request, out);
    } else {
      out << (outcome.allowed ? "ALLOWED: " : "DENIED: ") << outcome.message << '\n';
      for (const std::string& warning : outcome.warnings) {
        out << "Warning: " << warning << '\n';
      }
    }
    all_allowed = all_allowed && outcome.allowed;
  }
  return all_allowed ? kExitOk : kExitDenied;
}

}  // namespace windowguard::cli

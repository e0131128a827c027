// The deployment-approval verbs (docs/approvals.md, "From the command
// line"): `image request` files an ImageApproval in your name; `promote`
// files one for the images an application runs in one environment, for the
// next.  approve, withdraw, cancel and requests serve both kinds
// (cli/exception_commands.cpp).
#include <rapidjson/document.h>

#include <ostream>

#include "admission/explanation.hpp"
#include "admission/template_images.hpp"
#include "cli/commands.hpp"
#include "cli/kubectl.hpp"
#include "cli/options.hpp"
#include "cli/request_writing.hpp"
#include "core/images/image_reference.hpp"
#include "objects/codec.hpp"

namespace windowguard::cli {
namespace {

// Creates the ImageApproval through kubectl, in the caller's name.
// `request` is filed with requestedBy set to the caller.
int file_image_request(objects::ImageApprovalRequest request, std::ostream& out, std::ostream& err) {
  const auto caller = who_am_i();
  if (!caller) {
    err << "windowguard: " << caller.error().message << '\n';
    return kExitUsage;
  }
  request.requested_by = caller->username;
  const auto created = run_kubectl({"create", "-f", "-"}, objects::encode_image_approval_request(request));
  if (const int failed = kubectl_failed(created, err); failed != kExitOk) {
    return failed;
  }
  out << created->out;
  out << "Ask an approver to run: windowguard approve image " << request.name << " -n " << request.namespace_name
      << '\n';
  return kExitOk;
}

int request_image(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  po::options_description options(
      "usage: windowguard image request NAME [-n NS] --application APP --image REF [--image REF ...]\n"
      "         [--built-by USER] [--promoted-from NS] [--approver USER ...]\n\n"
      "Files an ImageApproval in your name: the images may enter NS for APP once the approvers\n"
      "the policy's approvals rule names have approved it.\n\n"
      "options");
  options.add_options()                                                                                 //
      ("help,h", "show this help")                                                                      //
      ("name", po::value<std::string>(), "the request's name")                                          //
      ("namespace,n", po::value<std::string>(), "its namespace: the environment (default: kubectl's)")  //
      ("application", po::value<std::string>(), "the application (required)")                           //
      ("image", po::value<std::vector<std::string>>()->composing(), "an image reference (repeatable)")  //
      ("built-by", po::value<std::string>(), "who built the images (set by CI)")                        //
      ("promoted-from", po::value<std::string>(), "the environment the images run in now")              //
      ("approver", po::value<std::vector<std::string>>()->composing(), "whom you ask to approve (shown)");
  po::positional_options_description positional;
  positional.add("name", 1);
  const ParsedOptions parsed = parse_options("image request", options, arguments, out, err, {}, &positional);
  if (parsed.exit_code) {
    return *parsed.exit_code;
  }
  const po::variables_map& values = parsed.values;
  if (values.count("name") == 0) {
    return usage_error(err, "image request", "NAME is required");
  }
  for (const char* required : {"application", "image"}) {
    if (values.count(required) == 0) {
      return usage_error(err, "image request", std::string("--") + required + " is required");
    }
  }
  const auto namespace_name = namespace_option(values);
  if (!namespace_name) {
    return usage_error(err, "image request", namespace_name.error().message);
  }
  objects::ImageApprovalRequest request{
      values["name"].as<std::string>(),
      *namespace_name,
      "",
      values["application"].as<std::string>(),
      values["image"].as<std::vector<std::string>>(),
      values.count("built-by") != 0 ? values["built-by"].as<std::string>() : "",
      values.count("promoted-from") != 0 ? values["promoted-from"].as<std::string>() : "",
      values.count("approver") != 0 ? values["approver"].as<std::vector<std::string>>() : std::vector<std::string>{}};
  for (const std::string& image : request.images) {
    if (Result<core::ImageReference> parsed_image = core::parse_image_reference(image); !parsed_image) {
      return usage_error(err, "image request", "--image: " + parsed_image.error().message);
    }
  }
  return file_image_request(std::move(request), out, err);
}

}  // namespace

int run_image(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  if (arguments.empty() || arguments.front() != "request") {
    return usage_error(err, "image", "expected: windowguard image request NAME -n NS ... (--help for more)");
  }
  return request_image(Arguments(arguments.begin() + 1, arguments.end()), out, err);
}

namespace {

// The images `application` runs in `from`, each once, pinned to a digest
// where its Pods agree on one (admission::images_to_promote); nullopt, with
// the reason on `err` and the exit code in `exit_code`, when there are none
// or they cannot be read.
std::optional<std::vector<std::string>> images_running(const std::string& application, const std::string& from,
                                                       std::ostream& err, int& exit_code) {
  // The built-in workload kinds and the Pods, whose digests pin the images.
  const core::Settings settings;
  std::string kinds;
  for (const core::GovernedResource* kind : core::promotion_source_kinds(settings)) {
    kinds += (kinds.empty() ? "" : ",") + kind->resource + (kind->group.empty() ? "" : "." + kind->group);
  }
  const auto listed = run_kubectl({"get", kinds, "-n", from, "-o", "json"});
  if (exit_code = kubectl_failed(listed, err); exit_code != kExitOk) {
    return std::nullopt;
  }
  rapidjson::Document list;
  list.Parse(listed->out.c_str());
  if (list.HasParseError() || !list.IsObject()) {
    err << "windowguard promote: kubectl printed no list of workloads\n";
    exit_code = kExitUsage;
    return std::nullopt;
  }
  std::vector<std::string> images;
  for (const core::ImageReference& image : admission::images_to_promote(list, application, settings)) {
    const std::string normalized = image.normalized();
    if (std::find(images.begin(), images.end(), normalized) == images.end()) {
      images.push_back(normalized);
    }
  }
  if (images.empty()) {
    err << "windowguard promote: no workload of application \"" << application << "\" runs in " << from << '\n';
    exit_code = kExitDenied;
    return std::nullopt;
  }
  return images;
}

po::options_description promote_options() {
  po::options_description options(
      "usage: windowguard promote --application APP --from NS --to NS [NAME]\n\n"
      "Files an ImageApproval in NS --to for the images APP's Deployments, StatefulSets and\n"
      "DaemonSets run in NS --from now, marked as promoted from there: a promotion task for a\n"
      "pipeline's promotion phase. NAME defaults to the application and its first image's tag.\n\n"
      "options");
  options.add_options()                                                                //
      ("help,h", "show this help")                                                     //
      ("name", po::value<std::string>(), "the request's name")                         //
      ("application", po::value<std::string>(), "the application (required)")          //
      ("from", po::value<std::string>(), "the environment it runs in now (required)")  //
      ("to", po::value<std::string>(), "the environment to promote it to (required)")  //
      ("built-by", po::value<std::string>(), "who built the images (set by CI)")       //
      ("approver", po::value<std::vector<std::string>>()->composing(), "whom you ask to approve (shown)");
  return options;
}

}  // namespace

int run_promote(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  po::positional_options_description positional;
  positional.add("name", 1);
  const ParsedOptions parsed = parse_options("promote", promote_options(), arguments, out, err, {}, &positional);
  if (parsed.exit_code) {
    return *parsed.exit_code;
  }
  const po::variables_map& values = parsed.values;
  for (const char* required : {"application", "from", "to"}) {
    if (values.count(required) == 0) {
      return usage_error(err, "promote", std::string("--") + required + " is required");
    }
  }
  const std::string application = values["application"].as<std::string>();
  const std::string from = values["from"].as<std::string>();
  int exit_code = kExitOk;
  auto images = images_running(application, from, err, exit_code);
  if (!images) {
    return exit_code;
  }
  objects::ImageApprovalRequest request{
      values.count("name") != 0 ? values["name"].as<std::string>()
                                : admission::suggested_request_name(application, images->front()),
      values["to"].as<std::string>(),
      "",
      application,
      std::move(*images),
      values.count("built-by") != 0 ? values["built-by"].as<std::string>() : "",
      from,
      values.count("approver") != 0 ? values["approver"].as<std::vector<std::string>>() : std::vector<std::string>{}};
  return file_image_request(std::move(request), out, err);
}

}  // namespace windowguard::cli

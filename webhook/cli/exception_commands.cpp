// The request verbs (docs/exceptions.md and docs/approvals.md, "From the
// command line"): file a WindowException or an ImageApproval, promote what
// runs in one environment to the next, approve or withdraw an approval,
// cancel a request, list requests.  Each goes through kubectl
// (cli/kubectl.hpp); windowguard's webhook checks every write they make.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <chrono>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/kubectl.hpp"
#include "cli/options.hpp"
#include "cli/request_writing.hpp"
#include "core/exceptions/exception_writes.hpp"
#include "core/join.hpp"
#include "core/schedule/time_text.hpp"
#include "json/json_members.hpp"
#include "objects/codec.hpp"
#include "policy/value_forms.hpp"

namespace windowguard::cli {
namespace {

std::vector<std::string> texts_at(const rapidjson::Value* object, const char* name) {
  std::vector<std::string> texts;
  if (const rapidjson::Value* list = json::member(object, name); list != nullptr && list->IsArray()) {
    for (const rapidjson::Value& item : list->GetArray()) {
      if (item.IsString()) {
        texts.emplace_back(json::text(item));
      }
    }
  }
  return texts;
}

// What a request lifts, as approvers read it before they approve.
struct ShownScope {
  std::vector<std::string> windows;
  std::vector<std::string> users;  // the requester when the object names neither users nor groups
  std::vector<std::string> groups;
  std::vector<std::string> applications;  // empty: every application
  std::vector<std::string> actions;
  std::vector<std::string> broad;  // users and groups that stand for many people
};

std::optional<ShownScope> scope_of_exception(const rapidjson::Value& object) {
  const Result<core::WindowException> decoded = objects::decode_window_exception(object, core::Instant{});
  if (!decoded) {
    return std::nullopt;
  }
  const core::ExceptionScope& scope = decoded->scope;
  ShownScope shown{scope.windows, scope.users, scope.groups, scope.applications, {}, core::broad_people(scope)};
  for (const core::Action action : core::kAllActions) {
    if (scope.actions.contains(action)) {
      shown.actions.emplace_back(core::action_name(action));
    }
  }
  return shown;
}

// "a,b" for a table's column, `none` for no item.
std::string joined(const std::vector<std::string>& items, const char* none = "-") {
  return items.empty() ? none : core::join(items, ",");
}

void write_scope(JsonWriter& json, const ShownScope& scope) {
  write_list(json, "windows", scope.windows);
  write_list(json, "users", scope.users);
  write_list(json, "groups", scope.groups);
  write_list(json, "applications", scope.applications);
  write_list(json, "actions", scope.actions);
  write_list(json, "broad", scope.broad);
}

// What the approver just approved, one line a field.
void print_scope(std::ostream& out, const ShownScope& scope) {
  out << "  windows:      " << joined(scope.windows) << "\n  users:        " << joined(scope.users)
      << "\n  groups:       " << joined(scope.groups) << "\n  applications: " << joined(scope.applications, "all")
      << "\n  actions:      " << joined(scope.actions) << '\n';
  if (!scope.broad.empty()) {
    out << "  broad:        " << joined(scope.broad) << '\n';
  }
}

// A Go duration ("1h30m"), which has no unit of days, or whole days before
// one ("1d", "2d12h"): people ask for an exception "for a day".
Result<core::seconds> request_duration(std::string_view text) {
  const std::size_t day_mark = text.find('d');
  if (day_mark == std::string_view::npos) {
    return policy::parse_go_duration(text);
  }
  const std::string_view days = text.substr(0, day_mark);
  int count = 0;
  const auto [end, problem] = std::from_chars(days.data(), days.data() + days.size(), count);
  if (days.empty() || problem != std::errc{} || end != days.data() + days.size() || count > 7) {
    return Problem("\"" + std::string(text) +
                   "\" is neither a Go duration (1h30m) nor whole days of at most 7 (1d, 2d12h)");
  }
  core::seconds total = core::days{count};
  if (day_mark + 1 < text.size()) {
    const Result<core::seconds> rest = policy::parse_go_duration(text.substr(day_mark + 1));
    if (!rest) {
      return rest.error();
    }
    total += *rest;
  }
  return total;
}

po::options_description exception_request_options() {
  po::options_description options(
      "usage: windowguard exception request NAME [-n NS] --windows W[,W...] (--until RFC3339 | --for DURATION)\n"
      "         [--from RFC3339] [--applications A,...] [--actions A,...] [--users U,...] [--groups G,...]\n"
      "         --reason TEXT\n\n"
      "Files a WindowException in your name; it lifts the windows for you (or the users and groups\n"
      "given) once the approvers the policy names have approved it.\n\n"
      "options");
  options.add_options()                                                                                 //
      ("help,h", "show this help")                                                                      //
      ("name", po::value<std::string>(), "the request's name")                                          //
      ("namespace,n", po::value<std::string>(), "its namespace: the environment (default: kubectl's)")  //
      ("windows", po::value<std::string>(), "the windows to lift, comma-separated (required)")          //
      ("until", po::value<std::string>(), "when it ends (RFC 3339)")                                    //
      ("for", po::value<std::string>(), "or how long it lasts from now (1h30m, 1d)")                    //
      ("from", po::value<std::string>(), "when it starts (RFC 3339; default now)")                      //
      ("applications", po::value<std::string>(), "applications it covers (default all)")                //
      ("actions", po::value<std::string>(), "actions it covers (default all)")                          //
      ("users", po::value<std::string>(), "who may act under it (default you)")                         //
      ("groups", po::value<std::string>(), "groups who may act under it")                               //
      ("reason", po::value<std::string>(), "why, 10 to 1024 characters (required)");
  return options;
}

// --from (default now) and --until, or --for from --from.  The problem is a
// usage error's message.
Result<std::pair<core::Instant, core::Instant>> request_span(const po::variables_map& values) {
  core::Instant from = now();
  if (values.count("from") != 0) {
    const auto parsed_from = policy::parse_instant(values["from"].as<std::string>());
    if (!parsed_from) {
      return Problem("--from: " + parsed_from.error().message);
    }
    from = *parsed_from;
  }
  if (values.count("until") == 0) {
    const auto duration = request_duration(values["for"].as<std::string>());
    if (!duration) {
      return Problem("--for: " + duration.error().message);
    }
    return std::pair{from, from + *duration};
  }
  const auto until = policy::parse_instant(values["until"].as<std::string>());
  if (!until) {
    return Problem("--until: " + until.error().message);
  }
  if (*until <= now()) {
    return Problem("--until " + values["until"].as<std::string>() + " is in the past: give an end to come");
  }
  return std::pair{from, *until};
}

// The request the options describe, but for who files it and where.
Result<objects::ExceptionRequest> exception_request_of(const po::variables_map& values) {
  if (values.count("name") == 0) {
    return Problem("NAME is required");
  }
  for (const char* required : {"windows", "reason"}) {
    if (values.count(required) == 0) {
      return Problem(std::string("--") + required + " is required");
    }
  }
  if ((values.count("until") != 0) == (values.count("for") != 0)) {
    return Problem("give exactly one of --until and --for");
  }
  const auto span = request_span(values);
  if (!span) {
    return span.error();
  }
  const auto list_of = [&](const char* name) {
    return values.count(name) != 0 ? comma_list(values[name].as<std::string>()) : std::vector<std::string>{};
  };
  return objects::ExceptionRequest{values["name"].as<std::string>(),
                                   "",
                                   "",
                                   values["reason"].as<std::string>(),
                                   list_of("windows"),
                                   list_of("applications"),
                                   list_of("actions"),
                                   list_of("users"),
                                   list_of("groups"),
                                   span->first,
                                   span->second};
}

int request_exception(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  po::positional_options_description positional;
  positional.add("name", 1);
  const ParsedOptions parsed =
      parse_options("exception request", exception_request_options(), arguments, out, err, {}, &positional);
  if (parsed.exit_code) {
    return *parsed.exit_code;
  }
  auto request = exception_request_of(parsed.values);
  if (!request) {
    return usage_error(err, "exception request", request.error().message);
  }
  auto namespace_name = namespace_option(parsed.values);
  if (!namespace_name) {
    return usage_error(err, "exception request", namespace_name.error().message);
  }
  const auto caller = who_am_i();
  if (!caller) {
    err << "windowguard: " << caller.error().message << '\n';
    return kExitUsage;
  }
  request->namespace_name = std::move(namespace_name).value();
  request->requested_by = caller->username;
  const auto created = run_kubectl({"create", "-f", "-"}, objects::encode_exception_request(*request));
  if (const int failed = kubectl_failed(created, err); failed != kExitOk) {
    return failed;
  }
  out << created->out;
  out << "Ask an approver to run: windowguard approve exception " << request->name << " -n " << request->namespace_name
      << '\n';
  return kExitOk;
}

struct Target {
  std::string resource;  // kubectl's name of the kind: windowexception or imageapproval
  std::string name;
  std::string namespace_name;
};

// `(exception | image) NAME -n NS`, for approve, withdraw and cancel.
std::optional<Target> parse_target(const std::string& verb, const Arguments& arguments, std::ostream& out,
                                   std::ostream& err, int& exit_code) {
  po::options_description options("usage: windowguard " + verb + " (exception | image) NAME [-n NS]\n\noptions");
  options.add_options()                                         //
      ("help,h", "show this help")                              //
      ("kind", po::value<std::string>(), "exception or image")  //
      ("name", po::value<std::string>(), "the request's name")  //
      ("namespace,n", po::value<std::string>(), "its namespace (default: kubectl's)");
  po::positional_options_description positional;
  positional.add("kind", 1).add("name", 1);
  const ParsedOptions parsed = parse_options(verb, options, arguments, out, err, {}, &positional);
  if (parsed.exit_code) {
    exit_code = *parsed.exit_code;
    return std::nullopt;
  }
  const po::variables_map& values = parsed.values;
  const std::string kind = values.count("kind") != 0 ? values["kind"].as<std::string>() : "";
  if (kind != "exception" && kind != "image") {
    exit_code = usage_error(err, verb, "say what: windowguard " + verb + " (exception | image) NAME [-n NS]");
    return std::nullopt;
  }
  if (values.count("name") == 0) {
    exit_code = usage_error(err, verb, "NAME is required");
    return std::nullopt;
  }
  const auto namespace_name = namespace_option(values);
  if (!namespace_name) {
    exit_code = usage_error(err, verb, namespace_name.error().message);
    return std::nullopt;
  }
  return Target{kind == "exception" ? "windowexception" : "imageapproval", values["name"].as<std::string>(),
                *namespace_name};
}

// What an approve or withdraw needs of the object as it was read.
struct ApprovalsRead {
  std::string resource_version;
  bool has_status = false;
  bool has_approvals = false;
  std::optional<rapidjson::SizeType> callers;  // the index of the caller's approval
};

ApprovalsRead read_approvals(const rapidjson::Value& object, const std::string& username) {
  ApprovalsRead read;
  read.resource_version = json::string_at(&object, {"metadata", "resourceVersion"});
  const rapidjson::Value* status = json::member(&object, "status");
  const rapidjson::Value* approvals = json::member(status, "approvals");
  read.has_status = status != nullptr;
  read.has_approvals = approvals != nullptr && approvals->IsArray();
  if (read.has_approvals) {
    for (rapidjson::SizeType i = 0; i < approvals->Size(); ++i) {
      if (json::string_at(&(*approvals)[i], {"user"}) == username) {
        read.callers = i;
      }
    }
  }
  return read;
}

void write_approval(JsonWriter& json, const Caller& caller) {
  json.StartObject();
  json.Key("user");
  json.String(caller.username.c_str());
  json.Key("at");
  json.String(core::format_utc(now()).c_str());
  std::vector<std::string> groups;
  for (const std::string& group : caller.groups) {
    if (group != "system:authenticated") {
      groups.push_back(group);
    }
  }
  write_list(json, "groups", groups);
  json.EndObject();
}

// A JSON patch that adds the caller's approval (or removes it) and sets the
// resourceVersion it was read at: the API server takes a patch's
// resourceVersion as a precondition and answers 409 Conflict if the object
// has changed since, so two approvers at once never lose one another's write.
std::string approval_patch(bool approve, const ApprovalsRead& read, const Caller& caller) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartArray();
  json.StartObject();
  json.Key("op");
  json.String("replace");
  json.Key("path");
  json.String("/metadata/resourceVersion");
  json.Key("value");
  json.String(read.resource_version.c_str());
  json.EndObject();
  json.StartObject();
  if (approve) {
    json.Key("op");
    json.String("add");
    json.Key("path");
    json.String(!read.has_status ? "/status" : !read.has_approvals ? "/status/approvals" : "/status/approvals/-");
    json.Key("value");
    if (!read.has_status) {
      json.StartObject();
      json.Key("approvals");
    }
    if (!read.has_approvals) {
      json.StartArray();
    }
    write_approval(json, caller);
    if (!read.has_approvals) {
      json.EndArray();
    }
    if (!read.has_status) {
      json.EndObject();
    }
  } else {
    json.Key("op");
    json.String("remove");
    json.Key("path");
    json.String(("/status/approvals/" + std::to_string(read.callers.value_or(0))).c_str());
  }
  json.EndObject();
  json.EndArray();
  return buffer.GetString();
}

// What an approval lets in: an exception's scope, an image approval's
// images for its application.
void print_approved(std::ostream& out, const std::string& resource, const rapidjson::Value& object) {
  const rapidjson::Value* spec = json::member(&object, "spec");
  if (resource == "imageapproval") {
    out << "  application:  " << json::string_at(spec, {"application"})
        << "\n  images:       " << joined(texts_at(spec, "images")) << '\n';
    return;
  }
  if (const std::optional<ShownScope> scope = scope_of_exception(object)) {
    print_scope(out, *scope);
  }
}

// What a failed status patch means to the person who ran the verb: RBAC's
// refusal names a verb (kubectl gets the status before it patches it) and a
// resource, so it is said in the verb's words, with who may approve.
int explain_refused_patch(const std::string& verb, const Target& target, const rapidjson::Value& object,
                          const Caller& caller, const KubectlResult& patched, std::ostream& err) {
  const bool refused_by_rbac = patched.err.find("is forbidden: User") != std::string::npos &&
                               patched.err.find("s/status\"") != std::string::npos;
  if (!refused_by_rbac) {
    err << patched.err;
    return kExitDenied;
  }
  const std::string approvers = json::string_at(&object, {"status", "approvers"});
  err << "windowguard: you (" << caller.username << ") may not " << verb
      << " in this cluster: RBAC does not let you write " << target.resource
      << "s/status (the windowguard-approver role grants it).\n"
      << "Who may approve " << target.namespace_name << "/" << target.name << ": "
      << (approvers.empty() ? "windowguard has not said yet; see the policy's approvers" : approvers) << ".\n";
  return kExitDenied;
}

// One attempt of an approve or withdraw: nullopt when another write came
// between the read and the patch (409 Conflict), else the exit code.
std::optional<int> try_change_approval(const std::string& verb, const Target& target, const Caller& caller,
                                       bool last_attempt, std::ostream& out, std::ostream& err) {
  const bool approve = verb == "approve";
  const std::string shown = target.namespace_name + "/" + target.name;
  const auto got = run_kubectl({"get", target.resource, target.name, "-n", target.namespace_name, "-o", "json"});
  if (const int failed = kubectl_failed(got, err); failed != kExitOk) {
    return failed;
  }
  rapidjson::Document object;
  object.Parse(got->out.c_str());
  const ApprovalsRead read = read_approvals(object, caller.username);
  if (approve == read.callers.has_value()) {
    out << "You (" << caller.username << ") "
        << (approve ? "have approved " + shown + " already" : "have no approval on " + shown + " to withdraw") << ".\n";
    return kExitOk;
  }
  const auto patched =
      run_kubectl({"patch", target.resource, target.name, "-n", target.namespace_name, "--subresource=status",
                   "--type=json", "-p", approval_patch(approve, read, caller)});
  if (!patched) {
    err << "windowguard: " << patched.error().message << '\n';
    return kExitUsage;
  }
  if (patched->exit_code != 0) {
    const bool conflict = patched->err.find("the object has been modified") != std::string::npos;
    if (conflict && !last_attempt) {
      return std::nullopt;
    }
    return explain_refused_patch(verb, target, object, caller, *patched, err);
  }
  err << patched->err;
  out << (approve ? "Approved " : "Withdrew your approval of ") << shown << " as " << caller.username << ".\n";
  if (approve) {
    print_approved(out, target.resource, object);
  }
  return kExitOk;
}

// Adds (approve) or removes (withdraw) the caller's approval; when another
// write came between the read and the patch, it reads again and retries.
int change_approval(const std::string& verb, const Arguments& arguments, std::ostream& out, std::ostream& err) {
  int exit_code = kExitOk;
  const auto target = parse_target(verb, arguments, out, err, exit_code);
  if (!target) {
    return exit_code;
  }
  const auto caller = who_am_i();
  if (!caller) {
    err << "windowguard: " << caller.error().message << '\n';
    return kExitUsage;
  }
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    if (const std::optional<int> done = try_change_approval(verb, *target, *caller, attempt == kAttempts, out, err)) {
      return *done;
    }
  }
}

int cancel_request(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  int exit_code = kExitOk;
  const auto target = parse_target("cancel", arguments, out, err, exit_code);
  if (!target) {
    return exit_code;
  }
  const auto deleted = run_kubectl({"delete", target->resource, target->name, "-n", target->namespace_name});
  if (const int failed = kubectl_failed(deleted, err); failed != kExitOk) {
    return failed;
  }
  out << deleted->out;
  return kExitOk;
}

}  // namespace

int run_exception(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  if (arguments.empty() || arguments.front() != "request") {
    return usage_error(err, "exception", "expected: windowguard exception request NAME -n NS ... (--help for more)");
  }
  return request_exception(Arguments(arguments.begin() + 1, arguments.end()), out, err);
}

int run_approve(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  return change_approval("approve", arguments, out, err);
}

int run_withdraw(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  return change_approval("withdraw", arguments, out, err);
}

int run_cancel(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  return cancel_request(arguments, out, err);
}

namespace {

std::vector<std::string> approvers_of(const rapidjson::Value* status) {
  std::vector<std::string> approvers;
  if (const rapidjson::Value* approvals = json::member(status, "approvals");
      approvals != nullptr && approvals->IsArray()) {
    for (const rapidjson::Value& approval : approvals->GetArray()) {
      approvers.push_back(json::string_at(&approval, {"user"}));
    }
  }
  return approvers;
}

std::string shown(const std::string& value) { return value.empty() ? "?" : value; }

// One row of each kind's table (with `wide`, an exception's scope too), and
// its JSON.
void list_exception(const rapidjson::Value& item, bool wide, std::ostream& table, JsonWriter& json) {
  const rapidjson::Value* metadata = json::member(&item, "metadata");
  const rapidjson::Value* spec = json::member(&item, "spec");
  const rapidjson::Value* status = json::member(&item, "status");
  const std::vector<std::string> approvers = approvers_of(status);
  const std::optional<ShownScope> scope = scope_of_exception(item);
  table << std::setw(20) << json::string_at(metadata, {"namespace"}) << std::setw(24)
        << json::string_at(metadata, {"name"}) << std::setw(24) << json::string_at(spec, {"requestedBy"})
        << std::setw(10) << shown(json::string_at(status, {"approved"})) << std::setw(11)
        << shown(json::string_at(status, {"state"})) << std::setw(22) << json::string_at(spec, {"until"})
        << (wide ? std::setw(16) : std::setw(0)) << joined(approvers);
  if (wide && scope) {
    table << std::setw(24) << joined(scope->windows) << std::setw(20) << joined(scope->users) << std::setw(24)
          << joined(scope->groups) << std::setw(16) << joined(scope->applications, "all") << joined(scope->actions);
  }
  table << '\n';
  json.StartObject();
  write_text(json, "kind", "WindowException");
  write_text(json, "namespace", json::string_at(metadata, {"namespace"}));
  write_text(json, "name", json::string_at(metadata, {"name"}));
  write_text(json, "requestedBy", json::string_at(spec, {"requestedBy"}));
  write_text(json, "reason", json::string_at(spec, {"reason"}));
  if (scope) {
    write_scope(json, *scope);
  }
  write_text(json, "from", json::string_at(spec, {"from"}));
  write_text(json, "until", json::string_at(spec, {"until"}));
  write_text(json, "approved", json::string_at(status, {"approved"}));
  write_text(json, "state", json::string_at(status, {"state"}));
  write_list(json, "approvers", approvers);
  write_text(json, "eligibleApprovers", json::string_at(status, {"approvers"}));
  json.EndObject();
}

void list_image_approval(const rapidjson::Value& item, std::ostream& table, JsonWriter& json) {
  const rapidjson::Value* metadata = json::member(&item, "metadata");
  const rapidjson::Value* spec = json::member(&item, "spec");
  const rapidjson::Value* status = json::member(&item, "status");
  const std::vector<std::string> approvers = approvers_of(status);
  const std::vector<std::string> images = texts_at(spec, "images");
  const std::string promoted_from = json::string_at(spec, {"promotedFrom"});
  table << std::setw(20) << json::string_at(metadata, {"namespace"}) << std::setw(24)
        << json::string_at(metadata, {"name"}) << std::setw(24) << json::string_at(spec, {"requestedBy"})
        << std::setw(10) << shown(json::string_at(status, {"approved"})) << std::setw(11)
        << shown(json::string_at(status, {"state"})) << std::setw(16) << json::string_at(spec, {"application"})
        << std::setw(20) << (promoted_from.empty() ? "-" : promoted_from) << std::setw(16) << joined(approvers)
        << joined(images) << '\n';
  json.StartObject();
  write_text(json, "kind", "ImageApproval");
  write_text(json, "namespace", json::string_at(metadata, {"namespace"}));
  write_text(json, "name", json::string_at(metadata, {"name"}));
  write_text(json, "requestedBy", json::string_at(spec, {"requestedBy"}));
  write_text(json, "application", json::string_at(spec, {"application"}));
  write_list(json, "images", images);
  write_text(json, "promotedFrom", promoted_from);
  write_text(json, "approved", json::string_at(status, {"approved"}));
  write_text(json, "state", json::string_at(status, {"state"}));
  write_list(json, "approvers", approvers);
  json.EndObject();
}

// The tables' headers: an exception's, with its scope when `wide`; an
// image approval's.
std::string exceptions_header(bool wide) {
  std::ostringstream header;
  header << std::left << std::setw(20) << "NAMESPACE" << std::setw(24) << "NAME" << std::setw(24) << "REQUESTED-BY"
         << std::setw(10) << "APPROVALS" << std::setw(11) << "STATE" << std::setw(22) << "UNTIL";
  if (wide) {
    header << std::setw(16) << "APPROVED-BY" << std::setw(24) << "WINDOWS" << std::setw(20) << "USERS" << std::setw(24)
           << "GROUPS" << std::setw(16) << "APPLICATIONS"
           << "ACTIONS\n";
  } else {
    header << "APPROVED-BY\n";
  }
  return header.str();
}

std::string image_approvals_header() {
  std::ostringstream header;
  header << std::left << std::setw(20) << "NAMESPACE" << std::setw(24) << "IMAGE-APPROVAL" << std::setw(24)
         << "REQUESTED-BY" << std::setw(10) << "APPROVALS" << std::setw(11) << "STATE" << std::setw(16) << "APPLICATION"
         << std::setw(20) << "PROMOTED-FROM" << std::setw(16) << "APPROVED-BY"
         << "IMAGES\n";
  return header.str();
}

// Both kinds' requests, as `kubectl get -o json` listed them, in the output
// asked for.
void print_requests(const rapidjson::Value& items, const std::string& output, std::ostream& out) {
  const bool wide = output == "wide";
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartArray();
  std::ostringstream exceptions;
  std::ostringstream image_approvals;
  exceptions << std::left << exceptions_header(wide);
  image_approvals << std::left << image_approvals_header();
  bool any_image_approval = false;
  for (const rapidjson::Value& item : items.GetArray()) {
    if (json::string_at(&item, {"kind"}) == objects::kImageApprovalKind) {
      any_image_approval = true;
      list_image_approval(item, image_approvals, json);
    } else {
      list_exception(item, wide, exceptions, json);
    }
  }
  json.EndArray();
  if (output == "json") {
    out << buffer.GetString() << '\n';
    return;
  }
  out << exceptions.str();
  if (any_image_approval) {
    out << '\n' << image_approvals.str();
  }
}

}  // namespace

int run_requests(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  po::options_description options(
      "usage: windowguard requests [-n NS | -A] [--output text|wide|json]\n\n"
      "Lists WindowExceptions and ImageApprovals with their approvals and state, as windowguard\n"
      "keeps them; wide and json add what each exception lifts, and for whom.\n\noptions");
  options.add_options()                                                                //
      ("help,h", "show this help")                                                     //
      ("namespace,n", po::value<std::string>(), "one namespace (default: kubectl's)")  //
      ("all-namespaces,A", "every namespace")                                          //
      ("output,o", po::value<std::string>()->default_value("text"), "text, wide or json");
  const ParsedOptions parsed = parse_options("requests", options, arguments, out, err);
  if (parsed.exit_code) {
    return *parsed.exit_code;
  }
  const po::variables_map& values = parsed.values;
  const std::string output = values["output"].as<std::string>();
  if (output != "text" && output != "wide" && output != "json") {
    return usage_error(err, "requests", "--output must be text, wide or json");
  }
  std::vector<std::string> kubectl_arguments{"get", "windowexceptions,imageapprovals", "-o", "json"};
  if (values.count("all-namespaces") != 0) {
    kubectl_arguments.push_back("-A");
  } else if (values.count("namespace") != 0) {
    kubectl_arguments.insert(kubectl_arguments.end(), {"-n", values["namespace"].as<std::string>()});
  }
  const auto listed = run_kubectl(kubectl_arguments);
  if (const int failed = kubectl_failed(listed, err); failed != kExitOk) {
    return failed;
  }
  rapidjson::Document list;
  list.Parse(listed->out.c_str());
  const rapidjson::Value* items = json::member(&list, "items");
  if (items == nullptr || !items->IsArray()) {
    err << "windowguard: kubectl printed no list of requests\n";
    return kExitUsage;
  }
  print_requests(*items, output, out);
  return kExitOk;
}

}  // namespace windowguard::cli

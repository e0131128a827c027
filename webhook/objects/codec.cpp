#include "objects/codec.hpp"

#include <algorithm>
#include <optional>

#include "core/schedule/time_text.hpp"
#include "json/json_members.hpp"
#include "json/json_writing.hpp"

namespace windowguard::objects {
namespace {

// Reads the fields of one object, keeping the first problem.
class FieldReader {
 public:
  explicit FieldReader(std::string_view prefix) : prefix_(prefix) {}

  std::optional<std::string> text(const rapidjson::Value* object, std::string_view name, bool required) {
    const rapidjson::Value* value = json::member(object, name);
    if (value == nullptr || value->IsNull()) {
      if (required) {
        fail(name, "is required");
      }
      return std::nullopt;
    }
    if (!value->IsString()) {
      fail(name, "must be a string");
      return std::nullopt;
    }
    return std::string(json::text(*value));
  }

  std::vector<std::string> texts(const rapidjson::Value* object, std::string_view name) {
    std::vector<std::string> result;
    const rapidjson::Value* value = json::member(object, name);
    if (value == nullptr || value->IsNull()) {
      return result;
    }
    if (!value->IsArray()) {
      fail(name, "must be a list of strings");
      return result;
    }
    for (const rapidjson::Value& item : value->GetArray()) {
      if (!item.IsString()) {
        fail(name, "must be a list of strings");
        return {};
      }
      result.emplace_back(json::text(item));
    }
    return result;
  }

  std::optional<core::Instant> instant(const rapidjson::Value* object, std::string_view name, bool required) {
    const std::optional<std::string> raw = text(object, name, required);
    if (!raw) {
      return std::nullopt;
    }
    const std::optional<core::Instant> parsed = core::parse_rfc3339(*raw);
    if (!parsed) {
      fail(name, "must be an RFC 3339 instant such as 2026-12-05T18:00:00Z, not \"" + *raw + "\"");
    }
    return parsed;
  }

  void fail(std::string_view name, const std::string& what) {
    if (!problem_) {
      problem_ = std::string(prefix_) + std::string(name) + " " + what;
    }
  }
  const std::optional<std::string>& problem() const { return problem_; }

 private:
  std::string_view prefix_;
  std::optional<std::string> problem_;
};

core::ActionSet actions_of(FieldReader& reader, const std::vector<std::string>& names) {
  core::ActionSet actions;
  for (const std::string& name : names) {
    const auto found = std::find_if(core::kAllActions.begin(), core::kAllActions.end(),
                                    [&](core::Action action) { return core::action_name(action) == name; });
    if (found == core::kAllActions.end()) {
      reader.fail("actions", "names an unknown action \"" + name +
                                 "\"; expected deploy, restart, delete, hibernate or unhibernate");
    } else {
      actions.add(*found);
    }
  }
  return names.empty() ? core::ActionSet::all() : actions;
}

// What both kinds share: metadata's name, namespace and creation, and a spec.
struct ObjectParts {
  std::string name;
  std::string namespace_name;
  std::optional<core::Instant> created;
  const rapidjson::Value* spec = nullptr;
};

Result<ObjectParts> parts_of(const rapidjson::Value& object) {
  FieldReader metadata_reader("metadata.");
  const rapidjson::Value* metadata = json::member(&object, "metadata");
  ObjectParts parts;
  parts.name = metadata_reader.text(metadata, "name", false).value_or("");
  parts.namespace_name = metadata_reader.text(metadata, "namespace", false).value_or("");
  parts.created = metadata_reader.instant(metadata, "creationTimestamp", false);
  if (metadata_reader.problem()) {
    return Problem(*metadata_reader.problem());
  }
  parts.spec = json::member(&object, "spec");
  if (parts.spec == nullptr || !parts.spec->IsObject()) {
    return Problem("spec is required");
  }
  return parts;
}

// status.approvals, the same for both kinds.
Result<std::vector<core::Approval>> approvals_of(const rapidjson::Value& object) {
  std::vector<core::Approval> result;
  const rapidjson::Value* approvals = json::member(json::member(&object, "status"), "approvals");
  if (approvals == nullptr || approvals->IsNull()) {
    return result;
  }
  if (!approvals->IsArray()) {
    return Problem("status.approvals must be a list");
  }
  FieldReader approval_reader("status.approvals[].");
  for (const rapidjson::Value& item : approvals->GetArray()) {
    core::Approval approval;
    approval.user = approval_reader.text(&item, "user", true).value_or("");
    approval.at = approval_reader.instant(&item, "at", true).value_or(core::Instant{});
    approval.groups = approval_reader.texts(&item, "groups");
    if (approval_reader.problem()) {
      return Problem(*approval_reader.problem());
    }
    result.push_back(std::move(approval));
  }
  return result;
}

}  // namespace

Result<core::WindowException> decode_window_exception(const rapidjson::Value& object, core::Instant created) {
  Result<ObjectParts> parts = parts_of(object);
  if (!parts) {
    return parts.error();
  }
  core::WindowException exception;
  exception.name = std::move(parts->name);
  exception.namespace_name = std::move(parts->namespace_name);
  const core::Instant creation = parts->created.value_or(created);
  const rapidjson::Value* spec = parts->spec;
  FieldReader spec_reader("spec.");
  exception.requested_by = spec_reader.text(spec, "requestedBy", true).value_or("");
  exception.reason = spec_reader.text(spec, "reason", true).value_or("");
  core::ExceptionScope& scope = exception.scope;
  scope.windows = spec_reader.texts(spec, "windows");
  scope.applications = spec_reader.texts(spec, "applications");
  scope.actions = actions_of(spec_reader, spec_reader.texts(spec, "actions"));
  scope.users = spec_reader.texts(spec, "users");
  scope.groups = spec_reader.texts(spec, "groups");
  scope.from = spec_reader.instant(spec, "from", false).value_or(creation);
  scope.until = spec_reader.instant(spec, "until", true).value_or(core::Instant{});
  if (spec_reader.problem()) {
    return Problem(*spec_reader.problem());
  }
  if (scope.users.empty() && scope.groups.empty()) {
    scope.users.push_back(exception.requested_by);
  }
  Result<std::vector<core::Approval>> approvals = approvals_of(object);
  if (!approvals) {
    return approvals.error();
  }
  exception.approvals = std::move(*approvals);
  return exception;
}

Result<core::ImageApproval> decode_image_approval(const rapidjson::Value& object) {
  Result<ObjectParts> parts = parts_of(object);
  if (!parts) {
    return parts.error();
  }
  core::ImageApproval request;
  request.name = std::move(parts->name);
  request.namespace_name = std::move(parts->namespace_name);
  const rapidjson::Value* spec = parts->spec;
  FieldReader spec_reader("spec.");
  request.requested_by = spec_reader.text(spec, "requestedBy", true).value_or("");
  request.application = spec_reader.text(spec, "application", true).value_or("");
  const std::vector<std::string> images = spec_reader.texts(spec, "images");
  request.built_by = spec_reader.text(spec, "builtBy", false).value_or("");
  request.promoted_from = spec_reader.text(spec, "promotedFrom", false).value_or("");
  request.approvers = spec_reader.texts(spec, "approvers");
  if (spec_reader.problem()) {
    return Problem(*spec_reader.problem());
  }
  if (images.empty() || images.size() > kMostImagesPerApproval) {
    return Problem("spec.images must list 1 to " + std::to_string(kMostImagesPerApproval) + " image references");
  }
  for (std::size_t i = 0; i < images.size(); ++i) {
    Result<core::ImageReference> image = core::parse_image_reference(images[i]);
    if (!image) {
      return Problem("spec.images[" + std::to_string(i) + "]: " + image.error().message);
    }
    request.images.push_back(std::move(*image));
  }
  Result<std::vector<core::Approval>> approvals = approvals_of(object);
  if (!approvals) {
    return approvals.error();
  }
  request.approvals = std::move(*approvals);
  return request;
}

namespace {

using json::write_list;
using json::write_text;
using json::Writer;

// {"apiVersion":"windowguard.dev/v1","kind":KIND,"metadata":{...},"spec":{ ... left open
void start_object(Writer& json, std::string_view kind, const std::string& name, const std::string& namespace_name) {
  json.StartObject();
  write_text(json, "apiVersion", std::string(kExceptionGroup) + "/v1");
  write_text(json, "kind", kind);
  json.Key("metadata");
  json.StartObject();
  write_text(json, "name", name);
  write_text(json, "namespace", namespace_name);
  json.EndObject();
  json.Key("spec");
  json.StartObject();
}

}  // namespace

std::string encode_exception_request(const ExceptionRequest& request) {
  rapidjson::StringBuffer buffer;
  Writer json(buffer);
  start_object(json, kExceptionKind, request.name, request.namespace_name);
  write_text(json, "requestedBy", request.requested_by);
  write_text(json, "reason", request.reason);
  write_list(json, "windows", request.windows);
  for (const auto& [key, list] :
       {std::pair{"applications", &request.applications}, std::pair{"actions", &request.actions},
        std::pair{"users", &request.users}, std::pair{"groups", &request.groups}}) {
    if (!list->empty()) {
      write_list(json, key, *list);
    }
  }
  write_text(json, "from", core::format_utc(request.from));
  write_text(json, "until", core::format_utc(request.until));
  json.EndObject();
  json.EndObject();
  return buffer.GetString();
}

std::string encode_image_approval_request(const ImageApprovalRequest& request) {
  rapidjson::StringBuffer buffer;
  Writer json(buffer);
  start_object(json, kImageApprovalKind, request.name, request.namespace_name);
  write_text(json, "requestedBy", request.requested_by);
  write_text(json, "application", request.application);
  write_list(json, "images", request.images);
  if (!request.built_by.empty()) {
    write_text(json, "builtBy", request.built_by);
  }
  if (!request.promoted_from.empty()) {
    write_text(json, "promotedFrom", request.promoted_from);
  }
  if (!request.approvers.empty()) {
    write_list(json, "approvers", request.approvers);
  }
  json.EndObject();
  json.EndObject();
  return buffer.GetString();
}

ShownStatus shown_status_of(const rapidjson::Value& object) {
  return ShownStatus{json::string_at(&object, {"status", "approved"}), json::string_at(&object, {"status", "state"}),
                     json::string_at(&object, {"status", "approvers"})};
}

std::string status_patch(const ShownStatus& status) {
  rapidjson::StringBuffer buffer;
  Writer json(buffer);
  json.StartObject();
  json.Key("status");
  json.StartObject();
  write_text(json, "approved", status.approved);
  write_text(json, "state", status.state);
  write_text(json, "approvers", status.approvers);
  json.EndObject();
  json.EndObject();
  return buffer.GetString();
}

std::string list_path(std::string_view resource) {
  return "/apis/" + std::string(kExceptionGroup) + "/v1/" + std::string(resource);
}

std::string status_path(std::string_view resource, std::string_view namespace_name, std::string_view name) {
  return "/apis/" + std::string(kExceptionGroup) + "/v1/namespaces/" + std::string(namespace_name) + "/" +
         std::string(resource) + "/" + std::string(name) + "/status";
}

}  // namespace windowguard::objects

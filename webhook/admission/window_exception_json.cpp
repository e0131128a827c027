#include "admission/window_exception_json.hpp"

#include <algorithm>
#include <optional>

#include "admission/json_members.hpp"
#include "core/time_text.hpp"

namespace windowguard::admission {
namespace {

// Reads the fields of one object, keeping the first problem.
class FieldReader {
 public:
  explicit FieldReader(std::string_view prefix) : prefix_(prefix) {}

  std::optional<std::string> text(const rapidjson::Value* object, std::string_view name, bool required) {
    const rapidjson::Value* value = json_member(object, name);
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
    return std::string(json_text(*value));
  }

  std::vector<std::string> texts(const rapidjson::Value* object, std::string_view name) {
    std::vector<std::string> result;
    const rapidjson::Value* value = json_member(object, name);
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
      result.emplace_back(json_text(item));
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

}  // namespace

Result<core::WindowException> decode_window_exception(const rapidjson::Value& object, core::Instant created) {
  core::WindowException exception;
  FieldReader metadata_reader("metadata.");
  const rapidjson::Value* metadata = json_member(&object, "metadata");
  exception.name = metadata_reader.text(metadata, "name", false).value_or("");
  exception.namespace_name = metadata_reader.text(metadata, "namespace", false).value_or("");
  const core::Instant creation = metadata_reader.instant(metadata, "creationTimestamp", false).value_or(created);
  if (metadata_reader.problem()) {
    return Problem(*metadata_reader.problem());
  }
  FieldReader spec_reader("spec.");
  const rapidjson::Value* spec = json_member(&object, "spec");
  if (spec == nullptr || !spec->IsObject()) {
    return Problem("spec is required");
  }
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
  const rapidjson::Value* approvals = json_member(json_member(&object, "status"), "approvals");
  if (approvals == nullptr || approvals->IsNull()) {
    return exception;
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
    exception.approvals.push_back(std::move(approval));
  }
  return exception;
}

}  // namespace windowguard::admission

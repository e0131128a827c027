#include "policy/exception_reader.hpp"

#include <array>

#include "core/qualified_name.hpp"
#include "policy/value_forms.hpp"
#include "policy/window_reader.hpp"

namespace windowguard::policy {
namespace {

constexpr std::array<std::string_view, 10> kStaticExceptionFields{
    "name", "reason", "windows", "environments", "applications", "actions", "users", "groups", "from", "until"};
constexpr std::size_t kLongestReason = 1024;

}  // namespace

StaticExceptionReading read_static_exception(YamlReader& reader, const YAML::Node& node) {
  const std::size_t problems_before = reader.problem_count();
  const auto fields = reader.fields_of(node, "an exception", kStaticExceptionFields);
  if (!fields) {
    return {};
  }
  StaticExceptionReading reading;
  core::StaticException exception;
  if (const YAML::Node* name = reader.required(*fields, node, "name", "an exception")) {
    if (auto value = reader.text(*name, "the exception name")) {
      if (!core::is_qualified_name(*value)) {
        reader.report(*name, "exception name " + in_quotes(*value) +
                                 " must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a "
                                 "letter or digit");
      }
      exception.name = *value;
      reading.name = PlacedName{reader.location_of(*name), *value};
    }
  }
  const std::string what = exception.name.empty() ? "exception" : "exception " + in_quotes(exception.name);
  if (const YAML::Node* reason = reader.required(*fields, node, "reason", what)) {
    exception.reason = reader.text(*reason, what + " reason").value_or("");
    if (exception.reason.size() > kLongestReason) {
      reader.report(*reason, what + " reason must be at most 1024 characters");
    }
  }
  if (const YAML::Node* windows = reader.required(*fields, node, "windows", what)) {
    if (const auto names = reader.text_list(*windows, what + " windows", false)) {
      for (std::size_t i = 0; i < names->size(); ++i) {
        reading.windows.push_back({reader.location_of((*windows)[i]), (*names)[i]});
      }
      exception.scope.windows = *names;
    }
  }
  if (const YAML::Node* environments = reader.required(*fields, node, "environments", what)) {
    exception.environments =
        reader.text_list(*environments, what + " environments", false).value_or(std::vector<std::string>{});
  }
  if (const YAML::Node* applications = YamlReader::optional(*fields, "applications")) {
    exception.scope.applications =
        reader.text_list(*applications, what + " applications", false).value_or(std::vector<std::string>{});
  }
  if (const YAML::Node* actions = YamlReader::optional(*fields, "actions")) {
    exception.scope.actions = read_actions(reader, *actions, what);
  }
  if (const YAML::Node* users = YamlReader::optional(*fields, "users")) {
    exception.scope.users = reader.text_list(*users, what + " users", true).value_or(std::vector<std::string>{});
  }
  if (const YAML::Node* groups = YamlReader::optional(*fields, "groups")) {
    exception.scope.groups = reader.text_list(*groups, what + " groups", true).value_or(std::vector<std::string>{});
  }
  if (exception.scope.users.empty() && exception.scope.groups.empty()) {
    reader.report(node, what + " must name the users or groups who may act under it");
  }
  const YAML::Node* from = reader.required(*fields, node, "from", what);
  const YAML::Node* until = reader.required(*fields, node, "until", what);
  const auto from_instant = from ? reader.value_form(*from, what + " from", parse_instant) : std::nullopt;
  const auto until_instant = until ? reader.value_form(*until, what + " until", parse_instant) : std::nullopt;
  if (from_instant && until_instant) {
    if (*until_instant <= *from_instant) {
      reader.report(*until, what + " until must be after from");
    }
    exception.scope.from = *from_instant;
    exception.scope.until = *until_instant;
  }
  if (reader.problem_count() == problems_before) {
    reading.exception = std::move(exception);
  }
  return reading;
}

}  // namespace windowguard::policy

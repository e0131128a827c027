#include "policy/settings_reader.hpp"

#include <algorithm>
#include <array>

#include "core/qualified_name.hpp"
#include "core/schedule/upcoming.hpp"

namespace windowguard::policy {
namespace {

constexpr int kMostWarnBeforeMinutes = 10080;
constexpr std::array<std::string_view, 8> kSettingsFields{"superAdminGroups",   "appLabelKeys", "trustedRequesters",
                                                          "restartAnnotations", "clusterName",  "upcomingDays",
                                                          "warnBeforeMinutes",  "workloads"};
constexpr std::array<std::string_view, 2> kUpcomingDaysFields{"blackout", "maintenance"};
constexpr std::array<std::string_view, 7> kWorkloadFields{"group",    "version",  "resource", "kind",
                                                          "template", "replicas", "scale"};

bool is_cel_identifier(std::string_view name) {
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  return !name.empty() && letter(name.front()) &&
         std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
}

// "spec.template" as member names.  Each must be a CEL identifier, because
// the webhook configuration's matchConditions compare the field there.
std::optional<core::FieldPath> read_field_path(YamlReader& reader, const YAML::Node& node, const std::string& what) {
  const auto text = reader.text(node, what);
  if (!text) {
    return std::nullopt;
  }
  core::FieldPath path;
  std::string_view rest = *text;
  while (true) {
    const std::size_t dot = rest.find('.');
    const std::string_view name = rest.substr(0, dot);
    if (!is_cel_identifier(name)) {
      reader.report(node, what + " " + in_quotes(*text) +
                              " must be field names joined by '.', each a letter or '_' then letters, digits or '_' "
                              "(\"spec.template\")");
      return std::nullopt;
    }
    path.emplace_back(name);
    if (dot == std::string_view::npos) {
      return path;
    }
    rest.remove_prefix(dot + 1);
  }
}

std::optional<core::GovernedResource> read_workload(YamlReader& reader, const YAML::Node& node,
                                                    const std::vector<core::GovernedResource>& read_so_far) {
  const std::size_t problems_before = reader.problem_count();
  const auto fields = reader.fields_of(node, "a workloads entry", kWorkloadFields);
  if (!fields) {
    return std::nullopt;
  }
  core::GovernedResource workload;
  const auto read_text = [&](std::string_view name, std::string& into) {
    if (const YAML::Node* value = reader.required(*fields, node, name, "a workloads entry")) {
      into = reader.text(*value, "workloads " + std::string(name)).value_or("");
    }
  };
  read_text("group", workload.group);
  read_text("version", workload.version);
  read_text("resource", workload.resource);
  read_text("kind", workload.kind);
  if (reader.problem_count() != problems_before) {
    return std::nullopt;
  }
  const std::string what = "workloads entry " + in_quotes(workload.resource + "." + workload.group);
  if (workload.group.empty()) {
    reader.report(node, what + ": group must not be empty (the core group's kinds are built in)");
  }
  if (!core::is_qualified_name(workload.resource) || workload.resource.find('.') != std::string::npos ||
      workload.resource.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos) {
    reader.report(node, what + ": resource must be the plural, lower-case name the API serves (\"rollouts\")");
  }
  const auto same_resource = [&](const core::GovernedResource& other) {
    return other.group == workload.group && other.resource == workload.resource;
  };
  const std::vector<core::GovernedResource>& builtins = core::builtin_governed_resources();
  const bool builtin = std::any_of(builtins.begin(), builtins.end(), same_resource);
  const bool repeated = std::any_of(read_so_far.begin(), read_so_far.end(), same_resource);
  if (builtin || repeated) {
    reader.report(node, what + (builtin ? " is governed already" : " is listed twice"));
  }
  if (const YAML::Node* path = reader.required(*fields, node, "template", what)) {
    workload.template_path = read_field_path(reader, *path, what + " template").value_or(core::FieldPath{});
  }
  if (const YAML::Node* path = YamlReader::optional(*fields, "replicas")) {
    workload.replicas_path = read_field_path(reader, *path, what + " replicas").value_or(core::FieldPath{});
  }
  if (const YAML::Node* scale = YamlReader::optional(*fields, "scale")) {
    workload.scale = reader.boolean(*scale, what + " scale").value_or(false);
    if (workload.scale && YamlReader::optional(*fields, "replicas") == nullptr) {
      reader.report(*scale, what + ": scale needs replicas, the field the scale subresource sets");
    }
  }
  if (reader.problem_count() != problems_before) {
    return std::nullopt;
  }
  return workload;
}

}  // namespace

std::optional<core::Settings> read_settings(YamlReader& reader, const YAML::Node& node,
                                            std::optional<Location>& first_block) {
  const std::size_t problems_before = reader.problem_count();
  const auto fields = reader.fields_of(node, "settings", kSettingsFields);
  if (!fields) {
    return std::nullopt;
  }
  if (first_block) {
    reader.report(
        node, "settings are already given at " + first_block->to_string() + "; a policy may have one settings block");
    return std::nullopt;
  }
  first_block = reader.location_of(node);
  core::Settings settings;
  const auto read_list = [&](std::string_view name, std::vector<std::string>& into, bool allow_empty) {
    if (const YAML::Node* value = YamlReader::optional(*fields, name)) {
      if (auto list = reader.text_list(*value, name, allow_empty)) {
        into = std::move(*list);
      }
    }
  };
  read_list("superAdminGroups", settings.super_admin_groups, true);
  read_list("appLabelKeys", settings.app_label_keys, false);
  read_list("trustedRequesters", settings.trusted_requesters, true);
  read_list("restartAnnotations", settings.restart_annotations, true);
  if (const YAML::Node* cluster = YamlReader::optional(*fields, "clusterName")) {
    settings.cluster_name = reader.text(*cluster, "clusterName").value_or("");
  }
  const auto read_number = [&](const YAML::Node* node, std::string_view what, int low, int high, int& into) {
    if (node != nullptr) {
      into = reader.whole_number(*node, what, low, high).value_or(into);
    }
  };
  if (const YAML::Node* upcoming = YamlReader::optional(*fields, "upcomingDays")) {
    if (const auto days = reader.fields_of(*upcoming, "upcomingDays", kUpcomingDaysFields)) {
      read_number(YamlReader::optional(*days, "blackout"), "upcomingDays.blackout", 1, core::kMostListedDays,
                  settings.upcoming_days.blackout);
      read_number(YamlReader::optional(*days, "maintenance"), "upcomingDays.maintenance", 1, core::kMostListedDays,
                  settings.upcoming_days.maintenance);
    }
  }
  if (const YAML::Node* workloads = YamlReader::optional(*fields, "workloads")) {
    if (!workloads->IsSequence()) {
      reader.report(*workloads, std::string("workloads must be a list, not ") + describe_kind(*workloads));
    } else {
      for (const YAML::Node& entry : *workloads) {
        if (auto workload = read_workload(reader, entry, settings.workloads)) {
          settings.workloads.push_back(std::move(*workload));
        }
      }
    }
  }
  read_number(YamlReader::optional(*fields, "warnBeforeMinutes"), "warnBeforeMinutes", 0, kMostWarnBeforeMinutes,
              settings.warn_before_minutes);
  if (reader.problem_count() != problems_before) {
    return std::nullopt;
  }
  return settings;
}

}  // namespace windowguard::policy

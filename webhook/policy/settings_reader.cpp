#include "policy/settings_reader.hpp"

#include <array>

#include "core/upcoming.hpp"

namespace windowguard::policy {
namespace {

constexpr int kMostWarnBeforeMinutes = 10080;
constexpr std::array<std::string_view, 7> kSettingsFields{"superAdminGroups",   "appLabelKeys", "trustedRequesters",
                                                          "restartAnnotations", "clusterName",  "upcomingDays",
                                                          "warnBeforeMinutes"};
constexpr std::array<std::string_view, 2> kUpcomingDaysFields{"blackout", "maintenance"};

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
  read_number(YamlReader::optional(*fields, "warnBeforeMinutes"), "warnBeforeMinutes", 0, kMostWarnBeforeMinutes,
              settings.warn_before_minutes);
  if (reader.problem_count() != problems_before) {
    return std::nullopt;
  }
  return settings;
}

}  // namespace windowguard::policy

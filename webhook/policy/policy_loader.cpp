#include "policy/policy_loader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>

#include <date/tz.h>
#include <yaml-cpp/yaml.h>

#include "core/qualified_name.hpp"
#include "core/upcoming.hpp"
#include "policy/value_forms.hpp"
#include "policy/yaml_documents.hpp"

namespace windowguard::policy {
namespace {

constexpr std::string_view kApiVersion = "windowguard.dev/v1";
constexpr std::string_view kKind = "WindowPolicy";
constexpr core::seconds kLongestCronDuration = core::hours{8760};
constexpr int kMostWarnBeforeMinutes = 10080;

using FieldNames = std::initializer_list<std::string_view>;

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string join(FieldNames names) {
  std::string joined;
  for (std::string_view name : names) {
    joined += (joined.empty() ? "" : ", ") + std::string(name);
  }
  return joined;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean "x"?)" for the closest candidate within two edits, else "".
template <typename Names>
std::string suggestion(std::string_view given, const Names& candidates) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(given, candidate);
    if (distance < best_distance && distance < given.size()) {
      best = std::string(candidate);
      best_distance = distance;
    }
  }
  return best.empty() ? "" : " (did you mean " + in_quotes(best) + "?)";
}

const char* describe_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "nothing";
  }
}

struct SourceMark {
  const std::string* file;
  int line;
  int column;
};

struct ParsedWindow {
  SourceMark where;
  std::string name;
  std::string description;
  core::WindowType type = core::WindowType::Blackout;
  std::optional<core::TimeZone> zone;
  std::optional<core::LocalTime> valid_from;
  std::optional<core::LocalTime> valid_until;
  std::vector<core::Recurrence> recurrences;
  core::Exemptions exempt;
  core::ActionSet actions = core::ActionSet::all();
  std::string message;
};

struct WindowReference {
  SourceMark where;
  std::string name;
};

struct ParsedBinding {
  std::vector<WindowReference> windows;
  std::vector<std::string> environments;
  std::vector<std::string> applications;
  std::optional<core::LabelSelector> selector;
};

struct ParsedSettings {
  SourceMark where;
  core::Settings settings;
};

// Everything read from all files so far, before cross-file checks.
struct Draft {
  std::vector<ParsedWindow> windows;
  std::vector<ParsedBinding> bindings;
  std::optional<ParsedSettings> settings;
  std::vector<PolicyError> errors;
};

// Reads one file's documents into the draft, reporting problems as it goes
// and carrying on, so that one run shows every error.
class FileReader {
 public:
  FileReader(const std::string& file, Draft& draft) : file_(file), draft_(draft) {}

  void read(const std::string& text) {
    std::vector<YAML::Node> documents;
    try {
      documents = load_yaml_documents(text);
    } catch (const YAML::Exception& problem) {
      error_at(problem.mark, "YAML syntax error: " + problem.msg);
      return;
    }
    for (const YAML::Node& document : documents) {
      if (!document.IsNull()) {
        read_document(document);
      }
    }
  }

 private:
  // ---- reporting ----
  SourceMark mark_of(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    return {&file_, mark.line + 1, mark.column + 1};
  }
  void error_at(const YAML::Mark& mark, std::string message) {
    draft_.errors.push_back({file_, mark.line + 1, mark.column + 1, std::move(message)});
  }
  void error(const YAML::Node& node, std::string message) { error_at(node.Mark(), std::move(message)); }

  // ---- generic shapes ----
  using Fields = std::map<std::string, YAML::Node, std::less<>>;

  // The fields of a mapping, reporting unknown and repeated keys; nullopt if
  // the node is not a mapping at all.
  std::optional<Fields> fields_of(const YAML::Node& node, std::string_view what, FieldNames allowed) {
    if (!node.IsMap()) {
      error(node, std::string(what) + " must be a mapping, not " + describe_kind(node));
      return std::nullopt;
    }
    Fields fields;
    for (const auto& entry : node) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar()) {
        error(key, "keys in " + std::string(what) + " must be plain names");
        continue;
      }
      const std::string& name = key.Scalar();
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        error(key, "unknown field " + in_quotes(name) + " in " + std::string(what) + suggestion(name, allowed) +
                       "; expected one of: " + join(allowed));
        continue;
      }
      if (fields.count(name) != 0) {
        error(key, "field " + in_quotes(name) + " is given twice in " + std::string(what));
        continue;
      }
      fields.emplace(name, entry.second);
    }
    return fields;
  }

  const YAML::Node* required(const Fields& fields, const YAML::Node& owner, std::string_view name,
                             std::string_view what) {
    const auto found = fields.find(name);
    if (found == fields.end()) {
      error(owner, std::string(what) + " is missing the required field " + in_quotes(name));
      return nullptr;
    }
    return &found->second;
  }

  static const YAML::Node* optional(const Fields& fields, std::string_view name) {
    const auto found = fields.find(name);
    return found == fields.end() ? nullptr : &found->second;
  }

  std::optional<std::string> text(const YAML::Node& node, std::string_view what) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      error(node, std::string(what) + " must be a non-empty text value, not " +
                      (node.IsScalar() ? "an empty one" : describe_kind(node)));
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::optional<std::vector<std::string>> text_list(const YAML::Node& node, std::string_view what, bool allow_empty) {
    if (!node.IsSequence()) {
      error(node, std::string(what) + " must be a list, not " + describe_kind(node));
      return std::nullopt;
    }
    if (node.size() == 0 && !allow_empty) {
      error(node, std::string(what) + " must not be an empty list");
      return std::nullopt;
    }
    std::vector<std::string> values;
    bool all_valid = true;
    for (const YAML::Node& item : node) {
      if (auto value = text(item, "each entry of " + std::string(what))) {
        values.push_back(std::move(*value));
      } else {
        all_valid = false;
      }
    }
    return all_valid ? std::optional(std::move(values)) : std::nullopt;
  }

  std::optional<int> whole_number(const YAML::Node& node, std::string_view what, int low, int high) {
    const std::string range = " between " + std::to_string(low) + " and " + std::to_string(high);
    int value = 0;
    if (node.IsScalar()) {
      const std::string& scalar = node.Scalar();
      const auto [end, problem] = std::from_chars(scalar.data(), scalar.data() + scalar.size(), value);
      if (problem == std::errc{} && end == scalar.data() + scalar.size() && value >= low && value <= high) {
        return value;
      }
    }
    error(node, std::string(what) + " must be a whole number" + range);
    return std::nullopt;
  }

  std::optional<bool> boolean(const YAML::Node& node, std::string_view what) {
    // YAML 1.2's booleans, in any case; YAML 1.1's yes, no, on and off are
    // not booleans here (docs/policy.md).
    if (node.IsScalar() && (same_name(node.Scalar(), "true") || same_name(node.Scalar(), "false"))) {
      return same_name(node.Scalar(), "true");
    }
    error(node, std::string(what) + " must be true or false");
    return std::nullopt;
  }

  template <typename T>
  std::optional<T> value_form(const YAML::Node& node, std::string_view what, Parsed<T> (*parse)(std::string_view)) {
    const auto raw = text(node, what);
    if (!raw) {
      return std::nullopt;
    }
    Parsed<T> parsed = parse(*raw);
    if (auto* problem = std::get_if<std::string>(&parsed)) {
      error(node, std::string(what) + ": " + *problem);
      return std::nullopt;
    }
    return std::get<T>(std::move(parsed));
  }

  // ---- the document ----
  void read_document(const YAML::Node& document) {
    const auto fields =
        fields_of(document, "a policy document", {"apiVersion", "kind", "settings", "windows", "bindings"});
    if (!fields) {
      return;
    }
    if (const YAML::Node* api_version = required(*fields, document, "apiVersion", "a policy document")) {
      if (!api_version->IsScalar() || api_version->Scalar() != kApiVersion) {
        error(*api_version, "apiVersion must be " + in_quotes(kApiVersion));
      }
    }
    if (const YAML::Node* kind = required(*fields, document, "kind", "a policy document")) {
      if (!kind->IsScalar() || kind->Scalar() != kKind) {
        error(*kind, "kind must be " + in_quotes(kKind));
      }
    }
    if (const YAML::Node* settings = optional(*fields, "settings")) {
      read_settings(*settings);
    }
    read_each(*fields, "windows", &FileReader::read_window);
    read_each(*fields, "bindings", &FileReader::read_binding);
  }

  // Reads each entry of the list field `name`, when the field is present.
  void read_each(const Fields& fields, std::string_view name, void (FileReader::*read_item)(const YAML::Node&)) {
    const YAML::Node* list = optional(fields, name);
    if (list == nullptr) {
      return;
    }
    if (!list->IsSequence()) {
      error(*list, std::string(name) + " must be a list, not " + describe_kind(*list));
      return;
    }
    for (const YAML::Node& item : *list) {
      (this->*read_item)(item);
    }
  }

  // ---- settings ----
  void read_settings(const YAML::Node& node) {
    const auto fields = fields_of(node, "settings",
                                  {"superAdminGroups", "appLabelKeys", "trustedRequesters", "restartAnnotations",
                                   "clusterName", "upcomingDays", "warnBeforeMinutes"});
    if (!fields) {
      return;
    }
    if (draft_.settings) {
      const SourceMark& first = draft_.settings->where;
      error(node, "settings are already given at " + *first.file + ":" + std::to_string(first.line) + ":" +
                      std::to_string(first.column) + "; a policy may have one settings block");
      return;
    }
    ParsedSettings parsed{mark_of(node), core::Settings{}};
    core::Settings& settings = parsed.settings;
    const auto read_list = [&](std::string_view name, std::vector<std::string>& into, bool allow_empty) {
      if (const YAML::Node* value = optional(*fields, name)) {
        if (auto list = text_list(*value, name, allow_empty)) {
          into = std::move(*list);
        }
      }
    };
    read_list("superAdminGroups", settings.super_admin_groups, true);
    read_list("appLabelKeys", settings.app_label_keys, false);
    read_list("trustedRequesters", settings.trusted_requesters, true);
    read_list("restartAnnotations", settings.restart_annotations, true);
    if (const YAML::Node* cluster = optional(*fields, "clusterName")) {
      if (auto name = text(*cluster, "clusterName")) {
        settings.cluster_name = *name;
      }
    }
    if (const YAML::Node* upcoming = optional(*fields, "upcomingDays")) {
      if (const auto days = fields_of(*upcoming, "upcomingDays", {"blackout", "maintenance"})) {
        if (const YAML::Node* blackout = optional(*days, "blackout")) {
          settings.upcoming_days.blackout =
              whole_number(*blackout, "upcomingDays.blackout", 1, core::kMostListedDays).value_or(0);
        }
        if (const YAML::Node* maintenance = optional(*days, "maintenance")) {
          settings.upcoming_days.maintenance =
              whole_number(*maintenance, "upcomingDays.maintenance", 1, core::kMostListedDays).value_or(0);
        }
      }
    }
    if (const YAML::Node* warn = optional(*fields, "warnBeforeMinutes")) {
      settings.warn_before_minutes = whole_number(*warn, "warnBeforeMinutes", 0, kMostWarnBeforeMinutes).value_or(0);
    }
    draft_.settings = std::move(parsed);
  }

  // ---- windows ----
  void read_window(const YAML::Node& node) {
    const auto fields = fields_of(node, "a window",
                                  {"name", "description", "type", "timeZone", "validFrom", "validUntil", "durations",
                                   "exempt", "actions", "message"});
    if (!fields) {
      return;
    }
    ParsedWindow window;
    window.where = mark_of(node);
    if (const YAML::Node* name = required(*fields, node, "name", "a window")) {
      if (auto value = text(*name, "the window name")) {
        if (!core::is_qualified_name(*value)) {
          error(*name, "window name " + in_quotes(*value) +
                           " must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or "
                           "digit");
        }
        window.name = *value;
        window.where = mark_of(*name);
      }
    }
    const std::string what = window.name.empty() ? "window" : "window " + in_quotes(window.name);
    if (const YAML::Node* description = optional(*fields, "description")) {
      window.description = text(*description, what + " description").value_or("");
    }
    if (const YAML::Node* type = required(*fields, node, "type", what)) {
      const auto value = text(*type, what + " type");
      if (value && same_name(*value, "blackout")) {
        window.type = core::WindowType::Blackout;
      } else if (value && same_name(*value, "maintenance")) {
        window.type = core::WindowType::Maintenance;
      } else if (value) {
        error(*type, what + " type " + in_quotes(*value) + " is unknown; expected blackout or maintenance");
      }
    }
    window.zone = core::TimeZone::utc();
    if (const YAML::Node* zone = optional(*fields, "timeZone")) {
      window.zone = read_time_zone(*zone, what);
    }
    if (const YAML::Node* from = optional(*fields, "validFrom")) {
      if (auto value = value_form(*from, what + " validFrom", parse_date_or_date_time)) {
        window.valid_from = value->time;
      }
    }
    if (const YAML::Node* until = optional(*fields, "validUntil")) {
      if (auto value = value_form(*until, what + " validUntil", parse_date_or_date_time)) {
        // A bare date includes that whole day.
        window.valid_until = value->date_only ? value->time + core::days{1} : value->time;
        if (window.valid_from && *window.valid_until <= *window.valid_from) {
          error(*until, what + " validUntil must be after validFrom");
        }
      }
    }
    if (const YAML::Node* durations = required(*fields, node, "durations", what)) {
      read_durations(*durations, what, window.recurrences);
    }
    if (const YAML::Node* exempt = optional(*fields, "exempt")) {
      read_exemptions(*exempt, what, window.exempt);
    }
    if (const YAML::Node* actions = optional(*fields, "actions")) {
      read_actions(*actions, what, window.actions);
    }
    if (const YAML::Node* message = optional(*fields, "message")) {
      window.message = text(*message, what + " message").value_or("");
    }
    // A broken window is kept too (the draft's errors stop compilation), so
    // that bindings to it are not reported as unknown.
    if (!window.name.empty()) {
      draft_.windows.push_back(std::move(window));
    }
  }

  std::optional<core::TimeZone> read_time_zone(const YAML::Node& node, const std::string& what) {
    const auto name = text(node, what + " timeZone");
    if (!name) {
      return std::nullopt;
    }
    if (const auto offset = parse_fixed_offset(*name)) {
      if (const auto* problem = std::get_if<std::string>(&*offset)) {
        error(node, what + " timeZone: " + *problem);
        return std::nullopt;
      }
      return core::TimeZone::fixed_offset(std::get<core::minutes>(*offset), *name);
    }
    try {
      return core::TimeZone::iana(date::locate_zone(*name));
    } catch (const std::exception&) {
      error(node, what + " timeZone " + in_quotes(*name) +
                      " is not a known IANA time zone; use a name such as \"Europe/Berlin\", \"UTC\" or an offset "
                      "like \"+05:30\"");
      return std::nullopt;
    }
  }

  void read_durations(const YAML::Node& node, const std::string& what, std::vector<core::Recurrence>& into) {
    if (!node.IsSequence() || node.size() == 0) {
      error(node, what +
                      " durations must be a non-empty list of durations (once, daily, weekly, weeklyRange, "
                      "monthly, yearly or cron)");
      return;
    }
    for (const YAML::Node& item : node) {
      const auto fields =
          fields_of(item, what + " duration", {"once", "daily", "weekly", "weeklyRange", "monthly", "yearly", "cron"});
      if (!fields) {
        continue;
      }
      if (fields->size() != 1) {
        if (fields->size() > 1 || item.size() == 0) {
          error(item, what +
                          " duration must have exactly one kind (once, daily, weekly, weeklyRange, monthly, "
                          "yearly or cron), found " +
                          std::to_string(fields->size()));
        }
        continue;
      }
      const auto& [kind, body] = *fields->begin();
      if (auto recurrence = read_recurrence(kind, body, what + " " + kind)) {
        into.push_back(std::move(*recurrence));
      }
    }
  }

  // Reads {from, to} with the given value form, requiring them to differ.
  template <typename T>
  std::optional<std::pair<T, T>> from_to(const YAML::Node& node, const std::string& what,
                                         Parsed<T> (*parse)(std::string_view), FieldNames allowed = {"from", "to"}) {
    const auto fields = fields_of(node, what, allowed);
    if (!fields) {
      return std::nullopt;
    }
    const YAML::Node* from_node = required(*fields, node, "from", what);
    const YAML::Node* to_node = required(*fields, node, "to", what);
    std::optional<T> from = from_node ? value_form(*from_node, what + " from", parse) : std::nullopt;
    std::optional<T> to = to_node ? value_form(*to_node, what + " to", parse) : std::nullopt;
    if (!from || !to) {
      return std::nullopt;
    }
    if (from_node->Scalar() == to_node->Scalar()) {
      error(*to_node, what + " \"to\" equals \"from\" (" + from_node->Scalar() + "); an occurrence must have a length");
      return std::nullopt;
    }
    return std::make_pair(*from, *to);
  }

  std::optional<core::Recurrence> read_recurrence(const std::string& kind, const YAML::Node& body,
                                                  const std::string& what) {
    if (kind == "once") {
      const auto range = from_to(body, what, parse_local_date_time);
      if (range && range->second <= range->first) {
        error(body["to"], what + " \"to\" must be after \"from\"");
        return std::nullopt;
      }
      return range ? std::optional<core::Recurrence>(core::Once{range->first, range->second}) : std::nullopt;
    }
    if (kind == "daily") {
      const auto range = from_to(body, what, parse_clock_time);
      return range ? std::optional<core::Recurrence>(core::Daily{range->first, range->second}) : std::nullopt;
    }
    if (kind == "weekly") {
      return read_weekly(body, what);
    }
    if (kind == "weeklyRange") {
      const auto range = from_to(body, what, parse_weekday_time);
      return range ? std::optional<core::Recurrence>(core::WeeklyRange{range->first, range->second}) : std::nullopt;
    }
    if (kind == "monthly") {
      const auto range = from_to(body, what, parse_month_day_time);
      return range ? std::optional<core::Recurrence>(core::Monthly{range->first, range->second}) : std::nullopt;
    }
    if (kind == "yearly") {
      const auto range = from_to(body, what, parse_year_day_time);
      return range ? std::optional<core::Recurrence>(core::Yearly{range->first, range->second}) : std::nullopt;
    }
    return read_cron(body, what);
  }

  std::optional<core::Recurrence> read_weekly(const YAML::Node& body, const std::string& what) {
    const auto range = from_to(body, what, parse_clock_time, {"days", "from", "to"});
    if (!body.IsMap()) {
      return std::nullopt;  // reported by from_to
    }
    const YAML::Node days_node = body["days"];
    if (!days_node) {
      error(body, what + " is missing the required field \"days\"");
      return std::nullopt;
    }
    std::bitset<7> days;
    if (const auto names = text_list(days_node, what + " days", false)) {
      std::size_t position = 0;
      for (const std::string& name : *names) {
        const auto day = parse_weekday(name);
        if (const auto* problem = std::get_if<std::string>(&day)) {
          error(days_node[position], what + " days: " + *problem);
        } else {
          days.set(std::get<date::weekday>(day).c_encoding());
        }
        ++position;
      }
    }
    if (!range || days.none()) {
      return std::nullopt;
    }
    return core::Weekly{days, range->first, range->second};
  }

  std::optional<core::Recurrence> read_cron(const YAML::Node& body, const std::string& what) {
    const auto fields = fields_of(body, what, {"schedule", "duration"});
    if (!fields) {
      return std::nullopt;
    }
    std::optional<core::CronSchedule> schedule;
    if (const YAML::Node* node = required(*fields, body, "schedule", what)) {
      if (const auto expression = text(*node, what + " schedule")) {
        auto parsed = core::CronSchedule::parse(*expression);
        if (auto* problem = std::get_if<core::CronSchedule::ParseError>(&parsed)) {
          error(*node, what + " schedule " + in_quotes(*expression) + ": " + problem->message);
        } else {
          schedule = std::get<core::CronSchedule>(std::move(parsed));
        }
      }
    }
    std::optional<core::seconds> duration;
    if (const YAML::Node* node = required(*fields, body, "duration", what)) {
      duration = value_form(*node, what + " duration", parse_go_duration);
      if (duration && (*duration <= core::seconds{0} || *duration > kLongestCronDuration)) {
        error(*node, what + " duration must be more than 0s and at most 8760h (one year)");
        duration.reset();
      }
    }
    if (!schedule || !duration) {
      return std::nullopt;
    }
    return core::Cron{std::move(*schedule), *duration};
  }

  void read_exemptions(const YAML::Node& node, const std::string& what, core::Exemptions& into) {
    const auto fields = fields_of(node, what + " exempt", {"superAdmins", "users", "groups"});
    if (!fields) {
      return;
    }
    if (const YAML::Node* super_admins = optional(*fields, "superAdmins")) {
      into.super_admins = boolean(*super_admins, what + " exempt.superAdmins").value_or(false);
    }
    if (const YAML::Node* users = optional(*fields, "users")) {
      into.users = text_list(*users, what + " exempt.users", true).value_or(std::vector<std::string>{});
    }
    if (const YAML::Node* groups = optional(*fields, "groups")) {
      into.groups = text_list(*groups, what + " exempt.groups", true).value_or(std::vector<std::string>{});
    }
  }

  void read_actions(const YAML::Node& node, const std::string& what, core::ActionSet& into) {
    const auto names = text_list(node, what + " actions", false);
    if (!names) {
      return;
    }
    core::ActionSet actions;
    std::size_t position = 0;
    std::array<std::string_view, core::kAllActions.size()> known;
    std::transform(core::kAllActions.begin(), core::kAllActions.end(), known.begin(), core::action_name);
    for (const std::string& name : *names) {
      const auto action = std::find_if(core::kAllActions.begin(), core::kAllActions.end(), [&](core::Action candidate) {
        return same_name(name, core::action_name(candidate));
      });
      if (action != core::kAllActions.end()) {
        actions.add(*action);
      } else {
        error(node[position], what + " action " + in_quotes(name) + " is unknown" + suggestion(name, known) +
                                  "; expected deploy, restart, delete, hibernate or unhibernate");
      }
      ++position;
    }
    into = actions;
  }

  // ---- bindings ----
  void read_binding(const YAML::Node& node) {
    const auto fields = fields_of(node, "a binding", {"windows", "environments", "applications", "selector"});
    if (!fields) {
      return;
    }
    ParsedBinding binding;
    if (const YAML::Node* windows = required(*fields, node, "windows", "a binding")) {
      if (const auto names = text_list(*windows, "binding windows", false)) {
        for (std::size_t i = 0; i < names->size(); ++i) {
          binding.windows.push_back({mark_of((*windows)[i]), (*names)[i]});
        }
      }
    }
    if (const YAML::Node* environments = required(*fields, node, "environments", "a binding")) {
      binding.environments =
          text_list(*environments, "binding environments", false).value_or(std::vector<std::string>{});
    }
    if (const YAML::Node* applications = optional(*fields, "applications")) {
      binding.applications =
          text_list(*applications, "binding applications", true).value_or(std::vector<std::string>{});
      if (applications->IsSequence() && applications->size() == 0) {
        error(*applications, "binding applications must not be an empty list; omit it to match every application");
      }
    }
    if (const YAML::Node* selector = optional(*fields, "selector")) {
      binding.selector = read_selector(*selector);
    }
    draft_.bindings.push_back(std::move(binding));
  }

  std::optional<core::LabelSelector> read_selector(const YAML::Node& node) {
    const auto fields = fields_of(node, "binding selector", {"matchLabels", "matchExpressions"});
    if (!fields) {
      return std::nullopt;
    }
    core::LabelSelector selector;
    if (const YAML::Node* labels = optional(*fields, "matchLabels")) {
      if (!labels->IsMap()) {
        error(*labels,
              std::string("selector matchLabels must be a mapping of label to value, not ") + describe_kind(*labels));
      } else {
        for (const auto& entry : *labels) {
          const auto key = text(entry.first, "a matchLabels key");
          const auto value = text(entry.second, "a matchLabels value");
          if (key && value) {
            selector.match_labels.emplace_back(*key, *value);
          }
        }
      }
    }
    if (const YAML::Node* expressions = optional(*fields, "matchExpressions")) {
      if (!expressions->IsSequence()) {
        error(*expressions,
              std::string("selector matchExpressions must be a list, not ") + describe_kind(*expressions));
      } else {
        for (const YAML::Node& expression : *expressions) {
          if (auto requirement = read_requirement(expression)) {
            selector.match_expressions.push_back(std::move(*requirement));
          }
        }
      }
    }
    return selector;
  }

  std::optional<core::LabelRequirement> read_requirement(const YAML::Node& node) {
    using Operator = core::LabelRequirement::Operator;
    const auto fields = fields_of(node, "a matchExpressions entry", {"key", "operator", "values"});
    if (!fields) {
      return std::nullopt;
    }
    const YAML::Node* key = required(*fields, node, "key", "a matchExpressions entry");
    const YAML::Node* op = required(*fields, node, "operator", "a matchExpressions entry");
    const auto key_text = key ? text(*key, "matchExpressions key") : std::nullopt;
    const auto op_text = op ? text(*op, "matchExpressions operator") : std::nullopt;
    if (!key_text || !op_text) {
      return std::nullopt;
    }
    constexpr std::array<std::pair<std::string_view, Operator>, 4> operators{
        {{"In", Operator::In},
         {"NotIn", Operator::NotIn},
         {"Exists", Operator::Exists},
         {"DoesNotExist", Operator::DoesNotExist}}};
    const auto found = std::find_if(operators.begin(), operators.end(),
                                    [&](const auto& candidate) { return same_name(*op_text, candidate.first); });
    if (found == operators.end()) {
      error(*op, "matchExpressions operator " + in_quotes(*op_text) +
                     " is unknown; expected In, NotIn, Exists or DoesNotExist");
      return std::nullopt;
    }
    core::LabelRequirement requirement{*key_text, found->second, {}};
    const YAML::Node* values = optional(*fields, "values");
    const bool needs_values = found->second == Operator::In || found->second == Operator::NotIn;
    if (needs_values) {
      if (!values) {
        error(node, "matchExpressions operator " + *op_text + " needs a non-empty values list");
        return std::nullopt;
      }
      auto list = text_list(*values, "matchExpressions values", false);
      if (!list) {
        return std::nullopt;
      }
      requirement.values = std::move(*list);
    } else if (values && values->size() != 0) {
      error(*values, "matchExpressions operator " + *op_text + " takes no values");
      return std::nullopt;
    }
    return requirement;
  }

  const std::string& file_;
  Draft& draft_;
};

std::string at(const SourceMark& mark) {
  return *mark.file + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
}

void report(Draft& draft, const SourceMark& mark, std::string message) {
  draft.errors.push_back({*mark.file, mark.line, mark.column, std::move(message)});
}

// Cross-file checks, then the compiled policy.
LoadResult compile(Draft& draft) {
  std::map<std::string, std::size_t, std::less<>> index_by_name;
  for (std::size_t i = 0; i < draft.windows.size(); ++i) {
    const ParsedWindow& window = draft.windows[i];
    const auto [existing, inserted] = index_by_name.emplace(window.name, i);
    if (!inserted) {
      report(draft, window.where,
             "window name " + in_quotes(window.name) + " is already used at " +
                 at(draft.windows[existing->second].where) +
                 "; window names must be unique across the policy directory");
    }
  }
  std::vector<std::string_view> known_names;
  known_names.reserve(index_by_name.size());
  for (const auto& entry : index_by_name) {
    known_names.push_back(entry.first);
  }
  std::vector<core::Binding> bindings;
  bindings.reserve(draft.bindings.size());
  for (const ParsedBinding& parsed : draft.bindings) {
    core::Binding binding{{}, parsed.environments, parsed.applications, parsed.selector};
    for (const WindowReference& reference : parsed.windows) {
      const auto found = index_by_name.find(reference.name);
      if (found == index_by_name.end()) {
        report(
            draft, reference.where,
            "binding refers to unknown window " + in_quotes(reference.name) + suggestion(reference.name, known_names));
      } else {
        binding.windows.push_back(found->second);
      }
    }
    bindings.push_back(std::move(binding));
  }
  if (!draft.errors.empty()) {
    return {nullptr, std::move(draft.errors), {}};
  }
  std::vector<core::Window> windows;
  windows.reserve(draft.windows.size());
  std::vector<PolicyError> window_locations;
  for (ParsedWindow& parsed : draft.windows) {
    window_locations.push_back({*parsed.where.file, parsed.where.line, parsed.where.column, ""});
    windows.push_back(core::Window{
        std::move(parsed.name), std::move(parsed.description), parsed.type,
        core::Schedule(std::move(*parsed.zone), std::move(parsed.recurrences), parsed.valid_from, parsed.valid_until),
        std::move(parsed.exempt), parsed.actions, std::move(parsed.message)});
  }
  core::Settings settings = draft.settings ? std::move(draft.settings->settings) : core::Settings{};
  return {std::make_shared<const core::Policy>(std::move(windows), std::move(bindings), std::move(settings)),
          {},
          std::move(window_locations)};
}

}  // namespace

LoadResult load_policy(const std::vector<PolicySource>& sources) {
  Draft draft;
  for (const PolicySource& source : sources) {
    FileReader(source.file, draft).read(source.text);
  }
  return compile(draft);
}

std::vector<std::filesystem::path> list_policy_files(const std::filesystem::path& directory, std::error_code& error) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    const std::string extension = entry.path().extension().string();
    std::error_code not_a_file;
    if (name.front() != '.' && (extension == ".yaml" || extension == ".yml") && entry.is_regular_file(not_a_file)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::filesystem::path current_version_of(const std::filesystem::path& directory) {
  std::error_code problem;
  const std::filesystem::path data = directory / "..data";
  if (!std::filesystem::is_directory(data, problem)) {
    return directory;
  }
  std::filesystem::path version = std::filesystem::canonical(data, problem);
  return problem ? directory : version;
}

LoadResult load_policy_directory(const std::filesystem::path& directory) {
  const std::string shown = directory.string();
  std::error_code problem;
  if (!std::filesystem::is_directory(directory, problem)) {
    return {nullptr, {{shown, 0, 0, "is not a readable directory of policy files"}}, {}};
  }
  const std::vector<std::filesystem::path> files = list_policy_files(current_version_of(directory), problem);
  if (problem) {
    return {nullptr, {{shown, 0, 0, "cannot be listed: " + problem.message()}}, {}};
  }
  if (files.empty()) {
    return {nullptr, {{shown, 0, 0, "holds no policy files (*.yaml or *.yml)"}}, {}};
  }
  std::vector<PolicySource> sources;
  for (const auto& file : files) {
    std::ifstream stream(file, std::ios::binary);
    if (!stream.is_open()) {
      const int reason = errno;  // set by the failed open(2)
      return {nullptr,
              {{(directory / file.filename()).string(), 0, 0,
                "cannot be read: " + std::generic_category().message(reason)}},
              {}};
    }
    std::ostringstream text;
    text << stream.rdbuf();
    if (!stream) {
      return {nullptr, {{(directory / file.filename()).string(), 0, 0, "cannot be read"}}, {}};
    }
    sources.push_back({(directory / file.filename()).string(), text.str()});
  }
  return load_policy(sources);
}

}  // namespace windowguard::policy

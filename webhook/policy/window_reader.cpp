#include "policy/window_reader.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <utility>

#include <date/tz.h>

#include "core/qualified_name.hpp"
#include "policy/value_forms.hpp"

namespace windowguard::policy {
namespace {

constexpr core::seconds kLongestCronDuration = core::hours{8760};

constexpr std::array<std::string_view, 12> kWindowFields{"name",      "description", "type",      "timeZone",
                                                         "validFrom", "validUntil",  "durations", "except",
                                                         "exempt",    "actions",     "message",   "exceptions"};
constexpr std::array<std::string_view, 2> kFromTo{"from", "to"};
constexpr std::array<std::string_view, 3> kDaysFromTo{"days", "from", "to"};
constexpr std::array<std::string_view, 2> kCronFields{"schedule", "duration"};
constexpr std::array<std::string_view, 3> kPeopleFields{"superAdmins", "users", "groups"};
constexpr std::array<std::string_view, 5> kExceptionRuleFields{"approvals", "approvers", "maxDuration",
                                                               "allowRequesterToApprove", "requesters"};
constexpr std::array<std::string_view, 2> kWindowTypes{"blackout", "maintenance"};

// Reads {from, to} with the given value form, requiring them to differ.
template <typename T>
std::optional<std::pair<T, T>> from_to(YamlReader& reader, const YAML::Node& node, const std::string& what,
                                       Result<T> (*parse)(std::string_view), Names allowed = kFromTo) {
  const auto fields = reader.fields_of(node, what, allowed);
  if (!fields) {
    return std::nullopt;
  }
  const YAML::Node* from_node = reader.required(*fields, node, "from", what);
  const YAML::Node* to_node = reader.required(*fields, node, "to", what);
  std::optional<T> from = from_node ? reader.value_form(*from_node, what + " from", parse) : std::nullopt;
  std::optional<T> to = to_node ? reader.value_form(*to_node, what + " to", parse) : std::nullopt;
  if (!from || !to) {
    return std::nullopt;
  }
  if (from_node->Scalar() == to_node->Scalar()) {
    reader.report(*to_node,
                  what + " \"to\" equals \"from\" (" + from_node->Scalar() + "); an occurrence must have a length");
    return std::nullopt;
  }
  return std::make_pair(*from, *to);
}

// What a duration may need beyond its own fields: the window's zone (a
// calendar's all-day events are its local days) and the directory's calendars.
struct DurationContext {
  const core::TimeZone& zone;
  CalendarFiles& calendars;
};

using RecurrenceReader = std::optional<core::Recurrence> (*)(YamlReader&, const YAML::Node&, const std::string&,
                                                             DurationContext&);

// daily, weeklyRange, monthly and yearly: a {from, to} pair of one value form.
template <typename Form, typename Kind, Result<Form> (*parse)(std::string_view)>
std::optional<core::Recurrence> read_range(YamlReader& reader, const YAML::Node& body, const std::string& what,
                                           DurationContext& /*context*/) {
  const auto range = from_to(reader, body, what, parse);
  return range ? std::optional<core::Recurrence>(Kind{range->first, range->second}) : std::nullopt;
}

std::optional<core::Recurrence> read_once(YamlReader& reader, const YAML::Node& body, const std::string& what,
                                          DurationContext& /*context*/) {
  const auto range = from_to(reader, body, what, parse_local_date_time);
  if (range && range->second <= range->first) {
    reader.report(body["to"], what + " \"to\" must be after \"from\"");
    return std::nullopt;
  }
  return range ? std::optional<core::Recurrence>(core::Once{range->first, range->second}) : std::nullopt;
}

std::optional<core::Recurrence> read_weekly(YamlReader& reader, const YAML::Node& body, const std::string& what,
                                            DurationContext& /*context*/) {
  const auto range = from_to(reader, body, what, parse_clock_time, kDaysFromTo);
  if (!body.IsMap()) {
    return std::nullopt;  // reported by from_to
  }
  const YAML::Node days_node = body["days"];
  if (!days_node) {
    reader.report(body, what + " is missing the required field \"days\"");
    return std::nullopt;
  }
  std::bitset<7> days;
  if (const auto names = reader.text_list(days_node, what + " days", false)) {
    std::size_t position = 0;
    for (const std::string& name : *names) {
      const auto day = parse_weekday(name);
      if (!day) {
        reader.report(days_node[position], what + " days: " + day.error().message);
      } else {
        days.set(day->c_encoding());
      }
      ++position;
    }
  }
  if (!range || days.none()) {
    return std::nullopt;
  }
  return core::Weekly{days, range->first, range->second};
}

std::optional<core::Recurrence> read_cron(YamlReader& reader, const YAML::Node& body, const std::string& what,
                                          DurationContext& /*context*/) {
  const auto fields = reader.fields_of(body, what, kCronFields);
  if (!fields) {
    return std::nullopt;
  }
  std::optional<core::CronSchedule> schedule;
  if (const YAML::Node* node = reader.required(*fields, body, "schedule", what)) {
    if (const auto expression = reader.text(*node, what + " schedule")) {
      auto parsed = core::CronSchedule::parse(*expression);
      if (!parsed) {
        reader.report(*node, what + " schedule " + in_quotes(*expression) + ": " + parsed.error().message);
      } else {
        schedule = std::move(parsed).value();
      }
    }
  }
  std::optional<core::seconds> duration;
  if (const YAML::Node* node = reader.required(*fields, body, "duration", what)) {
    duration = reader.value_form(*node, what + " duration", parse_go_duration);
    if (duration && (*duration <= core::seconds{0} || *duration > kLongestCronDuration)) {
      reader.report(*node, what + " duration must be more than 0s and at most 8760h (one year)");
      duration.reset();
    }
  }
  if (!schedule || !duration) {
    return std::nullopt;
  }
  return core::Cron{std::move(*schedule), *duration};
}

// The name of a calendar file of the directory, as a duration or an
// `except:` entry gives it; reports a name that is no such file.
std::optional<std::string> calendar_name(YamlReader& reader, const YAML::Node& node, const std::string& what,
                                         const CalendarFiles& calendars) {
  auto name = reader.text(node, what);
  if (!name) {
    return std::nullopt;
  }
  if (!is_calendar_file(*name) || name->find('/') != std::string::npos) {
    reader.report(node, what + " " + in_quotes(*name) +
                            " must name an iCalendar file (*.ics) in the policy directory, without a path");
    return std::nullopt;
  }
  if (!calendars.holds(*name)) {
    reader.report(node, what + " " + in_quotes(*name) + " is not in the policy directory (or its ConfigMap)");
    return std::nullopt;
  }
  return name;
}

// Reports a calendar's own problems (at file:line) the first time it is
// used, and at every use that its window cannot have it.
template <typename Value>
std::optional<Value> from_calendar(YamlReader& reader, const YAML::Node& node, const std::string& what,
                                   std::optional<Value> (CalendarFiles::*read)(std::string_view, const core::TimeZone&,
                                                                               Problems&),
                                   const std::string& name, DurationContext& context) {
  Problems problems;
  std::optional<Value> value = (context.calendars.*read)(name, context.zone, problems);
  for (Problem& problem : problems) {
    reader.report(std::move(problem.where), std::move(problem.message));
  }
  if (!value) {
    reader.report(node, what + " " + in_quotes(name) + " cannot be read (its problems are reported at the file)");
  }
  return value;
}

constexpr std::array<std::string_view, 1> kCalendarFields{"file"};

std::optional<core::Recurrence> read_calendar(YamlReader& reader, const YAML::Node& body, const std::string& what,
                                              DurationContext& context) {
  const auto fields = reader.fields_of(body, what, kCalendarFields);
  if (!fields) {
    return std::nullopt;
  }
  const YAML::Node* file = reader.required(*fields, body, "file", what);
  const auto name = file ? calendar_name(reader, *file, what + " file", context.calendars) : std::nullopt;
  if (!name) {
    return std::nullopt;
  }
  auto calendar = from_calendar(reader, *file, what + " file", &CalendarFiles::in_zone, *name, context);
  return calendar ? std::optional<core::Recurrence>(std::move(*calendar)) : std::nullopt;
}

// The kinds of duration a window may list, each with its reader.
struct DurationKind {
  std::string_view name;
  RecurrenceReader read;
};
constexpr std::array<DurationKind, 8> kDurationKinds{{
    {"once", read_once},
    {"daily", read_range<core::minutes, core::Daily, parse_clock_time>},
    {"weekly", read_weekly},
    {"weeklyRange", read_range<core::WeekdayTime, core::WeeklyRange, parse_weekday_time>},
    {"monthly", read_range<core::MonthDayTime, core::Monthly, parse_month_day_time>},
    {"yearly", read_range<core::YearDayTime, core::Yearly, parse_year_day_time>},
    {"cron", read_cron},
    {"calendar", read_calendar},
}};
constexpr std::array<std::string_view, kDurationKinds.size()> kDurationKindNames = [] {
  std::array<std::string_view, kDurationKinds.size()> names{};
  std::transform(kDurationKinds.begin(), kDurationKinds.end(), names.begin(),
                 [](const DurationKind& kind) { return kind.name; });
  return names;
}();

std::optional<std::vector<core::Recurrence>> read_durations(YamlReader& reader, const YAML::Node& node,
                                                            const std::string& what, DurationContext& context) {
  const std::string kinds = "(" + join_choices(kDurationKindNames) + ")";
  if (!node.IsSequence() || node.size() == 0) {
    reader.report(node, what + " durations must be a non-empty list of durations " + kinds);
    return std::nullopt;
  }
  std::vector<core::Recurrence> recurrences;
  for (const YAML::Node& item : node) {
    const auto fields = reader.fields_of(item, what + " duration", kDurationKindNames);
    if (!fields) {
      continue;
    }
    if (fields->size() != 1) {
      if (fields->size() > 1 || item.size() == 0) {
        reader.report(
            item, what + " duration must have exactly one kind " + kinds + ", found " + std::to_string(fields->size()));
      }
      continue;
    }
    const std::string& name = fields->begin()->first;
    const auto kind = std::find_if(kDurationKinds.begin(), kDurationKinds.end(),
                                   [&](const DurationKind& candidate) { return candidate.name == name; });
    if (auto recurrence = kind->read(reader, fields->begin()->second, what + " " + name, context)) {
      recurrences.push_back(std::move(*recurrence));
    }
  }
  return recurrences;
}

constexpr std::array<std::string_view, 1> kExceptCalendarFields{"calendar"};

// `except:` local dates ("2026-12-25") and {calendar: FILE} entries: every
// day the file's events touch in the window's zone.
std::vector<core::LocalDay> read_except(YamlReader& reader, const YAML::Node& node, const std::string& what,
                                        DurationContext& context) {
  std::vector<core::LocalDay> days;
  if (!node.IsSequence()) {
    reader.report(node, what + " except must be a list of dates (\"2026-12-25\") and {calendar: FILE} entries");
    return days;
  }
  for (const YAML::Node& item : node) {
    if (item.IsMap()) {
      const auto fields = reader.fields_of(item, what + " except entry", kExceptCalendarFields);
      const YAML::Node* file = fields ? reader.required(*fields, item, "calendar", what + " except entry") : nullptr;
      const auto name =
          file ? calendar_name(reader, *file, what + " except calendar", context.calendars) : std::nullopt;
      if (name) {
        if (auto touched =
                from_calendar(reader, *file, what + " except calendar", &CalendarFiles::days_touched, *name, context)) {
          days.insert(days.end(), touched->begin(), touched->end());
        }
      }
      continue;
    }
    const auto value = reader.value_form(item, what + " except date", parse_date_or_date_time);
    if (value && !value->date_only) {
      reader.report(item, what + " except date must be a local date such as \"2026-12-25\", not a date-time");
    } else if (value) {
      days.push_back(date::floor<core::days>(value->time));
    }
  }
  return days;
}

std::optional<core::TimeZone> read_time_zone(YamlReader& reader, const YAML::Node& node, const std::string& what) {
  const auto name = reader.text(node, what + " timeZone");
  if (!name) {
    return std::nullopt;
  }
  if (is_offset_form(*name)) {
    const auto offset = parse_fixed_offset(*name);
    if (!offset) {
      reader.report(node, what + " timeZone: " + offset.error().message);
      return std::nullopt;
    }
    return core::TimeZone::fixed_offset(*offset, *name);
  }
  try {
    return core::TimeZone::iana(date::locate_zone(*name));
  } catch (const std::exception&) {
    reader.report(node, what + " timeZone " + in_quotes(*name) +
                            " is not a known IANA time zone; use a name such as \"Europe/Berlin\", \"UTC\" or an "
                            "offset like \"+05:30\"");
    return std::nullopt;
  }
}

}  // namespace

core::People read_people(YamlReader& reader, const YAML::Node& node, const std::string& what, bool super_admins) {
  core::People people{super_admins, {}, {}};
  const auto fields = reader.fields_of(node, what, kPeopleFields);
  if (!fields) {
    return people;
  }
  if (const YAML::Node* super_admins_node = YamlReader::optional(*fields, "superAdmins")) {
    people.super_admins = reader.boolean(*super_admins_node, what + ".superAdmins").value_or(super_admins);
  }
  if (const YAML::Node* users = YamlReader::optional(*fields, "users")) {
    people.users = reader.text_list(*users, what + ".users", true).value_or(std::vector<std::string>{});
  }
  if (const YAML::Node* groups = YamlReader::optional(*fields, "groups")) {
    people.groups = reader.text_list(*groups, what + ".groups", true).value_or(std::vector<std::string>{});
  }
  return people;
}

core::ActionSet read_actions(YamlReader& reader, const YAML::Node& node, const std::string& what) {
  core::ActionSet actions;
  const auto names = reader.text_list(node, what + " actions", false);
  if (!names) {
    return actions;
  }
  std::array<std::string_view, core::kAllActions.size()> known;
  std::transform(core::kAllActions.begin(), core::kAllActions.end(), known.begin(), core::action_name);
  std::size_t position = 0;
  for (const std::string& name : *names) {
    const auto action = std::find_if(core::kAllActions.begin(), core::kAllActions.end(), [&](core::Action candidate) {
      return same_name(name, core::action_name(candidate));
    });
    if (action != core::kAllActions.end()) {
      actions.add(*action);
    } else {
      reader.report(node[position], what + " action " + in_quotes(name) + " is unknown" + suggestion(name, known) +
                                        "; expected " + join_choices(known));
    }
    ++position;
  }
  return actions;
}

core::ExceptionRule read_exception_rule(YamlReader& reader, const YAML::Node& node, const std::string& what) {
  core::ExceptionRule rule;
  const auto fields = reader.fields_of(node, what, kExceptionRuleFields);
  if (!fields) {
    return rule;
  }
  if (const YAML::Node* approvals = YamlReader::optional(*fields, "approvals")) {
    rule.approvals =
        reader.whole_number(*approvals, what + " approvals", 0, core::kMostRequiredApprovals).value_or(rule.approvals);
  }
  if (const YAML::Node* approvers = YamlReader::optional(*fields, "approvers")) {
    rule.approvers = read_people(reader, *approvers, what + " approvers", true);
  }
  if (const YAML::Node* longest = YamlReader::optional(*fields, "maxDuration")) {
    if (const auto duration = reader.value_form(*longest, what + " maxDuration", parse_go_duration)) {
      if (*duration <= core::seconds{0} || *duration > core::kLongestExceptionDuration) {
        reader.report(*longest, what + " maxDuration must be more than 0s and at most 168h (one week)");
      } else {
        rule.max_duration = *duration;
      }
    }
  }
  if (const YAML::Node* allow = YamlReader::optional(*fields, "allowRequesterToApprove")) {
    rule.allow_requester_to_approve = reader.boolean(*allow, what + " allowRequesterToApprove").value_or(false);
  }
  if (const YAML::Node* requesters = YamlReader::optional(*fields, "requesters")) {
    rule.requesters = read_people(reader, *requesters, what + " requesters", true);
  }
  return rule;
}

WindowReading read_window(YamlReader& reader, CalendarFiles& calendars, const YAML::Node& node) {
  const std::size_t problems_before = reader.problem_count();
  const auto fields = reader.fields_of(node, "a window", kWindowFields);
  if (!fields) {
    return {};
  }
  WindowReading reading;
  std::string window_name;
  if (const YAML::Node* name = reader.required(*fields, node, "name", "a window")) {
    if (auto value = reader.text(*name, "the window name")) {
      if (!core::is_qualified_name(*value)) {
        reader.report(*name, "window name " + in_quotes(*value) +
                                 " must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a "
                                 "letter or digit");
      }
      window_name = *value;
      reading.name = PlacedName{reader.location_of(*name), *value};
    }
  }
  const std::string what = window_name.empty() ? "window" : "window " + in_quotes(window_name);
  std::string description;
  if (const YAML::Node* description_node = YamlReader::optional(*fields, "description")) {
    description = reader.text(*description_node, what + " description").value_or("");
  }
  core::WindowType window_type = core::WindowType::Blackout;
  if (const YAML::Node* type = reader.required(*fields, node, "type", what)) {
    const auto value = reader.text(*type, what + " type");
    if (value && same_name(*value, "blackout")) {
      window_type = core::WindowType::Blackout;
    } else if (value && same_name(*value, "maintenance")) {
      window_type = core::WindowType::Maintenance;
    } else if (value) {
      reader.report(*type, what + " type " + in_quotes(*value) + " is unknown; expected " + join_choices(kWindowTypes));
    }
  }
  std::optional<core::TimeZone> zone = core::TimeZone::utc();
  if (const YAML::Node* zone_node = YamlReader::optional(*fields, "timeZone")) {
    zone = read_time_zone(reader, *zone_node, what);
  }
  std::optional<core::LocalTime> valid_from;
  std::optional<core::LocalTime> valid_until;
  if (const YAML::Node* from = YamlReader::optional(*fields, "validFrom")) {
    if (auto value = reader.value_form(*from, what + " validFrom", parse_date_or_date_time)) {
      valid_from = value->time;
    }
  }
  if (const YAML::Node* until = YamlReader::optional(*fields, "validUntil")) {
    if (auto value = reader.value_form(*until, what + " validUntil", parse_date_or_date_time)) {
      // A bare date includes that whole day.
      valid_until = value->date_only ? value->time + core::days{1} : value->time;
      if (valid_from && *valid_until <= *valid_from) {
        reader.report(*until, what + " validUntil must be after validFrom");
      }
    }
  }
  std::optional<std::vector<core::Recurrence>> recurrences;
  std::vector<core::LocalDay> excluded_days;
  // With a zone that cannot be read, the rest is still read in UTC, so
  // that its problems are reported too.
  const core::TimeZone reading_zone = zone ? *zone : core::TimeZone::utc();
  DurationContext context{reading_zone, calendars};
  if (const YAML::Node* durations = reader.required(*fields, node, "durations", what)) {
    recurrences = read_durations(reader, *durations, what, context);
  }
  if (const YAML::Node* except = YamlReader::optional(*fields, "except")) {
    excluded_days = read_except(reader, *except, what, context);
  }
  core::Exemptions exempt;
  if (const YAML::Node* exempt_node = YamlReader::optional(*fields, "exempt")) {
    exempt = read_people(reader, *exempt_node, what + " exempt", false);
  }
  core::ActionSet actions = core::ActionSet::all();
  if (const YAML::Node* actions_node = YamlReader::optional(*fields, "actions")) {
    actions = read_actions(reader, *actions_node, what);
  }
  std::string message;
  if (const YAML::Node* message_node = YamlReader::optional(*fields, "message")) {
    message = reader.text_warning_of_comment(*message_node, what + " message").value_or("");
  }
  std::optional<core::ExceptionRule> exceptions;
  if (const YAML::Node* exceptions_node = YamlReader::optional(*fields, "exceptions")) {
    exceptions = read_exception_rule(reader, *exceptions_node, what + " exceptions");
  }
  if (reader.problem_count() == problems_before) {
    reading.window = WindowDefinition{std::move(window_name),
                                      std::move(description),
                                      window_type,
                                      std::move(*zone),
                                      std::move(*recurrences),
                                      std::move(excluded_days),
                                      valid_from,
                                      valid_until,
                                      std::move(exempt),
                                      actions,
                                      std::move(message),
                                      std::move(exceptions)};
  }
  return reading;
}

}  // namespace windowguard::policy

#include "report/calendar_ics.hpp"

#include <memory>

#include <libical/ical.h>

namespace windowguard::report {
namespace {

struct ComponentFree {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

icaltimetype utc_time(core::Instant instant) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(instant.time_since_epoch().count()), 0,
                                       icaltimezone_get_utc_timezone());
}

// The rows the window is bound in, for its description.
std::string bound_in(const core::Timeline& timeline, const core::TimelineWindow& window) {
  std::string text;
  for (std::size_t index : window.rows) {
    const core::TimelineRow& row = timeline.rows[index];
    text += text.empty() ? "Bound to: " : "; ";
    text += row.environment;
    text += row.application.empty() ? " (every application)" : " (application " + row.application + ")";
  }
  return text;
}

std::string description(const core::Window& window, std::string_view event, const std::string& bindings) {
  std::string text;
  if (!window.message.empty()) {
    text += window.message;
    text += '\n';
  }
  if (!event.empty()) {
    text += "Calendar event: ";
    text += event;
    text += '\n';
  }
  text += "Time zone: ";
  text += window.schedule.zone().name();
  text += '\n';
  text += bindings;
  return text;
}

}  // namespace

std::string occurrence_uid(const core::Window& window, core::Instant start) {
  return window.name + "-" + date::format("%Y%m%dT%H%M%SZ", start) + "@windowguard.dev";
}

std::string calendar_ics(const core::Policy& policy, const core::Timeline& timeline) {
  const Component calendar(icalcomponent_new_vcalendar());
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid("-//windowguard//windowguard windows//EN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
  icalproperty* name = icalproperty_new_x("windowguard windows");
  icalproperty_set_x_name(name, "X-WR-CALNAME");
  icalcomponent_add_property(calendar.get(), name);
  const icaltimetype stamp = utc_time(timeline.now);
  for (const core::TimelineWindow& listed : timeline.windows) {
    const core::Window& window = policy.windows()[listed.window];
    const std::string summary =
        (window.type == core::WindowType::Blackout ? "Blackout: " : "Maintenance: ") + window.name;
    const std::string bindings = bound_in(timeline, listed);
    for (const core::Occurrence& occurrence : listed.occurrences) {
      icalcomponent* event = icalcomponent_new_vevent();
      icalcomponent_add_property(event, icalproperty_new_uid(occurrence_uid(window, occurrence.from).c_str()));
      icalcomponent_add_property(event, icalproperty_new_dtstamp(stamp));
      icalcomponent_add_property(event, icalproperty_new_dtstart(utc_time(occurrence.from)));
      icalcomponent_add_property(event, icalproperty_new_dtend(utc_time(occurrence.to)));
      icalcomponent_add_property(event, icalproperty_new_summary(summary.c_str()));
      const std::string text = description(window, window.schedule.event_starting_at(occurrence.from), bindings);
      icalcomponent_add_property(event, icalproperty_new_description(text.c_str()));
      // A window is not a meeting: it leaves the subscriber's free/busy time alone.
      icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
      icalcomponent_add_component(calendar.get(), event);
    }
  }
  char* text = icalcomponent_as_ical_string_r(calendar.get());
  std::string feed(text);
  icalmemory_free_buffer(text);
  return feed;
}

}  // namespace windowguard::report

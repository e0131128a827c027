// The calendar feed: parsed back with libical, and, since libical's parser
// is lenient, checked line by line for what RFC 5545 requires of the text
// itself.  Fixed instants.
#include "report/calendar_ics.hpp"

#include <libical/ical.h>

#include <gtest/gtest.h>

#include "policy/policy_loader.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::report {
namespace {

using testing::utc;

const core::Instant kMonday = utc("2026-12-07T10:00:00Z");
const std::string kLongMessage =
    "No deploys over the weekend, by order of the change board; see https://wiki.example.com/change/weekend, "
    "section 4.2 \"Exceptions\", and ask #release\\managers for help";

std::shared_ptr<const core::Policy> load() {
  const std::string text = R"yaml(apiVersion: windowguard.dev/v1
kind: WindowPolicy
windows:
  - name: weekend
    type: blackout
    timeZone: Europe/Berlin
    message: ')yaml" + kLongMessage +
                           R"yaml('
    durations:
      - weeklyRange: {from: "Sat 00:00", to: "Mon 06:00"}
  - name: nightly
    type: maintenance
    durations:
      - daily: {from: "22:00", to: "06:00"}
bindings:
  - windows: [weekend, nightly]
    environments: ["prod-*"]
    applications: [checkout]
)yaml";
  auto loaded = policy::load_policy({{"p.yaml", text}});
  if (!loaded) {
    throw std::runtime_error(loaded.error().front().to_string());
  }
  return loaded->policy;
}

std::string feed_at(const core::Policy& policy, core::Instant at, int days = core::kDefaultFeedDays) {
  return calendar_ics(policy, core::build_timeline(policy, {at, core::days{days}, {}, {}}, {}));
}

struct ParsedEvent {
  std::string uid;
  std::string summary;
  std::string description;
  core::Instant start;
  core::Instant end;
};

core::Instant instant_of(icaltimetype time) {
  EXPECT_TRUE(icaltime_is_utc(time));
  return core::Instant(core::seconds(icaltime_as_timet(time)));
}

std::vector<ParsedEvent> parse(const std::string& feed) {
  icalcomponent* calendar = icalparser_parse_string(feed.c_str());
  EXPECT_NE(calendar, nullptr);
  std::vector<ParsedEvent> events;
  if (calendar == nullptr) {
    return events;
  }
  for (icalcomponent* event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); event != nullptr;
       event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
    events.push_back({icalcomponent_get_uid(event), icalcomponent_get_summary(event),
                      icalcomponent_get_description(event), instant_of(icalcomponent_get_dtstart(event)),
                      instant_of(icalcomponent_get_dtend(event))});
  }
  icalcomponent_free(calendar);
  return events;
}

std::vector<std::string> lines_of(const std::string& feed) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end = feed.find("\r\n"); end != std::string::npos; end = feed.find("\r\n", start)) {
    lines.push_back(feed.substr(start, end - start));
    start = end + 2;
  }
  EXPECT_EQ(start, feed.size()) << "the feed ends with CRLF";
  return lines;
}

TEST(CalendarFeed, OneEventPerOccurrenceWithItsSummaryAndUtcTimes) {
  const auto policy = load();
  const std::vector<ParsedEvent> events = parse(feed_at(*policy, kMonday, 14));
  // From midnight UTC on: three weekends and fifteen nights, the first of each ending this morning.
  ASSERT_EQ(events.size(), 3U + 15U);
  const auto weekend = std::find_if(events.begin(), events.end(), [](const ParsedEvent& event) {
    return event.summary == "Blackout: weekend" && event.start > kMonday;
  });
  ASSERT_NE(weekend, events.end());
  EXPECT_EQ(weekend->start, utc("2026-12-11T23:00:00Z"));
  EXPECT_EQ(weekend->end, utc("2026-12-14T05:00:00Z"));
  EXPECT_EQ(weekend->uid, "weekend-20261211T230000Z@windowguard.dev");
  EXPECT_EQ(weekend->description, kLongMessage + "\nTime zone: Europe/Berlin\nBound to: prod-* (application checkout)");
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](const ParsedEvent& event) { return event.summary == "Maintenance: nightly"; }),
            15);
}

TEST(CalendarFeed, ByDefaultItLooksNinetyDaysAhead) {
  const auto policy = load();
  const std::vector<ParsedEvent> events = parse(feed_at(*policy, kMonday));
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](const ParsedEvent& event) { return event.summary == "Maintenance: nightly"; }),
            91);
}

TEST(CalendarFeed, AnOccurrenceKeepsItsUidAcrossRefreshes) {
  const auto policy = load();
  const std::vector<ParsedEvent> first = parse(feed_at(*policy, kMonday, 14));
  const std::vector<ParsedEvent> later = parse(feed_at(*policy, kMonday + core::hours{26}, 14));
  const auto uid_of = [](const std::vector<ParsedEvent>& events, core::Instant start) {
    for (const ParsedEvent& event : events) {
      if (event.start == start) {
        return event.uid;
      }
    }
    return std::string("(none)");
  };
  const core::Instant weekend = utc("2026-12-11T23:00:00Z");
  const core::Instant night = utc("2026-12-09T22:00:00Z");
  EXPECT_EQ(uid_of(first, weekend), uid_of(later, weekend));
  EXPECT_EQ(uid_of(first, night), uid_of(later, night));
  EXPECT_NE(uid_of(first, weekend), "(none)");
}

// libical's parser accepts bare LF and long lines: the text is checked here.
TEST(CalendarFeed, LinesEndWithCrlfAreFoldedAt75OctetsAndTheCalendarNamesItself) {
  const auto policy = load();
  const std::string feed = feed_at(*policy, kMonday, 14);
  EXPECT_EQ(feed.find('\n'), feed.find("\r\n") + 1) << "every LF follows a CR";
  std::size_t bare_lf = 0;
  for (std::size_t i = 0; i < feed.size(); ++i) {
    bare_lf += feed[i] == '\n' && (i == 0 || feed[i - 1] != '\r') ? 1 : 0;
  }
  EXPECT_EQ(bare_lf, 0U);
  const std::vector<std::string> lines = lines_of(feed);
  bool folded = false;
  for (const std::string& line : lines) {
    EXPECT_LE(line.size(), 75U) << line;
    folded = folded || line.starts_with(' ');
  }
  EXPECT_TRUE(folded) << "the long DESCRIPTION is folded";
  EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(lines.back(), "END:VCALENDAR");
  const auto has = [&](std::string_view start) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return line.starts_with(start); });
  };
  EXPECT_TRUE(has("PRODID:-//windowguard//"));
  EXPECT_TRUE(has("VERSION:2.0"));
  EXPECT_TRUE(has("DTSTAMP:20261207T100000Z"));  // now, not the start of the day
  EXPECT_TRUE(has("DTSTART:20261211T230000Z"));
  EXPECT_EQ(
      std::count_if(lines.begin(), lines.end(), [](const std::string& line) { return line.starts_with("DTSTAMP:"); }),
      std::count_if(lines.begin(), lines.end(), [](const std::string& line) { return line == "BEGIN:VEVENT"; }));
  // TEXT values escape ',', ';', '\' and newlines (RFC 5545, 3.3.11).
  std::string unfolded;
  for (const std::string& line : lines) {
    unfolded += line.starts_with(' ') ? line.substr(1) : "\n" + line;
  }
  EXPECT_NE(unfolded.find("board\\; see https://wiki.example.com/change/weekend\\, section"), std::string::npos);
  EXPECT_NE(unfolded.find("#release\\\\managers"), std::string::npos);
  EXPECT_NE(unfolded.find("for help\\nTime zone"), std::string::npos);
}

TEST(CalendarFeed, TheFiltersKeepTheWindowsOfTheRowsTheyKeep) {
  const auto policy = load();
  EXPECT_TRUE(parse(calendar_ics(*policy, core::build_timeline(*policy, {kMonday, core::days{14}, "staging", {}}, {})))
                  .empty());
  EXPECT_EQ(parse(calendar_ics(*policy,
                               core::build_timeline(*policy, {kMonday, core::days{14}, "prod-eu-1", "checkout"}, {})))
                .size(),
            18U);
}

}  // namespace
}  // namespace windowguard::report

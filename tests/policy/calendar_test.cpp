// `calendar:` durations and `except:`, loaded from policy texts beside an
// iCalendar file and decided at fixed instants: libical's expansion (RRULE,
// RDATE, EXDATE, COUNT, UNTIL), zones of events and of windows across DST,
// all-day events east and west of UTC, the bound on expansion, and the
// problems of malformed files at file:line.
#include <gtest/gtest.h>

#include "policy/calendar_reader.hpp"
#include "policy/policy_loader.hpp"
#include "support/time_helpers.hpp"

namespace windowguard::policy {
namespace {

using testing::utc;
using LoadResult = Result<LoadedPolicy, Problems>;

// An iCalendar file of the given VEVENT lines (each event's BEGIN and END
// included), with CRLF line ends as RFC 5545 writes them.
std::string calendar_of(const std::vector<std::string>& lines) {
  std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//windowguard//tests//EN\r\n";
  for (const std::string& line : lines) {
    text += line + "\r\n";
  }
  return text + "END:VCALENDAR\r\n";
}

// A policy of one window "w" (a blackout in `zone`) with the given
// durations and window fields, and the calendar "holidays.ics".
LoadResult load_window(const std::string& zone, const std::string& durations, const std::string& calendar,
                       const std::string& more_fields = "") {
  const std::string yaml =
      "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n  - name: w\n"
      "    type: blackout\n    timeZone: " +
      zone + "\n    durations:\n" + durations + more_fields +
      "bindings:\n  - windows: [w]\n    environments: [\"*\"]\n";
  return load_policy({{"p.yaml", yaml}, {"holidays.ics", calendar}});
}

const std::string kCalendarDuration = "      - calendar: {file: holidays.ics}\n";

std::vector<std::string> errors_of(const LoadResult& result) {
  std::vector<std::string> shown;
  if (!result) {
    for (const Problem& problem : result.error()) {
      shown.push_back(problem.to_string());
    }
  }
  return shown;
}

// Each occurrence overlapping [from, to) as "start/end" in UTC.
std::vector<std::string> occurrences(const LoadResult& result, const char* from, const char* to) {
  std::vector<std::string> shown;
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(errors_of(result));
  if (!result) {
    return shown;
  }
  for (const core::Occurrence& occurrence :
       result->policy->windows()[0].schedule.occurrences_overlapping(utc(from), utc(to))) {
    shown.push_back(date::format("%FT%TZ", occurrence.from) + "/" + date::format("%FT%TZ", occurrence.to));
  }
  return shown;
}

bool active_at(const LoadResult& result, const char* at) {
  core::EvaluationCost cost;
  return result->policy->windows()[0].schedule.state_at(utc(at), cost).occurrence.has_value();
}

const std::vector<std::string> kWeeklyReview = {
    "BEGIN:VEVENT",
    "UID:review@example.com",
    "DTSTART;TZID=America/New_York:20260302T090000",
    "DTEND;TZID=America/New_York:20260302T100000",
    "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=40",
    "SUMMARY:Release review",
    "END:VEVENT",
};

TEST(Calendar, AWeeklyRuleWithATzidKeepsItsWallClockAcrossBothDstChanges) {
  const LoadResult result = load_window("UTC", kCalendarDuration, calendar_of(kWeeklyReview));
  // 09:00 in New York: EST before 8 March 2026, EDT from then until 1 November.
  EXPECT_EQ(occurrences(result, "2026-03-01T00:00:00Z", "2026-03-10T00:00:00Z"),
            (std::vector<std::string>{"2026-03-02T14:00:00Z/2026-03-02T15:00:00Z",
                                      "2026-03-09T13:00:00Z/2026-03-09T14:00:00Z"}));
  EXPECT_EQ(occurrences(result, "2026-10-25T00:00:00Z", "2026-11-03T00:00:00Z"),
            (std::vector<std::string>{"2026-10-26T13:00:00Z/2026-10-26T14:00:00Z",
                                      "2026-11-02T14:00:00Z/2026-11-02T15:00:00Z"}));
  EXPECT_TRUE(active_at(result, "2026-11-02T14:30:00Z"));
  EXPECT_FALSE(active_at(result, "2026-11-02T13:30:00Z"));
}

TEST(Calendar, CountEndsTheRuleAndUntilToo) {
  const LoadResult counted = load_window("UTC", kCalendarDuration, calendar_of(kWeeklyReview));
  // The 40th Monday from 2 March 2026 is 30 November 2026.
  EXPECT_EQ(occurrences(counted, "2026-11-29T00:00:00Z", "2026-12-31T00:00:00Z"),
            (std::vector<std::string>{"2026-11-30T14:00:00Z/2026-11-30T15:00:00Z"}));
  std::vector<std::string> until = kWeeklyReview;
  until[4] = "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260316T140000Z";
  EXPECT_EQ(occurrences(load_window("UTC", kCalendarDuration, calendar_of(until)), "2026-03-01T00:00:00Z",
                        "2026-04-01T00:00:00Z"),
            (std::vector<std::string>{"2026-03-02T14:00:00Z/2026-03-02T15:00:00Z",
                                      "2026-03-09T13:00:00Z/2026-03-09T14:00:00Z",
                                      "2026-03-16T13:00:00Z/2026-03-16T14:00:00Z"}));
}

TEST(Calendar, ExdateRemovesAnOccurrenceAndRdateAddsOne) {
  std::vector<std::string> lines = kWeeklyReview;
  lines.insert(lines.end() - 1, "EXDATE;TZID=America/New_York:20260309T090000");
  lines.insert(lines.end() - 1, "RDATE;TZID=America/New_York:20260311T160000");
  EXPECT_EQ(occurrences(load_window("UTC", kCalendarDuration, calendar_of(lines)), "2026-03-05T00:00:00Z",
                        "2026-03-17T00:00:00Z"),
            (std::vector<std::string>{"2026-03-11T20:00:00Z/2026-03-11T21:00:00Z",
                                      "2026-03-16T13:00:00Z/2026-03-16T14:00:00Z"}));
}

// An EXDATE of one date-time removes that occurrence only, even of an
// event that occurs several times a day; a UTC EXDATE matches by instant.
TEST(Calendar, AnExdateRemovesOnlyTheOccurrenceItNames) {
  const std::vector<std::string> lines = {
      "BEGIN:VEVENT",
      "DTSTART;TZID=Europe/Berlin:20261201T090000",
      "DURATION:PT30M",
      "RRULE:FREQ=HOURLY;INTERVAL=4;COUNT=4",
      "EXDATE;TZID=Europe/Berlin:20261201T130000",
      "EXDATE:20261201T160000Z",
      "SUMMARY:Checks",
      "END:VEVENT",
  };
  EXPECT_EQ(occurrences(load_window("UTC", kCalendarDuration, calendar_of(lines)), "2026-12-01T00:00:00Z",
                        "2026-12-02T00:00:00Z"),
            (std::vector<std::string>{"2026-12-01T08:00:00Z/2026-12-01T08:30:00Z",
                                      "2026-12-01T20:00:00Z/2026-12-01T20:30:00Z"}));
}

const std::vector<std::string> kChristmas = {
    "BEGIN:VEVENT",      "DTSTART;VALUE=DATE:20201225", "DTEND;VALUE=DATE:20201226",
    "RRULE:FREQ=YEARLY", "SUMMARY:Christmas Day",       "END:VEVENT",
};

TEST(Calendar, AnAllDayEventSpansItsLocalDayInTheWindowsZoneEastAndWestOfUtc) {
  EXPECT_EQ(occurrences(load_window("Asia/Kathmandu", kCalendarDuration, calendar_of(kChristmas)),
                        "2026-12-20T00:00:00Z", "2026-12-31T00:00:00Z"),
            (std::vector<std::string>{"2026-12-24T18:15:00Z/2026-12-25T18:15:00Z"}));
  EXPECT_EQ(occurrences(load_window("America/Los_Angeles", kCalendarDuration, calendar_of(kChristmas)),
                        "2026-12-20T00:00:00Z", "2026-12-31T00:00:00Z"),
            (std::vector<std::string>{"2026-12-25T08:00:00Z/2026-12-26T08:00:00Z"}));
}

TEST(Calendar, AYearlyRuleFromFebruary29thOccursOnlyInLeapYearsAsRfc5545Says) {
  const std::vector<std::string> leap = {"BEGIN:VEVENT", "DTSTART;VALUE=DATE:20240229", "RRULE:FREQ=YEARLY",
                                         "SUMMARY:Leap day", "END:VEVENT"};
  EXPECT_EQ(occurrences(load_window("UTC", kCalendarDuration, calendar_of(leap)), "2025-01-01T00:00:00Z",
                        "2029-01-01T00:00:00Z"),
            (std::vector<std::string>{"2028-02-29T00:00:00Z/2028-03-01T00:00:00Z"}));
}

TEST(Calendar, AnEventWithoutDtendLastsADayWhenAllDayAndItsDurationOtherwise) {
  const std::vector<std::string> events = {
      "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261231", "SUMMARY:New Year's Eve", "END:VEVENT",
      "BEGIN:VEVENT", "DTSTART:20270105T100000Z",    "DURATION:PT2H30M",       "END:VEVENT",
  };
  EXPECT_EQ(occurrences(load_window("UTC", kCalendarDuration, calendar_of(events)), "2026-12-30T00:00:00Z",
                        "2027-01-10T00:00:00Z"),
            (std::vector<std::string>{"2026-12-31T00:00:00Z/2027-01-01T00:00:00Z",
                                      "2027-01-05T10:00:00Z/2027-01-05T12:30:00Z"}));
}

TEST(Calendar, ATimezoneOfTheFileItselfIsReadFromItsVtimezone) {
  const std::string calendar = calendar_of({
      "BEGIN:VTIMEZONE",
      "TZID:Office Time",
      "BEGIN:STANDARD",
      "DTSTART:19700101T000000",
      "TZOFFSETFROM:+0300",
      "TZOFFSETTO:+0300",
      "TZNAME:OFC",
      "END:STANDARD",
      "END:VTIMEZONE",
      "BEGIN:VEVENT",
      "DTSTART;TZID=Office Time:20261201T120000",
      "DTEND;TZID=Office Time:20261201T130000",
      "END:VEVENT",
  });
  EXPECT_EQ(
      occurrences(load_window("UTC", kCalendarDuration, calendar), "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"),
      (std::vector<std::string>{"2026-12-01T09:00:00Z/2026-12-01T10:00:00Z"}));
}

struct MalformedCalendar {
  const char* name;
  std::string text;
  std::string error;  // the calendar's own, before the window's
};

void PrintTo(const MalformedCalendar& row, std::ostream* out) { *out << row.name; }

class MalformedCalendars : public ::testing::TestWithParam<MalformedCalendar> {};

TEST_P(MalformedCalendars, AreRejectedAtTheirFileAndLineAndTheWindowSaysSo) {
  const LoadResult result = load_window("UTC", kCalendarDuration, GetParam().text);
  EXPECT_EQ(errors_of(result), (std::vector<std::string>{GetParam().error,
                                                         "p.yaml:8:26: window \"w\" calendar file \"holidays.ics\" "
                                                         "cannot be read (its problems are reported at the file)"}));
}

INSTANTIATE_TEST_SUITE_P(
    Files, MalformedCalendars,
    ::testing::Values(
        MalformedCalendar{"missing_end",
                          "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nEND:VCALENDAR\r\n",
                          "holidays.ics:4:1: END:VCALENDAR does not close BEGIN:VEVENT of line 2"},
        MalformedCalendar{"never_closed", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\n",
                          "holidays.ics:2:1: BEGIN:VEVENT is never closed (no END:VEVENT)"},
        MalformedCalendar{"bad_rrule",
                          calendar_of({"BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261225", "SUMMARY:Christmas Day",
                                       "RRULE:FREQ=FORTNIGHTLY", "END:VEVENT"}),
                          "holidays.ics:7:1: event \"Christmas Day\": Can't parse as RECUR value in RRULE property. "
                          "Removing entire property: FREQ=FORTNIGHTLY"},
        MalformedCalendar{"unknown_tzid",
                          calendar_of({"BEGIN:VEVENT", "DTSTART;TZID=Mars/Olympus_Mons:20261225T090000",
                                       "SUMMARY:Landing", "END:VEVENT"}),
                          "holidays.ics:4:1: event \"Landing\" DTSTART TZID \"Mars/Olympus_Mons\" is neither an IANA "
                          "time zone nor defined by a VTIMEZONE of the file"},
        MalformedCalendar{"no_dtstart", calendar_of({"BEGIN:VEVENT", "SUMMARY:Sometime", "END:VEVENT"}),
                          "holidays.ics:4:1: event \"Sometime\" has no DTSTART"},
        MalformedCalendar{
            "ends_before_start",
            calendar_of({"BEGIN:VEVENT", "DTSTART:20261225T100000Z", "DTEND:20261225T090000Z", "END:VEVENT"}),
            "holidays.ics:4:1: event ends (DTEND) before it starts (DTSTART)"},
        MalformedCalendar{"no_event", calendar_of({}), "holidays.ics: holds no event (VEVENT)"},
        MalformedCalendar{"empty", "",
                          "holidays.ics: is empty; expected an iCalendar file (BEGIN:VCALENDAR ... "
                          "END:VCALENDAR)"}),
    [](const ::testing::TestParamInfo<MalformedCalendar>& info) { return std::string(info.param.name); });

// The bound on expansion: a rule without end that would generate without
// limit, or a huge COUNT, is refused once the file passes it.
TEST(Calendar, ExpansionIsBoundedAndARuleThatPassesTheBoundIsRefusedAtItsLine) {
  for (const std::string rule : {"RRULE:FREQ=MINUTELY", "RRULE:FREQ=DAILY;COUNT=1000000"}) {
    const LoadResult result =
        load_window("UTC", kCalendarDuration,
                    calendar_of({"BEGIN:VEVENT", "DTSTART:20260101T000000Z", "SUMMARY:Busy", rule, "END:VEVENT"}));
    ASSERT_FALSE(errors_of(result).empty()) << rule;
    EXPECT_EQ(errors_of(result)[0],
              "holidays.ics:7:1: event \"Busy\" expands to more than 20000 occurrences in this "
              "file before 2100: give its RRULE a COUNT or an UNTIL")
        << rule;
  }
  // A yearly holiday from 1900 is far inside it.
  std::vector<std::string> old_holiday = kChristmas;
  old_holiday[1] = "DTSTART;VALUE=DATE:19001225";
  EXPECT_TRUE(load_window("UTC", kCalendarDuration, calendar_of(old_holiday)).ok());
}

TEST(Calendar, ACalendarFileTheDirectoryDoesNotHoldIsNamed) {
  const LoadResult result =
      load_policy({{"p.yaml",
                    "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n  - name: w\n    type: blackout\n"
                    "    durations:\n      - calendar: {file: missing.ics}\n    except: [{calendar: ../etc.ics}]\n"}});
  EXPECT_EQ(errors_of(result),
            (std::vector<std::string>{
                "p.yaml:7:26: window \"w\" calendar file \"missing.ics\" is not in the policy directory (or its "
                "ConfigMap)",
                "p.yaml:8:25: window \"w\" except calendar \"../etc.ics\" must name an iCalendar file (*.ics) in the "
                "policy directory, without a path"}));
}

// `except:` on each duration kind: the occurrence that starts on an
// excluded local date does not happen; the one before it, running into
// that date, does.
struct ExceptCase {
  const char* name;
  std::string duration;
  const char* excluded_start;  // an instant inside the occurrence that starts on 2026-12-25 (local)
  const char* kept;            // one inside another occurrence
};

void PrintTo(const ExceptCase& row, std::ostream* out) { *out << row.name; }

class ExceptOnEachKind : public ::testing::TestWithParam<ExceptCase> {};

TEST_P(ExceptOnEachKind, RemovesTheOccurrenceThatStartsOnAnExcludedDate) {
  const ExceptCase& row = GetParam();
  const LoadResult without = load_window("Europe/Berlin", row.duration, calendar_of(kChristmas));
  const LoadResult with =
      load_window("Europe/Berlin", row.duration, calendar_of(kChristmas), "    except: [\"2026-12-25\"]\n");
  ASSERT_TRUE(with.ok()) << ::testing::PrintToString(errors_of(with));
  EXPECT_TRUE(active_at(without, row.excluded_start));
  EXPECT_FALSE(active_at(with, row.excluded_start));
  EXPECT_TRUE(active_at(with, row.kept));
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, ExceptOnEachKind,
    ::testing::Values(ExceptCase{"once",
                                 "      - once: {from: \"2026-12-25 08:00\", to: \"2026-12-25 20:00\"}\n      - once: "
                                 "{from: \"2026-12-26 08:00\", to: \"2026-12-26 20:00\"}\n",
                                 "2026-12-25T12:00:00Z", "2026-12-26T12:00:00Z"},
                      ExceptCase{"daily", "      - daily: {from: \"22:00\", to: \"06:00\"}\n", "2026-12-25T22:00:00Z",
                                 "2026-12-25T03:00:00Z"},
                      ExceptCase{"weekly", "      - weekly: {days: [Fri, Sat], from: \"09:00\", to: \"17:00\"}\n",
                                 "2026-12-25T12:00:00Z", "2026-12-26T12:00:00Z"},
                      ExceptCase{"weekly_range", "      - weeklyRange: {from: \"Fri 18:00\", to: \"Mon 06:00\"}\n",
                                 "2026-12-26T12:00:00Z", "2026-12-19T12:00:00Z"},
                      ExceptCase{"monthly", "      - monthly: {from: \"25 00:00\", to: \"26 00:00\"}\n",
                                 "2026-12-25T12:00:00Z", "2026-11-25T12:00:00Z"},
                      ExceptCase{"yearly", "      - yearly: {from: \"Dec 25 00:00\", to: \"Dec 27 00:00\"}\n",
                                 "2026-12-25T12:00:00Z", "2025-12-25T12:00:00Z"},
                      ExceptCase{"cron", "      - cron: {schedule: \"0 9 * * *\", duration: 4h}\n",
                                 "2026-12-25T09:00:00Z", "2026-12-24T09:00:00Z"},
                      ExceptCase{"calendar", kCalendarDuration, "2026-12-25T12:00:00Z", "2025-12-25T12:00:00Z"}),
    [](const ::testing::TestParamInfo<ExceptCase>& info) { return std::string(info.param.name); });

// A maintenance window closed on public holidays: every local day an event
// of the file touches, in the window's zone.
TEST(Except, ACalendarExcludesEveryLocalDayItsEventsTouch) {
  const std::string holidays = calendar_of({
      "BEGIN:VEVENT",
      "DTSTART;VALUE=DATE:20261224",
      "DTEND;VALUE=DATE:20261227",
      "SUMMARY:Christmas",
      "END:VEVENT",
      // A timed event in New York's evening is the next day in Tokyo.
      "BEGIN:VEVENT",
      "DTSTART;TZID=America/New_York:20261230T200000",
      "DURATION:PT1H",
      "SUMMARY:Party",
      "END:VEVENT",
  });
  const LoadResult result = load_window("Asia/Tokyo", "      - daily: {from: \"10:00\", to: \"11:00\"}\n", holidays,
                                        "    except: [{calendar: holidays.ics}]\n");
  const std::vector<std::string> shown = occurrences(result, "2026-12-22T00:00:00Z", "2027-01-02T00:00:00Z");
  // 10:00 in Tokyo is 01:00Z: the 24th to the 26th and the 31st are gone.
  EXPECT_EQ(shown, (std::vector<std::string>{
                       "2026-12-22T01:00:00Z/2026-12-22T02:00:00Z", "2026-12-23T01:00:00Z/2026-12-23T02:00:00Z",
                       "2026-12-27T01:00:00Z/2026-12-27T02:00:00Z", "2026-12-28T01:00:00Z/2026-12-28T02:00:00Z",
                       "2026-12-29T01:00:00Z/2026-12-29T02:00:00Z", "2026-12-30T01:00:00Z/2026-12-30T02:00:00Z",
                       "2027-01-01T01:00:00Z/2027-01-01T02:00:00Z"}));
}

TEST(Except, ADateTimeIsNoDate) {
  const LoadResult result =
      load_window("UTC", kCalendarDuration, calendar_of(kChristmas), "    except: [\"2026-12-25 10:00\"]\n");
  EXPECT_EQ(errors_of(result), (std::vector<std::string>{"p.yaml:9:14: window \"w\" except date must be a local date "
                                                         "such as \"2026-12-25\", not a date-time"}));
}

// What one state costs stays within the schedule's own bound with calendars
// and excluded days, at every hour of a year.
TEST(Calendar, AStateCostsNoMoreThanTheScheduleSaysWithCalendarsAndExcludedDays) {
  const LoadResult result =
      load_window("America/New_York", kCalendarDuration + "      - cron: {schedule: \"*/5 * * * *\", duration: 1h}\n",
                  calendar_of(kWeeklyReview), "    except: [{calendar: holidays.ics}, \"2026-12-25\"]\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(errors_of(result));
  const core::Schedule& schedule = result->policy->windows()[0].schedule;
  for (core::Instant at = utc("2026-01-01T00:00:00Z"); at < utc("2027-01-01T00:00:00Z"); at += core::hours{7}) {
    core::EvaluationCost cost;
    (void)schedule.state_at(at, cost);
    ASSERT_LE(cost.expansions, schedule.most_expansions_per_state()) << date::format("%FT%TZ", at);
  }
}

}  // namespace
}  // namespace windowguard::policy

#include <iomanip>
#include <ostream>

#include <boost/program_options.hpp>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/schedule/time_text.hpp"
#include "core/schedule/upcoming.hpp"
#include "core/timeline.hpp"
#include "report/occurrences_json.hpp"
#include "report/page.hpp"

namespace windowguard::cli {
namespace {

void write_text(const core::Policy& policy, const std::vector<core::ListedOccurrence>& listed, std::ostream& out) {
  if (listed.empty()) {
    out << "no active or upcoming window occurrences\n";
    return;
  }
  std::size_t name_width = 6;
  std::size_t zone_width = 0;
  bool events = false;
  for (const core::ListedOccurrence& item : listed) {
    name_width = std::max(name_width, policy.windows()[item.window].name.size());
    zone_width = std::max(zone_width, policy.windows()[item.window].schedule.zone().name().size());
    events = events || !item.event.empty();
  }
  out << std::left << std::setw(static_cast<int>(name_width)) << "WINDOW"
      << "  TYPE         ACTIVE  START                      END                        START (UTC)           END (UTC) "
         "            ";
  if (events) {
    out << std::setw(static_cast<int>(zone_width)) << "ZONE"
        << "  EVENT\n";
  } else {
    out << "ZONE\n";
  }
  for (const core::ListedOccurrence& item : listed) {
    const core::Window& window = policy.windows()[item.window];
    const core::TimeZone& zone = window.schedule.zone();
    out << std::setw(static_cast<int>(name_width)) << window.name << "  " << std::setw(11)
        << core::window_type_name(window.type) << "  " << std::setw(6) << (item.active ? "yes" : "no") << "  "
        << std::setw(25) << core::format_in_zone(item.occurrence.from, zone) << "  " << std::setw(25)
        << core::format_in_zone(item.occurrence.to, zone) << "  " << std::setw(20)
        << core::format_utc(item.occurrence.from) << "  " << std::setw(20) << core::format_utc(item.occurrence.to)
        << "  ";
    if (events) {
      out << std::setw(static_cast<int>(zone_width)) << zone.name() << "  " << item.event << '\n';
    } else {
      out << zone.name() << '\n';
    }
  }
}

// The listing the options ask for; the problem is a usage error's message.
// The listing's subject points into `values`.
Result<core::ListingRequest> listing_request_of(const po::variables_map& values) {
  if (values.count("policies") == 0) {
    return Problem("--policies DIR is required");
  }
  if (values.count("application") != 0 && values.count("environment") == 0) {
    return Problem("--application needs --environment");
  }
  core::ListingRequest request;
  const Result<core::Instant> at = instant_option(values);
  if (!at) {
    return at.error();
  }
  request.at = *at;
  if (values.count("days") != 0) {
    const int days = values["days"].as<int>();
    if (days < 1 || days > core::kMostListedDays) {
      return Problem("--days must be between 1 and " + std::to_string(core::kMostListedDays));
    }
    request.ahead = core::days{days};
  }
  if (values.count("environment") != 0) {
    // The subject's names point into `values`, which outlives the listing.
    const bool any_application = values.count("application") == 0;
    const std::string_view application =
        any_application ? std::string_view() : std::string_view(values["application"].as<std::string>());
    request.subject =
        core::Subject{std::string_view(values["environment"].as<std::string>()), application, {}, any_application};
  }
  return request;
}

// The page's or the feed's request: the filters are globs, and either may
// be given alone.
Result<core::TimelineRequest> timeline_request_of(const po::variables_map& values, int default_days, int most_days) {
  if (values.count("policies") == 0) {
    return Problem("--policies DIR is required");
  }
  core::TimelineRequest request;
  const Result<core::Instant> at = instant_option(values);
  if (!at) {
    return at.error();
  }
  request.at = *at;
  const int days = values.count("days") != 0 ? values["days"].as<int>() : default_days;
  if (days < 1 || days > most_days) {
    return Problem("--days must be between 1 and " + std::to_string(most_days));
  }
  request.ahead = core::days{days};
  for (const auto& [option, filter] :
       {std::pair{"environment", &request.environment}, std::pair{"application", &request.application}}) {
    if (values.count(option) != 0) {
      *filter = values[option].as<std::string>();
    }
  }
  return request;
}

// --output html or ics: the page or the feed that serve answers at /ui and
// /calendar.ics, without the cluster's objects.
int write_page_or_feed(const po::variables_map& values, bool page, std::ostream& out, std::ostream& err) {
  const Result<core::TimelineRequest> request =
      page ? timeline_request_of(values, core::kDefaultPageDays, core::kMostPageDays)
           : timeline_request_of(values, core::kDefaultFeedDays, core::kMostFeedDays);
  if (!request) {
    return usage_error(err, "windows", request.error().message);
  }
  const std::shared_ptr<const core::Policy> policy = load_policies_option(values, err);
  if (!policy) {
    return kExitUsage;
  }
  const std::string generator = "windowguard " WINDOWGUARD_VERSION;
  out << report::render_page(*policy,
                             {page ? report::PageKind::Timeline : report::PageKind::Calendar, *request,
                              values.count("people") != 0, generator},
                             {});
  return kExitOk;
}

}  // namespace

int run_windows(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  const std::string days_help = "days ahead to list, 1-" + std::to_string(core::kMostListedDays) +
                                " (default: settings.upcomingDays, 90; html: 14, at most " +
                                std::to_string(core::kMostPageDays) + "; ics: 90, at most " +
                                std::to_string(core::kMostFeedDays) + ")";
  po::options_description options("usage: windowguard windows --policies DIR [options]\n\noptions");
  options.add_options()                                                      //
      ("help,h", "show this help")                                           //
      ("policies", po::value<std::string>(), "policy directory (required)")  //
      ("environment", po::value<std::string>(),
       "only windows bound to this namespace (html, ics: rows whose environment meets this glob)")  //
      ("application", po::value<std::string>(),
       "with --environment: only windows bound to this application (default: any; html, ics: a glob, alone too)")  //
      ("at", po::value<std::string>(), "RFC 3339 instant to list from (default: now)")                             //
      ("days", po::value<int>(), days_help.c_str())                                                                //
      ("people", "html: show requesters, approvers and reasons")                                                   //
      ("output", po::value<std::string>()->default_value("text"),
       "text, json, html (the page of GET /ui) or ics (the feed of GET /calendar.ics)");
  const ParsedOptions parsed = parse_options("windows", options, arguments, out, err);
  if (parsed.exit_code) {
    return *parsed.exit_code;
  }
  const std::string output = parsed.values["output"].as<std::string>();
  if (output == "html" || output == "ics") {
    return write_page_or_feed(parsed.values, output == "html", out, err);
  }
  if (output != "text" && output != "json") {
    return usage_error(err, "windows", "--output must be text, json, html or ics");
  }
  const Result<core::ListingRequest> request = listing_request_of(parsed.values);
  if (!request) {
    return usage_error(err, "windows", request.error().message);
  }
  const std::shared_ptr<const core::Policy> policy = load_policies_option(parsed.values, err);
  if (!policy) {
    return kExitUsage;
  }
  const std::vector<core::ListedOccurrence> listed = core::list_occurrences(*policy, *request);
  if (output == "json") {
    out << report::occurrences_json(*policy, listed) << '\n';
  } else {
    write_text(*policy, listed, out);
  }
  return kExitOk;
}

}  // namespace windowguard::cli

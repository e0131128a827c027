#include "report/page.hpp"

#include "report/calendar_ics.hpp"
#include "report/timeline_html.hpp"

namespace windowguard::report {

std::string render_page(const core::Policy& policy, const PageRequest& request, const core::TimelineObjects& objects) {
  const core::Timeline timeline = core::build_timeline(policy, request.timeline, objects);
  if (request.kind == PageKind::Calendar) {
    return calendar_ics(policy, timeline);
  }
  PageOptions options;
  options.people = request.people;
  options.environment = request.timeline.environment ? std::string_view(*request.timeline.environment) : "";
  options.application = request.timeline.application ? std::string_view(*request.timeline.application) : "";
  options.days = static_cast<int>(request.timeline.ahead.count());
  options.generator = request.generator;
  return timeline_html(policy, timeline, options);
}

}  // namespace windowguard::report

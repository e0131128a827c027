#pragma once
// The page or the feed for a request, as `serve` answers /ui and
// /calendar.ics and `windowguard windows --output html|ics` writes them.
#include <string>
#include <string_view>

#include "core/policy.hpp"
#include "core/timeline.hpp"

namespace windowguard::report {

enum class PageKind { Timeline, Calendar };

struct PageRequest {
  PageKind kind = PageKind::Timeline;
  core::TimelineRequest timeline;
  bool people = false;  // requesters, approvers and reasons (the page only)
  std::string_view generator = "windowguard";
};

std::string render_page(const core::Policy& policy, const PageRequest& request, const core::TimelineObjects& objects);

}  // namespace windowguard::report

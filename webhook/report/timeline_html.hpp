#pragma once
// The page (GET /ui, `windowguard windows --output html`): one self-contained
// HTML document, with no script and no request to anywhere, that draws the
// timeline as inline SVG and lists the exceptions and image approvals below
// it.  Every text from the policy or the cluster goes through
// report/html_text.hpp's escaping.
#include <string>
#include <string_view>

#include "core/policy.hpp"
#include "core/timeline.hpp"

namespace windowguard::report {

struct PageOptions {
  // Requesters, approvers and reasons: shown only when asked for (serve
  // --ui-people), since the page may be reachable by more people than they are.
  bool people = false;
  // The filters as asked, to fill in the page's form again; empty: none.
  std::string_view environment;
  std::string_view application;
  int days = core::kDefaultPageDays;
  // What the page says of where it comes from: "windowguard 1.2.0".
  std::string_view generator = "windowguard";
};

std::string timeline_html(const core::Policy& policy, const core::Timeline& timeline, const PageOptions& options);

}  // namespace windowguard::report

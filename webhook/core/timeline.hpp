#pragma once
// What the page and the calendar feed show (docs/operations.md, "The page
// and the feed"): a row per binding's environment and application (and per
// namespace a namespaceSelector selects), each with the occurrences of its
// windows and the exceptions in force over a span of days; and the
// exceptions and image approvals that are pending or in force.  A pure
// function of the policy, the cluster's objects and the request.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/exceptions/exception_standing.hpp"
#include "core/exceptions/window_exception.hpp"
#include "core/images/image_rules.hpp"
#include "core/namespace_labels.hpp"
#include "core/policy.hpp"

namespace windowguard::core {

inline constexpr int kDefaultPageDays = 14;
inline constexpr int kDefaultFeedDays = 90;
inline constexpr int kMostPageDays = 90;
// A year: what a subscribed calendar needs, at a bounded cost.
inline constexpr int kMostFeedDays = 366;

struct TimelineRequest {
  Instant at;
  days ahead{kDefaultPageDays};  // 1 to kMostListedDays
  // Globs: a row is kept when the glob matches its name, or its own
  // pattern covers the glob ("prod-eu-1" keeps the row "prod-*").
  std::optional<std::string> environment;
  std::optional<std::string> application;
};

// What the cluster adds to the timeline; each is null without cluster access.
struct TimelineObjects {
  const ExceptionBook* exceptions = nullptr;
  const ImageApprovalBook* image_approvals = nullptr;
  const NamespaceLabels* namespaces = nullptr;
};

// An exception that is pending, scheduled or in force: an object of the
// cluster or an entry of the policy.
struct TimelineException {
  std::string label;                      // "namespace/name", or the policy entry's name
  std::vector<std::string> environments;  // the object's namespace, or the entry's globs
  std::vector<std::string> applications;  // empty: every application
  std::vector<std::size_t> windows;       // ascending
  ExceptionState state = ExceptionState::Pending;
  Instant from;
  Instant until;
  bool from_policy = false;
  // People and reasons, which the page shows only when asked to.
  std::string requested_by;            // empty for a policy entry
  std::vector<std::string> approvers;  // whose approvals count
  int approvals = 0;
  int required = 0;
  std::string reason;
};

struct TimelineImageApproval {
  std::string label;  // "namespace/name"
  std::string application;
  std::vector<std::string> images;
  std::string promoted_from;
  bool approved = false;
  int approvals = 0;
  int required = 0;
  std::optional<Instant> until;  // when its approvals stop counting (an approvals rule's expireAfter)
  std::string requested_by;
  std::vector<std::string> approvers;  // whose approvals count
};

enum class BarKind { Blackout, Maintenance, Exception };

// A span drawn in a row: an occurrence of one of its windows (overlapping
// and touching occurrences merged), or an exception in force.
struct TimelineBar {
  BarKind kind = BarKind::Blackout;
  std::size_t index = 0;  // the window (Policy::windows()), or the exception (Timeline::exceptions)
  Instant from;
  Instant to;
  std::string_view event;  // the calendar event a window's occurrence starts with, or empty
};

struct TimelineRow {
  std::string environment;           // a binding's namespace pattern, or a namespace its selector selects
  std::string application;           // a binding's application pattern; empty: every application
  std::vector<std::size_t> windows;  // ascending
  std::vector<TimelineBar> bars;     // by start
};

// A window of the rows, its occurrences over the span (merged) and the rows
// it is bound in.
struct TimelineWindow {
  std::size_t window = 0;  // Policy::windows()
  std::vector<Occurrence> occurrences;
  std::vector<std::size_t> rows;  // Timeline::rows, ascending
};

struct Timeline {
  Instant now;                    // the request's instant: states are as they stand then
  Instant from;                   // the start of now's day in UTC, so that the day so far is shown too
  Instant to;                     // from + the request's days
  std::vector<TimelineRow> rows;  // by environment, then application
  std::vector<TimelineException> exceptions;
  std::vector<TimelineImageApproval> image_approvals;
  std::vector<TimelineWindow> windows;  // the windows of the rows, by index
};

Timeline build_timeline(const Policy& policy, const TimelineRequest& request, const TimelineObjects& objects);

// Whether two globs can name the same text: one matches the other.
bool globs_meet(const std::string& first, const std::string& second);

}  // namespace windowguard::core

#include "core/timeline.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "core/binding_index.hpp"
#include "core/glob.hpp"
#include "core/images/image_check.hpp"
#include "core/schedule/upcoming.hpp"

namespace windowguard::core {
namespace {

using RowKey = std::pair<std::string, std::string>;  // environment, application
using RowWindows = std::map<RowKey, std::vector<std::size_t>>;

bool environment_kept(const TimelineRequest& request, const std::string& environment) {
  return !request.environment || globs_meet(*request.environment, environment);
}

// A row or an exception for every application is kept by any application filter.
bool application_kept(const TimelineRequest& request, const std::string& application) {
  return !request.application || application.empty() || globs_meet(*request.application, application);
}

bool applications_kept(const TimelineRequest& request, const std::vector<std::string>& applications) {
  return applications.empty() ||
         std::any_of(applications.begin(), applications.end(),
                     [&](const std::string& application) { return application_kept(request, application); });
}

void add_rows(RowWindows& rows, const std::string& environment, const Binding& binding) {
  if (binding.applications.empty()) {
    rows[{environment, ""}].insert(rows[{environment, ""}].end(), binding.windows.begin(), binding.windows.end());
    return;
  }
  for (const std::string& application : binding.applications) {
    std::vector<std::size_t>& windows = rows[{environment, application}];
    windows.insert(windows.end(), binding.windows.begin(), binding.windows.end());
  }
}

RowWindows row_windows(const Policy& policy, const NamespaceLabels* namespaces) {
  RowWindows rows;
  for (const Binding& binding : policy.bindings()) {
    for (const std::string& pattern : binding.environments) {
      if (const std::optional<std::string> environment = namespace_pattern(pattern, policy.settings().cluster_name)) {
        add_rows(rows, *environment, binding);
      }
    }
    if (binding.namespace_selector && namespaces != nullptr) {
      namespaces->for_each([&](const std::string& name, Labels labels) {
        if (binding.namespace_selector->matches(labels)) {
          add_rows(rows, name, binding);
        }
      });
    }
  }
  return rows;
}

// The environments an exception names, as namespace globs of this cluster.
std::vector<std::string> namespace_globs(const Policy& policy, const std::vector<std::string>& environments) {
  std::vector<std::string> globs;
  for (const std::string& environment : environments) {
    if (std::optional<std::string> glob = namespace_pattern(environment, policy.settings().cluster_name)) {
      globs.push_back(std::move(*glob));
    }
  }
  return globs;
}

std::vector<std::size_t> windows_named(const Policy& policy, const std::vector<std::string>& names) {
  std::vector<std::size_t> windows;
  for (const std::string& name : names) {
    if (const std::optional<std::size_t> index = policy.window_named(name)) {
      windows.push_back(*index);
    }
  }
  sort_unique(windows);
  return windows;
}

bool exception_kept(const TimelineRequest& request, const TimelineException& exception) {
  return std::any_of(exception.environments.begin(), exception.environments.end(),
                     [&](const std::string& environment) { return environment_kept(request, environment); }) &&
         applications_kept(request, exception.applications);
}

std::vector<TimelineException> exceptions_of(const Policy& policy, const TimelineRequest& request,
                                             const ExceptionBook* book) {
  std::vector<TimelineException> exceptions;
  const auto keep = [&](TimelineException exception) {
    if (exception_kept(request, exception)) {
      exceptions.push_back(std::move(exception));
    }
  };
  for (const StaticException& entry : policy.static_exceptions()) {
    const ExceptionState state = state_of(entry, request.at);
    if (state != ExceptionState::Expired) {
      keep({entry.name,
            namespace_globs(policy, entry.environments),
            entry.scope.applications,
            windows_named(policy, entry.scope.windows),
            state,
            entry.scope.from,
            entry.scope.until,
            true,
            "",
            {},
            0,
            0,
            entry.reason});
    }
  }
  if (book == nullptr) {
    return exceptions;
  }
  for (const WindowException& object : book->all()) {
    ExceptionStanding standing = standing_of(policy, object, request.at);
    if (standing.state == ExceptionState::Expired || standing.state == ExceptionState::Unusable) {
      continue;
    }
    keep({object.namespace_name + "/" + object.name,
          {object.namespace_name},
          object.scope.applications,
          std::move(standing.windows),
          standing.state,
          object.scope.from,
          object.scope.until,
          false,
          object.requested_by,
          std::move(standing.approvers),
          standing.approvals,
          standing.required,
          object.reason});
  }
  return exceptions;
}

std::vector<TimelineImageApproval> image_approvals_of(const Policy& policy, const TimelineRequest& request,
                                                      const ImageApprovalBook* book) {
  std::vector<TimelineImageApproval> approvals;
  if (book == nullptr) {
    return approvals;
  }
  for (const ImageApproval& object : book->all()) {
    if (!environment_kept(request, object.namespace_name) || !application_kept(request, object.application)) {
      continue;
    }
    const ImageApprovalStanding standing = standing_of(policy, object, request.at);
    if (standing.state == "ungoverned") {
      continue;
    }
    TimelineImageApproval approval{object.namespace_name + "/" + object.name,
                                   object.application,
                                   {},
                                   object.promoted_from,
                                   standing.state == "approved",
                                   standing.approvals,
                                   standing.required,
                                   standing.approved_until,
                                   object.requested_by,
                                   {standing.approvers.begin(), standing.approvers.end()}};
    for (const ImageReference& image : object.images) {
      approval.images.push_back(image.normalized());
    }
    approvals.push_back(std::move(approval));
  }
  return approvals;
}

// Whether an approved exception is drawn in the row: it names the row's
// environment, application and one of its windows.
bool lifts_in_row(const TimelineException& exception, const TimelineRow& row) {
  const bool environment = std::any_of(exception.environments.begin(), exception.environments.end(),
                                       [&](const std::string& glob) { return globs_meet(glob, row.environment); });
  const bool application = exception.applications.empty() || row.application.empty() ||
                           std::any_of(exception.applications.begin(), exception.applications.end(),
                                       [&](const std::string& name) { return glob_matches(row.application, name); });
  const bool window = std::any_of(exception.windows.begin(), exception.windows.end(), [&](std::size_t index) {
    return std::binary_search(row.windows.begin(), row.windows.end(), index);
  });
  return environment && application && window;
}

void add_bars(const Policy& policy, const Timeline& timeline, TimelineRow& row,
              const std::vector<const std::vector<Occurrence>*>& occurrences) {
  for (std::size_t window : row.windows) {
    const Window& bound = policy.windows()[window];
    const BarKind kind = bound.type == WindowType::Blackout ? BarKind::Blackout : BarKind::Maintenance;
    for (const Occurrence& occurrence : *occurrences[window]) {
      row.bars.push_back(
          {kind, window, occurrence.from, occurrence.to, bound.schedule.event_starting_at(occurrence.from)});
    }
  }
  for (std::size_t index = 0; index < timeline.exceptions.size(); ++index) {
    const TimelineException& exception = timeline.exceptions[index];
    const bool approved = exception.state == ExceptionState::InForce || exception.state == ExceptionState::Scheduled;
    if (approved && exception.from < timeline.to && exception.until > timeline.from && lifts_in_row(exception, row)) {
      row.bars.push_back({BarKind::Exception, index, exception.from, exception.until, {}});
    }
  }
  std::stable_sort(row.bars.begin(), row.bars.end(),
                   [](const TimelineBar& a, const TimelineBar& b) { return a.from < b.from; });
}

}  // namespace

bool globs_meet(const std::string& first, const std::string& second) {
  return glob_matches(first, second) || glob_matches(second, first);
}

Timeline build_timeline(const Policy& policy, const TimelineRequest& request, const TimelineObjects& objects) {
  Timeline timeline;
  timeline.now = request.at;
  timeline.from = date::floor<days>(request.at);
  timeline.to = timeline.from + request.ahead;
  std::vector<std::vector<std::size_t>> rows_of_window(policy.windows().size());
  for (auto& [key, windows] : row_windows(policy, objects.namespaces)) {
    if (environment_kept(request, key.first) && application_kept(request, key.second)) {
      sort_unique(windows);
      for (std::size_t window : windows) {
        rows_of_window[window].push_back(timeline.rows.size());
      }
      timeline.rows.push_back({key.first, key.second, std::move(windows), {}});
    }
  }
  std::vector<const std::vector<Occurrence>*> occurrences(policy.windows().size());  // by window
  for (std::size_t window = 0; window < policy.windows().size(); ++window) {
    if (!rows_of_window[window].empty()) {
      timeline.windows.push_back({window,
                                  merged_occurrences(policy.windows()[window].schedule, timeline.from, timeline.to),
                                  std::move(rows_of_window[window])});
    }
  }
  for (const TimelineWindow& window : timeline.windows) {
    occurrences[window.window] = &window.occurrences;
  }
  timeline.exceptions = exceptions_of(policy, request, objects.exceptions);
  timeline.image_approvals = image_approvals_of(policy, request, objects.image_approvals);
  for (TimelineRow& row : timeline.rows) {
    add_bars(policy, timeline, row, occurrences);
  }
  return timeline;
}

}  // namespace windowguard::core

#include "admission/explanation.hpp"

#include "core/time_text.hpp"

namespace windowguard::admission {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) {
    joined += (joined.empty() ? "" : ", ") + item;
  }
  return joined;
}

std::string window_label(const core::Window& window) {
  return std::string(core::window_type_name(window.type)) + " window \"" + window.name + "\"";
}

std::string exempt_parties(const core::Settings& settings, const core::Window& window) {
  std::vector<std::string> parties;
  if (window.exempt.super_admins && !settings.super_admin_groups.empty()) {
    parties.push_back("members of " + join(settings.super_admin_groups));
  }
  if (!window.exempt.users.empty()) {
    parties.push_back((window.exempt.users.size() == 1 ? "user " : "users ") + join(window.exempt.users));
  }
  if (!window.exempt.groups.empty()) {
    parties.push_back((window.exempt.groups.size() == 1 ? "group " : "groups ") + join(window.exempt.groups));
  }
  if (parties.empty()) {
    return "Nobody is exempt.";
  }
  std::string text = "Exempt: ";
  for (std::size_t i = 0; i < parties.size(); ++i) {
    text += (i == 0 ? "" : "; ") + parties[i];
  }
  return text + ".";
}

std::string span(const core::Occurrence& occurrence, const core::TimeZone& zone) {
  return core::format_readable(occurrence.from, zone) + " until " + core::format_readable(occurrence.to, zone) + " (" +
         zone.name() + ")";
}

std::string denial(const core::Policy& policy, const core::Decision& decision, const std::string& request) {
  const core::Window& window = policy.windows()[*decision.deciding_window];
  const core::TimeZone& zone = window.schedule.zone();
  std::string text = request + " is blocked ";
  if (decision.verdict == core::Verdict::BlockedByBlackout) {
    text += "by " + window_label(window);
    if (decision.deciding_occurrence) {
      text += ", active " + span(*decision.deciding_occurrence, zone);
    }
  } else {
    text += "outside " + window_label(window);
    if (decision.deciding_occurrence) {
      text += ", next open " + span(*decision.deciding_occurrence, zone);
    }
  }
  text += ". ";
  if (decision.blocked_until) {
    text += "Allowed again at " + core::format_readable(*decision.blocked_until, zone) + " (" +
            core::format_readable(*decision.blocked_until, core::TimeZone::utc()) + "). ";
  } else {
    text +=
        "The block has no end within the next " + std::to_string(core::Schedule::kSearchHorizon.count()) + " days. ";
  }
  if (!window.message.empty()) {
    text += window.message + (window.message.back() == '.' ? " " : ". ");
  }
  return text + exempt_parties(policy.settings(), window);
}

}  // namespace

std::string object_reference(const Classification& classification, std::string_view name) {
  std::string text(classification.kind);
  text += " ";
  if (!classification.environment.empty() && !classification.whole_environment) {
    text += std::string(classification.environment) + "/";
  }
  return text + std::string(name);
}

std::string explain(const core::Policy& policy, const core::Decision& decision, const std::string& request) {
  if (!decision.allowed) {
    return denial(policy, decision, request);
  }
  switch (decision.verdict) {
    case core::Verdict::Trusted:
      return request + " is allowed: the requester is trusted and never governed.";
    case core::Verdict::InsideMaintenance:
      return request + " is allowed: a maintenance window is open.";
    case core::Verdict::ExemptFromBlock: {
      std::vector<std::string> names;
      for (std::size_t index : decision.bypassed) {
        names.push_back(window_label(policy.windows()[index]));
      }
      return request + " is allowed: the requester is exempt from " + join(names) + ".";
    }
    default:
      return request + " is allowed: no window blocks it.";
  }
}

std::vector<std::string> warnings_for(const core::Policy& policy, const core::Decision& decision, core::Action action,
                                      core::Instant at) {
  std::vector<std::string> warnings;
  const std::string action_text(core::action_name(action));
  for (std::size_t index : decision.bypassed) {
    warnings.push_back("windowguard: " + action_text + " allowed only because you are exempt from " +
                       window_label(policy.windows()[index]));
  }
  if (decision.upcoming) {
    const core::Window& window = policy.windows()[decision.upcoming->window];
    const auto minutes_left = std::chrono::duration_cast<core::minutes>(decision.upcoming->starts - at).count();
    warnings.push_back("windowguard: " + action_text + " will be blocked from " +
                       core::format_utc(decision.upcoming->starts) + " (in " + std::to_string(minutes_left) +
                       " min) by " + window_label(window));
  }
  return warnings;
}

std::vector<std::pair<std::string, std::string>> audit_annotations_for(const core::Policy& policy,
                                                                       const core::Decision& decision,
                                                                       core::Action action) {
  std::vector<std::pair<std::string, std::string>> annotations;
  annotations.emplace_back("action", std::string(core::action_name(action)));
  if (!decision.allowed) {
    annotations.emplace_back("decision", "denied");
    annotations.emplace_back("window", policy.windows()[*decision.deciding_window].name);
  } else if (!decision.bypassed.empty()) {
    std::vector<std::string> names;
    for (std::size_t index : decision.bypassed) {
      names.push_back(policy.windows()[index].name);
    }
    annotations.emplace_back("decision", "allowed-exempt");
    annotations.emplace_back("bypassed-windows", join(names));
  } else {
    annotations.emplace_back("decision", "allowed");
  }
  return annotations;
}

}  // namespace windowguard::admission

#include "admission/explanation.hpp"

#include <algorithm>
#include <variant>

#include "core/join.hpp"
#include "core/schedule/time_text.hpp"

namespace windowguard::admission {
namespace {

// The texts below are appended to one string, never concatenated from
// temporaries: a denial is written on every denied request.
// "first-second" as a name kubectl accepts: lower case, other characters
// as '-', at most 63 characters.
std::string object_name_of(std::string_view first, std::string_view second) {
  std::string name(first);
  name += '-';
  name += second;
  for (char& c : name) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      c = '-';
    }
  }
  name.resize(std::min<std::size_t>(name.size(), 63));
  while (!name.empty() && name.back() == '-') {
    name.pop_back();
  }
  return name;
}

void append_window_label(std::string& text, const core::Window& window) {
  text += core::window_type_name(window.type);
  text += " window \"";
  text += window.name;
  text += '"';
}

void append_exempt_parties(std::string& text, const core::Settings& settings, const core::Window& window) {
  const std::size_t start = text.size();
  const auto party = [&](std::string_view introduction, const std::vector<std::string>& names) {
    text += text.size() == start ? "Exempt: " : "; ";
    text += introduction;
    core::append_joined(text, names);
  };
  if (window.exempt.super_admins && !settings.super_admin_groups.empty()) {
    party("members of ", settings.super_admin_groups);
  }
  if (!window.exempt.users.empty()) {
    party(window.exempt.users.size() == 1 ? "user " : "users ", window.exempt.users);
  }
  if (!window.exempt.groups.empty()) {
    party(window.exempt.groups.size() == 1 ? "group " : "groups ", window.exempt.groups);
  }
  text += text.size() == start ? "Nobody is exempt." : ".";
}

void append_span(std::string& text, const core::Occurrence& occurrence, const core::TimeZone& zone) {
  core::append_readable(text, occurrence.from, zone);
  text += " until ";
  core::append_readable(text, occurrence.to, zone);
  text += " (";
  text += zone.name();
  text += ')';
}

// An instant in the window's zone and in UTC, as "Sat 2024-05-04 00:00 CEST
// (Fri 2024-05-03 22:00 UTC)"; once when the two read the same (a UTC window).
void append_local_and_utc(std::string& text, core::Instant instant, const core::TimeZone& zone) {
  const std::size_t local_start = text.size();
  core::append_readable(text, instant, zone);
  std::string utc;
  core::append_readable(utc, instant, core::TimeZone::utc());
  if (std::string_view(text).substr(local_start) != utc) {
    text += " (";
    text += utc;
    text += ')';
  }
}

// The ready command that asks for an exception to the window, for this
// request alone, for an hour (or the window's maxDuration when shorter).
void append_break_glass(std::string& text, const core::Window& window, const RequestSubject& subject) {
  const std::string_view application = subject.classification.application;
  const std::string_view environment = subject.classification.environment;
  const auto longest = std::chrono::duration_cast<core::minutes>(window.exceptions->max_duration);
  text += " To lift it for this change, ask for an exception: windowguard exception request ";
  text += object_name_of(application.empty() ? environment : application, window.name);
  text += " -n ";
  text += environment;
  text += " --windows ";
  text += window.name;
  if (!application.empty()) {
    text += " --applications ";
    text += application;
  }
  text += " --actions ";
  text += subject.what;
  text += longest >= core::hours{1} ? " --for 1h" : " --for " + std::to_string(longest.count()) + "m";
  text += " --reason \"...\"";
}

void append_denial(std::string& text, const core::Policy& policy, const core::Decision& decision,
                   const RequestSubject& subject) {
  const core::Window& window = policy.windows()[*decision.deciding_window];
  const core::TimeZone& zone = window.schedule.zone();
  text += " is blocked ";
  if (decision.verdict == core::Verdict::BlockedByBlackout) {
    text += "by ";
    append_window_label(text, window);
    if (decision.deciding_occurrence) {
      text += ", active ";
      append_span(text, *decision.deciding_occurrence, zone);
    }
  } else {
    text += "outside ";
    append_window_label(text, window);
    if (decision.deciding_occurrence) {
      text += ", next open ";
      append_span(text, *decision.deciding_occurrence, zone);
    }
  }
  text += ". ";
  if (decision.blocked_until) {
    text += "Allowed again at ";
    append_local_and_utc(text, *decision.blocked_until, zone);
    text += ". ";
  } else if (decision.block_end == core::BlockEnd::BeyondBudget) {
    text += "The block's end lies beyond what one decision searches: no end found within ";
    text += std::to_string(core::kMostWindowChanges);
    text += " window changes. ";
  } else {
    text += "The block has no end within the next ";
    text += std::to_string(core::Schedule::kSearchHorizon.count());
    text += " days. ";
  }
  if (!window.message.empty()) {
    text += window.message;
    text += window.message.back() == '.' ? " " : ". ";
  }
  append_exempt_parties(text, policy.settings(), window);
  if (window.exceptions) {
    append_break_glass(text, window, subject);
  }
}

// Room for a denial's paragraph (other messages are shorter), so that a
// message is written without reallocating.
constexpr std::size_t kTypicalMessageBytes = 512;

// "deploy of Deployment team-a/api", or "DELETE of Namespace team-a".
std::string message_about(const RequestSubject& subject) {
  std::string text;
  text.reserve(kTypicalMessageBytes);
  text += subject.what;
  text += " of ";
  text += subject.classification.kind;
  text += ' ';
  if (!subject.classification.environment.empty() && !subject.classification.object_is_the_environment) {
    text += subject.classification.environment;
    text += '/';
  }
  text += subject.name;
  return text;
}

const core::ExceptionGrant* exception_lifting(const core::Decision& decision, std::size_t window) {
  for (const core::ExceptionGrant& grant : decision.exceptions) {
    if (std::find(grant.windows.begin(), grant.windows.end(), window) != grant.windows.end()) {
      return &grant;
    }
  }
  return nullptr;
}

// "exception payments-prod/inc-4711 until Sat 2026-12-05 21:00 UTC (reason:
// ...; approved by bob)", the until in the zone of the first window it lifts.
void append_exception(std::string& text, const core::Policy& policy, const core::ExceptionGrant& grant) {
  text += grant.from_policy ? "the policy's exception \"" : "exception \"";
  text += grant.label;
  text += "\" until ";
  append_local_and_utc(text, grant.until, policy.windows()[grant.windows.front()].schedule.zone());
  text += " (reason: ";
  text += grant.reason;
  if (!grant.approvers.empty()) {
    text += "; approved by ";
    core::append_joined(text, grant.approvers);
  }
  text += ')';
}

}  // namespace

std::string explain_not_governed(const RequestSubject& subject) {
  std::string text = message_about(subject);
  text += " is not governed: ";
  text += subject.classification.reason;
  text += '.';
  return text;
}

std::string explain(const core::Policy& policy, const core::Decision& decision, const RequestSubject& subject) {
  std::string request = message_about(subject);
  if (!decision.allowed) {
    append_denial(request, policy, decision, subject);
    return request;
  }
  switch (decision.verdict) {
    case core::Verdict::Trusted:
      request += " is allowed: the requester is trusted and never governed.";
      break;
    case core::Verdict::InsideMaintenance:
      request += " is allowed: a maintenance window is open.";
      break;
    case core::Verdict::ExemptFromBlock: {
      const std::size_t start = request.size();
      for (std::size_t index : decision.bypassed) {
        if (exception_lifting(decision, index) == nullptr) {
          request += request.size() == start ? " is allowed: the requester is exempt from " : ", ";
          append_window_label(request, policy.windows()[index]);
        }
      }
      for (const core::ExceptionGrant& grant : decision.exceptions) {
        request += request.size() == start ? " is allowed under " : "; and under ";
        append_exception(request, policy, grant);
      }
      request += '.';
      break;
    }
    default:
      request += " is allowed: no window blocks it.";
  }
  return request;
}

std::vector<std::string> warnings_for(const core::Policy& policy, const core::Decision& decision, core::Action action,
                                      core::Instant at) {
  std::vector<std::string> warnings;
  const std::string action_text(core::action_name(action));
  for (std::size_t index : decision.bypassed) {
    std::string warning = "windowguard: " + action_text + " allowed only because ";
    if (const core::ExceptionGrant* grant = exception_lifting(decision, index)) {
      append_exception(warning, policy, *grant);
      warning += " lifts ";
    } else {
      warning += "you are exempt from ";
    }
    append_window_label(warning, policy.windows()[index]);
    warnings.push_back(std::move(warning));
  }
  if (decision.upcoming) {
    const core::Window& window = policy.windows()[decision.upcoming->window];
    const auto minutes_left = std::chrono::duration_cast<core::minutes>(decision.upcoming->starts - at).count();
    std::string warning = "windowguard: " + action_text + " will be blocked from ";
    append_local_and_utc(warning, decision.upcoming->starts, window.schedule.zone());
    // Whole minutes round down: under one reads "less than a minute", not "0 min".
    warning += minutes_left == 0 ? ", in less than a minute, " : ", in " + std::to_string(minutes_left) + " min, ";
    // A maintenance window does not block when it starts: its closing does.
    warning += window.type == core::WindowType::Blackout ? "by " : "when ";
    append_window_label(warning, window);
    if (window.type == core::WindowType::Maintenance) {
      warning += " closes";
    }
    warnings.push_back(std::move(warning));
  }
  return warnings;
}

AuditAnnotations audit_annotations_for(const core::Policy& policy, const core::Decision& decision,
                                       core::Action action) {
  AuditAnnotations annotations;
  annotations.set(AuditKey::Action, std::string(core::action_name(action)));
  if (!decision.allowed) {
    annotations.set(AuditKey::Decision, "denied");
    annotations.set(AuditKey::Window, policy.windows()[*decision.deciding_window].name);
  } else if (!decision.bypassed.empty()) {
    std::vector<std::string> names;
    for (std::size_t index : decision.bypassed) {
      names.push_back(policy.windows()[index].name);
    }
    annotations.set(AuditKey::Decision, decision.exceptions.empty() ? "allowed-exempt" : "allowed-exception");
    annotations.set(AuditKey::BypassedWindows, core::join(names));
    if (!decision.exceptions.empty()) {
      std::vector<std::string> labels;
      for (const core::ExceptionGrant& grant : decision.exceptions) {
        labels.push_back(grant.label);
      }
      annotations.set(AuditKey::Exceptions, core::join(labels));
    }
  } else {
    annotations.set(AuditKey::Decision, "allowed");
  }
  return annotations;
}

namespace {

// Ends the sentence written from `start` on with a full stop, unless it has one.
void end_sentence(std::string& text, std::size_t start) {
  if (text.size() > start && text.back() != '.') {
    text += '.';
  }
}

void append_sentence(std::string& text, std::string_view sentence) {
  const std::size_t start = text.size();
  text += sentence;
  end_sentence(text, start);
}

// The reasons of core/images/image_check.hpp, worded as one sentence each.
struct ImageReasonWords {
  std::string& text;
  const core::UnapprovedImage* unapproved = nullptr;  // for the reasons about its closest request
  const RequestSubject* subject = nullptr;

  void closest_request() const {
    text += "ImageApproval ";
    text += unapproved->request;
  }
  void operator()(const core::image_reasons::NoClusterAccess&) const {
    text += "windowguard cannot read ImageApprovals (no cluster access)";
  }
  void operator()(const core::image_reasons::UnreadableImage& reason) const { text += reason.error; }
  void operator()(const core::image_reasons::NoRequestNamesIt&) const {
    const Classification& classification = subject->classification;
    text += "no ImageApproval of ";
    text += classification.application.empty() ? std::string_view("this application") : classification.application;
    text += " in ";
    text += classification.environment;
    text += " names it";
  }
  void operator()(const core::image_reasons::NotAPromotion& reason) const {
    closest_request();
    text += " is not a promotion from an environment matching [";
    core::append_joined(text, reason.sources);
    text += ']';
  }
  void operator()(const core::image_reasons::TooFewApprovals&) const {
    closest_request();
    text += " has ";
    text += std::to_string(unapproved->approvals);
    text += " of ";
    text += std::to_string(unapproved->required);
    text += " approvals";
  }
  void operator()(const core::image_reasons::ApprovedByDeployer& reason) const {
    closest_request();
    text += " was approved by ";
    text += reason.deployer;
    text += ", and an approver may not deploy what they approved";
  }
  void operator()(const core::image_reasons::MatchesFailCondition& reason) const {
    text += "it matches the fail condition ";
    text += reason.condition.describe();
  }
  void operator()(const core::image_reasons::MatchesNoPassCondition&) const {
    text += "it matches none of the pass conditions";
  }
};

// `refused`: an image policy refuses the image too, so no approval would let
// it in, and none is suggested.
void append_unapproved(std::string& text, const core::UnapprovedImage& image, const RequestSubject& subject,
                       bool refused) {
  text += "Image ";
  text += image.image;
  text += " needs an approval under approvals rule \"";
  text += image.rule;
  text += "\": ";
  const std::size_t reason = text.size();
  std::visit(ImageReasonWords{text, &image, &subject}, image.reason);
  end_sentence(text, reason);
  const std::string_view environment = subject.classification.environment;
  if (refused) {
    return;
  }
  if (image.request.empty()) {
    text += " Request one with: windowguard image request ";
    text += suggested_request_name(subject.classification.application, image.image);
    text += " -n ";
    text += environment;
    if (!subject.classification.application.empty()) {
      text += " --application ";
      text += subject.classification.application;
    }
    text += " --image ";
    text += image.image;
    text += '.';
  } else if (image.approvals < image.required) {
    text += " An approver adds theirs with: windowguard approve image ";
    text += std::string_view(image.request).substr(image.request.find('/') + 1);
    text += " -n ";
    text += environment;
    text += '.';
  }
}

void append_refused(std::string& text, const core::RefusedImage& image) {
  text += "Image ";
  text += image.image;
  text += " is refused by image policy \"";
  text += image.policy;
  text += "\": ";
  const std::size_t reason = text.size();
  std::visit(ImageReasonWords{text}, image.reason);  // a refusal's reasons are about the image alone
  end_sentence(text, reason);
  if (!image.message.empty()) {
    text += ' ';
    append_sentence(text, image.message);
  }
}

}  // namespace

std::string suggested_request_name(std::string_view application, std::string_view image) {
  const std::size_t slash = image.rfind('/');
  std::string_view last = slash == std::string_view::npos ? image : image.substr(slash + 1);
  const std::size_t mark = last.find_first_of(":@");
  std::string_view version = mark == std::string_view::npos ? std::string_view("latest") : last.substr(mark + 1);
  if (version.starts_with("sha256:")) {
    version = version.substr(7, 12);
  } else {
    version = version.substr(0, version.find('@'));  // the tag, when a digest stands beside it
  }
  return object_name_of(application.empty() ? last.substr(0, mark) : application, version);
}

std::string explain_image_reasons(const core::ImageVerdict& verdict, const RequestSubject& subject) {
  std::string text;
  for (const core::UnapprovedImage& image : verdict.unapproved) {
    text += text.empty() ? "" : " ";
    const bool refused = std::any_of(verdict.refused.begin(), verdict.refused.end(),
                                     [&](const core::RefusedImage& other) { return other.image == image.image; });
    append_unapproved(text, image, subject, refused);
  }
  for (const core::RefusedImage& image : verdict.refused) {
    text += text.empty() ? "" : " ";
    append_refused(text, image);
  }
  return text;
}

std::string explain_image_denial(const core::ImageVerdict& verdict, const RequestSubject& subject) {
  std::string text = message_about(subject);
  text += " is denied by its images. ";
  text += explain_image_reasons(verdict, subject);
  return text;
}

void add_image_annotations(const core::ImageVerdict& verdict, AuditAnnotations& annotations) {
  const auto add = [&](AuditKey key, const auto& images, const auto& describe) {
    if (images.empty()) {
      return;
    }
    std::string value;
    for (const auto& image : images) {
      value += value.empty() ? "" : "; ";
      value += describe(image);
    }
    annotations.set(key, std::move(value));
  };
  add(AuditKey::UnapprovedImages, verdict.unapproved, [](const core::UnapprovedImage& image) { return image.image; });
  add(AuditKey::RefusedImages, verdict.refused,
      [](const core::RefusedImage& image) { return image.image + " (" + image.policy + ")"; });
  add(AuditKey::ImageApprovals, verdict.approved, [](const core::ApprovedImage& image) {
    std::string text;
    text.reserve(image.image.size() + image.request->namespace_name.size() + image.request->name.size() + 32 +
                 16 * image.approvers.size());
    text += image.image;
    text += " by ";
    text += image.request->namespace_name;
    text += '/';
    text += image.request->name;
    for (std::size_t i = 0; i < image.approvers.size(); ++i) {
      text += i == 0 ? " (approved by " : ", ";
      text += image.approvers[i];
    }
    text += image.approvers.empty() ? "" : ")";
    return text;
  });
}

}  // namespace windowguard::admission

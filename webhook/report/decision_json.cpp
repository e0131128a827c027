#include "report/decision_json.hpp"

#include "core/schedule/time_text.hpp"
#include "json/json_writing.hpp"

namespace windowguard::report {
namespace {

using json::write_string;
using json::write_text;
using json::Writer;

// The windows the decision weighed, each with its occurrence in its zone.
void write_windows(Writer& writer, const core::Policy& policy, const core::Decision* decision) {
  writer.Key("windows");
  writer.StartArray();
  if (decision != nullptr) {
    for (const core::WindowStatus& status : decision->windows) {
      const core::Window& window = policy.windows()[status.window];
      writer.StartObject();
      write_text(writer, "name", window.name);
      write_text(writer, "type", core::window_type_name(window.type));
      writer.Key("active");
      writer.Bool(status.active);
      writer.Key("exempt");
      writer.Bool(status.exempt);
      if (status.occurrence) {
        write_text(writer, "start", core::format_in_zone(status.occurrence->from, window.schedule.zone()));
        write_text(writer, "end", core::format_in_zone(status.occurrence->to, window.schedule.zone()));
      }
      writer.EndObject();
    }
  }
  writer.EndArray();
}

}  // namespace

std::string decision_json(const core::Policy& policy, const admission::AdmissionDecision& outcome,
                          const admission::AdmissionRequest& request) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  const admission::Classification& classification = outcome.classification;
  writer.StartObject();
  writer.Key("allowed");
  writer.Bool(outcome.allowed);
  writer.Key("action");
  if (outcome.action) {
    write_string(writer, core::action_name(*outcome.action));
  } else {
    writer.Null();
  }
  write_text(writer, "operation", admission::operation_name(request.operation));
  write_text(writer, "kind", classification.kind);
  write_text(writer, "name", request.name);
  write_text(writer, "environment", classification.environment);
  write_text(writer, "application", classification.application);
  writer.Key("dryRun");
  writer.Bool(request.dry_run);
  write_text(writer, "reason", classification.reason);
  write_text(writer, "message", outcome.message);
  write_windows(writer, policy, outcome.decision.get());
  writer.Key("blockedUntil");
  if (outcome.decision && outcome.decision->blocked_until) {
    write_string(writer, core::format_utc(*outcome.decision->blocked_until));
  } else {
    writer.Null();
  }
  writer.Key("warnings");
  writer.StartArray();
  for (const std::string& warning : outcome.warnings) {
    write_string(writer, warning);
  }
  writer.EndArray();
  writer.EndObject();
  return buffer.GetString();
}

}  // namespace windowguard::report

#include "report/occurrences_json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/schedule/time_text.hpp"

namespace windowguard::report {

std::string occurrences_json(const core::Policy& policy, const std::vector<core::ListedOccurrence>& listed) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  const auto field = [&](const char* name, const std::string& value) {
    writer.Key(name);
    writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  writer.StartArray();
  for (const core::ListedOccurrence& item : listed) {
    const core::Window& window = policy.windows()[item.window];
    const core::TimeZone& zone = window.schedule.zone();
    writer.StartObject();
    field("window", window.name);
    field("type", std::string(core::window_type_name(window.type)));
    field("timeZone", zone.name());
    field("start", core::format_in_zone(item.occurrence.from, zone));
    field("end", core::format_in_zone(item.occurrence.to, zone));
    field("startUtc", core::format_utc(item.occurrence.from));
    field("endUtc", core::format_utc(item.occurrence.to));
    writer.Key("active");
    writer.Bool(item.active);
    if (!item.event.empty()) {
      field("event", std::string(item.event));
    }
    writer.EndObject();
  }
  writer.EndArray();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace windowguard::report

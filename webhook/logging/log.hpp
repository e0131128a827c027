#pragma once
// Structured JSON logs, one object per line, through an asynchronous spdlog
// logger so that writing never blocks an I/O thread.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/common.h>

namespace windowguard::logging {

// Sets up the process-wide logger; `level` is trace, debug, info, warn or error.
// Returns false for an unknown level.
bool start_logging(std::string_view level);
void stop_logging();
bool log_enabled(spdlog::level::level_enum level);

// One log line: {"time":..., "level":..., "msg":..., fields...}.
class LogLine {
 public:
  LogLine(spdlog::level::level_enum level, std::string_view message);
  LogLine& field(std::string_view key, std::string_view value);
  LogLine& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }
  LogLine& field(std::string_view key, std::int64_t value);
  LogLine& field(std::string_view key, double value);
  LogLine& field(std::string_view key, bool value);
  LogLine& field(std::string_view key, const std::vector<std::string>& values);
  LogLine& field(std::string_view key, std::span<const std::string_view> values);
  void emit();

 private:
  spdlog::level::level_enum level_;
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace windowguard::logging

#include "logging/log.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace windowguard::logging {
namespace {
constexpr std::size_t kQueuedLines = 8192;
}

bool start_logging(std::string_view level) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    return false;
  }
  spdlog::init_thread_pool(kQueuedLines, 1);
  auto logger = spdlog::create_async<spdlog::sinks::stdout_sink_mt>("windowguard");
  // The message is the rest of a JSON object; the pattern opens it.
  logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  return true;
}

void stop_logging() { spdlog::shutdown(); }

bool log_enabled(spdlog::level::level_enum level) { return spdlog::default_logger_raw()->should_log(level); }

LogLine::LogLine(spdlog::level::level_enum level, std::string_view message) : level_(level), writer_(buffer_) {
  writer_.StartObject();
  field("msg", message);
}

LogLine& LogLine::field(std::string_view key, std::string_view value) {
  writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  return *this;
}

LogLine& LogLine::field(std::string_view key, std::int64_t value) {
  writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  writer_.Int64(value);
  return *this;
}

LogLine& LogLine::field(std::string_view key, double value) {
  writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  writer_.Double(value);
  return *this;
}

LogLine& LogLine::field(std::string_view key, bool value) {
  writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  writer_.Bool(value);
  return *this;
}

namespace {

template <typename Texts>
void write_array(rapidjson::Writer<rapidjson::StringBuffer>& writer, std::string_view key, const Texts& values) {
  writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  writer.StartArray();
  for (const auto& value : values) {
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  writer.EndArray();
}

}  // namespace

LogLine& LogLine::field(std::string_view key, const std::vector<std::string>& values) {
  write_array(writer_, key, values);
  return *this;
}

LogLine& LogLine::field(std::string_view key, std::span<const std::string_view> values) {
  write_array(writer_, key, values);
  return *this;
}

void LogLine::emit() {
  writer_.EndObject();
  // Drop the object's braces: the logger's pattern supplies them around time and level.
  const std::string_view text(buffer_.GetString() + 1, buffer_.GetSize() - 2);
  spdlog::default_logger_raw()->log(level_, "{}", text);
}

}  // namespace windowguard::logging

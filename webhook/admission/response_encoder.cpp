#include "admission/response_encoder.hpp"

#include <algorithm>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "admission/utf8.hpp"
#include "core/qualified_name.hpp"

namespace windowguard::admission {
namespace {

constexpr std::size_t kMostWarningsBytes = 4096;
constexpr std::size_t kMostWarningBytes = 256;
constexpr int kForbidden = 403;
// Room for a denial with its message and annotations, so that the buffer is
// allocated once.
constexpr std::size_t kResponseCapacity = 2048;

// Cuts at most `limit` bytes without splitting a UTF-8 sequence.
std::string_view cut(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) {
    return text;
  }
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

void write_string(rapidjson::Writer<rapidjson::StringBuffer>& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace

std::vector<std::string> within_warning_limits(const std::vector<std::string>& warnings) {
  std::vector<std::string> kept;
  std::vector<std::string_view> seen;
  std::size_t total = 0;
  for (const std::string& warning : warnings) {
    if (!is_printable_utf8(warning) || std::find(seen.begin(), seen.end(), warning) != seen.end()) {
      continue;
    }
    seen.emplace_back(warning);
    const std::string_view text = cut(warning, kMostWarningBytes);
    if (total + text.size() > kMostWarningsBytes) {
      break;
    }
    total += text.size();
    kept.emplace_back(text);
  }
  return kept;
}

bool is_valid_audit_key(std::string_view key) { return core::is_qualified_name(key); }

std::string encode_response(std::string_view uid, const AdmissionDecision& decision) {
  rapidjson::StringBuffer buffer(nullptr, kResponseCapacity);
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("apiVersion");
  writer.String("admission.k8s.io/v1");
  writer.Key("kind");
  writer.String("AdmissionReview");
  writer.Key("response");
  writer.StartObject();
  writer.Key("uid");
  write_string(writer, uid);
  writer.Key("allowed");
  writer.Bool(decision.allowed);
  if (!decision.allowed) {
    writer.Key("status");
    writer.StartObject();
    writer.Key("status");
    writer.String("Failure");
    writer.Key("code");
    writer.Int(kForbidden);
    writer.Key("reason");
    writer.String("Forbidden");
    writer.Key("message");
    write_string(writer, decision.message);
    writer.EndObject();
  }
  const std::vector<std::string> warnings = within_warning_limits(decision.warnings);
  if (!warnings.empty()) {
    writer.Key("warnings");
    writer.StartArray();
    for (const std::string& warning : warnings) {
      write_string(writer, warning);
    }
    writer.EndArray();
  }
  if (!decision.audit_annotations.empty()) {
    writer.Key("auditAnnotations");
    writer.StartObject();
    for (const auto& [key, value] : decision.audit_annotations) {
      if (is_valid_audit_key(key)) {
        write_string(writer, key);
        write_string(writer, value);
      }
    }
    writer.EndObject();
  }
  writer.EndObject();
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace windowguard::admission

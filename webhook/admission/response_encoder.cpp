#include "admission/response_encoder.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "json/utf8.hpp"

namespace windowguard::admission {
namespace {

constexpr std::size_t kMostWarningsBytes = 4096;
constexpr std::size_t kMostWarningBytes = 256;
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

// The response is written on every request, so it is appended by hand into
// one buffer rather than through rapidjson's Writer, whose level stack and
// buffer allocate (docs/performance.md).
// Whether any of the eight bytes of `word` is one JSON escapes: below 0x20,
// '"' or '\\' ("Bit Twiddling Hacks": hasless and haszero, exact as a yes or
// no; bytes of 0x80 and above, UTF-8's, never match).
bool any_to_escape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  const auto has_zero_byte = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHighBits) != 0; };
  return ((word - kOnes * 0x20) & ~word & kHighBits) != 0 || has_zero_byte(word ^ (kOnes * '"')) ||
         has_zero_byte(word ^ (kOnes * '\\'));
}

// Escapes what JSON requires, as rapidjson's Writer does.  Plain text, all
// of an annotation or a message but the odd quote, is skipped eight bytes at
// a time.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHexDigits[] = "0123456789ABCDEF";
  out += '"';
  std::size_t plain_from = 0;
  std::size_t i = 0;
  for (std::uint64_t word = 0; i + sizeof word <= text.size(); i += sizeof word) {
    std::memcpy(&word, text.data() + i, sizeof word);
    if (any_to_escape(word)) {
      break;
    }
  }
  for (; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') {
      continue;
    }
    out.append(text, plain_from, i - plain_from);
    plain_from = i + 1;
    switch (byte) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHexDigits[byte >> 4];
        out += kHexDigits[byte & 0xf];
    }
  }
  out.append(text, plain_from);
  out += '"';
}

}  // namespace

std::vector<std::string> within_warning_limits(const std::vector<std::string>& warnings) {
  std::vector<std::string> kept;
  std::vector<std::string_view> seen;
  std::size_t total = 0;
  for (const std::string& warning : warnings) {
    if (!json::is_printable_utf8(warning) || std::find(seen.begin(), seen.end(), warning) != seen.end()) {
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

std::string encode_response(std::string_view uid, const AdmissionDecision& decision) {
  std::string out;
  out.reserve(kResponseCapacity);
  out += R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":)";
  append_json_string(out, uid);
  out += decision.allowed ? R"(,"allowed":true)" : R"(,"allowed":false)";
  if (!decision.allowed) {
    out += R"(,"status":{"status":"Failure","code":403,"reason":"Forbidden","message":)";
    append_json_string(out, decision.message);
    out += '}';
  }
  const std::vector<std::string> warnings = within_warning_limits(decision.warnings);
  if (!warnings.empty()) {
    out += R"(,"warnings":[)";
    for (std::size_t i = 0; i < warnings.size(); ++i) {
      out += i == 0 ? "" : ",";
      append_json_string(out, warnings[i]);
    }
    out += ']';
  }
  if (!decision.audit_annotations.empty()) {
    out += R"(,"auditAnnotations":{)";
    bool first = true;
    decision.audit_annotations.for_each([&](std::string_view key, const std::string& value) {
      out += first ? "" : ",";
      first = false;
      append_json_string(out, key);
      out += ':';
      append_json_string(out, value);
    });
    out += '}';
  }
  out += "}}";
  return out;
}

}  // namespace windowguard::admission

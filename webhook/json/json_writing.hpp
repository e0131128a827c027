#pragma once
// Writing the JSON windowguard sends or prints (new requests, status
// patches, the CLI's and check's JSON): a key and its text or list of texts,
// each string written with its length.
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace windowguard::json {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

inline void write_string(Writer& json, std::string_view value) {
  json.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

inline void write_text(Writer& json, const char* key, std::string_view value) {
  json.Key(key);
  write_string(json, value);
}

inline void write_list(Writer& json, const char* key, const std::vector<std::string>& items) {
  json.Key(key);
  json.StartArray();
  for (const std::string& item : items) {
    write_string(json, item);
  }
  json.EndArray();
}

}  // namespace windowguard::json

#pragma once
// Looking up and comparing the members of the review's JSON objects, on every
// request: by name and length first, without rapidjson's strlen and generic
// string comparison, and in the order the API server writes them.
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace windowguard::admission {

inline std::string_view json_text(const rapidjson::Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

// The first member of `object` called `name`, or null (also when `object` is
// null or not an object).
inline const rapidjson::Value* json_member(const rapidjson::Value* object, std::string_view name) {
  if (object == nullptr || !object->IsObject()) {
    return nullptr;
  }
  for (const auto& member : object->GetObject()) {
    if (member.name.GetStringLength() == name.size() &&
        std::memcmp(member.name.GetString(), name.data(), name.size()) == 0) {
      return &member.value;
    }
  }
  return nullptr;
}

// A copy of the string at `path` below `object` ("metadata", "name"); empty
// when a step is missing or the value is not a string.
std::string json_string_at(const rapidjson::Value* object, std::initializer_list<std::string_view> path);

// JSON equality: objects are equal whatever the order of their members, as
// with rapidjson's operator==, but each member is first looked for at the
// same position in the other object (where two objects written by the API
// server have it), so that equal objects compare in one pass.
bool same_json(const rapidjson::Value& a, const rapidjson::Value& b);

}  // namespace windowguard::admission

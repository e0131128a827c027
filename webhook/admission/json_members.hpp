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

// Members that may be absent: equal when both are absent, or both present and
// equal as same_json has it.
inline bool same_json_or_absent(const rapidjson::Value* a, const rapidjson::Value* b) {
  return a == nullptr || b == nullptr ? a == b : same_json(*a, *b);
}

// Whether `a` and `b` are equal as JSON objects once the members that `skip`
// accepts are left out of both.
template <typename Skip>
bool equal_objects_except(const rapidjson::Value* a, const rapidjson::Value* b, Skip skip) {
  const auto kept_members = [&](const rapidjson::Value* object) {
    std::size_t count = 0;
    if (object != nullptr && object->IsObject()) {
      for (const auto& member : object->GetObject()) {
        count += skip(json_text(member.name)) ? 0 : 1;
      }
    }
    return count;
  };
  if (kept_members(a) != kept_members(b)) {
    return false;
  }
  if (a == nullptr || !a->IsObject()) {
    return true;  // both empty
  }
  for (const auto& member : a->GetObject()) {
    if (skip(json_text(member.name))) {
      continue;
    }
    const rapidjson::Value* other = json_member(b, json_text(member.name));
    if (other == nullptr || !same_json(member.value, *other)) {
      return false;
    }
  }
  return true;
}

}  // namespace windowguard::admission

#pragma once
// Looking up and comparing the members of the review's JSON objects, on every
// request: by name and length first, without rapidjson's strlen and generic
// string comparison, and in the order the API server writes them.
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace windowguard::json {

inline std::string_view text(const rapidjson::Value& value) { return {value.GetString(), value.GetStringLength()}; }

// The first member of `object` called `name`, or null (also when `object` is
// null or not an object).
inline const rapidjson::Value* member(const rapidjson::Value* object, std::string_view name) {
  if (object == nullptr || !object->IsObject()) {
    return nullptr;
  }
  for (const auto& entry : object->GetObject()) {
    if (entry.name.GetStringLength() == name.size() &&
        std::memcmp(entry.name.GetString(), name.data(), name.size()) == 0) {
      return &entry.value;
    }
  }
  return nullptr;
}

// A copy of the string at `path` below `object` ("metadata", "name"); empty
// when a step is missing or the value is not a string.
std::string string_at(const rapidjson::Value* object, std::initializer_list<std::string_view> path);

// JSON equality: objects are equal whatever the order of their members, as
// with rapidjson's operator==, but each member is first looked for at the
// same position in the other object (where two objects written by the API
// server have it), so that equal objects compare in one pass.
bool same(const rapidjson::Value& a, const rapidjson::Value& b);

// Members that may be absent: equal when both are absent, or both present and
// equal as same has it.
inline bool same_or_absent(const rapidjson::Value* a, const rapidjson::Value* b) {
  return a == nullptr || b == nullptr ? a == b : same(*a, *b);
}

// Whether `a` and `b` are equal as JSON objects once the members that `skip`
// accepts are left out of both.
template <typename Skip>
bool equal_objects_except(const rapidjson::Value* a, const rapidjson::Value* b, Skip skip) {
  const auto kept_members = [&](const rapidjson::Value* object) {
    std::size_t count = 0;
    if (object != nullptr && object->IsObject()) {
      for (const auto& entry : object->GetObject()) {
        count += skip(text(entry.name)) ? 0 : 1;
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
  for (const auto& entry : a->GetObject()) {
    if (skip(text(entry.name))) {
      continue;
    }
    const rapidjson::Value* other = member(b, text(entry.name));
    if (other == nullptr || !same(entry.value, *other)) {
      return false;
    }
  }
  return true;
}

}  // namespace windowguard::json

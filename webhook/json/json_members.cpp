#include "json/json_members.hpp"

namespace windowguard::json {

std::string string_at(const rapidjson::Value* object, std::initializer_list<std::string_view> path) {
  const rapidjson::Value* value = object;
  for (std::string_view name : path) {
    value = member(value, name);
  }
  return value != nullptr && value->IsString() ? std::string(text(*value)) : std::string();
}

bool same(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.IsObject() && b.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) {
      return false;
    }
    auto same_position = b.MemberBegin();
    for (const auto& entry : a.GetObject()) {
      const rapidjson::Value* counterpart =
          same_position->name == entry.name ? &same_position->value : member(&b, text(entry.name));
      if (counterpart == nullptr || !same(entry.value, *counterpart)) {
        return false;
      }
      ++same_position;
    }
    return true;
  }
  if (a.IsArray() && b.IsArray()) {
    if (a.Size() != b.Size()) {
      return false;
    }
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!same(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
  return a == b;
}

}  // namespace windowguard::json

#include "admission/json_members.hpp"

namespace windowguard::admission {

std::string json_string_at(const rapidjson::Value* object, std::initializer_list<std::string_view> path) {
  const rapidjson::Value* value = object;
  for (std::string_view name : path) {
    value = json_member(value, name);
  }
  return value != nullptr && value->IsString() ? std::string(json_text(*value)) : std::string();
}

bool same_json(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.IsObject() && b.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) {
      return false;
    }
    auto same_position = b.MemberBegin();
    for (const auto& member : a.GetObject()) {
      const rapidjson::Value* counterpart =
          same_position->name == member.name ? &same_position->value : json_member(&b, json_text(member.name));
      if (counterpart == nullptr || !same_json(member.value, *counterpart)) {
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
      if (!same_json(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
  return a == b;
}

}  // namespace windowguard::admission

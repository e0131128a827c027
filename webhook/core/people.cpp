#include "core/people.hpp"

#include <algorithm>

#include "core/policy.hpp"

namespace windowguard::core {
namespace {

bool named(std::span<const std::string> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool shares_a_name(std::span<const std::string> names, std::span<const std::string> others) {
  return std::any_of(others.begin(), others.end(), [&](const std::string& other) { return named(names, other); });
}

}  // namespace

bool is_among(const Policy& policy, const People& people, std::string_view user, std::span<const std::string> groups) {
  return named(people.users, user) || shares_a_name(people.groups, groups) ||
         (people.super_admins && shares_a_name(policy.settings().super_admin_groups, groups));
}

std::string describe_people(const Policy& policy, const People& people) {
  std::string text;
  const auto add = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
  if (people.super_admins) {
    for (const std::string& group : policy.settings().super_admin_groups) {
      add("members of " + group);
    }
  }
  for (const std::string& user : people.users) {
    add(user);
  }
  for (const std::string& group : people.groups) {
    add("members of " + group);
  }
  return text.empty() ? "nobody" : text;
}

}  // namespace windowguard::core

#include "core/exemption_index.hpp"

#include <algorithm>

#include "core/glob.hpp"

namespace windowguard::core {
namespace {

template <typename Index>
std::span<const std::size_t> windows_named(const Index& index, std::string_view name) {
  const auto found = index.find(name);
  return found == index.end() ? std::span<const std::size_t>{} : std::span<const std::size_t>{found->second};
}

}  // namespace

ExemptionIndex::ExemptionIndex(const std::vector<Window>& windows, const Settings& settings)
    : super_admin_groups_(settings.super_admin_groups.begin(), settings.super_admin_groups.end()) {
  for (const std::string& requester : settings.all_trusted_requesters()) {
    if (literal_prefix_length(requester) == std::string::npos) {
      trusted_names_.insert(requester);
    } else {
      trusted_patterns_.push_back(requester);
    }
  }
  exempts_super_admins_.reserve(windows.size());
  for (std::size_t index = 0; index < windows.size(); ++index) {
    const Exemptions& exempt = windows[index].exempt;
    exempts_super_admins_.push_back(exempt.super_admins);
    for (const std::string& group : exempt.groups) {
      windows_exempting_group_[group].push_back(index);
    }
    for (const std::string& user : exempt.users) {
      windows_exempting_user_[user].push_back(index);
    }
  }
  for (WindowsByName* by_name : {&windows_exempting_group_, &windows_exempting_user_}) {
    for (auto& [name, listed] : *by_name) {
      listed.erase(std::unique(listed.begin(), listed.end()), listed.end());  // built ascending
    }
  }
}

bool ExemptionIndex::is_trusted(std::string_view username) const {
  return trusted_names_.contains(username) ||
         std::any_of(trusted_patterns_.begin(), trusted_patterns_.end(),
                     [&](const std::string& pattern) { return glob_matches(pattern, username); });
}

ExemptionIndex::Standing ExemptionIndex::standing_of(std::string_view username,
                                                     std::span<const std::string_view> groups) const {
  Standing standing;
  const auto add = [&](std::span<const std::size_t> windows) {
    standing.named_in.insert(standing.named_in.end(), windows.begin(), windows.end());
  };
  add(windows_named(windows_exempting_user_, username));
  for (std::string_view group : groups) {
    standing.super_admin = standing.super_admin || std::find(super_admin_groups_.begin(), super_admin_groups_.end(),
                                                             group) != super_admin_groups_.end();
    add(windows_named(windows_exempting_group_, group));
  }
  std::sort(standing.named_in.begin(), standing.named_in.end());
  return standing;
}

}  // namespace windowguard::core

#pragma once
// Who a policy lets through, all in one room: trusted requesters (never
// reviewed at all), super admins, and the users and groups each window
// exempts.  Built once with the policy, which holds it; the decision asks it.
#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/policy.hpp"

namespace windowguard::core {

class ExemptionIndex {
 public:
  ExemptionIndex(const std::vector<Window>& windows, const Settings& settings);

  // Whether a trusted requester (the built-in base or
  // settings.trusted_requesters) matches the user: the literal names
  // (all but one of the defaults) are looked up, only the patterns matched.
  bool is_trusted(std::string_view username) const;

  // A requester as the windows' exemptions see it, worked out once per
  // decision: whether a super admin, and the windows (ascending) whose
  // exemptions name the user or one of its groups.  A requester's few names
  // are looked up, instead of every window's exemptions being compared.
  struct Standing {
    bool super_admin = false;
    std::vector<std::size_t> named_in;
  };
  Standing standing_of(std::string_view username, std::span<const std::string_view> groups) const;

  // Whether the window exempts a requester of this standing.  Asked for
  // every applicable window of a decision, so defined here, inline.
  bool exempts(std::size_t window, const Standing& standing) const {
    return (exempts_super_admins_[window] && standing.super_admin) ||
           std::binary_search(standing.named_in.begin(), standing.named_in.end(), window);
  }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  using WindowsByName = std::unordered_map<std::string, std::vector<std::size_t>, StringHash, std::equal_to<>>;
  using Names = std::unordered_set<std::string, StringHash, std::equal_to<>>;

  Names trusted_names_;
  std::vector<std::string> trusted_patterns_;
  std::vector<std::string> super_admin_groups_;  // few: compared, not hashed
  std::vector<bool> exempts_super_admins_;       // by window
  WindowsByName windows_exempting_group_;
  WindowsByName windows_exempting_user_;
};

}  // namespace windowguard::core

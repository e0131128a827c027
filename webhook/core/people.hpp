#pragma once
// Users and groups a policy names (who may approve, who may request), and
// whether a person is among them.  Serves WindowExceptions and
// ImageApprovals alike.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace windowguard::core {

class Policy;

// Users and groups named by a policy, and whether super admins are among them.
struct People {
  bool super_admins = false;
  std::vector<std::string> users;
  std::vector<std::string> groups;
};

// Whether the person is among them: named, or a member of a named group or
// (with superAdmins) of a super-admin group.
bool is_among(const Policy& policy, const People& people, std::string_view user, std::span<const std::string> groups);

// "members of system:masters, bob, members of sre-leads", or "nobody".
std::string describe_people(const Policy& policy, const People& people);

}  // namespace windowguard::core

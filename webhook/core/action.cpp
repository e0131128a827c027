#include "core/action.hpp"

namespace windowguard::core {
namespace {
constexpr std::array<std::string_view, 5> kActionNames{"deploy", "restart", "delete", "hibernate", "unhibernate"};
}

std::string_view action_name(Action action) { return kActionNames[static_cast<std::size_t>(action)]; }

std::optional<Action> parse_action(std::string_view name) {
  for (Action action : kAllActions) {
    if (action_name(action) == name) {
      return action;
    }
  }
  return std::nullopt;
}

}  // namespace windowguard::core

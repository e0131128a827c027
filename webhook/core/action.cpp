#include "core/action.hpp"

namespace windowguard::core {
namespace {
constexpr std::array<std::string_view, 5> kActionNames{"deploy", "restart", "delete", "hibernate", "unhibernate"};
}

std::string_view action_name(Action action) { return kActionNames[static_cast<std::size_t>(action)]; }

}  // namespace windowguard::core

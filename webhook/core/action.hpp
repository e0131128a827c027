#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace windowguard::core {

// The governed actions (docs/admission.md, "Request -> action").
enum class Action : std::uint8_t { Deploy, Restart, Delete, Hibernate, Unhibernate };

inline constexpr std::array<Action, 5> kAllActions{Action::Deploy, Action::Restart, Action::Delete, Action::Hibernate,
                                                   Action::Unhibernate};

std::string_view action_name(Action action);

class ActionSet {
 public:
  static constexpr ActionSet all() { return ActionSet(0x1f); }
  constexpr ActionSet() = default;
  void add(Action action) { bits_ |= bit(action); }
  bool contains(Action action) const { return (bits_ & bit(action)) != 0; }
  bool empty() const { return bits_ == 0; }

 private:
  constexpr explicit ActionSet(std::uint8_t bits) : bits_(bits) {}
  static constexpr std::uint8_t bit(Action action) {
    return static_cast<std::uint8_t>(1U << static_cast<unsigned>(action));
  }
  std::uint8_t bits_ = 0;
};

}  // namespace windowguard::core

#include "core/identity.hpp"

#include <atomic>

namespace windowguard::core {

std::uint64_t next_identity() {
  static std::atomic<std::uint64_t> last_identity{0};
  return last_identity.fetch_add(1, std::memory_order_relaxed) + 1;
}

}  // namespace windowguard::core

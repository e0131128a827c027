#include <atomic>

#include "core/namespaced_book.hpp"

namespace windowguard::core {

std::uint64_t next_book_identity() {
  static std::atomic<std::uint64_t> last_identity{0};
  return last_identity.fetch_add(1, std::memory_order_relaxed) + 1;
}

}  // namespace windowguard::core

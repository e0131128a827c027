#include "core/window_exception.hpp"

#include <algorithm>
#include <atomic>
#include <tuple>

namespace windowguard::core {

namespace {
std::atomic<std::uint64_t> last_identity{0};
}  // namespace

ExceptionBook::ExceptionBook(std::vector<WindowException> exceptions)
    : identity_(last_identity.fetch_add(1, std::memory_order_relaxed) + 1), exceptions_(std::move(exceptions)) {
  std::sort(exceptions_.begin(), exceptions_.end(), [](const WindowException& a, const WindowException& b) {
    return std::tie(a.namespace_name, a.name) < std::tie(b.namespace_name, b.name);
  });
  for (std::size_t begin = 0; begin < exceptions_.size();) {
    std::size_t end = begin + 1;
    while (end < exceptions_.size() && exceptions_[end].namespace_name == exceptions_[begin].namespace_name) {
      ++end;
    }
    by_namespace_.emplace(exceptions_[begin].namespace_name, Range{begin, end});
    begin = end;
  }
}

std::span<const WindowException> ExceptionBook::in_namespace(std::string_view namespace_name) const {
  const auto found = by_namespace_.find(namespace_name);
  if (found == by_namespace_.end()) {
    return {};
  }
  return std::span<const WindowException>(exceptions_)
      .subspan(found->second.begin, found->second.end - found->second.begin);
}

}  // namespace windowguard::core

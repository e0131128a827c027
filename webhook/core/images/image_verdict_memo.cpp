#include "core/images/image_verdict_memo.hpp"

#include <functional>
#include <string_view>

namespace windowguard::core {
namespace {

template <typename Visit>
void for_each_text(const ImageCheckInput& input, Visit&& visit) {
  visit(input.environment);
  visit(input.application);
  visit(input.requester.username);
  for (std::span<const std::string_view> texts : {input.images, input.added}) {
    for (std::string_view text : texts) {
      visit(text);
    }
  }
}

std::size_t text_count(const ImageCheckInput& input) { return 3 + input.images.size() + input.added.size(); }

std::size_t hash_of(const ImageCheckInput& input) {
  std::size_t hash = input.images.size();
  for_each_text(input, [&hash](std::string_view text) { hash = hash * 31 + std::hash<std::string_view>{}(text); });
  return hash;
}

}  // namespace

bool ImageVerdictMemo::Key::operator==(const ImageCheckInput& input) const {
  if (images != input.images.size() || texts.size() != text_count(input)) {
    return false;
  }
  std::size_t next = 0;
  bool same = true;
  for_each_text(input, [&](std::string_view text) { same = same && texts[next++] == text; });
  return same;
}

void ImageVerdictMemo::Key::assign(const ImageCheckInput& input) {
  images = input.images.size();
  texts.resize(text_count(input));
  std::size_t next = 0;
  for_each_text(input, [&](std::string_view text) { texts[next++].assign(text); });
}

std::shared_ptr<const ImageVerdict> ImageVerdictMemo::check(const Policy& policy, const ImageCheckInput& input) {
  const std::uint64_t book = input.approvals != nullptr ? input.approvals->identity() : 0;
  return verdicts_.find_or_make(policy.identity(), book, input, hash_of(input), input.at,
                                [&] { return check_images(policy, input); });
}

}  // namespace windowguard::core

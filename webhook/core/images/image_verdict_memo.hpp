#pragma once
// Remembers image verdicts for as long as they hold, so that the deploys of
// an application that run the same images share one verdict until an
// ImageApproval arrives, changes or is withdrawn (a new book), the policy is
// reloaded, or an approval the verdict weighed expires (its holds_until).
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/images/image_check.hpp"
#include "core/memo_table.hpp"

namespace windowguard::core {

class ImageVerdictMemo {
 public:
  // Room for `entries` verdicts (an input whose entry another input took is
  // checked again when it comes back).
  explicit ImageVerdictMemo(std::size_t entries = 64) : verdicts_(entries) {}

  // check_images(policy, input), remembered.  check_images is a pure function
  // of the policy, the book and the input, and the memo keys on every field
  // of the input it reads but the instant; the instant must fall between the
  // instant checked at and the verdict's holds_until, so its answers are
  // check_images'.  A different policy or book (by identity) resets the
  // memo.  The verdict views the book: the caller keeps the book alive while
  // it uses the verdict.  Not thread-safe: one memo per thread.
  std::shared_ptr<const ImageVerdict> check(const Policy& policy, const ImageCheckInput& input);

 private:
  // An owned copy of what check_images reads of an input but its instant and
  // book: the environment, the application and the username, then the
  // images, then the added images.
  struct Key {
    std::size_t images = 0;  // how many texts are the template's images
    std::vector<std::string> texts;

    void assign(const ImageCheckInput& input);  // reuses the texts' storage
    bool operator==(const ImageCheckInput& input) const;
  };
  // By policy and ImageApprovalBook identity, and the input's hash.
  MemoTable<Key, ImageVerdict> verdicts_;
};

}  // namespace windowguard::core

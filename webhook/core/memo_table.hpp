#pragma once
// The table behind the per-thread memos (core/decision_memo.hpp,
// core/images/image_verdict_memo.hpp): what a pure function made of an input, kept
// from the instant it was made until the value's holds_until, for one policy
// and one book of cluster objects (by identity: another resets the table).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/schedule/time.hpp"

namespace windowguard::core {

// `Key` is an owned copy of an input: assign(input) copies one in, and
// key == input compares.  `Value` has a holds_until.
template <typename Key, typename Value>
class MemoTable {
 public:
  // Direct-mapped: an input whose entry another input took is made again
  // when it comes back, and a lookup is one comparison.
  explicit MemoTable(std::size_t entries) : entries_(std::max<std::size_t>(entries, 1)) {}

  // The value remembered for the input at `at`, or make(), remembered.  The
  // value is shared, not copied: it stays valid after the table moves on.
  template <typename Input, typename Make>
  std::shared_ptr<const Value> find_or_make(std::uint64_t policy, std::uint64_t book, const Input& input,
                                            std::size_t hash, Instant at, Make&& make) {
    if (policy != policy_ || book != book_) {
      policy_ = policy;
      book_ = book;
      for (Entry& entry : entries_) {
        entry.value.reset();
      }
    }
    Entry& entry = entries_[hash % entries_.size()];
    if (!entry.value || at < entry.made_at || at >= entry.value->holds_until || !(entry.key == input)) {
      entry.value.reset();  // stays so if making the value or copying the key throws
      auto value = std::make_shared<const Value>(make());
      entry.key.assign(input);
      entry.made_at = at;
      entry.value = std::move(value);
    }
    return entry.value;
  }

 private:
  struct Entry {
    Key key;
    Instant made_at;
    std::shared_ptr<const Value> value;  // null until filled
  };
  std::uint64_t policy_ = 0;
  std::uint64_t book_ = 0;  // 0 for none
  std::vector<Entry> entries_;
};

}  // namespace windowguard::core

#pragma once
// A value replaced now and then (the policy, the TLS context) and read on
// every request; T may be const.  Readers keep a per-thread cache and only compare a version
// number on the request path; the mutex is taken only when the value changed.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

namespace windowguard::server {

template <typename T>
class Published {
 public:
  void publish(std::shared_ptr<T> value) {
    {
      const std::lock_guard lock(mutex_);
      value_ = std::move(value);
    }
    version_.fetch_add(1, std::memory_order_release);
  }

  std::shared_ptr<T> current() const {
    const std::lock_guard lock(mutex_);
    return value_;
  }

  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

  // One per thread: cheap reads of the latest value.
  class Reader {
   public:
    explicit Reader(const Published& source) : source_(source) {}
    const std::shared_ptr<T>& get() {
      const std::uint64_t version = source_.version();
      if (version != seen_) {
        value_ = source_.current();
        seen_ = version;
      }
      return value_;
    }

   private:
    const Published& source_;
    std::uint64_t seen_ = 0;
    std::shared_ptr<T> value_;
  };

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<T> value_;
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace windowguard::server

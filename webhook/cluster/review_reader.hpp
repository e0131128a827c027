#pragma once
// Reads from the API server what a review needs beyond itself: the Pod an
// eviction names (an Eviction carries none of its labels, which name the
// Pod's application), and the workloads of the namespace a promotion request
// comes from (whose images it must run).  The reads block on worker threads
// of their own, never on an I/O thread; the I/O thread is handed the outcome
// and decides.
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cluster/api_client.hpp"
#include "cluster/credentials.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"

namespace windowguard::cluster {

class ReviewReader {
 public:
  // Each target's JSON, in order, or why one could not be had.
  using Done = std::function<void(Result<std::vector<std::string>>)>;

  // The API paths of a Pod; and what a promotion reads of its source
  // namespace: the workload kinds that settings govern (built-in and
  // configured), and the Pods.  Nullopt for a name that is no object's.
  static std::optional<std::vector<std::string>> pod_targets(const std::string& namespace_name,
                                                             const std::string& name);
  static std::optional<std::vector<std::string>> promotion_targets(const std::string& namespace_name,
                                                                   const core::Settings& settings);

  // At most `queue_limit` reads wait at once; a read beyond them fails at once.
  ReviewReader(Credentials credentials, std::size_t workers, std::size_t queue_limit);
  ~ReviewReader();  // stops and joins
  ReviewReader(const ReviewReader&) = delete;
  ReviewReader& operator=(const ReviewReader&) = delete;

  void start();
  // Interrupts the reads in progress; each read not yet done fails.
  void stop();

  // Reads the targets one after another; `done` is called exactly once, on
  // a worker thread, or at once on the caller's when the read cannot even be
  // queued (a full queue, a stopped reader).
  void read(std::vector<std::string> targets, Done done);

 private:
  struct Read {
    std::vector<std::string> targets;
    Done done;
  };

  void work(Interrupter& interrupter);
  Result<std::vector<std::string>> read_all(const std::vector<std::string>& targets, Interrupter& interrupter);

  ApiClient client_;
  std::size_t queue_limit_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Read> queue_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Interrupter>> interrupters_;
  std::vector<std::thread> workers_;
};

}  // namespace windowguard::cluster

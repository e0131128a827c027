#pragma once
// Reads from the API server what a review needs beyond itself: the Pod an
// eviction names (an Eviction carries none of its labels, which name the
// Pod's application), and the workloads of the namespace a promotion request
// comes from (whose images it must run).  The reads block on worker threads
// of their own, never on an I/O thread, which are also where the answers'
// JSON is read: the I/O thread is handed the labels or the images, and
// decides.
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "cluster/api_client.hpp"
#include "cluster/credentials.hpp"
#include "core/images/image_approval_writes.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"

namespace windowguard::cluster {

// An eviction's Pod.
struct PodToRead {
  std::string namespace_name;
  std::string name;
};

// What a promotion request's application runs in the namespace it comes
// from: its governed workloads (the kinds `settings` governs) and its Pods.
struct SourceToRead {
  std::string namespace_name;
  std::string application;
  core::Settings settings;
};

using ReviewRead = std::variant<PodToRead, SourceToRead>;

// What was read: an evicted Pod's labels (key, value), or a source's images.
using PodLabels = std::vector<std::pair<std::string, std::string>>;
using ReviewFacts = std::variant<PodLabels, core::RunningImages>;

class ReviewReader {
 public:
  using Done = std::function<void(Result<ReviewFacts>)>;

  // Whether its names are names of objects (a DNS label or subdomain), so
  // that no read can reach another path of the API.
  static bool names_objects(const ReviewRead& what);

  // At most `queue_limit` reads wait at once; a read beyond them fails at once.
  ReviewReader(Credentials credentials, std::size_t workers, std::size_t queue_limit);
  ~ReviewReader();  // stops and joins
  ReviewReader(const ReviewReader&) = delete;
  ReviewReader& operator=(const ReviewReader&) = delete;

  void start();
  // Interrupts the reads in progress; each read not yet done fails.
  void stop();

  // Reads what a review waits for (names_objects must hold), and makes of
  // it what the review needs; `done` is called exactly once, on a worker
  // thread, or at once on the caller's when the read cannot even be queued
  // (a full queue, a stopped reader).
  void read(ReviewRead what, Done done);

 private:
  struct Read {
    ReviewRead what;
    Done done;
  };

  void work(Interrupter& interrupter);
  Result<std::string> get(const std::string& target, Interrupter& interrupter);
  Result<ReviewFacts> read_pod(const PodToRead& pod, Interrupter& interrupter);
  Result<ReviewFacts> read_source(const SourceToRead& source, Interrupter& interrupter);

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

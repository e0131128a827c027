#pragma once
// Reads single Pods from the API server for eviction reviews: an Eviction
// names its Pod but carries none of its labels, and the labels name the
// Pod's application.  The reads block on worker threads of their own, never
// on an I/O thread; the I/O thread is handed the outcome and decides.
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/api_client.hpp"
#include "cluster/credentials.hpp"
#include "core/result.hpp"

namespace windowguard::cluster {

class PodReader {
 public:
  // The Pod's JSON, or why it could not be had.
  using Done = std::function<void(Result<std::string>)>;

  // At most `queue_limit` reads wait at once; a read beyond them fails at once.
  PodReader(Credentials credentials, std::size_t workers, std::size_t queue_limit);
  ~PodReader();  // stops and joins
  PodReader(const PodReader&) = delete;
  PodReader& operator=(const PodReader&) = delete;

  void start();
  // Interrupts the reads in progress; each read not yet done fails.
  void stop();

  // Reads namespace/name; `done` is called exactly once, on a worker thread,
  // or at once on the caller's when the read cannot even be queued (a name
  // that is no Pod's, a full queue, a stopped reader).
  void read(const std::string& namespace_name, const std::string& name, Done done);

 private:
  struct Read {
    std::string target;
    Done done;
  };

  void work(Interrupter& interrupter);

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

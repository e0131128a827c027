#include "cluster/pod_reader.hpp"

#include <algorithm>

namespace windowguard::cluster {
namespace {

// Each step of a read (connect, handshake, request, answer) may take this
// long: longer than the review waits for the read (2 s, server_config.hpp),
// so that a read too slow for its review always ends by the review's
// deadline, and the reader is free again soon after.
constexpr std::chrono::seconds kSilence{3};
// A Pod is at most what etcd stores for one object (1.5 MiB by default).
constexpr std::size_t kLargestPod = std::size_t{4} * 1024 * 1024;

// A DNS label or subdomain, as Kubernetes names Namespaces and Pods: nothing
// that could reach another path of the API.
bool is_object_name(const std::string& name) {
  return !name.empty() && name.size() <= 253 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

}  // namespace

PodReader::PodReader(Credentials credentials, std::size_t workers, std::size_t queue_limit)
    : client_(std::move(credentials), kSilence), queue_limit_(queue_limit) {
  for (std::size_t i = 0; i < workers; ++i) {
    interrupters_.push_back(std::make_unique<Interrupter>());
  }
}

PodReader::~PodReader() { stop(); }

void PodReader::start() {
  for (const auto& interrupter : interrupters_) {
    workers_.emplace_back([this, raw = interrupter.get()] { work(*raw); });
  }
}

void PodReader::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  for (const auto& interrupter : interrupters_) {
    interrupter->interrupt();
  }
  for (std::thread& worker : workers_) {
    if (worker.joinable()) {
      worker.join();
    }
  }
  std::deque<Read> unread;
  {
    const std::lock_guard lock(mutex_);
    unread.swap(queue_);
  }
  for (Read& read : unread) {
    read.done(Problem{"windowguard is stopping"});
  }
}

void PodReader::read(const std::string& namespace_name, const std::string& name, Done done) {
  if (!is_object_name(namespace_name) || !is_object_name(name)) {
    done(Problem{"\"" + namespace_name + "/" + name + "\" names no Pod"});
    return;
  }
  {
    std::unique_lock lock(mutex_);
    if (stopping_) {
      lock.unlock();
      done(Problem{"windowguard is stopping"});
      return;
    }
    if (queue_.size() >= queue_limit_) {
      lock.unlock();
      done(Problem{"too many Pod reads waiting (" + std::to_string(queue_limit_) + ")"});
      return;
    }
    queue_.push_back({"/api/v1/namespaces/" + namespace_name + "/pods/" + name, std::move(done)});
  }
  queued_.notify_one();
}

void PodReader::work(Interrupter& interrupter) {
  for (;;) {
    Read read;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        return;
      }
      read = std::move(queue_.front());
      queue_.pop_front();
    }
    Result<ApiResponse> answer = client_.send({ApiRequest::Method::Get, read.target, {}}, interrupter, kLargestPod);
    if (!answer) {
      read.done(answer.error());
    } else if (answer->status != 200) {
      read.done(Problem{"GET " + read.target + ": HTTP " + std::to_string(answer->status)});
    } else {
      read.done(std::move(answer->body));
    }
  }
}

}  // namespace windowguard::cluster

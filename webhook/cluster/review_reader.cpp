#include "cluster/review_reader.hpp"

#include <algorithm>

namespace windowguard::cluster {
namespace {

// Each step of a read (connect, handshake, request, answer) may take this
// long: longer than the review waits for the read (2 s, server_config.hpp),
// so that a read too slow for its review always ends by the review's
// deadline, and the reader is free again soon after.
constexpr std::chrono::seconds kSilence{3};
// A Pod is at most what etcd stores for one object (1.5 MiB by default); a
// namespace's workloads of one kind, a few hundred of them.
constexpr std::size_t kLargestAnswer = std::size_t{16} * 1024 * 1024;

// A DNS label or subdomain, as Kubernetes names Namespaces and Pods: nothing
// that could reach another path of the API.
bool is_object_name(const std::string& name) {
  return !name.empty() && name.size() <= 253 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

}  // namespace

ReviewReader::ReviewReader(Credentials credentials, std::size_t workers, std::size_t queue_limit)
    : client_(std::move(credentials), kSilence), queue_limit_(queue_limit) {
  for (std::size_t i = 0; i < workers; ++i) {
    interrupters_.push_back(std::make_unique<Interrupter>());
  }
}

ReviewReader::~ReviewReader() { stop(); }

void ReviewReader::start() {
  for (const auto& interrupter : interrupters_) {
    workers_.emplace_back([this, raw = interrupter.get()] { work(*raw); });
  }
}

void ReviewReader::stop() {
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

std::optional<std::vector<std::string>> ReviewReader::pod_targets(const std::string& namespace_name,
                                                                  const std::string& name) {
  if (!is_object_name(namespace_name) || !is_object_name(name)) {
    return std::nullopt;
  }
  return std::vector<std::string>{"/api/v1/namespaces/" + namespace_name + "/pods/" + name};
}

std::optional<std::vector<std::string>> ReviewReader::promotion_targets(const std::string& namespace_name,
                                                                        const core::Settings& settings) {
  if (!is_object_name(namespace_name)) {
    return std::nullopt;
  }
  std::vector<std::string> targets;
  for (const core::GovernedResource* kind : core::promotion_source_kinds(settings)) {
    targets.push_back((kind->group.empty() ? "/api/" : "/apis/" + kind->group + "/") + kind->version + "/namespaces/" +
                      namespace_name + "/" + kind->resource);
  }
  return targets;
}

void ReviewReader::read(std::vector<std::string> targets, Done done) {
  {
    std::unique_lock lock(mutex_);
    if (stopping_) {
      lock.unlock();
      done(Problem{"windowguard is stopping"});
      return;
    }
    if (queue_.size() >= queue_limit_) {
      lock.unlock();
      done(Problem{"too many reads waiting (" + std::to_string(queue_limit_) + ")"});
      return;
    }
    queue_.push_back({std::move(targets), std::move(done)});
  }
  queued_.notify_one();
}

Result<std::vector<std::string>> ReviewReader::read_all(const std::vector<std::string>& targets,
                                                        Interrupter& interrupter) {
  std::vector<std::string> bodies;
  for (const std::string& target : targets) {
    Result<ApiResponse> answer = client_.send({ApiRequest::Method::Get, target, {}}, interrupter, kLargestAnswer);
    if (!answer) {
      return answer.error();
    }
    if (answer->status != 200) {
      return Problem{"GET " + target + ": HTTP " + std::to_string(answer->status)};
    }
    bodies.push_back(std::move(answer->body));
  }
  return bodies;
}

void ReviewReader::work(Interrupter& interrupter) {
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
    read.done(read_all(read.targets, interrupter));
  }
}

}  // namespace windowguard::cluster

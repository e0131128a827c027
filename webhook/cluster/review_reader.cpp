#include "cluster/review_reader.hpp"

#include <algorithm>

#include <rapidjson/document.h>

#include "admission/classifier.hpp"
#include "admission/template_images.hpp"
#include "core/governed_resources.hpp"

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

bool ReviewReader::names_objects(const ReviewRead& what) {
  if (const auto* pod = std::get_if<PodToRead>(&what)) {
    return is_object_name(pod->namespace_name) && is_object_name(pod->name);
  }
  return is_object_name(std::get<SourceToRead>(what).namespace_name);
}

void ReviewReader::read(ReviewRead what, Done done) {
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
    queue_.push_back({std::move(what), std::move(done)});
  }
  queued_.notify_one();
}

Result<std::string> ReviewReader::get(const std::string& target, Interrupter& interrupter) {
  Result<ApiResponse> answer = client_.send({ApiRequest::Method::Get, target, {}}, interrupter, kLargestAnswer);
  if (!answer) {
    return answer.error();
  }
  if (answer->status != 200) {
    return Problem{"GET " + target + ": HTTP " + std::to_string(answer->status)};
  }
  return std::move(answer->body);
}

Result<ReviewFacts> ReviewReader::read_pod(const PodToRead& pod, Interrupter& interrupter) {
  const Result<std::string> body = get("/api/v1/namespaces/" + pod.namespace_name + "/pods/" + pod.name, interrupter);
  if (!body) {
    return body.error();
  }
  rapidjson::Document document;
  if (document.Parse(body->c_str()).HasParseError() || !document.IsObject()) {
    return Problem{"the API server's answer is not a Pod's JSON"};
  }
  PodLabels labels;
  for (const core::Label& label : admission::labels_of(&document)) {
    labels.emplace_back(label.key, label.value);
  }
  return ReviewFacts(std::move(labels));
}

Result<ReviewFacts> ReviewReader::read_source(const SourceToRead& source, Interrupter& interrupter) {
  core::RunningImages running;
  for (const core::GovernedResource* kind : core::promotion_source_kinds(source.settings)) {
    const std::string target = (kind->group.empty() ? "/api/" : "/apis/" + kind->group + "/") + kind->version +
                               "/namespaces/" + source.namespace_name + "/" + kind->resource;
    const Result<std::string> body = get(target, interrupter);
    if (!body) {
      return body.error();
    }
    rapidjson::Document list;
    if (list.Parse(body->c_str()).HasParseError() || !list.IsObject()) {
      return Problem{"the API server's answer is not a list's JSON"};
    }
    admission::add_running_images(list, source.application, source.settings, running);
  }
  return ReviewFacts(std::move(running));
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
    if (const auto* pod = std::get_if<PodToRead>(&read.what)) {
      read.done(read_pod(*pod, interrupter));
    } else {
      read.done(read_source(std::get<SourceToRead>(read.what), interrupter));
    }
  }
}

}  // namespace windowguard::cluster

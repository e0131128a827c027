#pragma once
// One resource kept in view, as client-go's reflector does: list, then watch
// from the list's resourceVersion with bookmarks; a watch that ends is
// resumed from the last resourceVersion seen, a 410 Gone (or an ERROR event)
// relists, and every failure is retried with exponential backoff and jitter.
// Each change hands the whole current set of objects on, decoded.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <rapidjson/document.h>

#include "cluster/api_client.hpp"

namespace windowguard::cluster {

// What a reflector knows of itself, for readiness and metrics.
struct ReflectorStatus {
  bool listed = false;                                 // a list has succeeded (or found the resource missing)
  bool watching = false;                               // a watch is open now
  bool resource_missing = false;                       // the last list found no such resource (a CRD not installed)
  std::chrono::system_clock::time_point current_at{};  // when the view was last known to be current
  std::uint64_t failures = 0;                          // lists and watches that failed
  std::uint64_t relists = 0;                           // lists after the first
};

class Reflector {
 public:
  // An object's JSON; what `on_change` receives, by "namespace/name".
  using Objects = std::map<std::string, std::shared_ptr<const rapidjson::Document>>;

  struct Options {
    std::string resource;  // for logs: "windowexceptions"
    std::string path;      // "/apis/windowguard.dev/v1/windowexceptions"
    std::chrono::seconds watch_timeout{290};
    std::chrono::milliseconds first_backoff{500};
    std::chrono::milliseconds longest_backoff{10'000};
    std::size_t page_size = 500;
  };

  Reflector(ApiClient& client, Options options, std::function<void(const Objects&)> on_change);

  // Lists and watches until stop(); call from the thread it runs on.
  void run();
  // From any thread: ends run() promptly.
  void stop();

  ReflectorStatus status() const;

 private:
  enum class WatchEnd { Resume, Relist, Stopped, Failed };

  bool list(std::string& resource_version);
  WatchEnd watch(std::string& resource_version);
  void wait_before_retry(std::chrono::milliseconds& backoff);
  void publish();
  void update_status(const std::function<void(ReflectorStatus&)>& change);

  ApiClient& client_;
  Options options_;
  std::function<void(const Objects&)> on_change_;
  Objects objects_;
  Interrupter interrupter_;
  mutable std::mutex mutex_;
  std::condition_variable stopped_changed_;
  bool stopped_ = false;
  ReflectorStatus status_;
};

}  // namespace windowguard::cluster

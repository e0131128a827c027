#include "cluster/reflector.hpp"

#include <random>

#include "json/json_members.hpp"
#include "logging/log.hpp"

namespace windowguard::cluster {
namespace {
using logging::LogLine;

constexpr std::size_t kLargestList = std::size_t{256} * 1024 * 1024;

std::string key_of(const rapidjson::Value& object) {
  const std::string namespace_name = json::string_at(&object, {"metadata", "namespace"});
  const std::string name = json::string_at(&object, {"metadata", "name"});
  return namespace_name.empty() ? name : namespace_name + "/" + name;
}

// A kept object with an allocator of its own whose chunks are 1 KiB, not
// rapidjson's default 64 KiB: a kept object is a few hundred bytes, and a
// cluster has thousands of them.
constexpr std::size_t kKeptChunk = 1024;
struct KeptObject {
  rapidjson::MemoryPoolAllocator<> allocator{kKeptChunk};
  rapidjson::Document document{&allocator};
};

// The object as kept: without metadata.managedFields and annotations, most
// of a typical object's bytes (kubectl's last-applied configuration, field
// managers), which nothing here reads.
std::shared_ptr<const rapidjson::Document> copy_of(const rapidjson::Value& object) {
  auto kept = std::make_shared<KeptObject>();
  rapidjson::Document& document = kept->document;
  auto& allocator = document.GetAllocator();
  if (!object.IsObject()) {
    document.CopyFrom(object, allocator);  // not a Kubernetes object: decoding will say so
    return {kept, &document};
  }
  document.SetObject();
  for (const auto& member : object.GetObject()) {
    if (json::text(member.name) != "metadata" || !member.value.IsObject()) {
      document.AddMember(rapidjson::Value(member.name, allocator), rapidjson::Value(member.value, allocator),
                         allocator);
      continue;
    }
    rapidjson::Value metadata(rapidjson::kObjectType);
    for (const auto& field : member.value.GetObject()) {
      const std::string_view name = json::text(field.name);
      if (name != "managedFields" && name != "annotations") {
        metadata.AddMember(rapidjson::Value(field.name, allocator), rapidjson::Value(field.value, allocator),
                           allocator);
      }
    }
    document.AddMember("metadata", metadata, allocator);
  }
  return {kept, &document};
}

}  // namespace

Reflector::Reflector(ApiClient& client, Options options, std::function<void(const Objects&)> on_change)
    : client_(client), options_(std::move(options)), on_change_(std::move(on_change)) {}

void Reflector::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  stopped_changed_.notify_all();
  interrupter_.interrupt();
}

ReflectorStatus Reflector::status() const {
  const std::lock_guard lock(mutex_);
  return status_;
}

void Reflector::update_status(const std::function<void(ReflectorStatus&)>& change) {
  const std::lock_guard lock(mutex_);
  change(status_);
}

void Reflector::publish() { on_change_(objects_); }

void Reflector::run() {
  std::chrono::milliseconds backoff = options_.first_backoff;
  std::string resource_version;
  bool must_list = true;
  while (!interrupter_.interrupted()) {
    if (must_list) {
      if (!list(resource_version)) {
        wait_before_retry(backoff);
        continue;
      }
      must_list = false;
      if (resource_version.empty()) {  // the resource is missing: look again later
        wait_before_retry(backoff);
        must_list = true;
        continue;
      }
    }
    switch (watch(resource_version)) {
      case WatchEnd::Resume:
        backoff = options_.first_backoff;
        break;
      case WatchEnd::Relist:
        must_list = true;
        update_status([](ReflectorStatus& status) { ++status.relists; });
        break;
      case WatchEnd::Failed:
        wait_before_retry(backoff);
        break;
      case WatchEnd::Stopped:
        return;
    }
  }
}

bool Reflector::list(std::string& resource_version) {
  Objects listed;
  std::string continue_token;
  do {
    std::string target = options_.path + "?limit=" + std::to_string(options_.page_size);
    if (!continue_token.empty()) {
      target += "&continue=" + continue_token;
    }
    const Result<ApiResponse> response =
        client_.send(ApiRequest{ApiRequest::Method::Get, target, {}, {}}, interrupter_, kLargestList);
    if (!response) {
      LogLine(spdlog::level::warn, "cannot list")
          .field("resource", options_.resource)
          .field("error", response.error().message)
          .emit();
      update_status([](ReflectorStatus& status) { ++status.failures; });
      return false;
    }
    if (response->status == 404) {
      LogLine(spdlog::level::warn, "resource not found in the cluster; taking it as empty")
          .field("resource", options_.resource)
          .field("path", options_.path)
          .emit();
      objects_.clear();
      publish();
      update_status([](ReflectorStatus& status) {
        status.listed = true;
        status.resource_missing = true;
        status.current_at = std::chrono::system_clock::now();
      });
      resource_version.clear();
      return true;
    }
    rapidjson::Document document;
    document.Parse(response->body.data(), response->body.size());
    const rapidjson::Value* items = json::member(&document, "items");
    if (response->status != 200 || document.HasParseError() || items == nullptr || !items->IsArray()) {
      LogLine(spdlog::level::warn, "list failed")
          .field("resource", options_.resource)
          .field("status", static_cast<std::int64_t>(response->status))
          .field("body", response->body.substr(0, 512))
          .emit();
      update_status([](ReflectorStatus& status) { ++status.failures; });
      return false;
    }
    for (const rapidjson::Value& item : items->GetArray()) {
      listed[key_of(item)] = copy_of(item);
    }
    resource_version = json::string_at(&document, {"metadata", "resourceVersion"});
    continue_token = json::string_at(&document, {"metadata", "continue"});
  } while (!continue_token.empty());
  objects_ = std::move(listed);
  publish();
  LogLine(spdlog::level::info, "listed")
      .field("resource", options_.resource)
      .field("objects", static_cast<std::int64_t>(objects_.size()))
      .field("resourceVersion", resource_version)
      .emit();
  update_status([](ReflectorStatus& status) {
    status.listed = true;
    status.resource_missing = false;
    status.current_at = std::chrono::system_clock::now();
  });
  return true;
}

Reflector::WatchEnd Reflector::watch(std::string& resource_version) {
  const std::string target = options_.path + "?watch=1&allowWatchBookmarks=true&resourceVersion=" + resource_version +
                             "&timeoutSeconds=" + std::to_string(options_.watch_timeout.count());
  WatchEnd end = WatchEnd::Resume;
  // The view is current while a watch is open, and until it ends; a watch
  // that never opened (the API server is down) says nothing of it.
  bool opened = false;
  const auto on_open = [&] {
    opened = true;
    update_status([](ReflectorStatus& status) {
      status.watching = true;
      status.current_at = std::chrono::system_clock::now();
    });
  };
  // A burst of events (a namespace per second, or ten thousand at once) is
  // published once per read, not once per event: each publication rebuilds
  // the consumer's whole view.
  bool changed = false;
  const auto publish_changes = [&] {
    if (changed) {
      publish();
      changed = false;
    }
  };
  const auto on_event = [&](std::string_view line) {
    rapidjson::Document event;
    event.Parse(line.data(), line.size());
    const rapidjson::Value* type = json::member(&event, "type");
    const rapidjson::Value* object = json::member(&event, "object");
    if (event.HasParseError() || type == nullptr || !type->IsString() || object == nullptr) {
      return true;  // not an event: skipped
    }
    const std::string_view kind = json::text(*type);
    if (kind == "ERROR") {
      const rapidjson::Value* code = json::member(object, "code");
      LogLine(spdlog::level::info, "watch error event")
          .field("resource", options_.resource)
          .field("code", code != nullptr && code->IsInt() ? static_cast<std::int64_t>(code->GetInt()) : 0)
          .emit();
      end = WatchEnd::Relist;
      return false;
    }
    resource_version = json::string_at(object, {"metadata", "resourceVersion"});
    if (kind == "ADDED" || kind == "MODIFIED") {
      objects_[key_of(*object)] = copy_of(*object);
      changed = true;
    } else if (kind == "DELETED") {
      changed = objects_.erase(key_of(*object)) != 0 || changed;
    }
    update_status([](ReflectorStatus& status) { status.current_at = std::chrono::system_clock::now(); });
    return true;
  };
  const Result<ApiResponse> response = client_.stream(target, interrupter_, {on_open, on_event, publish_changes});
  publish_changes();
  if (opened) {
    update_status([](ReflectorStatus& status) {
      status.watching = false;
      status.current_at = std::chrono::system_clock::now();
    });
  }
  if (interrupter_.interrupted()) {
    return WatchEnd::Stopped;
  }
  if (!response) {
    LogLine(spdlog::level::warn, "watch broken")
        .field("resource", options_.resource)
        .field("error", response.error().message)
        .emit();
    update_status([](ReflectorStatus& status) { ++status.failures; });
    return WatchEnd::Failed;
  }
  // 410: the resourceVersion is too old.  404: the resource went away (its
  // CRD was deleted); the list says so, and looks again with backoff.
  if (response->status == 410 || response->status == 404) {
    return WatchEnd::Relist;
  }
  if (response->status != 200) {
    LogLine(spdlog::level::warn, "watch refused")
        .field("resource", options_.resource)
        .field("status", static_cast<std::int64_t>(response->status))
        .emit();
    update_status([](ReflectorStatus& status) { ++status.failures; });
    return WatchEnd::Failed;
  }
  return end;
}

void Reflector::wait_before_retry(std::chrono::milliseconds& backoff) {
  thread_local std::minstd_rand random(std::random_device{}());
  // Full jitter around the backoff (0.5x to 1.5x), so that replicas spread out.
  std::uniform_real_distribution<double> spread(0.5, 1.5);
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double, std::milli>(backoff) * spread(random));
  backoff = std::min(backoff * 2, options_.longest_backoff);
  std::unique_lock lock(mutex_);
  stopped_changed_.wait_for(lock, wait, [this] { return stopped_; });
}

}  // namespace windowguard::cluster

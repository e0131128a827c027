#include "cluster/cluster_view.hpp"

#include "admission/classifier.hpp"
#include "admission/json_members.hpp"
#include "admission/windowguard_objects_json.hpp"
#include "core/exception_standing.hpp"
#include "server/log.hpp"

namespace windowguard::cluster {

namespace {

// Longer than a watch is asked to last: a connection silent this long is dead.
constexpr std::chrono::seconds kSilence{330};
// How often shown statuses are compared with what they should say: states
// change with time (from, until) and with the policy, not only with events.
constexpr std::chrono::milliseconds kStatusInterval{2'000};
constexpr std::size_t kSmallAnswer = std::size_t{1024} * 1024;

// The fields written are windowguard's own words ("1/2", "in force"): no
// character needs escaping.
std::string status_patch(const std::string& approved, const std::string& state) {
  return R"({"status":{"approved":")" + approved + R"(","state":")" + state + R"("}})";
}

Reflector::Options watch_of(std::string resource, std::string path) {
  Reflector::Options options;
  options.resource = std::move(resource);
  options.path = std::move(path);
  return options;
}

}  // namespace

ClusterView::ClusterView(Credentials credentials, Outlets outlets)
    : client_(std::move(credentials), kSilence),
      outlets_(std::move(outlets)),
      exceptions_(client_, watch_of("windowexceptions", "/apis/windowguard.dev/v1/windowexceptions"),
                  [this](const Reflector::Objects& objects) { on_exceptions(objects); }),
      namespaces_(client_, watch_of("namespaces", "/api/v1/namespaces"),
                  [this](const Reflector::Objects& objects) { on_namespaces(objects); }) {}

ClusterView::~ClusterView() { stop(); }

void ClusterView::start() {
  exceptions_thread_ = std::thread([this] { exceptions_.run(); });
  namespaces_thread_ = std::thread([this] { namespaces_.run(); });
  writer_ = std::thread([this] { keep_statuses(); });
}

void ClusterView::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_changed_.notify_all();
  writer_interrupter_.interrupt();
  exceptions_.stop();
  namespaces_.stop();
  for (std::thread* thread : {&exceptions_thread_, &namespaces_thread_, &writer_}) {
    if (thread->joinable()) {
      thread->join();
    }
  }
}

bool ClusterView::wait(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !stop_changed_.wait_for(lock, duration, [this] { return stopping_; });
}

std::string ClusterView::identity() const {
  const std::lock_guard lock(mutex_);
  return identity_;
}

bool ClusterView::learn_identity() {
  const Result<ApiResponse> answer =
      client_.send(ApiRequest{ApiRequest::Method::Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                              R"({"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"})"},
                   writer_interrupter_, kSmallAnswer);
  if (!answer || answer->status != 201) {
    server::LogLine(spdlog::level::warn, "cannot learn windowguard's own identity")
        .field("error", answer ? answer->body.substr(0, 512) : answer.error().message)
        .emit();
    return false;
  }
  rapidjson::Document review;
  review.Parse(answer->body.data(), answer->body.size());
  const rapidjson::Value* username =
      admission::json_member(admission::json_member(admission::json_member(&review, "status"), "userInfo"), "username");
  if (username == nullptr || !username->IsString()) {
    return false;
  }
  const std::lock_guard lock(mutex_);
  identity_ = std::string(admission::json_text(*username));
  server::LogLine(spdlog::level::info, "cluster identity").field("user", identity_).emit();
  return true;
}

void ClusterView::keep_statuses() {
  while (!learn_identity()) {
    if (!wait(kStatusInterval * 5)) {
      return;
    }
  }
  while (wait(kStatusInterval)) {
    const std::shared_ptr<const core::Policy> policy = outlets_.policy();
    if (policy == nullptr) {
      continue;
    }
    std::shared_ptr<const std::vector<Shown>> shown;
    {
      const std::lock_guard lock(mutex_);
      shown = shown_;
    }
    const core::Instant now = date::floor<core::seconds>(std::chrono::system_clock::now());
    for (const Shown& each : *shown) {
      const core::ExceptionStanding standing = core::standing_of(*policy, each.exception, now);
      const std::string approved = std::to_string(standing.approvals) + "/" + std::to_string(standing.required);
      const std::string state(core::exception_state_name(standing.state));
      if (approved != each.approved || state != each.state) {
        write_status(each, approved, state);
      }
    }
  }
}

void ClusterView::write_status(const Shown& shown, const std::string& approved, const std::string& state) {
  const std::string target = "/apis/windowguard.dev/v1/namespaces/" + shown.exception.namespace_name +
                             "/windowexceptions/" + shown.exception.name + "/status";
  const Result<ApiResponse> answer = client_.send(
      ApiRequest{ApiRequest::Method::Patch, target, status_patch(approved, state), "application/merge-patch+json"},
      writer_interrupter_, kSmallAnswer);
  if (!answer || answer->status != 200) {
    server::LogLine(spdlog::level::warn, "cannot update a WindowException's status")
        .field("object", shown.exception.namespace_name + "/" + shown.exception.name)
        .field("error", answer ? answer->body.substr(0, 512) : answer.error().message)
        .emit();
  }
}

std::string ClusterView::not_ready_reason() const {
  if (!client_.setup_problem().empty()) {
    return "cluster access: " + client_.setup_problem();
  }
  if (!exceptions_.status().listed) {
    return "WindowExceptions have not been listed yet";
  }
  return namespaces_.status().listed ? "" : "Namespaces have not been listed yet";
}

ClusterViewStatus ClusterView::status() const {
  return {exceptions_.status(), namespaces_.status(), undecodable_.load()};
}

void ClusterView::on_exceptions(const Reflector::Objects& objects) {
  std::vector<core::WindowException> exceptions;
  exceptions.reserve(objects.size());
  std::vector<Shown> shown;
  shown.reserve(objects.size());
  std::size_t undecodable = 0;
  for (const auto& [key, object] : objects) {
    // An object without a creation time (none from the API server) starts at the epoch: its until decides.
    auto decoded = admission::decode_window_exception(*object, core::Instant{});
    if (decoded) {
      shown.push_back({decoded.value(), admission::json_string_at(object.get(), {"status", "approved"}),
                       admission::json_string_at(object.get(), {"status", "state"})});
      exceptions.push_back(std::move(decoded).value());
    } else {
      ++undecodable;
      server::LogLine(spdlog::level::warn, "ignoring a WindowException that cannot be read")
          .field("object", key)
          .field("error", decoded.error().message)
          .emit();
    }
  }
  undecodable_.store(undecodable);
  {
    const std::lock_guard lock(mutex_);
    shown_ = std::make_shared<const std::vector<Shown>>(std::move(shown));
  }
  outlets_.exceptions(std::make_shared<const core::ExceptionBook>(std::move(exceptions)));
}

void ClusterView::on_namespaces(const Reflector::Objects& objects) {
  std::unordered_map<std::string, core::NamespaceLabels::Owned> labels;
  labels.reserve(objects.size());
  for (const auto& [name, object] : objects) {
    core::NamespaceLabels::Owned& owned = labels[name];
    for (const core::Label& label : admission::labels_of(object.get())) {
      owned.emplace_back(label.key, label.value);
    }
  }
  outlets_.namespaces(std::make_shared<const core::NamespaceLabels>(std::move(labels)));
}

}  // namespace windowguard::cluster

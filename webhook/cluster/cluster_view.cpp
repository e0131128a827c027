#include "cluster/cluster_view.hpp"

#include "admission/classifier.hpp"
#include "core/exceptions/exception_standing.hpp"
#include "core/images/image_check.hpp"
#include "json/json_members.hpp"
#include "logging/log.hpp"
#include "objects/codec.hpp"

namespace windowguard::cluster {

namespace {

// Longer than a watch is asked to last: a connection silent this long is dead.
constexpr std::chrono::seconds kSilence{330};
// How often shown statuses are compared with what they should say: states
// change with time (from, until) and with the policy, not only with events.
constexpr std::chrono::milliseconds kStatusInterval{2'000};
constexpr std::size_t kSmallAnswer = std::size_t{1024} * 1024;

Reflector::Options watch_of(std::string resource, std::string path) {
  Reflector::Options options;
  options.resource = std::move(resource);
  options.path = std::move(path);
  return options;
}

void log_unreadable(std::string_view kind, const std::string& key, const Problem& problem) {
  logging::LogLine(spdlog::level::warn, "ignoring an object that cannot be read")
      .field("kind", std::string(kind))
      .field("object", key)
      .field("error", problem.message)
      .emit();
}

// The status an object should show under the policy in force.
objects::ShownStatus status_of(const core::Policy& policy,
                               const std::variant<core::WindowException, core::ImageApproval>& object,
                               core::Instant now) {
  if (const auto* exception = std::get_if<core::WindowException>(&object)) {
    const core::ExceptionStanding standing = core::standing_of(policy, *exception, now);
    return {std::to_string(standing.approvals) + "/" + std::to_string(standing.required),
            std::string(core::exception_state_name(standing.state)), standing.eligible};
  }
  const core::ImageApprovalStanding standing = core::standing_of(policy, std::get<core::ImageApproval>(object), now);
  return {std::to_string(standing.approvals) + "/" + std::to_string(standing.required), standing.state,
          standing.eligible};
}

}  // namespace

ClusterView::Shown ClusterView::shown_of(const std::string& key, std::string_view resource,
                                         const rapidjson::Value& json,
                                         std::variant<core::WindowException, core::ImageApproval> object) {
  const auto& [namespace_name, name] = std::visit(
      [](const auto& each) {
        return std::pair{each.namespace_name, each.name};
      },
      object);
  return Shown{objects::status_path(resource, namespace_name, name), key, std::move(object),
               objects::shown_status_of(json)};
}

ClusterView::ClusterView(Credentials credentials, Outlets outlets)
    : client_(std::move(credentials), kSilence),
      outlets_(std::move(outlets)),
      exceptions_(
          client_, watch_of(std::string(objects::kExceptionResource), objects::list_path(objects::kExceptionResource)),
          [this](const Reflector::Objects& objects) {
            // An object without a creation time (none from the API
            // server) starts at the epoch: its until decides.
            const auto decode = [](const rapidjson::Value& json) {
              return objects::decode_window_exception(json, core::Instant{});
            };
            outlets_.exceptions(book_of<core::WindowException>(objects, "WindowException", "windowexceptions", decode,
                                                               undecodable_exceptions_, shown_exceptions_));
          }),
      namespaces_(client_, watch_of("namespaces", "/api/v1/namespaces"),
                  [this](const Reflector::Objects& objects) { on_namespaces(objects); }),
      image_approvals_(
          client_,
          watch_of(std::string(objects::kImageApprovalResource), objects::list_path(objects::kImageApprovalResource)),
          [this](const Reflector::Objects& objects) {
            outlets_.image_approvals(
                book_of<core::ImageApproval>(objects, "ImageApproval", "imageapprovals", objects::decode_image_approval,
                                             undecodable_image_approvals_, shown_image_approvals_));
          }) {}

ClusterView::~ClusterView() { stop(); }

void ClusterView::start() {
  exceptions_thread_ = std::thread([this] { exceptions_.run(); });
  namespaces_thread_ = std::thread([this] { namespaces_.run(); });
  image_approvals_thread_ = std::thread([this] { image_approvals_.run(); });
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
  image_approvals_.stop();
  for (std::thread* thread : {&exceptions_thread_, &namespaces_thread_, &image_approvals_thread_, &writer_}) {
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
    logging::LogLine(spdlog::level::warn, "cannot learn windowguard's own identity")
        .field("error", answer ? answer->body.substr(0, 512) : answer.error().message)
        .emit();
    return false;
  }
  rapidjson::Document review;
  review.Parse(answer->body.data(), answer->body.size());
  const rapidjson::Value* username =
      json::member(json::member(json::member(&review, "status"), "userInfo"), "username");
  if (username == nullptr || !username->IsString()) {
    return false;
  }
  const std::lock_guard lock(mutex_);
  identity_ = std::string(json::text(*username));
  logging::LogLine(spdlog::level::info, "cluster identity").field("user", identity_).emit();
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
    ShownList lists[2];
    {
      const std::lock_guard lock(mutex_);
      lists[0] = shown_exceptions_;
      lists[1] = shown_image_approvals_;
    }
    const core::Instant now = date::floor<core::seconds>(std::chrono::system_clock::now());
    for (const ShownList& shown : lists) {
      for (const Shown& each : *shown) {
        const objects::ShownStatus should_show = status_of(*policy, each.object, now);
        if (should_show != each.status) {
          write_status(each, should_show);
        }
      }
    }
  }
}

void ClusterView::write_status(const Shown& shown, const objects::ShownStatus& status) {
  const Result<ApiResponse> answer =
      client_.send(ApiRequest{ApiRequest::Method::Patch, shown.status_path, objects::status_patch(status),
                              "application/merge-patch+json"},
                   writer_interrupter_, kSmallAnswer);
  if (!answer || answer->status != 200) {
    logging::LogLine(spdlog::level::warn, "cannot update an object's status")
        .field("object", shown.label)
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
  if (!image_approvals_.status().listed) {
    return "ImageApprovals have not been listed yet";
  }
  return namespaces_.status().listed ? "" : "Namespaces have not been listed yet";
}

ClusterViewStatus ClusterView::status() const {
  return {exceptions_.status(), namespaces_.status(), image_approvals_.status(), undecodable_exceptions_.load(),
          undecodable_image_approvals_.load()};
}

template <typename Object, typename Decode>
std::shared_ptr<const core::NamespacedBook<Object>> ClusterView::book_of(const Reflector::Objects& objects,
                                                                         std::string_view kind,
                                                                         std::string_view resource, Decode&& decode,
                                                                         std::atomic<std::size_t>& undecodable,
                                                                         ShownList& shown) {
  std::vector<Object> decoded_objects;
  decoded_objects.reserve(objects.size());
  std::vector<Shown> shown_objects;
  shown_objects.reserve(objects.size());
  std::size_t unreadable = 0;
  for (const auto& [key, object] : objects) {
    Result<Object> decoded = decode(*object);
    if (decoded) {
      shown_objects.push_back(shown_of(key, resource, *object, decoded.value()));
      decoded_objects.push_back(std::move(decoded).value());
    } else {
      ++unreadable;
      log_unreadable(kind, key, decoded.error());
    }
  }
  undecodable.store(unreadable);
  {
    const std::lock_guard lock(mutex_);
    shown = std::make_shared<const std::vector<Shown>>(std::move(shown_objects));
  }
  return std::make_shared<const core::NamespacedBook<Object>>(std::move(decoded_objects));
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

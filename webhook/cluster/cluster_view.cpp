#include "cluster/cluster_view.hpp"

#include "admission/window_exception_json.hpp"
#include "server/log.hpp"

namespace windowguard::cluster {

namespace {
// Longer than a watch is asked to last: a connection silent this long is dead.
constexpr std::chrono::seconds kSilence{330};
}  // namespace

ClusterView::ClusterView(Credentials credentials, Reflector::Options exceptions, Publish publish)
    : client_(std::move(credentials), kSilence),
      exceptions_(client_, std::move(exceptions),
                  [this](const Reflector::Objects& objects) { on_exceptions(objects); }),
      publish_(std::move(publish)) {}

ClusterView::~ClusterView() { stop(); }

Reflector::Options ClusterView::exception_watch() {
  Reflector::Options options;
  options.resource = "windowexceptions";
  options.path = "/apis/windowguard.dev/v1/windowexceptions";
  return options;
}

void ClusterView::start() {
  thread_ = std::thread([this] { exceptions_.run(); });
}

void ClusterView::stop() {
  exceptions_.stop();
  if (thread_.joinable()) {
    thread_.join();
  }
}

std::string ClusterView::not_ready_reason() const {
  if (!client_.setup_problem().empty()) {
    return "cluster access: " + client_.setup_problem();
  }
  return exceptions_.status().listed ? "" : "WindowExceptions have not been listed yet";
}

ClusterViewStatus ClusterView::status() const { return {exceptions_.status(), undecodable_.load()}; }

void ClusterView::on_exceptions(const Reflector::Objects& objects) {
  std::vector<core::WindowException> exceptions;
  exceptions.reserve(objects.size());
  std::size_t undecodable = 0;
  for (const auto& [key, object] : objects) {
    // An object without a creation time (none from the API server) starts at the epoch: its until decides.
    auto decoded = admission::decode_window_exception(*object, core::Instant{});
    if (decoded) {
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
  publish_(std::make_shared<const core::ExceptionBook>(std::move(exceptions)));
}

}  // namespace windowguard::cluster

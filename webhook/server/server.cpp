#include "server/server.hpp"

#include <malloc.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <condition_variable>
#include <thread>

#include "core/time_text.hpp"
#include "policy/policy_directory.hpp"
#include "server/file_fingerprint.hpp"
#include "server/listener.hpp"
#include "server/log.hpp"
#include "server/session.hpp"
#include "server/tls_context.hpp"

namespace windowguard::server {
namespace {

namespace asio = boost::asio;

core::Instant now() { return date::floor<core::seconds>(std::chrono::system_clock::now()); }

// One I/O thread: its io_context, its acceptor and its cached views.
struct IoThread {
  explicit IoThread(SharedState& shared) : state(shared) {}
  // Declared before the io_context: handlers (and the sessions they own)
  // are destroyed with the io_context and still reach the thread's state.
  ThreadState state;
  asio::io_context io{1};
  std::shared_ptr<Listener> listener;
  std::thread thread;
};

// Loads and publishes the policy and the TLS files when they change.
class Watcher {
 public:
  explicit Watcher(SharedState& shared) : shared_(shared) {}

  bool load_tls_at_start() {
    tls_fingerprint_ = fingerprint_files(tls_paths());
    return reload_tls();
  }

  void load_policy_at_start() {
    policy_fingerprint_ = fingerprint_policy_directory(shared_.config.policies);
    reload_policy();
  }

  void poll() {
    if (std::string fingerprint = fingerprint_files(tls_paths()); fingerprint != tls_fingerprint_) {
      tls_fingerprint_ = std::move(fingerprint);
      reload_tls();
    }
    if (std::string fingerprint = fingerprint_policy_directory(shared_.config.policies);
        fingerprint != policy_fingerprint_) {
      policy_fingerprint_ = std::move(fingerprint);
      LogLine(spdlog::level::info, "policy changed; loading").field("directory", shared_.config.policies).emit();
      if (!reload_policy() && fingerprint_policy_directory(shared_.config.policies) != policy_fingerprint_) {
        policy_fingerprint_.clear();  // it changed while being read: read it again next time
      }
    }
  }

 private:
  std::vector<std::string> tls_paths() const {
    std::vector<std::string> paths{shared_.config.tls_cert, shared_.config.tls_key};
    if (!shared_.config.client_ca.empty()) {
      paths.push_back(shared_.config.client_ca);
    }
    return paths;
  }

  bool reload_tls() {
    auto loaded = load_tls({shared_.config.tls_cert, shared_.config.tls_key, shared_.config.client_ca});
    if (!loaded) {
      shared_.metrics.count_certificate_reload(false);
      LogLine(spdlog::level::err, "certificate rejected; the previous one stays in use")
          .field("error", loaded.error().message)
          .emit();
      return false;
    }
    LoadedTls& tls = *loaded;
    shared_.tls.publish(std::move(tls.context));
    shared_.metrics.count_certificate_reload(true);
    shared_.metrics.set_certificate_expiry(tls.not_after);
    LogLine(spdlog::level::info, "certificate loaded")
        .field("certificate", shared_.config.tls_cert)
        .field("notAfter", core::format_utc(tls.not_after))
        .emit();
    return true;
  }

  // Whether a valid policy was loaded and published.
  bool reload_policy() {
    auto result = policy::load_policy_directory(shared_.config.policies);
    if (!result) {
      shared_.metrics.count_policy_reload(false, now());
      std::vector<std::string> errors;
      for (const Problem& error : result.error()) {
        errors.push_back(error.to_string());
      }
      const bool in_force = shared_.policy.current() != nullptr;
      LogLine(spdlog::level::err,
              in_force ? "policy rejected; the last good policy stays in force" : "policy rejected; not ready")
          .field("directory", shared_.config.policies)
          .field("errors", errors)
          .emit();
      if (!in_force) {
        shared_.not_ready_reason.publish(std::make_shared<const std::string>(
            "no valid policy in " + shared_.config.policies + ": " + errors.front()));
      }
      return false;
    }
    // Parsing YAML leaves the heap far larger than the compiled policy; hand
    // the unused part back so resident memory reflects what is in force.
    malloc_trim(0);
    const std::size_t windows = result->policy->windows().size();
    const std::size_t bindings = result->policy->bindings().size();
    shared_.policy.publish(result->policy);
    shared_.not_ready_reason.publish(std::make_shared<const std::string>());
    shared_.metrics.count_policy_reload(true, now());
    LogLine(spdlog::level::info, "policy loaded")
        .field("directory", shared_.config.policies)
        .field("windows", static_cast<std::int64_t>(windows))
        .field("bindings", static_cast<std::int64_t>(bindings))
        .emit();
    return true;
  }

  SharedState& shared_;
  std::string tls_fingerprint_;
  std::string policy_fingerprint_;
};

void schedule_polls(asio::steady_timer& timer, Watcher& watcher, std::chrono::milliseconds interval) {
  timer.expires_after(interval);
  timer.async_wait([&timer, &watcher, interval](boost::system::error_code cancelled) {
    if (cancelled) {
      return;
    }
    watcher.poll();
    schedule_polls(timer, watcher, interval);
  });
}

}  // namespace

int serve(const ServerConfig& config) {
  SharedState shared(config);
  Watcher watcher(shared);
  if (!watcher.load_tls_at_start()) {
    return 1;
  }
  watcher.load_policy_at_start();

  const unsigned thread_count =
      config.threads != 0 ? config.threads : std::max(1U, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<IoThread>> threads;
  boost::system::error_code bad_address;
  const asio::ip::address address = asio::ip::make_address(config.listen_host, bad_address);
  if (bad_address) {
    LogLine(spdlog::level::err, "invalid listen address").field("host", config.listen_host).emit();
    return 1;
  }
  asio::ip::tcp::endpoint endpoint(address, config.listen_port);
  try {
    for (unsigned i = 0; i < thread_count; ++i) {
      auto io_thread = std::make_unique<IoThread>(shared);
      io_thread->listener = std::make_shared<Listener>(io_thread->io, endpoint, io_thread->state);
      endpoint.port(io_thread->listener->port());  // port 0: the others join the first one's port
      threads.push_back(std::move(io_thread));
    }
  } catch (const boost::system::system_error& problem) {
    LogLine(spdlog::level::err, "cannot listen")
        .field("address", config.listen_host + ":" + std::to_string(config.listen_port))
        .field("error", problem.code().message())
        .emit();
    return 1;
  }

  std::mutex finished_mutex;
  std::condition_variable finished_changed;
  std::size_t finished = 0;
  for (auto& io_thread : threads) {
    io_thread->listener->start();
    io_thread->thread = std::thread([&, raw = io_thread.get()] {
      raw->io.run();  // returns once the listener is closed and every session has ended
      const std::lock_guard lock(finished_mutex);
      ++finished;
      finished_changed.notify_all();
    });
  }
  LogLine(spdlog::level::info, "listening")
      .field("address", endpoint.address().to_string() + ":" + std::to_string(endpoint.port()))
      .field("port", static_cast<std::int64_t>(endpoint.port()))
      .field("threads", static_cast<std::int64_t>(thread_count))
      .emit();

  asio::io_context control{1};
  asio::steady_timer polls(control);
  schedule_polls(polls, watcher, config.reload_interval);
  asio::signal_set signals(control, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int signal) {
    shared.draining.store(true);  // before the line: whoever reads it may rely on the drain having begun
    LogLine(spdlog::level::info, "shutting down").field("signal", static_cast<std::int64_t>(signal)).emit();
    polls.cancel();
    for (auto& io_thread : threads) {
      asio::post(io_thread->io, [raw = io_thread.get()] {
        raw->listener->stop();
        for (Session* session : raw->state.sessions) {
          session->drain();
        }
      });
    }
  });
  control.run();

  std::unique_lock lock(finished_mutex);
  const bool drained =
      finished_changed.wait_for(lock, config.shutdown_grace, [&] { return finished == threads.size(); });
  lock.unlock();
  if (!drained) {
    LogLine(spdlog::level::warn, "grace period over; closing open connections")
        .field("open", static_cast<std::int64_t>(shared.metrics.open_connections()))
        .emit();
    for (auto& io_thread : threads) {
      io_thread->io.stop();
    }
  }
  for (auto& io_thread : threads) {
    io_thread->thread.join();
  }
  LogLine(spdlog::level::info, "stopped").emit();
  return 0;
}

}  // namespace windowguard::server

#include "server/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <condition_variable>
#include <thread>

#include "core/schedule/time_text.hpp"
#include "logging/log.hpp"
#include "server/listener.hpp"
#include "server/session.hpp"
#include "server/tls_context.hpp"
#include "server/watcher.hpp"

namespace windowguard::server {
namespace {

namespace asio = boost::asio;

// Evictions come in bursts (a node drain); each read is one short GET.
constexpr std::size_t kReviewReaders = 2;
constexpr std::size_t kReadsWaiting = 256;

// One I/O thread: its io_context, its acceptor and its cached views.
struct IoThread {
  explicit IoThread(SharedState& shared) : state(shared) {}
  // Declared before the io_context: handlers (and the sessions they own)
  // are destroyed with the io_context and still reach the thread's state.
  ThreadState state;
  asio::io_context io{1};
  std::shared_ptr<Listener> listener;
  std::shared_ptr<Listener> pages_listener;  // --ui-listen; null without it
  std::thread thread;

  void start() {
    listener->start();
    if (pages_listener) {
      pages_listener->start();
    }
  }
  void stop_listening() {
    listener->stop();
    if (pages_listener) {
      pages_listener->stop();
    }
  }
};

// "host:port" as logged.
std::string address_text(const asio::ip::tcp::endpoint& endpoint) {
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

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

// What `serve` reads from the cluster: a view of windowguard's objects and
// the Namespaces, and what single reviews need read (an evicted Pod, a
// promotion's source workloads).
struct ClusterAccess {
  std::unique_ptr<cluster::ClusterView> view;
  std::unique_ptr<cluster::ReviewReader> reader;

  void stop() const {
    if (reader) {
      reader->stop();
    }
    if (view) {
      view->stop();
    }
  }
};

// The cluster access `config` asks for, publishing into `shared`; none when
// it asks for none, or (logged) when its credentials cannot be had.
Result<ClusterAccess> start_cluster_access(const ServerConfig& config, SharedState& shared) {
  if (!config.in_cluster && config.kubeconfig.empty()) {
    return ClusterAccess{};
  }
  Result<cluster::Credentials> credentials = config.in_cluster
                                                 ? cluster::in_cluster_credentials(config.service_account_directory)
                                                 : cluster::kubeconfig_credentials(config.kubeconfig);
  if (!credentials) {
    return credentials.error();
  }
  ClusterAccess access;
  access.reader = std::make_unique<cluster::ReviewReader>(credentials.value(), kReviewReaders, kReadsWaiting);
  access.view = std::make_unique<cluster::ClusterView>(
      std::move(credentials).value(),
      cluster::ClusterView::Outlets{
          [&shared](std::shared_ptr<const core::ExceptionBook> book) { shared.exceptions.publish(std::move(book)); },
          [&shared](std::shared_ptr<const core::NamespaceLabels> labels) {
            shared.namespace_labels.publish(std::move(labels));
          },
          [&shared] { return shared.policy.current(); },
          [&shared](std::shared_ptr<const core::ImageApprovalBook> book) {
            shared.image_approvals.publish(std::move(book));
          }});
  shared.exceptions.publish(std::make_shared<const core::ExceptionBook>());
  shared.namespace_labels.publish(std::make_shared<const core::NamespaceLabels>());
  shared.image_approvals.publish(std::make_shared<const core::ImageApprovalBook>());
  access.view->start();
  access.reader->start();
  return access;
}

}  // namespace

int serve(const ServerConfig& config) {
  SharedState shared(config);
  Watcher watcher(shared);
  if (!watcher.load_tls_at_start()) {
    return 1;
  }
  watcher.load_policy_at_start();
  auto cluster_access = start_cluster_access(config, shared);
  if (!cluster_access) {
    logging::LogLine(spdlog::level::err, "no cluster access").field("error", cluster_access.error().message).emit();
    return 1;
  }
  shared.cluster = cluster_access->view.get();
  shared.reader = cluster_access->reader.get();
  Renderer renderer(shared.metrics);
  shared.renderer = &renderer;

  const unsigned thread_count =
      config.threads != 0 ? config.threads : std::max(1U, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<IoThread>> threads;
  boost::system::error_code bad_address;
  const asio::ip::address address = asio::ip::make_address(config.listen_host, bad_address);
  if (bad_address) {
    logging::LogLine(spdlog::level::err, "invalid listen address").field("host", config.listen_host).emit();
    return 1;
  }
  asio::ip::tcp::endpoint endpoint(address, config.listen_port);
  const asio::ip::address pages_address =
      asio::ip::make_address(config.ui_listen_port != 0 ? config.ui_listen_host : config.listen_host, bad_address);
  if (bad_address) {
    logging::LogLine(spdlog::level::err, "invalid listen address").field("host", config.ui_listen_host).emit();
    return 1;
  }
  asio::ip::tcp::endpoint pages_endpoint(pages_address, config.ui_listen_port);
  try {
    for (unsigned i = 0; i < thread_count; ++i) {
      auto io_thread = std::make_unique<IoThread>(shared);
      io_thread->listener = std::make_shared<Listener>(io_thread->io, endpoint, io_thread->state);
      endpoint.port(io_thread->listener->port());  // port 0: the others join the first one's port
      if (config.ui_listen_port != 0) {
        io_thread->pages_listener = std::make_shared<Listener>(io_thread->io, pages_endpoint, io_thread->state, true);
        pages_endpoint.port(io_thread->pages_listener->port());
      }
      threads.push_back(std::move(io_thread));
    }
  } catch (const boost::system::system_error& problem) {
    logging::LogLine(spdlog::level::err, "cannot listen")
        .field("address", config.listen_host + ":" + std::to_string(config.listen_port))
        .field("error", problem.code().message())
        .emit();
    return 1;
  }

  std::mutex finished_mutex;
  std::condition_variable finished_changed;
  std::size_t finished = 0;
  for (auto& io_thread : threads) {
    io_thread->start();
    io_thread->thread = std::thread([&, raw = io_thread.get()] {
      raw->io.run();  // returns once the listener is closed and every session has ended
      const std::lock_guard lock(finished_mutex);
      ++finished;
      finished_changed.notify_all();
    });
  }
  logging::LogLine(spdlog::level::info, "listening")
      .field("address", address_text(endpoint))
      .field("port", static_cast<std::int64_t>(endpoint.port()))
      .field("threads", static_cast<std::int64_t>(thread_count))
      .emit();
  if (config.ui_listen_port != 0) {
    logging::LogLine(spdlog::level::info, "listening for the page and the feed only")
        .field("address", address_text(pages_endpoint))
        .emit();
  }

  asio::io_context control{1};
  asio::steady_timer polls(control);
  schedule_polls(polls, watcher, config.reload_interval);
  asio::signal_set signals(control, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int signal) {
    shared.draining.store(true);  // before the line: whoever reads it may rely on the drain having begun
    logging::LogLine(spdlog::level::info, "shutting down").field("signal", static_cast<std::int64_t>(signal)).emit();
    polls.cancel();
    for (auto& io_thread : threads) {
      asio::post(io_thread->io, [raw = io_thread.get()] {
        raw->stop_listening();
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
    logging::LogLine(spdlog::level::warn, "grace period over; closing open connections")
        .field("open", static_cast<std::int64_t>(shared.metrics.open_connections()))
        .emit();
    for (auto& io_thread : threads) {
      io_thread->io.stop();
    }
  }
  for (auto& io_thread : threads) {
    io_thread->thread.join();
  }
  // Before the I/O threads' io_contexts go: a review's read or a scrape may
  // still post its answer to one.
  renderer.stop();
  cluster_access->stop();
  logging::LogLine(spdlog::level::info, "stopped").emit();
  return 0;
}

}  // namespace windowguard::server

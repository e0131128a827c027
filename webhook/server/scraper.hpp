#pragma once
// Renders /metrics on a thread of its own, so that a scrape (about 9 ms of
// CPU for 10,000 windows) never holds up the reviews queued on an I/O
// thread.  The gauges that move with time (exceptions in force, next
// activations, the cluster view's age) are computed at each scrape.
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/thread_pool.hpp>

#include "cluster/cluster_view.hpp"
#include "core/policy.hpp"
#include "server/metrics.hpp"

namespace windowguard::server {

// What one scrape reads; the pointers keep what they point to alive.
struct ScrapeInputs {
  std::shared_ptr<const core::Policy> policy;             // null before a valid policy
  std::shared_ptr<const core::ExceptionBook> exceptions;  // null without cluster access
  const cluster::ClusterView* cluster = nullptr;          // null without cluster access; outlives the scraper's work
  core::Instant now;
};

class Scraper {
 public:
  // Starts the scraper's thread at the lowest priority (nice 19): where it
  // shares a core with an I/O thread, the reviews come first.
  explicit Scraper(const Metrics& metrics);
  ~Scraper() { stop(); }
  Scraper(const Scraper&) = delete;
  Scraper& operator=(const Scraper&) = delete;

  // Renders the exposition on the scraper's thread and hands it to `done`
  // there.
  void render(ScrapeInputs inputs, std::function<void(std::string)> done);
  // Waits for every scrape asked for to be rendered.
  void stop();

 private:
  const Metrics& metrics_;
  boost::asio::thread_pool thread_{1};
};

}  // namespace windowguard::server

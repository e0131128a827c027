#pragma once
// Renders /metrics and the pages (/ui, /calendar.ics) on a thread of its
// own, so that a scrape (about 9 ms of CPU for 10,000 windows) or a page
// never holds up the reviews queued on an I/O thread.  What moves with time
// (exceptions in force, next activations, the cluster view's age, the line at
// now) is computed at each request.
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/thread_pool.hpp>

#include "cluster/cluster_view.hpp"
#include "core/policy.hpp"
#include "report/page.hpp"
#include "server/metrics.hpp"

namespace windowguard::server {

// What one scrape reads; the pointers keep what they point to alive.
struct ScrapeInputs {
  std::shared_ptr<const core::Policy> policy;             // null before a valid policy
  std::shared_ptr<const core::ExceptionBook> exceptions;  // null without cluster access
  const cluster::ClusterView* cluster = nullptr;          // null without cluster access; outlives the renderer's work
  core::Instant now;
};

// What one page reads; the pointers keep what they point to alive.
struct PageInputs {
  report::PageRequest request;
  std::shared_ptr<const core::Policy> policy;             // never null
  std::shared_ptr<const core::ExceptionBook> exceptions;  // these three: null without cluster access
  std::shared_ptr<const core::ImageApprovalBook> approvals;
  std::shared_ptr<const core::NamespaceLabels> namespaces;
};

class Renderer {
 public:
  // Starts the renderer's thread at the lowest priority (nice 19): where it
  // shares a core with an I/O thread, the reviews come first.
  explicit Renderer(const Metrics& metrics);
  ~Renderer() { stop(); }
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // Renders the exposition, or the page, on the renderer's thread and hands
  // it to `done` there.
  void scrape(ScrapeInputs inputs, std::function<void(std::string)> done);
  void page(PageInputs inputs, std::function<void(std::string)> done);
  // Waits for everything asked for to be rendered.
  void stop();

 private:
  const Metrics& metrics_;
  boost::asio::thread_pool thread_{1};
};

}  // namespace windowguard::server

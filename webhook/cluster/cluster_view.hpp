#pragma once
// What `serve` reads from the cluster: the WindowExceptions and the
// Namespaces' labels, each through a reflector on a thread of its own,
// published as an immutable core::ExceptionBook and core::NamespaceLabels for
// the I/O threads (which only compare a version on
// the request path, as for the policy).  When the watch breaks the last view
// stays; the decision's clock still ends every exception at its until.
//
// A second thread keeps each object's status.approved ("1/2") and
// status.state ("in force") as the policy in force sees them, for kubectl's
// columns; windowguard's own identity may write those two fields only.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/api_client.hpp"
#include "cluster/credentials.hpp"
#include "cluster/reflector.hpp"
#include "core/namespace_labels.hpp"
#include "core/policy.hpp"
#include "core/window_exception.hpp"

namespace windowguard::cluster {

struct ClusterViewStatus {
  ReflectorStatus exceptions;
  ReflectorStatus namespaces;
  std::size_t undecodable = 0;  // objects in the last view that could not be read
};

class ClusterView {
 public:
  // Where the view goes, and where the policy in force comes from.
  struct Outlets {
    std::function<void(std::shared_ptr<const core::ExceptionBook>)> exceptions;
    std::function<void(std::shared_ptr<const core::NamespaceLabels>)> namespaces;
    std::function<std::shared_ptr<const core::Policy>()> policy;
  };

  ClusterView(Credentials credentials, Outlets outlets);
  ~ClusterView();  // stops and joins
  ClusterView(const ClusterView&) = delete;
  ClusterView& operator=(const ClusterView&) = delete;

  void start();
  void stop();

  // Why the view is not ready ("" once every resource has been listed).
  std::string not_ready_reason() const;
  ClusterViewStatus status() const;
  // Who windowguard is to the API server (asked with a SelfSubjectReview);
  // empty until known.
  std::string identity() const;

 private:
  // An object's status as shown, beside what it is.
  struct Shown {
    core::WindowException exception;
    std::string approved;
    std::string state;
  };

  void on_exceptions(const Reflector::Objects& objects);
  void on_namespaces(const Reflector::Objects& objects);
  void keep_statuses();
  bool learn_identity();
  void write_status(const Shown& shown, const std::string& approved, const std::string& state);
  bool wait(std::chrono::milliseconds duration);

  ApiClient client_;
  Outlets outlets_;
  Reflector exceptions_;
  Reflector namespaces_;
  std::atomic<std::size_t> undecodable_{0};
  Interrupter writer_interrupter_;
  mutable std::mutex mutex_;
  std::condition_variable stop_changed_;
  bool stopping_ = false;
  // The last view, for the status writer: shared, not copied, every round.
  std::shared_ptr<const std::vector<Shown>> shown_ = std::make_shared<const std::vector<Shown>>();
  std::string identity_;
  std::thread exceptions_thread_;
  std::thread namespaces_thread_;
  std::thread writer_;
};

}  // namespace windowguard::cluster

#pragma once
// What `serve` reads from the cluster: the WindowExceptions, the
// ImageApprovals and the Namespaces' labels, each through a reflector on a
// thread of its own, published as an immutable core::ExceptionBook,
// core::ImageApprovalBook and core::NamespaceLabels for
// the I/O threads (which only compare a version on
// the request path, as for the policy).  When the watch breaks the last view
// stays; the decision's clock still ends every exception at its until.
//
// A second thread keeps each object's status.approved ("1/2"),
// status.state ("in force", "approved") and status.approvers (who may
// approve it, in words) as the policy in force sees them, for kubectl's
// columns and the CLI; windowguard's own identity alone writes them.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "cluster/api_client.hpp"
#include "cluster/credentials.hpp"
#include "cluster/reflector.hpp"
#include "core/exceptions/window_exception.hpp"
#include "core/namespace_labels.hpp"
#include "core/policy.hpp"
#include "objects/codec.hpp"

namespace windowguard::cluster {

struct ClusterViewStatus {
  ReflectorStatus exceptions;
  ReflectorStatus namespaces;
  ReflectorStatus image_approvals;
  // Objects in the last view that could not be read, by kind.
  std::size_t undecodable_exceptions = 0;
  std::size_t undecodable_image_approvals = 0;
};

class ClusterView {
 public:
  // Where the view goes, and where the policy in force comes from.
  struct Outlets {
    std::function<void(std::shared_ptr<const core::ExceptionBook>)> exceptions;
    std::function<void(std::shared_ptr<const core::NamespaceLabels>)> namespaces;
    std::function<std::shared_ptr<const core::Policy>()> policy;
    std::function<void(std::shared_ptr<const core::ImageApprovalBook>)> image_approvals;
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
    std::string status_path;  // its status subresource
    std::string label;        // "namespace/name"
    std::variant<core::WindowException, core::ImageApproval> object;
    objects::ShownStatus status;
  };
  using ShownList = std::shared_ptr<const std::vector<Shown>>;

  // The book of one kind's objects, decoded by `decode` (those it cannot
  // decode are logged, counted in `undecodable`, and left out); what each
  // shows is kept in `shown` for the status writer.
  template <typename Object, typename Decode>
  std::shared_ptr<const core::NamespacedBook<Object>> book_of(const Reflector::Objects& objects, std::string_view kind,
                                                              std::string_view resource, Decode&& decode,
                                                              std::atomic<std::size_t>& undecodable, ShownList& shown);
  void on_namespaces(const Reflector::Objects& objects);
  static Shown shown_of(const std::string& key, std::string_view resource, const rapidjson::Value& json,
                        std::variant<core::WindowException, core::ImageApproval> object);
  void keep_statuses();
  bool learn_identity();
  void write_status(const Shown& shown, const objects::ShownStatus& status);
  bool wait(std::chrono::milliseconds duration);

  ApiClient client_;
  Outlets outlets_;
  Reflector exceptions_;
  Reflector namespaces_;
  Reflector image_approvals_;
  std::atomic<std::size_t> undecodable_exceptions_{0};
  std::atomic<std::size_t> undecodable_image_approvals_{0};
  Interrupter writer_interrupter_;
  mutable std::mutex mutex_;
  std::condition_variable stop_changed_;
  bool stopping_ = false;
  // The last view of each kind, for the status writer: shared, not copied, every round.
  ShownList shown_exceptions_ = std::make_shared<const std::vector<Shown>>();
  ShownList shown_image_approvals_ = std::make_shared<const std::vector<Shown>>();
  std::string identity_;
  std::thread exceptions_thread_;
  std::thread namespaces_thread_;
  std::thread image_approvals_thread_;
  std::thread writer_;
};

}  // namespace windowguard::cluster

#pragma once
// What the server's threads share, and what each I/O thread keeps for itself.
#include <atomic>
#include <memory>
#include <string>
#include <unordered_set>

#include <boost/asio/ssl/context.hpp>

#include "cluster/cluster_view.hpp"
#include "cluster/review_reader.hpp"
#include "core/decision_memo.hpp"
#include "core/policy.hpp"
#include "server/metrics.hpp"
#include "server/published.hpp"
#include "server/renderer.hpp"
#include "server/server_config.hpp"

namespace windowguard::server {

class Session;

struct SharedState {
  explicit SharedState(ServerConfig server_config) : config(std::move(server_config)) {}

  const ServerConfig config;
  Metrics metrics;
  Published<const core::Policy> policy;
  Published<boost::asio::ssl::context> tls;
  Published<const std::string> not_ready_reason;             // "" when ready
  Published<const core::ExceptionBook> exceptions;           // null without cluster access
  Published<const core::NamespaceLabels> namespace_labels;   // null without cluster access
  Published<const core::ImageApprovalBook> image_approvals;  // null without cluster access
  // Set before the I/O threads start; null without cluster access.
  const cluster::ClusterView* cluster = nullptr;
  cluster::ReviewReader* reader = nullptr;
  Renderer* renderer = nullptr;  // set before the I/O threads start
  std::atomic<bool> draining{false};
};

// Owned by one I/O thread and touched only from it.
struct ThreadState {
  explicit ThreadState(SharedState& state)
      : shared(state),
        policy(state.policy),
        tls(state.tls),
        not_ready_reason(state.not_ready_reason),
        exceptions(state.exceptions),
        namespace_labels(state.namespace_labels),
        image_approvals(state.image_approvals) {}

  SharedState& shared;
  Published<const core::Policy>::Reader policy;
  Published<boost::asio::ssl::context>::Reader tls;
  Published<const std::string>::Reader not_ready_reason;
  Published<const core::ExceptionBook>::Reader exceptions;
  Published<const core::NamespaceLabels>::Reader namespace_labels;
  Published<const core::ImageApprovalBook>::Reader image_approvals;
  // Valid for the policy `policy` holds, which keeps it alive.
  core::DecisionMemo memo;
  std::unordered_set<Session*> sessions;
};

}  // namespace windowguard::server

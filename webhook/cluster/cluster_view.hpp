#pragma once
// What `serve` reads from the cluster: the WindowExceptions, through a
// reflector on a thread of its own, published as an immutable
// core::ExceptionBook for the I/O threads (which only compare a version on
// the request path, as for the policy).  When the watch breaks the last view
// stays; the decision's clock still ends every exception at its until.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "cluster/api_client.hpp"
#include "cluster/credentials.hpp"
#include "cluster/reflector.hpp"
#include "core/window_exception.hpp"

namespace windowguard::cluster {

struct ClusterViewStatus {
  ReflectorStatus exceptions;
  std::size_t undecodable = 0;  // objects in the last view that could not be read
};

class ClusterView {
 public:
  using Publish = std::function<void(std::shared_ptr<const core::ExceptionBook>)>;

  ClusterView(Credentials credentials, Reflector::Options exceptions, Publish publish);
  ~ClusterView();  // stops and joins
  ClusterView(const ClusterView&) = delete;
  ClusterView& operator=(const ClusterView&) = delete;

  void start();
  void stop();

  // Why the view is not ready ("" once every resource has been listed).
  std::string not_ready_reason() const;
  ClusterViewStatus status() const;

  static Reflector::Options exception_watch();

 private:
  void on_exceptions(const Reflector::Objects& objects);

  ApiClient client_;
  Reflector exceptions_;
  Publish publish_;
  std::atomic<std::size_t> undecodable_{0};
  std::thread thread_;
};

}  // namespace windowguard::cluster

#pragma once
// HTTPS requests to the API server, on the Beast/OpenSSL stack the webhook
// serves with: whole responses (lists) and streamed ones (watches), one
// connection each.  Blocking, for one thread per watch; another thread stops
// a request at any moment through its Interrupter (shutdown(2) on the
// socket), which is also how a silent connection is given up.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "cluster/credentials.hpp"
#include "core/result.hpp"

namespace windowguard::cluster {

// Lets one thread end another's request at any moment: the request's
// pending operation is cancelled, and every later one fails at once.
class Interrupter {
 public:
  void interrupt();
  bool interrupted() const;

  // For ApiClient: how to cancel the operation in progress; detach() before
  // what `cancel` refers to goes.
  void attach(std::function<void()> cancel);
  void detach();

 private:
  mutable std::mutex mutex_;
  bool interrupted_ = false;
  std::function<void()> cancel_;
};

struct ApiRequest {
  enum class Method { Get, Post, Patch };
  Method method = Method::Get;
  std::string target;  // "/api/v1/namespaces?limit=500"
  std::string body;    // Post, Patch: JSON
  std::string content_type = "application/json";
};

struct ApiResponse {
  unsigned status = 0;
  std::string body;
};

// Where a streamed response goes.
struct StreamHandlers {
  std::function<void()> on_open;                  // once, when a 200 response's header has come
  std::function<bool(std::string_view)> on_line;  // each line; false ends the stream
  std::function<void()> after_lines;              // once the lines of one read are handed on (a burst
                                                  // of events comes in few reads)
};

class ApiClient {
 public:
  // A connection that receives nothing for `silence` is given up; a watch
  // asks the server to end it well before.
  ApiClient(Credentials credentials, std::chrono::seconds silence);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // Why the credentials make no TLS client (a CA or client certificate that
  // is not PEM, ...); empty when they do.
  const std::string& setup_problem() const;

  // The whole response; a body bigger than `body_limit` is an error.
  Result<ApiResponse> send(const ApiRequest& request, Interrupter& interrupter, std::size_t body_limit);

  // GET `target` and hand each line of a 200 response's body on as it
  // arrives, until the server ends it, `on_line` returns false, or an
  // interruption.  Another status comes back with its body, unstreamed.
  Result<ApiResponse> stream(const std::string& target, Interrupter& interrupter, const StreamHandlers& handlers);

 private:
  struct Tls;
  Credentials credentials_;
  std::chrono::seconds silence_;
  std::unique_ptr<Tls> tls_;
};

}  // namespace windowguard::cluster

#pragma once
// Debian's Chromium, headless, driven through its DevTools protocol over a
// pipe (--remote-debugging-pipe: JSON messages ended by NUL on descriptors 3
// and 4).  Chromium prints nothing for --dump-dom or --screenshot once
// scripts are off, so pages are loaded, read and photographed through the
// protocol, with scripts disabled by Emulation.setScriptExecutionDisabled.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "support/child_process.hpp"

namespace windowguard::testing {

struct PageVisit {
  std::string dom;                     // the document as Chromium serializes it after the load event
  std::vector<std::string> requested;  // the URL of every request the page made, the page's own first
  std::string screenshot_png;          // the viewport, as PNG bytes
};

class HeadlessChromium {
 public:
  // Chromium's path, when it is installed.
  static std::optional<std::string> installed();

  // Starts Chromium trusting the test server's certificate in `pem_file`
  // (by the hash of its public key, --ignore-certificate-errors-spki-list,
  // which Chromium checks against the serving certificate), with background
  // networking off, in a profile of its own that is removed with it.
  explicit HeadlessChromium(const std::string& pem_file);
  ~HeadlessChromium();
  HeadlessChromium(const HeadlessChromium&) = delete;
  HeadlessChromium& operator=(const HeadlessChromium&) = delete;

  // Loads `url` in a new tab of the given viewport with scripts disabled,
  // and waits (bounded) for its load event.  Throws std::runtime_error when
  // the page cannot be loaded or Chromium does not answer.
  PageVisit visit(const std::string& url, int width, int height);

 private:
  // Sends a command (to a tab's session when `session` is not empty) and
  // waits for its answer, keeping the events that arrive meanwhile.
  rapidjson::Document call(const std::string& method, const std::string& params_json, const std::string& session = "");
  // Waits for an event of the session.
  void wait_for_event(const std::string& method, const std::string& session);
  rapidjson::Document next_message(std::chrono::steady_clock::time_point deadline);

  std::string profile_;
  int to_browser_ = -1;
  int from_browser_ = -1;
  std::unique_ptr<ChildProcess> process_;
  std::string received_;  // bytes read but not yet a whole message
  int next_id_ = 1;
  std::vector<rapidjson::Document> events_;
};

}  // namespace windowguard::testing

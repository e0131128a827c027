#include "support/headless_chromium.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace windowguard::testing {
namespace {

constexpr std::chrono::seconds kAnswerWithin{30};

std::string base64(const unsigned char* data, std::size_t size) {
  std::string text(4 * ((size + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), data, static_cast<int>(size));
  text.resize(static_cast<std::size_t>(written));
  return text;
}

std::string unbase64(const std::string& text) {
  std::string bytes(3 * text.size() / 4 + 3, '\0');
  const int written =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (written < 0) {
    throw std::runtime_error("the screenshot is not base64");
  }
  const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  bytes.resize(static_cast<std::size_t>(written) - padding);
  return bytes;
}

// The base64 SHA-256 of the certificate's public key, as Chromium's
// --ignore-certificate-errors-spki-list takes it.
std::string spki_hash(const std::string& pem_file) {
  FILE* file = std::fopen(pem_file.c_str(), "r");
  if (file == nullptr) {
    throw std::runtime_error("cannot read " + pem_file);
  }
  X509* certificate = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  if (certificate == nullptr) {
    throw std::runtime_error(pem_file + " holds no certificate");
  }
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(X509_get0_pubkey(certificate), &der);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  EVP_Digest(der, static_cast<std::size_t>(size), digest.data(), &digest_size, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  X509_free(certificate);
  return base64(digest.data(), digest_size);
}

std::string quoted(const std::string& text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
  return buffer.GetString();
}

std::string string_member(const rapidjson::Value& value, const char* name) {
  const auto member = value.FindMember(name);
  return member != value.MemberEnd() && member->value.IsString() ? member->value.GetString() : "";
}

}  // namespace

std::optional<std::string> HeadlessChromium::installed() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (access(path, X_OK) == 0) {
      return std::string(path);
    }
  }
  return std::nullopt;
}

HeadlessChromium::HeadlessChromium(const std::string& pem_file) {
  const std::optional<std::string> binary = installed();
  if (!binary) {
    throw std::runtime_error("Chromium is not installed");
  }
  std::string profile_template = (std::filesystem::temp_directory_path() / "windowguard-chromium-XXXXXX").string();
  if (mkdtemp(profile_template.data()) == nullptr) {
    throw std::runtime_error("cannot make a profile directory");
  }
  profile_ = profile_template;
  std::array<int, 2> commands{};  // we write, Chromium reads on its descriptor 3
  std::array<int, 2> answers{};   // Chromium writes on its descriptor 4
  if (pipe2(commands.data(), O_CLOEXEC) != 0 || pipe2(answers.data(), O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> argv{
      *binary,
      "--headless",
      "--remote-debugging-pipe",
      "--user-data-dir=" + profile_,
      "--ignore-certificate-errors-spki-list=" + spki_hash(pem_file),
      "--disable-gpu",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-default-apps",
      "--disable-extensions",
      "--disable-sync",
      "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
      "--hide-scrollbars",
      "--mute-audio"};
  if (geteuid() == 0) {
    argv.emplace_back("--no-sandbox");  // Chromium refuses to run as root with its sandbox
  }
  argv.emplace_back("about:blank");
  const int null_input = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int null_output = open("/dev/null", O_WRONLY | O_CLOEXEC);
  process_ = std::make_unique<ChildProcess>(argv, null_input, null_output, null_output,
                                            std::vector<int>{commands[0], answers[1]});
  close(null_input);
  close(null_output);
  close(commands[0]);
  close(answers[1]);
  to_browser_ = commands[1];
  from_browser_ = answers[0];
}

HeadlessChromium::~HeadlessChromium() {
  close(to_browser_);  // Chromium exits when its pipe closes
  if (process_ && process_->wait_for_exit(std::chrono::seconds(5)) == -1) {
    process_->stop(std::chrono::seconds(2));
  }
  close(from_browser_);
  std::error_code ignored;
  std::filesystem::remove_all(profile_, ignored);
}

rapidjson::Document HeadlessChromium::next_message(std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    if (const std::size_t end = received_.find('\0'); end != std::string::npos) {
      rapidjson::Document message;
      message.Parse(received_.data(), end);
      received_.erase(0, end + 1);
      if (message.HasParseError() || !message.IsObject()) {
        throw std::runtime_error("Chromium sent a message that is not a JSON object");
      }
      return message;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd readable{from_browser_, POLLIN, 0};
    if (left.count() <= 0 || poll(&readable, 1, static_cast<int>(left.count())) <= 0) {
      throw std::runtime_error("Chromium did not answer in time");
    }
    std::array<char, 65536> buffer{};
    const ssize_t size = read(from_browser_, buffer.data(), buffer.size());
    if (size <= 0) {
      throw std::runtime_error("Chromium closed its pipe");
    }
    received_.append(buffer.data(), static_cast<std::size_t>(size));
  }
}

rapidjson::Document HeadlessChromium::call(const std::string& method, const std::string& params_json,
                                           const std::string& session) {
  const int id = next_id_++;
  std::string message = "{\"id\":" + std::to_string(id) + ",\"method\":" + quoted(method) +
                        ",\"params\":" + params_json + (session.empty() ? "" : ",\"sessionId\":" + quoted(session)) +
                        "}";
  message.push_back('\0');
  for (std::size_t written = 0; written < message.size();) {
    const ssize_t size = write(to_browser_, message.data() + written, message.size() - written);
    if (size <= 0) {
      throw std::runtime_error("cannot write to Chromium");
    }
    written += static_cast<std::size_t>(size);
  }
  const auto deadline = std::chrono::steady_clock::now() + kAnswerWithin;
  for (;;) {
    rapidjson::Document answer = next_message(deadline);
    if (!answer.HasMember("id")) {
      events_.push_back(std::move(answer));
      continue;
    }
    if (answer["id"].GetInt() != id) {
      continue;
    }
    if (answer.HasMember("error")) {
      throw std::runtime_error(method + " failed: " + string_member(answer["error"], "message"));
    }
    return answer;
  }
}

void HeadlessChromium::wait_for_event(const std::string& method, const std::string& session) {
  const auto matches = [&](const rapidjson::Document& event) {
    return string_member(event, "method") == method && string_member(event, "sessionId") == session;
  };
  for (const rapidjson::Document& event : events_) {
    if (matches(event)) {
      return;
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + kAnswerWithin;
  for (;;) {
    events_.push_back(next_message(deadline));
    if (matches(events_.back())) {
      return;
    }
  }
}

PageVisit HeadlessChromium::visit(const std::string& url, int width, int height) {
  events_.clear();
  const rapidjson::Document target = call("Target.createTarget", "{\"url\":\"about:blank\"}");
  const std::string target_id = target["result"]["targetId"].GetString();
  const rapidjson::Document attached =
      call("Target.attachToTarget", "{\"targetId\":" + quoted(target_id) + ",\"flatten\":true}");
  const std::string session = attached["result"]["sessionId"].GetString();
  call("Emulation.setScriptExecutionDisabled", "{\"value\":true}", session);
  call("Emulation.setDeviceMetricsOverride",
       "{\"width\":" + std::to_string(width) + ",\"height\":" + std::to_string(height) +
           ",\"deviceScaleFactor\":1,\"mobile\":" + (width < 600 ? "true" : "false") + "}",
       session);
  call("Network.enable", "{}", session);
  call("Page.enable", "{}", session);
  const rapidjson::Document navigated = call("Page.navigate", "{\"url\":" + quoted(url) + "}", session);
  if (const std::string problem = string_member(navigated["result"], "errorText"); !problem.empty()) {
    throw std::runtime_error("cannot load " + url + ": " + problem);
  }
  wait_for_event("Page.loadEventFired", session);
  PageVisit visit;
  const rapidjson::Document document = call("DOM.getDocument", "{\"depth\":0}", session);
  const int root = document["result"]["root"]["nodeId"].GetInt();
  visit.dom =
      call("DOM.getOuterHTML", "{\"nodeId\":" + std::to_string(root) + "}", session)["result"]["outerHTML"].GetString();
  visit.screenshot_png =
      unbase64(call("Page.captureScreenshot", "{\"format\":\"png\"}", session)["result"]["data"].GetString());
  for (const rapidjson::Document& event : events_) {
    if (string_member(event, "method") == "Network.requestWillBeSent" && string_member(event, "sessionId") == session) {
      visit.requested.push_back(string_member(event["params"]["request"], "url"));
    }
  }
  call("Target.closeTarget", "{\"targetId\":" + quoted(target_id) + "}");
  return visit;
}

}  // namespace windowguard::testing

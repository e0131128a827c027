#include "server/watcher.hpp"

#include <malloc.h>

#include <chrono>

#include "core/schedule/time_text.hpp"
#include "logging/log.hpp"
#include "policy/file_fingerprint.hpp"
#include "policy/policy_directory.hpp"
#include "server/tls_context.hpp"

namespace windowguard::server {
namespace {

core::Instant now() { return date::floor<core::seconds>(std::chrono::system_clock::now()); }

}  // namespace

bool Watcher::load_tls_at_start() {
  tls_fingerprint_ = policy::fingerprint_files(tls_paths());
  return reload_tls();
}

void Watcher::load_policy_at_start() {
  policy_fingerprint_ = policy::fingerprint_policy_directory(shared_.config.policies);
  reload_policy();
}

void Watcher::poll() {
  if (std::string fingerprint = policy::fingerprint_files(tls_paths()); fingerprint != tls_fingerprint_) {
    tls_fingerprint_ = std::move(fingerprint);
    reload_tls();
  }
  if (std::string fingerprint = policy::fingerprint_policy_directory(shared_.config.policies);
      fingerprint != policy_fingerprint_) {
    policy_fingerprint_ = std::move(fingerprint);
    logging::LogLine(spdlog::level::info, "policy changed; loading").field("directory", shared_.config.policies).emit();
    if (!reload_policy() && policy::fingerprint_policy_directory(shared_.config.policies) != policy_fingerprint_) {
      policy_fingerprint_.clear();  // it changed while being read: read it again next time
    }
  }
}

std::vector<std::string> Watcher::tls_paths() const {
  std::vector<std::string> paths{shared_.config.tls_cert, shared_.config.tls_key};
  if (!shared_.config.client_ca.empty()) {
    paths.push_back(shared_.config.client_ca);
  }
  return paths;
}

bool Watcher::reload_tls() {
  auto loaded = load_tls({shared_.config.tls_cert, shared_.config.tls_key, shared_.config.client_ca});
  if (!loaded) {
    shared_.metrics.count_certificate_reload(false);
    logging::LogLine(spdlog::level::err, "certificate rejected; the previous one stays in use")
        .field("error", loaded.error().message)
        .emit();
    return false;
  }
  LoadedTls& tls = *loaded;
  shared_.tls.publish(std::move(tls.context));
  shared_.metrics.count_certificate_reload(true);
  shared_.metrics.set_certificate_expiry(tls.not_after);
  logging::LogLine(spdlog::level::info, "certificate loaded")
      .field("certificate", shared_.config.tls_cert)
      .field("notAfter", core::format_utc(tls.not_after))
      .emit();
  return true;
}

// Whether a valid policy was loaded and published.
bool Watcher::reload_policy() {
  std::shared_ptr<const core::Policy> loaded;
  {
    auto result = policy::load_policy_directory(shared_.config.policies);
    if (!result) {
      report_rejected_policy(result.error());
      return false;
    }
    loaded = std::move(result->policy);
  }
  // Parsing YAML leaves the heap far larger than the compiled policy; with
  // all but the policy freed (the rest of the load's result too), hand the
  // unused part back so that resident memory reflects what is in force.
  malloc_trim(0);
  const std::size_t windows = loaded->windows().size();
  const std::size_t bindings = loaded->bindings().size();
  shared_.policy.publish(std::move(loaded));
  shared_.not_ready_reason.publish(std::make_shared<const std::string>());
  shared_.metrics.count_policy_reload(true, now());
  logging::LogLine(spdlog::level::info, "policy loaded")
      .field("directory", shared_.config.policies)
      .field("windows", static_cast<std::int64_t>(windows))
      .field("bindings", static_cast<std::int64_t>(bindings))
      .emit();
  return true;
}

void Watcher::report_rejected_policy(const Problems& problems) {
  shared_.metrics.count_policy_reload(false, now());
  std::vector<std::string> errors;
  errors.reserve(problems.size());
  for (const Problem& problem : problems) {
    errors.push_back(problem.to_string());
  }
  const bool in_force = shared_.policy.current() != nullptr;
  logging::LogLine(spdlog::level::err,
                   in_force ? "policy rejected; the last good policy stays in force" : "policy rejected; not ready")
      .field("directory", shared_.config.policies)
      .field("errors", errors)
      .emit();
  if (!in_force) {
    shared_.not_ready_reason.publish(
        std::make_shared<const std::string>("no valid policy in " + shared_.config.policies + ": " + errors.front()));
  }
}

}  // namespace windowguard::server

#pragma once
// `windowguard check --manifest`: wraps Kubernetes manifests in the
// AdmissionReview the API server would send for them, so that `check` runs
// the webhook's own decoding, classification and decision.
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace windowguard::cli {

struct ManifestRequest {
  std::string manifest;                     // YAML or JSON text of the object
  std::optional<std::string> old_manifest;  // the object before an UPDATE
  std::optional<std::string> operation;     // CREATE, UPDATE or DELETE; default CREATE, or UPDATE with an old manifest
  std::optional<std::string> namespace_name;  // default: the manifest's, else "default"
  std::string username;
  std::vector<std::string> groups;
};

struct ManifestError {
  std::string message;
};

// The AdmissionReview JSON text, or why the manifests cannot make one.
std::variant<std::string, ManifestError> review_from_manifests(const ManifestRequest& request);

}  // namespace windowguard::cli

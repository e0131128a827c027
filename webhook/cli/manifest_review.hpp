#pragma once
// `windowguard check --manifest`: wraps Kubernetes manifests in the
// AdmissionReviews the API server would send for them, so that `check` runs
// the webhook's own decoding, classification and decision on each.
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace windowguard::cli {

struct ManifestRequest {
  // YAML or JSON: one object, several YAML documents, or List objects (what
  // `kubectl kustomize`, `helm template` and `kubectl get -o yaml` print).
  std::string manifest;
  std::optional<std::string> old_manifest;  // the object before an UPDATE (with a manifest of one object)
  std::optional<std::string> operation;     // CREATE, UPDATE or DELETE; default CREATE, or UPDATE with an old manifest
  std::optional<std::string> namespace_name;  // for objects that name none, as `kubectl apply -n`
  std::string username;
  std::vector<std::string> groups;
};

struct ManifestReviews {
  std::vector<std::string> reviews;  // AdmissionReview JSON, one per governed object, in the manifest's order
  // The objects of kinds windowguard does not govern ("v1 Service web"): the
  // API server never sends them to the webhook.
  std::vector<std::string> skipped;
};

// The reviews, or why the manifests cannot make them: a problem naming the
// object, or the option, at fault.
Result<ManifestReviews> reviews_from_manifests(const ManifestRequest& request);

}  // namespace windowguard::cli

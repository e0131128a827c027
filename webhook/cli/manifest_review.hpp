#pragma once
// `windowguard check --manifest`: wraps Kubernetes manifests in the
// AdmissionReviews the API server would send for them, so that `check` runs
// the webhook's own decoding, classification and decision on each.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/exceptions/window_exception.hpp"
#include "core/images/image_rules.hpp"
#include "core/namespace_labels.hpp"
#include "core/policy.hpp"
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
// `settings`: the kinds settings.workloads adds are governed too.
Result<ManifestReviews> reviews_from_manifests(const ManifestRequest& request, const core::Settings& settings);

// `check --objects`: the cluster as the webhook's view would hold it, from
// what `kubectl get windowexceptions,imageapprovals,namespaces -A -o yaml`
// prints.
struct ClusterObjects {
  std::shared_ptr<const core::ExceptionBook> exceptions;
  std::shared_ptr<const core::ImageApprovalBook> image_approvals;
  std::shared_ptr<const core::NamespaceLabels> namespaces;
  std::vector<std::string> ignored;  // objects of other kinds ("v1 Service web")
};

// The WindowExceptions, ImageApprovals and Namespaces of `text` (YAML or
// JSON, documents and Lists), or a problem naming the object that cannot be
// read.
Result<ClusterObjects> cluster_objects_from(const std::string& text);

}  // namespace windowguard::cli

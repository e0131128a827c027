#pragma once
// What windowguard governs (docs/admission.md, "Request -> action"): the
// kinds it knows and those `settings.workloads` adds, in one table that the
// classifier, the webhook configuration, `check --manifest` and the cluster
// readers all read.
#include <string>
#include <string_view>
#include <vector>

namespace windowguard::core {

struct Settings;

// How a kind's requests are classified.
enum class ResourceShape {
  Workload,   // a pod template and maybe a replica count: Deployment, a configured kind
  Pod,        // the object is the pod
  Job,        // created and deleted; its template cannot change
  CronJob,    // a job template, and `suspend`
  Namespace,  // deleting it deletes every workload in it
};

// Member names from the object's root: {"spec", "template"}.
using FieldPath = std::vector<std::string>;

struct GovernedResource {
  std::string group;  // "" for the core group
  std::string version;
  std::string resource;  // plural, lower case: "deployments"
  std::string kind;
  ResourceShape shape = ResourceShape::Workload;
  FieldPath template_path;  // the pod template; empty for a Pod and a Namespace
  FieldPath replicas_path;  // empty: no replica count (a DaemonSet, a Job)
  bool scale = false;       // has a scale subresource

  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  friend bool operator==(const GovernedResource&, const GovernedResource&) = default;
};

// Deployments (first: the shape the other workload kinds are compared
// with), StatefulSets, DaemonSets, ReplicaSets, Pods, Jobs, CronJobs and
// Namespaces.
const std::vector<GovernedResource>& builtin_governed_resources();

// The built-in kinds, then settings.workloads.
std::vector<const GovernedResource*> governed_resources(const Settings& settings);

// What a promotion's source is read from: the workload kinds (their pod
// templates name the images) and the Pods (they report the digests).
std::vector<const GovernedResource*> promotion_source_kinds(const Settings& settings);

// Null when the group's resource is not governed.
const GovernedResource* find_governed(const Settings& settings, std::string_view group, std::string_view resource);
// By apiVersion ("apps/v1") and kind, as a manifest names it.
const GovernedResource* find_governed_kind(const Settings& settings, std::string_view api_version,
                                           std::string_view kind);

// "spec.template"
std::string dotted(const FieldPath& path);

}  // namespace windowguard::core

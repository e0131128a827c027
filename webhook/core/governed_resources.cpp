#include "core/governed_resources.hpp"

#include <algorithm>

#include "core/policy.hpp"

namespace windowguard::core {
namespace {

template <typename Matches>
const GovernedResource* find_in(const Settings& settings, Matches matches) {
  const std::vector<GovernedResource>& builtin = builtin_governed_resources();
  const auto found = std::find_if(builtin.begin(), builtin.end(), matches);
  if (found != builtin.end()) {
    return &*found;
  }
  const auto configured = std::find_if(settings.workloads.begin(), settings.workloads.end(), matches);
  return configured != settings.workloads.end() ? &*configured : nullptr;
}

}  // namespace

const std::vector<GovernedResource>& builtin_governed_resources() {
  static const std::vector<GovernedResource> resources{
      {"apps",
       "v1",
       "deployments",
       "Deployment",
       ResourceShape::Workload,
       {"spec", "template"},
       {"spec", "replicas"},
       true},
      {"apps",
       "v1",
       "statefulsets",
       "StatefulSet",
       ResourceShape::Workload,
       {"spec", "template"},
       {"spec", "replicas"},
       true},
      {"apps", "v1", "daemonsets", "DaemonSet", ResourceShape::Workload, {"spec", "template"}, {}, false},
      {"apps",
       "v1",
       "replicasets",
       "ReplicaSet",
       ResourceShape::Workload,
       {"spec", "template"},
       {"spec", "replicas"},
       true},
      {"", "v1", "pods", "Pod", ResourceShape::Pod, {}, {}, false},
      {"batch", "v1", "jobs", "Job", ResourceShape::Job, {"spec", "template"}, {}, false},
      {"batch",
       "v1",
       "cronjobs",
       "CronJob",
       ResourceShape::CronJob,
       {"spec", "jobTemplate", "spec", "template"},
       {},
       false},
      {"", "v1", "namespaces", "Namespace", ResourceShape::Namespace, {}, {}, false},
  };
  return resources;
}

std::vector<const GovernedResource*> governed_resources(const Settings& settings) {
  std::vector<const GovernedResource*> all;
  for (const GovernedResource& resource : builtin_governed_resources()) {
    all.push_back(&resource);
  }
  for (const GovernedResource& resource : settings.workloads) {
    all.push_back(&resource);
  }
  return all;
}

std::vector<const GovernedResource*> promotion_source_kinds(const Settings& settings) {
  std::vector<const GovernedResource*> kinds = governed_resources(settings);
  std::erase_if(kinds, [](const GovernedResource* kind) {
    return kind->shape != ResourceShape::Workload && kind->shape != ResourceShape::Pod;
  });
  return kinds;
}

const GovernedResource* find_governed(const Settings& settings, std::string_view group, std::string_view resource) {
  return find_in(settings, [&](const GovernedResource& candidate) {
    return candidate.resource == resource && candidate.group == group;
  });
}

const GovernedResource* find_governed_kind(const Settings& settings, std::string_view api_version,
                                           std::string_view kind) {
  return find_in(settings, [&](const GovernedResource& candidate) {
    return candidate.kind == kind && candidate.api_version() == api_version;
  });
}

std::string dotted(const FieldPath& path) {
  std::string text;
  for (const std::string& name : path) {
    text += text.empty() ? "" : ".";
    text += name;
  }
  return text;
}

}  // namespace windowguard::core

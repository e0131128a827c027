#include "core/policy.hpp"

#include <algorithm>

#include "core/binding_index.hpp"
#include "core/exemption_index.hpp"
#include "core/identity.hpp"

namespace windowguard::core {

std::string_view window_type_name(WindowType type) { return type == WindowType::Blackout ? "blackout" : "maintenance"; }

const std::vector<std::string>& Settings::builtin_trusted_requesters() {
  static const std::vector<std::string> trusted = [] {
    std::vector<std::string> names{"system:kube-controller-manager", "system:kube-scheduler", "system:node:*"};
    for (const char* controller :
         {"deployment-controller", "replicaset-controller", "replication-controller", "statefulset-controller",
          "daemon-set-controller", "job-controller", "cronjob-controller", "ttl-after-finished-controller",
          "generic-garbage-collector", "namespace-controller", "horizontal-pod-autoscaler", "disruption-controller",
          "node-controller", "pod-garbage-collector", "cluster-autoscaler"}) {
      names.push_back(std::string("system:serviceaccount:kube-system:") + controller);
    }
    return names;
  }();
  return trusted;
}

std::vector<std::string> Settings::all_trusted_requesters() const {
  std::vector<std::string> all = builtin_trusted_requesters();
  for (const std::string& added : trusted_requesters) {
    if (std::find(all.begin(), all.end(), added) == all.end()) {
      all.push_back(added);
    }
  }
  return all;
}

Policy::Policy(std::vector<Window> windows, std::vector<Binding> bindings, Settings settings,
               std::vector<StaticException> static_exceptions, ImageRules image_rules)
    : identity_(next_identity()),
      windows_(std::move(windows)),
      settings_(std::move(settings)),
      static_exceptions_(std::move(static_exceptions)),
      image_rules_(std::move(image_rules)),
      binding_index_(std::make_unique<const BindingIndex>(std::move(bindings), settings_.cluster_name)),
      exemption_index_(std::make_unique<const ExemptionIndex>(windows_, settings_)) {
  window_by_name_.reserve(windows_.size());
  for (std::size_t i = 0; i < windows_.size(); ++i) {
    window_by_name_.emplace(windows_[i].name, i);
  }
}

Policy::Policy(Policy&&) noexcept = default;
Policy::~Policy() = default;

const std::vector<Binding>& Policy::bindings() const { return binding_index_->bindings(); }

std::optional<std::size_t> Policy::window_named(std::string_view name) const {
  const auto found = window_by_name_.find(name);
  return found == window_by_name_.end() ? std::nullopt : std::optional<std::size_t>(found->second);
}

bool Policy::selects_namespaces() const { return binding_index_->selects_namespaces(); }

std::vector<std::size_t> Policy::windows_for(const Subject& subject) const {
  return binding_index_->windows_for(subject);
}

}  // namespace windowguard::core

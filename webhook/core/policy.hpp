#pragma once
// The policy model, compiled once into an immutable, indexed form.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/action.hpp"
#include "core/exceptions/window_exception.hpp"
#include "core/governed_resources.hpp"
#include "core/images/image_rules.hpp"
#include "core/labels.hpp"
#include "core/schedule/schedule.hpp"

namespace windowguard::core {

enum class WindowType { Blackout, Maintenance };
std::string_view window_type_name(WindowType type);

using Exemptions = People;

struct Window {
  std::string name;
  std::string description;
  WindowType type = WindowType::Blackout;
  Schedule schedule;
  Exemptions exempt;
  ActionSet actions = ActionSet::all();
  std::string message;
  std::optional<ExceptionRule> exceptions;  // absent: no WindowException lifts this window
};

struct Binding {
  std::vector<std::size_t> windows;       // indices into Policy::windows()
  std::vector<std::string> environments;  // globs over the namespace (or "cluster/namespace")
  std::vector<std::string> applications;  // globs; empty means every application
  std::optional<LabelSelector> selector;
  // Namespaces whose labels it selects are environments of the binding too,
  // beside those `environments` names (read from the cluster's Namespaces).
  std::optional<LabelSelector> namespace_selector = std::nullopt;
};

struct UpcomingDays {
  int blackout = 90;
  int maintenance = 90;
};

struct Settings {
  std::vector<std::string> super_admin_groups{"system:masters"};
  std::vector<std::string> app_label_keys{"app.kubernetes.io/name", "app", "argocd.argoproj.io/instance"};
  // Added to builtin_trusted_requesters(), which a policy cannot drop.
  std::vector<std::string> trusted_requesters;
  std::vector<std::string> restart_annotations{"kubectl.kubernetes.io/restartedAt"};
  std::string cluster_name;  // empty: environments are bare namespaces
  UpcomingDays upcoming_days;
  int warn_before_minutes = 30;
  // Workload kinds governed as a Deployment is (Argo Rollouts, ...).
  std::vector<GovernedResource> workloads;

  // Kubernetes' own controllers, nodes and the cluster autoscaler: blocking
  // them would freeze a rollout half way or stop garbage collection.
  static const std::vector<std::string>& builtin_trusted_requesters();
  // The built-in base, then trusted_requesters.
  std::vector<std::string> all_trusted_requesters() const;
};

// What a request is about, as far as bindings are concerned.
struct Subject {
  std::string_view environment;  // the namespace
  std::string_view application;  // empty when the object has no app label
  Labels labels;
  // Every binding of the environment applies, whatever its applications and
  // selector (a Namespace DELETE, a Pod eviction).
  bool whole_environment = false;
  // The namespace's labels, for bindings with a namespaceSelector; empty
  // without cluster access.
  Labels namespace_labels = {};
};

class BindingIndex;
class ExemptionIndex;

class Policy {
 public:
  Policy(std::vector<Window> windows, std::vector<Binding> bindings, Settings settings,
         std::vector<StaticException> static_exceptions = {}, ImageRules image_rules = {});
  Policy(Policy&&) noexcept;
  ~Policy();

  const std::vector<Window>& windows() const { return windows_; }
  const std::vector<Binding>& bindings() const;
  const Settings& settings() const { return settings_; }
  const std::vector<StaticException>& static_exceptions() const { return static_exceptions_; }
  // `approvals:` and `imagePolicies:` (core/images/image_check.hpp).
  const ImageRules& image_rules() const { return image_rules_; }

  // Unique to this policy among the policies of the process (a reloaded
  // policy may reuse a freed one's address, never its identity): what memos
  // key on.
  std::uint64_t identity() const { return identity_; }

  // The index of the window of that name.
  std::optional<std::size_t> window_named(std::string_view name) const;

  // Indices of the windows bound to the subject, ascending and without
  // repeats (core/binding_index.hpp).
  std::vector<std::size_t> windows_for(const Subject& subject) const;
  // Whether some binding selects namespaces by their labels: only then do
  // decisions need them.
  bool selects_namespaces() const;

  // Trusted requesters, super admins and each window's exempt users and
  // groups (core/exemption_index.hpp).
  const ExemptionIndex& exemptions() const { return *exemption_index_; }

 private:
  std::uint64_t identity_;
  std::vector<Window> windows_;
  Settings settings_;
  std::vector<StaticException> static_exceptions_;
  ImageRules image_rules_;
  std::unordered_map<std::string_view, std::size_t> window_by_name_;  // views of windows_' names
  std::unique_ptr<const BindingIndex> binding_index_;
  std::unique_ptr<const ExemptionIndex> exemption_index_;
};

}  // namespace windowguard::core

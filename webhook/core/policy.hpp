#pragma once
// The policy model, compiled once into an immutable, indexed form.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/action.hpp"
#include "core/labels.hpp"
#include "core/schedule.hpp"

namespace windowguard::core {

enum class WindowType { Blackout, Maintenance };
std::string_view window_type_name(WindowType type);

struct Exemptions {
  bool super_admins = false;
  std::vector<std::string> users;
  std::vector<std::string> groups;
};

struct Window {
  std::string name;
  std::string description;
  WindowType type = WindowType::Blackout;
  Schedule schedule;
  Exemptions exempt;
  ActionSet actions = ActionSet::all();
  std::string message;
};

struct Binding {
  std::vector<std::size_t> windows;       // indices into Policy::windows()
  std::vector<std::string> environments;  // globs over the namespace (or "cluster/namespace")
  std::vector<std::string> applications;  // globs; empty means every application
  std::optional<LabelSelector> selector;
};

struct UpcomingDays {
  int blackout = 90;
  int maintenance = 90;
};

struct Settings {
  std::vector<std::string> super_admin_groups{"system:masters"};
  std::vector<std::string> app_label_keys{"app.kubernetes.io/name", "app", "argocd.argoproj.io/instance"};
  std::vector<std::string> trusted_requesters = default_trusted_requesters();
  std::vector<std::string> restart_annotations{"kubectl.kubernetes.io/restartedAt"};
  std::string cluster_name;  // empty: environments are bare namespaces
  UpcomingDays upcoming_days;
  int warn_before_minutes = 30;

  static std::vector<std::string> default_trusted_requesters();
};

// What a request is about, as far as bindings are concerned.
struct Subject {
  std::string_view environment;  // the namespace
  std::string_view application;  // empty when the object has no app label
  Labels labels;
  // Every binding of the environment applies, whatever its applications and
  // selector (a Namespace DELETE, a Pod eviction).
  bool whole_environment = false;
};

class Policy {
 public:
  Policy(std::vector<Window> windows, std::vector<Binding> bindings, Settings settings);

  const std::vector<Window>& windows() const { return windows_; }
  const std::vector<Binding>& bindings() const { return bindings_; }
  const Settings& settings() const { return settings_; }
  // Whether settings().trusted_requesters matches the user: the literal
  // names (all but one of the defaults) are looked up, only the patterns are
  // matched.
  bool is_trusted(std::string_view username) const;

  // The windows (ascending) whose exemptions name this group, or this user:
  // a requester's few names are looked up once, instead of every window's
  // exemptions being compared with them.
  std::span<const std::size_t> windows_exempting_group(std::string_view group) const;
  std::span<const std::size_t> windows_exempting_user(std::string_view user) const;

  // Indices of the windows bound to the subject, ascending and without
  // repeats.  Costs in proportion to the bindings that can match the subject's
  // environment, not to the size of the policy.
  std::vector<std::size_t> windows_for(const Subject& subject) const;

 private:
  bool binding_applies(const Binding& binding, const Subject& subject) const;

  std::vector<Window> windows_;
  std::vector<Binding> bindings_;
  Settings settings_;
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  using WindowsByName = std::unordered_map<std::string, std::vector<std::size_t>, StringHash, std::equal_to<>>;
  WindowsByName windows_exempting_group_;
  WindowsByName windows_exempting_user_;
  std::unordered_set<std::string, StringHash, std::equal_to<>> trusted_names_;
  std::vector<std::string> trusted_patterns_;
  // The bindings that name one namespace literally.  The windows of those
  // without applications or selector apply to every request there: they are
  // merged once, here, instead of on every request.
  struct NamespaceBindings {
    std::vector<std::size_t> unconditional_windows;  // ascending, without repeats
    std::vector<std::size_t> conditional_bindings;   // with applications or a selector
  };
  struct GlobBinding {
    std::string namespace_pattern;
    std::size_t binding;
  };
  std::unordered_map<std::string, NamespaceBindings, StringHash, std::equal_to<>> bindings_by_namespace_;
  // Glob patterns grouped by their literal prefix ("prod-" for "prod-*"), so
  // that a namespace is matched only against globs that can match it.
  std::unordered_map<std::string, std::vector<GlobBinding>, StringHash, std::equal_to<>> globs_by_prefix_;
  std::vector<std::size_t> glob_prefix_lengths_;  // ascending, distinct
};

}  // namespace windowguard::core

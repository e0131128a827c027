#include "admission/classifier.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "admission/json_members.hpp"

namespace windowguard::admission {
namespace {

using rapidjson::Value;

struct Workload {
  std::string_view resource;
  std::string_view kind;
};
constexpr std::array<Workload, 4> kWorkloads{{{"deployments", "Deployment"},
                                              {"statefulsets", "StatefulSet"},
                                              {"daemonsets", "DaemonSet"},
                                              {"replicasets", "ReplicaSet"}}};

const Value* path(const Value* root, std::initializer_list<std::string_view> names) {
  const Value* at = root;
  for (std::string_view name : names) {
    at = json_member(at, name);
  }
  return at;
}

// The equality terms of a Scale's status.selector ("app=web,tier=front"):
// the labels the workload's pods carry.  Set-based terms ("env in (a,b)",
// "!canary") name no single value and are left out.
ObjectLabels labels_of_selector(std::string_view selector) {
  ObjectLabels labels;
  while (!selector.empty()) {
    const std::size_t comma = selector.find(',');
    std::string_view term = selector.substr(0, comma);
    selector = comma == std::string_view::npos ? std::string_view{} : selector.substr(comma + 1);
    const std::size_t equals = term.find('=');
    if (equals == std::string_view::npos || term.find(' ') != std::string_view::npos) {
      continue;
    }
    std::string_view key = term.substr(0, equals);
    std::string_view value = term.substr(equals + 1);
    if (!key.empty() && key.back() == '!') {
      continue;  // "key!=value"
    }
    if (!value.empty() && value.front() == '=') {
      value.remove_prefix(1);  // "key==value"
    }
    labels.push_back({key, value});
  }
  return labels;
}

// An object's spec.replicas, or `when_absent` when it has a spec without it:
// a workload's count defaults to 1 (the API server fills it in before
// admission; a DaemonSet has none), while an autoscaling/v1 Scale omits a
// count of 0.
std::optional<std::int64_t> replicas_of(const Value* spec, std::int64_t when_absent) {
  if (spec == nullptr) {
    return std::nullopt;
  }
  const Value* replicas = json_member(spec, "replicas");
  if (replicas == nullptr || replicas->IsNull()) {
    return when_absent;
  }
  return replicas->IsInt64() ? std::optional(replicas->GetInt64()) : std::nullopt;
}

constexpr std::int64_t kWorkloadDefaultReplicas = 1;
constexpr std::int64_t kScaleOmittedReplicas = 0;

bool is_restart_annotation(std::string_view key, const core::Settings& settings) {
  return std::find(settings.restart_annotations.begin(), settings.restart_annotations.end(), key) !=
         settings.restart_annotations.end();
}

// Whether `a` and `b` are equal as JSON objects once the members that `skip`
// accepts are left out of both.
template <typename Skip>
bool equal_objects_except(const Value* a, const Value* b, Skip skip) {
  const auto kept_members = [&](const Value* object) {
    std::size_t count = 0;
    if (object != nullptr && object->IsObject()) {
      for (const auto& member : object->GetObject()) {
        count += skip(json_text(member.name)) ? 0 : 1;
      }
    }
    return count;
  };
  if (kept_members(a) != kept_members(b)) {
    return false;
  }
  if (a == nullptr || !a->IsObject()) {
    return true;  // both empty
  }
  for (const auto& member : a->GetObject()) {
    if (skip(json_text(member.name))) {
      continue;
    }
    const Value* other = json_member(b, json_text(member.name));
    if (other == nullptr || !same_json(member.value, *other)) {
      return false;
    }
  }
  return true;
}

// What an update did to the pod template.
enum class TemplateChange { None, RestartOnly, Other };

// Compares the two templates once: their specs first (where a rollout's
// change is, and where most of a template is), then their metadata.
TemplateChange template_change(const Value* template_new, const Value* template_old, const core::Settings& settings) {
  if (template_new == nullptr || template_old == nullptr) {
    return template_new == template_old ? TemplateChange::None : TemplateChange::Other;
  }
  if (!template_new->IsObject() || !template_old->IsObject()) {
    return same_json(*template_new, *template_old) ? TemplateChange::None : TemplateChange::Other;
  }
  const auto metadata_only = [](std::string_view key) { return key == "metadata"; };
  if (!equal_objects_except(template_new, template_old, metadata_only)) {
    return TemplateChange::Other;
  }
  const Value* metadata_new = json_member(template_new, "metadata");
  const Value* metadata_old = json_member(template_old, "metadata");
  if (metadata_new == nullptr || metadata_old == nullptr ? metadata_new == metadata_old
                                                         : same_json(*metadata_new, *metadata_old)) {
    return TemplateChange::None;
  }
  const auto annotations_only = [](std::string_view key) { return key == "annotations"; };
  const auto restart_only = [&](std::string_view key) { return is_restart_annotation(key, settings); };
  return equal_objects_except(metadata_new, metadata_old, annotations_only) &&
                 equal_objects_except(json_member(metadata_new, "annotations"),
                                      json_member(metadata_old, "annotations"), restart_only)
             ? TemplateChange::RestartOnly
             : TemplateChange::Other;
}

void classify_replicas(std::optional<std::int64_t> before, std::optional<std::int64_t> after, Classification& result) {
  if (!before || !after) {
    return;
  }
  if (*before > 0 && *after == 0) {
    result.actions.push_back(core::Action::Hibernate);
    result.reason += result.reason.empty() ? "replicas scaled to 0" : " and replicas scaled to 0";
  } else if (*before == 0 && *after > 0) {
    result.actions.push_back(core::Action::Unhibernate);
    result.reason += result.reason.empty() ? "replicas scaled up from 0" : " and replicas scaled up from 0";
  }
}

void classify_workload_update(const AdmissionRequest& request, const core::Settings& settings, Classification& result) {
  const Value* spec_new = json_member(request.object, "spec");
  const Value* spec_old = json_member(request.old_object, "spec");
  switch (template_change(json_member(spec_new, "template"), json_member(spec_old, "template"), settings)) {
    case TemplateChange::None:
      break;
    case TemplateChange::RestartOnly:
      result.actions.push_back(core::Action::Restart);
      result.reason = "pod template restart annotation changed";
      break;
    case TemplateChange::Other:
      result.actions.push_back(core::Action::Deploy);
      result.reason = "spec.template changed";
      break;
  }
  classify_replicas(replicas_of(spec_old, kWorkloadDefaultReplicas), replicas_of(spec_new, kWorkloadDefaultReplicas),
                    result);
  if (result.actions.empty()) {
    result.reason = "neither spec.template nor a scale to or from zero changed";
  }
}

void classify_workload(const AdmissionRequest& request, const core::Settings& settings, Classification& result) {
  const Value* subject = request.operation == Operation::Delete ? request.old_object : request.object;
  if (request.sub_resource == "scale") {
    const Value* selector = path(subject, {"status", "selector"});
    if (selector != nullptr && selector->IsString()) {
      result.labels = labels_of_selector(json_text(*selector));
    }
    result.application = application_of(result.labels, settings);
    if (request.operation == Operation::Update) {
      classify_replicas(replicas_of(json_member(request.old_object, "spec"), kScaleOmittedReplicas),
                        replicas_of(json_member(request.object, "spec"), kScaleOmittedReplicas), result);
    }
    if (result.actions.empty()) {
      result.reason = "scale between non-zero replica counts";
    }
    return;
  }
  result.labels = labels_of(subject);
  result.application = application_of(result.labels, settings);
  if (!request.sub_resource.empty()) {
    result.reason = "the " + std::string(request.sub_resource) + " subresource is not governed";
    return;
  }
  switch (request.operation) {
    case Operation::Create:
      result.actions.push_back(core::Action::Deploy);
      result.reason = "created";
      return;
    case Operation::Delete:
      result.actions.push_back(core::Action::Delete);
      result.reason = "deleted";
      return;
    case Operation::Update:
      classify_workload_update(request, settings, result);
      return;
    case Operation::Connect:
      result.reason = "CONNECT is not governed";
      return;
  }
}

}  // namespace

ObjectLabels labels_of(const Value* object) {
  ObjectLabels labels;
  const Value* map = path(object, {"metadata", "labels"});
  if (map != nullptr && map->IsObject()) {
    labels.reserve(map->MemberCount());
    for (const auto& member : map->GetObject()) {
      if (member.value.IsString()) {
        labels.push_back({json_text(member.name), json_text(member.value)});
      }
    }
  }
  return labels;
}

std::string_view application_of(const ObjectLabels& labels, const core::Settings& settings) {
  for (const std::string& key : settings.app_label_keys) {
    for (const core::Label& label : labels) {
      if (label.key == key) {
        return label.value;
      }
    }
  }
  return {};
}

bool is_eviction(const AdmissionRequest& request) {
  return request.resource.group.empty() && request.resource.resource == "pods" &&
         request.operation == Operation::Create && request.sub_resource == "eviction";
}

Classification classify(const AdmissionRequest& request, const core::Settings& settings,
                        const rapidjson::Value* evicted_pod) {
  Classification result;
  result.environment = request.namespace_name;
  const GroupVersionResource& resource = request.resource;
  if (resource.group == "apps") {
    const auto workload = std::find_if(kWorkloads.begin(), kWorkloads.end(), [&](const Workload& candidate) {
      return candidate.resource == resource.resource;
    });
    if (workload != kWorkloads.end()) {
      // The workload's kind, also for its scale subresource (whose object is a Scale).
      result.kind = workload->kind;
      classify_workload(request, settings, result);
      return result;
    }
  }
  if (resource.group.empty() && resource.resource == "pods") {
    result.kind = "Pod";
    result.labels = labels_of(request.operation == Operation::Delete ? request.old_object : request.object);
    result.application = application_of(result.labels, settings);
    if (request.operation == Operation::Delete && request.sub_resource.empty()) {
      result.actions.push_back(core::Action::Restart);
      result.reason = "pod deleted";
    } else if (is_eviction(request)) {
      // An Eviction names its Pod but carries none of its labels: they come
      // from the Pod, read from the API server.  Unread, the Pod's
      // application is unknown and every binding of the environment
      // applies, as for a Namespace DELETE.
      result.actions.push_back(core::Action::Restart);
      result.reason = "pod evicted";
      result.labels = labels_of(evicted_pod);
      result.application = application_of(result.labels, settings);
      result.whole_environment = evicted_pod == nullptr;
    } else {
      result.reason = "only pod deletion and eviction are governed";
    }
    return result;
  }
  if (resource.group.empty() && resource.resource == "namespaces") {
    result.kind = "Namespace";
    result.environment = request.name;
    result.whole_environment = true;
    result.object_is_the_environment = true;
    if (request.operation == Operation::Delete && request.sub_resource.empty()) {
      result.actions.push_back(core::Action::Delete);
      result.reason = "namespace deleted";
    } else {
      result.reason = "only namespace deletion is governed";
    }
    return result;
  }
  result.kind = request.kind.kind;
  result.reason = "resource " + std::string(resource.resource) + " is not governed";
  return result;
}

}  // namespace windowguard::admission

#include "admission/classifier.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "json/json_members.hpp"

namespace windowguard::admission {
namespace {

using rapidjson::Value;

const Value* path(const Value* root, std::initializer_list<std::string_view> names) {
  const Value* at = root;
  for (std::string_view name : names) {
    at = json::member(at, name);
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

// The member that holds `path`'s last name (the root itself for a path of
// one name).
const Value* holder_at(const Value* root, const core::FieldPath& path) {
  const Value* at = root;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    at = json::member(at, path[i]);
  }
  return at;
}

// The count named `name` in `holder`, or `when_absent` when the holder is
// there without it: a workload's count defaults to 1 (the API server fills
// it in before admission), while an autoscaling/v1 Scale omits a count of 0.
std::optional<std::int64_t> replicas_of(const Value* holder, std::string_view name, std::int64_t when_absent) {
  if (holder == nullptr) {
    return std::nullopt;
  }
  const Value* replicas = json::member(holder, name);
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

// What an update did to the pod template.
enum class TemplateChange { None, RestartOnly, Other };

// Compares the two templates once: their specs first (where a rollout's
// change is, and where most of a template is), then their metadata.
TemplateChange template_change(const Value* template_new, const Value* template_old, const core::Settings& settings) {
  if (template_new == nullptr || template_old == nullptr) {
    return template_new == template_old ? TemplateChange::None : TemplateChange::Other;
  }
  if (!template_new->IsObject() || !template_old->IsObject()) {
    return json::same(*template_new, *template_old) ? TemplateChange::None : TemplateChange::Other;
  }
  const auto metadata_only = [](std::string_view key) { return key == "metadata"; };
  if (!json::equal_objects_except(template_new, template_old, metadata_only)) {
    return TemplateChange::Other;
  }
  const Value* metadata_new = json::member(template_new, "metadata");
  const Value* metadata_old = json::member(template_old, "metadata");
  if (json::same_or_absent(metadata_new, metadata_old)) {
    return TemplateChange::None;
  }
  const auto annotations_only = [](std::string_view key) { return key == "annotations"; };
  const auto restart_only = [&](std::string_view key) { return is_restart_annotation(key, settings); };
  return json::equal_objects_except(metadata_new, metadata_old, annotations_only) &&
                 json::equal_objects_except(json::member(metadata_new, "annotations"),
                                            json::member(metadata_old, "annotations"), restart_only)
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

// A deploy runs the new pod template's spec in place of the old one's (a
// Pod is its own template; a CREATE has no old one).
void add_deploy(const Value* template_new, const Value* template_old, std::string reason, Classification& result) {
  result.actions.push_back(core::Action::Deploy);
  result.reason = std::move(reason);
  result.pod_spec = json::member(template_new, "spec");
  result.old_pod_spec = json::member(template_old, "spec");
}

void add_deploy(const AdmissionRequest& request, const core::FieldPath& template_path, std::string reason,
                Classification& result) {
  add_deploy(at_path(request.object, template_path), at_path(request.old_object, template_path), std::move(reason),
             result);
}

void classify_workload_update(const AdmissionRequest& request, const core::Settings& settings,
                              const core::GovernedResource& workload, Classification& result) {
  const core::FieldPath& template_path = workload.template_path;
  const Value* template_holder_new = holder_at(request.object, template_path);
  const Value* template_holder_old = holder_at(request.old_object, template_path);
  const Value* template_new = json::member(template_holder_new, template_path.back());
  const Value* template_old = json::member(template_holder_old, template_path.back());
  switch (template_change(template_new, template_old, settings)) {
    case TemplateChange::None:
      break;
    case TemplateChange::RestartOnly:
      result.actions.push_back(core::Action::Restart);
      result.reason = "pod template restart annotation changed";
      break;
    case TemplateChange::Other:
      add_deploy(template_new, template_old, core::dotted(workload.template_path) + " changed", result);
      break;
  }
  const core::FieldPath& replicas_path = workload.replicas_path;
  if (!replicas_path.empty()) {
    // A Deployment's count lies beside its template, in `spec`: read once.
    const bool beside =
        std::equal(template_path.begin(), template_path.end() - 1, replicas_path.begin(), replicas_path.end() - 1);
    classify_replicas(replicas_of(beside ? template_holder_old : holder_at(request.old_object, replicas_path),
                                  replicas_path.back(), kWorkloadDefaultReplicas),
                      replicas_of(beside ? template_holder_new : holder_at(request.object, replicas_path),
                                  replicas_path.back(), kWorkloadDefaultReplicas),
                      result);
  }
  if (result.actions.empty()) {
    result.reason = "neither spec.template nor a scale to or from zero changed";
  }
}

// A bare Pod's, Job's or CronJob's application: from its own labels first,
// then from its pod template's (`kubectl create job` labels only the
// template).  The labels are those that named it.
void name_application(const Value* object, const core::FieldPath& template_path, const core::Settings& settings,
                      Classification& result) {
  result.labels = labels_of(object);
  result.application = application_of(result.labels, settings);
  if (result.application.empty() && !template_path.empty()) {
    ObjectLabels template_labels = labels_of(at_path(object, template_path));
    const std::string_view application = application_of(template_labels, settings);
    if (!application.empty()) {
      result.labels = std::move(template_labels);
      result.application = application;
    }
  }
}

// Whether any container's or init container's image differs, by position:
// the API server lets an UPDATE of a Pod change images, not add containers.
bool images_changed(const Value* spec_new, const Value* spec_old) {
  for (std::string_view list : {"containers", "initContainers"}) {
    const Value* now = json::member(spec_new, list);
    const Value* before = json::member(spec_old, list);
    const bool now_listed = now != nullptr && now->IsArray();
    const bool before_listed = before != nullptr && before->IsArray();
    if (now_listed != before_listed) {
      return true;
    }
    if (!now_listed) {
      continue;
    }
    if (now->Size() != before->Size()) {
      return true;
    }
    for (rapidjson::SizeType i = 0; i < now->Size(); ++i) {
      const Value* image_now = json::member(&(*now)[i], "image");
      const Value* image_before = json::member(&(*before)[i], "image");
      if (!json::same_or_absent(image_now, image_before)) {
        return true;
      }
    }
  }
  return false;
}

void classify_pod(const AdmissionRequest& request, const ObjectLabels* evicted_pod_labels,
                  const core::Settings& settings, Classification& result) {
  name_application(request.operation == Operation::Delete ? request.old_object : request.object, {}, settings, result);
  if (is_eviction(request)) {
    // An Eviction names its Pod but carries none of its labels: they come
    // from the Pod, read from the API server.  Unread, the Pod's
    // application is unknown and every binding of the environment
    // applies, as for a Namespace DELETE.
    result.actions.push_back(core::Action::Restart);
    result.reason = "pod evicted";
    if (evicted_pod_labels != nullptr) {
      result.labels = *evicted_pod_labels;
    }
    result.application = application_of(result.labels, settings);
    result.whole_environment = evicted_pod_labels == nullptr;
    return;
  }
  if (!request.sub_resource.empty()) {
    result.reason = "the pods/" + std::string(request.sub_resource) + " subresource is not governed";
    return;
  }
  switch (request.operation) {
    case Operation::Create:
      add_deploy(request, {}, "pod created", result);
      return;
    case Operation::Update:
      if (images_changed(json::member(request.object, "spec"), json::member(request.old_object, "spec"))) {
        add_deploy(request, {}, "a container image changed", result);
      } else {
        result.reason = "no container image changed";
      }
      return;
    case Operation::Delete:
      result.actions.push_back(core::Action::Restart);
      result.reason = "pod deleted";
      return;
    case Operation::Connect:
      result.reason = "CONNECT is not governed";
      return;
  }
}

bool suspended(const Value* cronjob) {
  const Value* suspend = json::member(json::member(cronjob, "spec"), "suspend");
  return suspend != nullptr && suspend->IsBool() && suspend->GetBool();
}

void classify_cronjob_update(const AdmissionRequest& request, const core::GovernedResource& cronjob,
                             Classification& result) {
  const Value* template_new = json::member(json::member(request.object, "spec"), "jobTemplate");
  const Value* template_old = json::member(json::member(request.old_object, "spec"), "jobTemplate");
  if (!json::same_or_absent(template_new, template_old)) {
    add_deploy(request, cronjob.template_path, "spec.jobTemplate changed", result);
  }
  const bool was = suspended(request.old_object);
  const bool is = suspended(request.object);
  if (was != is) {
    result.actions.push_back(is ? core::Action::Hibernate : core::Action::Unhibernate);
    const char* what = is ? "suspended" : "resumed";
    result.reason += result.reason.empty() ? what : std::string(" and ") + what;
  }
  if (result.actions.empty()) {
    result.reason = "neither spec.jobTemplate nor spec.suspend changed";
  }
}

// A kind with a pod template: a workload, a Job or a CronJob.
void classify_templated(const AdmissionRequest& request, const core::Settings& settings,
                        const core::GovernedResource& workload, Classification& result) {
  const Value* subject = request.operation == Operation::Delete ? request.old_object : request.object;
  if (request.sub_resource == "scale" && workload.scale) {
    const Value* selector = path(subject, {"status", "selector"});
    if (selector != nullptr && selector->IsString()) {
      result.labels = labels_of_selector(json::text(*selector));
    }
    result.application = application_of(result.labels, settings);
    if (request.operation == Operation::Update) {
      classify_replicas(replicas_of(json::member(request.old_object, "spec"), "replicas", kScaleOmittedReplicas),
                        replicas_of(json::member(request.object, "spec"), "replicas", kScaleOmittedReplicas), result);
    }
    if (result.actions.empty()) {
      result.reason = "scale between non-zero replica counts";
    }
    return;
  }
  // A Job's or CronJob's application may be its template's alone.
  const bool own_labels_only = workload.shape == core::ResourceShape::Workload;
  name_application(subject, own_labels_only ? core::FieldPath{} : workload.template_path, settings, result);
  if (!request.sub_resource.empty()) {
    result.reason = "the " + std::string(request.sub_resource) + " subresource is not governed";
    return;
  }
  switch (request.operation) {
    case Operation::Create:
      add_deploy(request, workload.template_path, "created", result);
      return;
    case Operation::Delete:
      result.actions.push_back(core::Action::Delete);
      result.reason = "deleted";
      return;
    case Operation::Update:
      if (workload.shape == core::ResourceShape::Workload) {
        classify_workload_update(request, settings, workload, result);
      } else if (workload.shape == core::ResourceShape::CronJob) {
        classify_cronjob_update(request, workload, result);
      } else {
        result.reason = "a Job's template cannot change";
      }
      return;
    case Operation::Connect:
      result.reason = "CONNECT is not governed";
      return;
  }
}

void classify_namespace(const AdmissionRequest& request, Classification& result) {
  result.environment = request.name;
  result.whole_environment = true;
  result.object_is_the_environment = true;
  if (request.operation == Operation::Delete && request.sub_resource.empty()) {
    result.actions.push_back(core::Action::Delete);
    result.reason = "namespace deleted";
  } else {
    result.reason = "only namespace deletion is governed";
  }
}

}  // namespace

const Value* at_path(const Value* root, const core::FieldPath& path) {
  const Value* at = root;
  for (const std::string& name : path) {
    at = json::member(at, name);
  }
  return at;
}

ObjectLabels labels_of(const Value* object) {
  ObjectLabels labels;
  const Value* map = path(object, {"metadata", "labels"});
  if (map != nullptr && map->IsObject()) {
    labels.reserve(map->MemberCount());
    for (const auto& member : map->GetObject()) {
      if (member.value.IsString()) {
        labels.push_back({json::text(member.name), json::text(member.value)});
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
                        const ObjectLabels* evicted_pod_labels) {
  Classification result;
  result.environment = request.namespace_name;
  const core::GovernedResource* governed =
      core::find_governed(settings, request.resource.group, request.resource.resource);
  if (governed == nullptr) {
    result.kind = request.kind.kind;
    result.reason = "resource " + std::string(request.resource.resource) + " is not governed";
    return result;
  }
  // The governed kind, also for a scale subresource (whose object is a Scale).
  result.kind = governed->kind;
  switch (governed->shape) {
    case core::ResourceShape::Workload:
    case core::ResourceShape::Job:
    case core::ResourceShape::CronJob:
      classify_templated(request, settings, *governed, result);
      break;
    case core::ResourceShape::Pod:
      classify_pod(request, evicted_pod_labels, settings, result);
      break;
    case core::ResourceShape::Namespace:
      classify_namespace(request, result);
      break;
  }
  return result;
}

}  // namespace windowguard::admission

#include "cli/manifest_review.hpp"

#include <array>
#include <charconv>
#include <cstdlib>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <yaml-cpp/yaml.h>

namespace windowguard::cli {
namespace {

using rapidjson::Document;
using rapidjson::Value;
using Allocator = Document::AllocatorType;

struct Resource {
  const char* api_version;
  const char* kind;
  const char* group;
  const char* resource;
};

constexpr std::array<Resource, 6> kResources{{
    {"apps/v1", "Deployment", "apps", "deployments"},
    {"apps/v1", "StatefulSet", "apps", "statefulsets"},
    {"apps/v1", "DaemonSet", "apps", "daemonsets"},
    {"apps/v1", "ReplicaSet", "apps", "replicasets"},
    {"v1", "Pod", "", "pods"},
    {"v1", "Namespace", "", "namespaces"},
}};

bool is_plain(const YAML::Node& node) { return node.Tag() == "?"; }

// A YAML scalar as JSON, typed by YAML 1.2's core schema when unquoted.
Value scalar_to_json(const YAML::Node& node, Allocator& allocator) {
  const std::string& text = node.Scalar();
  if (is_plain(node)) {
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
      return Value(rapidjson::kNullType);
    }
    if (text == "true" || text == "True" || text == "TRUE") {
      return Value(true);
    }
    if (text == "false" || text == "False" || text == "FALSE") {
      return Value(false);
    }
    std::int64_t integer = 0;
    const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
    const auto [end, problem] = std::from_chars(begin, text.data() + text.size(), integer);
    if (problem == std::errc{} && end == text.data() + text.size()) {
      return Value(integer);
    }
    char* parsed_end = nullptr;
    const double number = std::strtod(text.c_str(), &parsed_end);
    if (parsed_end == text.c_str() + text.size() && text.find_first_of("0123456789") != std::string::npos) {
      return Value(number);
    }
  }
  return Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

Value yaml_to_json(const YAML::Node& node, Allocator& allocator) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Value object(rapidjson::kObjectType);
      for (const auto& entry : node) {
        const std::string& key = entry.first.Scalar();
        object.AddMember(Value(key.c_str(), static_cast<rapidjson::SizeType>(key.size()), allocator),
                         yaml_to_json(entry.second, allocator), allocator);
      }
      return object;
    }
    case YAML::NodeType::Sequence: {
      Value array(rapidjson::kArrayType);
      for (const YAML::Node& item : node) {
        array.PushBack(yaml_to_json(item, allocator), allocator);
      }
      return array;
    }
    case YAML::NodeType::Scalar:
      return scalar_to_json(node, allocator);
    default:
      return Value(rapidjson::kNullType);
  }
}

// Parses one manifest (JSON is YAML too) into a JSON object.
std::variant<Value, ManifestError> parse_manifest(const std::string& text, const char* which, Allocator& allocator) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& problem) {
    return ManifestError{std::string(which) + " is not valid YAML or JSON: line " +
                         std::to_string(problem.mark.line + 1) + ", column " + std::to_string(problem.mark.column + 1) +
                         ": " + problem.msg};
  }
  std::erase_if(documents, [](const YAML::Node& document) { return document.IsNull(); });
  if (documents.size() != 1 || !documents.front().IsMap()) {
    return ManifestError{std::string(which) + " must hold exactly one Kubernetes object"};
  }
  Value object = yaml_to_json(documents.front(), allocator);
  for (const char* field : {"apiVersion", "kind"}) {
    const auto found = object.FindMember(field);
    if (found == object.MemberEnd() || !found->value.IsString()) {
      return ManifestError{std::string(which) + " has no " + field};
    }
  }
  return object;
}

std::string text_at(const Value& object, const char* section, const char* field) {
  const auto outer = object.FindMember(section);
  if (outer == object.MemberEnd() || !outer->value.IsObject()) {
    return {};
  }
  const auto inner = outer->value.FindMember(field);
  return inner != outer->value.MemberEnd() && inner->value.IsString() ? inner->value.GetString() : std::string{};
}

Value text(const std::string& value, Allocator& allocator) {
  return Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

}  // namespace

std::variant<std::string, ManifestError> review_from_manifests(const ManifestRequest& request) {
  Document review(rapidjson::kObjectType);
  Allocator& allocator = review.GetAllocator();
  auto parsed = parse_manifest(request.manifest, "--manifest", allocator);
  if (auto* problem = std::get_if<ManifestError>(&parsed)) {
    return *problem;
  }
  Value object = std::get<Value>(std::move(parsed));
  std::optional<Value> old_object;
  if (request.old_manifest) {
    auto parsed_old = parse_manifest(*request.old_manifest, "--old-manifest", allocator);
    if (auto* problem = std::get_if<ManifestError>(&parsed_old)) {
      return *problem;
    }
    old_object = std::get<Value>(std::move(parsed_old));
  }
  const std::string operation = request.operation.value_or(request.old_manifest ? "UPDATE" : "CREATE");
  if (operation != "CREATE" && operation != "UPDATE" && operation != "DELETE") {
    return ManifestError{"--operation must be CREATE, UPDATE or DELETE"};
  }
  if (operation == "UPDATE" && !old_object) {
    return ManifestError{"--operation UPDATE needs --old-manifest (the object before the change)"};
  }
  if (operation != "UPDATE" && old_object) {
    return ManifestError{"--old-manifest goes with --operation UPDATE"};
  }
  const std::string api_version = object["apiVersion"].GetString();
  const std::string kind = object["kind"].GetString();
  const Resource* resource = nullptr;
  for (const Resource& candidate : kResources) {
    if (api_version == candidate.api_version && kind == candidate.kind) {
      resource = &candidate;
    }
  }
  if (resource == nullptr) {
    return ManifestError{"--manifest is a " + api_version + " " + kind +
                         "; windowguard governs apps/v1 Deployment, StatefulSet, DaemonSet, ReplicaSet, v1 Pod and "
                         "v1 Namespace (for a scale subresource request, pass the AdmissionReview with --review)"};
  }
  const bool cluster_scoped = kind == "Namespace";
  std::string namespace_name;
  if (!cluster_scoped) {
    namespace_name = request.namespace_name.value_or(text_at(object, "metadata", "namespace"));
    if (namespace_name.empty()) {
      namespace_name = "default";
    }
  }
  const std::string name = text_at(object, "metadata", "name");

  Value gvk(rapidjson::kObjectType);
  gvk.AddMember("group", text(resource->group, allocator), allocator);
  gvk.AddMember("version", "v1", allocator);
  gvk.AddMember("kind", text(kind, allocator), allocator);
  Value gvr(rapidjson::kObjectType);
  gvr.AddMember("group", text(resource->group, allocator), allocator);
  gvr.AddMember("version", "v1", allocator);
  gvr.AddMember("resource", text(resource->resource, allocator), allocator);
  Value user(rapidjson::kObjectType);
  user.AddMember("username", text(request.username, allocator), allocator);
  Value groups(rapidjson::kArrayType);
  for (const std::string& group : request.groups) {
    groups.PushBack(text(group, allocator), allocator);
  }
  user.AddMember("groups", groups, allocator);

  Value body(rapidjson::kObjectType);
  body.AddMember("uid", "windowguard-check", allocator);
  body.AddMember("kind", gvk, allocator);
  body.AddMember("resource", gvr, allocator);
  if (!cluster_scoped) {
    body.AddMember("namespace", text(namespace_name, allocator), allocator);
  }
  body.AddMember("name", text(name, allocator), allocator);
  body.AddMember("operation", text(operation, allocator), allocator);
  body.AddMember("userInfo", user, allocator);
  if (operation == "DELETE") {
    body.AddMember("object", Value(rapidjson::kNullType), allocator);
    body.AddMember("oldObject", object, allocator);
  } else {
    body.AddMember("object", object, allocator);
    if (old_object) {
      body.AddMember("oldObject", *old_object, allocator);
    }
  }
  body.AddMember("dryRun", false, allocator);
  review.AddMember("apiVersion", "admission.k8s.io/v1", allocator);
  review.AddMember("kind", "AdmissionReview", allocator);
  review.AddMember("request", body, allocator);

  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  review.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace windowguard::cli

#include "cli/manifest_review.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <yaml-cpp/yaml.h>

#include "admission/classifier.hpp"
#include "objects/codec.hpp"
#include "policy/yaml_documents.hpp"

namespace windowguard::cli {
namespace {

using rapidjson::Document;
using rapidjson::Value;
using Allocator = Document::AllocatorType;

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

// What an option may hold: a manifest names at least one object; the
// cluster's objects may be none (`kubectl get` of a kind with no objects
// prints an empty List).
enum class Objects { AtLeastOne, AnyNumber };

// The objects of one manifest text (JSON is YAML too): every non-empty
// document, with List objects replaced by their items.
Result<std::vector<YAML::Node>> parse_objects(const std::string& text, const char* option,
                                              Objects expected = Objects::AtLeastOne) {
  std::vector<YAML::Node> documents;
  try {
    documents = policy::load_yaml_documents(text);
  } catch (const YAML::Exception& problem) {
    return Problem(std::string(option) + " is not valid YAML or JSON: line " + std::to_string(problem.mark.line + 1) +
                   ", column " + std::to_string(problem.mark.column + 1) + ": " + problem.msg);
  }
  std::vector<YAML::Node> objects;
  std::vector<YAML::Node> pending(documents.rbegin(), documents.rend());
  while (!pending.empty()) {
    const YAML::Node node = pending.back();
    pending.pop_back();
    if (node.IsNull()) {
      continue;
    }
    const YAML::Node kind = node.IsMap() ? node["kind"] : YAML::Node();
    const YAML::Node items = node.IsMap() ? node["items"] : YAML::Node();
    if (kind && kind.IsScalar() && kind.Scalar().ends_with("List") && items && items.IsSequence()) {
      for (std::size_t i = items.size(); i > 0; --i) {
        pending.push_back(items[i - 1]);
      }
      continue;
    }
    objects.push_back(node);
  }
  if (objects.empty() && expected == Objects::AtLeastOne) {
    return Problem(std::string(option) + " holds no Kubernetes object");
  }
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const std::string which =
        objects.size() == 1 ? std::string(option) : std::string(option) + " object " + std::to_string(i + 1);
    if (!objects[i].IsMap()) {
      return Problem(which + " is not a Kubernetes object (a mapping)");
    }
    for (const char* field : {"apiVersion", "kind"}) {
      const YAML::Node value = objects[i][field];
      if (!value || !value.IsScalar() || value.Scalar().empty()) {
        return Problem(which + " has no " + field);
      }
    }
  }
  return objects;
}

std::string scalar_at(const YAML::Node& object, const char* section, const char* field) {
  const YAML::Node outer = object[section];
  if (!outer || !outer.IsMap()) {
    return {};
  }
  const YAML::Node inner = outer[field];
  return inner && inner.IsScalar() ? inner.Scalar() : std::string{};
}

// "Deployment web", as kubectl names an object.
std::string object_label(const YAML::Node& object) {
  const std::string name = scalar_at(object, "metadata", "name");
  return object["kind"].Scalar() + (name.empty() ? " without a name" : " " + name);
}

// The namespace the API server would see: the object's own, else the one
// given with --namespace (`kubectl apply -n`); the two must agree.
Result<std::string> namespace_for(const YAML::Node& object, const std::optional<std::string>& given) {
  std::string own = scalar_at(object, "metadata", "namespace");
  if (!own.empty() && given && *given != own) {
    return Problem(object_label(object) + " is in namespace " + own + ", not --namespace " + *given);
  }
  if (!own.empty()) {
    return own;
  }
  if (given) {
    return *given;
  }
  return Problem(object_label(object) +
                 " names no namespace (metadata.namespace); pass --namespace NAME, the namespace it will be applied "
                 "to");
}

Value text(const std::string& value, Allocator& allocator) {
  return Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

struct ReviewParts {
  const core::GovernedResource& resource;
  const std::string& operation;
  const std::string& namespace_name;  // empty for a cluster-scoped kind
  const YAML::Node& object;
  const YAML::Node* old_object;
};

std::string review_json(const ReviewParts& parts, const ManifestRequest& request) {
  Document review(rapidjson::kObjectType);
  Allocator& allocator = review.GetAllocator();
  Value gvk(rapidjson::kObjectType);
  gvk.AddMember("group", text(parts.resource.group, allocator), allocator);
  gvk.AddMember("version", text(parts.resource.version, allocator), allocator);
  gvk.AddMember("kind", text(parts.resource.kind, allocator), allocator);
  Value gvr(rapidjson::kObjectType);
  gvr.AddMember("group", text(parts.resource.group, allocator), allocator);
  gvr.AddMember("version", text(parts.resource.version, allocator), allocator);
  gvr.AddMember("resource", text(parts.resource.resource, allocator), allocator);
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
  if (!parts.namespace_name.empty()) {
    body.AddMember("namespace", text(parts.namespace_name, allocator), allocator);
  }
  body.AddMember("name", text(scalar_at(parts.object, "metadata", "name"), allocator), allocator);
  body.AddMember("operation", text(parts.operation, allocator), allocator);
  body.AddMember("userInfo", user, allocator);
  Value object = yaml_to_json(parts.object, allocator);
  if (parts.operation == "DELETE") {
    body.AddMember("object", Value(rapidjson::kNullType), allocator);
    body.AddMember("oldObject", object, allocator);
  } else {
    body.AddMember("object", object, allocator);
    if (parts.old_object != nullptr) {
      body.AddMember("oldObject", yaml_to_json(*parts.old_object, allocator), allocator);
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

}  // namespace

Result<ManifestReviews> reviews_from_manifests(const ManifestRequest& request, const core::Settings& settings) {
  auto objects = parse_objects(request.manifest, "--manifest");
  if (!objects) {
    return objects.error();
  }
  std::optional<YAML::Node> old_object;
  if (request.old_manifest) {
    auto old_objects = parse_objects(*request.old_manifest, "--old-manifest");
    if (!old_objects) {
      return old_objects.error();
    }
    if (old_objects->size() != 1 || objects->size() != 1) {
      return Problem("--old-manifest and --manifest must each hold one object: an UPDATE changes one object");
    }
    old_object = old_objects->front();
  }
  const std::string operation = request.operation.value_or(request.old_manifest ? "UPDATE" : "CREATE");
  if (operation != "CREATE" && operation != "UPDATE" && operation != "DELETE") {
    return Problem("--operation must be CREATE, UPDATE or DELETE");
  }
  if (operation == "UPDATE" && !old_object) {
    return Problem("--operation UPDATE needs --old-manifest (the object before the change)");
  }
  if (operation != "UPDATE" && old_object) {
    return Problem("--old-manifest goes with --operation UPDATE");
  }
  ManifestReviews made;
  for (const YAML::Node& object : *objects) {
    const core::GovernedResource* resource =
        core::find_governed_kind(settings, object["apiVersion"].Scalar(), object["kind"].Scalar());
    if (resource == nullptr && objects->size() == 1) {
      std::string governed;
      for (const core::GovernedResource* kind : core::governed_resources(settings)) {
        governed += (governed.empty() ? "" : ", ") + kind->api_version() + " " + kind->kind;
      }
      return Problem("--manifest is a " + object["apiVersion"].Scalar() + " " + object["kind"].Scalar() +
                     "; windowguard governs " + governed +
                     " (for a scale subresource request, pass the AdmissionReview with --review)");
    }
    if (resource == nullptr) {
      made.skipped.push_back(object["apiVersion"].Scalar() + " " + object_label(object));
      continue;
    }
    std::string namespace_name;
    if (resource->shape != core::ResourceShape::Namespace) {
      auto found = namespace_for(object, request.namespace_name);
      if (!found) {
        return found.error();
      }
      namespace_name = std::move(found).value();
    }
    made.reviews.push_back(
        review_json({*resource, operation, namespace_name, object, old_object ? &*old_object : nullptr}, request));
  }
  return made;
}

Result<ClusterObjects> cluster_objects_from(const std::string& text) {
  auto objects = parse_objects(text, "--objects", Objects::AnyNumber);
  if (!objects) {
    return objects.error();
  }
  ClusterObjects cluster;
  std::vector<core::WindowException> exceptions;
  std::vector<core::ImageApproval> image_approvals;
  std::unordered_map<std::string, core::NamespaceLabels::Owned> namespaces;
  for (std::size_t i = 0; i < objects->size(); ++i) {
    const YAML::Node& object = (*objects)[i];
    const std::string& api_version = object["apiVersion"].Scalar();
    const std::string& kind = object["kind"].Scalar();
    Document holder;  // its allocator holds the JSON's strings
    const Value json = yaml_to_json(object, holder.GetAllocator());
    const auto unreadable = [&](const Problem& problem) {
      return Problem("--objects object " + std::to_string(i + 1) + " (" + object_label(object) +
                     "): " + problem.message);
    };
    const bool ours = api_version.starts_with(std::string(objects::kExceptionGroup) + "/");
    if (ours && kind == objects::kExceptionKind) {
      auto decoded = objects::decode_window_exception(json, core::Instant{});
      if (!decoded) {
        return unreadable(decoded.error());
      }
      exceptions.push_back(std::move(decoded).value());
    } else if (ours && kind == objects::kImageApprovalKind) {
      auto decoded = objects::decode_image_approval(json);
      if (!decoded) {
        return unreadable(decoded.error());
      }
      image_approvals.push_back(std::move(decoded).value());
    } else if (api_version == "v1" && kind == "Namespace") {
      core::NamespaceLabels::Owned& owned = namespaces[scalar_at(object, "metadata", "name")];
      for (const core::Label& label : admission::labels_of(&json)) {
        owned.emplace_back(label.key, label.value);
      }
    } else {
      cluster.ignored.push_back(api_version + " " + object_label(object));
    }
  }
  cluster.exceptions = std::make_shared<const core::ExceptionBook>(std::move(exceptions));
  cluster.image_approvals = std::make_shared<const core::ImageApprovalBook>(std::move(image_approvals));
  cluster.namespaces = std::make_shared<const core::NamespaceLabels>(std::move(namespaces));
  return cluster;
}

}  // namespace windowguard::cli

#include "admission/review_decoder.hpp"

#include <rapidjson/error/en.h>

namespace windowguard::admission {
namespace {

using rapidjson::Value;

constexpr std::string_view kApiVersion = "admission.k8s.io/v1";
constexpr std::string_view kKind = "AdmissionReview";

std::string_view view(const Value& value) { return {value.GetString(), value.GetStringLength()}; }

// Reads the fields of one JSON object, remembering the first problem.
class FieldReader {
 public:
  FieldReader(const Value& object, std::string path, std::string& problem)
      : object_(object), path_(std::move(path)), problem_(problem) {}

  const Value* member(std::string_view name) const {
    const auto found = object_.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
    return found == object_.MemberEnd() || found->value.IsNull() ? nullptr : &found->value;
  }

  std::string_view string(std::string_view name, bool required) {
    const Value* value = member(name);
    if (value == nullptr) {
      if (required) {
        fail(name, "is missing");
      }
      return {};
    }
    if (!value->IsString()) {
      fail(name, "must be a string");
      return {};
    }
    if (required && value->GetStringLength() == 0) {
      fail(name, "must not be empty");
    }
    return view(*value);
  }

  const Value* object(std::string_view name, bool required) {
    const Value* value = member(name);
    if (value == nullptr) {
      if (required) {
        fail(name, "is missing");
      }
      return nullptr;
    }
    if (!value->IsObject()) {
      fail(name, "must be an object");
      return nullptr;
    }
    return value;
  }

  void fail(std::string_view name, std::string_view what) {
    if (problem_.empty()) {
      problem_ = path_ + "." + std::string(name) + " " + std::string(what);
    }
  }

  std::string path(std::string_view name) const { return path_ + "." + std::string(name); }

 private:
  const Value& object_;
  std::string path_;
  std::string& problem_;
};

void read_gvk(FieldReader& request, std::string& problem, GroupVersionKind& into) {
  if (const Value* kind = request.object("kind", true)) {
    FieldReader fields(*kind, request.path("kind"), problem);
    into = {fields.string("group", false), fields.string("version", true), fields.string("kind", true)};
  }
}

void read_gvr(FieldReader& request, std::string& problem, GroupVersionResource& into) {
  if (const Value* resource = request.object("resource", true)) {
    FieldReader fields(*resource, request.path("resource"), problem);
    into = {fields.string("group", false), fields.string("version", true), fields.string("resource", true)};
  }
}

void read_operation(FieldReader& request, Operation& into) {
  const std::string_view operation = request.string("operation", true);
  if (operation == "CREATE") {
    into = Operation::Create;
  } else if (operation == "UPDATE") {
    into = Operation::Update;
  } else if (operation == "DELETE") {
    into = Operation::Delete;
  } else if (operation == "CONNECT") {
    into = Operation::Connect;
  } else if (!operation.empty()) {
    request.fail("operation", "must be CREATE, UPDATE, DELETE or CONNECT");
  }
}

void read_user(FieldReader& request, std::string& problem, AdmissionRequest& into) {
  const Value* user = request.object("userInfo", true);
  if (user == nullptr) {
    return;
  }
  FieldReader fields(*user, request.path("userInfo"), problem);
  into.username = fields.string("username", false);
  if (const Value* groups = fields.member("groups")) {
    if (!groups->IsArray()) {
      fields.fail("groups", "must be a list of strings");
      return;
    }
    into.groups.reserve(groups->Size());
    for (const Value& group : groups->GetArray()) {
      if (!group.IsString()) {
        fields.fail("groups", "must be a list of strings");
        return;
      }
      into.groups.emplace_back(view(group));
    }
  }
}

std::string_view metadata_name(const Value* object) {
  if (object == nullptr) {
    return {};
  }
  const auto metadata = object->FindMember("metadata");
  if (metadata == object->MemberEnd() || !metadata->value.IsObject()) {
    return {};
  }
  const auto name = metadata->value.FindMember("name");
  return name != metadata->value.MemberEnd() && name->value.IsString() ? view(name->value) : std::string_view{};
}

}  // namespace

std::string_view operation_name(Operation operation) {
  switch (operation) {
    case Operation::Create:
      return "CREATE";
    case Operation::Update:
      return "UPDATE";
    case Operation::Delete:
      return "DELETE";
    case Operation::Connect:
      return "CONNECT";
  }
  return "";
}

std::variant<DecodedReview, std::string> decode_review(std::string body) {
  DecodedReview review;
  review.body_ = std::make_unique<std::string>(std::move(body));
  review.document_ = std::make_unique<rapidjson::Document>();
  rapidjson::Document& document = *review.document_;
  // In-situ parsing writes decoded strings into the body itself: no copies.
  document.ParseInsitu(review.body_->data());
  if (document.HasParseError()) {
    return "body is not valid JSON: " + std::string(rapidjson::GetParseError_En(document.GetParseError())) +
           " (at byte " + std::to_string(document.GetErrorOffset()) + ")";
  }
  if (!document.IsObject()) {
    return std::string("body must be a JSON object (an AdmissionReview)");
  }
  std::string problem;
  FieldReader top(document, "", problem);
  const std::string_view api_version = top.string("apiVersion", true);
  const std::string_view kind = top.string("kind", true);
  if (!problem.empty()) {
    return problem.substr(1);
  }
  if (api_version != kApiVersion) {
    return "apiVersion must be \"admission.k8s.io/v1\", not \"" + std::string(api_version) + "\"";
  }
  if (kind != kKind) {
    return "kind must be \"AdmissionReview\", not \"" + std::string(kind) + "\"";
  }
  const Value* request_value = top.object("request", true);
  if (request_value == nullptr) {
    return problem.substr(1);
  }
  FieldReader request(*request_value, "request", problem);
  AdmissionRequest& into = review.request_;
  into.uid = request.string("uid", true);
  read_gvk(request, problem, into.kind);
  read_gvr(request, problem, into.resource);
  into.sub_resource = request.string("subResource", false);
  into.namespace_name = request.string("namespace", false);
  into.name = request.string("name", false);
  read_operation(request, into.operation);
  read_user(request, problem, into);
  into.object = request.object("object", false);
  into.old_object = request.object("oldObject", false);
  if (const Value* dry_run = request.member("dryRun")) {
    if (!dry_run->IsBool()) {
      request.fail("dryRun", "must be true or false");
    } else {
      into.dry_run = dry_run->GetBool();
    }
  }
  if (!problem.empty()) {
    return problem;
  }
  if (into.operation != Operation::Delete && into.object == nullptr) {
    return "request.object is missing (a " + std::string(operation_name(into.operation)) + " carries the object)";
  }
  if (into.operation == Operation::Delete && into.old_object == nullptr) {
    return std::string("request.oldObject is missing (a DELETE carries the deleted object)");
  }
  if (into.operation == Operation::Update && into.old_object == nullptr) {
    return std::string("request.oldObject is missing (an UPDATE carries the previous object)");
  }
  if (into.name.empty()) {
    into.name = metadata_name(into.operation == Operation::Delete ? into.old_object : into.object);
  }
  return review;
}

}  // namespace windowguard::admission

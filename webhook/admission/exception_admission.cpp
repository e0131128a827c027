#include "admission/exception_admission.hpp"

#include "admission/json_members.hpp"
#include "admission/windowguard_objects_json.hpp"
#include "core/exception_rules.hpp"

namespace windowguard::admission {
namespace {

core::ExceptionWrite::Kind kind_of(const AdmissionRequest& request) {
  switch (request.operation) {
    case Operation::Create:
      return core::ExceptionWrite::Kind::Create;
    case Operation::Update:
      return request.sub_resource == "status" ? core::ExceptionWrite::Kind::UpdateStatus
                                              : core::ExceptionWrite::Kind::Update;
    default:
      return core::ExceptionWrite::Kind::Delete;
  }
}

bool spec_changed(const AdmissionRequest& request) {
  const rapidjson::Value* spec = json_member(request.object, "spec");
  const rapidjson::Value* old_spec = json_member(request.old_object, "spec");
  if (spec == nullptr || old_spec == nullptr) {
    return spec != old_spec;
  }
  return !same_json(*spec, *old_spec);
}

}  // namespace

bool is_exception_write(const AdmissionRequest& request) {
  return request.resource.group == kExceptionGroup && request.resource.resource == kExceptionResource;
}

AdmissionDecision review_exception_write(const core::Policy& policy, const AdmissionRequest& request, core::Instant now,
                                         std::string_view windowguard_user) {
  AdmissionDecision result;
  result.classification.kind = kExceptionKind;
  result.classification.environment = request.namespace_name;
  result.classification.reason = "a write to a WindowException";
  core::ExceptionWrite write;
  write.kind = kind_of(request);
  write.username = request.username;
  write.groups = {request.groups.data(), request.groups.size()};
  write.now = now;
  write.by_windowguard = !windowguard_user.empty() && request.username == windowguard_user;
  std::optional<core::WindowException> object;
  std::optional<core::WindowException> old_object;
  std::optional<std::string> refusal;
  if (write.kind != core::ExceptionWrite::Kind::Delete) {
    if (request.object == nullptr) {
      refusal = "the request carries no object";
    } else if (auto decoded = decode_window_exception(*request.object, now)) {
      object = std::move(decoded).value();
      write.object = &*object;
    } else {
      refusal = decoded.error().message;
    }
  }
  if (!refusal && write.kind != core::ExceptionWrite::Kind::Create &&
      write.kind != core::ExceptionWrite::Kind::Delete) {
    if (request.old_object == nullptr) {
      refusal = "the request carries no oldObject";
    } else if (auto decoded = decode_window_exception(*request.old_object, now)) {
      old_object = std::move(decoded).value();
      write.old_object = &*old_object;
      write.spec_changed = spec_changed(request);
    } else {
      refusal = "oldObject: " + decoded.error().message;
    }
  }
  if (!refusal) {
    refusal = core::refuse_exception_write(policy, write);
  }
  result.allowed = !refusal.has_value();
  const std::string subject = std::string(operation_name(request.operation)) + " of WindowException " +
                              std::string(request.namespace_name) + "/" + std::string(request.name);
  result.message = refusal ? *refusal : subject + " is allowed";
  result.audit_annotations.emplace_back("decision", refusal ? "denied" : "allowed");
  return result;
}

}  // namespace windowguard::admission

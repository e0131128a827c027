#include "admission/exception_admission.hpp"

#include "admission/admission_decision.hpp"
#include "core/exceptions/exception_writes.hpp"
#include "core/images/image_approval_writes.hpp"
#include "json/json_members.hpp"
#include "objects/codec.hpp"

namespace windowguard::admission {
namespace {

core::WriteKind kind_of(const AdmissionRequest& request) {
  switch (request.operation) {
    case Operation::Create:
      return core::WriteKind::Create;
    case Operation::Update:
      return request.sub_resource == "status" ? core::WriteKind::UpdateStatus : core::WriteKind::Update;
    default:
      return core::WriteKind::Delete;
  }
}

bool spec_changed(const AdmissionRequest& request) {
  return !json::same_or_absent(json::member(request.object, "spec"), json::member(request.old_object, "spec"));
}

bool status_beside_approvals_changed(const AdmissionRequest& request) {
  return !json::equal_objects_except(json::member(request.object, "status"), json::member(request.old_object, "status"),
                                     [](std::string_view key) { return key == "approvals"; });
}

// The object and old object a write of this kind carries, decoded.
template <typename Object>
struct DecodedWrite {
  std::optional<Object> object;
  std::optional<Object> old_object;
  std::optional<std::string> refusal;
};

template <typename Object, typename Decode>
DecodedWrite<Object> decode_write(const AdmissionRequest& request, core::WriteKind kind, Decode decode) {
  DecodedWrite<Object> decoded;
  if (kind == core::WriteKind::Delete) {
    // A DELETE carries the object deleted as its oldObject.  One that cannot
    // be read is still deleted by those who may delete any request.
    if (request.old_object != nullptr) {
      if (auto old_object = decode(*request.old_object)) {
        decoded.old_object = std::move(old_object).value();
      }
    }
    return decoded;
  }
  if (request.object == nullptr) {
    decoded.refusal = "the request carries no object";
    return decoded;
  }
  if (auto object = decode(*request.object)) {
    decoded.object = std::move(object).value();
  } else {
    decoded.refusal = object.error().message;
    return decoded;
  }
  if (kind == core::WriteKind::Create) {
    return decoded;
  }
  if (request.old_object == nullptr) {
    decoded.refusal = "the request carries no oldObject";
  } else if (auto old_object = decode(*request.old_object)) {
    decoded.old_object = std::move(old_object).value();
  } else {
    decoded.refusal = "oldObject: " + old_object.error().message;
  }
  return decoded;
}

// Why the write is refused (nullopt: accepted), and what its writer is
// warned of.
struct WriteVerdict {
  std::optional<std::string> refusal;
  std::vector<std::string> warnings;
};

WriteVerdict judge_exception(const core::Policy& policy, const AdmissionRequest& request, core::ExceptionWrite write) {
  const auto decoded = decode_write<core::WindowException>(request, write.kind, [&](const rapidjson::Value& json) {
    return objects::decode_window_exception(json, write.now);
  });
  if (decoded.refusal) {
    return {decoded.refusal, {}};
  }
  write.object = decoded.object ? &*decoded.object : nullptr;
  write.old_object = decoded.old_object ? &*decoded.old_object : nullptr;
  WriteVerdict verdict{core::refuse_exception_write(policy, write), {}};
  if (!verdict.refusal && write.kind == core::WriteKind::Create && decoded.object) {
    if (auto warning = core::broad_request_warning(decoded.object->scope)) {
      verdict.warnings.push_back(std::move(*warning));
    }
  }
  return verdict;
}

std::optional<std::string> refuse_image_approval(const core::Policy& policy, const AdmissionRequest& request,
                                                 core::ImageApprovalWrite write, const SourceImages& source) {
  const auto decoded = decode_write<core::ImageApproval>(request, write.kind, objects::decode_image_approval);
  if (decoded.refusal) {
    return decoded.refusal;
  }
  write.object = decoded.object ? &*decoded.object : nullptr;
  write.old_object = decoded.old_object ? &*decoded.old_object : nullptr;
  write.running_in_source = source.images;
  write.unread_source = source.unread;
  return core::refuse_image_approval_write(policy, write);
}

std::size_t approvals_in(const rapidjson::Value* object) {
  const rapidjson::Value* approvals = json::member(json::member(object, "status"), "approvals");
  return approvals != nullptr && approvals->IsArray() ? approvals->Size() : 0;
}

RequestWrite request_write_of(const AdmissionRequest& request, core::WriteKind kind) {
  switch (kind) {
    case core::WriteKind::Create:
      return RequestWrite::Request;
    case core::WriteKind::Delete:
      return RequestWrite::Cancel;
    case core::WriteKind::Update:
      return RequestWrite::Update;
    case core::WriteKind::UpdateStatus:
      break;
  }
  const std::size_t after = approvals_in(request.object);
  const std::size_t before = approvals_in(request.old_object);
  return after > before ? RequestWrite::Approve : after < before ? RequestWrite::Withdraw : RequestWrite::Update;
}

}  // namespace

std::string_view request_write_name(RequestWrite write) {
  switch (write) {
    case RequestWrite::Request:
      return "request";
    case RequestWrite::Approve:
      return "approve";
    case RequestWrite::Withdraw:
      return "withdraw";
    case RequestWrite::Cancel:
      return "cancel";
    case RequestWrite::Update:
      return "update";
  }
  return "update";
}

bool is_approvable_object_write(const AdmissionRequest& request) {
  return request.resource.group == objects::kExceptionGroup &&
         (request.resource.resource == objects::kExceptionResource ||
          request.resource.resource == objects::kImageApprovalResource);
}

std::optional<PromotionSource> promotion_source(const AdmissionRequest& request) {
  if (request.resource.group != objects::kExceptionGroup ||
      request.resource.resource != objects::kImageApprovalResource || request.operation != Operation::Create ||
      !request.sub_resource.empty()) {
    return std::nullopt;
  }
  const std::string from = json::string_at(request.object, {"spec", "promotedFrom"});
  if (from.empty()) {
    return std::nullopt;
  }
  return PromotionSource{from, json::string_at(request.object, {"spec", "application"})};
}

AdmissionDecision review_object_write(const core::Policy& policy, const AdmissionRequest& request, core::Instant now,
                                      std::string_view windowguard_user, const SourceImages& source) {
  const bool image_approval = request.resource.resource == objects::kImageApprovalResource;
  const std::string_view kind = image_approval ? objects::kImageApprovalKind : objects::kExceptionKind;
  AdmissionDecision result;
  result.classification.kind = kind;
  result.classification.environment = request.namespace_name;
  result.classification.reason = image_approval ? "a write to an ImageApproval" : "a write to a WindowException";
  const core::WriteKind write_kind = kind_of(request);
  const std::span<const std::string_view> groups{request.groups.data(), request.groups.size()};
  const bool by_windowguard = !windowguard_user.empty() && request.username == windowguard_user;
  const bool changed = write_kind != core::WriteKind::Create && write_kind != core::WriteKind::Delete &&
                       request.object != nullptr && request.old_object != nullptr && spec_changed(request);
  const bool status_changed = write_kind == core::WriteKind::UpdateStatus && status_beside_approvals_changed(request);
  WriteVerdict verdict =
      image_approval ? WriteVerdict{refuse_image_approval(
                                        policy, request,
                                        core::ImageApprovalWrite{write_kind, request.username, groups, now, nullptr,
                                                                 nullptr, changed, by_windowguard, status_changed},
                                        source),
                                    {}}
                     : judge_exception(policy, request,
                                       core::ExceptionWrite{write_kind, request.username, groups, now, nullptr, nullptr,
                                                            changed, by_windowguard, status_changed});
  const std::optional<std::string>& refusal = verdict.refusal;
  result.warnings = std::move(verdict.warnings);
  result.allowed = !refusal.has_value();
  result.request_write = request_write_of(request, write_kind);
  const std::string subject = std::string(request_write_name(*result.request_write)) + " of " + std::string(kind) +
                              " " + std::string(request.namespace_name) + "/" + std::string(request.name);
  result.message = refusal ? *refusal : subject + " is allowed";
  result.audit_annotations.set(AuditKey::Decision, refusal ? "denied" : "allowed");
  return result;
}

}  // namespace windowguard::admission

#include "server/endpoints/validate.hpp"

#include "admission/admission_decision.hpp"
#include "admission/exception_admission.hpp"
#include "admission/response_encoder.hpp"
#include "admission/template_images.hpp"
#include "cluster/review_reader.hpp"
#include "server/responses.hpp"

namespace windowguard::server {
namespace {

bool is_json(std::string_view content_type) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  constexpr std::string_view kJson = "application/json";
  return media.size() == kJson.size() && std::equal(media.begin(), media.end(), kJson.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

Answer refuse(const Request& request, http::status status, std::string reason) {
  return Answer{Endpoint::Validate, text(request, status, std::move(reason)), {}};
}

// How a review is decided: with the cluster's facts, and for an eviction its
// Pod, for a promotion request its source's images.
auto deciding(const HandlerContext& context, const rapidjson::Value* evicted_pod,
              admission::SourceImages promotion_source = {}) {
  return [&context, evicted_pod,
          source = std::move(promotion_source)](const admission::AdmissionRequest& request) mutable {
    admission::ClusterFacts cluster{context.exceptions, context.namespace_labels, {},
                                    evicted_pod,        context.image_approvals,  std::move(source)};
    if (context.cluster != nullptr && admission::is_approvable_object_write(request)) {
      cluster.windowguard_user = context.cluster->identity();
    }
    return admission::evaluate_request(*context.policy, request, context.now, &context.memo, cluster);
  };
}

// How a decided review is answered: the AdmissionReview response.
auto answering(unsigned version, bool keep_alive) {
  return
      [version, keep_alive](const admission::AdmissionRequest& request, const admission::AdmissionDecision& decision) {
        return respond(version, keep_alive, http::status::ok, "application/json",
                       admission::encode_response(request.uid, decision));
      };
}

DecidedReview decided_pending(PendingReview pending, const HandlerContext& context, const rapidjson::Value* evicted_pod,
                              admission::SourceImages promotion_source = {}) {
  return DecidedReview(std::move(pending.review), deciding(context, evicted_pod, std::move(promotion_source)),
                       answering(pending.version, pending.keep_alive));
}

DecidedReview answer_eviction(PendingReview pending, const Result<std::vector<std::string>>& read,
                              const HandlerContext& context) {
  rapidjson::Document document;
  std::string unread;
  if (!read) {
    unread = read.error().message;
  } else if (read->size() != 1 || document.Parse(read->front().c_str()).HasParseError() || !document.IsObject()) {
    unread = "the API server's answer is not a Pod's JSON";
  }
  const bool was_read = unread.empty();
  DecidedReview decided = decided_pending(std::move(pending), context, was_read ? &document : nullptr);
  decided.evicted_pod = EvictedPodRead{was_read, std::move(unread)};
  return decided;
}

// A promotion request is decided with the images its application runs in
// the namespace it names, read from its workloads and Pods.
DecidedReview answer_promotion(PendingReview pending, const Result<std::vector<std::string>>& read,
                               const HandlerContext& context) {
  const std::optional<admission::PromotionSource> source = admission::promotion_source(pending.review.request());
  if (!source) {
    return decided_pending(std::move(pending), context, nullptr);  // nothing was needed from the API server
  }
  admission::SourceImages images;
  std::string unread = read ? "" : read.error().message;
  core::RunningImages running;
  for (const std::string& body : read ? *read : std::vector<std::string>{}) {
    rapidjson::Document list;
    if (list.Parse(body.c_str()).HasParseError() || !list.IsObject()) {
      unread = "the API server's answer is not a list's JSON";
      break;
    }
    admission::add_running_images(list, source->application, context.policy->settings(), running);
  }
  if (unread.empty()) {
    images.images = std::move(running);
  } else {
    images.unread = std::move(unread);
  }
  return decided_pending(std::move(pending), context, nullptr, std::move(images));
}

// Whether the review must wait for reads from the API server: an eviction
// for its Pod, a promotion request for its source.  `reads` are their API
// paths, or nullopt for a name that is no object's.
bool needs_reads(const admission::AdmissionRequest& request, const HandlerContext& context,
                 std::optional<std::vector<std::string>>& reads) {
  if (!context.reads_cluster) {
    return false;
  }
  if (admission::is_eviction(request)) {
    reads = cluster::ReviewReader::pod_targets(std::string(request.namespace_name), std::string(request.name));
    return true;
  }
  if (const auto source = admission::promotion_source(request)) {
    reads = cluster::ReviewReader::promotion_targets(source->namespace_name, context.policy->settings());
    return true;
  }
  return false;
}

}  // namespace

Handled validate(Request& request, const HandlerContext& context) {
  if (request.method() != http::verb::post) {
    Answer answer = refuse(request, http::status::method_not_allowed, "use POST for /validate");
    answer.response.set(http::field::allow, "POST");
    return answer;
  }
  if (!is_json(request[http::field::content_type])) {
    return refuse(request, http::status::unsupported_media_type, "Content-Type must be application/json");
  }
  if (context.policy == nullptr) {
    return refuse(request, http::status::service_unavailable,
                  "no valid policy is loaded: " + std::string(context.not_ready_reason));
  }
  auto decoded = admission::decode_review(std::move(request.body()));
  if (!decoded) {
    const std::string& reason = decoded.error().message;
    Answer answer = refuse(request, http::status::bad_request, "malformed AdmissionReview: " + reason);
    answer.malformed_review = reason;
    return answer;
  }
  std::optional<std::vector<std::string>> reads;
  if (!needs_reads(decoded->request(), context, reads)) {
    return Handled(std::in_place_type<DecidedReview>, std::move(decoded).value(), deciding(context, nullptr),
                   answering(request.version(), request.keep_alive()));
  }
  PendingReview pending{std::move(decoded).value(), {}, request.version(), request.keep_alive()};
  if (!reads) {
    return answer_review(std::move(pending), Problem("it names no object the API server could have"), context);
  }
  pending.reads = std::move(*reads);
  return pending;
}

DecidedReview answer_review(PendingReview pending, const Result<std::vector<std::string>>& read,
                            const HandlerContext& context) {
  return admission::is_eviction(pending.review.request()) ? answer_eviction(std::move(pending), read, context)
                                                          : answer_promotion(std::move(pending), read, context);
}

}  // namespace windowguard::server

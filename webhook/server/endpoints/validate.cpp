#include "server/endpoints/validate.hpp"

#include "admission/admission_decision.hpp"
#include "admission/exception_admission.hpp"
#include "admission/response_encoder.hpp"
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

// How a review is decided: with the cluster's facts, for an eviction the
// labels of its Pod as read, and for a promotion request its source's images.
auto deciding(const HandlerContext& context, admission::SourceImages promotion_source = {}) {
  return [&context, source = std::move(promotion_source)](const admission::AdmissionRequest& request,
                                                          const std::optional<EvictedPodRead>& evicted) mutable {
    admission::ObjectLabels labels;
    if (evicted && evicted->read) {
      for (const auto& [key, value] : evicted->labels) {
        labels.push_back({key, value});
      }
    }
    admission::ClusterFacts cluster{
        context.exceptions,      context.namespace_labels, {}, evicted && evicted->read ? &labels : nullptr,
        context.image_approvals, std::move(source)};
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

// An eviction is decided with its Pod's labels; unread, under every binding
// of its namespace.
DecidedReview answer_eviction(PendingReview pending, Result<cluster::ReviewFacts> read, const HandlerContext& context) {
  EvictedPodRead evicted;
  if (!read) {
    evicted.problem = read.error().message;
  } else if (auto* labels = std::get_if<cluster::PodLabels>(&read.value())) {
    evicted.read = true;
    evicted.labels = std::move(*labels);
  } else {
    evicted.problem = "the reader did not read a Pod";
  }
  return DecidedReview(std::move(pending.review), std::move(evicted), deciding(context),
                       answering(pending.version, pending.keep_alive));
}

// A promotion request is decided with the images its application runs in
// the namespace it names, read from its workloads and Pods.
DecidedReview answer_promotion(PendingReview pending, Result<cluster::ReviewFacts> read,
                               const HandlerContext& context) {
  admission::SourceImages images;
  if (!read) {
    images.unread = read.error().message;
  } else if (auto* running = std::get_if<core::RunningImages>(&read.value())) {
    images.images = std::move(*running);
  } else {
    images.unread = "the reader did not read the source's workloads";
  }
  return DecidedReview(std::move(pending.review), std::nullopt, deciding(context, std::move(images)),
                       answering(pending.version, pending.keep_alive));
}

// What the review must wait for from the API server, if anything: an
// eviction its Pod, a promotion request its source.
std::optional<cluster::ReviewRead> needs_of(const admission::AdmissionRequest& request, const HandlerContext& context) {
  if (!context.reads_cluster) {
    return std::nullopt;
  }
  if (admission::is_eviction(request)) {
    return cluster::PodToRead{std::string(request.namespace_name), std::string(request.name)};
  }
  if (auto source = admission::promotion_source(request)) {
    return cluster::SourceToRead{std::move(source->namespace_name), std::move(source->application),
                                 context.policy->settings()};
  }
  return std::nullopt;
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
  std::optional<cluster::ReviewRead> needs = needs_of(decoded->request(), context);
  if (!needs) {
    return Handled(std::in_place_type<DecidedReview>, std::move(decoded).value(), std::nullopt, deciding(context),
                   answering(request.version(), request.keep_alive()));
  }
  PendingReview pending{std::move(decoded).value(), std::move(*needs), request.version(), request.keep_alive()};
  if (!cluster::ReviewReader::names_objects(pending.needs)) {
    return answer_review(std::move(pending), Problem("it names no object the API server could have"), context);
  }
  return pending;
}

DecidedReview answer_review(PendingReview pending, Result<cluster::ReviewFacts> read, const HandlerContext& context) {
  const admission::AdmissionRequest& request = pending.review.request();
  if (admission::is_eviction(request)) {
    return answer_eviction(std::move(pending), std::move(read), context);
  }
  if (admission::promotion_source(request)) {
    return answer_promotion(std::move(pending), std::move(read), context);
  }
  // Nothing was needed from the API server.
  return DecidedReview(std::move(pending.review), std::nullopt, deciding(context),
                       answering(pending.version, pending.keep_alive));
}

}  // namespace windowguard::server

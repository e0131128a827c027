#pragma once
// docs/admission.md, "Request -> action": which governed action(s) a request is, and what it is about.
#include <string>
#include <string_view>

#include <boost/container/small_vector.hpp>
#include <boost/container/static_vector.hpp>

#include "admission/review_decoder.hpp"
#include "core/action.hpp"
#include "core/governed_resources.hpp"
#include "core/labels.hpp"
#include "core/policy.hpp"

namespace windowguard::admission {

// An object's labels, with inline room for a typical object's: no allocation
// per request.
using ObjectLabels = boost::container::small_vector<core::Label, 16>;

// A request's governed actions, held inline: at most two (an UPDATE with a
// new image and a scale to zero, or a CronJob's new job template and
// suspension).
using ClassifiedActions = boost::container::static_vector<core::Action, 2>;

struct Classification {
  // Governed actions, most significant first; empty when the request is not
  // governed.  An UPDATE can be two at once (a new image and a scale to zero).
  ClassifiedActions actions;
  std::string reason;     // why, in a few words ("spec.template changed")
  std::string_view kind;  // the object's kind, e.g. "Deployment"
  std::string_view environment;
  std::string_view application;
  ObjectLabels labels;
  // Every binding of the environment applies, whatever its applications and
  // selector: a Namespace DELETE, and a Pod eviction whose Pod could not be
  // read (the review does not carry its labels).
  bool whole_environment = false;
  bool object_is_the_environment = false;  // a Namespace
  // The pod spec that a deploy would run, and the one it replaces (null for
  // a CREATE): what image rules read.
  const rapidjson::Value* pod_spec = nullptr;
  const rapidjson::Value* old_pod_spec = nullptr;

  core::Subject subject() const {
    return {environment, application, {labels.data(), labels.size()}, whole_environment};
  }
};

// An object's metadata.labels (none for a null object), viewing its strings.
ObjectLabels labels_of(const rapidjson::Value* object);
// The member at `path` from `root`; null where any step is missing.
const rapidjson::Value* at_path(const rapidjson::Value* root, const core::FieldPath& path);
// The application its labels name (settings.appLabelKeys, in order); empty
// when none does.
std::string_view application_of(const ObjectLabels& labels, const core::Settings& settings);

// A CREATE of a Pod's eviction subresource (kubectl drain, the eviction API).
bool is_eviction(const AdmissionRequest& request);

// `evicted_pod_labels`: for an eviction, the labels of the Pod as the API
// server has it (they name its application); null when unread.
Classification classify(const AdmissionRequest& request, const core::Settings& settings,
                        const ObjectLabels* evicted_pod_labels = nullptr);

}  // namespace windowguard::admission

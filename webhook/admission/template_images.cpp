#include "admission/template_images.hpp"

#include <algorithm>

#include "admission/classifier.hpp"
#include "json/json_members.hpp"

namespace windowguard::admission {
namespace {

bool holds(const ImageList& list, std::string_view image) {
  return std::find(list.begin(), list.end(), image) != list.end();
}

ImageList images_of_pod_spec(const rapidjson::Value* pod_spec) {
  ImageList images;
  for (std::string_view containers : {"containers", "initContainers"}) {
    const rapidjson::Value* list = json::member(pod_spec, containers);
    if (list == nullptr || !list->IsArray()) {
      continue;
    }
    for (const rapidjson::Value& container : list->GetArray()) {
      const rapidjson::Value* image = json::member(&container, "image");
      if (image != nullptr && image->IsString() && !holds(images, json::text(*image))) {
        images.push_back(json::text(*image));
      }
    }
  }
  return images;
}

// The item's kind and apiVersion: its own (kubectl's List), else its list's
// ("DeploymentList" from the API server, whose items name neither).
const core::GovernedResource* governed_kind_of(const rapidjson::Value& item, const rapidjson::Value& list,
                                               const core::Settings& settings) {
  const auto text_of = [](const rapidjson::Value* value) {
    return value != nullptr && value->IsString() ? json::text(*value) : std::string_view{};
  };
  std::string_view kind = text_of(json::member(&item, "kind"));
  std::string_view api_version = text_of(json::member(&item, "apiVersion"));
  if (kind.empty()) {
    kind = text_of(json::member(&list, "kind"));
    if (kind.ends_with("List")) {
      kind.remove_suffix(4);
    }
    api_version = text_of(json::member(&list, "apiVersion"));
  }
  return core::find_governed_kind(settings, api_version, kind);
}

template <typename Visit>
void for_each_item(const rapidjson::Value& list, Visit visit) {
  const rapidjson::Value* items = json::member(&list, "items");
  if (items != nullptr && items->IsArray()) {
    for (const rapidjson::Value& item : items->GetArray()) {
      visit(item);
    }
  }
}

// Each container status of a Pod: its image as the runtime names it, and
// the repository digest it reports, if any.
template <typename Visit>
void for_each_status(const rapidjson::Value& pod, Visit visit) {
  const rapidjson::Value* status = json::member(&pod, "status");
  for (std::string_view list : {"containerStatuses", "initContainerStatuses"}) {
    const rapidjson::Value* statuses = json::member(status, list);
    if (statuses == nullptr || !statuses->IsArray()) {
      continue;
    }
    for (const rapidjson::Value& container : statuses->GetArray()) {
      const rapidjson::Value* image = json::member(&container, "image");
      const rapidjson::Value* image_id = json::member(&container, "imageID");
      visit(image != nullptr && image->IsString() ? json::text(*image) : std::string_view{},
            image_id != nullptr && image_id->IsString() ? core::reported_digest(json::text(*image_id)) : std::nullopt);
    }
  }
}

}  // namespace

void add_running_images(const rapidjson::Value& list, std::string_view application, const core::Settings& settings,
                        core::RunningImages& running) {
  for_each_item(list, [&](const rapidjson::Value& item) {
    const core::GovernedResource* kind = governed_kind_of(item, list, settings);
    if (kind == nullptr || application_of(labels_of(&item), settings) != application) {
      return;
    }
    if (kind->shape == core::ResourceShape::Pod) {
      for_each_status(item, [&](std::string_view, std::optional<core::ImageReference> digest) {
        if (digest) {
          running.reported.push_back(std::move(*digest));
        }
      });
      return;
    }
    // A Deployment's ReplicaSets keep its old templates: what a controller
    // owns is read through its owner.
    if (json::member(json::member(&item, "metadata"), "ownerReferences") != nullptr) {
      return;
    }
    for (std::string_view text : images_of_pod_spec(json::member(at_path(&item, kind->template_path), "spec"))) {
      if (Result<core::ImageReference> image = core::parse_image_reference(text)) {
        running.named.push_back(std::move(image).value());
      }
    }
  });
}

std::vector<core::ImageReference> images_to_promote(const rapidjson::Value& list, std::string_view application,
                                                    const core::Settings& settings) {
  core::RunningImages running;
  add_running_images(list, application, settings, running);
  std::vector<const rapidjson::Value*> pods;
  for_each_item(list, [&](const rapidjson::Value& item) {
    const core::GovernedResource* kind = governed_kind_of(item, list, settings);
    if (kind != nullptr && kind->shape == core::ResourceShape::Pod &&
        application_of(labels_of(&item), settings) == application) {
      pods.push_back(&item);
    }
  });
  std::vector<core::ImageReference> promoted;
  for (core::ImageReference image : running.named) {
    // The digest each Pod reports for a container of this image; one Pod
    // without one leaves the reference as the template names it.
    std::optional<std::string> digest;
    bool every_pod_agrees = !pods.empty() && image.digest.empty();
    for (const rapidjson::Value* pod : pods) {
      std::optional<std::string> reported;
      for_each_status(*pod, [&](std::string_view status_image, const std::optional<core::ImageReference>& pinned) {
        const Result<core::ImageReference> ran = core::parse_image_reference(status_image);
        if (ran && core::same_repository(*ran, image) && ran->tag == image.tag && pinned &&
            core::same_repository(*pinned, image)) {
          reported = pinned->digest;
        }
      });
      every_pod_agrees = every_pod_agrees && reported && (!digest || *digest == *reported);
      digest = reported;
    }
    if (every_pod_agrees) {
      image.digest = *digest;
    }
    if (std::find(promoted.begin(), promoted.end(), image) == promoted.end()) {
      promoted.push_back(std::move(image));
    }
  }
  return promoted;
}

TemplateImages template_images(const Classification& classification) {
  TemplateImages result{images_of_pod_spec(classification.pod_spec), {}};
  const ImageList old_images = images_of_pod_spec(classification.old_pod_spec);
  for (std::string_view image : result.images) {
    if (!holds(old_images, image)) {
      result.added.push_back(image);
    }
  }
  return result;
}

}  // namespace windowguard::admission

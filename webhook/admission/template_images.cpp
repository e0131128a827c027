#include "admission/template_images.hpp"

#include <algorithm>

#include "admission/classifier.hpp"
#include "admission/json_members.hpp"

namespace windowguard::admission {
namespace {

bool holds(const ImageList& list, std::string_view image) {
  return std::find(list.begin(), list.end(), image) != list.end();
}

ImageList images_of_pod_spec(const rapidjson::Value* pod_spec) {
  ImageList images;
  for (std::string_view containers : {"containers", "initContainers"}) {
    const rapidjson::Value* list = json_member(pod_spec, containers);
    if (list == nullptr || !list->IsArray()) {
      continue;
    }
    for (const rapidjson::Value& container : list->GetArray()) {
      const rapidjson::Value* image = json_member(&container, "image");
      if (image != nullptr && image->IsString() && !holds(images, json_text(*image))) {
        images.push_back(json_text(*image));
      }
    }
  }
  return images;
}

ImageList images_of(const rapidjson::Value* workload) {
  return images_of_pod_spec(json_member(json_member(json_member(workload, "spec"), "template"), "spec"));
}

}  // namespace

std::vector<core::ImageReference> application_images(const rapidjson::Value& list, std::string_view application,
                                                     const core::Settings& settings) {
  std::vector<core::ImageReference> images;
  const rapidjson::Value* items = json_member(&list, "items");
  if (items == nullptr || !items->IsArray()) {
    return images;
  }
  for (const rapidjson::Value& item : items->GetArray()) {
    if (application_of(labels_of(&item), settings) != application) {
      continue;
    }
    for (std::string_view text : images_of(&item)) {
      if (Result<core::ImageReference> image = core::parse_image_reference(text)) {
        images.push_back(std::move(image).value());
      }
    }
  }
  return images;
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

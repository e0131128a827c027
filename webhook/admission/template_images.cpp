#include "admission/template_images.hpp"

#include <algorithm>

#include "admission/json_members.hpp"

namespace windowguard::admission {
namespace {

bool holds(const ImageList& list, std::string_view image) {
  return std::find(list.begin(), list.end(), image) != list.end();
}

ImageList images_of(const rapidjson::Value* object) {
  ImageList images;
  const rapidjson::Value* pod_spec = json_member(json_member(json_member(object, "spec"), "template"), "spec");
  for (std::string_view containers : {"initContainers", "containers"}) {
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

}  // namespace

TemplateImages template_images(const AdmissionRequest& request) {
  TemplateImages result{images_of(request.object), {}};
  const ImageList old_images = images_of(request.old_object);
  for (std::string_view image : result.images) {
    if (!holds(old_images, image)) {
      result.added.push_back(image);
    }
  }
  return result;
}

}  // namespace windowguard::admission

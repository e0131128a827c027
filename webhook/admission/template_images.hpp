#pragma once
// The images a workload's pod template runs, and those a deploy adds
// (docs/approvals.md, "Which images need an approval").
#include <string_view>

#include <rapidjson/document.h>
#include <boost/container/small_vector.hpp>

#include "admission/review_decoder.hpp"

namespace windowguard::admission {

// Views of the review's own strings; inline room for a typical pod's.
using ImageList = boost::container::small_vector<std::string_view, 8>;

struct TemplateImages {
  ImageList images;  // every init container and container image of the new template, without repeats
  ImageList added;   // those the old template did not run: all of them for a CREATE
};

// The images of spec.template.spec of the request's object and old object.
TemplateImages template_images(const AdmissionRequest& request);

}  // namespace windowguard::admission

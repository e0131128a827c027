#pragma once
// The images a pod template runs, and those a deploy adds
// (docs/approvals.md, "Which images need an approval").
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <boost/container/small_vector.hpp>

#include "admission/classifier.hpp"
#include "core/image_reference.hpp"
#include "core/policy.hpp"

namespace windowguard::admission {

// Views of the review's own strings; inline room for a typical pod's.
using ImageList = boost::container::small_vector<std::string_view, 8>;

struct TemplateImages {
  ImageList images;  // every container and init container image of the new template, without repeats
  ImageList added;   // those the old template did not run: all of them for a CREATE
};

// The images of a deploy's new and old pod spec (Classification::pod_spec):
// a workload's or Job's template, a CronJob's job template, a Pod.
TemplateImages template_images(const Classification& classification);

// The images the application's workloads in a list (a DeploymentList, ...)
// run; an image that is no valid reference is left out, as nothing can
// approve it.
std::vector<core::ImageReference> application_images(const rapidjson::Value& list, std::string_view application,
                                                     const core::Settings& settings);

}  // namespace windowguard::admission

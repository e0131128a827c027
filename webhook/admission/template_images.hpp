#pragma once
// The images a pod template runs, and those a deploy adds
// (docs/approvals.md, "Which images need an approval").
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <boost/container/small_vector.hpp>

#include "admission/classifier.hpp"
#include "core/images/image_approval_writes.hpp"
#include "core/images/image_reference.hpp"
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

// What the application runs, from lists the API server or kubectl gives (a
// DeploymentList, a PodList, kubectl's List of both): the references its
// governed workloads' pod templates name, and the repository digests its
// Pods report.  A reference that is not valid is left out, as nothing can
// approve it.
void add_running_images(const rapidjson::Value& list, std::string_view application, const core::Settings& settings,
                        core::RunningImages& running);

// What `windowguard promote` records for the application, from kubectl's
// List of its source's workloads and Pods: each reference its pod templates
// name, pinned to the repository digest every one of its Pods reports for
// it when they all report one and the same, else as the template names it.
std::vector<core::ImageReference> images_to_promote(const rapidjson::Value& list, std::string_view application,
                                                    const core::Settings& settings);

}  // namespace windowguard::admission

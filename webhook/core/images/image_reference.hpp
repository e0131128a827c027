#pragma once
// Container image references, read as Docker reads them
// (docs/approvals.md, "Image references"): registry, repository, tag and
// digest, with Docker's defaults filled in so that two spellings of one
// image compare equal.
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace windowguard::core {

inline constexpr std::string_view kDefaultRegistry = "docker.io";
inline constexpr std::string_view kDefaultTag = "latest";

struct ImageReference {
  std::string registry;    // "docker.io" when the reference names none; may carry a port
  std::string repository;  // "library/nginx" for a bare "nginx" on docker.io
  std::string tag;         // "latest" when the reference has neither tag nor digest; else as written, maybe empty
  std::string digest;      // "sha256:<64 hex>", or empty

  // registry/repository[:tag][@digest]: the one spelling of this image.
  std::string normalized() const;
  // registry/repository: what two references of the same image share.
  std::string name() const;
  friend bool operator==(const ImageReference&, const ImageReference&) = default;
};

// The longest reference accepted, and the longest name (registry and
// repository), as Docker's distribution/reference has them.
inline constexpr std::size_t kLongestImageName = 255;
inline constexpr std::size_t kLongestImageReference = 4096;

// The same registry and repository: two builds or tags of one image.
inline bool same_repository(const ImageReference& a, const ImageReference& b) {
  return a.registry == b.registry && a.repository == b.repository;
}

// The reference as `docker pull` would read it, or why it is not one
// ("repository name must be lowercase", ...).
Result<ImageReference> parse_image_reference(std::string_view text);

// The repository digest a Pod's status.containerStatuses[].imageID reports
// ("docker.io/library/nginx@sha256:...", also behind "docker-pullable://");
// nullopt for an ID that names no repository (a bare "sha256:...", an image
// built on the node).
std::optional<ImageReference> reported_digest(std::string_view image_id);

}  // namespace windowguard::core

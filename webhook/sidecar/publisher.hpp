#pragma once
// The sidecar's one job: copy a policy directory (the mounted ConfigMap) to a
// publish directory shared with the webhook, but only versions that pass the
// same loader as `windowguard lint`, and only atomically.
//
// The publish directory is laid out as kubelet lays out a ConfigMap volume:
//   publish/..v<stamp>/<file>.yaml   one folder per accepted version
//   publish/..data -> ..v<stamp>     swapped with one rename(2)
//   publish/<file>.yaml -> ..data/<file>.yaml
// so the webhook sees either the old version or the new one, never a mix.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace windowguard::sidecar {

struct PublishOutcome {
  enum class Result { Published, Unchanged, Rejected, Failed } result;
  Problems errors;      // Rejected: why the version is invalid
  std::string failure;  // Failed: what went wrong while publishing
  std::string version;  // Published: the new version folder
};

class Publisher {
 public:
  Publisher(std::filesystem::path source, std::filesystem::path publish);

  // Validates the source as it is now and publishes it when valid and
  // different from what is published.  A rejected or failed attempt leaves
  // the publish directory exactly as it was.
  PublishOutcome publish_if_valid();

  // Whether the publish directory holds a published version (from this run or
  // an earlier one: an emptyDir outlives container restarts).
  bool has_published_version() const;

 private:
  std::filesystem::path source_;
  std::filesystem::path publish_;
  std::uint64_t sequence_ = 0;
};

}  // namespace windowguard::sidecar

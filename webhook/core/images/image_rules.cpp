#include "core/images/image_rules.hpp"

#include "core/glob.hpp"

namespace windowguard::core {

bool ImageCondition::matches(const ImageReference& reference) const {
  const auto field_matches = [](const std::optional<std::string>& pattern, const std::string& value) {
    return !pattern || glob_matches(*pattern, value);
  };
  if (!field_matches(registry, reference.registry) || !field_matches(repository, reference.repository) ||
      !field_matches(tag, reference.tag) || (image && !glob_matches(*image, reference.normalized()))) {
    return false;
  }
  switch (digest) {
    case DigestCondition::Any:
      return true;
    case DigestCondition::Present:
      return !reference.digest.empty();
    case DigestCondition::Absent:
      return reference.digest.empty();
    case DigestCondition::Matches:
      return glob_matches(digest_pattern, reference.digest);
  }
  return false;
}

std::string ImageCondition::describe() const {
  std::string text;
  const auto add = [&](std::string_view key, std::string_view value) {
    text += (text.empty() ? "" : ", ") + std::string(key) + ": " + std::string(value);
  };
  if (image) {
    add("image", *image);
  }
  if (registry) {
    add("registry", *registry);
  }
  if (repository) {
    add("repository", *repository);
  }
  if (tag) {
    add("tag", *tag);
  }
  switch (digest) {
    case DigestCondition::Any:
      break;
    case DigestCondition::Present:
      add("digest", "present");
      break;
    case DigestCondition::Absent:
      add("digest", "absent");
      break;
    case DigestCondition::Matches:
      add("digest", digest_pattern);
      break;
  }
  return "{" + text + "}";
}

}  // namespace windowguard::core

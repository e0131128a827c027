#include "core/images/image_reference.hpp"

#include <algorithm>

namespace windowguard::core {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

// A repository path component: lowercase letters and digits, separated by
// one '.', one or two '_', or any run of '-'.
bool is_path_component(std::string_view part) {
  std::size_t at = 0;
  const auto alnum_run = [&] {
    const std::size_t start = at;
    while (at < part.size() && is_lower_alnum(part[at])) {
      ++at;
    }
    return at > start;
  };
  if (!alnum_run()) {
    return false;
  }
  while (at < part.size()) {
    if (part[at] == '.') {
      ++at;
    } else if (part[at] == '_') {
      at += part.substr(at, 2) == "__" ? 2 : 1;
    } else if (part[at] == '-') {
      while (at < part.size() && part[at] == '-') {
        ++at;
      }
    } else {
      return false;
    }
    if (!alnum_run()) {
      return false;
    }
  }
  return true;
}

// A DNS label of a registry host: letters, digits and inner '-'.
bool is_host_label(std::string_view label) {
  return !label.empty() && is_alnum(label.front()) && is_alnum(label.back()) &&
         std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; });
}

bool is_host(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {  // an IPv6 address
    const std::string_view address = host.substr(1, host.size() - 2);
    return std::all_of(address.begin(), address.end(), [](char c) {
      return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':';
    });
  }
  while (true) {
    const std::size_t dot = host.find('.');
    if (!is_host_label(host.substr(0, dot))) {
      return false;
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    host.remove_prefix(dot + 1);
  }
}

bool is_registry(std::string_view registry) {
  const std::size_t bracket = registry.rfind(']');
  const std::size_t colon = registry.rfind(':');
  if (colon == std::string_view::npos || (bracket != std::string_view::npos && colon < bracket)) {
    return is_host(registry);
  }
  const std::string_view port = registry.substr(colon + 1);
  return is_host(registry.substr(0, colon)) && !port.empty() && std::all_of(port.begin(), port.end(), is_digit);
}

bool is_tag(std::string_view tag) {
  const auto word = [](char c) { return is_alnum(c) || c == '_'; };
  return !tag.empty() && tag.size() <= 128 && word(tag.front()) &&
         std::all_of(tag.begin(), tag.end(), [&](char c) { return word(c) || c == '.' || c == '-'; });
}

// Docker's registered digest algorithms and the length of their hex encoding.
Result<std::string> check_digest(std::string_view digest) {
  const std::size_t colon = digest.find(':');
  const std::string_view algorithm = digest.substr(0, colon);
  const std::string_view encoded = colon == std::string_view::npos ? std::string_view{} : digest.substr(colon + 1);
  std::size_t length = 0;
  if (algorithm == "sha256") {
    length = 64;
  } else if (algorithm == "sha512") {
    length = 128;
  } else {
    return Problem("digest \"" + std::string(digest) + "\" is not sha256:<64 hex digits> or sha512:<128 hex digits>");
  }
  if (encoded.size() != length || !std::all_of(encoded.begin(), encoded.end(), is_lower_hex)) {
    return Problem("digest \"" + std::string(digest) + "\" must be " + std::string(algorithm) + ": and " +
                   std::to_string(length) + " lowercase hex digits");
  }
  return std::string(digest);
}

// Whether the name's first component is a registry, as Docker decides: it
// has a '.' or a ':', is "localhost", or has an upper-case letter (which no
// repository may have).
bool names_a_registry(std::string_view first) {
  return first.find_first_of(".:") != std::string_view::npos || first == "localhost" ||
         std::any_of(first.begin(), first.end(), is_upper);
}

}  // namespace

std::string ImageReference::name() const { return registry + "/" + repository; }

std::string ImageReference::normalized() const {
  std::string text = name();
  if (!tag.empty()) {
    text += ":" + tag;
  }
  if (!digest.empty()) {
    text += "@" + digest;
  }
  return text;
}

Result<ImageReference> parse_image_reference(std::string_view text) {
  const auto refuse = [&](const std::string& why) {
    return Problem("image \"" + std::string(text.substr(0, 300)) + "\" is not a valid reference: " + why);
  };
  if (text.empty()) {
    return Problem("an image reference is empty");
  }
  if (text.size() > kLongestImageReference) {
    return refuse("longer than " + std::to_string(kLongestImageReference) + " characters");
  }
  ImageReference image;
  std::string_view rest = text;
  if (const std::size_t at = rest.find('@'); at != std::string_view::npos) {
    Result<std::string> digest = check_digest(rest.substr(at + 1));
    if (!digest) {
      return refuse(digest.error().message);
    }
    image.digest = std::move(*digest);
    rest = rest.substr(0, at);
  }
  const std::size_t last_slash = rest.rfind('/');
  const std::size_t last_colon = rest.rfind(':');
  if (last_colon != std::string_view::npos && (last_slash == std::string_view::npos || last_colon > last_slash)) {
    const std::string_view tag = rest.substr(last_colon + 1);
    if (!is_tag(tag)) {
      return refuse("tag \"" + std::string(tag) +
                    "\" must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
    }
    image.tag = tag;
    rest = rest.substr(0, last_colon);
  }
  const std::size_t first_slash = rest.find('/');
  std::string_view path = rest;
  if (first_slash != std::string_view::npos && names_a_registry(rest.substr(0, first_slash))) {
    const std::string_view registry = rest.substr(0, first_slash);
    if (!is_registry(registry)) {
      return refuse("registry \"" + std::string(registry) + "\" is not a host name with an optional :port");
    }
    image.registry = registry == "index.docker.io" ? kDefaultRegistry : registry;
    path = rest.substr(first_slash + 1);
  } else {
    image.registry = kDefaultRegistry;
  }
  if (path.empty()) {
    return refuse("it names no repository");
  }
  for (std::string_view remaining = path;;) {
    const std::size_t slash = remaining.find('/');
    const std::string_view component = remaining.substr(0, slash);
    if (!is_path_component(component)) {
      return refuse(std::any_of(component.begin(), component.end(), is_upper)
                        ? "repository name must be lowercase"
                        : "repository component \"" + std::string(component) +
                              "\" must be lowercase letters and digits, separated by '.', '_', '__' or '-'");
    }
    if (slash == std::string_view::npos) {
      break;
    }
    remaining.remove_prefix(slash + 1);
  }
  image.repository = image.registry == kDefaultRegistry && path.find('/') == std::string_view::npos
                         ? "library/" + std::string(path)
                         : std::string(path);
  // Docker bounds the name as completed: "nginx" is "docker.io/library/nginx".
  if (image.registry.size() + 1 + image.repository.size() > kLongestImageName) {
    return refuse("the name, completed to " + image.registry + "/" + image.repository.substr(0, 40) +
                  "..., is longer than " + std::to_string(kLongestImageName) + " characters");
  }
  if (image.tag.empty() && image.digest.empty()) {
    image.tag = kDefaultTag;
  }
  return image;
}

std::optional<ImageReference> reported_digest(std::string_view image_id) {
  constexpr std::string_view kDockerPullable = "docker-pullable://";
  if (image_id.starts_with(kDockerPullable)) {
    image_id.remove_prefix(kDockerPullable.size());
  }
  Result<ImageReference> reference = parse_image_reference(image_id);
  if (!reference || reference->digest.empty()) {
    return std::nullopt;
  }
  return std::move(reference).value();
}

}  // namespace windowguard::core

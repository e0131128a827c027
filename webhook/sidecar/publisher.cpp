#include "sidecar/publisher.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include "policy/policy_directory.hpp"

namespace windowguard::sidecar {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDataLink = "..data";

std::string read_file(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

// Same file names with the same contents.
bool same_contents(const fs::path& a, const fs::path& b) {
  std::error_code error;
  auto files_a = policy::list_policy_files(a, error);
  auto files_b = policy::list_policy_files(b, error);
  if (error || files_a.size() != files_b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < files_a.size(); ++i) {
    if (files_a[i].filename() != files_b[i].filename() || read_file(files_a[i]) != read_file(files_b[i])) {
      return false;
    }
  }
  return true;
}

// Replaces `link` with a symlink to `target` in one rename(2).
void swap_symlink(const fs::path& target, const fs::path& link) {
  const fs::path temporary = link.parent_path() / (link.filename().string() + ".tmp");
  fs::remove(temporary);
  fs::create_symlink(target, temporary);
  fs::rename(temporary, link);
}

}  // namespace

Publisher::Publisher(fs::path source, fs::path publish) : source_(std::move(source)), publish_(std::move(publish)) {}

bool Publisher::has_published_version() const {
  std::error_code error;
  return fs::is_directory(publish_ / kDataLink, error);
}

PublishOutcome Publisher::publish_if_valid() {
  const std::string stamp =
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + "." + std::to_string(++sequence_);
  const fs::path staging = publish_ / (".staging." + stamp);
  const std::string version = "..v" + stamp;
  try {
    // Copy first, then validate the copy: what is published is exactly what
    // was validated, even if the ConfigMap changes meanwhile.
    fs::create_directories(staging);
    std::error_code listing;
    std::vector<fs::path> files = policy::list_policy_files(policy::current_version_of(source_), listing);
    if (listing) {
      fs::remove_all(staging);
      return {PublishOutcome::Result::Rejected,
              {Problem{{source_.string()}, "cannot be listed: " + listing.message()}},
              {},
              {}};
    }
    for (const fs::path& file : files) {
      fs::copy_file(file, staging / file.filename());
    }
    auto loaded = policy::load_policy_directory(staging);
    if (!loaded) {
      fs::remove_all(staging);
      // Report locations in the source's terms, not the staging copy's.
      Problems problems = loaded.error();
      for (Problem& problem : problems) {
        const fs::path where(problem.where.file);
        problem.where.file = (where == staging ? source_ : source_ / where.filename()).string();
      }
      return {PublishOutcome::Result::Rejected, std::move(problems), {}, {}};
    }
    if (has_published_version() && same_contents(staging, publish_ / kDataLink)) {
      fs::remove_all(staging);
      return {PublishOutcome::Result::Unchanged, {}, {}, {}};
    }
    fs::rename(staging, publish_ / version);
    const fs::path previous = has_published_version() ? fs::read_symlink(publish_ / kDataLink) : fs::path{};
    swap_symlink(version, publish_ / kDataLink);
    for (const fs::path& file : files) {
      const fs::path link = publish_ / file.filename();
      if (!fs::is_symlink(link)) {
        swap_symlink(fs::path(kDataLink) / file.filename(), link);
      }
    }
    // Links to files the new version no longer has, then folders older than
    // the previous version (a reader may still be inside that one).
    for (const auto& entry : fs::directory_iterator(publish_)) {
      const std::string name = entry.path().filename().string();
      if (name.front() != '.' && entry.is_symlink() && !fs::exists(entry.path())) {
        fs::remove(entry.path());
      } else if (name.rfind("..v", 0) == 0 && name != version && fs::path(name) != previous) {
        fs::remove_all(entry.path());
      }
    }
    return {PublishOutcome::Result::Published, {}, {}, version};
  } catch (const fs::filesystem_error& problem) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    return {PublishOutcome::Result::Failed, {}, problem.what(), {}};
  }
}

}  // namespace windowguard::sidecar

#include "support/server_process.hpp"
#include "support/build_paths.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace windowguard::testing {
namespace {
constexpr std::chrono::seconds kStartTimeout{15};
}

ServerProcess::ServerProcess(const std::string& verb, const std::vector<std::string>& arguments,
                             const std::vector<std::string>& launcher) {
  int pipe_ends[2];
  if (pipe2(pipe_ends, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> argv_text = launcher;
  argv_text.insert(argv_text.end(), {build_paths::windowguard_binary, verb, "--listen", "127.0.0.1:0"});
  argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
  process_ = std::make_unique<ChildProcess>(argv_text, STDIN_FILENO, pipe_ends[1], pipe_ends[1]);
  close(pipe_ends[1]);
  reader_ = std::thread([this, descriptor = pipe_ends[0]] { read_output(descriptor); });
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, kStartTimeout, [this] {
    if (output_closed_) {
      return true;
    }
    for (const std::string& line : lines_) {
      const auto at = line.find("\"msg\":\"listening\"");
      const auto port = line.find("\"port\":");
      if (at != std::string::npos && port != std::string::npos) {
        port_ = static_cast<unsigned short>(std::stoi(line.substr(port + 7)));
        return true;
      }
    }
    return false;
  });
}

ServerProcess::~ServerProcess() {
  process_.reset();  // killed, when still running
  if (reader_.joinable()) {
    reader_.join();
  }
}

void ServerProcess::read_output(int descriptor) {
  std::string pending;
  char chunk[4096];
  while (true) {
    const ssize_t got = read(descriptor, chunk, sizeof chunk);
    if (got <= 0) {
      break;
    }
    pending.append(chunk, static_cast<std::size_t>(got));
    std::size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      const std::lock_guard lock(mutex_);
      lines_.push_back(pending.substr(0, newline));
      pending.erase(0, newline + 1);
      changed_.notify_all();
    }
  }
  close(descriptor);
  const std::lock_guard lock(mutex_);
  output_closed_ = true;
  changed_.notify_all();
}

void ServerProcess::signal(int number) const { process_->signal(number); }

int ServerProcess::wait_for_exit(std::chrono::milliseconds timeout) { return process_->wait_for_exit(timeout); }

long ServerProcess::resident_kib() const {
  std::ifstream status("/proc/" + std::to_string(pid()) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

long ServerProcess::open_descriptors() const { return static_cast<long>(descriptor_targets().size()); }

std::vector<std::string> ServerProcess::descriptor_targets() const {
  const std::filesystem::path descriptors = "/proc/" + std::to_string(pid()) + "/fd";
  std::vector<std::string> targets;
  std::error_code failed;
  for (std::filesystem::directory_iterator entry(descriptors, failed), end; !failed && entry != end;
       entry.increment(failed)) {
    std::error_code unreadable;  // closed since it was listed
    targets.push_back(std::filesystem::read_symlink(entry->path(), unreadable).string());
  }
  return targets;
}

std::vector<std::string> ServerProcess::log() const {
  const std::lock_guard lock(mutex_);
  return lines_;
}

bool ServerProcess::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return std::any_of(lines_.begin(), lines_.end(),
                       [&](const std::string& line) { return line.find(text) != std::string::npos; });
  });
}

std::size_t ServerProcess::count_log(const std::string& text) const {
  const std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(
      lines_.begin(), lines_.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; }));
}

}  // namespace windowguard::testing

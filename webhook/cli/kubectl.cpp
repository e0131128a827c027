#include "cli/kubectl.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <rapidjson/document.h>

#include "json/json_members.hpp"

extern char** environ;

namespace windowguard::cli {
namespace {

// Reads the child's output and writes its input, all three at once, so that
// neither side waits on a full pipe.
void exchange(int input, int output, int error, const std::string& text, KubectlResult& result) {
  std::size_t written = 0;
  std::array<pollfd, 3> descriptors{{{output, POLLIN, 0}, {error, POLLIN, 0}, {input, POLLOUT, 0}}};
  if (text.empty()) {
    close(input);
    descriptors[2].fd = -1;
  }
  char buffer[8192];
  while (descriptors[0].fd >= 0 || descriptors[1].fd >= 0) {
    if (poll(descriptors.data(), descriptors.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    for (std::size_t i = 0; i < 2; ++i) {
      if (descriptors[i].fd >= 0 && (descriptors[i].revents & (POLLIN | POLLHUP)) != 0) {
        const ssize_t got = read(descriptors[i].fd, buffer, sizeof buffer);
        if (got <= 0) {
          close(descriptors[i].fd);
          descriptors[i].fd = -1;
        } else {
          (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(got));
        }
      }
    }
    if (descriptors[2].fd >= 0 && (descriptors[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const ssize_t put = write(input, text.data() + written, text.size() - written);
      written += put > 0 ? static_cast<std::size_t>(put) : text.size();
      if (written >= text.size()) {
        close(input);
        descriptors[2].fd = -1;
      }
    }
  }
}

}  // namespace

Result<KubectlResult> run_kubectl(const std::vector<std::string>& arguments, const std::string& input) {
  // A kubectl that exits before reading its input must not kill the CLI.
  std::signal(SIGPIPE, SIG_IGN);
  const char* chosen = std::getenv("WINDOWGUARD_KUBECTL");
  const std::string program = chosen != nullptr && *chosen != '\0' ? chosen : "kubectl";
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  std::vector<char*> pointers;
  pointers.reserve(argv.size() + 1);
  for (std::string& argument : argv) {
    pointers.push_back(argument.data());
  }
  pointers.push_back(nullptr);
  int to_child[2];
  int from_child[2];
  int errors_from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0 ||
      pipe2(errors_from_child, O_CLOEXEC) != 0) {
    return Problem(std::string("cannot make pipes for kubectl: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
  posix_spawn_file_actions_adddup2(&actions, errors_from_child[1], 2);
  pid_t child = -1;
  const int spawned = posix_spawnp(&child, program.c_str(), &actions, nullptr, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(to_child[0]);
  close(from_child[1]);
  close(errors_from_child[1]);
  if (spawned != 0) {
    close(to_child[1]);
    close(from_child[0]);
    close(errors_from_child[0]);
    return Problem("cannot run " + program + ": " + std::strerror(spawned) +
                   " (install kubectl, or name it in WINDOWGUARD_KUBECTL)");
  }
  KubectlResult result;
  exchange(to_child[1], from_child[0], errors_from_child[0], input, result);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

Result<Caller> who_am_i() {
  auto answer = run_kubectl({"auth", "whoami", "-o", "json"});
  if (!answer) {
    return answer.error();
  }
  if (answer->exit_code != 0) {
    return Problem("kubectl auth whoami failed: " + answer->err);
  }
  rapidjson::Document review;
  review.Parse(answer->out.c_str());
  const rapidjson::Value* user =
      json::member(json::member(review.HasParseError() ? nullptr : &review, "status"), "userInfo");
  const rapidjson::Value* username = json::member(user, "username");
  if (username == nullptr || !username->IsString()) {
    return Problem("kubectl auth whoami printed no username");
  }
  Caller caller;
  caller.username = json::text(*username);
  if (const rapidjson::Value* groups = json::member(user, "groups"); groups != nullptr && groups->IsArray()) {
    for (const rapidjson::Value& group : groups->GetArray()) {
      if (group.IsString()) {
        caller.groups.emplace_back(json::text(group));
      }
    }
  }
  return caller;
}

Result<std::string> kubectl_namespace() {
  auto answer = run_kubectl({"config", "view", "--minify", "-o", "jsonpath={.contexts[0].context.namespace}"});
  if (!answer) {
    return answer.error();
  }
  if (answer->exit_code != 0) {
    return Problem("no -n given, and kubectl has no current context to take a namespace from: " + answer->err);
  }
  const std::size_t end = answer->out.find_last_not_of(" \n");
  return end == std::string::npos ? std::string("default") : answer->out.substr(0, end + 1);
}

}  // namespace windowguard::cli

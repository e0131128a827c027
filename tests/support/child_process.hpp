#pragma once
// A process the tests started: its standard streams are the descriptors it
// was given, it dies with the test process (PR_SET_PDEATHSIG), and it is
// killed when this object goes, so that no test leaves one behind.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace windowguard::testing {

class ChildProcess {
 public:
  // Runs `argv` (argv[0] looked up on PATH) with the given descriptors as its
  // stdin, stdout and stderr, and `inherited` as its descriptors 3, 4, ...
  // The caller keeps and closes its descriptors.
  ChildProcess(const std::vector<std::string>& argv, int input, int output, int error,
               const std::vector<int>& inherited = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool exited() const { return exit_status_ != -1; }
  void signal(int number) const;
  // The exit status (128 + N for signal N), or -1 when still running after
  // `timeout`.
  int wait_for_exit(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL after `grace`; returns the exit status.
  int stop(std::chrono::milliseconds grace);

 private:
  pid_t pid_ = -1;
  int exit_status_ = -1;
};

// Runs a command to its end (bounded) and collects what it printed.
struct CommandResult {
  int exit_code = -1;  // -1: killed at the deadline
  std::string out;
  std::string err;
};
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input,
                          std::chrono::milliseconds deadline);

}  // namespace windowguard::testing

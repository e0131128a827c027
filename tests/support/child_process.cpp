#include "support/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <stdexcept>
#include <thread>
#include <vector>

namespace windowguard::testing {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, int input, int output, int error,
                           const std::vector<int>& inherited) {
  std::vector<std::string> text = argv;
  std::vector<char*> pointers;
  for (std::string& argument : text) {
    pointers.push_back(argument.data());
  }
  pointers.push_back(nullptr);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) {
      _exit(127);  // the test process is already gone
    }
    dup2(input, STDIN_FILENO);
    dup2(output, STDOUT_FILENO);
    dup2(error, STDERR_FILENO);
    for (int descriptor : {input, output, error}) {
      if (descriptor > STDERR_FILENO) {
        close(descriptor);
      }
    }
    // Out of the way first, so that placing one cannot overwrite another.
    std::vector<int> moved;
    for (int descriptor : inherited) {
      moved.push_back(fcntl(descriptor, F_DUPFD_CLOEXEC, 100));
    }
    for (std::size_t i = 0; i < moved.size(); ++i) {
      dup2(moved[i], STDERR_FILENO + 1 + static_cast<int>(i));  // without FD_CLOEXEC: exec keeps it
    }
    execvp(pointers[0], pointers.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (!exited()) {
    signal(SIGKILL);
    wait_for_exit(std::chrono::seconds(10));
  }
}

void ChildProcess::signal(int number) const {
  if (pid_ > 0 && exit_status_ == -1) {
    kill(pid_, number);
  }
}

int ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (exit_status_ == -1) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_status_;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  signal(SIGTERM);
  if (wait_for_exit(grace) == -1) {
    signal(SIGKILL);
    wait_for_exit(std::chrono::seconds(10));
  }
  return exit_status_;
}

namespace {

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe failed");
    }
    read = ends[0];
    write = ends[1];
  }
  ~Pipe() { close_both(); }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_read() { close_end(read); }
  void close_write() { close_end(write); }
  void close_both() {
    close_read();
    close_write();
  }

 private:
  static void close_end(int& descriptor) {
    if (descriptor != -1) {
      close(descriptor);
      descriptor = -1;
    }
  }
};

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input,
                          std::chrono::milliseconds deadline) {
  // A command that exits before reading all of its input must not kill the
  // test process with SIGPIPE.
  static const bool sigpipe_ignored = std::signal(SIGPIPE, SIG_IGN) != SIG_ERR;
  (void)sigpipe_ignored;
  Pipe in;
  Pipe out;
  Pipe err;
  ChildProcess child(argv, in.read, out.write, err.write);
  in.close_read();
  out.close_write();
  err.close_write();
  // The input is written by a thread, so that a command that prints much
  // before reading cannot block on a full pipe.
  std::thread writer([&in, &input] {
    std::size_t written = 0;
    while (written < input.size()) {
      const ssize_t count = write(in.write, input.data() + written, input.size() - written);
      if (count <= 0) {
        break;
      }
      written += static_cast<std::size_t>(count);
    }
    in.close_write();
  });
  CommandResult result;
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::array<pollfd, 2> streams{{{out.read, POLLIN, 0}, {err.read, POLLIN, 0}}};
  std::array<std::string*, 2> targets{&result.out, &result.err};
  int open_streams = 2;
  while (open_streams > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0 || poll(streams.data(), streams.size(), static_cast<int>(left.count())) <= 0) {
      break;
    }
    for (std::size_t i = 0; i < streams.size(); ++i) {
      if (streams[i].fd == -1 || streams[i].revents == 0) {
        continue;
      }
      char chunk[8192];
      const ssize_t count = read(streams[i].fd, chunk, sizeof chunk);
      if (count > 0) {
        targets[i]->append(chunk, static_cast<std::size_t>(count));
      } else {
        streams[i].fd = -1;
        --open_streams;
      }
    }
  }
  if (open_streams > 0) {
    child.signal(SIGKILL);  // past the deadline
  }
  const int status = child.wait_for_exit(std::chrono::seconds(10));
  writer.join();
  result.exit_code = open_streams > 0 ? -1 : status;
  return result;
}

}  // namespace windowguard::testing

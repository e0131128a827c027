#pragma once
// Starts the real windowguard binary (`serve` or `sidecar`, listening on
// 127.0.0.1:0) and reads its JSON log lines.  Every wait is bounded.
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"

namespace windowguard::testing {

class ServerProcess {
 public:
  // Starts `windowguard <verb> --listen 127.0.0.1:0 <arguments>` and waits
  // (bounded) for its "listening" line, or for it to exit.  `launcher`, when
  // given, is a command that execs the rest (setpriv, unshare): it must keep
  // the process id, so that signals reach windowguard itself.
  ServerProcess(const std::string& verb, const std::vector<std::string>& arguments,
                const std::vector<std::string>& launcher = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  bool running() const { return port_ != 0; }
  pid_t pid() const { return process_->pid(); }
  // From /proc: resident memory in KiB, open file descriptors, and what each
  // of them refers to.
  long resident_kib() const;
  long open_descriptors() const;
  std::vector<std::string> descriptor_targets() const;

  // Sends a signal; `wait_for_exit` returns the exit status, or -1 on timeout.
  void signal(int number) const;
  int wait_for_exit(std::chrono::milliseconds timeout);

  // Log lines so far; `wait_for_log` waits (bounded) for one containing `text`.
  std::vector<std::string> log() const;
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const;
  std::size_t count_log(const std::string& text) const;

 private:
  void read_output(int descriptor);

  std::unique_ptr<ChildProcess> process_;
  unsigned short port_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool output_closed_ = false;
};

}  // namespace windowguard::testing

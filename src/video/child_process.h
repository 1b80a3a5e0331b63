// A command started for an exec: source: `/bin/sh -c COMMAND` in its own process group, its
// stdout a pipe that GStreamer reads, stdin /dev/null, stderr shared with coralpi (so a camera
// tool's messages stay visible). Stopping signals the whole group (the shell and whatever it
// started), then reaps it.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "core/result.h"

namespace coralpi {

class ChildProcess {
 public:
  static Result<std::unique_ptr<ChildProcess>> Start(const std::string& command);
  ~ChildProcess();  // Stop()

  int stdout_fd() const { return stdout_fd_; }
  // SIGTERM to the process group, then SIGKILL after `grace_ms` if it is still there; waits.
  void Stop(int grace_ms = 500);
  // How it ended, once it has: "exited with status N", "killed by signal N"; "" while running.
  std::string ExitDescription();

 private:
  ChildProcess(pid_t pid, int fd) : pid_(pid), stdout_fd_(fd) {}
  bool Reap(bool block);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int status_ = 0;
  bool reaped_ = false;
};

}  // namespace coralpi

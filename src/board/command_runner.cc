// Running commands for setup; see command_runner.h.
#include "board/command_runner.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace coralpi::board {
namespace {

// Reads everything from `fd` until end of file, then closes it.
std::string Drain(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(fd);
  return out;
}

}  // namespace

std::string CommandLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& a : argv) {
    bool quote = a.empty() || a.find_first_of(" \t'\"") != std::string::npos;
    line += (line.empty() ? "" : " ") + (quote ? "'" + a + "'" : a);
  }
  return line;
}

Result<CommandResult> SystemCommandRunner::Run(const std::vector<std::string>& argv) {
  std::string line = CommandLine(argv);
  if (root_ != "/") {
    return MakeError(line, "not run: the root is " + root_ +
                               ", not this machine; run it on that machine itself");
  }
  if (argv.empty()) return MakeError("setup", "empty command");
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return MakeError(line, std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    return MakeError(line, std::string("cannot start: ") + std::strerror(rc));
  }
  CommandResult result;
  result.output = Drain(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return MakeError(line, std::string("waitpid: ") + std::strerror(errno));
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace coralpi::board

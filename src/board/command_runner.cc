// Running commands for setup; see command_runner.h.
#include "board/command_runner.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

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

// The executable `name` names: itself when it holds a '/', else the first match on PATH; "" when
// there is none. Looked up before spawning because where the spawned child reports a failed exec
// differs (under qemu-user, posix_spawnp's child exits 127 instead of returning ENOENT).
std::string FindProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  for (size_t start = 0; start <= dirs.size();) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = end > start ? dirs.substr(start, end - start) : ".";
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
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
  const std::string program = FindProgram(argv[0]);
  if (program.empty()) return MakeError(line, "cannot start: " + argv[0] + " not found");
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
  int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, args.data(), environ);
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

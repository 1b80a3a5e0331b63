// See live_forward.h. Only in the lean `coralpi` binary.
#include "live_forward.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "bench_source.h"

namespace coralpi::cli {
namespace {

std::vector<char*>& CommandLine() {
  static std::vector<char*> argv;
  return argv;
}

}  // namespace

void RememberCommandLine(int argc, char** argv) {
  CommandLine().assign(argv, argv + argc);
  CommandLine().push_back(nullptr);
}

std::vector<std::string> LiveBinaryCandidates() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::filesystem::path dir = ec ? std::filesystem::path(".") : self.parent_path();
  return {(dir / "coralpi-live").string(),
          (dir.parent_path() / "libexec" / "coralpi" / "coralpi-live").string()};
}

int RunInLiveBinary() {
  std::vector<char*>& argv = CommandLine();
  if (argv.empty()) return ReportError(Error{"internal: no command line to hand to coralpi-live"});
  std::string tried;
  for (const std::string& path : LiveBinaryCandidates()) {
    if (::access(path.c_str(), X_OK) != 0) {
      tried += (tried.empty() ? "" : ", ") + path;
      continue;
    }
    std::fflush(nullptr);
    ::execv(path.c_str(), argv.data());
    return ReportError(Error{"cannot run " + path + ": " + std::strerror(errno)});
  }
  return ReportError(Error{std::string("coralpi ") + (argv.size() > 2 ? argv[1] : "") +
                           " runs in coralpi-live (the video and service commands), which is "
                           "not installed: not found at " + tried +
                           ". Install the whole coralpi package, or build the coralpi-live target"});
}

RunFn AddForwardedCommand(CLI::App& sub) {
  sub.set_help_flag();  // --help goes to coralpi-live, which knows the flags
  sub.allow_extras();
  sub.prefix_command();
  return [] { return RunInLiveBinary(); };
}

// bench's flags are declared here too (bench_source_flags.cc); the run is coralpi-live's.
int RunSourceBench(const SourceBenchFlags&, const EngineFlags&, const BackendFlags&, bool) {
  return RunInLiveBinary();
}

}  // namespace coralpi::cli

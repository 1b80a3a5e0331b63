#include "cli_runner.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace coralpi::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Quote(const std::string& a) {
  std::string q = "'";
  for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

CliResult RunCoralpi(const std::vector<std::string>& args) {
  char dir[] = "/tmp/coralpi-cli-XXXXXX";
  std::string tmp = ::mkdtemp(dir);
  std::string cmd = Quote(std::string(CORALPI_BINARY_DIR) + "/cli/coralpi");
  for (const std::string& a : args) cmd += " " + Quote(a);
  cmd += " >" + tmp + "/out 2>" + tmp + "/err </dev/null";
  int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = Slurp(tmp + "/out");
  r.err = Slurp(tmp + "/err");
  std::system(("rm -rf " + Quote(tmp)).c_str());
  return r;
}

}  // namespace coralpi::testing

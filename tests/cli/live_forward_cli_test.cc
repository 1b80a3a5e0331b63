// The two binaries (cli/live_forward.h): coralpi links none of the video and service libraries
// and hands watch, serve and bench --source to coralpi-live beside it, with a clear error when
// coralpi-live is missing.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli_runner.h"

namespace coralpi::testing {
namespace {

const std::string kBin = std::string(CORALPI_BINARY_DIR) + "/cli";

std::string Output(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

TEST(LiveForward, CoralpiLinksNoVideoOrServiceLibrary) {
  const std::string needed = Output("readelf -d '" + kBin + "/coralpi' 2>&1");
  ASSERT_NE(needed.find("(NEEDED)"), std::string::npos) << needed;
  for (const char* lib : {"libgstreamer", "libmosquitto", "libcpp-httplib", "libyaml-cpp",
                          "libssl", "libcrypto"}) {
    EXPECT_EQ(needed.find(lib), std::string::npos) << "coralpi links " << lib;
  }
  // ... and coralpi-live does link them: the split is real, not two copies of one binary.
  const std::string live = Output("readelf -d '" + kBin + "/coralpi-live' 2>&1");
  for (const char* lib : {"libgstreamer", "libmosquitto", "libyaml-cpp"}) {
    EXPECT_NE(live.find(lib), std::string::npos) << "coralpi-live lacks " << lib;
  }
}

TEST(LiveForward, WatchHelpComesFromCoralpiLive) {
  CliResult r = RunCoralpi({"watch", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("--every-frame"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("coralpi watch"), std::string::npos) << r.out;  // the name it was run by
}

TEST(LiveForward, ServeCheckRunsInCoralpiLive) {
  CliResult r = RunCoralpi({"serve", "--config", "/nonexistent/coralpi.yaml", "--check"});
  EXPECT_EQ(r.exit_code, 4);  // not found, passed back through coralpi's exec of coralpi-live
  EXPECT_NE(r.err.find("/nonexistent/coralpi.yaml"), std::string::npos) << r.err;
}

TEST(LiveForward, MissingCoralpiLiveIsAClearError) {
  char dir[] = "/tmp/coralpi-lean-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::filesystem::path alone = std::filesystem::path(dir) / "coralpi";
  std::filesystem::copy_file(kBin + "/coralpi", alone);
  const std::string err = Output("'" + alone.string() + "' watch test: 2>&1; echo \"exit $?\"");
  // Other commands still run without it.
  const std::string version = Output("'" + alone.string() + "' --version 2>&1");
  std::filesystem::remove_all(dir);
  EXPECT_NE(err.find("exit 1"), std::string::npos) << err;
  EXPECT_NE(err.find("coralpi watch runs in coralpi-live"), std::string::npos) << err;
  EXPECT_NE(err.find(std::string(dir) + "/coralpi-live"), std::string::npos) << err;
  EXPECT_NE(version.find("coralpi 0."), std::string::npos) << version;
}

}  // namespace
}  // namespace coralpi::testing

// The coralpi binary's doctor and setup commands on fake trees: exit codes, JSON, and the
// acceptance path (doctor on a stock tree, setup --apply on a copy, doctor again, --undo).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "fake_tree.h"

namespace coralpi::board {
namespace {

using testing::FakeTree;

const std::string kBinary = std::string(CORALPI_BINARY_DIR) + "/cli/coralpi";

struct CmdRun {
  int code = -1;
  std::string out;
};

CmdRun Coralpi(const std::string& args) {
  CmdRun r;
  std::string cmd = kBinary + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(kBinary.c_str(), X_OK) != 0) GTEST_SKIP() << kBinary << " was not built";
  }
};

TEST_F(CliTest, DoctorOnStockTreeListsFailuresWithFixes) {
  FakeTree t;
  testing::BuildStockPi5(t);
  CmdRun r = Coralpi("doctor --no-color --user pi --root " + t.root());
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(r.out.find("Raspberry Pi 5 Model B Rev 1.0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[FAIL] 4K-page kernel configured"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fix: coralpi setup appends 'kernel=kernel8.img'"), std::string::npos);
  EXPECT_NE(r.out.find("sudo usermod -aG apex pi"), std::string::npos);
}

TEST_F(CliTest, DoctorJsonIsValidWithOneEntryPerCheck) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  CmdRun r = Coralpi("doctor --json --user pi --root " + t.root() + " 2>/dev/null");
  EXPECT_EQ(r.code, 0) << r.out;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  ASSERT_TRUE(j["checks"].is_array());
  EXPECT_GE(j["checks"].size(), 29u);
  EXPECT_EQ(j["summary"]["fail"], 0);
}

TEST_F(CliTest, SetupApplyDoctorUndo) {
  FakeTree stock, copy;
  testing::BuildStockPi5(stock);
  stock.CopyTo(copy);
  auto original = copy.Snapshot();
  std::string root = " --user pi --root " + copy.root();

  CmdRun dry = Coralpi("setup" + root);
  EXPECT_EQ(dry.code, 3) << dry.out;
  EXPECT_NE(dry.out.find("+++ b/boot/firmware/config.txt"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("Nothing was written"), std::string::npos);
  EXPECT_EQ(copy.Snapshot(), original);

  CmdRun apply = Coralpi("setup --apply" + root);
  EXPECT_EQ(apply.code, 0) << apply.out;
  EXPECT_NE(apply.out.find("sudo reboot"), std::string::npos) << apply.out;

  CmdRun doctor = Coralpi("doctor --json" + root + " 2>/dev/null");
  nlohmann::json j = nlohmann::json::parse(doctor.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << doctor.out;
  for (const auto& c : j["checks"]) {
    if (c["config"].get<bool>()) {
      EXPECT_NE(c["status"], "fail") << c.dump();
    }
  }
  EXPECT_TRUE(j["reboot_required"].get<bool>());

  CmdRun again = Coralpi("setup --apply" + root);
  EXPECT_EQ(again.code, 0);
  EXPECT_NE(again.out.find("nothing to change"), std::string::npos) << again.out;

  CmdRun undo = Coralpi("setup --undo" + root);
  EXPECT_EQ(undo.code, 0) << undo.out;
  EXPECT_EQ(copy.Snapshot(), original);
}

// The acceptance: setup --apply on the trixie tree, then doctor; a second --apply writes
// nothing; --undo restores every byte.
TEST_F(CliTest, TrixieSetupRepairsTheDriverSourceAndAddsTheUser) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  auto original = t.Snapshot();
  std::string root = " --user pi --root " + t.root();

  CmdRun before = Coralpi("doctor --no-color" + root);
  EXPECT_EQ(before.code, 3);
  EXPECT_NE(before.out.find("[FAIL] Driver build log free of errors (driver.build-log)"),
            std::string::npos)
      << before.out;
  EXPECT_NE(before.out.find("fix: coralpi setup --apply patches those lines"), std::string::npos);

  CmdRun apply = Coralpi("setup --apply --add-user pi" + root);
  EXPECT_EQ(apply.code, 0) << apply.out;
  EXPECT_NE(apply.out.find("-\t.llseek = no_llseek,\n+\t.llseek = noop_llseek,\n"),
            std::string::npos)
      << apply.out;
  EXPECT_NE(apply.out.find("not run here: the root is " + t.root()), std::string::npos);
  EXPECT_NE(apply.out.find("sudo dkms install -m gasket -v 1.0 -k 6.12.47+rpt-rpi-2712"),
            std::string::npos);
  EXPECT_NE(apply.out.find("kernel 6.12.47+rpt-rpi-v8 still lacks its headers"), std::string::npos);
  EXPECT_NE(t.Read("etc/group").find("\napex:x:999:pi\n"), std::string::npos);

  CmdRun after = Coralpi("doctor --no-color" + root);
  EXPECT_NE(after.out.find("[warn] Driver build log free of errors (driver.build-log)"),
            std::string::npos)
      << after.out;
  EXPECT_NE(after.out.find("[ ok ] apex group and membership (access.group)"), std::string::npos);

  auto applied = t.Snapshot();
  CmdRun again = Coralpi("setup --apply --add-user pi" + root);
  EXPECT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("nothing to change"), std::string::npos) << again.out;
  EXPECT_EQ(t.Snapshot(), applied);

  CmdRun undo = Coralpi("setup --undo" + root);
  EXPECT_EQ(undo.code, 0) << undo.out;
  EXPECT_EQ(t.Snapshot(), original);
}

TEST_F(CliTest, AddUserWithoutANameNeedsSudoUser) {
  if (std::getenv("SUDO_USER") != nullptr) GTEST_SKIP() << "SUDO_USER is set";
  FakeTree t;
  testing::BuildTrixiePi5(t);
  CmdRun r = Coralpi("setup --add-user --root " + t.root());
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("--add-user: no user named and SUDO_USER is not set"), std::string::npos)
      << r.out;
}

TEST_F(CliTest, ErrorsAndUsage) {
  CmdRun bad_root = Coralpi("doctor --root /nonexistent/coralpi-root");
  EXPECT_EQ(bad_root.code, 1);
  EXPECT_NE(bad_root.out.find("coralpi: error: --root /nonexistent/coralpi-root"),
            std::string::npos)
      << bad_root.out;
  EXPECT_EQ(Coralpi("doctor --no-such-flag").code, 2);
  EXPECT_EQ(Coralpi("setup --apply --undo --root /tmp").code, 2);
}

TEST_F(CliTest, DoctorOnThisMachine) {
  FILE* f = std::fopen("/proc/device-tree/compatible", "rb");
  if (f != nullptr) {
    std::fclose(f);
    GTEST_SKIP() << "this machine has a device tree; the x86 expectation does not apply";
  }
  CmdRun r = Coralpi("doctor --no-color");
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(r.out.find("not a Raspberry Pi 5"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CPU engine"), std::string::npos);
}

}  // namespace
}  // namespace coralpi::board

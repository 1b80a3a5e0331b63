// setup on fake trees: plan and diff, apply on a copy of the stock tree (then doctor passes
// every configuration check), idempotence, byte-exact undo, unwritable files, --patch-dtb.
#include "board/setup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

extern "C" {
#include <libfdt.h>
}

#include "board/device_tree.h"
#include "fake_tree.h"
#include "setup_test_util.h"

namespace coralpi::board {
namespace {

using testing::ChangeOf;
using testing::FakeTree;

const std::time_t kNow = 1717000000;  // a fixed time, so backup names are predictable

TEST(SetupTest, PlanOnStockTreeWritesNothing) {
  FakeTree t;
  testing::BuildStockPi5(t);
  auto before = t.Snapshot();
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(t.Snapshot(), before);
  ASSERT_EQ(plan->changes.size(), 3u);

  const FileChange* config = ChangeOf(*plan, "boot/firmware/config.txt");
  ASSERT_NE(config, nullptr);
  // Appended after the stock file's final [all]: every original byte first, then the lines.
  EXPECT_EQ(config->after.substr(0, config->before.size()), config->before);
  std::string added = config->after.substr(config->before.size());
  EXPECT_NE(added.find("dtparam=pciex1\n"), std::string::npos) << added;
  EXPECT_NE(added.find("kernel=kernel8.img\n"), std::string::npos);
  EXPECT_NE(added.find("dtoverlay=pineboards-hat-ai\n"), std::string::npos);
  EXPECT_EQ(added.find("[all]"), std::string::npos);  // the stock file already ends in [all]
  // The stock file's dtoverlay=vc4-kms-v3d scope is closed before the dtparam.
  EXPECT_LT(added.find("dtoverlay=\n"), added.find("dtparam=pciex1"));

  const FileChange* cmdline = ChangeOf(*plan, "boot/firmware/cmdline.txt");
  ASSERT_NE(cmdline, nullptr);
  EXPECT_EQ(cmdline->after,
            std::string(testing::kStockCmdlineTxt)
                .insert(std::string(testing::kStockCmdlineTxt).size() - 1, " pcie_aspm=off"));

  const FileChange* udev = ChangeOf(*plan, "etc/udev/rules.d/65-apex.rules");
  ASSERT_NE(udev, nullptr);
  EXPECT_TRUE(udev->created);
  EXPECT_EQ(udev->after, "SUBSYSTEM==\"apex\", MODE=\"0660\", GROUP=\"apex\"\n");

  std::string diff = RenderChange(*config);
  EXPECT_EQ(diff.rfind("--- a/boot/firmware/config.txt\n+++ b/boot/firmware/config.txt\n", 0), 0u)
      << diff;
  EXPECT_NE(diff.find("+kernel=kernel8.img\n"), std::string::npos);
  EXPECT_EQ(RenderChange(*udev).rfind("--- /dev/null\n", 0), 0u);

  // What is left is manual, in order, ending with the reboot.
  const std::vector<std::string>& steps = plan->manual_steps;
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps.back(), "sudo reboot");
  auto has = [&](const std::string& s) {
    return std::find_if(steps.begin(), steps.end(), [&](const std::string& x) {
             return x.find(s) != std::string::npos;
           }) != steps.end();
  };
  EXPECT_TRUE(has("gasket-dkms"));
  EXPECT_TRUE(has("groupadd"));
  EXPECT_TRUE(has("usermod -aG apex pi"));
  EXPECT_TRUE(has("libedgetpu1-std"));
}

TEST(SetupTest, ApplyThenDoctorPassesEveryConfigCheckThenUndoRestoresBytes) {
  FakeTree stock, t;
  testing::BuildStockPi5(stock);
  stock.CopyTo(t);
  auto original = t.Snapshot();
  RootFs fs(t.root());

  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  Result<std::vector<std::string>> backups = ApplySetup(fs, *plan, kNow);
  ASSERT_TRUE(backups.ok()) << backups.error().message;
  EXPECT_EQ(backups->size(), 3u);
  std::string config_backup = BackupPath(t.Path("boot/firmware/config.txt"), kNow);
  ASSERT_TRUE(t.Exists(config_backup.substr(t.root().size() + 1)));
  EXPECT_EQ(t.Read(config_backup.substr(t.root().size() + 1)),
            original["boot/firmware/config.txt"]);
  // The backup is named NAME.coralpi-YYYYmmdd-HHMMSS.bak.
  std::string name = config_backup.substr(config_backup.rfind('/') + 1);
  EXPECT_EQ(name.size(), std::string("config.txt.coralpi-20240529-163320.bak").size()) << name;

  DoctorOptions o;
  o.user = "pi";
  Report after = RunDoctor(fs, o);
  for (const CheckResult& c : after.checks) {
    if (c.config) {
      EXPECT_NE(c.status, CheckStatus::kFail) << c.id << ": " << c.message;
    }
  }
  for (const char* id : {"pcie.config", "kernel.config", "msi.config", "cmdline.aspm",
                         "access.udev", "config.section", "cmdline.lines", "boot.files"}) {
    EXPECT_EQ(after.Find(id)->status, CheckStatus::kOk) << id << ": " << after.Find(id)->message;
  }
  // The running system still needs a reboot.
  EXPECT_TRUE(after.RebootRequired());
  EXPECT_TRUE(after.Find("kernel.running")->reboot_required);
  EXPECT_TRUE(after.Find("msi.running")->reboot_required);
  EXPECT_TRUE(after.Find("pcie.running")->reboot_required);

  // A second apply changes nothing.
  auto applied = t.Snapshot();
  Result<SetupPlan> again = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->changes.empty());
  ASSERT_TRUE(ApplySetup(fs, *again, kNow + 60).ok());
  EXPECT_EQ(t.Snapshot(), applied);

  // Undo: every file byte-identical to before, backups gone, created files removed.
  Result<std::vector<std::string>> restored = UndoSetup(fs);
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(restored->size(), 3u);
  EXPECT_EQ(t.Snapshot(), original);
  EXPECT_FALSE(UndoSetup(fs).ok());  // nothing left to undo
}

TEST(SetupTest, KeepsModeOfEditedFiles) {
  FakeTree t;
  testing::BuildStockPi5(t);
  ::chmod(t.Path("boot/firmware/cmdline.txt").c_str(), 0640);
  RootFs fs(t.root());
  ASSERT_TRUE(ApplySetup(fs, *PlanSetup(fs, testing::PiSetupOptions()), kNow).ok());
  struct stat st {};
  ASSERT_EQ(::stat(t.Path("boot/firmware/cmdline.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  ASSERT_EQ(::stat(t.Path("etc/udev/rules.d/65-apex.rules").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
}

TEST(SetupTest, ConfigEndingInCm5GetsAnAllLine) {
  FakeTree t;
  testing::BuildStockPi5(t);
  std::string cfg = "arm_boost=1\n[cm5]\ndtoverlay=dwc2,dr_mode=host\n";
  t.Write("boot/firmware/config.txt", cfg);
  RootFs fs(t.root());
  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  const FileChange* c = ChangeOf(*plan, "boot/firmware/config.txt");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->after.rfind(cfg + "[all]\n", 0), 0u) << c->after;
  ASSERT_TRUE(ApplySetup(fs, *plan, kNow).ok());
  DoctorOptions o;
  o.user = "pi";
  Report r = RunDoctor(fs, o);
  EXPECT_EQ(r.Find("config.section")->status, CheckStatus::kOk);
  EXPECT_EQ(r.Find("kernel.config")->status, CheckStatus::kOk);
  EXPECT_EQ(r.Find("pcie.config")->status, CheckStatus::kOk);
}

TEST(SetupTest, TwoLineCmdlineIsReportedNotMangled) {
  FakeTree t;
  testing::BuildStockPi5(t);
  t.Write("boot/firmware/cmdline.txt", "root=/dev/mmcblk0p2\nrootwait\n");
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(ChangeOf(*plan, "boot/firmware/cmdline.txt"), nullptr);
  bool noted = false;
  for (const std::string& n : plan->notes) noted |= n.find("cmdline.txt") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(SetupTest, UnwritableFileIsAClearErrorAndNothingChanges) {
  FakeTree t;
  testing::BuildStockPi5(t);
  RootFs fs(t.root());
  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  ::chmod(t.Path("boot/firmware/cmdline.txt").c_str(), 0444);
  auto before = t.Snapshot();
  Result<std::vector<std::string>> r = ApplySetup(fs, *plan, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("cmdline.txt"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("not writable"), std::string::npos) << r.error().message;
  EXPECT_EQ(t.Snapshot(), before);
}

TEST(SetupTest, UnusableDirectoryIsAClearErrorAndNothingChanges) {
  FakeTree t;
  testing::BuildStockPi5(t);
  t.Remove("etc/udev/rules.d");
  t.Write("etc/udev/rules.d", "not a directory");
  RootFs fs(t.root());
  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  auto before = t.Snapshot();
  Result<std::vector<std::string>> r = ApplySetup(fs, *plan, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("rules.d"), std::string::npos) << r.error().message;
  EXPECT_EQ(t.Snapshot(), before);
}

TEST(SetupTest, SymlinkOutOfTheRootIsRefused) {
  FakeTree t, outside;
  testing::BuildStockPi5(t);
  outside.Mkdir("rules.d");
  t.Remove("etc/udev/rules.d");
  t.Symlink("etc/udev/rules.d", outside.Path("rules.d"));
  RootFs fs(t.root());
  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  auto before = t.Snapshot();
  Result<std::vector<std::string>> r = ApplySetup(fs, *plan, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("outside the root"), std::string::npos) << r.error().message;
  EXPECT_EQ(t.Snapshot(), before);
  EXPECT_TRUE(outside.Snapshot().size() == 1u);  // just the empty rules.d
}

TEST(SetupTest, StubOnlyBootIsLeftAlone) {
  FakeTree t;
  testing::BuildStockPi5(t);
  t.Remove("boot/firmware");
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  for (const FileChange& c : plan->changes) EXPECT_EQ(c.path.rfind("boot/", 0), std::string::npos);
}

TEST(SetupTest, NotAPi5LeavesBootFilesAlone) {
  FakeTree t;
  testing::BuildX86Host(t);
  t.Write("boot/firmware/config.txt", "arm_boost=1\n");
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->changes.empty());
}

TEST(SetupTest, StaleAptSuiteIsCommentedOut) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  std::string list =
      "deb https://packages.cloud.google.com/apt coral-edgetpu-stable main\n"
      "deb https://packages.cloud.google.com/apt coral-cloud-stable main\n";
  t.Write("etc/apt/sources.list.d/coral-edgetpu.list", list);
  RootFs fs(t.root());
  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->changes.size(), 1u);
  const FileChange& c = plan->changes[0];
  EXPECT_EQ(c.after.find("deb https://packages.cloud.google.com/apt coral-edgetpu-stable main\n"),
            0u);
  EXPECT_NE(c.after.find("# "), std::string::npos);
  ASSERT_TRUE(ApplySetup(fs, *plan, kNow).ok());
  DoctorOptions o;
  o.user = "pi";
  EXPECT_EQ(RunDoctor(fs, o).Find("apt.sources")->status, CheckStatus::kOk);
  ASSERT_TRUE(UndoSetup(fs).ok());
  EXPECT_EQ(t.Read("etc/apt/sources.list.d/coral-edgetpu.list"), list);
}

TEST(SetupTest, MissingOverlayPreviewKeepsMsiManual) {
  FakeTree t;
  testing::BuildStockPi5(t);
  t.Remove("boot/firmware/overlays");
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  const FileChange* c = ChangeOf(*plan, "boot/firmware/config.txt");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->after.find("dtoverlay=pineboards-hat-ai"), std::string::npos);
  EXPECT_EQ(plan->after.Find("msi.config")->status, CheckStatus::kFail);
}

TEST(SetupTest, PatchDtbWhenNoOverlayExists) {
  FakeTree t;
  testing::BuildStockPi5(t);
  t.Remove("boot/firmware/overlays");
  RootFs fs(t.root());
  std::string dtb_rel = "boot/firmware/bcm2712-rpi-5-b.dtb";
  std::string original = t.Read(dtb_rel);
  SetupOptions o = testing::PiSetupOptions();
  o.patch_dtb = t.Path(dtb_rel);
  Result<SetupPlan> plan = PlanSetup(fs, o);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  const FileChange* c = ChangeOf(*plan, dtb_rel);
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->binary);
  EXPECT_NE(RenderChange(*c).find("Binary file"), std::string::npos);
  ASSERT_TRUE(ApplySetup(fs, *plan, kNow).ok());

  // Re-read with libfdt directly: msi-parent is the port's own phandle.
  std::string patched = t.Read(dtb_rel);
  ASSERT_EQ(fdt_check_header(patched.data()), 0);
  int node = fdt_path_offset(patched.data(), "/axi/pcie@110000");
  ASSERT_GE(node, 0);
  int len = 0;
  auto* mp = static_cast<const fdt32_t*>(fdt_getprop(patched.data(), node, "msi-parent", &len));
  ASSERT_NE(mp, nullptr);
  EXPECT_EQ(fdt32_to_cpu(*mp), fdt_get_phandle(patched.data(), node));
  EXPECT_EQ(t.Read(BackupPath(t.Path(dtb_rel), kNow).substr(t.root().size() + 1)), original);

  // doctor: the board DTB carries the fix (a warning: prefer the overlay), not a failure.
  DoctorOptions d;
  d.user = "pi";
  Report r = RunDoctor(fs, d);
  EXPECT_EQ(r.Find("msi.config")->status, CheckStatus::kWarn) << r.Find("msi.config")->message;
  EXPECT_EQ(r.Find("msi.legacy-dtb")->status, CheckStatus::kWarn);

  ASSERT_TRUE(UndoSetup(fs).ok());
  EXPECT_EQ(t.Read(dtb_rel), original);
}

TEST(SetupTest, PatchDtbPrefersTheOverlayWhenItExists) {
  FakeTree t;
  testing::BuildStockPi5(t);
  SetupOptions o = testing::PiSetupOptions();
  o.patch_dtb = t.Path("boot/firmware/bcm2712-rpi-5-b.dtb");
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), o);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(ChangeOf(*plan, "boot/firmware/bcm2712-rpi-5-b.dtb"), nullptr);
  bool noted = false;
  for (const std::string& n : plan->notes) noted |= n.find("not patched") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(SetupTest, PatchDtbOutsideTheRootIsRefused) {
  FakeTree t, elsewhere;
  testing::BuildStockPi5(t);
  elsewhere.CompileDts("bcm2712-rpi-5-b-axi.dts", "x.dtb");
  SetupOptions o = testing::PiSetupOptions();
  o.patch_dtb = elsewhere.Path("x.dtb");
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), o);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message.find("outside the root"), std::string::npos);
}

TEST(SetupTest, UndoWithoutBackupsIsAnError) {
  FakeTree t;
  testing::BuildStockPi5(t);
  Result<std::vector<std::string>> r = UndoSetup(RootFs(t.root()));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no coralpi backups"), std::string::npos);
}

TEST(SetupTest, UndoRestoresOnlyTheLatestRun) {
  FakeTree t;
  testing::BuildStockPi5(t);
  RootFs fs(t.root());
  std::string stock_cmdline = t.Read("boot/firmware/cmdline.txt");
  ASSERT_TRUE(ApplySetup(fs, *PlanSetup(fs, testing::PiSetupOptions()), kNow).ok());
  auto after_first = t.Snapshot();
  t.Write("etc/apt/sources.list.d/coral.list",
          "deb https://packages.cloud.google.com/apt coral-stable main\n");
  auto before_second = t.Snapshot();
  ASSERT_TRUE(ApplySetup(fs, *PlanSetup(fs, testing::PiSetupOptions()), kNow + 3600).ok());
  ASSERT_TRUE(UndoSetup(fs).ok());
  EXPECT_EQ(t.Snapshot(), before_second);
  ASSERT_TRUE(UndoSetup(fs).ok());
  EXPECT_EQ(t.Read("boot/firmware/cmdline.txt"), stock_cmdline);
  (void)after_first;
}

TEST(SetupTest, RealRootNeedsPrivileges) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root";
  SetupPlan empty;
  Result<std::vector<std::string>> r = ApplySetup(RootFs("/"), empty, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("root privileges"), std::string::npos);
}

}  // namespace
}  // namespace coralpi::board

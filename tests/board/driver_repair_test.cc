// setup repairs the Coral driver on a Raspberry Pi OS trixie tree: the gasket-dkms 1.0-18 source
// patched for the installed kernels (shown as a diff), dkms run through a recording fake for the
// right kernels, idempotence, byte-exact undo, sources already patched, a missing file, another
// gasket version, an unwritable tree, a 6.13 kernel; --add-user and its undo; doctor's lines.
#include "board/driver_repair.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <string>
#include <vector>

#include "board/command_runner.h"
#include "board/setup.h"
#include "fake_tree.h"
#include "setup_test_util.h"

namespace coralpi::board {
namespace {

using testing::ChangeOf;
using testing::FakeTree;

const std::time_t kNow = 1765130000;
const std::string k16 = "6.12.47+rpt-rpi-2712";
const std::string k4 = "6.12.47+rpt-rpi-v8";
const std::string kSrc = "usr/src/gasket-1.0/";

// Records every command; `dkms install -k K` puts apex and gasket modules for K in the tree, as
// the real one does; `fail_kernel` makes that kernel's build fail.
class RecordingRunner : public CommandRunner {
 public:
  explicit RecordingRunner(FakeTree& t) : tree_(t) {}
  Result<CommandResult> Run(const std::vector<std::string>& argv) override {
    calls.push_back(CommandLine(argv));
    std::string kernel = argv.size() >= 2 ? argv.back() : "";
    if (argv.size() > 1 && argv[1] == "build" && kernel == fail_kernel) {
      return CommandResult{
          10, "Error! Bad return status for module build on kernel: " + kernel + " (aarch64)\n"};
    }
    if (argv.size() > 1 && argv[1] == "install") {
      for (const char* m : {"apex", "gasket"}) {
        tree_.Write("lib/modules/" + kernel + "/updates/dkms/" + m + ".ko.xz", "module");
      }
    }
    return CommandResult{0, ""};
  }
  std::vector<std::string> calls;
  std::string fail_kernel;

 private:
  FakeTree& tree_;
};

bool HasNote(const SetupPlan& p, const std::string& text) {
  return std::any_of(p.notes.begin(), p.notes.end(),
                     [&](const std::string& n) { return n.find(text) != std::string::npos; });
}

// The packaged source with one line replaced (the expected texts are spelled out here).
std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

std::string PatchedCore() {
  return Replaced(
      Replaced(testing::kGasketCoreC, "\t.llseek = no_llseek,\n", "\t.llseek = noop_llseek,\n"),
      "\t\tclass_create(driver_desc->module, driver_desc->name);\n",
      "\t\tclass_create(driver_desc->name);\n");
}

std::string PatchedInterrupt() {
  return Replaced(testing::kGasketInterruptC, "\t\teventfd_signal(ctx, 1);\n",
                  "\t\teventfd_signal(ctx);\n");
}

TEST(DriverRepairTest, PlanShowsThePatchAsADiffAndTheDkmsCommands) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  auto before = t.Snapshot();
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(t.Snapshot(), before);

  const FileChange* core = ChangeOf(*plan, kSrc + "gasket_core.c");
  ASSERT_NE(core, nullptr);
  EXPECT_EQ(core->after, PatchedCore());
  std::string diff = RenderChange(*core);
  EXPECT_NE(diff.find("--- a/usr/src/gasket-1.0/gasket_core.c\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("\n-\t.llseek = no_llseek,\n+\t.llseek = noop_llseek,\n"), std::string::npos)
      << diff;
  EXPECT_NE(core->summary.find("Linux 6.12+"), std::string::npos) << core->summary;
  const FileChange* irq = ChangeOf(*plan, kSrc + "gasket_interrupt.c");
  ASSERT_NE(irq, nullptr);
  EXPECT_EQ(irq->after, PatchedInterrupt());
  // 6.12 takes MODULE_IMPORT_NS(DMA_BUF) as it is: that file is not touched.
  EXPECT_EQ(ChangeOf(*plan, kSrc + "gasket_page_table.c"), nullptr);

  // Only the 16K kernel has headers: dkms for it, a line for the other.
  std::vector<std::string> dkms;
  for (const DkmsCommand& d : plan->dkms) dkms.push_back(CommandLine(d.argv));
  EXPECT_EQ(dkms, (std::vector<std::string>{"dkms build -m gasket -v 1.0 -k " + k16,
                                            "dkms install -m gasket -v 1.0 -k " + k16}));
  EXPECT_TRUE(HasNote(*plan, "kernel " + k4 + " still lacks its headers"));
  EXPECT_NE(std::find(plan->manual_steps.begin(), plan->manual_steps.end(),
                      "sudo apt-get install dkms linux-headers-rpi-v8"),
            plan->manual_steps.end());
  // Under a root other than "/", setup lists the dkms commands as steps instead of running them.
  EXPECT_NE(std::find(plan->manual_steps.begin(), plan->manual_steps.end(),
                      "sudo dkms install -m gasket -v 1.0 -k " + k16),
            plan->manual_steps.end());
}

TEST(DriverRepairTest, ApplyPatchesExactlyTheFailingLinesRunsDkmsAndUndoRestoresEveryByte) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  t.Mkdir("usr/src/linux-headers-" + k4);
  t.Symlink("lib/modules/" + k4 + "/build", "/usr/src/linux-headers-" + k4);
  auto original = t.Snapshot();
  RootFs fs(t.root());

  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(ApplySetup(fs, *plan, kNow).ok());
  EXPECT_EQ(t.Read(kSrc + "gasket_core.c"), PatchedCore());
  EXPECT_EQ(t.Read(kSrc + "gasket_interrupt.c"), PatchedInterrupt());
  EXPECT_EQ(t.Read(kSrc + "gasket_page_table.c"), testing::kGasketPageTableC);
  RecordingRunner dkms(t);
  for (const DkmsOutcome& o : RunDkms(plan->dkms, dkms)) EXPECT_TRUE(o.ok()) << o.error;
  EXPECT_EQ(dkms.calls, (std::vector<std::string>{
                            "dkms build -m gasket -v 1.0 -k " + k16,
                            "dkms install -m gasket -v 1.0 -k " + k16,
                            "dkms build -m gasket -v 1.0 -k " + k4,
                            "dkms install -m gasket -v 1.0 -k " + k4,
                        }));
  EXPECT_TRUE(ModulesBuiltFor(fs, k4));

  // A second --apply: nothing to write, nothing to run.
  auto applied = t.Snapshot();
  Result<SetupPlan> again = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(again.ok());
  for (const FileChange& c : again->changes) {
    EXPECT_EQ(c.path.rfind(kSrc, 0), std::string::npos) << c.path;
  }
  EXPECT_TRUE(again->dkms.empty());
  ASSERT_TRUE(ApplySetup(fs, *again, kNow + 60).ok());
  EXPECT_EQ(t.Snapshot(), applied);

  // Undo the first run's files (the second one wrote the boot files only, undo it first).
  while (UndoSetup(fs).ok()) {
  }
  auto restored = t.Snapshot();
  for (const char* m : {"apex", "gasket"}) {
    for (const std::string& k : {k16, k4}) {
      restored.erase("lib/modules/" + k + "/updates/dkms/" + m + ".ko.xz");
    }
  }
  for (const std::string& k : {k16, k4}) {
    restored.erase("lib/modules/" + k + "/updates/dkms/");
    restored.erase("lib/modules/" + k + "/updates/");
  }
  EXPECT_EQ(restored, original);
}

TEST(DriverRepairTest, SecondApplyWithoutDkmsLeavesTheSourceAlone) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  RootFs fs(t.root());
  ASSERT_TRUE(ApplySetup(fs, *PlanSetup(fs, testing::PiSetupOptions()), kNow).ok());
  auto once = t.Snapshot();
  Result<SetupPlan> again = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->changes.empty());
  ASSERT_TRUE(ApplySetup(fs, *again, kNow + 1).ok());
  EXPECT_EQ(t.Snapshot(), once);
}

TEST(DriverRepairTest, Kernel613AlsoQuotesTheNamespace) {
  FakeTree t;
  testing::BuildTrixiePi5(t, "6.13.12");
  RootFs fs(t.root());
  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  const FileChange* pt = ChangeOf(*plan, kSrc + "gasket_page_table.c");
  ASSERT_NE(pt, nullptr);
  EXPECT_EQ(pt->after, Replaced(testing::kGasketPageTableC, "MODULE_IMPORT_NS(DMA_BUF);\n",
                                "MODULE_IMPORT_NS(\"DMA_BUF\");\n"));
  ASSERT_TRUE(ApplySetup(fs, *plan, kNow).ok());
  EXPECT_EQ(t.Read(kSrc + "gasket_core.c"), PatchedCore());
}

TEST(DriverRepairTest, A612KernelBeside613KeepsBothNamespaceForms) {
  FakeTree t;
  testing::BuildTrixiePi5(t, "6.13.12");
  t.Mkdir("lib/modules/" + k16 + "/kernel");
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  const FileChange* pt = ChangeOf(*plan, kSrc + "gasket_page_table.c");
  ASSERT_NE(pt, nullptr);
  EXPECT_NE(pt->after.find("#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)\n"
                           "MODULE_IMPORT_NS(\"DMA_BUF\");\n#else\nMODULE_IMPORT_NS(DMA_BUF);\n"
                           "#endif\n"),
            std::string::npos)
      << pt->after;
}

TEST(DriverRepairTest, SourcesAlreadyPatchedOnlyBuild) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  t.Write(kSrc + "gasket_core.c", PatchedCore());
  t.Write(kSrc + "gasket_interrupt.c", PatchedInterrupt());
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  for (const FileChange& c : plan->changes) EXPECT_EQ(c.path.rfind(kSrc, 0), std::string::npos);
  EXPECT_EQ(plan->dkms.size(), 2u);
}

TEST(DriverRepairTest, MissingFileIsAClearLineAndNothingIsPatched) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  t.Remove(kSrc + "gasket_interrupt.c");
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  for (const FileChange& c : plan->changes) EXPECT_EQ(c.path.rfind(kSrc, 0), std::string::npos);
  EXPECT_TRUE(plan->dkms.empty());
  EXPECT_TRUE(HasNote(*plan, "/usr/src/gasket-1.0/gasket_interrupt.c: missing or unreadable"));
  EXPECT_TRUE(HasNote(*plan, "nothing in /usr/src/gasket-1.0 was patched"));
}

TEST(DriverRepairTest, AnotherGasketVersionIsLeftAlone) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  t.Remove("usr/src/gasket-1.0");
  t.Write("usr/src/gasket-1.2/dkms.conf", "PACKAGE_NAME=\"gasket\"\nPACKAGE_VERSION=\"1.2\"\n");
  t.Write("usr/src/gasket-1.2/gasket_core.c",
          "static const struct file_operations gasket_file_ops = {\n\t.owner = THIS_MODULE,\n};\n");
  t.Write("usr/src/gasket-1.2/gasket_interrupt.c", testing::kGasketInterruptC);
  t.Write("usr/src/gasket-1.2/gasket_page_table.c", testing::kGasketPageTableC);
  auto before = t.Snapshot();
  RootFs fs(t.root());
  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  for (const FileChange& c : plan->changes) {
    EXPECT_EQ(c.path.rfind("usr/src/", 0), std::string::npos) << c.path;
  }
  EXPECT_TRUE(plan->dkms.empty());
  EXPECT_TRUE(HasNote(*plan, "/usr/src/gasket-1.2: gasket_core.c: neither"));
  EXPECT_TRUE(HasNote(*plan, "not the gasket 1.0-18 source"));
}

TEST(DriverRepairTest, UnwritableTreeChangesNothing) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  RootFs fs(t.root());
  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  ::chmod(t.Path("usr/src/gasket-1.0").c_str(), 0555);
  auto before = t.Snapshot();
  Result<std::vector<std::string>> r = ApplySetup(fs, *plan, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("usr/src/gasket-1.0: is not writable; nothing was changed"),
            std::string::npos)
      << r.error().message;
  EXPECT_EQ(t.Snapshot(), before);
}

TEST(DriverRepairTest, UnwritableFileChangesNothing) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  RootFs fs(t.root());
  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  ::chmod(t.Path(kSrc + "gasket_interrupt.c").c_str(), 0444);
  auto before = t.Snapshot();
  Result<std::vector<std::string>> r = ApplySetup(fs, *plan, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("gasket_interrupt.c: is not writable"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(t.Read(kSrc + "gasket_core.c"), testing::kGasketCoreC);  // not half-patched
  EXPECT_EQ(t.Snapshot(), before);
}

TEST(DriverRepairTest, FailedBuildSkipsThatKernelsInstall) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  t.Mkdir("usr/src/linux-headers-" + k4);
  t.Symlink("lib/modules/" + k4 + "/build", "/usr/src/linux-headers-" + k4);
  RootFs fs(t.root());
  Result<SetupPlan> plan = PlanSetup(fs, testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  RecordingRunner dkms(t);
  dkms.fail_kernel = k16;
  std::vector<DkmsOutcome> out = RunDkms(plan->dkms, dkms);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_FALSE(out[0].ok());
  EXPECT_EQ(out[0].exit_code, 10);
  EXPECT_FALSE(out[1].ran);
  EXPECT_TRUE(out[2].ok());
  EXPECT_TRUE(out[3].ok());
}

TEST(DriverRepairTest, UnregisteredModuleIsAddedFirst) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  t.Remove("var/lib/dkms");
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), testing::PiSetupOptions());
  ASSERT_TRUE(plan.ok());
  ASSERT_FALSE(plan->dkms.empty());
  EXPECT_EQ(CommandLine(plan->dkms.front().argv), "dkms add -m gasket -v 1.0");
}

TEST(DriverRepairTest, SystemRunnerRefusesAnotherRoot) {
  SystemCommandRunner runner("/tmp/somewhere");
  Result<CommandResult> r = runner.Run({"true"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not run: the root is /tmp/somewhere"), std::string::npos);
  SystemCommandRunner here("/");
  Result<CommandResult> echo = here.Run({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(echo.ok()) << echo.error().message;
  EXPECT_EQ(echo->exit_code, 3);
  EXPECT_EQ(echo->output, "out\nerr\n");
  EXPECT_FALSE(here.Run({"/nonexistent/coralpi-no-such-command"}).ok());
}

TEST(DriverRepairTest, HeadersPackageNames) {
  EXPECT_EQ(KernelHeadersPackage(k4), "linux-headers-rpi-v8");
  EXPECT_EQ(KernelHeadersPackage(k16), "linux-headers-rpi-2712");
  EXPECT_EQ(KernelHeadersPackage("6.1.0-18-arm64"), "linux-headers-6.1.0-18-arm64");
}

TEST(DriverRepairTest, DoctorPointsTheBuildFailureToSetupThenSeesThePatch) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  RootFs fs(t.root());
  DoctorOptions o;
  o.user = "pi";
  Report before = RunDoctor(fs, o);
  const CheckResult* log = before.Find("driver.build-log");
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->status, CheckStatus::kFail);
  EXPECT_NE(log->message.find("predates Linux 6.12"), std::string::npos) << log->message;
  EXPECT_NE(log->fix.find("coralpi setup --apply"), std::string::npos) << log->fix;
  EXPECT_EQ(log->commands, std::vector<std::string>{"sudo coralpi setup --apply"});
  EXPECT_TRUE(log->setup_fixes);

  ASSERT_TRUE(ApplySetup(fs, *PlanSetup(fs, testing::PiSetupOptions()), kNow).ok());
  Report after = RunDoctor(fs, o);
  log = after.Find("driver.build-log");
  EXPECT_EQ(log->status, CheckStatus::kWarn) << log->message;
  EXPECT_NE(log->message.find("the driver source is patched for it now"), std::string::npos);
}

TEST(DriverRepairTest, DoctorSendsTheUnbuiltDriverToHeadersThenSetup) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  DoctorOptions o;
  o.user = "pi";
  Report r = RunDoctor(RootFs(t.root()), o);
  const CheckResult* built = r.Find("driver.built");
  ASSERT_NE(built, nullptr);
  EXPECT_EQ(built->status, CheckStatus::kFail);
  // The 16K kernel runs; the 4K one is the target, and it lacks its headers.
  EXPECT_EQ(built->commands, (std::vector<std::string>{"sudo apt-get install dkms "
                                                       "linux-headers-rpi-v8",
                                                       "sudo coralpi setup --apply"}));
  std::vector<std::string> steps = r.ManualSteps();
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(steps[0], "sudo apt-get install dkms linux-headers-rpi-v8");
  EXPECT_EQ(steps[1], "sudo coralpi setup --apply");
}

TEST(DriverRepairTest, DoctorKeepsTheForkAdviceForAnUnknownSource) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  t.Write(kSrc + "gasket_core.c", "int unrelated;\n");
  DoctorOptions o;
  o.user = "pi";
  Report report = RunDoctor(RootFs(t.root()), o);
  const CheckResult* log = report.Find("driver.build-log");
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->status, CheckStatus::kFail);
  EXPECT_NE(log->fix.find("fork"), std::string::npos) << log->fix;
}

TEST(DriverRepairTest, AddUserCreatesTheGroupAndUndoRemovesIt) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  std::string group = t.Read("etc/group"), gshadow = t.Read("etc/gshadow");
  RootFs fs(t.root());
  SetupOptions o = testing::PiSetupOptions();
  o.add_user = "pi";
  Result<SetupPlan> plan = PlanSetup(fs, o);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  const FileChange* g = ChangeOf(*plan, "etc/group");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->after, group + "apex:x:999:pi\n");
  EXPECT_NE(g->summary.find("create the apex group (gid 999) with pi"), std::string::npos);
  const FileChange* gs = ChangeOf(*plan, "etc/gshadow");
  ASSERT_NE(gs, nullptr);
  EXPECT_EQ(gs->after, gshadow + "apex:!::pi\n");
  EXPECT_EQ(plan->after.Find("access.group")->status, CheckStatus::kOk);

  ASSERT_TRUE(ApplySetup(fs, *plan, kNow).ok());
  EXPECT_EQ(t.Read("etc/group"), group + "apex:x:999:pi\n");
  DoctorOptions d;
  d.user = "pi";
  EXPECT_EQ(RunDoctor(fs, d).Find("access.group")->status, CheckStatus::kOk);
  Result<SetupPlan> again = PlanSetup(fs, o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ChangeOf(*again, "etc/group"), nullptr);

  ASSERT_TRUE(UndoSetup(fs).ok());
  EXPECT_EQ(t.Read("etc/group"), group);
  EXPECT_EQ(t.Read("etc/gshadow"), gshadow);
}

TEST(DriverRepairTest, AddUserJoinsAnExistingGroup) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  t.Write("etc/group", "root:x:0:\napex:x:996:alice\npi:x:1000:\n");
  t.Remove("etc/gshadow");
  SetupOptions o = testing::PiSetupOptions();
  o.add_user = "pi";
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), o);
  ASSERT_TRUE(plan.ok());
  const FileChange* g = ChangeOf(*plan, "etc/group");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->after, "root:x:0:\napex:x:996:alice,pi\npi:x:1000:\n");
  EXPECT_EQ(ChangeOf(*plan, "etc/gshadow"), nullptr);
}

TEST(DriverRepairTest, AddUserUnknownIsAnError) {
  FakeTree t;
  testing::BuildTrixiePi5(t);
  SetupOptions o = testing::PiSetupOptions();
  o.add_user = "mallory";
  Result<SetupPlan> plan = PlanSetup(RootFs(t.root()), o);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message.find("--add-user mallory: no such user in"), std::string::npos)
      << plan.error().message;
}

}  // namespace
}  // namespace coralpi::board

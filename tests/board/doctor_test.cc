// doctor against fake trees: a stock Pi 5, a fully working one, one tree per check with only
// that step missing, and the odd cases (config ending in [cm5], kernel_2712 last, cmdline with
// " -- " or two lines, 16K kernel running, MSI not fixed, make.log errors per kernel API, an x86
// host, unreadable and missing files). Expected messages are the facts table's wording.
#include "board/doctor.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "board/report_format.h"
#include "fake_tree.h"

namespace coralpi::board {
namespace {

using testing::Cell;
using testing::FakeTree;

const char kConfig[] = "boot/firmware/config.txt";
const char kCmdline[] = "boot/firmware/cmdline.txt";
const char kPcieNode[] = "proc/device-tree/axi/pcie@110000/";

Report Doctor(const FakeTree& t, DoctorOptions o = {}) {
  if (o.user.empty()) o.user = "pi";
  return RunDoctor(RootFs(t.root()), o);
}

const CheckResult& Get(const Report& r, const std::string& id) {
  const CheckResult* c = r.Find(id);
  if (c == nullptr) {
    static CheckResult missing;
    ADD_FAILURE() << "no check " << id;
    return missing;
  }
  return *c;
}

std::string Dump(const Report& r) { return FormatReport(r, false); }

void Replace(FakeTree& t, const std::string& rel, const std::string& from, const std::string& to) {
  std::string s = t.Read(rel);
  size_t at = s.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << rel;
  t.Write(rel, s.replace(at, from.size(), to));
}

void Append(FakeTree& t, const std::string& rel, const std::string& more) {
  t.Write(rel, t.Read(rel) + more);
}

TEST(DoctorTest, WorkingTreePassesEverything) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  Report r = Doctor(t);
  EXPECT_TRUE(r.is_pi5);
  for (const CheckResult& c : r.checks) {
    if (c.id == "usb.accelerator") {
      EXPECT_EQ(c.status, CheckStatus::kSkip);
      continue;
    }
    EXPECT_EQ(c.status, CheckStatus::kOk) << c.id << ": " << c.message;
  }
  EXPECT_FALSE(r.RebootRequired());
  EXPECT_TRUE(r.ManualSteps().empty());
  EXPECT_EQ(DoctorExitCode(r), 0);
}

TEST(DoctorTest, EveryTableRowHasACheckWithAStableId) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  Report r = Doctor(t);
  std::set<int> rows;
  std::set<std::string> ids;
  for (const CheckResult& c : r.checks) {
    if (c.row > 0) rows.insert(c.row);
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
  }
  EXPECT_EQ(rows.size(), 29u);
  EXPECT_EQ(*rows.begin(), 1);
  EXPECT_EQ(*rows.rbegin(), 29);
}

TEST(DoctorTest, StockPi5ListsEachMissingStep) {
  FakeTree t;
  testing::BuildStockPi5(t);
  Report r = Doctor(t);
  SCOPED_TRACE(Dump(r));
  for (const char* id :
       {"pcie.config", "kernel.config", "msi.config", "cmdline.aspm", "pcie.running",
        "kernel.running", "msi.running", "pcie.device", "driver.installed", "driver.built",
        "driver.loaded", "access.udev", "access.group", "runtime.installed"}) {
    EXPECT_EQ(Get(r, id).status, CheckStatus::kFail) << id;
    EXPECT_FALSE(Get(r, id).fix.empty()) << id;
  }
  for (const char* id : {"board.pi5", "boot.files", "config.section", "pcie.gen", "msi.legacy-dtb",
                         "cmdline.lines", "power.supply", "apt.sources"}) {
    EXPECT_EQ(Get(r, id).status, CheckStatus::kOk) << id << ": " << Get(r, id).message;
  }
  // Setup can fix the configuration rows; none is configured yet, so no reboot is pending.
  for (const char* id :
       {"pcie.config", "kernel.config", "msi.config", "cmdline.aspm", "access.udev"}) {
    EXPECT_TRUE(Get(r, id).setup_fixes) << id;
  }
  EXPECT_FALSE(r.RebootRequired());
  EXPECT_EQ(DoctorExitCode(r), 3);
  std::vector<std::string> steps = r.ManualSteps();
  EXPECT_NE(std::find(steps.begin(), steps.end(), "sudo groupadd --system apex"), steps.end());
  EXPECT_NE(std::find(steps.begin(), steps.end(), "sudo usermod -aG apex pi"), steps.end());
}

struct RowCase {
  int row;
  const char* id;
  std::function<void(FakeTree&)> mutate;
  CheckStatus status;
  const char* fragment;  // from the table's failure message
  std::vector<std::string> also_affected = {};
  bool reboot = false;
};

std::vector<RowCase> RowCases() {
  return {
      {1, "board.pi5",
       [](FakeTree& t) {
         t.Write("proc/device-tree/compatible",
                 std::string("raspberrypi,4-model-b\0brcm,bcm2711\0", 35));
       },
       CheckStatus::kFail, "not a Raspberry Pi 5-family board"},
      {2, "boot.files", [](FakeTree& t) { t.Remove("boot/firmware"); }, CheckStatus::kFail,
       "Cannot find the boot configuration"},
      {3, "config.section",
       [](FakeTree& t) { Append(t, kConfig, "[cm5]\ndtoverlay=dwc2,dr_mode=host\n"); },
       CheckStatus::kWarn, "ends inside a '[cm5]"},
      {4, "pcie.config", [](FakeTree& t) { Replace(t, kConfig, "dtparam=pciex1\n", ""); },
       CheckStatus::kFail, "not enabled (add 'dtparam=pciex1'"},
      {5,
       "pcie.running",
       [](FakeTree& t) {
         t.Write(std::string(kPcieNode) + "status", std::string("disabled\0", 9));
       },
       CheckStatus::kFail,
       "disabled in the running device tree",
       {},
       true},
      {6, "pcie.gen", [](FakeTree& t) { Append(t, kConfig, "dtparam=pciex1_gen=3\n"); },
       CheckStatus::kWarn, "Gen 3 is forced"},
      {7, "kernel.config", [](FakeTree& t) { Append(t, kConfig, "kernel=kernel_2712.img\n"); },
       CheckStatus::kFail, "16K-page Pi 5 kernel (kernel_2712.img) is configured"},
      {8,
       "kernel.running",
       [](FakeTree& t) {
         t.Write("proc/self/smaps", "KernelPageSize:       16 kB\n");
         t.Write("proc/sys/kernel/osrelease", "6.6.51+rpt-rpi-2712\n");
       },
       CheckStatus::kFail,
       "6.6.51+rpt-rpi-2712 uses 16K pages",
       {},
       true},
      {9,
       "msi.config",
       [](FakeTree& t) { Replace(t, kConfig, "dtoverlay=pineboards-hat-ai\n", ""); },
       CheckStatus::kFail,
       "needs 13 MSI-X vectors",
       {"msi.legacy-dtb"}},
      {10,
       "msi.running",
       [](FakeTree& t) { t.Write(std::string(kPcieNode) + "msi-parent", Cell(0x2f)); },
       CheckStatus::kFail,
       "points to mip1",
       {},
       true},
      {11, "msi.legacy-dtb",
       [](FakeTree& t) { t.Write("boot/firmware/bcm2712-rpi-5-b.dtb.bak", "old"); },
       CheckStatus::kWarn, "hand-edited DTB"},
      {12, "cmdline.aspm", [](FakeTree& t) { Replace(t, kCmdline, " pcie_aspm=off", ""); },
       CheckStatus::kFail, "ASPM is enabled"},
      {13, "cmdline.lines", [](FakeTree& t) { Append(t, kCmdline, "quiet splash\n"); },
       CheckStatus::kFail, "more than one line"},
      {14, "pcie.device", [](FakeTree& t) { t.Remove("sys/bus/pci/devices/0000:01:00.0"); },
       CheckStatus::kFail, "No Coral Edge TPU (1ac1:089a) found on PCIe"},
      {15, "pcie.link",
       [](FakeTree& t) {
         t.Write("sys/bus/pci/devices/0000:01:00.0/current_link_speed", "2.5 GT/s PCIe\n");
       },
       CheckStatus::kWarn, "trained at 2.5 GT/s PCIe x1"},
      {16, "driver.installed",
       [](FakeTree& t) {
         t.Remove("usr/src/gasket-1.0");
         t.Remove("var/lib/dkms/gasket");
       },
       CheckStatus::kFail, "(gasket-dkms) is not installed"},
      {17, "driver.built", [](FakeTree& t) { t.Remove("lib/modules/6.6.51+rpt-rpi-v8/updates"); },
       CheckStatus::kFail, "not built for kernel 6.6.51+rpt-rpi-v8"},
      {18, "driver.build-log",
       [](FakeTree& t) {
         t.Write("var/lib/dkms/gasket/1.0/build/make.log",
                 "gasket_core.c:1376:19: error: 'no_llseek' undeclared here (not in a "
                 "function); did you mean 'noop_llseek'?\n");
       },
       CheckStatus::kFail, "predates Linux 6.12"},
      {19, "driver.loaded",
       [](FakeTree& t) {
         t.Write("proc/modules", "snd_soc_hdmi_codec 20480 2 - Live 0x0\n");
         t.Remove("sys/module/apex");
         t.Remove("sys/module/gasket");
       },
       CheckStatus::kFail, "not loaded"},
      {20, "driver.bound",
       [](FakeTree& t) {
         t.Write("sys/class/apex/apex_0/status", "LAMED\n");
         t.Remove("sys/class/apex/apex_0/interrupt_counts");
       },
       CheckStatus::kFail, "status LAMED"},
      {21, "device.node", [](FakeTree& t) { t.Remove("dev/apex_0"); }, CheckStatus::kFail,
       "/dev/apex_0 does not exist"},
      {22, "access.udev", [](FakeTree& t) { t.Remove("etc/udev/rules.d/65-apex.rules"); },
       CheckStatus::kFail, "No udev rule gives the 'apex' group access"},
      {23, "access.group", [](FakeTree& t) { Replace(t, "etc/group", "apex:x:999:pi\n", ""); },
       CheckStatus::kFail, "Group 'apex' missing"},
      {24,
       "runtime.installed",
       [](FakeTree& t) {
         t.Remove("usr/lib/aarch64-linux-gnu");
         Replace(t, "var/lib/dpkg/status", "Package: libedgetpu1-std", "Package: libedgetpu-dev");
       },
       CheckStatus::kFail,
       "libedgetpu.so.1 not found",
       {"runtime.flavour"}},
      {25, "runtime.flavour",
       [](FakeTree& t) {
         t.Write("usr/lib/aarch64-linux-gnu/libedgetpu.so.1.0",
                 std::string("ELF\0PERFORMANCE=DIRECT\0", 23));
       },
       CheckStatus::kOk, "only changes USB Accelerator clocks"},
      {26, "apt.sources",
       [](FakeTree& t) {
         t.Write("etc/apt/sources.list.d/coral-old.list",
                 "deb https://packages.cloud.google.com/apt coral-cloud-stable main\n");
       },
       CheckStatus::kWarn, "'coral-cloud-stable'"},
      {27, "power.supply",
       [](FakeTree& t) { t.Write("proc/device-tree/chosen/power/max_current", Cell(3000)); },
       CheckStatus::kWarn, "negotiated 3000 mA (< 5000)"},
      {28, "tpu.temperature", [](FakeTree& t) { t.Write("sys/class/apex/apex_0/temp", "91000\n"); },
       CheckStatus::kWarn, "91.0 °C"},
      {29, "kernel.log",
       [](FakeTree& t) {
         Append(t, "var/log/kern.log",
                "kernel: apex 0000:01:00.0: Couldn't initialize interrupts: -28\n");
       },
       CheckStatus::kFail, "Couldn't initialize interrupts: -28"},
  };
}

class RowTest : public ::testing::TestWithParam<int> {};

TEST_P(RowTest, OnlyThatStepMissing) {
  RowCase rc = RowCases().at(static_cast<size_t>(GetParam()));
  FakeTree t;
  testing::BuildWorkingPi5(t);
  rc.mutate(t);
  Report r = Doctor(t);
  SCOPED_TRACE(Dump(r));
  const CheckResult& c = Get(r, rc.id);
  EXPECT_EQ(c.row, rc.row);
  EXPECT_EQ(c.status, rc.status) << c.message;
  EXPECT_NE(c.message.find(rc.fragment), std::string::npos) << c.message;
  if (rc.status != CheckStatus::kOk) {
    EXPECT_FALSE(c.fix.empty());
  }
  EXPECT_EQ(c.reboot_required, rc.reboot);
  EXPECT_EQ(r.RebootRequired(), rc.reboot);
  // Nothing else turns into a problem.
  for (const CheckResult& other : r.checks) {
    if (other.id == rc.id) continue;
    if (std::find(rc.also_affected.begin(), rc.also_affected.end(), other.id) !=
        rc.also_affected.end()) {
      continue;
    }
    EXPECT_TRUE(other.status == CheckStatus::kOk || other.status == CheckStatus::kSkip)
        << other.id << ": " << other.message;
  }
  bool failed = rc.status == CheckStatus::kFail;
  EXPECT_EQ(DoctorExitCode(r), failed ? 3 : 0);
}

INSTANTIATE_TEST_SUITE_P(AllRows, RowTest, ::testing::Range(0, 29),
                         [](const ::testing::TestParamInfo<int>& i) {
                           return "Row" + std::to_string(i.param + 1);
                         });

TEST(DoctorTest, ReportedLinesUnderOtherSectionsDoNotCount) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.Write(kConfig, std::string(testing::kStockConfigTxt) +
                       "[cm5]\ndtparam=pciex1\nkernel=kernel8.img\ndtoverlay=pineboards-hat-ai\n");
  Report r = Doctor(t);
  EXPECT_EQ(Get(r, "config.section").status, CheckStatus::kWarn);
  EXPECT_EQ(Get(r, "pcie.config").status, CheckStatus::kFail);
  EXPECT_EQ(Get(r, "kernel.config").status, CheckStatus::kFail);
  EXPECT_EQ(Get(r, "msi.config").status, CheckStatus::kFail);
}

TEST(DoctorTest, KernelFallsBackToKernel8WhenKernel2712IsAbsent) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  Replace(t, kConfig, "kernel=kernel8.img\n", "");
  EXPECT_EQ(Get(Doctor(t), "kernel.config").status, CheckStatus::kFail);
  t.Remove("boot/firmware/kernel_2712.img");
  EXPECT_EQ(Get(Doctor(t), "kernel.config").status, CheckStatus::kOk);
  t.Remove("boot/firmware/kernel8.img");
  EXPECT_EQ(Get(Doctor(t), "kernel.config").status, CheckStatus::kFail);
}

TEST(DoctorTest, Kernel8ConfiguredButMissingNamesThePackage) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.Remove("boot/firmware/kernel8.img");
  Report report_c = Doctor(t);
  const CheckResult& c = Get(report_c, "kernel.config");
  EXPECT_EQ(c.status, CheckStatus::kFail);
  EXPECT_NE(c.fix.find("linux-image-rpi-v8"), std::string::npos);
}

TEST(DoctorTest, RunningKernelFromReleaseWhenSmapsIsMissing) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.Remove("proc/self/smaps");
  for (const char* rel : {"6.6.28+rpt-rpi-2712", "6.6.69-v8-16k+", "6.12.47+rpt-rpi-2712"}) {
    t.Write("proc/sys/kernel/osrelease", std::string(rel) + "\n");
    EXPECT_EQ(Get(Doctor(t), "kernel.running").status, CheckStatus::kFail) << rel;
  }
  for (const char* rel : {"6.1.0-rpi4-rpi-v8", "6.6.30-v8+", "6.12.20+rpt-rpi-v8"}) {
    t.Write("proc/sys/kernel/osrelease", std::string(rel) + "\n");
    EXPECT_EQ(Get(Doctor(t), "kernel.running").status, CheckStatus::kOk) << rel;
  }
}

TEST(DoctorTest, SixteenKRunningWithNothingConfiguredNeedsNoRebootYet) {
  FakeTree t;
  testing::BuildStockPi5(t);
  Report report_c = Doctor(t);
  const CheckResult& c = Get(report_c, "kernel.running");
  EXPECT_EQ(c.status, CheckStatus::kFail);
  EXPECT_FALSE(c.reboot_required);
}

TEST(DoctorTest, CmdlineWithDoubleDash) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.Write(kCmdline, "root=/dev/mmcblk0p2 rootwait -- pcie_aspm=off\n");
  EXPECT_EQ(Get(Doctor(t), "cmdline.aspm").status, CheckStatus::kFail);
  t.Write(kCmdline, "root=/dev/mmcblk0p2 rootwait pcie_aspm=off -- quiet\n");
  EXPECT_EQ(Get(Doctor(t), "cmdline.aspm").status, CheckStatus::kOk);
}

TEST(DoctorTest, AspmConfiguredButNotBootedSaysReboot) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  Replace(t, "proc/cmdline", " pcie_aspm=off", "");
  Report r = Doctor(t);
  EXPECT_EQ(Get(r, "cmdline.aspm").status, CheckStatus::kOk);
  EXPECT_TRUE(Get(r, "cmdline.aspm").reboot_required);
  EXPECT_NE(Get(r, "cmdline.aspm").message.find("reboot"), std::string::npos);
  EXPECT_EQ(r.ManualSteps().back(), "sudo reboot");
}

TEST(DoctorTest, MsiNotFixedLamedWithoutInterruptCounts) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  Replace(t, kConfig, "dtoverlay=pineboards-hat-ai\n", "");
  t.Write(std::string(kPcieNode) + "msi-parent", Cell(0x2f));
  t.Write("sys/class/apex/apex_0/status", "LAMED\n");
  t.Remove("sys/class/apex/apex_0/interrupt_counts");
  Report r = Doctor(t);
  EXPECT_EQ(Get(r, "msi.config").status, CheckStatus::kFail);
  EXPECT_EQ(Get(r, "msi.running").status, CheckStatus::kFail);
  EXPECT_FALSE(Get(r, "msi.running").reboot_required);  // the overlay is not configured yet
  EXPECT_EQ(Get(r, "driver.bound").status, CheckStatus::kFail);
  EXPECT_EQ(Get(r, "msi.legacy-dtb").status, CheckStatus::kOk);
}

TEST(DoctorTest, MsiOverlayMissingFromOverlays) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.Remove("boot/firmware/overlays/pineboards-hat-ai.dtbo");
  Report report_c = Doctor(t);
  const CheckResult& c = Get(report_c, "msi.config");
  EXPECT_EQ(c.status, CheckStatus::kFail);
  EXPECT_NE(c.message.find("pineboards-hat-ai.dtbo not found in overlays/"), std::string::npos);
}

TEST(DoctorTest, CompatOverlayWithNoMipCounts) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  Replace(t, kConfig, "dtoverlay=pineboards-hat-ai\n", "dtoverlay=pciex1-compat-pi5,no-mip\n");
  t.CompileDts("pineboards-hat-ai-overlay.dts", "boot/firmware/overlays/pciex1-compat-pi5.dtbo");
  EXPECT_EQ(Get(Doctor(t), "msi.config").status, CheckStatus::kOk);
  Replace(t, kConfig, ",no-mip", ",l1ss");
  EXPECT_EQ(Get(Doctor(t), "msi.config").status, CheckStatus::kFail);
}

TEST(DoctorTest, DtparamTakenByAnOverlayInScopeDoesNotEnableThePort) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  Replace(t, kConfig, "dtparam=pciex1\n", "dtoverlay=capture\ndtparam=pciex1\n");
  // Without capture.dtbo the loader skips the overlay and the parameter reaches the base tree.
  EXPECT_EQ(Get(Doctor(t), "pcie.config").status, CheckStatus::kOk);
  t.CompileDts("pciex1-capture-overlay.dts", "boot/firmware/overlays/capture.dtbo");
  EXPECT_EQ(Get(Doctor(t), "pcie.config").status, CheckStatus::kFail);
  Replace(t, kConfig, "dtoverlay=capture\n", "dtoverlay=capture\ndtoverlay=\n");
  EXPECT_EQ(Get(Doctor(t), "pcie.config").status, CheckStatus::kOk);
}

TEST(DoctorTest, HatPlusEnablesThePortWithoutConfig) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  Replace(t, kConfig, "dtparam=pciex1\n", "");
  EXPECT_EQ(Get(Doctor(t), "pcie.config").status, CheckStatus::kFail);
  t.Write("proc/device-tree/hat/product", std::string("AI HAT+\0", 8));
  EXPECT_EQ(Get(Doctor(t), "pcie.config").status, CheckStatus::kOk);
}

TEST(DoctorTest, UpstreamNodeNamesInTheRunningTree) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.Remove("proc/device-tree/axi");
  const std::string dt = "proc/device-tree/";
  t.Write(dt + "__symbols__/pcie1", std::string("/axi/pcie@1000110000\0", 21));
  t.Write(dt + "__symbols__/pciex1", std::string("/axi/pcie@1000110000\0", 21));
  t.Write(dt + "__symbols__/mip1", std::string("/axi/msi-controller@1000131000\0", 31));
  t.Write(dt + "axi/pcie@1000110000/status", std::string("okay\0", 5));
  t.Write(dt + "axi/pcie@1000110000/phandle", Cell(0x44));
  t.Write(dt + "axi/pcie@1000110000/msi-parent", Cell(0x44));
  t.Write(dt + "axi/msi-controller@1000131000/phandle", Cell(0x2c));
  Report r = Doctor(t);
  EXPECT_EQ(Get(r, "msi.running").status, CheckStatus::kOk) << Get(r, "msi.running").message;
  EXPECT_EQ(Get(r, "pcie.running").status, CheckStatus::kOk);
  t.Write(dt + "axi/pcie@1000110000/msi-parent", Cell(0x2c));
  EXPECT_EQ(Get(Doctor(t), "msi.running").status, CheckStatus::kFail);
}

struct LogCase {
  const char* log;
  const char* kernel;
};

class MakeLogTest : public ::testing::TestWithParam<LogCase> {};

TEST_P(MakeLogTest, ClassifiedByKernelApi) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.Write("var/lib/dkms/gasket/1.0/build/make.log",
          std::string("DKMS make.log for gasket-1.0 for kernel 6.6.51+rpt-rpi-v8 (aarch64)\n") +
              GetParam().log +
              "\nmake: *** [Makefile:1913: /var/lib/dkms/gasket/1.0/build] "
              "Error 2\n");
  Report report_c = Doctor(t);
  const CheckResult& c = Get(report_c, "driver.build-log");
  EXPECT_EQ(c.status, CheckStatus::kFail);
  EXPECT_NE(c.message.find(std::string("predates Linux ") + GetParam().kernel), std::string::npos)
      << c.message;
  EXPECT_NE(c.message.find("gasket-dkms 1.0-18 cannot build"), std::string::npos);
  EXPECT_FALSE(c.commands.empty());
}

INSTANTIATE_TEST_SUITE_P(
    KernelApis, MakeLogTest,
    ::testing::Values(
        LogCase{"gasket_core.c:1841:37: error: passing argument 1 of 'class_create' from "
                "incompatible pointer type [-Werror=incompatible-pointer-types]",
                "6.4"},
        LogCase{"gasket_interrupt.c:161:17: error: too many arguments to function "
                "'eventfd_signal'",
                "6.8"},
        LogCase{"gasket_core.c:1376:19: error: 'no_llseek' undeclared here (not in a function); "
                "did you mean 'noop_llseek'?",
                "6.12"},
        LogCase{"gasket_page_table.c:57:18: error: expected ',' or ';' before 'DMA_BUF'", "6.13"}),
    [](const ::testing::TestParamInfo<LogCase>& i) {
      std::string name = std::string("Linux") + i.param.kernel;
      for (char& ch : name) {
        if (ch == '.') ch = '_';
      }
      return name;
    });

TEST(DoctorTest, CleanMakeLogPasses) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.Write("var/lib/dkms/gasket/1.0/build/make.log", "CC [M] apex_driver.o\nLD [M] apex.ko\n");
  EXPECT_EQ(Get(Doctor(t), "driver.build-log").status, CheckStatus::kOk);
}

TEST(DoctorTest, KernelLogLaterSuccessWinsOverOldFailure) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.Write("var/log/kern.log",
          "apex 0000:01:00.0: Couldn't initialize interrupts: -28\n"
          "apex 0000:01:00.0: Apex performance not throttled due to temperature\n");
  EXPECT_EQ(Get(Doctor(t), "kernel.log").status, CheckStatus::kOk);
  DoctorOptions o;
  o.kernel_log = "apex 0000:01:00.0: Page table init timed out\n";
  EXPECT_EQ(Get(Doctor(t, o), "kernel.log").status, CheckStatus::kFail);
  t.Remove("var/log/kern.log");
  EXPECT_EQ(Get(Doctor(t), "kernel.log").status, CheckStatus::kSkip);
}

TEST(DoctorTest, UserNotInApexGroup) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  DoctorOptions o;
  o.user = "alice";
  Report report_c = Doctor(t, o);
  const CheckResult& c = Get(report_c, "access.group");
  EXPECT_EQ(c.status, CheckStatus::kFail);
  EXPECT_NE(c.message.find("alice"), std::string::npos);
  EXPECT_EQ(c.commands, std::vector<std::string>{"sudo usermod -aG apex alice"});
  // Primary group membership counts too.
  Append(t, "etc/passwd", "alice:x:1001:999::/home/alice:/bin/sh\n");
  EXPECT_EQ(Get(Doctor(t, o), "access.group").status, CheckStatus::kOk);
}

TEST(DoctorTest, RuntimeVersionFromTheLoaderIsReported) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  DoctorOptions o;
  o.edgetpu_runtime_version = "BuildLabel(COMPILER=6.3.0), RuntimeVersion(14)";
  Report r = Doctor(t, o);
  EXPECT_NE(Get(r, "runtime.installed").message.find("RuntimeVersion(14)"), std::string::npos);
  EXPECT_NE(Get(r, "runtime.installed").message.find("libedgetpu1-std"), std::string::npos);
}

TEST(DoctorTest, RuntimeVersionDevicesListedAndNoTensorFlowLite) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  DoctorOptions o;
  o.edgetpu_runtime_version = "BuildLabel(COMPILER=12.2.0), RuntimeVersion(14)";
  o.edgetpu_runtime_devices = std::vector<std::string>{"pci /dev/apex_0"};
  const CheckResult c = Get(Doctor(t, o), "runtime.installed");
  EXPECT_EQ(c.status, CheckStatus::kOk);
  EXPECT_NE(c.message.find("RuntimeVersion 14: coralpi runs it directly, TensorFlow Lite is not "
                           "needed; it lists 1 Edge TPU: pci /dev/apex_0."),
            std::string::npos)
      << c.message;
  o.edgetpu_runtime_devices = std::vector<std::string>{};
  EXPECT_NE(Get(Doctor(t, o), "runtime.installed").message.find("it lists 0 Edge TPUs."),
            std::string::npos);
}

TEST(DoctorTest, RuntimeVersion13IsTooOld) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  DoctorOptions o;
  o.edgetpu_runtime_version = "BuildLabel(COMPILER=6.3.0), RuntimeVersion(13)";
  const CheckResult c = Get(Doctor(t, o), "runtime.installed");
  EXPECT_EQ(c.status, CheckStatus::kFail);
  EXPECT_NE(c.message.find("RuntimeVersion 13 is too old; coralpi runs the Edge TPU with "
                           "RuntimeVersion 14 or newer"),
            std::string::npos)
      << c.message;
  ASSERT_EQ(c.commands.size(), 1u);
  EXPECT_NE(c.commands[0].find("libedgetpu1-std"), std::string::npos);
}

TEST(DoctorTest, LowPowerResetAndUnderVoltage) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.Write("proc/device-tree/chosen/power/power_reset", Cell(0x02));
  EXPECT_EQ(Get(Doctor(t), "power.supply").status, CheckStatus::kWarn);
  t.Write("proc/device-tree/chosen/power/power_reset", Cell(0));
  t.Write("sys/class/hwmon/hwmon0/in0_lcrit_alarm", "1\n");
  EXPECT_EQ(Get(Doctor(t), "power.supply").status, CheckStatus::kWarn);
}

TEST(DoctorTest, StaleAptKeyInLegacyKeyring) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.Write("etc/apt/sources.list.d/coral-edgetpu.list",
          "deb https://packages.cloud.google.com/apt coral-edgetpu-stable main\n");
  t.Write("etc/apt/trusted.gpg", "key");
  Report report_c = Doctor(t);
  const CheckResult& c = Get(report_c, "apt.sources");
  EXPECT_EQ(c.status, CheckStatus::kWarn);
  EXPECT_NE(c.message.find("trusted.gpg"), std::string::npos);
}

TEST(DoctorTest, X86HostSaysNotAPi5AndReportsWhatApplies) {
  FakeTree t;
  testing::BuildX86Host(t);
  Report r = Doctor(t);
  SCOPED_TRACE(Dump(r));
  EXPECT_FALSE(r.is_pi5);
  EXPECT_EQ(Get(r, "board.pi5").status, CheckStatus::kFail);
  EXPECT_NE(Get(r, "board.pi5").message.find("not a Raspberry Pi 5-family board"),
            std::string::npos);
  for (const char* id :
       {"boot.files", "pcie.config", "kernel.config", "kernel.running", "msi.running",
        "cmdline.aspm", "pcie.device", "access.udev", "power.supply"}) {
    EXPECT_EQ(Get(r, id).status, CheckStatus::kSkip) << id;
    EXPECT_FALSE(Get(r, id).message.empty()) << id;
  }
  EXPECT_EQ(Get(r, "engine.cpu").status, CheckStatus::kOk);
  EXPECT_NE(Get(r, "engine.cpu").message.find("2 CPUs"), std::string::npos);
  EXPECT_EQ(Get(r, "runtime.installed").status, CheckStatus::kWarn);
  EXPECT_EQ(Get(r, "usb.accelerator").status, CheckStatus::kSkip);
  EXPECT_EQ(DoctorExitCode(r), 3);
}

TEST(DoctorTest, X86HostWithUsbAccelerator) {
  FakeTree t;
  testing::BuildX86Host(t);
  t.Write("sys/bus/usb/devices/2-1/idVendor", "18d1\n");
  t.Write("sys/bus/usb/devices/2-1/idProduct", "9302\n");
  Report r = Doctor(t);
  EXPECT_EQ(Get(r, "usb.accelerator").status, CheckStatus::kOk);
  EXPECT_NE(Get(r, "usb.accelerator").message.find("firmware loaded"), std::string::npos);
  EXPECT_EQ(Get(r, "runtime.installed").status, CheckStatus::kFail);
}

TEST(DoctorTest, EmptyTreeDoesNotCrash) {
  FakeTree t;
  Report r = Doctor(t);
  EXPECT_FALSE(r.is_pi5);
  EXPECT_GE(r.checks.size(), 29u);
}

TEST(DoctorTest, UnreadableAndOddFilesBecomeResults) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  // Directories where files should be, empty and truncated property files, garbage.
  t.Remove(kConfig);
  t.Mkdir(kConfig);
  t.Write(std::string(kPcieNode) + "msi-parent", "\x01");
  t.Write("proc/device-tree/chosen/power/max_current", "");
  t.Remove("proc/sys/kernel/osrelease");
  t.Mkdir("proc/sys/kernel/osrelease");
  t.Write("sys/class/apex/apex_0/temp", "hot\n");
  t.Write("etc/group", "::::\n:\napex\n");
  t.Write("var/lib/dpkg/status", "Package:\n\n\nStatus:");
  Report r = Doctor(t);
  SCOPED_TRACE(Dump(r));
  const CheckResult& boot = Get(r, "boot.files");
  EXPECT_EQ(boot.status, CheckStatus::kFail);
  EXPECT_NE(boot.message.find("directory"), std::string::npos) << boot.message;
  EXPECT_EQ(Get(r, "kernel.config").status, CheckStatus::kSkip);
  EXPECT_EQ(Get(r, "msi.running").status, CheckStatus::kWarn);
  EXPECT_EQ(Get(r, "tpu.temperature").status, CheckStatus::kSkip);
  EXPECT_EQ(Get(r, "driver.built").status, CheckStatus::kWarn);
}

TEST(DoctorTest, UnreadableFileWithoutPermission) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files regardless of their mode";
  FakeTree t;
  testing::BuildWorkingPi5(t);
  ::chmod(t.Path(kCmdline).c_str(), 0);
  Report r = Doctor(t);
  EXPECT_EQ(Get(r, "boot.files").status, CheckStatus::kFail);
  EXPECT_EQ(Get(r, "cmdline.aspm").status, CheckStatus::kSkip);
}

TEST(DoctorTest, OfflineDtbOption) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  t.CompileDts("bcm2712-rpi-5-b-upstream.dts", "plain.dtb");
  t.CompileDts("bcm2712-rpi-5-b-upstream-fixed.dts", "fixed.dtb");
  DoctorOptions o;
  o.dtb_file = t.Path("plain.dtb");
  Report report_plain = Doctor(t, o);
  const CheckResult& plain = Get(report_plain, "dtb.file");
  EXPECT_EQ(plain.status, CheckStatus::kFail);
  EXPECT_NE(plain.message.find("/axi/pcie@1000110000"), std::string::npos);
  EXPECT_NE(plain.message.find("mip1"), std::string::npos);
  o.dtb_file = t.Path("fixed.dtb");
  EXPECT_EQ(Get(Doctor(t, o), "dtb.file").status, CheckStatus::kOk);
  o.dtb_file = t.Path("missing.dtb");
  EXPECT_EQ(Get(Doctor(t, o), "dtb.file").status, CheckStatus::kFail);
  EXPECT_EQ(Doctor(t).Find("dtb.file"), nullptr);
}

TEST(ReportFormatTest, JsonHasOneEntryPerCheck) {
  FakeTree t;
  testing::BuildStockPi5(t);
  Report r = Doctor(t);
  nlohmann::json j = nlohmann::json::parse(ReportToJson(r));
  ASSERT_TRUE(j["checks"].is_array());
  EXPECT_EQ(j["checks"].size(), r.checks.size());
  std::set<std::string> ids;
  for (const auto& c : j["checks"]) {
    ids.insert(c["id"].get<std::string>());
    std::string s = c["status"].get<std::string>();
    EXPECT_TRUE(s == "ok" || s == "warn" || s == "fail" || s == "skip") << s;
    EXPECT_TRUE(c["message"].is_string());
    EXPECT_TRUE(c["commands"].is_array());
  }
  EXPECT_EQ(ids.size(), r.checks.size());
  EXPECT_EQ(j["summary"]["fail"].get<int>(), r.Count(CheckStatus::kFail));
  EXPECT_FALSE(j["is_pi5"].get<bool>() == false);
}

TEST(ReportFormatTest, TextIsGroupedAndColouredOnlyWhenAsked) {
  FakeTree t;
  testing::BuildStockPi5(t);
  Report r = Doctor(t);
  std::string plain = FormatReport(r, false);
  EXPECT_EQ(plain.find('\033'), std::string::npos);
  EXPECT_NE(plain.find("Boot configuration (next boot)"), std::string::npos);
  EXPECT_NE(plain.find("Running system (this boot)"), std::string::npos);
  EXPECT_NE(plain.find("[FAIL]"), std::string::npos);
  EXPECT_NE(plain.find("Manual steps"), std::string::npos);
  EXPECT_NE(FormatReport(r, true).find('\033'), std::string::npos);
}

}  // namespace
}  // namespace coralpi::board

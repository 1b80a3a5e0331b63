// What every check reads, gathered once per doctor run (an explicit context, no globals), and
// the predicates `doctor` and `setup` share so that a fix and its check always agree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "board/cmdline_txt.h"
#include "board/config_txt.h"
#include "board/device_tree.h"
#include "board/doctor.h"
#include "host/edgetpu_devices.h"
#include "host/edgetpu_runtime.h"
#include "host/root_fs.h"

namespace coralpi::board {

inline constexpr const char* kHatAiOverlay = "pineboards-hat-ai";
inline constexpr const char* kCompatOverlay = "pciex1-compat-pi5";
inline constexpr const char* kUdevRulePath = "etc/udev/rules.d/65-apex.rules";
inline constexpr const char* kUdevRuleText = "SUBSYSTEM==\"apex\", MODE=\"0660\", GROUP=\"apex\"";

struct DoctorContext {
  const RootFs& fs;
  const DoctorOptions& options;

  BoardIdentity identity;
  bool pi5 = false;
  std::string boot;           // "boot/firmware" or "boot"
  bool boot_is_stub = false;  // boot/config.txt is the "DO NOT EDIT" stub
  std::optional<std::string> config_text;
  std::string config_error;  // why config.txt could not be read
  std::optional<ConfigTxt> config;
  std::optional<std::string> cmdline_text;
  std::string cmdline_error;
  std::optional<Cmdline> cmdline;
  std::optional<Cmdline> proc_cmdline;
  std::optional<PcieMsiState> live;  // running tree's external PCIe port
  std::string live_error;
  std::optional<std::string> osrelease;
  std::optional<long> page_kb;  // KernelPageSize from proc/self/smaps
  EdgeTpuDevices devices;
  EdgeTpuRuntime runtime;

  DoctorContext(const RootFs& f, const DoctorOptions& o) : fs(f), options(o) {}

  std::string BootFile(const std::string& name) const { return boot + "/" + name; }
  // A PCIe Edge TPU is expected here: a Pi 5, or any machine that has one on its bus.
  bool PcieExpected() const { return pi5 || !devices.pcie.empty(); }
};

DoctorContext BuildContext(const RootFs& fs, const DoctorOptions& options);

// Shared predicates over the next-boot configuration (nullopt when config.txt is unreadable).
std::optional<bool> PcieConfigured(const DoctorContext& c);    // effective base dtparam pciex1
std::optional<int> PcieGenConfigured(const DoctorContext& c);  // effective pciex1_gen
// The effective kernel= value, or "" when none.
std::string ConfiguredKernel(const DoctorContext& c);
bool Kernel4kConfigured(const DoctorContext& c);
// The effective MSI-fixing overlay ("pineboards-hat-ai", "pciex1-compat-pi5"), or "".
std::string MsiOverlayConfigured(const DoctorContext& c);
bool OverlayFileExists(const DoctorContext& c, const std::string& name);
// The overlay `setup` would add: hat-ai when its .dtbo exists, else the compat one when its
// .dtbo exists, else "" (no overlay to add; the kernel package is too old).
std::string MsiOverlayToAdd(const DoctorContext& c);
std::optional<bool> AspmOffConfigured(const DoctorContext& c);
bool UdevRulePresent(const DoctorContext& c);
// Running kernel uses 4K pages: true/false, or nullopt when unknown.
std::optional<bool> Running4k(const DoctorContext& c);
// From a kernel release string: true = 4K, false = 16K, nullopt = cannot tell.
std::optional<bool> ReleaseIs4k(const std::string& release);

// Checks, one function per row of the table; see checks_*.cc.
using CheckFn = CheckResult (*)(const DoctorContext&);
CheckResult CheckBoard(const DoctorContext& c);             // 1
CheckResult CheckBootFiles(const DoctorContext& c);         // 2
CheckResult CheckConfigSection(const DoctorContext& c);     // 3
CheckResult CheckPcieConfig(const DoctorContext& c);        // 4
CheckResult CheckPcieRunning(const DoctorContext& c);       // 5
CheckResult CheckPcieGen(const DoctorContext& c);           // 6
CheckResult CheckKernelConfig(const DoctorContext& c);      // 7
CheckResult CheckKernelRunning(const DoctorContext& c);     // 8
CheckResult CheckMsiConfig(const DoctorContext& c);         // 9
CheckResult CheckMsiActive(const DoctorContext& c);         // 10
CheckResult CheckLegacyDtb(const DoctorContext& c);         // 11
CheckResult CheckAspm(const DoctorContext& c);              // 12
CheckResult CheckCmdlineLines(const DoctorContext& c);      // 13
CheckResult CheckPcieDevice(const DoctorContext& c);        // 14
CheckResult CheckPcieLink(const DoctorContext& c);          // 15
CheckResult CheckDriverSource(const DoctorContext& c);      // 16
CheckResult CheckDriverBuilt(const DoctorContext& c);       // 17
CheckResult CheckDriverBuildLog(const DoctorContext& c);    // 18
CheckResult CheckModulesLoaded(const DoctorContext& c);     // 19
CheckResult CheckDriverBound(const DoctorContext& c);       // 20
CheckResult CheckDeviceNode(const DoctorContext& c);        // 21
CheckResult CheckUdevRule(const DoctorContext& c);          // 22
CheckResult CheckApexGroup(const DoctorContext& c);         // 23
CheckResult CheckRuntimeInstalled(const DoctorContext& c);  // 24
CheckResult CheckRuntimeFlavour(const DoctorContext& c);    // 25
CheckResult CheckAptSources(const DoctorContext& c);        // 26
CheckResult CheckPowerSupply(const DoctorContext& c);       // 27
CheckResult CheckTpuTemperature(const DoctorContext& c);    // 28
CheckResult CheckKernelLog(const DoctorContext& c);         // 29
CheckResult CheckCpuEngine(const DoctorContext& c);         // beyond the table
CheckResult CheckUsbAccelerator(const DoctorContext& c);
CheckResult CheckDtbFile(const DoctorContext& c);

// Result builders used by the check functions.
CheckResult NewCheck(int row, const char* id, const char* title, CheckGroup group,
                     bool config = false);
CheckResult Ok(CheckResult r, std::string message);
CheckResult Warn(CheckResult r, std::string message, std::string fix = "");
CheckResult Fail(CheckResult r, std::string message, std::string fix = "");
CheckResult Skip(CheckResult r, std::string reason);

// Stale Coral apt source lines: (relative file, 1-based line) pairs setup can comment out.
struct AptSourceLine {
  std::string file;
  int line = 0;
  std::string suite;
  bool deb822 = false;
  bool signed_by = false;
};
std::vector<AptSourceLine> CoralAptSources(const RootFs& fs);

}  // namespace coralpi::board

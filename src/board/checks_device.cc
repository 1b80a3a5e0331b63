// Checks 14-22: the Edge TPU on the PCIe bus, its driver (DKMS build, modules, binding), the
// device node and the udev rule that opens it to the apex group.
#include <algorithm>
#include <sstream>
#include <string>

#include "board/doctor_context.h"
#include "board/driver_repair.h"
#include "board/gasket_patch.h"

namespace coralpi::board {
namespace {

constexpr const char* kNoTpuHere = "no PCIe Edge TPU on this machine (and not a Raspberry Pi 5)";
constexpr const char* kNoTpu = "no PCIe Edge TPU found (check pcie.device)";
constexpr const char* kInstallGasket =
    "sudo apt-get install ./gasket-dkms_1.0-18.4_all.deb   # a patched build, from "
    "https://github.com/feranick/gasket-driver/releases";

bool HasPrefix(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

// The name of group `gid` in the tree's etc/group, or the number.
std::string GroupNameOf(const RootFs& fs, unsigned gid) {
  if (Result<std::string> text = fs.ReadText("etc/group"); text.ok()) {
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> f;
      std::stringstream ls(line);
      std::string part;
      while (std::getline(ls, part, ':')) f.push_back(part);
      if (f.size() >= 3 && f[2] == std::to_string(gid)) return f[0];
    }
  }
  return std::to_string(gid);
}

struct ApiBreak {
  const char* needle;
  const char* meaning;
  const char* fix;  // the GasketFix setup applies for it, or nullptr
};
// make.log symptoms of each kernel API change the packaged driver predates, newest first.
const ApiBreak kApiBreaks[] = {
    {"before 'DMA_BUF'", "driver source predates Linux 6.13 (MODULE_IMPORT_NS needs a string)",
     "DMA_BUF"},
    {"no_llseek", "driver source predates Linux 6.12 (no_llseek was removed)", "no_llseek"},
    {"eventfd_signal", "driver source predates Linux 6.8 (eventfd_signal lost an argument)",
     "eventfd_signal"},
    {"class_create", "driver source predates Linux 6.4 (class_create lost an argument)",
     "class_create"},
    {"from namespace DMA_BUF, but does not import it",
     "driver source predates Linux 5.16 (DMA_BUF symbol namespace)", nullptr},
};

// What the installed source says about the failures a make.log records.
enum class SourceVerdict {
  kPatchable,  // every failing line is in the source as setup knows it: setup fixes it
  kPatched,    // the source holds every fixed line now: the log is from an earlier build
  kUnknown,    // a cause setup has no fix for, or a source it does not recognise
};

SourceVerdict JudgeSource(const RootFs& fs, const std::vector<const ApiBreak*>& causes) {
  bool all_done = true;
  for (const ApiBreak* b : causes) {
    const GasketFix* fix = b->fix == nullptr ? nullptr : FindGasketFix(b->fix);
    std::optional<FixState> state = fix ? InstalledFixState(fs, *fix) : std::nullopt;
    if (!state || *state == FixState::kUnknown) return SourceVerdict::kUnknown;
    all_done = all_done && *state == FixState::kDone;
  }
  return all_done ? SourceVerdict::kPatched : SourceVerdict::kPatchable;
}

}  // namespace

CheckResult CheckPcieDevice(const DoctorContext& c) {
  CheckResult r =
      NewCheck(14, "pcie.device", "Coral Edge TPU on the PCIe bus", CheckGroup::kDevice);
  if (!c.devices.pcie.empty()) {
    std::string list;
    for (const PcieEdgeTpu& t : c.devices.pcie) list += (list.empty() ? "" : ", ") + t.address;
    return Ok(r, "Coral Edge TPU (1ac1:089a) at " + list + ".");
  }
  if (!c.pi5) return Skip(r, kNoTpuHere);
  std::string hint;
  if (c.live && !c.live->Enabled())
    hint = " The port is disabled in the running device tree (see pcie.running).";
  return Fail(r,
              "No Coral Edge TPU (1ac1:089a) found on PCIe. Check the FPC cable, HAT power and "
              "'dtparam=pciex1', then reboot." +
                  hint,
              "reseat the FPC cable, check the HAT's power, enable the port, reboot");
}

CheckResult CheckPcieLink(const DoctorContext& c) {
  CheckResult r = NewCheck(15, "pcie.link", "PCIe link speed and width", CheckGroup::kDevice);
  if (c.devices.pcie.empty()) return Skip(r, c.pi5 ? kNoTpu : kNoTpuHere);
  for (const PcieEdgeTpu& t : c.devices.pcie) {
    std::string speed = t.link_speed.value_or("unknown");
    std::string width = t.link_width.value_or("?");
    if (!HasPrefix(speed, "5.0 GT/s") || width != "1") {
      return Warn(r, "Coral link trained at " + speed + " x" + width + " (expected 5.0 GT/s x1).",
                  "reseat the FPC cable (impedance-controlled cables are more reliable); use "
                  "dtparam=pciex1_gen=2");
    }
  }
  return Ok(r, "Link trained at 5.0 GT/s x1 (Gen 2, the Coral's maximum).");
}

CheckResult CheckDriverSource(const DoctorContext& c) {
  CheckResult r = NewCheck(16, "driver.installed", "Coral PCIe driver (gasket-dkms) installed",
                           CheckGroup::kDevice);
  if (!c.PcieExpected()) return Skip(r, kNoTpuHere);
  std::vector<std::string> found;
  for (const std::string& name : c.fs.List("usr/src")) {
    if (HasPrefix(name, "gasket-")) found.push_back("/usr/src/" + name);
  }
  if (c.fs.IsDir("var/lib/dkms/gasket")) found.push_back("/var/lib/dkms/gasket");
  if (!found.empty()) return Ok(r, "Driver source found in " + found.front() + ".");
  r.commands = {"sudo apt-get install dkms linux-headers-rpi-v8", kInstallGasket};
  return Fail(r, "The Coral PCIe driver (gasket-dkms) is not installed.",
              "install a patched gasket-dkms (feranick 1.0-18.4 or later); the apt package 1.0-18 "
              "does not build on current kernels");
}

CheckResult CheckDriverBuilt(const DoctorContext& c) {
  CheckResult r =
      NewCheck(17, "driver.built", "Driver built for the running kernel", CheckGroup::kDevice);
  if (!c.PcieExpected()) return Skip(r, kNoTpuHere);
  if (!c.osrelease)
    return Warn(r, "Cannot read the running kernel release (proc/sys/kernel/osrelease).");
  const std::string& rel = *c.osrelease;
  if (ModulesBuiltFor(c.fs, rel))
    return Ok(r, "apex and gasket modules exist for kernel " + rel + ".");
  std::string target = rel;
  if (Running4k(c) == false) {
    // The driver only works on the 4K kernel: modules built for that one are what matters.
    target.clear();
    for (const std::string& other : c.fs.List("lib/modules")) {
      if (ReleaseIs4k(other) != true) continue;
      if (ModulesBuiltFor(c.fs, other)) {
        return Ok(r, "apex and gasket modules exist for the 4K kernel " + other + ".");
      }
      target = other;
    }
  }
  if (target.empty() || !KernelHeadersInstalled(c.fs, target)) {
    r.commands.push_back("sudo apt-get install dkms " +
                         (target.empty() ? "linux-headers-rpi-v8" : KernelHeadersPackage(target)));
  }
  if (!FindGasketSources(c.fs).empty()) {
    // setup patches the source where the kernels need it, then runs dkms for each of them.
    r.commands.push_back("sudo coralpi setup --apply");
  } else {
    r.commands.push_back(target.empty() ? "sudo dkms autoinstall"
                                        : "sudo dkms autoinstall -k " + target);
  }
  return Fail(r, "gasket/apex are not built for kernel " + rel + ".",
              "install the kernel headers; coralpi setup --apply then builds the driver with "
              "dkms for each installed kernel");
}

CheckResult CheckDriverBuildLog(const DoctorContext& c) {
  CheckResult r =
      NewCheck(18, "driver.build-log", "Driver build log free of errors", CheckGroup::kDevice);
  if (!c.PcieExpected()) return Skip(r, kNoTpuHere);
  std::string log_path;
  for (const std::string& ver : c.fs.List("var/lib/dkms/gasket")) {
    std::string p = "var/lib/dkms/gasket/" + ver + "/build/make.log";
    if (c.fs.Exists(p)) log_path = p;
  }
  if (log_path.empty()) return Ok(r, "No DKMS build log (nothing failed to build).");
  Result<std::string> log = c.fs.ReadText(log_path);
  if (!log.ok()) return Warn(r, "Cannot read the DKMS build log: " + log.error().message + ".");
  std::vector<const ApiBreak*> causes;
  for (const ApiBreak& b : kApiBreaks) {
    if (log->find(b.needle) != std::string::npos) causes.push_back(&b);
  }
  if (causes.empty()) {
    if (log->find("error:") != std::string::npos || log->find("Error ") != std::string::npos) {
      r.commands = {kInstallGasket};
      return Fail(r, "/" + log_path + " records a build error; see the log for details.",
                  "install a patched gasket-dkms build");
    }
    return Ok(r, "/" + log_path + " shows no errors.");
  }
  std::string joined;
  for (const ApiBreak* cause : causes)
    joined += (joined.empty() ? "" : "; ") + std::string(cause->meaning);
  switch (JudgeSource(c.fs, causes)) {
    case SourceVerdict::kPatched:
      return Warn(r,
                  "/" + log_path + " is from a failed build (" + joined +
                      "); the driver source is patched for it now.",
                  "build the patched driver: coralpi setup --apply runs dkms build and install "
                  "for each kernel that lacks it");
    case SourceVerdict::kPatchable:
      r.commands = {"sudo coralpi setup --apply"};
      r.setup_fixes = true;
      return Fail(r,
                  "The driver failed to build: " + joined +
                      ". The apt package gasket-dkms 1.0-18 cannot build on Raspberry Pi OS "
                      "kernels as shipped.",
                  "coralpi setup --apply patches those lines of the driver source and builds "
                  "it with dkms for each installed kernel");
    case SourceVerdict::kUnknown:
      break;
  }
  r.commands = {kInstallGasket};
  return Fail(r,
              "The driver failed to build: " + joined +
                  ". The apt package gasket-dkms 1.0-18 cannot build on Raspberry Pi OS "
                  "kernels; install a patched build.",
              "use a gasket-dkms fork with the matching fix (feranick 1.0-18.4 or later)");
}

CheckResult CheckModulesLoaded(const DoctorContext& c) {
  CheckResult r =
      NewCheck(19, "driver.loaded", "apex and gasket modules loaded", CheckGroup::kDevice);
  if (!c.PcieExpected()) return Skip(r, kNoTpuHere);
  bool apex = c.fs.IsDir("sys/module/apex"), gasket = c.fs.IsDir("sys/module/gasket");
  if (Result<std::string> mods = c.fs.ReadText("proc/modules"); mods.ok()) {
    std::istringstream in(*mods);
    std::string line;
    while (std::getline(in, line)) {
      apex = apex || HasPrefix(line, "apex ");
      gasket = gasket || HasPrefix(line, "gasket ");
    }
  }
  if (apex && gasket) return Ok(r, "apex and gasket are loaded.");
  if (Running4k(c) == false) {
    return Fail(r, "The apex/gasket kernel modules are not loaded.",
                "boot the 4K kernel (see kernel.running); the modules load at boot");
  }
  r.commands = {"sudo modprobe apex"};
  return Fail(r, "The apex/gasket kernel modules are not loaded.",
              "load them (sudo modprobe apex) or reboot once the driver is built");
}

CheckResult CheckDriverBound(const DoctorContext& c) {
  CheckResult r =
      NewCheck(20, "driver.bound", "apex driver bound and healthy", CheckGroup::kDevice);
  if (c.devices.pcie.empty()) return Skip(r, c.pi5 ? kNoTpu : kNoTpuHere);
  for (const PcieEdgeTpu& t : c.devices.pcie) {
    if (t.driver != "apex") {
      r.commands = {"sudo modprobe apex"};
      return Fail(r,
                  "The Edge TPU at " + t.address + " is not bound to the apex driver (" +
                      (t.driver.empty() ? std::string("no driver") : "bound to " + t.driver) + ").",
                  "build and load the driver (see driver.built, driver.loaded)");
    }
    std::string status = t.status.value_or("unknown");
    if (status == "LAMED" || (!t.apex_name.empty() && !t.has_interrupt_counts)) {
      return Fail(
          r, "apex driver failed to set up interrupts (status " + status + ") — MSI fix missing.",
          "fix MSI routing (see msi.config, msi.running) and reboot");
    }
    if (status != "ALIVE") {
      return Fail(r, "The apex device at " + t.address + " reports status " + status + ".",
                  "check the kernel log (kernel.log) and reboot");
    }
  }
  return Ok(r, "Bound to apex, status ALIVE, interrupts set up.");
}

CheckResult CheckDeviceNode(const DoctorContext& c) {
  CheckResult r = NewCheck(21, "device.node", "Device node /dev/apex_N", CheckGroup::kAccess);
  if (c.devices.pcie.empty()) return Skip(r, c.pi5 ? kNoTpu : kNoTpuHere);
  const PcieEdgeTpu& t = c.devices.pcie.front();
  if (t.apex_name.empty()) {
    r.commands = {"sudo modprobe apex"};
    return Fail(r, "/dev/apex_0 does not exist (the apex driver created no device).",
                "load the driver (see driver.bound)");
  }
  if (!t.dev_node_exists) {
    r.commands = {"sudo udevadm trigger --subsystem-match=apex"};
    return Fail(r, "/" + t.dev_node + " does not exist.", "re-run udev for apex devices or reboot");
  }
  FileInfo info = c.fs.Stat(t.dev_node);
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.mode));
  return Ok(r, "/" + t.dev_node + " exists (group " + GroupNameOf(c.fs, info.gid) + ", mode " +
                   mode + ").");
}

CheckResult CheckUdevRule(const DoctorContext& c) {
  CheckResult r =
      NewCheck(22, "access.udev", "udev rule for the apex group", CheckGroup::kAccess, true);
  if (!c.PcieExpected()) return Skip(r, kNoTpuHere);
  if (UdevRulePresent(c)) return Ok(r, "A udev rule gives the apex group access to /dev/apex_N.");
  r.setup_fixes = true;
  return Fail(r,
              "No udev rule gives the 'apex' group access to /dev/apex_0; only root can use the "
              "TPU ('Failed to load delegate from libedgetpu.so.1').",
              std::string("coralpi setup writes /") + kUdevRulePath + ": " + kUdevRuleText);
}

}  // namespace coralpi::board

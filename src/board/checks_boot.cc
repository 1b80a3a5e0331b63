// Checks 1-13: the board, its boot configuration (next boot) and the matching running state.
#include <cstdio>
#include <string>

#include "board/doctor_context.h"

namespace coralpi::board {
namespace {

constexpr const char* kNotPi5 = "not a Raspberry Pi 5-family board";

std::string NoConfig(const DoctorContext& c) {
  return "config.txt not readable (" + c.config_error + ")";
}

// Board DTB files on the boot partition for this board variant.
std::vector<std::string> BoardDtbs(const DoctorContext& c) {
  switch (c.identity.variant) {
    case PiModel::kCm5:
      return {"bcm2712-rpi-cm5-cm5io.dtb", "bcm2712-rpi-cm5-cm4io.dtb"};
    case PiModel::kPi500:
      return {"bcm2712-rpi-500.dtb"};
    case PiModel::kPi5:
      break;
  }
  return {"bcm2712-rpi-5-b.dtb", "bcm2712d0-rpi-5-b.dtb"};
}

// True when every board DTB present has the port's msi-parent pointing at itself.
bool BoardDtbPatched(const DoctorContext& c) {
  int seen = 0;
  for (const std::string& name : BoardDtbs(c)) {
    Result<std::string> blob = c.fs.ReadText(c.BootFile(name));
    if (!blob.ok()) continue;
    Result<PcieMsiState> s = ReadDtbMsiState(*blob);
    if (!s.ok() || !s->MsiFixed()) return false;
    ++seen;
  }
  return seen > 0;
}

std::string Hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

}  // namespace

CheckResult CheckBoard(const DoctorContext& c) {
  CheckResult r = NewCheck(1, "board.pi5", "Raspberry Pi 5-family board", CheckGroup::kBoard);
  if (!c.pi5) {
    std::string found = c.identity.model.empty() ? "" : " (found: " + c.identity.model + ")";
    return Fail(r,
                "This is not a Raspberry Pi 5-family board (BCM2712 not found in device tree); "
                "Coral PCIe fixes for Pi 5 do not apply" +
                    found + ".",
                "none: checks that apply to any machine are still reported");
  }
  return Ok(r, (c.identity.model.empty() ? std::string("BCM2712 board") : c.identity.model) +
                   " (BCM2712).");
}

CheckResult CheckBootFiles(const DoctorContext& c) {
  CheckResult r =
      NewCheck(2, "boot.files", "Boot configuration files found", CheckGroup::kBootConfig, true);
  if (!c.pi5 && !c.config_text) return Skip(r, kNotPi5);
  if (c.config_text && c.cmdline_text) {
    return Ok(r, "Using /" + c.BootFile("config.txt") + " and /" + c.BootFile("cmdline.txt") + ".");
  }
  std::string why = !c.config_text ? c.config_error : c.cmdline_error;
  return Fail(r,
              "Cannot find the boot configuration (expected /boot/firmware/config.txt on "
              "Bookworm): " +
                  why + ".",
              "mount the boot partition at /boot/firmware; coralpi setup will not edit the stub "
              "files in /boot");
}

CheckResult CheckConfigSection(const DoctorContext& c) {
  CheckResult r = NewCheck(3, "config.section", "config.txt ends in a section that applies",
                           CheckGroup::kBootConfig, true);
  if (!c.pi5) return Skip(r, kNotPi5);
  if (!c.config) return Skip(r, NoConfig(c));
  std::optional<std::string> last = c.config->LastSection();
  if (!last || *last == "all") {
    return Ok(r, last ? "config.txt ends in an [all] section." : "config.txt has no sections.");
  }
  r.setup_fixes = true;
  return Warn(r,
              "config.txt ends inside a '[" + *last +
                  "]' section; new settings will be added "
                  "after an '[all]' line so they apply to this Pi 5.",
              "coralpi setup writes an '[all]' line before the lines it appends");
}

CheckResult CheckPcieConfig(const DoctorContext& c) {
  CheckResult r = NewCheck(4, "pcie.config", "External PCIe connector enabled in config.txt",
                           CheckGroup::kBootConfig, true);
  if (!c.pi5) return Skip(r, kNotPi5);
  if (!c.config) return Skip(r, NoConfig(c));
  if (PcieConfigured(c).value_or(false)) return Ok(r, "dtparam=pciex1 is set for the next boot.");
  bool explicit_off = false;
  for (const DtParam& p : c.config->EffectiveDtparams()) {
    if ((p.name == "pciex1" || p.name == "nvme") && !ParamIsOn(p)) explicit_off = true;
  }
  // A HAT+ (its EEPROM is described under proc/device-tree/hat) enables the port by itself.
  if (!explicit_off && c.fs.IsDir("proc/device-tree/hat") && c.live && c.live->Enabled()) {
    return Ok(r, "Not in config.txt, but the port is enabled (a HAT+ enables it automatically).");
  }
  r.setup_fixes = true;
  return Fail(r, "The external PCIe connector is not enabled (add 'dtparam=pciex1' to config.txt).",
              "coralpi setup appends 'dtparam=pciex1' under [all]");
}

CheckResult CheckPcieRunning(const DoctorContext& c) {
  CheckResult r = NewCheck(5, "pcie.running", "PCIe x1 port enabled in the running system",
                           CheckGroup::kRunning);
  if (!c.pi5) return Skip(r, kNotPi5);
  if (!c.live)
    return Warn(r, "Cannot read the external PCIe port from the running device tree: " +
                       c.live_error + ".");
  if (c.live->Enabled()) return Ok(r, c.live->pcie_path + " is enabled.");
  if (PcieConfigured(c).value_or(false)) {
    r.reboot_required = true;
    r.commands = {"sudo reboot"};
  }
  return Fail(r, "PCIe x1 port is disabled in the running device tree; reboot after enabling it.",
              r.reboot_required ? "reboot (config.txt already enables it)"
                                : "enable it in config.txt (check pcie.config), then reboot");
}

CheckResult CheckPcieGen(const DoctorContext& c) {
  CheckResult r = NewCheck(6, "pcie.gen", "PCIe link generation", CheckGroup::kBootConfig, true);
  if (!c.pi5) return Skip(r, kNotPi5);
  std::optional<int> gen = PcieGenConfigured(c);
  std::optional<uint32_t> running = c.live ? c.live->max_link_speed : std::nullopt;
  if ((gen && *gen >= 3) || (running && *running >= 3)) {
    return Warn(
        r,
        "PCIe Gen 3 is forced; Raspberry Pi 5 is not certified for Gen 3 and the Coral only "
        "runs at Gen 2. Use pciex1_gen=2 if you see link errors.",
        "replace 'dtparam=pciex1_gen=3' with 'dtparam=pciex1_gen=2' in config.txt");
  }
  return Ok(r, gen ? "pciex1_gen=" + std::to_string(*gen) + "." : "Gen 2 (the default).");
}

CheckResult CheckKernelConfig(const DoctorContext& c) {
  CheckResult r =
      NewCheck(7, "kernel.config", "4K-page kernel configured", CheckGroup::kBootConfig, true);
  if (!c.pi5) return Skip(r, kNotPi5);
  if (!c.config) return Skip(r, NoConfig(c));
  std::string k = ConfiguredKernel(c);
  if (Kernel4kConfigured(c)) {
    return Ok(r,
              k.empty() ? "kernel8.img boots (kernel_2712.img is absent)." : "kernel=kernel8.img.");
  }
  if (k == "kernel8.img") {
    r.commands = {"sudo apt-get install linux-image-rpi-v8"};
    return Fail(r,
                "kernel=kernel8.img is set but " + c.BootFile("kernel8.img") +
                    " does not exist; the firmware would fall back to another kernel.",
                "install the 4K kernel package: sudo apt-get install linux-image-rpi-v8");
  }
  r.setup_fixes = true;
  std::string which = k.empty() ? "kernel_2712.img" : k;
  if (!c.fs.Exists(c.BootFile("kernel8.img"))) {
    r.commands = {"sudo apt-get install linux-image-rpi-v8"};
  }
  return Fail(r,
              "The 16K-page Pi 5 kernel (" + which +
                  ") is configured; the Coral driver and runtime "
                  "need the 4K kernel. Add 'kernel=kernel8.img'.",
              "coralpi setup appends 'kernel=kernel8.img' under [all]");
}

CheckResult CheckKernelRunning(const DoctorContext& c) {
  CheckResult r = NewCheck(8, "kernel.running", "4K-page kernel running", CheckGroup::kRunning);
  if (!c.pi5) return Skip(r, kNotPi5);
  std::string rel = c.osrelease.value_or("unknown");
  std::optional<bool> is4k = Running4k(c);
  if (!is4k) return Warn(r, "Cannot tell the running kernel's page size (release " + rel + ").");
  if (*is4k) return Ok(r, "Kernel " + rel + " uses 4K pages.");
  if (Kernel4kConfigured(c)) {
    r.reboot_required = true;
    r.commands = {"sudo reboot"};
  }
  return Fail(r, "Running kernel " + rel + " uses 16K pages; reboot into kernel8.img.",
              r.reboot_required ? "reboot (kernel8.img is configured)"
                                : "configure kernel8.img (check kernel.config), then reboot");
}

CheckResult CheckMsiConfig(const DoctorContext& c) {
  CheckResult r =
      NewCheck(9, "msi.config", "PCIe MSI fix configured", CheckGroup::kBootConfig, true);
  if (!c.pi5) return Skip(r, kNotPi5);
  if (!c.config) return Skip(r, NoConfig(c));
  std::string name = MsiOverlayConfigured(c);
  if (!name.empty()) {
    if (OverlayFileExists(c, name))
      return Ok(r, "dtoverlay=" + name + " is set and its .dtbo exists.");
    r.commands = {"sudo apt-get update", "sudo apt-get full-upgrade"};
    return Fail(r, "Overlay " + name + ".dtbo not found in overlays/; update the kernel package.",
                "update the kernel package (it ships the overlay)");
  }
  std::string add = MsiOverlayToAdd(c);
  if (BoardDtbPatched(c)) {
    r.setup_fixes = !add.empty();
    return Warn(r,
                "The MSI fix is in a hand-edited board DTB, not an overlay; kernel updates will "
                "overwrite it.",
                add.empty() ? "keep the patched DTB until the kernel ships pineboards-hat-ai.dtbo"
                            : "coralpi setup appends 'dtoverlay=" + add + "'");
  }
  std::string msg =
      "PCIe MSI routing is not fixed: the Coral needs 13 MSI-X vectors but the default MIP "
      "controller has 8 ('Couldn't initialize interrupts: -28'). Add "
      "'dtoverlay=pineboards-hat-ai'.";
  if (add.empty()) {
    r.commands = {"sudo apt-get update", "sudo apt-get full-upgrade"};
    return Fail(r,
                msg + " Neither pineboards-hat-ai.dtbo nor pciex1-compat-pi5.dtbo is in overlays/.",
                "update the kernel package to get the overlay, or (older kernels) patch the "
                "board DTB: coralpi setup --patch-dtb " +
                    c.BootFile(BoardDtbs(c).front()) + " --apply");
  }
  r.setup_fixes = true;
  return Fail(r, msg,
              "coralpi setup appends 'dtoverlay=" + add + (add == kCompatOverlay ? ",no-mip" : "") +
                  "' under [all]");
}

CheckResult CheckMsiActive(const DoctorContext& c) {
  CheckResult r = NewCheck(10, "msi.running", "PCIe MSI fix active in the running system",
                           CheckGroup::kRunning);
  if (!c.pi5) return Skip(r, kNotPi5);
  if (!c.live)
    return Warn(r, "Cannot read the external PCIe port from the running device tree: " +
                       c.live_error + ".");
  const PcieMsiState& s = *c.live;
  if (s.MsiFixed())
    return Ok(r, s.pcie_path + " msi-parent is its own MSI controller (" + Hex(*s.phandle) + ").");
  if (!s.msi_parent || !s.phandle) {
    return Warn(r, s.pcie_path + " has no " +
                       std::string(!s.msi_parent ? "msi-parent" : "phandle") +
                       " property; cannot tell where its MSIs go.");
  }
  std::string name = MsiOverlayConfigured(c);
  if (!name.empty() && OverlayFileExists(c, name)) {
    r.reboot_required = true;
    r.commands = {"sudo reboot"};
  }
  std::string target = s.MsiOnMip() ? "mip1 (8 vectors)" : "phandle " + Hex(*s.msi_parent);
  return Fail(r, "pcie1 msi-parent points to " + target + "; reboot after adding the overlay.",
              r.reboot_required ? "reboot (the overlay is configured)"
                                : "configure the overlay (check msi.config), then reboot");
}

CheckResult CheckLegacyDtb(const DoctorContext& c) {
  CheckResult r =
      NewCheck(11, "msi.legacy-dtb", "No hand-edited board DTB", CheckGroup::kBootConfig, true);
  if (!c.pi5) return Skip(r, kNotPi5);
  std::string bak;
  for (const std::string& name : c.fs.List(c.boot)) {
    if (name.size() > 8 && name.compare(name.size() - 8, 8, ".dtb.bak") == 0) bak = name;
  }
  bool fixed_without_overlay = c.config && MsiOverlayConfigured(c).empty() &&
                               ((c.live && c.live->MsiFixed()) || BoardDtbPatched(c));
  if (bak.empty() && !fixed_without_overlay) return Ok(r, "No hand-edited DTB found.");
  std::string add = MsiOverlayToAdd(c);
  r.setup_fixes = !add.empty() && MsiOverlayConfigured(c).empty();
  std::string found = bak.empty() ? "" : " (" + c.BootFile(bak) + ")";
  return Warn(r,
              "A hand-edited DTB was found" + found +
                  "; kernel updates will overwrite it. Prefer dtoverlay=pineboards-hat-ai.",
              add.empty() ? "update the kernel package to get the overlay"
                          : "coralpi setup appends 'dtoverlay=" + add + "'");
}

CheckResult CheckAspm(const DoctorContext& c) {
  CheckResult r =
      NewCheck(12, "cmdline.aspm", "PCIe ASPM off (pcie_aspm=off)", CheckGroup::kBootConfig, true);
  if (!c.pi5) return Skip(r, kNotPi5);
  if (!c.cmdline) return Skip(r, "cmdline.txt not readable (" + c.cmdline_error + ")");
  if (AspmOffConfigured(c).value_or(false)) {
    std::optional<std::string> now =
        c.proc_cmdline ? c.proc_cmdline->KernelParam("pcie_aspm") : std::nullopt;
    if (c.proc_cmdline && (!now || *now != "off")) {
      r.reboot_required = true;
      r.commands = {"sudo reboot"};
      return Ok(r,
                "pcie_aspm=off is in cmdline.txt, but the running kernel was booted without "
                "it: reboot required.");
    }
    return Ok(r, "pcie_aspm=off is in cmdline.txt.");
  }
  r.setup_fixes = c.cmdline->content_lines == 1;
  return Fail(r, "PCIe ASPM is enabled; add 'pcie_aspm=off' to cmdline.txt (single line).",
              r.setup_fixes ? "coralpi setup adds 'pcie_aspm=off' to the line (before any ' -- ')"
                            : "make cmdline.txt a single line first (check cmdline.lines)");
}

CheckResult CheckCmdlineLines(const DoctorContext& c) {
  CheckResult r =
      NewCheck(13, "cmdline.lines", "cmdline.txt is a single line", CheckGroup::kBootConfig, true);
  if (!c.pi5) return Skip(r, kNotPi5);
  if (!c.cmdline) return Skip(r, "cmdline.txt not readable (" + c.cmdline_error + ")");
  if (c.cmdline->content_lines == 1) return Ok(r, "cmdline.txt is one line.");
  if (c.cmdline->content_lines == 0) {
    return Fail(r, "cmdline.txt is empty; the kernel would boot without a root device.",
                "restore cmdline.txt from a backup");
  }
  return Fail(
      r, "cmdline.txt has more than one line; the kernel command line must be on a single line.",
      "join the lines of " + c.BootFile("cmdline.txt") +
          " into one by hand; coralpi setup will not edit it");
}

}  // namespace coralpi::board

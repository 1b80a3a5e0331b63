// Checks 23-29 and the ones that apply to any machine: the apex group, the Edge TPU runtime,
// Coral apt sources, power, TPU temperature, the kernel log, the CPU engine, USB Accelerators
// and an offline .dtb given with --dtb.
#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>

#include "board/doctor_context.h"
#include "core/file.h"

namespace coralpi::board {
namespace {

constexpr const char* kNoTpuHere = "no PCIe Edge TPU on this machine (and not a Raspberry Pi 5)";

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::stringstream in(s);
  while (std::getline(in, part, sep)) out.push_back(part);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::string Celsius(long millic) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(millic) / 1000.0);
  return buf;
}

bool HasSuffix(const std::string& s, const std::string& x) {
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

}  // namespace

std::vector<AptSourceLine> CoralAptSources(const RootFs& fs) {
  std::vector<AptSourceLine> out;
  std::vector<std::string> files;
  if (fs.Exists("etc/apt/sources.list")) files.push_back("etc/apt/sources.list");
  for (const std::string& name : fs.List("etc/apt/sources.list.d")) {
    if (HasSuffix(name, ".list") || HasSuffix(name, ".sources")) {
      files.push_back("etc/apt/sources.list.d/" + name);
    }
  }
  for (const std::string& file : files) {
    Result<std::string> text = fs.ReadText(file);
    if (!text.ok()) continue;
    std::vector<std::string> lines = Split(*text, '\n');
    if (HasSuffix(file, ".sources")) {
      // deb822: paragraphs with URIs: and Suites: fields.
      bool coral = false;
      AptSourceLine suites;
      auto flush = [&] {
        if (coral && suites.line > 0) {
          for (const std::string& s : Words(suites.suite)) {
            out.push_back({file, suites.line, s, true, suites.signed_by});
          }
        }
        coral = false;
        suites = AptSourceLine{};
      };
      for (size_t i = 0; i < lines.size(); ++i) {
        const std::string& l = lines[i];
        if (Words(l).empty()) {
          flush();
          continue;
        }
        if (l.rfind("URIs:", 0) == 0 &&
            l.find("packages.cloud.google.com/apt") != std::string::npos)
          coral = true;
        if (l.rfind("Suites:", 0) == 0) {
          suites.line = static_cast<int>(i + 1);
          suites.suite = l.substr(7);
        }
        if (l.rfind("Signed-By:", 0) == 0) suites.signed_by = true;
      }
      flush();
      continue;
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string l = lines[i].substr(0, lines[i].find('#'));
      if (l.find("packages.cloud.google.com/apt") == std::string::npos) continue;
      std::vector<std::string> w = Words(l);
      bool signed_by = l.find("signed-by=") != std::string::npos;
      for (size_t j = 0; j + 1 < w.size(); ++j) {
        if (w[j].find("packages.cloud.google.com/apt") != std::string::npos) {
          out.push_back({file, static_cast<int>(i + 1), w[j + 1], false, signed_by});
          break;
        }
      }
    }
  }
  return out;
}

CheckResult CheckApexGroup(const DoctorContext& c) {
  CheckResult r = NewCheck(23, "access.group", "apex group and membership", CheckGroup::kAccess);
  if (!c.PcieExpected()) return Skip(r, kNoTpuHere);
  const std::string& user = c.options.user;
  std::optional<std::vector<std::string>> members;
  std::string apex_gid;
  if (Result<std::string> group = c.fs.ReadText("etc/group"); group.ok()) {
    for (const std::string& line : Split(*group, '\n')) {
      std::vector<std::string> f = Split(line, ':');
      if (f.size() >= 3 && f[0] == "apex") {
        members = f.size() >= 4 ? Split(f[3], ',') : std::vector<std::string>{};
        apex_gid = f[2];
      }
    }
  }
  if (!members) {
    r.commands = {"sudo groupadd --system apex"};
    if (!user.empty() && user != "root") r.commands.push_back("sudo usermod -aG apex " + user);
    return Fail(r, "Group 'apex' missing or user " + (user.empty() ? "?" : user) + " not in it.",
                "coralpi setup --apply --add-user " + (user.empty() ? "NAME" : user) +
                    " creates the group and adds the user; then log out and back in");
  }
  if (user.empty() || user == "root") {
    return Ok(
        r, "Group 'apex' exists" + std::string(user == "root" ? " (root needs no group)." : "."));
  }
  bool member = std::find(members->begin(), members->end(), user) != members->end();
  if (!member) {
    // The group may also be the user's primary group.
    if (Result<std::string> passwd = c.fs.ReadText("etc/passwd"); passwd.ok()) {
      for (const std::string& line : Split(*passwd, '\n')) {
        std::vector<std::string> f = Split(line, ':');
        if (f.size() >= 4 && f[0] == user && f[3] == apex_gid) member = true;
      }
    }
  }
  if (member) return Ok(r, "User " + user + " is in the apex group.");
  r.commands = {"sudo usermod -aG apex " + user};
  return Fail(r, "Group 'apex' missing or user " + user + " not in it.",
              "coralpi setup --apply --add-user " + user +
                  " adds the user to the group; then log out and back in");
}

// "; it lists 2 Edge TPUs: pci /dev/apex_0, usb ..." when the loaded library was asked.
std::string ListedDevices(const EdgeTpuRuntime& rt) {
  if (!rt.listed_devices) return "";
  const std::vector<std::string>& d = *rt.listed_devices;
  std::string s =
      "; it lists " + std::to_string(d.size()) + " Edge TPU" + (d.size() == 1 ? "" : "s");
  for (size_t i = 0; i < d.size(); ++i) s += (i ? ", " : ": ") + d[i];
  return s;
}

CheckResult CheckRuntimeInstalled(const DoctorContext& c) {
  CheckResult r = NewCheck(24, "runtime.installed", "Edge TPU runtime (libedgetpu) installed",
                           CheckGroup::kRuntime);
  const EdgeTpuRuntime& rt = c.runtime;
  const std::string get =
      "sudo apt-get install ./libedgetpu1-std_<version>_arm64.deb   # libedgetpu 16.0 or later: "
      "Coral's apt repository, or https://github.com/feranick/libedgetpu/releases (any "
      "TensorFlow version; coralpi needs no TensorFlow Lite)";
  if (rt.installed()) {
    std::string what =
        rt.package.empty() ? std::string("libedgetpu") : rt.package + " " + rt.package_version;
    std::string where = !rt.library.empty()  ? " (/" + rt.library + ")"
                        : rt.package.empty() ? ""
                                             : " (package installed, library file not found)";
    std::string loaded = rt.loaded_version ? "; loaded: " + *rt.loaded_version : "";
    int version = rt.runtime_version();
    if (version > 0 && version < kMinDirectRuntimeVersion) {
      r.commands = {get};
      return Fail(r,
                  what + where + loaded + ": RuntimeVersion " + std::to_string(version) +
                      " is too old; coralpi runs the Edge TPU with RuntimeVersion " +
                      std::to_string(kMinDirectRuntimeVersion) + " or newer.",
                  "install libedgetpu 16.0 or later (libedgetpu1-std or libedgetpu1-max)");
    }
    std::string direct = version >= kMinDirectRuntimeVersion
                             ? "; RuntimeVersion " + std::to_string(version) +
                                   ": coralpi runs it directly, TensorFlow Lite is not needed"
                             : "; TensorFlow Lite is not needed";
    return Ok(r, what + where + loaded + direct + ListedDevices(rt) + ".");
  }
  r.commands = {get};
  std::string msg =
      "Edge TPU runtime libedgetpu.so.1 not found (it is all coralpi needs for the "
      "TPU; TensorFlow Lite is not needed).";
  if (!c.PcieExpected() && c.devices.usb.empty()) {
    return Warn(r, msg + " Models run on the CPU engine until it is installed.",
                "install libedgetpu to use an Edge TPU");
  }
  return Fail(r, msg, "install libedgetpu (libedgetpu1-std or libedgetpu1-max, 16.0 or later)");
}

CheckResult CheckRuntimeFlavour(const DoctorContext& c) {
  CheckResult r = NewCheck(25, "runtime.flavour", "Edge TPU runtime flavour", CheckGroup::kRuntime);
  if (!c.runtime.installed()) return Skip(r, "libedgetpu is not installed");
  switch (c.runtime.flavour) {
    case EdgeTpuRuntime::Flavour::kDirect:
      return Ok(r,
                "libedgetpu1-max (direct): libedgetpu1-max only changes USB Accelerator "
                "clocks; PCIe Coral always runs at max.");
    case EdgeTpuRuntime::Flavour::kThrottled:
      return Ok(r,
                "libedgetpu1-std (throttled): only the USB Accelerator runs at reduced clocks; "
                "PCIe Coral always runs at max.");
    case EdgeTpuRuntime::Flavour::kUnknown:
      break;
  }
  return Ok(r, "Flavour unknown (no PERFORMANCE= marker found); PCIe Coral always runs at max.");
}

CheckResult CheckAptSources(const DoctorContext& c) {
  CheckResult r = NewCheck(26, "apt.sources", "Coral apt sources", CheckGroup::kRuntime, true);
  std::vector<AptSourceLine> sources = CoralAptSources(c.fs);
  if (sources.empty()) return Ok(r, "No Coral apt source configured.");
  for (const AptSourceLine& s : sources) {
    if (s.suite != "coral-edgetpu-stable") {
      r.setup_fixes = !s.deb822;
      return Warn(r,
                  "Source '" + s.suite + "' (/" + s.file + ":" + std::to_string(s.line) +
                      ") no longer exists (404); remove it.",
                  s.deb822 ? "remove the suite from /" + s.file + " by hand"
                           : "coralpi setup comments the line out");
    }
  }
  bool unsigned_source = std::any_of(sources.begin(), sources.end(),
                                     [](const AptSourceLine& s) { return !s.signed_by; });
  if (unsigned_source && c.fs.Exists("etc/apt/trusted.gpg") &&
      c.fs.List("etc/apt/trusted.gpg.d").empty()) {
    return Warn(r,
                "The Coral repository key is only in the legacy keyring /etc/apt/trusted.gpg; "
                "apt warns about it and apt-key is gone on newer systems.",
                "store the key in /etc/apt/keyrings and add [signed-by=...] to the source line");
  }
  return Ok(r, "Only coral-edgetpu-stable is configured.");
}

CheckResult CheckPowerSupply(const DoctorContext& c) {
  CheckResult r = NewCheck(27, "power.supply", "Power supply", CheckGroup::kHealth);
  if (!c.pi5) return Skip(r, "not a Raspberry Pi 5-family board");
  std::optional<uint32_t> ma;
  if (Result<std::string> v = c.fs.ReadText("proc/device-tree/chosen/power/max_current"); v.ok()) {
    ma = BigEndianU32(*v);
  }
  std::optional<uint32_t> reset;
  if (Result<std::string> v = c.fs.ReadText("proc/device-tree/chosen/power/power_reset"); v.ok()) {
    reset = BigEndianU32(*v);
  }
  bool alarm = false;
  for (const std::string& h : c.fs.List("sys/class/hwmon")) {
    if (c.fs.ReadTrimmed("sys/class/hwmon/" + h + "/in0_lcrit_alarm") == "1") alarm = true;
  }
  if (ma && *ma < 5000) {
    return Warn(r,
                "Power supply negotiated " + std::to_string(*ma) +
                    " mA (< 5000): peripherals are current-limited.",
                "use a 5 V / 5 A supply (the official 27 W PSU)");
  }
  if ((reset && (*reset & 0x02) != 0) || alarm) {
    return Warn(r, "A low-power reset/under-voltage was recorded.",
                "use a 5 V / 5 A supply (the official 27 W PSU)");
  }
  if (!ma && !reset) return Skip(r, "the firmware reports no power supply data");
  return Ok(
      r, ma ? "Power supply negotiated " + std::to_string(*ma) + " mA." : "No low-power events.");
}

CheckResult CheckTpuTemperature(const DoctorContext& c) {
  CheckResult r = NewCheck(28, "tpu.temperature", "Edge TPU temperature", CheckGroup::kHealth);
  for (const PcieEdgeTpu& t : c.devices.pcie) {
    if (!t.temp_millic) continue;
    long trip = t.trip_points_millic.empty() ? 85000 : t.trip_points_millic.front();
    if (*t.temp_millic >= trip) {
      return Warn(
          r, "Edge TPU at " + Celsius(*t.temp_millic) + " °C: the driver throttles at 85/90/95 °C.",
          "improve cooling (heatsink, airflow)");
    }
    return Ok(r, "Edge TPU at " + Celsius(*t.temp_millic) + " °C (throttles at " + Celsius(trip) +
                     " °C).");
  }
  return Skip(r, "no PCIe Edge TPU reports a temperature");
}

CheckResult CheckKernelLog(const DoctorContext& c) {
  CheckResult r = NewCheck(29, "kernel.log", "Kernel log", CheckGroup::kRunning);
  std::optional<std::string> text = c.options.kernel_log;
  std::string source = c.options.kernel_log_source;
  for (const char* f : {"var/log/kern.log", "var/log/dmesg"}) {
    if (text) break;
    if (Result<std::string> t = c.fs.ReadText(f); t.ok()) {
      text = *t;
      source = std::string("/") + f;
    }
  }
  if (!text) return Skip(r, "no kernel log available (pass --dmesg FILE)");
  struct Pattern {
    const char* needle;
    CheckStatus status;
    const char* explanation;
  };
  // Later lines win, so an old failure followed by a healthy boot reads as healthy.
  static const Pattern kPatterns[] = {
      {"Couldn't initialize interrupts: -28", CheckStatus::kFail,
       "the apex driver got fewer MSI-X vectors than the 13 it needs (-28): the port still uses "
       "mip1; add dtoverlay=pineboards-hat-ai and reboot"},
      {"Couldn't initialize interrupts", CheckStatus::kFail,
       "the apex driver could not set up its interrupts; check the MSI fix (msi.running)"},
      {"Couldn't reinit interrupts", CheckStatus::kFail,
       "interrupts could not be set up again when the device was opened or reset"},
      {"Page table init timed out", CheckStatus::kFail,
       "the TPU did not come out of reset in time (link, cable or power problem)"},
      {"MSI-X table init timed out", CheckStatus::kFail,
       "the TPU did not come out of reset in time (link, cable or power problem)"},
      {"error enabling PCI device", CheckStatus::kFail,
       "the driver could not enable the PCI device"},
      {"error adding gasket device", CheckStatus::kFail,
       "the driver could not register the device"},
      {"Apex performance throttled due to temperature", CheckStatus::kWarn,
       "the TPU is hot and the driver lowered its clock"},
      {"Apex performance not throttled due to temperature", CheckStatus::kOk,
       "the apex driver is up and the TPU runs at full clock"},
  };
  const Pattern* last = nullptr;
  size_t last_pos = 0;
  for (const Pattern& p : kPatterns) {
    size_t pos = text->rfind(p.needle);
    if (pos == std::string::npos) continue;
    if (last == nullptr || pos > last_pos) {
      last = &p;
      last_pos = pos;
    }
  }
  if (last == nullptr) return Skip(r, source + " has no apex driver messages");
  std::string line_end = text->substr(last_pos, text->find('\n', last_pos) - last_pos);
  std::string msg = "'" + line_end + "' in " + source + ": " + last->explanation + ".";
  if (last->status == CheckStatus::kOk) return Ok(r, msg);
  if (last->status == CheckStatus::kWarn) return Warn(r, msg, "improve cooling");
  return Fail(r, msg, "see the matching check above");
}

CheckResult CheckCpuEngine(const DoctorContext& c) {
  CheckResult r = NewCheck(0, "engine.cpu", "CPU engine", CheckGroup::kRuntime);
  int cpus = 0;
  if (Result<std::string> info = c.fs.ReadText("proc/cpuinfo"); info.ok()) {
    for (const std::string& line : Split(*info, '\n')) {
      if (line.rfind("processor", 0) == 0) ++cpus;
    }
  }
  std::string n = cpus > 0 ? " on " + std::to_string(cpus) + " CPUs" : "";
  return Ok(r, "The CPU engine (XNNPACK) runs here" + n +
                   "; models fall back to it when no "
                   "Edge TPU is usable.");
}

CheckResult CheckUsbAccelerator(const DoctorContext& c) {
  CheckResult r = NewCheck(0, "usb.accelerator", "USB Accelerator", CheckGroup::kDevice);
  if (c.devices.usb.empty()) return Skip(r, "no USB Accelerator connected");
  std::string list;
  for (const UsbEdgeTpu& u : c.devices.usb) {
    list += (list.empty() ? "" : ", ") + u.sysfs_name + " (" + u.vendor + ":" + u.product +
            (u.firmware_loaded ? ", firmware loaded" : ", firmware not loaded yet") + ")";
  }
  return Ok(r, "USB Accelerator at " + list + ".");
}

CheckResult CheckDtbFile(const DoctorContext& c) {
  if (!c.options.dtb_file) return CheckResult{};
  const std::string& file = *c.options.dtb_file;
  CheckResult r = NewCheck(0, "dtb.file", "Offline DTB MSI routing", CheckGroup::kBootConfig, true);
  Result<std::string> blob = ReadFileText(file);
  if (!blob.ok()) return Fail(r, blob.error().message + ".");
  Result<PcieMsiState> s = ReadDtbMsiState(*blob);
  if (!s.ok()) return Fail(r, file + ": " + s.error().message + ".");
  if (s->MsiFixed()) return Ok(r, file + ": " + s->pcie_path + " msi-parent points to itself.");
  std::string target = s->MsiOnMip() ? "mip1 (8 vectors)" : "another controller";
  return Fail(r, file + ": " + s->pcie_path + " msi-parent points to " + target + ".",
              "prefer dtoverlay=pineboards-hat-ai; for kernels without it: coralpi setup "
              "--patch-dtb " +
                  file + " --apply");
}

}  // namespace coralpi::board

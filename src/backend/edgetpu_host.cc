// Edge TPU device strings and host diagnosis; see edgetpu_host.h.
#include "backend/edgetpu_host.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace coralpi {
namespace {

using Bus = EdgeTpuDeviceSpec::Bus;

bool ParseIndex(const std::string& s, int& out) {
  if (s.empty() || s.size() > 3) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

// The name of group `gid` in the tree's etc/group, or its number.
std::string GroupName(const board::RootFs& fs, gid_t gid) {
  if (Result<std::string> text = fs.ReadText("etc/group"); text.ok()) {
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
      size_t a = line.find(':'), b = line.find(':', a + 1), c = line.find(':', b + 1);
      if (a == std::string::npos || b == std::string::npos || c == std::string::npos) continue;
      if (line.substr(b + 1, c - b - 1) == std::to_string(gid)) return line.substr(0, a);
    }
  }
  return "gid " + std::to_string(gid);
}

std::string Mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

std::string NoPermission(const board::RootFs& fs, const std::string& node,
                         const board::FileInfo& info, const std::string& fix) {
  std::string group = GroupName(fs, info.gid);
  return "no permission to open " + node + " (group " + group + ", mode " + Mode(info.mode) +
         "): " + (fix.empty() ? "join the group " + group + " and log in again" : fix);
}

HostEdgeTpu CheckPcie(const board::RootFs& fs, const board::PcieEdgeTpu& t,
                      const ProcessIdentity& who) {
  HostEdgeTpu h;
  h.bus = Bus::kPci;
  h.id = t.address;
  const std::string what = "PCIe Edge TPU " + t.address;
  if (t.driver.empty()) {
    h.problems.push_back(what +
                         ": no driver bound (the apex/gasket driver is not loaded: "
                         "install gasket-dkms, then sudo modprobe apex)");
    return h;
  }
  if (t.driver != "apex") {
    h.problems.push_back(what + ": bound to driver " + t.driver + ", not apex");
    return h;
  }
  if (t.apex_name.empty()) {
    h.problems.push_back(what + ": the apex driver created no device (see dmesg)");
    return h;
  }
  h.node = "/" + t.dev_node;
  if (t.status && *t.status != "ALIVE") {
    h.problems.push_back(what + ": status " + *t.status +
                         " (the chip did not come up; on a Pi 5 usually the PCIe MSI fix)");
  }
  if (!t.dev_node_exists) {
    h.problems.push_back(what + ": " + h.node + " does not exist (udev created no node)");
    return h;
  }
  board::FileInfo info = fs.Stat(t.dev_node);
  if (!CanReadWrite(info, who)) {
    h.problems.push_back(what + ": " + NoPermission(fs, h.node, info, ""));
  }
  return h;
}

HostEdgeTpu CheckUsb(const board::RootFs& fs, const board::UsbEdgeTpu& t,
                     const ProcessIdentity& who) {
  HostEdgeTpu h;
  h.bus = Bus::kUsb;
  h.id = t.sysfs_name;
  const std::string what = "USB Edge TPU " + t.vendor + ":" + t.product + " at " + t.sysfs_name;
  const std::string dir = "sys/bus/usb/devices/" + t.sysfs_name;
  int bus = 0, dev = 0;
  std::optional<std::string> busnum = fs.ReadTrimmed(dir + "/busnum");
  std::optional<std::string> devnum = fs.ReadTrimmed(dir + "/devnum");
  if (!busnum || !devnum || !ParseIndex(*busnum, bus) || !ParseIndex(*devnum, dev)) return h;
  char rel[64];
  std::snprintf(rel, sizeof rel, "dev/bus/usb/%03d/%03d", bus, dev);
  h.node = std::string("/") + rel;
  if (!fs.Exists(rel)) return h;  // no devtmpfs view (a container): nothing to say
  board::FileInfo info = fs.Stat(rel);
  if (!CanReadWrite(info, who)) {
    h.problems.push_back(
        what + ": " +
        NoPermission(fs, h.node, info,
                     "install the Edge TPU udev rule (99-edgetpu-accelerator.rules, group "
                     "plugdev), join that group and replug the accelerator"));
  }
  return h;
}

}  // namespace

Result<EdgeTpuDeviceSpec> ParseEdgeTpuDeviceSpec(const std::string& text) {
  EdgeTpuDeviceSpec spec;
  spec.text = text;
  std::string kind = text, index;
  size_t colon = text.find(':');
  if (colon != std::string::npos) {
    kind = text.substr(0, colon);
    index = text.substr(colon + 1);
    if (!ParseIndex(index, spec.index)) {
      return MakeError(ErrorKind::kBadArgument, "--device " + text,
                       "the index after ':' must be a number (0, 1, ...)");
    }
  }
  if (kind == "pci")
    spec.bus = Bus::kPci;
  else if (kind == "usb")
    spec.bus = Bus::kUsb;
  else if (!kind.empty()) {
    return MakeError(ErrorKind::kBadArgument, "--device " + text,
                     "expected '', pci, usb, :N, pci:N or usb:N (N counts from 0)");
  }
  return spec;
}

ProcessIdentity ProcessIdentity::Current() {
  ProcessIdentity who;
  who.uid = ::geteuid();
  who.gids.push_back(::getegid());
  int n = ::getgroups(0, nullptr);
  if (n > 0) {
    std::vector<gid_t> groups(static_cast<size_t>(n));
    n = ::getgroups(n, groups.data());
    if (n > 0) who.gids.insert(who.gids.end(), groups.begin(), groups.begin() + n);
  }
  return who;
}

bool CanReadWrite(const board::FileInfo& file, const ProcessIdentity& who) {
  if (!file.exists) return false;
  if (who.uid == 0) return true;
  mode_t need;
  if (file.uid == who.uid)
    need = 0600;
  else if (std::find(who.gids.begin(), who.gids.end(), file.gid) != who.gids.end())
    need = 0060;
  else
    need = 0006;
  return (file.mode & need) == need;
}

bool EdgeTpuHostReport::usable() const {
  return std::any_of(tpus.begin(), tpus.end(),
                     [](const HostEdgeTpu& t) { return t.problems.empty(); });
}

EdgeTpuHostReport DiagnoseEdgeTpuHost(const board::RootFs& fs, const board::EdgeTpuDevices& found,
                                      const EdgeTpuDeviceSpec& spec, const ProcessIdentity& who) {
  EdgeTpuHostReport r;
  if (spec.bus != Bus::kUsb) {
    for (const board::PcieEdgeTpu& t : found.pcie) r.tpus.push_back(CheckPcie(fs, t, who));
  }
  if (spec.bus != Bus::kPci) {
    for (const board::UsbEdgeTpu& t : found.usb) r.tpus.push_back(CheckUsb(fs, t, who));
  }
  if (r.tpus.empty()) {
    std::string pci = "no Edge TPU on the PCIe bus (no device 1ac1:089a in /sys/bus/pci/devices)";
    std::string usb = "no USB Accelerator (no 1a6e:089a or 18d1:9302 in /sys/bus/usb/devices)";
    if (spec.bus == Bus::kPci)
      r.problems.push_back(pci);
    else if (spec.bus == Bus::kUsb)
      r.problems.push_back(usb);
    else
      r.problems.push_back(pci + " and " + usb);
    return r;
  }
  if (spec.index >= 0) {
    if (static_cast<size_t>(spec.index) >= r.tpus.size()) {
      r.problems.push_back("--device " + spec.text + ": only " + std::to_string(r.tpus.size()) +
                           " matching Edge TPU(s) on this machine (indices count from 0)");
      r.tpus.clear();
      return r;
    }
    HostEdgeTpu chosen = r.tpus[static_cast<size_t>(spec.index)];
    r.tpus = {chosen};
  }
  if (r.usable()) return r;
  for (const HostEdgeTpu& t : r.tpus) {
    r.problems.insert(r.problems.end(), t.problems.begin(), t.problems.end());
  }
  return r;
}

}  // namespace coralpi

// Edge TPU discovery from sysfs; see edgetpu_devices.h.
#include "host/edgetpu_devices.h"

#include <algorithm>
#include <cstdlib>

namespace coralpi::board {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string Basename(const std::string& path) {
  std::string p = path;
  while (!p.empty() && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::optional<long> ReadLong(const RootFs& fs, const std::string& rel) {
  std::optional<std::string> v = fs.ReadTrimmed(rel);
  if (!v || v->empty()) return std::nullopt;
  char* end = nullptr;
  long n = std::strtol(v->c_str(), &end, 10);
  if (end == v->c_str()) return std::nullopt;
  return n;
}

// The apex class entry ("apex_0") that belongs to PCI device `address`.
std::string FindApexName(const RootFs& fs, const std::string& address) {
  for (const std::string& name : fs.List(JoinPath("sys/bus/pci/devices", address + "/apex"))) {
    return name;
  }
  for (const std::string& name : fs.List("sys/class/apex")) {
    std::string dir = "sys/class/apex/" + name;
    if (std::optional<std::string> dev = fs.ReadLink(dir + "/device")) {
      if (Basename(*dev) == address) return name;
    }
    if (std::optional<std::string> pci = fs.ReadTrimmed(dir + "/pci_address")) {
      if (*pci == address) return name;
    }
  }
  return "";
}

void ReadApexState(const RootFs& fs, PcieEdgeTpu& tpu) {
  tpu.dev_node = "dev/" + tpu.apex_name;
  tpu.dev_node_exists = fs.Exists(tpu.dev_node);
  std::string dir = "sys/class/apex/" + tpu.apex_name;
  tpu.status = fs.ReadTrimmed(dir + "/status");
  tpu.has_interrupt_counts = fs.Exists(dir + "/interrupt_counts");
  tpu.temp_millic = ReadLong(fs, dir + "/temp");
  for (int i = 0; i < 3; ++i) {
    std::optional<long> t = ReadLong(fs, dir + "/trip_point" + std::to_string(i) + "_temp");
    if (!t) break;
    tpu.trip_points_millic.push_back(*t);
  }
  tpu.reset_count = ReadLong(fs, dir + "/reset_count");
}

}  // namespace

std::optional<bool> IsThrottled(const PcieEdgeTpu& tpu) {
  if (!tpu.temp_millic || tpu.trip_points_millic.empty()) return std::nullopt;
  long lowest = *std::min_element(tpu.trip_points_millic.begin(), tpu.trip_points_millic.end());
  return *tpu.temp_millic >= lowest;
}

EdgeTpuDevices ScanEdgeTpus(const RootFs& fs) {
  EdgeTpuDevices out;
  const std::string pci = "sys/bus/pci/devices";
  for (const std::string& address : fs.List(pci)) {
    std::string dir = JoinPath(pci, address);
    std::optional<std::string> vendor = fs.ReadTrimmed(dir + "/vendor");
    std::optional<std::string> device = fs.ReadTrimmed(dir + "/device");
    if (!vendor || !device || Lower(*vendor) != kApexVendor || Lower(*device) != kApexDevice) {
      continue;
    }
    PcieEdgeTpu tpu;
    tpu.address = address;
    if (std::optional<std::string> drv = fs.ReadLink(dir + "/driver")) tpu.driver = Basename(*drv);
    tpu.link_speed = fs.ReadTrimmed(dir + "/current_link_speed");
    tpu.link_width = fs.ReadTrimmed(dir + "/current_link_width");
    tpu.max_link_speed = fs.ReadTrimmed(dir + "/max_link_speed");
    tpu.max_link_width = fs.ReadTrimmed(dir + "/max_link_width");
    tpu.apex_name = FindApexName(fs, address);
    if (!tpu.apex_name.empty()) ReadApexState(fs, tpu);
    out.pcie.push_back(std::move(tpu));
  }
  // A single apex entry that no link ties to a device (a minimal sysfs) belongs to the only TPU.
  if (out.pcie.size() == 1 && out.pcie[0].apex_name.empty()) {
    std::vector<std::string> names = fs.List("sys/class/apex");
    if (names.size() == 1) {
      out.pcie[0].apex_name = names[0];
      ReadApexState(fs, out.pcie[0]);
    }
  }
  const std::string usb = "sys/bus/usb/devices";
  for (const std::string& name : fs.List(usb)) {
    std::string dir = JoinPath(usb, name);
    std::optional<std::string> vendor = fs.ReadTrimmed(dir + "/idVendor");
    std::optional<std::string> product = fs.ReadTrimmed(dir + "/idProduct");
    if (!vendor || !product) continue;
    std::string v = Lower(*vendor), p = Lower(*product);
    bool before = v == "1a6e" && p == "089a";
    bool after = v == "18d1" && p == "9302";
    if (!before && !after) continue;
    UsbEdgeTpu tpu;
    tpu.sysfs_name = name;
    tpu.vendor = v;
    tpu.product = p;
    tpu.firmware_loaded = after;
    tpu.speed = fs.ReadTrimmed(dir + "/speed");
    out.usb.push_back(std::move(tpu));
  }
  return out;
}

}  // namespace coralpi::board

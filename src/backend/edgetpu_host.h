// Which Edge TPU to use and, when none is usable, why: device strings ("pci:0", "usb", ":1")
// and a diagnosis of the host from sysfs and /dev, read under a root like `doctor` does, so
// the Edge TPU backend can name the first missing piece (no device on the bus, no driver
// bound, no device node, no permission on it, a chip that did not come up).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/result.h"
#include "host/edgetpu_devices.h"
#include "host/root_fs.h"

namespace coralpi {

// "" any, "pci", "usb", ":N" (N-th of any kind), "pci:N", "usb:N"; the strings libcoral and
// pycoral accept.
struct EdgeTpuDeviceSpec {
  enum class Bus { kAny, kPci, kUsb };
  Bus bus = Bus::kAny;
  int index = -1;  // -1: the first one
  std::string text;
};
Result<EdgeTpuDeviceSpec> ParseEdgeTpuDeviceSpec(const std::string& text);

// Who wants to open the device nodes: the process's user and groups by default; tests pass
// others (they run as root, who may open anything).
struct ProcessIdentity {
  uid_t uid = 0;
  std::vector<gid_t> gids;
  static ProcessIdentity Current();
};
// True when `who` may open a file of this owner and mode for reading and writing.
bool CanReadWrite(const board::FileInfo& file, const ProcessIdentity& who);

struct HostEdgeTpu {
  EdgeTpuDeviceSpec::Bus bus = EdgeTpuDeviceSpec::Bus::kPci;
  std::string id;                     // PCI address or USB sysfs name
  std::string node;                   // "/dev/apex_0", "/dev/bus/usb/002/003", "" when unknown
  std::vector<std::string> problems;  // empty: usable as far as the host shows
};

struct EdgeTpuHostReport {
  std::vector<HostEdgeTpu> tpus;  // the ones matching the spec, PCIe first
  // Every problem found, in the order a user fixes them; empty when a matching TPU is usable.
  std::vector<std::string> problems;
  bool usable() const;
};

EdgeTpuHostReport DiagnoseEdgeTpuHost(const board::RootFs& fs, const board::EdgeTpuDevices& found,
                                      const EdgeTpuDeviceSpec& spec, const ProcessIdentity& who);

}  // namespace coralpi

// Edge TPU discovery from sysfs: PCIe/M.2 TPUs (vendor 0x1ac1, device 0x089a, driven by the
// gasket "apex" driver) and USB Accelerators (1a6e:089a before the runtime loads its firmware,
// 18d1:9302 after). Plain structs for `doctor` and `devices`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/root_fs.h"

namespace coralpi::board {

inline constexpr const char* kApexVendor = "0x1ac1";
inline constexpr const char* kApexDevice = "0x089a";

struct PcieEdgeTpu {
  std::string address;                        // PCI address, "0000:01:00.0"
  std::string driver;                         // bound driver's name ("apex"), "" when unbound
  std::optional<std::string> link_speed;      // current_link_speed, "5.0 GT/s PCIe"
  std::optional<std::string> link_width;      // current_link_width, "1"
  std::optional<std::string> max_link_speed;  // max_link_speed
  std::optional<std::string> max_link_width;  // max_link_width
  std::string apex_name;                      // "apex_0" when the driver created it
  std::string dev_node;                       // "dev/apex_0" (relative to the root)
  bool dev_node_exists = false;
  std::optional<std::string> status;  // ALIVE, LAMED, DEAD, DRIVER_EXITING
  bool has_interrupt_counts = false;  // absent when interrupt setup failed
  std::optional<long> temp_millic;
  std::vector<long> trip_points_millic;  // trip_point0..2_temp
  std::optional<long> reset_count;       // gasket's reset_count: resets since the driver loaded
};

// Whether the driver throttles the TPU now: its temperature is at or above the lowest trip
// point (the driver lowers the clock at each one it passes). Unknown without both readings.
std::optional<bool> IsThrottled(const PcieEdgeTpu& tpu);

struct UsbEdgeTpu {
  std::string sysfs_name;            // "2-1"
  std::string vendor;                // "1a6e" or "18d1"
  std::string product;               // "089a" or "9302"
  bool firmware_loaded = false;      // 18d1:9302
  std::optional<std::string> speed;  // Mbit/s, "5000" on USB 3
};

struct EdgeTpuDevices {
  std::vector<PcieEdgeTpu> pcie;
  std::vector<UsbEdgeTpu> usb;
};

// Scans sys/bus/pci/devices, sys/class/apex and sys/bus/usb/devices under the root.
EdgeTpuDevices ScanEdgeTpus(const RootFs& fs);

}  // namespace coralpi::board

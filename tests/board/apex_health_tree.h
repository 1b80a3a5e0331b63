// A fake sysfs with two PCIe Edge TPUs near the apex driver's thermal trip points (85, 90 and
// 95 degrees C, in millidegrees beside `temp` in sys/class/apex/apex_N/): apex_0 just below the
// lowest one, apex_1 past two of them (throttled) after two resets. For the devices and serve
// tests, and for `board_make_fixture two-tpus DIR` (the acceptance commands by hand). Header only,
// so every test program that has FakeTree can build it.
#pragma once

#include <string>

#include "fake_tree.h"

namespace coralpi::board::testing {

struct ApexTpuState {
  const char* address;  // PCI address, "0000:01:00.0"
  const char* apex;     // class entry, "apex_0"
  long temp_millic;
  long reset_count;
};

// What BuildTwoApexTpus writes, for the tests' expectations.
inline constexpr ApexTpuState kCoolTpu{"0000:01:00.0", "apex_0", 84900, 0};
inline constexpr ApexTpuState kHotTpu{"0000:02:00.0", "apex_1", 91300, 2};

// One PCIe TPU bound to apex: vendor/device, link, driver link, the class entry with status
// ALIVE, interrupt_counts, temp, trip_point0..2_temp (85000/90000/95000), reset_count, and
// dev/apex_N.
inline void AddApexTpu(FakeTree& t, const ApexTpuState& tpu) {
  const std::string address = tpu.address, apex = tpu.apex;
  const std::string dev = "sys/bus/pci/devices/" + address + "/";
  t.Write(dev + "vendor", "0x1ac1\n");
  t.Write(dev + "device", "0x089a\n");
  t.Write(dev + "current_link_speed", "5.0 GT/s PCIe\n");
  t.Write(dev + "current_link_width", "1\n");
  t.Symlink(dev + "driver", "../../../../bus/pci/drivers/apex");
  const std::string cls = "sys/class/apex/" + apex + "/";
  t.Write(cls + "status", "ALIVE\n");
  t.Write(cls + "interrupt_counts", "0x00: 0\n");
  t.Write(cls + "temp", std::to_string(tpu.temp_millic) + "\n");
  t.Write(cls + "trip_point0_temp", "85000\n");
  t.Write(cls + "trip_point1_temp", "90000\n");
  t.Write(cls + "trip_point2_temp", "95000\n");
  t.Write(cls + "reset_count", std::to_string(tpu.reset_count) + "\n");
  t.Symlink(cls + "device", "../../../" + address);
  t.Write("dev/" + apex, "");
}

// kCoolTpu and kHotTpu.
inline void BuildTwoApexTpus(FakeTree& t) {
  AddApexTpu(t, kCoolTpu);
  AddApexTpu(t, kHotTpu);
}

}  // namespace coralpi::board::testing

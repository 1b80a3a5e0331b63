// The Edge TPUs' health for coralpi serve's statistics: each PCIe TPU under a root directory
// ("/" on the Pi, a fake tree in tests) as board::ScanEdgeTpus reads it from sysfs, made into
// the plain TpuHealth of video/events.h (degrees C, throttled, resets).
#pragma once

#include <string>
#include <vector>

#include "host/edgetpu_devices.h"
#include "video/events.h"

namespace coralpi {

TpuHealth ToTpuHealth(const board::PcieEdgeTpu& tpu);

// Every PCIe TPU under `root` that the apex driver created an entry for, in scan order.
std::vector<TpuHealth> ReadTpuHealth(const std::string& root);

}  // namespace coralpi

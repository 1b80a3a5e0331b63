// The Edge TPUs this machine has and the runtime libraries that load: what `coralpi devices`
// prints and coralpi.devices() returns. Reads sysfs and /dev under a root (tests use fake trees).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "backend/edgetpu_device.h"
#include "backend/edgetpu_host.h"
#include "backend/runtime_loader.h"
#include "core/result.h"
#include "host/edgetpu_devices.h"

namespace coralpi {

struct DevicesOptions {
  std::string root = "/";
  std::string edgetpu_lib;  // "" : $CORALPI_EDGETPU_LIB, else the library path
  std::string tflite_lib;   // "" : $CORALPI_TFLITE_LIB, else the library path
};

struct DevicesReport {
  std::string root;
  board::EdgeTpuDevices found;
  EdgeTpuHostReport host;  // host.tpus follows found.pcie, then found.usb
  Result<const EdgeTpuLibrary*> edgetpu = Error{"not loaded"};
  Result<const TfLiteLibrary*> tflite = Error{"not loaded"};
  std::vector<RuntimeEdgeTpu> runtime_devices;  // what libedgetpu lists, when it loaded
};

// Scans the tree under options.root (an error when it is not a directory) and loads the
// runtime libraries of this machine.
Result<DevicesReport> ScanDevices(const DevicesOptions& options);

// The report as `coralpi devices --json` prints it.
nlohmann::json DevicesToJson(const DevicesReport& report);

}  // namespace coralpi

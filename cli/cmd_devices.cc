// coralpi devices: the Edge TPUs this machine has (PCIe/M.2 from sysfs with their driver,
// device node, status, temperature against the driver's thermal trip points (throttled or
// not), reset count and link; USB Accelerators before and after their firmware
// is loaded), what is wrong with each, which runtime libraries load, and what libedgetpu itself
// enumerates: its version, its RuntimeVersion (coralpi runs the TPU with libedgetpu alone from
// RuntimeVersion 14 on; TensorFlow Lite is only for the tflite backends). Reads sysfs and /dev
// under --root, like doctor.
#include <cstdio>
#include <string>

#include "command.h"
#include "flags.h"
#include "system/devices_report.h"

namespace coralpi::cli {
namespace {

struct DevicesFlags {
  std::string root = "/";
  std::string edgetpu_lib;
  std::string tflite_lib;
  bool json = false;
};

std::string Celsius(long millic) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(millic) / 1000.0);
  return buf;
}

std::string PcieLine(const board::PcieEdgeTpu& t) {
  std::string s = "pci " + t.address + ": ";
  s += t.driver.empty() ? "no driver bound" : "driver " + t.driver;
  if (!t.apex_name.empty()) {
    s += ", /" + t.dev_node + (t.dev_node_exists ? "" : " (missing)");
  }
  if (t.status) s += ", status " + *t.status;
  if (t.temp_millic) {
    s += ", " + Celsius(*t.temp_millic) + " C";
    if (!t.trip_points_millic.empty()) {
      s += " (trip points";
      for (size_t i = 0; i < t.trip_points_millic.size(); ++i) {
        s += (i ? ", " : " ") + Celsius(t.trip_points_millic[i]);
      }
      s += " C; ";
      s += board::IsThrottled(t).value_or(false) ? "throttled)" : "not throttled)";
    }
  }
  if (t.reset_count) s += ", resets " + std::to_string(*t.reset_count);
  if (t.link_speed || t.link_width) {
    s += ", link " + t.link_speed.value_or("?") + " x" + t.link_width.value_or("?");
    if (t.max_link_speed || t.max_link_width) {
      s += " (max " + t.max_link_speed.value_or("?") + " x" + t.max_link_width.value_or("?") + ")";
    }
  }
  return s;
}

std::string UsbLine(const board::UsbEdgeTpu& t) {
  std::string s =
      "usb " + t.sysfs_name + ": " + t.vendor + ":" + t.product +
      (t.firmware_loaded ? " (firmware loaded)"
                         : " (firmware not loaded yet: the runtime loads it on first use)");
  if (t.speed) s += ", " + *t.speed + " Mbit/s";
  return s;
}

void PrintText(const DevicesReport& r, const DevicesFlags& f) {
  std::printf("Edge TPUs%s:\n", f.root == "/" ? "" : (" under " + f.root).c_str());
  size_t k = 0;
  auto problems = [&](size_t i) {
    if (i >= r.host.tpus.size()) return;
    for (const std::string& p : r.host.tpus[i].problems)
      std::printf("      problem: %s\n", p.c_str());
  };
  for (const board::PcieEdgeTpu& t : r.found.pcie) {
    std::printf("  %s\n", PcieLine(t).c_str());
    problems(k++);
  }
  for (const board::UsbEdgeTpu& t : r.found.usb) {
    std::printf("  %s\n", UsbLine(t).c_str());
    problems(k++);
  }
  if (k == 0) {
    std::printf("  none: %s\n", r.host.problems.empty() ? "" : r.host.problems[0].c_str());
  }
  std::printf("\nRuntime libraries%s:\n", f.root == "/" ? "" : " (of this machine)");
  if (r.edgetpu.ok()) {
    const EdgeTpuLibrary& lib = **r.edgetpu;
    std::printf("  libedgetpu:      %s, version %s\n", lib.path.c_str(), lib.version.c_str());
    Status direct = CheckDirectEdgeTpuRuntime(lib);
    if (direct.ok()) {
      std::printf("                   RuntimeVersion %d: coralpi runs the Edge TPU with it alone\n",
                  lib.runtime_version);
    } else {
      std::printf("                   not usable by coralpi: %s\n", direct.error().message.c_str());
    }
  } else {
    std::printf("  libedgetpu:      not loaded: %s\n", r.edgetpu.error().message.c_str());
  }
  std::printf(
      "  TensorFlow Lite: not required (only --backend tflite and tflite-edgetpu use it); ");
  if (r.tflite.ok()) {
    std::printf("%s, version %s, XNNPACK delegate %s\n", (*r.tflite)->path.c_str(),
                (*r.tflite)->version.c_str(),
                (*r.tflite)->has_xnnpack ? "available" : "not exported");
  } else {
    std::printf("not loaded: %s\n", r.tflite.error().message.c_str());
  }
  if (r.edgetpu.ok()) {
    std::printf("\nlibedgetpu lists %zu Edge TPU%s%s\n", r.runtime_devices.size(),
                r.runtime_devices.size() == 1 ? "" : "s", r.runtime_devices.empty() ? "." : ":");
    for (size_t i = 0; i < r.runtime_devices.size(); ++i) {
      std::printf("  :%zu  %s\n", i, DeviceName(r.runtime_devices[i]).c_str());
    }
  }
}

}  // namespace

RunFn AddDevicesCommand(CLI::App& sub) {
  auto f = std::make_shared<DevicesFlags>();
  sub.add_option("--root", f->root, "Read sysfs and /dev under DIR instead of this machine")
      ->capture_default_str();
  sub.add_option("--edgetpu-lib", f->edgetpu_lib,
                 "libedgetpu.so.1 to load (default: $CORALPI_EDGETPU_LIB, else the library path)");
  sub.add_option(
      "--tflite-lib", f->tflite_lib,
      "libtensorflowlite_c.so to load (default: $CORALPI_TFLITE_LIB, else the library path)");
  AddJsonFlag(sub, f->json);
  return [f] {
    Result<DevicesReport> r = ScanDevices({f->root, f->edgetpu_lib, f->tflite_lib});
    if (!r.ok()) return ReportError(r.error());
    if (f->json)
      std::printf("%s\n", DevicesToJson(*r).dump(2).c_str());
    else
      PrintText(*r, *f);
    return kExitOk;
  };
}

}  // namespace coralpi::cli

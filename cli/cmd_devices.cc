// coralpi devices: the Edge TPUs this machine has (PCIe/M.2 from sysfs with their driver,
// device node, status, temperature against the driver's thermal trip points (throttled or
// not), reset count and link; USB Accelerators before and after their firmware
// is loaded), what is wrong with each, which runtime libraries load, and what libedgetpu itself
// enumerates: its version, its RuntimeVersion (coralpi runs the TPU with libedgetpu alone from
// RuntimeVersion 14 on; TensorFlow Lite is only for the tflite backends). Reads sysfs and /dev
// under --root, like doctor.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "backend/edgetpu_device.h"
#include "backend/edgetpu_host.h"
#include "backend/runtime_loader.h"
#include "command.h"
#include "flags.h"
#include "host/edgetpu_devices.h"

namespace coralpi::cli {
namespace {

struct DevicesFlags {
  std::string root = "/";
  std::string edgetpu_lib;
  std::string tflite_lib;
  bool json = false;
};

struct DevicesReport {
  board::EdgeTpuDevices found;
  EdgeTpuHostReport host;  // host.tpus follows found.pcie, then found.usb
  Result<const EdgeTpuLibrary*> edgetpu = Error{"not loaded"};
  Result<const TfLiteLibrary*> tflite = Error{"not loaded"};
  std::vector<RuntimeEdgeTpu> runtime_devices;
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

DevicesReport Scan(const DevicesFlags& f) {
  DevicesReport r;
  board::RootFs fs(f.root);
  r.found = board::ScanEdgeTpus(fs);
  r.host = DiagnoseEdgeTpuHost(fs, r.found, EdgeTpuDeviceSpec{}, ProcessIdentity::Current());
  r.edgetpu = LoadEdgeTpuLibrary(f.edgetpu_lib);
  r.tflite = LoadTfLiteLibrary(f.tflite_lib);
  if (r.edgetpu.ok()) r.runtime_devices = ListRuntimeEdgeTpus(**r.edgetpu);
  return r;
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

nlohmann::json ToJson(const DevicesReport& r, const DevicesFlags& f) {
  nlohmann::json j = {
      {"root", f.root}, {"pcie", nlohmann::json::array()}, {"usb", nlohmann::json::array()}};
  size_t k = 0;
  auto problems = [&](size_t i) {
    return i < r.host.tpus.size() ? r.host.tpus[i].problems : std::vector<std::string>{};
  };
  for (const board::PcieEdgeTpu& t : r.found.pcie) {
    nlohmann::json p = {{"address", t.address},
                        {"driver", t.driver},
                        {"apex", t.apex_name},
                        {"dev_node", t.dev_node.empty() ? "" : "/" + t.dev_node},
                        {"dev_node_exists", t.dev_node_exists},
                        {"problems", problems(k++)}};
    if (t.status) p["status"] = *t.status;
    if (t.temp_millic) p["temp_millicelsius"] = *t.temp_millic;
    p["trip_points_millicelsius"] = t.trip_points_millic;
    if (std::optional<bool> throttled = board::IsThrottled(t)) p["throttled"] = *throttled;
    if (t.reset_count) p["reset_count"] = *t.reset_count;
    if (t.link_speed) p["link_speed"] = *t.link_speed;
    if (t.link_width) p["link_width"] = *t.link_width;
    if (t.max_link_speed) p["max_link_speed"] = *t.max_link_speed;
    if (t.max_link_width) p["max_link_width"] = *t.max_link_width;
    j["pcie"].push_back(p);
  }
  for (const board::UsbEdgeTpu& t : r.found.usb) {
    nlohmann::json u = {{"sysfs_name", t.sysfs_name},
                        {"vendor", t.vendor},
                        {"product", t.product},
                        {"firmware_loaded", t.firmware_loaded},
                        {"problems", problems(k++)}};
    if (t.speed) u["speed_mbps"] = *t.speed;
    j["usb"].push_back(u);
  }
  if (k == 0 && !r.host.problems.empty()) j["none_reason"] = r.host.problems[0];
  nlohmann::json rt;
  if (r.edgetpu.ok()) {
    const EdgeTpuLibrary& lib = **r.edgetpu;
    Status direct = CheckDirectEdgeTpuRuntime(lib);
    rt["edgetpu"] = {{"loaded", true},
                     {"path", lib.path},
                     {"version", lib.version},
                     {"runtime_version", lib.runtime_version},
                     {"usable_without_tflite", direct.ok()}};
    if (!direct.ok()) rt["edgetpu"]["why_not"] = direct.error().message;
    nlohmann::json list = nlohmann::json::array();
    for (const RuntimeEdgeTpu& d : r.runtime_devices)
      list.push_back({{"type", BusName(d.bus)}, {"path", d.path}});
    rt["devices"] = list;
  } else {
    rt["edgetpu"] = {{"loaded", false}, {"error", r.edgetpu.error().message}};
  }
  if (r.tflite.ok()) {
    rt["tflite"] = {{"loaded", true},
                    {"path", (*r.tflite)->path},
                    {"version", (*r.tflite)->version},
                    {"xnnpack", (*r.tflite)->has_xnnpack}};
  } else {
    rt["tflite"] = {{"loaded", false}, {"error", r.tflite.error().message}};
  }
  rt["tflite_required"] = false;  // only the tflite and tflite-edgetpu backends use it
  j["runtime"] = rt;
  return j;
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
    board::RootFs fs(f->root);
    if (!fs.IsDir("")) return ReportError(MakeError("--root " + f->root, "is not a directory"));
    DevicesReport r = Scan(*f);
    if (f->json)
      std::printf("%s\n", ToJson(r, *f).dump(2).c_str());
    else
      PrintText(r, *f);
    return kExitOk;
  };
}

}  // namespace coralpi::cli

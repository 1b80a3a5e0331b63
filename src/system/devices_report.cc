#include "system/devices_report.h"

#include <optional>

namespace coralpi {

Result<DevicesReport> ScanDevices(const DevicesOptions& options) {
  board::RootFs fs(options.root);
  if (!fs.IsDir("")) return MakeError("--root " + options.root, "is not a directory");
  DevicesReport r;
  r.root = options.root;
  r.found = board::ScanEdgeTpus(fs);
  r.host = DiagnoseEdgeTpuHost(fs, r.found, EdgeTpuDeviceSpec{}, ProcessIdentity::Current());
  r.edgetpu = LoadEdgeTpuLibrary(options.edgetpu_lib);
  r.tflite = LoadTfLiteLibrary(options.tflite_lib);
  if (r.edgetpu.ok()) r.runtime_devices = ListRuntimeEdgeTpus(**r.edgetpu);
  return r;
}

namespace {

nlohmann::json PcieJson(const board::PcieEdgeTpu& t, const std::vector<std::string>& problems) {
  nlohmann::json p = {{"address", t.address},
                      {"driver", t.driver},
                      {"apex", t.apex_name},
                      {"dev_node", t.dev_node.empty() ? "" : "/" + t.dev_node},
                      {"dev_node_exists", t.dev_node_exists},
                      {"problems", problems}};
  if (t.status) p["status"] = *t.status;
  if (t.temp_millic) p["temp_millicelsius"] = *t.temp_millic;
  p["trip_points_millicelsius"] = t.trip_points_millic;
  if (std::optional<bool> throttled = board::IsThrottled(t)) p["throttled"] = *throttled;
  if (t.reset_count) p["reset_count"] = *t.reset_count;
  if (t.link_speed) p["link_speed"] = *t.link_speed;
  if (t.link_width) p["link_width"] = *t.link_width;
  if (t.max_link_speed) p["max_link_speed"] = *t.max_link_speed;
  if (t.max_link_width) p["max_link_width"] = *t.max_link_width;
  return p;
}

nlohmann::json UsbJson(const board::UsbEdgeTpu& t, const std::vector<std::string>& problems) {
  nlohmann::json u = {{"sysfs_name", t.sysfs_name},
                      {"vendor", t.vendor},
                      {"product", t.product},
                      {"firmware_loaded", t.firmware_loaded},
                      {"problems", problems}};
  if (t.speed) u["speed_mbps"] = *t.speed;
  return u;
}

nlohmann::json RuntimeJson(const DevicesReport& r) {
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
  return rt;
}

}  // namespace

nlohmann::json DevicesToJson(const DevicesReport& r) {
  nlohmann::json j = {
      {"root", r.root}, {"pcie", nlohmann::json::array()}, {"usb", nlohmann::json::array()}};
  size_t k = 0;
  auto problems = [&](size_t i) {
    return i < r.host.tpus.size() ? r.host.tpus[i].problems : std::vector<std::string>{};
  };
  for (const board::PcieEdgeTpu& t : r.found.pcie) j["pcie"].push_back(PcieJson(t, problems(k++)));
  for (const board::UsbEdgeTpu& t : r.found.usb) j["usb"].push_back(UsbJson(t, problems(k++)));
  if (k == 0 && !r.host.problems.empty()) j["none_reason"] = r.host.problems[0];
  j["runtime"] = RuntimeJson(r);
  return j;
}

}  // namespace coralpi

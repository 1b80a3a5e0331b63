// Reading the Edge TPUs' health; see tpu_health.h.
#include "service/tpu_health.h"

#include "host/root_fs.h"

namespace coralpi {
namespace {

double Celsius(long millic) { return static_cast<double>(millic) / 1000.0; }

}  // namespace

TpuHealth ToTpuHealth(const board::PcieEdgeTpu& tpu) {
  TpuHealth h;
  h.device = tpu.apex_name;
  h.address = tpu.address;
  h.status = tpu.status.value_or("");
  if (tpu.temp_millic) h.temperature_c = Celsius(*tpu.temp_millic);
  for (long t : tpu.trip_points_millic) h.trip_points_c.push_back(Celsius(t));
  h.throttled = board::IsThrottled(tpu);
  if (tpu.reset_count) h.reset_count = *tpu.reset_count;
  return h;
}

std::vector<TpuHealth> ReadTpuHealth(const std::string& root) {
  std::vector<TpuHealth> out;
  for (const board::PcieEdgeTpu& tpu : board::ScanEdgeTpus(board::RootFs(root)).pcie) {
    if (!tpu.apex_name.empty()) out.push_back(ToTpuHealth(tpu));
  }
  return out;
}

}  // namespace coralpi

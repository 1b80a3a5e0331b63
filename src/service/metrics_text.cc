// Prometheus text of the statistics; see metrics_text.h.
#include "service/metrics_text.h"

#include <charconv>
#include <cmath>
#include <utility>
#include <vector>

namespace coralpi {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

// One metric family: its HELP and TYPE lines, then every sample added.
class Family {
 public:
  Family(std::string name, const char* type, const char* help)
      : name_(std::move(name)),
        text_("# HELP " + name_ + " " + help + "\n# TYPE " + name_ + " " + type + "\n") {}

  void Add(const Labels& labels, double value) {
    text_ += name_;
    if (!labels.empty()) {
      text_ += '{';
      for (size_t i = 0; i < labels.size(); ++i) {
        if (i) text_ += ',';
        text_ += labels[i].first + "=\"" + PrometheusLabelValue(labels[i].second) + "\"";
      }
      text_ += '}';
    }
    text_ += " " + Number(value) + "\n";
    ++samples_;
  }

  // Appends the family to `out` when it has samples.
  void AppendTo(std::string& out) const {
    if (samples_ > 0) out += text_;
  }

 private:
  std::string name_;
  std::string text_;
  int samples_ = 0;
};

void AppendTpus(const std::vector<TpuHealth>& tpus, std::string& out) {
  Family temp("coralpi_tpu_temperature_celsius", "gauge", "Edge TPU temperature (sysfs temp).");
  Family trip("coralpi_tpu_trip_point_celsius", "gauge",
              "Temperatures at which the apex driver lowers the Edge TPU's clock.");
  Family throttled("coralpi_tpu_throttled", "gauge",
                   "1 when the Edge TPU is at or above its lowest trip point, else 0.");
  Family resets("coralpi_tpu_reset_count", "gauge", "Resets of the Edge TPU by its driver.");
  Family alive("coralpi_tpu_alive", "gauge", "1 when the apex driver's status is ALIVE.");
  for (const TpuHealth& t : tpus) {
    const Labels device = {{"device", t.device}};
    if (t.temperature_c) temp.Add(device, *t.temperature_c);
    for (size_t i = 0; i < t.trip_points_c.size(); ++i) {
      trip.Add({{"device", t.device}, {"trip", std::to_string(i)}}, t.trip_points_c[i]);
    }
    if (t.throttled) throttled.Add(device, *t.throttled ? 1 : 0);
    if (t.reset_count) resets.Add(device, static_cast<double>(*t.reset_count));
    alive.Add(device, t.status == "ALIVE" ? 1 : 0);
  }
  for (const Family* f : {&temp, &trip, &throttled, &resets, &alive}) f->AppendTo(out);
}

void AppendDetectors(const std::vector<DetectorStats>& detectors, std::string& out) {
  Family ms("coralpi_inference_ms", "gauge",
            "Mean time of a detector's invoke over the last statistics period, in ms.");
  Family stalls("coralpi_detector_stalls_total", "counter",
                "Invokes the watchdog gave up on (each one a stall).");
  for (const DetectorStats& d : detectors) {
    ms.Add({{"device", d.device}}, d.inference_ms);
    stalls.Add({{"device", d.device}}, static_cast<double>(d.stalls));
  }
  ms.AppendTo(out);
  stalls.AppendTo(out);
}

void AppendCameras(const std::vector<CameraStats>& cameras, std::string& out) {
  Family fps("coralpi_camera_frames_per_second", "gauge", "Frames captured per second.");
  Family processed("coralpi_camera_processed_frames_per_second", "gauge",
                   "Frames through the detector per second.");
  Family skipped("coralpi_camera_skipped_frames_per_second", "gauge",
                 "Frames replaced before a detector took them, per second.");
  Family detections("coralpi_camera_detections_per_second", "gauge", "Detections per second.");
  for (const CameraStats& c : cameras) {
    const Labels camera = {{"camera", c.camera}};
    fps.Add(camera, c.camera_fps);
    processed.Add(camera, c.process_fps);
    skipped.Add(camera, c.skipped_fps);
    detections.Add(camera, c.detection_fps);
  }
  for (const Family* f : {&fps, &processed, &skipped, &detections}) f->AppendTo(out);
}

}  // namespace

std::string PrometheusLabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string MetricsText(const PipelineStats& stats) {
  std::string out;
  AppendTpus(stats.tpus, out);
  AppendDetectors(stats.detectors, out);
  AppendCameras(stats.cameras, out);
  Family cpu("coralpi_cpu_percent", "gauge",
             "CPU time of coralpi over the last period (100 = one core).");
  cpu.Add({}, stats.cpu_percent);
  cpu.AppendTo(out);
  Family uptime("coralpi_uptime_seconds", "gauge", "Seconds since the frame path started.");
  uptime.Add({}, stats.uptime_s);
  uptime.AppendTo(out);
  return out;
}

}  // namespace coralpi

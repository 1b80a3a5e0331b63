// coralpi serve's statistics as Prometheus text (exposition format 0.0.4), for GET /metrics:
// one `# HELP` and `# TYPE` line per metric, then its samples. Gauges are labelled `device`
// (an Edge TPU's apex entry, "apex_0", or a detector, "edgetpu:0") or `camera`:
//
//   coralpi_tpu_temperature_celsius{device}      sysfs temp
//   coralpi_tpu_trip_point_celsius{device,trip}  trip_point0..2_temp: the driver throttles there
//   coralpi_tpu_throttled{device}                1 at or above the lowest trip point, else 0
//   coralpi_tpu_reset_count{device}              the driver's reset_count
//   coralpi_tpu_alive{device}                    1 when the driver's status is ALIVE
//   coralpi_inference_ms{device}                 mean invoke time over the last period
//   coralpi_detector_stalls_total{device}        invokes the watchdog gave up on (counter)
//   coralpi_camera_frames_per_second{camera}     frames captured, and processed, skipped and
//   coralpi_camera_processed_frames_per_second{camera}   detections per second, over the
//   coralpi_camera_skipped_frames_per_second{camera}     last period
//   coralpi_camera_detections_per_second{camera}
//   coralpi_cpu_percent, coralpi_uptime_seconds
#pragma once

#include <string>

#include "video/events.h"

namespace coralpi {

std::string MetricsText(const PipelineStats& stats);

// `value` as a label value: backslash, double quote and newline escaped.
std::string PrometheusLabelValue(const std::string& value);

}  // namespace coralpi

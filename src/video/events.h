// What the video pipeline hands to its publishers (MQTT, HTTP, the watch command's JSON lines):
// processed frames, tracked-object events, statistics (with the Edge TPUs' health) and detector
// stalls. Plain value types and one interface,
// so the pipeline (src/video) and the publishers (src/service) depend only on this file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "image/image.h"
#include "vision/detection.h"

namespace coralpi {

// One frame after detection.
struct ProcessedFrame {
  std::string camera;
  int64_t number = 0;         // frames captured from this camera so far, counting from 1
  double capture_time = 0.0;  // seconds since the Unix epoch, when the frame was captured
  double inference_ms = 0.0;  // preprocess + invoke + decode of this frame
  std::vector<Detection> detections;
  // The frame at display size (boxes not drawn), shared by every publisher; may be null.
  std::shared_ptr<const Image> display;
};

// An object followed across frames by the tracker.
struct TrackedObject {
  std::string id;  // unique per object: "<capture time>-<camera>-<counter>"
  std::string camera;
  int32_t class_id = 0;
  std::string label;
  float score = 0.0f;       // the median of its recent scores
  float top_score = 0.0f;   // the best median so far
  BoundingBox box;          // latest box, pixels of the frame the detector saw (display scale)
  double frame_time = 0.0;  // capture time of the latest frame it was seen in
  double start_time = 0.0;
  double end_time = 0.0;  // 0 while the object is still being tracked
  bool operator==(const TrackedObject&) const = default;
};

enum class EventType { kNew, kUpdate, kEnd };
const char* EventTypeName(EventType type);  // "new", "update", "end"

struct Event {
  EventType type = EventType::kNew;
  TrackedObject before;  // the object as the previous event told it (== after for "new")
  TrackedObject after;
  // JPEG of the frame with the object's box drawn; may be null.
  std::shared_ptr<const std::vector<uint8_t>> snapshot_jpeg;
};

// Per-camera rates over the last statistics period.
struct CameraStats {
  std::string camera;
  double camera_fps = 0.0;     // frames captured
  double process_fps = 0.0;    // frames that went through the detector
  double skipped_fps = 0.0;    // frames overwritten in the latest-frame slot before being read
  double detection_fps = 0.0;  // detections per second
};

// One detector over the last statistics period. `device` names it as the stats and /metrics
// do: "<backend>:<index>" ("edgetpu:0", "stand-in:1").
struct DetectorStats {
  std::string device;
  double inference_ms = 0.0;  // mean of its invokes over the period (0 without any)
  int64_t stalls = 0;         // invokes the watchdog gave up on, over the whole run
};

// A PCIe Edge TPU as the apex driver's sysfs shows it when the statistics are made.
struct TpuHealth {
  std::string device;   // the apex class entry, "apex_0"
  std::string address;  // PCI address, "0000:01:00.0"
  std::string status;   // ALIVE, LAMED, ... ("" when unknown)
  std::optional<double> temperature_c;
  std::vector<double> trip_points_c;  // the driver lowers the clock at each (85, 90, 95)
  std::optional<bool> throttled;      // temperature at or above the lowest trip point
  std::optional<int64_t> reset_count;
};

struct PipelineStats {
  double uptime_s = 0.0;
  double inference_ms = 0.0;  // mean of the detectors' invokes over the period
  double cpu_percent = 0.0;   // this process, over the period, 100 = one core
  std::vector<CameraStats> cameras;
  std::vector<DetectorStats> detectors;
  std::vector<TpuHealth> tpus;  // empty when the service reads no sysfs, or there is no TPU
};

// A detector whose invoke had not returned after the watchdog's timeout: the frame it held is
// dropped, and (when `reopened`) a new detector for its device took its place.
struct DetectorStall {
  std::string device;       // as in DetectorStats
  std::string description;  // the detector's one-line description
  std::string camera;       // whose frame it was working on
  int64_t frame = 0;        // that frame's number
  double waited_s = 0.0;    // how long the invoke had run when it was given up
  double time = 0.0;        // seconds since the Unix epoch
  bool reopened = false;
  std::string error;  // why it was not reopened, when it was not
};

// Receives what the pipeline produces. Called from the pipeline's publishing thread, in order;
// an implementation must not block for long (queue work of its own if it has to).
class Publisher {
 public:
  virtual ~Publisher() = default;
  virtual void OnFrame(const ProcessedFrame& frame) { (void)frame; }
  virtual void OnEvent(const Event& event) { (void)event; }
  virtual void OnStats(const PipelineStats& stats) { (void)stats; }
  virtual void OnStall(const DetectorStall& stall) { (void)stall; }
};

}  // namespace coralpi

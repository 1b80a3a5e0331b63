// Assembling and running coralpi serve; see serve.h.
#include "service/serve.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "service/http_service.h"
#include "service/mqtt_publisher.h"
#include "service/picture.h"
#include "service/tpu_health.h"
#include "video/video_setup.h"

namespace coralpi {
namespace {

// How often the pipeline hands out statistics: the live page refreshes every 2 s; MQTT takes
// what it needs of them at its own interval.
constexpr double kHttpStatsPeriodS = 2.0;

class MinScoreDetector : public Detector {
 public:
  MinScoreDetector(std::unique_ptr<Detector> inner, ObjectsConfig objects)
      : inner_(std::move(inner)), objects_(std::move(objects)) {}
  std::string description() const override { return inner_->description(); }
  Result<DetectorInput> Prepare(const Image& frame) const override {
    return inner_->Prepare(frame);
  }
  Result<std::vector<Detection>> Detect(const DetectorInput& input) override {
    CORALPI_ASSIGN_OR_RETURN(std::vector<Detection> detections, inner_->Detect(input));
    std::erase_if(detections,
                  [&](const Detection& d) { return d.score < objects_.For(d.label).min_score; });
    return detections;
  }

 private:
  std::unique_ptr<Detector> inner_;
  ObjectsConfig objects_;
};

class StallLog : public Publisher {
 public:
  explicit StallLog(std::function<void(const std::string&)> log) : log_(std::move(log)) {}
  void OnStall(const DetectorStall& s) override {
    if (!log_) return;
    char waited[32];
    std::snprintf(waited, sizeof waited, "%.1f", s.waited_s);
    log_("watchdog: detector " + s.device + " (" + s.description + ") gave no answer for " +
         waited + " s (camera " + s.camera + " frame " + std::to_string(s.frame) + ", dropped); " +
         (s.reopened ? "reopened it" : "not reopened: " + s.error));
  }

 private:
  std::function<void(const std::string&)> log_;
};

Result<DetectorRequest> MakeDetectorRequest(const ServiceConfig& config, int count) {
  const DetectorConfig& d = config.detector;
  DetectorRequest request;
  request.count = count;
  if (d.backend == "stand-in") {
    request.stand_in_ms = d.stand_in_ms;
    request.stand_in_hang_at = d.stand_in_hang_at;
    request.stand_in_hang_s = d.stand_in_hang_s;
    request.stand_in_calls = std::make_shared<std::atomic<int64_t>>(0);
  } else {
    auto kind = ParseBackendKind(d.backend);
    if (!kind.ok()) return config.ErrorAt("detector.backend", kind.error().message);
    request.model = d.model;
    request.labels = d.labels;
    request.backend.kind = *kind;
    request.backend.threads = d.threads;
    request.backend.device = d.device;
    request.backend.edgetpu_lib = d.edgetpu_lib;
    request.backend.tflite_lib = d.tflite_lib;
  }
  return request;
}

// `count` detectors as the configuration says, each behind MinScoreFilter.
Result<std::vector<std::unique_ptr<Detector>>> MakeDetectors(const ServiceConfig& config,
                                                             const DetectorRequest& request) {
  const DetectorConfig& d = config.detector;
  auto detectors = CreateDetectors(request);
  if (!detectors.ok()) {
    return config.ErrorAt(d.backend == "stand-in" ? "detector.backend" : "detector.model",
                          detectors.error().message);
  }
  for (auto& detector : *detectors) detector = MinScoreFilter(std::move(detector), config.objects);
  return detectors;
}

Result<std::vector<CameraSource>> OpenConfiguredCameras(const ServiceConfig& config) {
  std::vector<CameraSource> cameras;
  for (size_t i = 0; i < config.cameras.size(); ++i) {
    const CameraConfig& c = config.cameras[i];
    SourceOptions options;
    options.width = c.width;
    options.height = c.height;
    options.max_fps = c.fps;
    options.realtime = true;
    auto source = OpenSource(c.source, options);
    if (!source.ok()) {
      return config.ErrorAt("cameras[" + std::to_string(i) + "].source", source.error().message);
    }
    cameras.push_back({c.name, std::move(*source)});
  }
  return cameras;
}

// The watchdog's: a new detector in place of a stuck one (the same request, one detector; a
// stand-in shares the first ones' invoke count, so a test's hang happens once).
PipelineOptions::ReopenFn MakeReopen(const ServiceConfig& config, DetectorRequest request) {
  request.count = 1;
  return [&config, request](size_t) -> Result<std::unique_ptr<Detector>> {
    CORALPI_ASSIGN_OR_RETURN(auto made, MakeDetectors(config, request));
    return std::move(made.front());
  };
}

}  // namespace

std::unique_ptr<Publisher> StallLogger(std::function<void(const std::string&)> log) {
  return std::make_unique<StallLog>(std::move(log));
}

std::unique_ptr<Detector> MinScoreFilter(std::unique_ptr<Detector> detector,
                                         const ObjectsConfig& objects) {
  return std::make_unique<MinScoreDetector>(std::move(detector), objects);
}

PipelineOptions MakePipelineOptions(const ServiceConfig& config) {
  const ObjectsConfig& objects = config.objects;
  PipelineOptions options;
  options.labels = {objects.track.begin(), objects.track.end()};
  options.min_score = objects.defaults.min_score;
  options.tracker.threshold = objects.defaults.threshold;
  for (const auto& [label, filter] : objects.filters) {
    options.min_score = std::min(options.min_score, filter.min_score);
    options.tracker.label_thresholds[label] = filter.threshold;
  }
  if (config.http.enabled) options.stats_period_s = kHttpStatsPeriodS;
  if (config.mqtt.enabled) {
    options.stats_period_s = options.stats_period_s > 0
                                 ? std::min(options.stats_period_s, config.mqtt.stats_interval_s)
                                 : config.mqtt.stats_interval_s;
  }
  options.snapshot = [](const Image& frame, const TrackedObject& object) {
    Detection d{object.class_id, object.label, object.score, object.box};
    auto jpeg = DetectionsJpeg(frame, std::span<const Detection>(&d, 1), 0, 85);
    return jpeg.ok() ? std::make_shared<const std::vector<uint8_t>>(std::move(*jpeg)) : nullptr;
  };
  return options;
}

Result<PipelineReport> RunService(const ServiceConfig& config, StopSignals& signals,
                                  const ServeOptions& options) {
  auto log = [&](const std::string& line) {
    if (options.log) options.log(line);
  };
  std::vector<std::string> names;
  for (const CameraConfig& c : config.cameras) names.push_back(c.name);
  const StatsContext stats_context{config.detector.backend, options.version,
                                   config.detector.timeout_s};

  CORALPI_ASSIGN_OR_RETURN(const DetectorRequest request,
                           MakeDetectorRequest(config, config.detector.count));
  CORALPI_ASSIGN_OR_RETURN(auto detectors, MakeDetectors(config, request));
  CORALPI_ASSIGN_OR_RETURN(auto cameras, OpenConfiguredCameras(config));
  std::unique_ptr<Publisher> stall_log = StallLogger(log);
  std::vector<Publisher*> publishers = {stall_log.get()};
  std::unique_ptr<HttpService> http;
  if (config.http.enabled) {
    auto started = HttpService::Start(config.http, names, stats_context);
    if (!started.ok()) return config.ErrorAt("http.port", started.error().message);
    http = std::move(*started);
    publishers.push_back(http.get());
    log("http: http://" + config.http.bind + ":" + std::to_string(http->port()) + "/");
  }
  std::unique_ptr<MqttPublisher> mqtt;
  if (config.mqtt.enabled) {
    MqttMessages messages(config.mqtt, names, config.objects.track, stats_context);
    auto started = MqttPublisher::Start(config.mqtt, std::move(messages),
                                        [&](const std::string& line) { log("mqtt: " + line); });
    if (!started.ok()) return config.ErrorAt("mqtt.host", started.error().message);
    mqtt = std::move(*started);
    publishers.push_back(mqtt.get());
  }
  log("detector: " + detectors.front()->description() +
      (detectors.size() > 1 ? " x" + std::to_string(detectors.size()) : ""));
  PipelineOptions pipeline_options = MakePipelineOptions(config);
  pipeline_options.detector_kind = config.detector.backend;
  pipeline_options.detect_timeout_s = config.detector.timeout_s;
  pipeline_options.reopen = MakeReopen(config, request);
  if (!options.root.empty()) {
    pipeline_options.health = [root = options.root] { return ReadTpuHealth(root); };
  }
  FramePipeline pipeline(std::move(cameras), std::move(detectors), publishers,
                         std::move(pipeline_options));
  auto report = RunPipeline(pipeline, signals, options.max_seconds);
  if (http) http->Stop();
  return report;
}

}  // namespace coralpi

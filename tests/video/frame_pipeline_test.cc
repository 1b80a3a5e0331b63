// The frame path with generated frames and test detectors (no GStreamer): order, every-frame
// and skipping modes, several cameras and detectors, limits, stop, errors, events, counts.
#include "video/frame_pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

namespace coralpi {
namespace {

// Frames filled with (frame index % 256), `count` of them (< 0: endless), `gap_ms` apart;
// an error instead of frame `fail_at` when >= 0.
class FakeSource : public FrameSource {
 public:
  FakeSource(int count, double gap_ms = 0, int fail_at = -1)
      : count_(count), gap_ms_(gap_ms), fail_at_(fail_at) {}
  const std::string& description() const override { return name_; }
  Result<std::optional<CapturedFrame>> Next() override {
    if (interrupted_ || (count_ >= 0 && sent_ >= count_)) return std::optional<CapturedFrame>();
    if (sent_ == fail_at_) return Error{"fake: the stream broke"};
    if (gap_ms_ > 0)
      std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(gap_ms_));
    auto image = std::make_shared<Image>();
    image->width = 16;
    image->height = 12;
    image->rgb.assign(16 * 12 * 3, static_cast<uint8_t>(sent_ % 256));
    ++sent_;
    CapturedFrame f;
    f.image = image;
    f.steady = std::chrono::steady_clock::now();
    f.wall_time = 1000.0 + sent_ * 0.01;
    return std::optional<CapturedFrame>(f);
  }
  void Interrupt() override { interrupted_ = true; }

 private:
  std::string name_ = "fake";
  int count_;
  double gap_ms_;
  int fail_at_;
  int sent_ = 0;
  std::atomic<bool> interrupted_{false};
};

// One detection whose class id is the frame's fill value, after `sleep_ms`; counts its calls.
class EchoDetector : public Detector {
 public:
  explicit EchoDetector(double sleep_ms, int fail_at_call = -1)
      : sleep_ms_(sleep_ms), fail_at_call_(fail_at_call) {}
  std::string description() const override { return "echo"; }
  Result<DetectorInput> Prepare(const Image& frame) const override {
    return ResizeForDetector(frame, 8, 8);
  }
  Result<std::vector<Detection>> Detect(const DetectorInput& input) override {
    int call = calls++;
    if (call == fail_at_call_) return Error{"echo: invoke failed"};
    if (sleep_ms_ > 0)
      std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(sleep_ms_));
    return std::vector<Detection>{{input.image.rgb[0], "thing", 0.9f, input.ToFrame({1, 1, 5, 5})}};
  }
  std::atomic<int> calls{0};

 private:
  double sleep_ms_;
  int fail_at_call_;
};

// Remembers what it was given.
class Recorder : public Publisher {
 public:
  void OnFrame(const ProcessedFrame& f) override { frames.push_back(f); }
  void OnEvent(const Event& e) override { events.push_back(e); }
  void OnStats(const PipelineStats& s) override { stats.push_back(s); }
  std::vector<ProcessedFrame> frames;
  std::vector<Event> events;
  std::vector<PipelineStats> stats;

  std::map<std::string, std::vector<int64_t>> NumbersByCamera() const {
    std::map<std::string, std::vector<int64_t>> n;
    for (const ProcessedFrame& f : frames) n[f.camera].push_back(f.number);
    return n;
  }
};

std::vector<CameraSource> Cameras(std::vector<std::unique_ptr<FrameSource>> sources) {
  std::vector<CameraSource> cameras;
  for (size_t i = 0; i < sources.size(); ++i)
    cameras.push_back({"cam" + std::to_string(i), std::move(sources[i])});
  return cameras;
}

std::vector<std::unique_ptr<FrameSource>> Fakes(int n, int count, double gap_ms = 0) {
  std::vector<std::unique_ptr<FrameSource>> v;
  for (int i = 0; i < n; ++i) v.push_back(std::make_unique<FakeSource>(count, gap_ms));
  return v;
}

std::vector<std::unique_ptr<Detector>> Echoes(int n, double sleep_ms) {
  std::vector<std::unique_ptr<Detector>> v;
  for (int i = 0; i < n; ++i) v.push_back(std::make_unique<EchoDetector>(sleep_ms));
  return v;
}

PipelineReport RunToEnd(FramePipeline& p) {
  EXPECT_TRUE(p.Start().ok());
  EXPECT_TRUE(p.WaitFor(30.0)) << "the pipeline did not end";
  return p.Join();
}

void ExpectCountsAddUp(const PipelineReport& r) {
  for (const CameraTotals& c : r.cameras) {
    EXPECT_EQ(c.captured, c.processed + c.skipped + c.dropped) << c.camera;
  }
}

TEST(FramePipelineTest, EveryFrameModeProcessesEveryFrameInOrder) {
  Recorder rec;
  PipelineOptions o;
  o.every_frame = true;
  o.min_score = 0.5f;
  FramePipeline p(Cameras(Fakes(1, 40)), Echoes(1, 0.5), {&rec}, o);
  PipelineReport r = RunToEnd(p);
  ASSERT_EQ(rec.frames.size(), 40u);
  for (size_t i = 0; i < rec.frames.size(); ++i) {
    const ProcessedFrame& f = rec.frames[i];
    EXPECT_EQ(f.number, static_cast<int64_t>(i + 1));
    ASSERT_EQ(f.detections.size(), 1u);
    EXPECT_EQ(f.detections[0].class_id, static_cast<int>(i));  // the detection of this frame
    ASSERT_TRUE(f.display);
    EXPECT_EQ(static_cast<size_t>(f.display->rgb[0]), i);
    // The box went back to frame pixels: 8x8 input -> 16x12 frame.
    EXPECT_EQ(f.detections[0].box, (BoundingBox{2, 1.5f, 10, 7.5f}));
    EXPECT_GT(f.inference_ms, 0.0);
  }
  ASSERT_EQ(r.cameras.size(), 1u);
  EXPECT_EQ(r.cameras[0].captured, 40);
  EXPECT_EQ(r.cameras[0].processed, 40);
  EXPECT_EQ(r.cameras[0].skipped, 0);
  EXPECT_EQ(r.cameras[0].detections, 40);
  EXPECT_EQ(r.inference.frames, 40);
  EXPECT_EQ(r.latency_ms.count, 40u);
  EXPECT_TRUE(r.errors.empty());
  // The final statistics come once, at the end.
  ASSERT_EQ(rec.stats.size(), 1u);
  EXPECT_GT(rec.stats[0].cameras[0].process_fps, 0.0);
}

TEST(FramePipelineTest, ASlowDetectorMakesTheCameraSkipFrames) {
  Recorder rec;
  PipelineOptions o;
  FramePipeline p(Cameras(Fakes(1, 200, 0.2)), Echoes(1, 10.0), {&rec}, o);
  PipelineReport r = RunToEnd(p);
  const CameraTotals& c = r.cameras[0];
  EXPECT_EQ(c.captured, 200);
  EXPECT_GT(c.skipped, 0);
  EXPECT_LT(c.processed, 200);
  ExpectCountsAddUp(r);
  // What was processed is in order, with gaps where frames were skipped.
  auto numbers = rec.NumbersByCamera()["cam0"];
  ASSERT_EQ(numbers.size(), static_cast<size_t>(c.processed));
  for (size_t i = 1; i < numbers.size(); ++i) EXPECT_LT(numbers[i - 1], numbers[i]);
  // The last frame is never skipped: the slot keeps the newest.
  EXPECT_EQ(numbers.back(), 200);
}

TEST(FramePipelineTest, CamerasShareOneDetector) {
  Recorder rec;
  PipelineOptions o;
  o.every_frame = true;
  auto detectors = Echoes(1, 0.2);
  auto* echo = static_cast<EchoDetector*>(detectors[0].get());
  FramePipeline p(Cameras(Fakes(3, 25)), std::move(detectors), {&rec}, o);
  PipelineReport r = RunToEnd(p);
  EXPECT_EQ(echo->calls, 75);
  auto numbers = rec.NumbersByCamera();
  ASSERT_EQ(numbers.size(), 3u);
  for (auto& [camera, n] : numbers) {
    ASSERT_EQ(n.size(), 25u) << camera;
    for (size_t i = 0; i < n.size(); ++i) EXPECT_EQ(n[i], static_cast<int64_t>(i + 1)) << camera;
  }
  EXPECT_EQ(r.total(&CameraTotals::processed), 75);
}

TEST(FramePipelineTest, SeveralDetectorsShareTheFramesAndOrderIsKept) {
  Recorder rec;
  PipelineOptions o;
  o.every_frame = true;
  auto detectors = Echoes(3, 2.0);
  std::vector<EchoDetector*> echoes;
  for (auto& d : detectors) echoes.push_back(static_cast<EchoDetector*>(d.get()));
  FramePipeline p(Cameras(Fakes(2, 60)), std::move(detectors), {&rec}, o);
  (void)RunToEnd(p);
  int total = 0;
  for (EchoDetector* e : echoes) {
    EXPECT_GT(e->calls, 0) << "a detector got no frame";
    total += e->calls;
  }
  EXPECT_EQ(total, 120);
  for (auto& [camera, n] : rec.NumbersByCamera()) {
    ASSERT_EQ(n.size(), 60u);
    for (size_t i = 0; i < n.size(); ++i) EXPECT_EQ(n[i], static_cast<int64_t>(i + 1)) << camera;
  }
  for (const ProcessedFrame& f : rec.frames) {
    EXPECT_EQ(f.detections[0].class_id, (f.number - 1) % 256);
  }
}

TEST(FramePipelineTest, MaxFramesStopsEachCamera) {
  Recorder rec;
  PipelineOptions o;
  o.every_frame = true;
  o.max_frames = 7;
  FramePipeline p(Cameras(Fakes(2, -1)), Echoes(1, 0), {&rec}, o);
  PipelineReport r = RunToEnd(p);
  for (auto& [camera, n] : rec.NumbersByCamera()) EXPECT_EQ(n.size(), 7u) << camera;
  EXPECT_EQ(r.total(&CameraTotals::processed), 14);
}

TEST(FramePipelineTest, StopEndsAnEndlessRunAndClosesEvents) {
  Recorder rec;
  PipelineOptions o;
  o.tracker.threshold = 0.5f;
  std::vector<std::unique_ptr<Detector>> detectors;
  StandInOptions stand_in;
  stand_in.sleep_ms = 1.0;
  detectors.push_back(std::make_unique<StandInDetector>(stand_in));
  FramePipeline p(Cameras(Fakes(2, -1, 1.0)), std::move(detectors), {&rec}, o);
  ASSERT_TRUE(p.Start().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(p.WaitFor(0.0));
  p.Stop();
  EXPECT_TRUE(p.WaitFor(10.0));
  PipelineReport r = p.Join();
  EXPECT_GT(r.total(&CameraTotals::processed), 0);
  ExpectCountsAddUp(r);
  // The stand-in's two objects per camera became events, and each got its end.
  std::map<std::string, int> open;
  for (const Event& e : rec.events) {
    if (e.type == EventType::kNew) ++open[e.after.id];
    if (e.type == EventType::kEnd) --open[e.after.id];
  }
  EXPECT_EQ(open.size(), 4u);
  for (auto& [id, n] : open) EXPECT_EQ(n, 0) << id;
}

TEST(FramePipelineTest, EventsCarrySnapshotsAndEveryNewHasAnEnd) {
  Recorder rec;
  PipelineOptions o;
  o.every_frame = true;
  o.min_score = 0.5f;
  o.tracker.threshold = 0.7f;
  int snapshots = 0;
  o.snapshot = [&](const Image& frame, const TrackedObject& obj) {
    ++snapshots;
    EXPECT_EQ(frame.width, 640);
    EXPECT_EQ(obj.label, "object");
    return std::make_shared<const std::vector<uint8_t>>(std::vector<uint8_t>{0xff, 0xd8});
  };
  std::vector<std::unique_ptr<Detector>> detectors;
  StandInOptions stand_in;
  stand_in.sleep_ms = 0;
  detectors.push_back(std::make_unique<StandInDetector>(stand_in));
  // The stand-in detector's two fixed boxes on 640x480 frames.
  class Big : public FrameSource {
   public:
    const std::string& description() const override { return name_; }
    Result<std::optional<CapturedFrame>> Next() override {
      if (n_++ >= 12) return std::optional<CapturedFrame>();
      auto image = std::make_shared<Image>();
      image->width = 640;
      image->height = 480;
      image->rgb.assign(640 * 480 * 3, 50);
      CapturedFrame f;
      f.image = image;
      f.steady = std::chrono::steady_clock::now();
      f.wall_time = 2000.0 + n_;
      return std::optional<CapturedFrame>(f);
    }
    void Interrupt() override {}

   private:
    std::string name_ = "big";
    int n_ = 0;
  };
  std::vector<CameraSource> cameras;
  cameras.push_back({"door", std::make_unique<Big>()});
  FramePipeline p(std::move(cameras), std::move(detectors), {&rec}, o);
  (void)RunToEnd(p);
  ASSERT_EQ(rec.frames.size(), 12u);
  std::vector<std::string> kinds;
  for (const Event& e : rec.events) kinds.push_back(EventTypeName(e.type));
  EXPECT_EQ(kinds, (std::vector<std::string>{"new", "new", "end", "end"}));
  EXPECT_EQ(snapshots, 2);
  for (const Event& e : rec.events) {
    ASSERT_TRUE(e.snapshot_jpeg) << EventTypeName(e.type);
    EXPECT_EQ(e.after.camera, "door");
  }
  // The boxes are the stand-in's fixed ones in frame pixels.
  const BoundingBox& box = rec.events[0].after.box;
  EXPECT_NEAR(box.xmin, 64, 0.01);
  EXPECT_NEAR(box.ymin, 96, 0.01);
  EXPECT_NEAR(box.xmax, 224, 0.01);
  EXPECT_NEAR(box.ymax, 240, 0.01);
  EXPECT_DOUBLE_EQ(rec.events[2].after.end_time, 2012.0);
}

TEST(FramePipelineTest, ASourceErrorIsReportedAndTheOtherCamerasGoOn) {
  Recorder rec;
  PipelineOptions o;
  o.every_frame = true;
  std::vector<std::unique_ptr<FrameSource>> sources;
  sources.push_back(std::make_unique<FakeSource>(20));
  sources.push_back(std::make_unique<FakeSource>(20, 0, /*fail_at=*/5));
  FramePipeline p(Cameras(std::move(sources)), Echoes(1, 0), {&rec}, o);
  PipelineReport r = RunToEnd(p);
  EXPECT_EQ(r.cameras[0].processed, 20);
  EXPECT_EQ(r.cameras[1].processed, 5);
  EXPECT_NE(r.cameras[1].error.find("the stream broke"), std::string::npos);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("camera cam1"), std::string::npos) << r.errors[0];
}

TEST(FramePipelineTest, ADetectorErrorStopsTheRun) {
  Recorder rec;
  PipelineOptions o;
  o.every_frame = true;
  std::vector<std::unique_ptr<Detector>> detectors;
  detectors.push_back(std::make_unique<EchoDetector>(0, /*fail_at_call=*/3));
  FramePipeline p(Cameras(Fakes(1, -1)), std::move(detectors), {&rec}, o);
  PipelineReport r = RunToEnd(p);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("invoke failed"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[0].find("frame 4"), std::string::npos) << r.errors[0];
  EXPECT_EQ(rec.frames.size(), 3u);
  ExpectCountsAddUp(r);
}

TEST(FramePipelineTest, MinScoreAndLabelsFilterDetections) {
  Recorder rec;
  PipelineOptions o;
  o.every_frame = true;
  o.min_score = 0.95f;  // the echo detector's 0.9 is dropped
  FramePipeline p(Cameras(Fakes(1, 5)), Echoes(1, 0), {&rec}, o);
  PipelineReport r = RunToEnd(p);
  ASSERT_EQ(rec.frames.size(), 5u);
  for (const ProcessedFrame& f : rec.frames) EXPECT_TRUE(f.detections.empty());
  EXPECT_EQ(r.cameras[0].detections, 0);

  Recorder rec2;
  o.min_score = 0.5f;
  o.labels = {"person"};
  FramePipeline p2(Cameras(Fakes(1, 5)), Echoes(1, 0), {&rec2}, o);
  (void)RunToEnd(p2);
  for (const ProcessedFrame& f : rec2.frames) EXPECT_TRUE(f.detections.empty());
}

TEST(FramePipelineTest, PeriodicStatistics) {
  Recorder rec;
  PipelineOptions o;
  o.stats_period_s = 0.1;
  FramePipeline p(Cameras(Fakes(1, 100, 5.0)), Echoes(1, 0), {&rec}, o);
  PipelineReport r = RunToEnd(p);
  EXPECT_GE(rec.stats.size(), 3u);  // about 0.5 s of frames
  double captured = 0;
  for (size_t i = 0; i + 1 < rec.stats.size(); ++i) {
    captured += rec.stats[i].cameras[0].camera_fps * 0.1;
  }
  // The periods' rates add up to roughly what was captured (periods are not exactly 0.1 s).
  EXPECT_NEAR(captured, static_cast<double>(r.cameras[0].captured), 0.5 * r.cameras[0].captured);
}

TEST(FramePipelineTest, SetupErrors) {
  PipelineOptions o;
  FramePipeline none({}, Echoes(1, 0), {}, o);
  EXPECT_FALSE(none.Start().ok());
  FramePipeline no_detector(Cameras(Fakes(1, 1)), {}, {}, o);
  EXPECT_FALSE(no_detector.Start().ok());
  std::vector<CameraSource> twins;
  twins.push_back({"a", std::make_unique<FakeSource>(1)});
  twins.push_back({"a", std::make_unique<FakeSource>(1)});
  FramePipeline dup(std::move(twins), Echoes(1, 0), {}, o);
  auto s = dup.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("two cameras are named a"), std::string::npos);
}

}  // namespace
}  // namespace coralpi

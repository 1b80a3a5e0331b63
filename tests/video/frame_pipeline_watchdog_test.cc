// The frame path's watchdog with a detector whose invoke blocks until the test lets it go: the
// stall is published (camera, frame, device), the frame dropped, a detector from `reopen` takes
// over and the camera's frames go on in order; without a way to reopen, or when reopening
// fails, the run stops with the stall as its error. The stuck thread, let go after the
// pipeline is gone, ends by itself and frees its detector.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "video/frame_pipeline.h"

namespace coralpi {
namespace {

// Frames of 16 x 12, `count` of them.
class CountingSource : public FrameSource {
 public:
  explicit CountingSource(int count) : count_(count) {}
  const std::string& description() const override { return name_; }
  Result<std::optional<CapturedFrame>> Next() override {
    if (interrupted_ || sent_ >= count_) return std::optional<CapturedFrame>();
    auto image = std::make_shared<Image>();
    image->width = 16;
    image->height = 12;
    image->rgb.assign(16 * 12 * 3, static_cast<uint8_t>(sent_++));
    CapturedFrame f;
    f.image = image;
    f.steady = std::chrono::steady_clock::now();
    f.wall_time = 1000.0 + sent_;
    return std::optional<CapturedFrame>(f);
  }
  void Interrupt() override { interrupted_ = true; }

 private:
  std::string name_ = "counting";
  int count_;
  int sent_ = 0;
  std::atomic<bool> interrupted_{false};
};

// What the test and a stuck detector share: the gate its invoke waits at, and whether the
// detector has been destroyed.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  bool destroyed = false;
  void Open() {
    std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
  bool WaitDestroyed(double seconds) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::duration<double>(seconds),
                            [&] { return destroyed; });
  }
};

// One box per frame; its call number `stuck_at` (from 0) waits at the gate.
class GatedDetector : public Detector {
 public:
  GatedDetector(std::shared_ptr<Gate> gate, int stuck_at) : gate_(gate), stuck_at_(stuck_at) {}
  ~GatedDetector() override {
    std::lock_guard lock(gate_->mutex);
    gate_->destroyed = true;
    gate_->changed.notify_all();
  }
  std::string description() const override { return "gated"; }
  Result<DetectorInput> Prepare(const Image& frame) const override {
    return ResizeForDetector(frame, 8, 8);
  }
  Result<std::vector<Detection>> Detect(const DetectorInput& input) override {
    if (calls_++ == stuck_at_) {
      std::unique_lock lock(gate_->mutex);
      gate_->changed.wait(lock, [&] { return gate_->open; });
    }
    return std::vector<Detection>{{0, "thing", 0.9f, input.ToFrame({1, 1, 5, 5})}};
  }

 private:
  std::shared_ptr<Gate> gate_;
  int stuck_at_;
  int calls_ = 0;
};

class StallRecorder : public Publisher {
 public:
  void OnFrame(const ProcessedFrame& f) override { numbers.push_back(f.number); }
  void OnStats(const PipelineStats& s) override { last_stats = s; }
  void OnStall(const DetectorStall& s) override { stalls.push_back(s); }
  std::vector<int64_t> numbers;
  std::vector<DetectorStall> stalls;
  PipelineStats last_stats;
};

struct StuckRun {
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
  StallRecorder rec;
  PipelineReport report;
};

// One camera of 20 frames, every frame, the gated detector stuck at its 5th invoke; the
// watchdog gives up after 0.2 s.
void RunStuck(StuckRun& run, PipelineOptions::ReopenFn reopen) {
  PipelineOptions o;
  o.every_frame = true;
  o.detector_kind = "gated";
  o.detect_timeout_s = 0.2;
  o.reopen = std::move(reopen);
  std::vector<CameraSource> cameras;
  cameras.push_back({"door", std::make_unique<CountingSource>(20)});
  std::vector<std::unique_ptr<Detector>> detectors;
  detectors.push_back(std::make_unique<GatedDetector>(run.gate, 4));
  FramePipeline p(std::move(cameras), std::move(detectors), {&run.rec}, o);
  ASSERT_TRUE(p.Start().ok());
  ASSERT_TRUE(p.WaitFor(30.0)) << "the pipeline did not end";
  run.report = p.Join();
}

TEST(FramePipelineWatchdogTest, AStuckDetectorIsReplacedAndTheCameraGoesOn) {
  StuckRun run;
  int reopened = 0;
  RunStuck(run, [&](size_t index) -> Result<std::unique_ptr<Detector>> {
    EXPECT_EQ(index, 0u);
    ++reopened;
    return std::unique_ptr<Detector>(std::make_unique<GatedDetector>(std::make_shared<Gate>(), -1));
  });
  EXPECT_EQ(reopened, 1);
  ASSERT_EQ(run.rec.stalls.size(), 1u);
  const DetectorStall& s = run.rec.stalls[0];
  EXPECT_EQ(s.device, "gated:0");
  EXPECT_EQ(s.description, "gated");
  EXPECT_EQ(s.camera, "door");
  EXPECT_EQ(s.frame, 5);
  EXPECT_GE(s.waited_s, 0.2);
  EXPECT_TRUE(s.reopened);
  EXPECT_EQ(s.error, "");
  // Every frame but the fifth, in order.
  std::vector<int64_t> expected;
  for (int64_t n = 1; n <= 20; ++n) {
    if (n != 5) expected.push_back(n);
  }
  EXPECT_EQ(run.rec.numbers, expected);
  EXPECT_TRUE(run.report.errors.empty());
  EXPECT_EQ(run.report.cameras[0].dropped, 1);
  ASSERT_EQ(run.rec.last_stats.detectors.size(), 1u);
  EXPECT_EQ(run.rec.last_stats.detectors[0].device, "gated:0");
  EXPECT_EQ(run.rec.last_stats.detectors[0].stalls, 1);
  // Let the stuck invoke return, the pipeline long gone: its thread frees its detector.
  EXPECT_FALSE(run.gate->WaitDestroyed(0.0));
  run.gate->Open();
  EXPECT_TRUE(run.gate->WaitDestroyed(10.0));
}

TEST(FramePipelineWatchdogTest, WithoutReopenTheStallStopsTheRun) {
  StuckRun run;
  RunStuck(run, nullptr);
  ASSERT_EQ(run.rec.stalls.size(), 1u);
  EXPECT_FALSE(run.rec.stalls[0].reopened);
  EXPECT_EQ(run.rec.stalls[0].error, "no way to reopen it");
  ASSERT_EQ(run.report.errors.size(), 1u);
  EXPECT_NE(run.report.errors[0].find("detector gated:0 (gated): camera door frame 5: no answer "
                                      "after "),
            std::string::npos)
      << run.report.errors[0];
  EXPECT_EQ(run.rec.numbers, (std::vector<int64_t>{1, 2, 3, 4}));
  run.gate->Open();
  EXPECT_TRUE(run.gate->WaitDestroyed(10.0));
}

TEST(FramePipelineWatchdogTest, AFailedReopenIsTheRunsError) {
  StuckRun run;
  RunStuck(run, [](size_t) -> Result<std::unique_ptr<Detector>> {
    return Error{"edgetpu: /dev/apex_0: cannot open: Device or resource busy"};
  });
  ASSERT_EQ(run.rec.stalls.size(), 1u);
  EXPECT_FALSE(run.rec.stalls[0].reopened);
  EXPECT_EQ(run.rec.stalls[0].error, "edgetpu: /dev/apex_0: cannot open: Device or resource busy");
  ASSERT_EQ(run.report.errors.size(), 1u);
  EXPECT_NE(run.report.errors[0].find("and not reopened: edgetpu: /dev/apex_0: cannot open"),
            std::string::npos)
      << run.report.errors[0];
  run.gate->Open();
  EXPECT_TRUE(run.gate->WaitDestroyed(10.0));
}

TEST(FramePipelineWatchdogTest, AReopenFailingWithADeviceErrorIsTriedAgain) {
  StuckRun run;
  int tries = 0;
  RunStuck(run, [&](size_t) -> Result<std::unique_ptr<Detector>> {
    if (++tries < 3) return Error{"/dev/apex_0: Device or resource busy", ErrorKind::kDevice};
    return std::unique_ptr<Detector>(std::make_unique<GatedDetector>(std::make_shared<Gate>(), -1));
  });
  EXPECT_EQ(tries, 3);
  ASSERT_EQ(run.rec.stalls.size(), 1u);
  EXPECT_TRUE(run.rec.stalls[0].reopened);
  EXPECT_TRUE(run.report.errors.empty());
  EXPECT_EQ(run.rec.numbers.size(), 19u);
  run.gate->Open();
  EXPECT_TRUE(run.gate->WaitDestroyed(10.0));
}

TEST(FramePipelineWatchdogTest, ADeviceErrorIsTriedThreeTimesAtMost) {
  StuckRun run;
  int tries = 0;
  RunStuck(run, [&](size_t) -> Result<std::unique_ptr<Detector>> {
    ++tries;
    return Error{"/dev/apex_0: Device or resource busy", ErrorKind::kDevice};
  });
  EXPECT_EQ(tries, 3);
  ASSERT_EQ(run.rec.stalls.size(), 1u);
  EXPECT_FALSE(run.rec.stalls[0].reopened);
  ASSERT_EQ(run.report.errors.size(), 1u);
  run.gate->Open();
  EXPECT_TRUE(run.gate->WaitDestroyed(10.0));
}

TEST(FramePipelineWatchdogTest, ABadFileIsNotTriedAgainAndReportedOnce) {
  StuckRun run;
  int tries = 0;
  RunStuck(run, [&](size_t) -> Result<std::unique_ptr<Detector>> {
    ++tries;
    return Error{"model.tflite: the model is corrupt or truncated", ErrorKind::kBadFile};
  });
  EXPECT_EQ(tries, 1);
  ASSERT_EQ(run.rec.stalls.size(), 1u);
  EXPECT_FALSE(run.rec.stalls[0].reopened);
  EXPECT_EQ(run.rec.stalls[0].error, "model.tflite: the model is corrupt or truncated");
  ASSERT_EQ(run.report.errors.size(), 1u);
  EXPECT_NE(run.report.errors[0].find("and not reopened: model.tflite: the model is corrupt"),
            std::string::npos)
      << run.report.errors[0];
  run.gate->Open();
  EXPECT_TRUE(run.gate->WaitDestroyed(10.0));
}

TEST(FramePipelineWatchdogTest, NoTimeoutNoWatchdog) {
  // A slow invoke without a timeout is waited for: nothing is dropped.
  PipelineOptions o;
  o.every_frame = true;
  auto gate = std::make_shared<Gate>();
  std::vector<CameraSource> cameras;
  cameras.push_back({"door", std::make_unique<CountingSource>(6)});
  std::vector<std::unique_ptr<Detector>> detectors;
  detectors.push_back(std::make_unique<GatedDetector>(gate, 2));
  StallRecorder rec;
  FramePipeline p(std::move(cameras), std::move(detectors), {&rec}, o);
  ASSERT_TRUE(p.Start().ok());
  EXPECT_FALSE(p.WaitFor(0.5));
  gate->Open();
  ASSERT_TRUE(p.WaitFor(30.0));
  PipelineReport r = p.Join();
  EXPECT_TRUE(rec.stalls.empty());
  EXPECT_EQ(rec.numbers.size(), 6u);
  EXPECT_TRUE(r.errors.empty());
}

}  // namespace
}  // namespace coralpi

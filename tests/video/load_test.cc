// Load: four live test cameras (640x480, 30 frames/s each) sharing one stand-in detector
// (3 ms per frame) for 60 s (CORALPI_LOAD_SECONDS to change it). Checks that memory does not
// grow once warm, nothing crashes (run it under ASan too: label slow, outside the default ASan
// run), and the statistics are truthful: counts add up and the periodic rates add up to them.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/stats.h"
#include "test_video.h"
#include "video/frame_pipeline.h"

namespace coralpi {
namespace {

class Counting : public Publisher {
 public:
  void OnFrame(const ProcessedFrame& f) override {
    ++frames;
    if (f.display) pixels += f.display->rgb.size();
  }
  void OnEvent(const Event& e) override {
    if (e.type == EventType::kNew) ++news;
    if (e.type == EventType::kEnd) ++ends;
  }
  void OnStats(const PipelineStats& s) override {
    std::lock_guard lock(mutex);
    stats.push_back(s);
  }
  int64_t frames = 0, news = 0, ends = 0;
  uint64_t pixels = 0;
  std::mutex mutex;
  std::vector<PipelineStats> stats;
};

double Seconds() {
  const char* env = std::getenv("CORALPI_LOAD_SECONDS");
  return env ? std::atof(env) : 60.0;
}

TEST(VideoLoadTest, FourCamerasOneMinute) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "videoconvert", "appsink");
  const double seconds = Seconds();
  std::vector<CameraSource> cameras;
  for (int i = 0; i < 4; ++i) {
    const char* patterns[] = {"ball", "snow", "smpte", "pinwheel"};
    auto source =
        OpenSource(std::string("test:") + patterns[i] + "?size=640x480&fps=30&live=1", {});
    ASSERT_TRUE(source.ok()) << source.error().message;
    cameras.push_back({"cam" + std::to_string(i), std::move(*source)});
  }
  std::vector<std::unique_ptr<Detector>> detectors;
  detectors.push_back(std::make_unique<StandInDetector>(StandInOptions{}));
  Counting publisher;
  PipelineOptions options;
  options.stats_period_s = 1.0;
  FramePipeline pipeline(std::move(cameras), std::move(detectors), {&publisher}, options);
  ASSERT_TRUE(pipeline.Start().ok());

  // Resident memory every second; the first third is warm-up (allocator pools, ASan's
  // quarantine filling up).
  std::vector<long> rss_kib;
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::duration<double>(seconds)) {
    EXPECT_FALSE(pipeline.WaitFor(1.0)) << "the pipeline ended early";
    rss_kib.push_back(CurrentResidentKiB());
  }
  pipeline.Stop();
  ASSERT_TRUE(pipeline.WaitFor(30.0));
  PipelineReport r = pipeline.Join();

  EXPECT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.cameras.size(), 4u);
  for (const CameraTotals& c : r.cameras) {
    EXPECT_EQ(c.captured, c.processed + c.skipped + c.dropped) << c.camera;
    // Live at 30 frames/s: about 30 a second arrive (less when the machine is overloaded).
    EXPECT_GT(c.captured, 10 * seconds) << c.camera;
    EXPECT_LT(c.captured, 33 * seconds) << c.camera;
    EXPECT_GT(c.processed, 0) << c.camera;
  }
  EXPECT_EQ(publisher.frames, r.total(&CameraTotals::processed));
  EXPECT_EQ(publisher.news, publisher.ends);  // every event ended at the stop
  EXPECT_GT(publisher.news, 0);

  // The statistics add up to the totals: the final one (rates over the whole run) times the
  // run's length, and the periodic ones (each period's rate times its length) plus the last,
  // unreported part of the run at the average rate.
  std::lock_guard lock(publisher.mutex);
  ASSERT_GE(publisher.stats.size(), static_cast<size_t>(seconds * 0.8));
  const PipelineStats& final_stats = publisher.stats.back();
  auto sum = [](const PipelineStats& s, double CameraStats::*rate) {
    double total = 0;
    for (const CameraStats& c : s.cameras) total += c.*rate;
    return total;
  };
  const double captured = static_cast<double>(r.total(&CameraTotals::captured));
  const double processed = static_cast<double>(r.total(&CameraTotals::processed));
  EXPECT_NEAR(sum(final_stats, &CameraStats::camera_fps) * final_stats.uptime_s, captured,
              0.01 * captured + 5);
  EXPECT_NEAR(sum(final_stats, &CameraStats::process_fps) * final_stats.uptime_s, processed,
              0.01 * processed + 5);
  double periodic_captured = 0, periodic_processed = 0, previous_uptime = 0;
  for (size_t i = 0; i + 1 < publisher.stats.size(); ++i) {
    const PipelineStats& s = publisher.stats[i];
    double period = s.uptime_s - previous_uptime;
    previous_uptime = s.uptime_s;
    periodic_captured += sum(s, &CameraStats::camera_fps) * period;
    periodic_processed += sum(s, &CameraStats::process_fps) * period;
  }
  const double tail = (final_stats.uptime_s - previous_uptime) / final_stats.uptime_s;
  EXPECT_NEAR(periodic_captured + tail * captured, captured, 0.03 * captured + 10);
  EXPECT_NEAR(periodic_processed + tail * processed, processed, 0.03 * processed + 10);

  // No growth once warm: the mean of the last third within 16 MiB of the middle third's.
  size_t third = rss_kib.size() / 3;
  ASSERT_GE(third, 1u);
  double middle = 0, last = 0;
  for (size_t i = third; i < 2 * third; ++i) middle += rss_kib[i];
  for (size_t i = 2 * third; i < 3 * third; ++i) last += rss_kib[i];
  middle /= third;
  last /= third;
  std::printf("resident memory, MiB: first %.1f, middle third %.1f, last third %.1f, peak %.1f\n",
              rss_kib.front() / 1024.0, middle / 1024.0, last / 1024.0,
              r.peak_resident_kib / 1024.0);
  std::printf(
      "frames: captured %lld, processed %lld, skipped %lld; latency median %.1f ms, p99 %.1f ms\n",
      static_cast<long long>(r.total(&CameraTotals::captured)),
      static_cast<long long>(r.total(&CameraTotals::processed)),
      static_cast<long long>(r.total(&CameraTotals::skipped)), r.latency_ms.median,
      r.latency_ms.p99);
  EXPECT_LT(last - middle, 16 * 1024.0);
}

}  // namespace
}  // namespace coralpi

// The one-minute load test (label slow): coralpi serve with four test: cameras, the stand-in
// detector, MQTT to a real mosquitto and an MJPEG client on the live page for 60 s. The process
// must not grow (resident memory at the end against after warm-up), must stay up, and its
// statistics must add up: per camera, frames captured = processed + skipped (within the frames
// in flight at a period's edges). Run it under ASan too (build/asan).
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "service/mqtt_test_support.h"

namespace coralpi {
namespace {

using testing::Broker;
using testing::Received;
using testing::Subscriber;

constexpr int kCameras = 4;
constexpr int kSeconds = 60;

// Resident memory of `pid` in KiB (VmRSS), or -1.
long ResidentKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(ServeLoadTest, FourCamerasForAMinuteWithoutGrowthAndWithTruthfulStats) {
  if (::access(testing::kMosquitto, X_OK) != 0) GTEST_SKIP() << "mosquitto is not installed";
  Broker broker;
  ASSERT_TRUE(broker.Start());
  const int http_port = testing::FreePort();
  std::ostringstream yaml;
  yaml << "cameras:\n";
  for (int i = 0; i < kCameras; ++i) {
    yaml << "  - name: cam" << i << "\n    source: \"test:ball?size=640x480&fps=30&live=1\"\n";
  }
  yaml << "detector:\n  backend: stand-in\nobjects:\n  track: [object]\n"
       << "mqtt:\n  port: " << broker.port() << "\n  prefix: load\n  stats_interval: 5\n"
       << "http:\n  port: " << http_port << "\n";
  const std::string config =
      std::string(::testing::TempDir()) + "serve-load-" + std::to_string(::getpid()) + ".yaml";
  std::ofstream(config) << yaml.str();

  Subscriber sub(broker.port(), "load/stats", "load");
  ASSERT_TRUE(sub.WaitSubscribed(1));
  pid_t child = ::fork();
  if (child == 0) {
    std::string binary = std::string(CORALPI_BINARY_DIR) + "/cli/coralpi";
    ::execl(binary.c_str(), binary.c_str(), "serve", "--config", config.c_str(), "--seconds",
            std::to_string(kSeconds).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // One MJPEG client all along.
  std::atomic<bool> stop{false};
  std::atomic<int64_t> streamed{0};
  std::thread viewer([&] {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    httplib::Client c("127.0.0.1", http_port);
    c.set_read_timeout(10);
    while (!stop) {
      c.Get("/api/cam0?fps=10", [&](const char*, size_t n) {
        streamed += static_cast<int64_t>(n);
        return !stop.load();
      });
    }
  });
  std::this_thread::sleep_for(std::chrono::seconds(15));
  const long warm = ResidentKib(child);
  std::this_thread::sleep_for(std::chrono::seconds(kSeconds - 20));
  const long late = ResidentKib(child);
  stop = true;
  viewer.join();
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  std::remove(config.c_str());

  std::printf("resident memory: %ld KiB after 15 s, %ld KiB after %d s; MJPEG bytes %lld\n", warm,
              late, kSeconds - 5, static_cast<long long>(streamed.load()));
  ASSERT_GT(warm, 0);
  ASSERT_GT(late, 0);
  EXPECT_LT(late - warm, 16 * 1024)
      << "resident memory grew from " << warm << " to " << late << " KiB";
  EXPECT_GT(streamed.load(), 100000) << "the MJPEG client got little";

  int checked = 0;
  for (const Received& r : sub.messages()) {
    auto j = nlohmann::json::parse(r.payload);
    ASSERT_EQ(j["cameras"].size(), static_cast<size_t>(kCameras)) << r.payload;
    for (const auto& [name, c] : j["cameras"].items()) {
      const double captured = c["camera_fps"], processed = c["process_fps"],
                   skipped = c["skipped_fps"];
      EXPECT_GT(captured, 0) << name;
      EXPECT_GT(processed, 0) << name;
      // 5 s periods: a frame or two in flight at each edge.
      EXPECT_NEAR(captured, processed + skipped, 1.0) << name << ": " << r.payload;
    }
    if (++checked == 6) std::printf("stats at 30 s: %s\n", r.payload.c_str());
  }
  EXPECT_GE(checked, 8) << "stats messages";
}

}  // namespace
}  // namespace coralpi

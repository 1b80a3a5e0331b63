// coralpi serve watching its Edge TPUs and its detectors: serve --root on a fake sysfs with two
// TPUs (one throttled), two cameras and two stand-in detectors, one invoke of which hangs. The
// watchdog's message on MQTT and its log line, the reopened detector, the other camera going on
// during the hang and both after it; the TPUs' health in the MQTT stats, /api/stats and
// /metrics (read back as Prometheus text by the test's own parser).
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "board/apex_health_tree.h"
#include "service/mqtt_test_support.h"
#include "service/prometheus_text.h"

namespace coralpi {
namespace {

using testing::Broker;
using testing::Received;
using testing::Subscriber;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ServeHealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(testing::kMosquitto, X_OK) != 0) {
      GTEST_SKIP() << testing::kMosquitto << " is not installed (Debian package mosquitto)";
    }
    ASSERT_TRUE(broker_.Start());
    board::testing::BuildTwoApexTpus(tree_);
    http_port_ = testing::FreePort();
    const std::string tmp =
        std::string(::testing::TempDir()) + "serve-health-" + std::to_string(::getpid());
    config_ = tmp + ".yaml";
    log_ = tmp + ".log";
    // The 30th invoke over both stand-ins hangs for a minute; the watchdog gives up after 3 s.
    std::ofstream(config_) << "cameras:\n"
                              "  - name: door\n"
                              "    source: \"test:ball?size=320x240&fps=15&live=1\"\n"
                              "  - name: yard\n"
                              "    source: \"test:ball?size=320x240&fps=15&live=1\"\n"
                              "detector:\n"
                              "  backend: stand-in\n"
                              "  count: 2\n"
                              "  timeout_s: 3\n"
                              "  stand_in_hang_at: 30\n"
                              "  stand_in_hang_s: 60\n"
                              "mqtt:\n"
                              "  port: "
                           << broker_.port()
                           << "\n"
                              "  prefix: cphealth\n"
                              "  stats_interval: 1\n"
                              "http:\n"
                              "  port: "
                           << http_port_ << "\n";
  }
  void TearDown() override {
    if (child_ > 0) {
      ::kill(child_, SIGKILL);
      ::waitpid(child_, nullptr, 0);
    }
    std::remove(config_.c_str());
    std::remove(log_.c_str());
  }
  void StartServe() {
    child_ = ::fork();
    if (child_ == 0) {
      std::freopen(log_.c_str(), "w", stderr);
      std::string binary = std::string(CORALPI_BINARY_DIR) + "/cli/coralpi";
      ::execl(binary.c_str(), binary.c_str(), "serve", "--config", config_.c_str(), "--root",
              tree_.root().c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }

  Broker broker_;
  board::testing::FakeTree tree_;
  int http_port_ = 0;
  std::string config_, log_;
  pid_t child_ = -1;
};

double ProcessFps(const nlohmann::json& stats, const std::string& camera) {
  return stats["cameras"][camera]["process_fps"].get<double>();
}

TEST_F(ServeHealthTest, WatchdogReopensTheStuckDetectorAndTheHealthIsPublished) {
  Subscriber sub(broker_.port(), "cphealth/#", "serve-health-test");
  ASSERT_TRUE(sub.WaitSubscribed(1));
  StartServe();
  Received stall =
      sub.WaitFor([](const Received& r) { return r.topic == "cphealth/watchdog"; }, 40);
  ASSERT_FALSE(stall.topic.empty()) << "no watchdog message; the log:\n" << ReadAll(log_);
  nlohmann::json s = nlohmann::json::parse(stall.payload);
  EXPECT_EQ(s["type"], "detector_stalled");
  EXPECT_EQ(s["reopened"], true);
  EXPECT_TRUE(s["error"].is_null());
  EXPECT_GE(s["waited"].get<double>(), 3.0);
  EXPECT_EQ(s["timeout"], 3.0);
  const std::string device = s["device"];
  EXPECT_TRUE(device == "stand-in:0" || device == "stand-in:1") << device;
  const std::string stuck = s["camera"];
  ASSERT_TRUE(stuck == "door" || stuck == "yard") << stuck;
  const std::string other = stuck == "door" ? "yard" : "door";

  // The last stats before the stall covers a second or so of the three the invoke hung: the
  // other camera went on through the other detector; the stuck one published nothing (its
  // frames wait behind the one being detected).
  std::vector<Received> before = sub.messages();
  nlohmann::json during;
  for (const Received& r : before) {
    if (r.topic == "cphealth/watchdog") break;
    if (r.topic == "cphealth/stats") during = nlohmann::json::parse(r.payload);
  }
  ASSERT_FALSE(during.is_null()) << "no stats before the stall";
  EXPECT_GT(ProcessFps(during, other), 0.0) << during.dump();
  EXPECT_EQ(ProcessFps(during, stuck), 0.0) << during.dump();

  // After the reopen both cameras go on, and the stall is counted for its device.
  sub.Clear();
  Received after = sub.WaitFor(
      [&](const Received& r) {
        if (r.topic != "cphealth/stats") return false;
        auto j = nlohmann::json::parse(r.payload);
        return ProcessFps(j, stuck) > 0 && ProcessFps(j, other) > 0;
      },
      20);
  ASSERT_FALSE(after.topic.empty()) << "the cameras did not go on after the reopen";
  nlohmann::json a = nlohmann::json::parse(after.payload);
  EXPECT_EQ(a["detectors"]["stand-in"]["devices"][device]["stalls"], 1);
  EXPECT_EQ(a["tpus"]["apex_0"]["temperature"], 84.9);
  EXPECT_EQ(a["tpus"]["apex_0"]["throttled"], false);
  EXPECT_EQ(a["tpus"]["apex_1"]["temperature"], 91.3);
  EXPECT_EQ(a["tpus"]["apex_1"]["throttled"], true);
  EXPECT_EQ(a["tpus"]["apex_1"]["reset_count"], 2);
  EXPECT_EQ(a["tpus"]["apex_1"]["trip_points"], nlohmann::json::parse("[85.0, 90.0, 95.0]"));

  httplib::Client http("127.0.0.1", http_port_);
  auto api = http.Get("/api/stats");
  ASSERT_TRUE(api);
  nlohmann::json j = nlohmann::json::parse(api->body);
  EXPECT_EQ(j["service"]["temperatures"]["apex_1"], 91.3);
  EXPECT_EQ(j["tpus"]["apex_1"]["throttled"], true);
  EXPECT_EQ(j["tpus"]["apex_0"]["address"], "0000:01:00.0");

  auto metrics = http.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  testing::PromText m = testing::ParsePromText(metrics->body);
  ASSERT_EQ(m.error, "") << metrics->body;
  using L = std::map<std::string, std::string>;
  EXPECT_EQ(m.Value("coralpi_tpu_temperature_celsius", L{{"device", "apex_0"}}), 84.9);
  EXPECT_EQ(m.Value("coralpi_tpu_temperature_celsius", L{{"device", "apex_1"}}), 91.3);
  EXPECT_EQ(m.Value("coralpi_tpu_throttled", L{{"device", "apex_0"}}), 0.0);
  EXPECT_EQ(m.Value("coralpi_tpu_throttled", L{{"device", "apex_1"}}), 1.0);
  EXPECT_EQ(m.Value("coralpi_tpu_reset_count", L{{"device", "apex_1"}}), 2.0);
  EXPECT_EQ(m.Value("coralpi_tpu_trip_point_celsius", L{{"device", "apex_0"}, {"trip", "0"}}),
            85.0);
  EXPECT_EQ(m.type["coralpi_tpu_temperature_celsius"], "gauge");
  EXPECT_EQ(m.LabelValues("coralpi_inference_ms", "device"),
            (std::set<std::string>{"stand-in:0", "stand-in:1"}));
  EXPECT_EQ(m.LabelValues("coralpi_camera_frames_per_second", "camera"),
            (std::set<std::string>{"door", "yard"}));
  EXPECT_EQ(m.Value("coralpi_detector_stalls_total", L{{"device", device}}), 1.0);

  const std::string log = ReadAll(log_);
  EXPECT_NE(log.find("coralpi: watchdog: detector " + device + " (stand-in"), std::string::npos)
      << log;
  EXPECT_NE(log.find("(camera " + stuck + " frame "), std::string::npos) << log;
  EXPECT_NE(log.find("reopened it"), std::string::npos) << log;
}

}  // namespace
}  // namespace coralpi

// The Edge TPUs' health and the watchdog in what serve publishes, without a server: /metrics as
// Prometheus text (read back by the tests' own parser), the stats JSON's tpus and temperatures,
// the stall message on <prefix>/watchdog, the /metrics route, and the stand-in that hangs.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "service/config.h"
#include "service/http_api.h"
#include "service/metrics_text.h"
#include "service/mqtt_messages.h"
#include "service/prometheus_text.h"
#include "service/service_json.h"
#include "service/tpu_health.h"
#include "video/detector.h"

namespace coralpi {
namespace {

using testing::ParsePromText;
using testing::PromText;

PipelineStats SampleStats() {
  PipelineStats s;
  s.uptime_s = 12.5;
  s.inference_ms = 4.25;
  s.cpu_percent = 37.5;
  s.cameras = {{"door", 15.0, 14.5, 0.5, 29.0}, {"yard", 10.0, 10.0, 0.0, 0.0}};
  s.detectors = {{"edgetpu:0", 3.5, 0}, {"edgetpu:1", 5.0, 1}};
  TpuHealth cool;
  cool.device = "apex_0";
  cool.address = "0000:01:00.0";
  cool.status = "ALIVE";
  cool.temperature_c = 84.9;
  cool.trip_points_c = {85.0, 90.0, 95.0};
  cool.throttled = false;
  cool.reset_count = 0;
  TpuHealth hot = cool;
  hot.device = "apex_1";
  hot.address = "0000:02:00.0";
  hot.temperature_c = 91.3;
  hot.throttled = true;
  hot.reset_count = 2;
  s.tpus = {cool, hot};
  return s;
}

TEST(MetricsTextTest, ParsesAsPrometheusTextWithDeviceAndCameraLabels) {
  PromText m = ParsePromText(MetricsText(SampleStats()));
  ASSERT_EQ(m.error, "");
  EXPECT_EQ(m.Value("coralpi_tpu_temperature_celsius", {{"device", "apex_0"}}), 84.9);
  EXPECT_EQ(m.Value("coralpi_tpu_temperature_celsius", {{"device", "apex_1"}}), 91.3);
  EXPECT_EQ(m.Value("coralpi_tpu_throttled", {{"device", "apex_0"}}), 0.0);
  EXPECT_EQ(m.Value("coralpi_tpu_throttled", {{"device", "apex_1"}}), 1.0);
  EXPECT_EQ(m.Value("coralpi_tpu_reset_count", {{"device", "apex_1"}}), 2.0);
  EXPECT_EQ(m.Value("coralpi_tpu_trip_point_celsius", {{"device", "apex_1"}, {"trip", "2"}}), 95.0);
  EXPECT_EQ(m.Value("coralpi_tpu_alive", {{"device", "apex_0"}}), 1.0);
  EXPECT_EQ(m.Value("coralpi_inference_ms", {{"device", "edgetpu:0"}}), 3.5);
  EXPECT_EQ(m.Value("coralpi_inference_ms", {{"device", "edgetpu:1"}}), 5.0);
  EXPECT_EQ(m.Value("coralpi_detector_stalls_total", {{"device", "edgetpu:1"}}), 1.0);
  EXPECT_EQ(m.Value("coralpi_camera_frames_per_second", {{"camera", "door"}}), 15.0);
  EXPECT_EQ(m.Value("coralpi_camera_processed_frames_per_second", {{"camera", "door"}}), 14.5);
  EXPECT_EQ(m.Value("coralpi_camera_skipped_frames_per_second", {{"camera", "door"}}), 0.5);
  EXPECT_EQ(m.Value("coralpi_camera_detections_per_second", {{"camera", "yard"}}), 0.0);
  EXPECT_EQ(m.Value("coralpi_cpu_percent"), 37.5);
  EXPECT_EQ(m.Value("coralpi_uptime_seconds"), 12.5);
  for (const char* gauge : {"coralpi_tpu_temperature_celsius", "coralpi_tpu_throttled",
                            "coralpi_inference_ms", "coralpi_camera_frames_per_second"}) {
    EXPECT_EQ(m.type[gauge], "gauge") << gauge;
    EXPECT_FALSE(m.help[gauge].empty()) << gauge;
  }
  EXPECT_EQ(m.type["coralpi_detector_stalls_total"], "counter");
  EXPECT_EQ(m.LabelValues("coralpi_camera_frames_per_second", "camera"),
            (std::set<std::string>{"door", "yard"}));
}

TEST(MetricsTextTest, WithoutTpusOnlyTheOtherMetrics) {
  PipelineStats s = SampleStats();
  s.tpus.clear();
  PromText m = ParsePromText(MetricsText(s));
  ASSERT_EQ(m.error, "");
  EXPECT_FALSE(m.type.count("coralpi_tpu_temperature_celsius"));
  EXPECT_TRUE(m.type.count("coralpi_inference_ms"));
}

TEST(MetricsTextTest, UnknownReadingsAreLeftOut) {
  PipelineStats s;
  TpuHealth t;
  t.device = "apex_0";
  t.status = "LAMED";
  s.tpus = {t};
  PromText m = ParsePromText(MetricsText(s));
  ASSERT_EQ(m.error, "");
  EXPECT_FALSE(m.Value("coralpi_tpu_temperature_celsius", {{"device", "apex_0"}}).has_value());
  EXPECT_FALSE(m.Value("coralpi_tpu_throttled", {{"device", "apex_0"}}).has_value());
  EXPECT_EQ(m.Value("coralpi_tpu_alive", {{"device", "apex_0"}}), 0.0);
}

TEST(MetricsTextTest, LabelValuesAreEscaped) {
  EXPECT_EQ(PrometheusLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  PipelineStats s;
  s.cameras = {{"we\"ird", 1, 1, 0, 0}};
  PromText m = ParsePromText(MetricsText(s));
  ASSERT_EQ(m.error, "");
  EXPECT_EQ(m.Value("coralpi_camera_frames_per_second", {{"camera", "we\"ird"}}), 1.0);
}

TEST(MetricsTextTest, TheTestParserRejectsWhatPrometheusWould) {
  EXPECT_NE(ParsePromText("x 1\n").error, "");  // no TYPE
  EXPECT_NE(ParsePromText("# TYPE x gauge\nx{a=\"1\" 2\n").error, "");
  EXPECT_NE(ParsePromText("# TYPE x gauge\nx one\n").error, "");
  EXPECT_NE(ParsePromText("# TYPE x gauge\nx 1").error, "");
  EXPECT_EQ(ParsePromText("# TYPE x gauge\nx{a=\"1\",b=\"\\\"\"} 2\n").error, "");
}

TEST(StatsJsonTest, TpusAndTemperatures) {
  nlohmann::json j = nlohmann::json::parse(StatsJson(SampleStats(), {"edgetpu", "1.0"}).dump());
  EXPECT_EQ(j["tpus"]["apex_1"]["address"], "0000:02:00.0");
  EXPECT_EQ(j["tpus"]["apex_1"]["temperature"], 91.3);
  EXPECT_EQ(j["tpus"]["apex_1"]["throttled"], true);
  EXPECT_EQ(j["tpus"]["apex_1"]["reset_count"], 2);
  EXPECT_EQ(j["tpus"]["apex_0"]["throttled"], false);
  EXPECT_EQ(j["tpus"]["apex_0"]["trip_points"], nlohmann::json::parse("[85.0, 90.0, 95.0]"));
  EXPECT_EQ(j["service"]["temperatures"]["apex_0"], 84.9);
  EXPECT_EQ(j["detectors"]["edgetpu"]["devices"]["edgetpu:1"]["stalls"], 1);
  EXPECT_EQ(j["detectors"]["edgetpu"]["devices"]["edgetpu:0"]["inference_speed"], 3.5);
}

TEST(StatsJsonTest, UnknownTpuReadingsAreNull) {
  PipelineStats s;
  TpuHealth t;
  t.device = "apex_0";
  s.tpus = {t};
  nlohmann::json j = nlohmann::json::parse(StatsJson(s, {}).dump());
  EXPECT_TRUE(j["tpus"]["apex_0"]["temperature"].is_null());
  EXPECT_TRUE(j["tpus"]["apex_0"]["throttled"].is_null());
  EXPECT_TRUE(j["tpus"]["apex_0"]["reset_count"].is_null());
  EXPECT_TRUE(j["service"]["temperatures"].empty());
}

TEST(TpuHealthTest, FromTheSysfsReading) {
  board::PcieEdgeTpu tpu;
  tpu.address = "0000:02:00.0";
  tpu.apex_name = "apex_1";
  tpu.status = "ALIVE";
  tpu.temp_millic = 90000;
  tpu.trip_points_millic = {85000, 90000, 95000};
  tpu.reset_count = 3;
  TpuHealth h = ToTpuHealth(tpu);
  EXPECT_EQ(h.device, "apex_1");
  EXPECT_EQ(h.temperature_c, 90.0);
  EXPECT_EQ(h.trip_points_c, (std::vector<double>{85.0, 90.0, 95.0}));
  EXPECT_EQ(h.throttled, true);
  EXPECT_EQ(h.reset_count, 3);
  EXPECT_TRUE(ReadTpuHealth("/nonexistent/root").empty());
}

TEST(WatchdogMessageTest, StallOnTheWatchdogTopic) {
  MqttConfig config;
  config.enabled = true;
  config.prefix = "cp";
  MqttMessages messages(config, {"door"}, {}, {"stand-in", "1.0", 2.0});
  DetectorStall stall;
  stall.device = "stand-in:1";
  stall.description = "stand-in (3.00 ms per frame, 2 fixed boxes)";
  stall.camera = "door";
  stall.frame = 41;
  stall.waited_s = 2.05;
  stall.time = 1700000000.25;
  stall.reopened = true;
  MqttMessage m = messages.OnStall(stall);
  EXPECT_EQ(m.topic, "cp/watchdog");
  EXPECT_FALSE(m.retain);
  nlohmann::json j = nlohmann::json::parse(m.payload);
  EXPECT_EQ(j["type"], "detector_stalled");
  EXPECT_EQ(j["device"], "stand-in:1");
  EXPECT_EQ(j["camera"], "door");
  EXPECT_EQ(j["frame"], 41);
  EXPECT_EQ(j["waited"], 2.05);
  EXPECT_EQ(j["timeout"], 2.0);
  EXPECT_EQ(j["reopened"], true);
  EXPECT_TRUE(j["error"].is_null());
  stall.reopened = false;
  stall.error = "cannot open /dev/apex_1";
  j = nlohmann::json::parse(messages.OnStall(stall).payload);
  EXPECT_EQ(j["error"], "cannot open /dev/apex_1");
}

TEST(WatchdogMessageTest, MetricsRoute) {
  EXPECT_EQ(ParseApiRequest("/metrics", {}, {"door"}).route, ApiRoute::kMetrics);
  EXPECT_EQ(ParseApiRequest("/metrics", {{"x", "1"}}, {"door"}).status, 400);
  EXPECT_EQ(ParseApiRequest("/metrics/", {}, {"door"}).status, 404);
}

TEST(StandInHangTest, TheNthInvokeOverSharedCountsHangs) {
  auto calls = std::make_shared<std::atomic<int64_t>>(0);
  StandInOptions o;
  o.sleep_ms = 0;
  o.hang_at = 3;
  o.hang_s = 0.3;
  o.calls = calls;
  StandInDetector a(o), b(o);
  DetectorInput input;
  input.image.width = input.image.height = 1;
  auto Took = [&](StandInDetector& d) {
    auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(d.Detect(input).ok());
    return std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300);
  };
  EXPECT_FALSE(Took(a));
  EXPECT_FALSE(Took(b));
  EXPECT_TRUE(Took(b));  // the third over both
  EXPECT_FALSE(Took(a));
  EXPECT_EQ(calls->load(), 4);
}

TEST(ConfigWatchdogTest, TimeoutAndHangKeys) {
  auto c = ParseServiceConfig(
      "cameras:\n  - name: a\n    source: \"test:\"\ndetector:\n  backend: stand-in\n"
      "  timeout_s: 0.5\n  stand_in_hang_at: 7\n  stand_in_hang_s: 30\n",
      "c.yaml");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->detector.timeout_s, 0.5);
  EXPECT_EQ(c->detector.stand_in_hang_at, 7);
  EXPECT_EQ(c->detector.stand_in_hang_s, 30.0);
  auto d = ParseServiceConfig(
      "cameras:\n  - name: a\n    source: \"test:\"\ndetector:\n  backend: stand-in\n", "d.yaml");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->detector.timeout_s, 2.0);  // the default the issue asks for
  auto bad = ParseServiceConfig(
      "cameras:\n  - name: a\n    source: \"test:\"\ndetector:\n  backend: cpu\n  model: m.tflite\n"
      "  stand_in_hang_at: 7\n",
      "b.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(
                "b.yaml:7: detector.stand_in_hang_at: only the stand-in detector can be made to "
                "hang"),
            std::string::npos)
      << bad.error().message;
}

}  // namespace
}  // namespace coralpi

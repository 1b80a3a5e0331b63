// The JSON forms of frames, events and statistics, and the JSON-lines publisher.
#include "video/json_lines.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

namespace coralpi {
namespace {

TEST(JsonLinesTest, FrameLine) {
  ProcessedFrame f;
  f.camera = "door";
  f.number = 12;
  f.capture_time = 1714000000.25;
  f.inference_ms = 41.234;
  f.detections = {{37, "boxer", 0.29f, {388.123f, 169.0f, 495.5f, 245.25f}}};
  auto j = ToJson(f);
  EXPECT_EQ(j.begin().key(), "type");  // the kind of line comes first
  EXPECT_EQ(j["type"], "frame");
  EXPECT_EQ(j["camera"], "door");
  EXPECT_EQ(j["frame"], 12);
  EXPECT_DOUBLE_EQ(j["time"].get<double>(), 1714000000.25);
  EXPECT_DOUBLE_EQ(j["inference_ms"].get<double>(), 41.23);
  ASSERT_EQ(j["detections"].size(), 1u);
  const auto& d = j["detections"][0];
  EXPECT_EQ(d["label"], "boxer");
  EXPECT_EQ(d["class_id"], 37);
  EXPECT_EQ(d["score"].dump(), "0.29");
  // The one detection JSON (vision/detection_json.h), the CLI's too: named corners, 2 decimals.
  EXPECT_EQ(d["box"].dump(), R"({"xmin":388.12,"ymin":169.0,"xmax":495.5,"ymax":245.25})");
}

TEST(JsonLinesTest, EventLineHasBeforeAndAfterAndANullEndWhileOpen) {
  Event e;
  e.type = EventType::kUpdate;
  e.before.id = "1.000000-door-1";
  e.before.top_score = 0.7f;
  e.after = e.before;
  e.after.top_score = 0.8f;
  auto j = ToJson(e);
  EXPECT_EQ(j["type"], "event");
  EXPECT_EQ(j["event"], "update");
  EXPECT_EQ(j["snapshot"], false);
  EXPECT_EQ(j["before"]["top_score"].dump(), "0.7");
  EXPECT_EQ(j["after"]["top_score"].dump(), "0.8");
  EXPECT_TRUE(j["after"]["end_time"].is_null());
  e.type = EventType::kEnd;
  e.after.end_time = 5.5;
  EXPECT_DOUBLE_EQ(ToJson(e)["after"]["end_time"].get<double>(), 5.5);
  EXPECT_EQ(ToJson(e)["event"], "end");
}

TEST(JsonLinesTest, PublisherWritesOneObjectPerLine) {
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  ASSERT_NE(out, nullptr);
  {
    JsonLinesPublisher pub(out, {.frames = true, .events = false, .stats = true});
    ProcessedFrame f;
    f.camera = "a";
    pub.OnFrame(f);
    pub.OnEvent(Event{});  // switched off
    PipelineStats s;
    s.cameras.push_back({"a", 30, 5, 25, 10});
    pub.OnStats(s);
  }
  std::fclose(out);
  std::istringstream lines(std::string(buffer, size));
  std::free(buffer);
  std::vector<nlohmann::json> parsed;
  for (std::string line; std::getline(lines, line);) parsed.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0]["type"], "frame");
  EXPECT_EQ(parsed[1]["type"], "stats");
  EXPECT_DOUBLE_EQ(parsed[1]["cameras"]["a"]["skipped_fps"].get<double>(), 25.0);
}

TEST(JsonLinesTest, SummaryHasTotalsStagesAndLatency) {
  PipelineReport r;
  r.elapsed_s = 2.0;
  r.cameras.push_back({"a", 100, 20, 78, 2, 156, ""});
  r.inference = {78, 234.0};
  r.latency_ms.median = 4.5;
  r.errors = {"camera b: broke"};
  auto j = ToJson(r);
  EXPECT_EQ(j["type"], "summary");
  EXPECT_EQ(j["cameras"]["a"]["captured"], 100);
  EXPECT_EQ(j["cameras"]["a"]["skipped"], 20);
  EXPECT_EQ(j["cameras"]["a"]["dropped"], 2);
  EXPECT_DOUBLE_EQ(j["stages"]["inference"]["mean_ms"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(j["stages"]["inference"]["fps"].get<double>(), 39.0);
  EXPECT_DOUBLE_EQ(j["latency_ms"]["median"].get<double>(), 4.5);
  EXPECT_EQ(j["errors"][0], "camera b: broke");
}

}  // namespace
}  // namespace coralpi

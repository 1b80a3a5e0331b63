// The tracker on hand-made detection sequences, with time given by the test.
#include "video/tracker.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace coralpi {
namespace {

Detection Det(float score, float x, float y, float w = 40, float h = 40, int class_id = 1,
              const std::string& label = "dog") {
  return {class_id, label, score, {x, y, x + w, y + h}};
}

std::vector<EventType> Types(const std::vector<Event>& events) {
  std::vector<EventType> t;
  for (const Event& e : events) t.push_back(e.type);
  return t;
}

TEST(IoUTest, HandComputed) {
  // 10x10 boxes overlapping in a 5x10 strip: 50 / (100 + 100 - 50).
  EXPECT_FLOAT_EQ(IoU({0, 0, 10, 10}, {5, 0, 15, 10}), 50.0f / 150.0f);
  EXPECT_FLOAT_EQ(IoU({0, 0, 10, 10}, {0, 0, 10, 10}), 1.0f);
  EXPECT_FLOAT_EQ(IoU({0, 0, 10, 10}, {20, 20, 30, 30}), 0.0f);
  EXPECT_FLOAT_EQ(IoU({0, 0, 0, 0}, {0, 0, 0, 0}), 0.0f);
}

TEST(MedianScoreTest, PadsShortHistoriesWithZeros) {
  std::vector<float> one = {0.9f};
  EXPECT_FLOAT_EQ(MedianScore(one, 10, 3), 0.0f);  // 0, 0, 0.9
  std::vector<float> two = {0.9f, 0.8f};
  EXPECT_FLOAT_EQ(MedianScore(two, 10, 3), 0.8f);  // 0, 0.8, 0.9
  std::vector<float> four = {0.1f, 0.2f, 0.3f, 0.4f};
  EXPECT_FLOAT_EQ(MedianScore(four, 10, 3), 0.25f);  // even count: mean of the middle pair
}

TEST(MedianScoreTest, UsesOnlyTheLastWindow) {
  std::vector<float> s = {0.9f, 0.9f, 0.9f, 0.1f, 0.1f, 0.1f};
  EXPECT_FLOAT_EQ(MedianScore(s, 3, 3), 0.1f);
  EXPECT_FLOAT_EQ(MedianScore(s, 5, 3), 0.1f);  // 0.9 0.9 0.1 0.1 0.1
}

TEST(TrackerTest, NewAfterTheMedianPassesTheThresholdThenEndAfterAbsence) {
  TrackerOptions o;
  o.threshold = 0.7f;
  o.end_after_frames = 3;
  o.end_after_seconds = 100;
  Tracker tracker(o);
  std::vector<Detection> dog = {Det(0.9f, 10, 10)};
  // Frame 1: history [0.9] padded to 0, 0, 0.9 -> median 0: not yet.
  EXPECT_TRUE(tracker.Update("cam", 1.0, dog).empty());
  // Frame 2: 0, 0.9, 0.9 -> 0.9: new.
  auto events = tracker.Update("cam", 2.0, dog);
  ASSERT_EQ(Types(events), std::vector<EventType>{EventType::kNew});
  const TrackedObject o2 = events[0].after;  // a copy: `events` is reused below
  EXPECT_EQ(o2.camera, "cam");
  EXPECT_EQ(o2.label, "dog");
  EXPECT_FLOAT_EQ(o2.score, 0.9f);
  EXPECT_FLOAT_EQ(o2.top_score, 0.9f);
  EXPECT_DOUBLE_EQ(o2.start_time, 1.0);  // first seen, not when it became an event
  EXPECT_DOUBLE_EQ(o2.frame_time, 2.0);
  EXPECT_DOUBLE_EQ(o2.end_time, 0.0);
  EXPECT_EQ(events[0].before, events[0].after);
  EXPECT_EQ(tracker.Active("cam").size(), 1u);
  // Same box, same score: nothing to tell.
  EXPECT_TRUE(tracker.Update("cam", 3.0, dog).empty());
  // Absent for 2 frames: still tracked; the third absent frame ends it.
  EXPECT_TRUE(tracker.Update("cam", 4.0, {}).empty());
  EXPECT_TRUE(tracker.Update("cam", 5.0, {}).empty());
  events = tracker.Update("cam", 6.0, {});
  ASSERT_EQ(Types(events), std::vector<EventType>{EventType::kEnd});
  EXPECT_EQ(events[0].after.id, o2.id);
  EXPECT_DOUBLE_EQ(events[0].after.end_time, 3.0);  // last seen
  EXPECT_DOUBLE_EQ(events[0].before.end_time, 0.0);
  EXPECT_TRUE(tracker.Active("cam").empty());
}

TEST(TrackerTest, EndsAfterSecondsWithoutFramesThroughExpire) {
  TrackerOptions o;
  o.end_after_frames = 1000;
  o.end_after_seconds = 5.0;
  Tracker tracker(o);
  std::vector<Detection> dog = {Det(0.9f, 10, 10)};
  for (double t : {10.0, 10.5, 11.0}) (void)tracker.Update("cam", t, dog);
  ASSERT_EQ(tracker.Active("cam").size(), 1u);
  EXPECT_TRUE(tracker.Expire(15.9).empty());  // 4.9 s after last seen
  auto events = tracker.Expire(16.0);
  ASSERT_EQ(Types(events), std::vector<EventType>{EventType::kEnd});
  EXPECT_DOUBLE_EQ(events[0].after.end_time, 11.0);
}

TEST(TrackerTest, EndsAfterSecondsBetweenFrames) {
  TrackerOptions o;
  o.end_after_frames = 1000;
  o.end_after_seconds = 2.0;
  Tracker tracker(o);
  std::vector<Detection> dog = {Det(0.9f, 10, 10)};
  for (double t : {1.0, 2.0}) (void)tracker.Update("cam", t, dog);
  EXPECT_TRUE(tracker.Update("cam", 3.5, {}).empty());
  EXPECT_EQ(Types(tracker.Update("cam", 4.0, {})), std::vector<EventType>{EventType::kEnd});
}

TEST(TrackerTest, FlickerBelowThresholdNeverBecomesAnEvent) {
  TrackerOptions o;
  o.threshold = 0.7f;
  Tracker tracker(o);
  // One good frame in three: the median stays at the low scores.
  for (int i = 0; i < 30; ++i) {
    float score = i % 3 == 0 ? 0.95f : 0.4f;
    std::vector<Detection> d = {Det(score, 100, 100)};
    EXPECT_TRUE(tracker.Update("cam", i, d).empty()) << "frame " << i;
  }
  // A single very confident frame is not enough either (padded with zeros).
  Tracker fresh(o);
  std::vector<Detection> once = {Det(0.99f, 10, 10)};
  EXPECT_TRUE(fresh.Update("cam", 0, once).empty());
  for (int i = 1; i < 40; ++i) EXPECT_TRUE(fresh.Update("cam", i, {}).empty());
}

TEST(TrackerTest, TwoObjectsCrossingKeepTheirIds) {
  TrackerOptions o;
  o.threshold = 0.5f;
  o.update_box_iou = 0.0f;  // no updates for movement: only new and end matter here
  Tracker tracker(o);
  std::map<std::string, std::vector<float>> xs;  // id -> its x positions
  std::vector<Event> news;
  // A moves right along y=0, B moves left along y=20; 40x40 boxes, 10 px per frame. Each
  // box's IoU with its own last position is 30*40/(2*1600-1200) = 0.6; with the other one at
  // the crossing at most 40*20/(2*1600-800) = 0.33.
  for (int i = 0; i <= 20; ++i) {
    std::vector<Detection> d = {Det(0.9f, 10.0f * i, 0), Det(0.9f, 200.0f - 10.0f * i, 20)};
    for (Event& e : tracker.Update("cam", i, d)) {
      if (e.type == EventType::kNew) news.push_back(e);
    }
    for (const TrackedObject& obj : tracker.Active("cam")) xs[obj.id].push_back(obj.box.xmin);
  }
  ASSERT_EQ(news.size(), 2u);
  ASSERT_EQ(xs.size(), 2u);
  for (const auto& [id, positions] : xs) {
    bool right = positions.back() > positions.front();
    for (size_t k = 1; k < positions.size(); ++k) {
      EXPECT_EQ(positions[k] > positions[k - 1], right) << id << " changed direction at " << k;
    }
  }
}

TEST(TrackerTest, DifferentLabelsAreDifferentObjects) {
  TrackerOptions o;
  o.threshold = 0.5f;
  Tracker tracker(o);
  std::vector<Detection> d = {Det(0.9f, 10, 10, 40, 40, 1, "dog"),
                              Det(0.9f, 10, 10, 40, 40, 2, "cat")};
  (void)tracker.Update("cam", 0, d);
  auto events = tracker.Update("cam", 1, d);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_NE(events[0].after.id, events[1].after.id);
  EXPECT_NE(events[0].after.label, events[1].after.label);
}

TEST(TrackerTest, UpdatesWhenTheTopScoreRisesOrTheBoxMoves) {
  TrackerOptions o;
  o.threshold = 0.5f;
  o.update_score_gain = 0.05f;
  o.update_box_iou = 0.7f;
  Tracker tracker(o);
  std::vector<Detection> d = {Det(0.6f, 0, 0, 100, 100)};
  (void)tracker.Update("cam", 0, d);
  ASSERT_EQ(Types(tracker.Update("cam", 1, d)), std::vector<EventType>{EventType::kNew});
  // A small rise (median 0.6 -> 0.62) is not worth telling.
  d[0].score = 0.64f;
  EXPECT_TRUE(tracker.Update("cam", 2, d).empty());  // 0, 0.6, 0.6, 0.64 -> 0.6
  EXPECT_TRUE(tracker.Update("cam", 3, d).empty());  // 0.6 0.6 0.64 0.64 -> 0.62
  d[0].score = 0.9f;
  (void)tracker.Update("cam", 4, d);          // 0.6 0.6 0.64 0.64 0.9 -> 0.64
  (void)tracker.Update("cam", 5, d);          // ... -> 0.64
  auto events = tracker.Update("cam", 6, d);  // 0.6 0.6 0.64 0.64 0.9 0.9 0.9 -> 0.64
  events = tracker.Update("cam", 7, d);       // 0.6 0.6 0.64 0.64 0.9 0.9 0.9 0.9 -> 0.77
  ASSERT_EQ(Types(events), std::vector<EventType>{EventType::kUpdate});
  EXPECT_FLOAT_EQ(events[0].before.top_score, 0.6f);
  EXPECT_FLOAT_EQ(events[0].after.top_score, 0.77f);
  // Moving 10 px of 100 (IoU 0.82): no update; moving 30 more (IoU with the told box 0.43):
  // update. The scores stay low enough for the median to stay under the top score.
  d[0].score = 0.6f;
  d[0].box = {10, 0, 110, 100};
  EXPECT_TRUE(tracker.Update("cam", 8, d).empty());
  d[0].box = {40, 0, 140, 100};
  events = tracker.Update("cam", 9, d);
  ASSERT_EQ(Types(events), std::vector<EventType>{EventType::kUpdate});
  EXPECT_EQ(events[0].before.box, (BoundingBox{0, 0, 100, 100}));
  EXPECT_EQ(events[0].after.box, (BoundingBox{40, 0, 140, 100}));
  EXPECT_EQ(events[0].before.id, events[0].after.id);
}

TEST(TrackerTest, PerLabelThresholds) {
  TrackerOptions o;
  o.threshold = 0.9f;
  o.label_thresholds["cat"] = 0.25f;
  Tracker tracker(o);
  std::vector<Detection> d = {Det(0.3f, 10, 10, 40, 40, 1, "dog"),
                              Det(0.3f, 200, 10, 40, 40, 2, "cat")};
  (void)tracker.Update("cam", 0, d);
  auto events = tracker.Update("cam", 1, d);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].after.label, "cat");
}

TEST(TrackerTest, CamerasAreSeparateAndEndAllEndsOnlyEvents) {
  TrackerOptions o;
  o.threshold = 0.5f;
  Tracker tracker(o);
  std::vector<Detection> strong = {Det(0.9f, 10, 10)};
  std::vector<Detection> weak = {Det(0.2f, 300, 300)};
  for (int i = 0; i < 3; ++i) {
    (void)tracker.Update("a", i, strong);
    (void)tracker.Update("b", i, strong);
    (void)tracker.Update("a", i, weak);
  }
  EXPECT_EQ(tracker.Active("a").size(), 1u);
  EXPECT_EQ(tracker.Active("b").size(), 1u);
  auto ends = tracker.EndAll("a");
  ASSERT_EQ(Types(ends), std::vector<EventType>{EventType::kEnd});
  EXPECT_EQ(ends[0].after.camera, "a");
  EXPECT_TRUE(tracker.Active("a").empty());
  EXPECT_EQ(tracker.Active("b").size(), 1u);
  EXPECT_EQ(tracker.EndAll().size(), 1u);
  EXPECT_TRUE(tracker.EndAll().empty());
}

TEST(TrackerTest, IdsAreUniqueAndNameTheCamera) {
  TrackerOptions o;
  o.threshold = 0.5f;
  o.end_after_frames = 1;
  Tracker tracker(o);
  std::set<std::string> ids;
  std::vector<Detection> d = {Det(0.9f, 10, 10)};
  for (int round = 0; round < 5; ++round) {
    (void)tracker.Update("door", round * 10, d);
    for (const Event& e : tracker.Update("door", round * 10 + 1, d)) ids.insert(e.after.id);
    (void)tracker.Update("door", round * 10 + 2, {});
  }
  EXPECT_EQ(ids.size(), 5u);
  for (const std::string& id : ids) EXPECT_NE(id.find("-door-"), std::string::npos) << id;
}

}  // namespace
}  // namespace coralpi

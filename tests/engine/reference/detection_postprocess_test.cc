// The SSD post-process maths on hand-made arrays: box decoding, IoU, greedy NMS, and the fast and
// regular multi-class variants (overlaps within and across classes, the score threshold, the
// maximum count, fewer candidates than slots), and the errors TFLite's kernel also raises.
#include "engine/reference/detection_postprocess.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace coralpi::reference {
namespace {

// The error of a failed selection, or "ok".
std::string Why(const Result<Detections>& d) { return d.ok() ? "ok" : d.error().message; }

CornerBox Box(float ymin, float xmin, float ymax, float xmax) {
  return CornerBox{ymin, xmin, ymax, xmax};
}

TEST(DetectionDecode, CentreAndSizeAgainstTheAnchor) {
  const CenterSizeBox anchor{0.5f, 0.5f, 0.2f, 0.4f};
  const CenterSizeBox scale{10, 10, 5, 5};
  // y: 1 / 10 * 0.2 + 0.5 = 0.52; x: -2 / 10 * 0.4 + 0.5 = 0.42;
  // half height 0.5 * exp(0) * 0.2 = 0.1; half width 0.5 * exp(ln 2) * 0.4 = 0.4.
  const CornerBox b = DecodeBox({1.0f, -2.0f, 0.0f, 5.0f * std::log(2.0f)}, anchor, scale);
  EXPECT_NEAR(b.ymin, 0.42f, 1e-6);
  EXPECT_NEAR(b.xmin, 0.02f, 1e-6);
  EXPECT_NEAR(b.ymax, 0.62f, 1e-6);
  EXPECT_NEAR(b.xmax, 0.82f, 1e-6);
}

TEST(DetectionDecode, ZeroEncodingIsTheAnchor) {
  const CornerBox b = DecodeBox({0, 0, 0, 0}, {0.25f, 0.75f, 0.5f, 0.25f}, {10, 10, 5, 5});
  EXPECT_EQ(b, Box(0.0f, 0.625f, 0.5f, 0.875f));
}

TEST(DetectionIoU, Definition) {
  const CornerBox a = Box(0, 0, 2, 2);
  EXPECT_FLOAT_EQ(IntersectionOverUnion(a, Box(1, 1, 3, 3)), 1.0f / 7.0f);  // 1 / (4 + 4 - 1)
  EXPECT_FLOAT_EQ(IntersectionOverUnion(a, Box(0, 0, 1, 1)), 0.25f);
  EXPECT_FLOAT_EQ(IntersectionOverUnion(a, a), 1.0f);
  EXPECT_EQ(IntersectionOverUnion(a, Box(2, 2, 3, 3)), 0.0f);  // touching corners
  EXPECT_EQ(IntersectionOverUnion(a, Box(5, 5, 6, 6)), 0.0f);
  EXPECT_EQ(IntersectionOverUnion(a, Box(1, 1, 1, 3)), 0.0f);  // no area
}

// Four boxes: 1 overlaps 0 (IoU 0.9 / 1.1 = 0.82), 2 stands apart, 3 equals 0.
const std::vector<CornerBox> kBoxes = {Box(0, 0, 1, 1), Box(0, 0.1f, 1, 1.1f), Box(2, 2, 3, 3),
                                       Box(0, 0, 1, 1)};

TEST(DetectionNms, SuppressesOverlapsAboveTheIoUThreshold) {
  const std::vector<float> scores = {0.9f, 0.8f, 0.7f, 0.3f};
  EXPECT_EQ(NonMaxSuppression(kBoxes, scores, 0.5f, 0.5f, 10), (std::vector<int32_t>{0, 2}));
  // A looser threshold keeps the overlap; box 3 stays below the score threshold.
  EXPECT_EQ(NonMaxSuppression(kBoxes, scores, 0.5f, 0.9f, 10), (std::vector<int32_t>{0, 1, 2}));
  // A score exactly at the threshold is a candidate.
  EXPECT_EQ(NonMaxSuppression(kBoxes, scores, 0.3f, 0.9f, 10),
            (std::vector<int32_t>{0, 1, 2}));  // 3 equals 0: IoU 1 > 0.9
  EXPECT_EQ(NonMaxSuppression(kBoxes, scores, 0.5f, 0.5f, 1), (std::vector<int32_t>{0}));
  EXPECT_TRUE(NonMaxSuppression(kBoxes, scores, 0.95f, 0.5f, 10).empty());
}

TEST(DetectionNms, IoUEqualToTheThresholdIsKept) {
  // IoU of 0 and 1 below is exactly 0.25 (a quarter of the first box).
  const std::vector<CornerBox> boxes = {Box(0, 0, 2, 2), Box(0, 0, 1, 1)};
  const std::vector<float> scores = {0.9f, 0.8f};
  EXPECT_EQ(NonMaxSuppression(boxes, scores, 0.0f, 0.25f, 10), (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(NonMaxSuppression(boxes, scores, 0.0f, 0.24f, 10), (std::vector<int32_t>{0}));
}

TEST(DetectionNms, EqualScoresKeepBoxOrder) {
  const std::vector<CornerBox> boxes = {Box(0, 0, 1, 1), Box(2, 2, 3, 3), Box(4, 4, 5, 5)};
  const std::vector<float> scores = {0.5f, 0.7f, 0.5f};
  EXPECT_EQ(NonMaxSuppression(boxes, scores, 0.1f, 0.5f, 10), (std::vector<int32_t>{1, 0, 2}));
}

DetectionOptions Options(int32_t max_detections, int32_t num_classes, bool regular) {
  DetectionOptions o;
  o.max_detections = max_detections;
  o.num_classes = num_classes;
  o.use_regular_nms = regular;
  o.score_threshold = 0.5f;
  o.iou_threshold = 0.5f;
  o.scale = {10, 10, 5, 5};
  return o;
}

// Scores for kBoxes with a background column first, then classes 0 and 1.
// Box 0 is class 1 (0.9), box 1 (overlapping 0) class 0 (0.8), box 2 class 1 (0.6),
// box 3 (equal to 0) is background.
const std::vector<float> kScores = {0.1f, 0.2f, 0.9f,  //
                                    0.0f, 0.8f, 0.7f,  //
                                    0.3f, 0.1f, 0.6f,  //
                                    0.9f, 0.1f, 0.1f};

TEST(DetectionFastNms, OneBestClassPerBoxAcrossClasses) {
  auto d = SelectDetections(kBoxes, kScores, 3, Options(3, 2, false));
  ASSERT_TRUE(d.ok()) << Why(d);
  // Fast NMS ranks boxes by their best class (0.9, 0.8, 0.6): box 1 overlaps box 0, although its
  // class differs, and is suppressed. One slot stays empty.
  EXPECT_EQ(d->count, 2);
  EXPECT_EQ(d->boxes, (std::vector<CornerBox>{kBoxes[0], kBoxes[2], CornerBox{}}));
  EXPECT_EQ(d->classes, (std::vector<float>{1, 1, 0}));
  EXPECT_EQ(d->scores, (std::vector<float>{0.9f, 0.6f, 0}));
}

TEST(DetectionFastNms, SeveralClassesPerBoxFillConsecutiveSlots) {
  DetectionOptions o = Options(2, 2, false);
  o.max_classes_per_detection = 2;
  auto d = SelectDetections(kBoxes, kScores, 3, o);
  ASSERT_TRUE(d.ok()) << Why(d);
  EXPECT_EQ(d->count, 2);
  // Each kept box gives its two classes by decreasing score; the second is not thresholded.
  EXPECT_EQ(d->boxes, (std::vector<CornerBox>{kBoxes[0], kBoxes[0], kBoxes[2], kBoxes[2]}));
  EXPECT_EQ(d->classes, (std::vector<float>{1, 0, 1, 0}));
  EXPECT_EQ(d->scores, (std::vector<float>{0.9f, 0.2f, 0.6f, 0.1f}));
}

TEST(DetectionFastNms, MaxDetectionsCutsTheList) {
  auto d = SelectDetections(kBoxes, kScores, 3, Options(1, 2, false));
  ASSERT_TRUE(d.ok()) << Why(d);
  EXPECT_EQ(d->count, 1);
  EXPECT_EQ(d->boxes, (std::vector<CornerBox>{kBoxes[0]}));
}

TEST(DetectionRegularNms, OverlapsOfDifferentClassesAreBothKept) {
  auto d = SelectDetections(kBoxes, kScores, 3, Options(4, 2, true));
  ASSERT_TRUE(d.ok()) << Why(d);
  // Class 0: box 1 (0.8); class 1: box 0 (0.9) suppresses box 1 (0.7), then box 2 (0.6).
  // Merged by decreasing score.
  EXPECT_EQ(d->count, 3);
  EXPECT_EQ(d->boxes, (std::vector<CornerBox>{kBoxes[0], kBoxes[1], kBoxes[2], CornerBox{}}));
  EXPECT_EQ(d->classes, (std::vector<float>{1, 0, 1, 0}));
  EXPECT_EQ(d->scores, (std::vector<float>{0.9f, 0.8f, 0.6f, 0}));
}

TEST(DetectionRegularNms, MaxDetectionsKeepsTheBestAcrossClasses) {
  auto d = SelectDetections(kBoxes, kScores, 3, Options(2, 2, true));
  ASSERT_TRUE(d.ok()) << Why(d);
  EXPECT_EQ(d->count, 2);
  EXPECT_EQ(d->classes, (std::vector<float>{1, 0}));
  EXPECT_EQ(d->scores, (std::vector<float>{0.9f, 0.8f}));
}

TEST(DetectionRegularNms, DetectionsPerClassLimitsEachClass) {
  DetectionOptions o = Options(4, 2, true);
  o.detections_per_class = 1;
  auto d = SelectDetections(kBoxes, kScores, 3, o);
  ASSERT_TRUE(d.ok()) << Why(d);
  EXPECT_EQ(d->count, 2);  // box 2 of class 1 no longer fits
  EXPECT_EQ(d->scores, (std::vector<float>{0.9f, 0.8f, 0, 0}));
}

TEST(DetectionRegularNms, WithoutBackgroundColumnClassesStartAtTheFirstColumn) {
  // Two boxes, two classes, no background: box 0 is class 0, box 1 class 1.
  const std::vector<CornerBox> boxes = {Box(0, 0, 1, 1), Box(2, 2, 3, 3)};
  const std::vector<float> scores = {0.9f, 0.1f, 0.2f, 0.7f};
  auto d = SelectDetections(boxes, scores, 2, Options(3, 2, true));
  ASSERT_TRUE(d.ok()) << Why(d);
  EXPECT_EQ(d->count, 2);
  EXPECT_EQ(d->classes, (std::vector<float>{0, 1, 0}));
  EXPECT_EQ(d->boxes, (std::vector<CornerBox>{boxes[0], boxes[1], CornerBox{}}));
}

TEST(DetectionSelect, NothingAboveTheThresholdGivesZeroDetections) {
  for (bool regular : {false, true}) {
    DetectionOptions o = Options(3, 2, regular);
    o.score_threshold = 0.99f;
    auto d = SelectDetections(kBoxes, kScores, 3, o);
    ASSERT_TRUE(d.ok()) << Why(d);
    EXPECT_EQ(d->count, 0);
    EXPECT_EQ(d->scores, (std::vector<float>{0, 0, 0}));
  }
}

TEST(DetectionSelect, Errors) {
  DetectionOptions o = Options(3, 2, false);
  // Background offset 2: 4 columns for 2 classes.
  EXPECT_FALSE(SelectDetections(kBoxes, std::vector<float>(16), 4, o).ok());
  // Scores that do not match the boxes.
  EXPECT_FALSE(SelectDetections(kBoxes, std::vector<float>(11), 3, o).ok());
  o.iou_threshold = 0.0f;
  EXPECT_FALSE(SelectDetections(kBoxes, kScores, 3, o).ok());
  o = Options(3, 2, true);
  o.detections_per_class = 0;
  EXPECT_FALSE(SelectDetections(kBoxes, kScores, 3, o).ok());
  // A box whose minimum lies beyond its maximum (from a negative anchor size).
  std::vector<CornerBox> inverted = kBoxes;
  inverted[2] = Box(3, 2, 2, 3);
  auto d = SelectDetections(inverted, kScores, 3, Options(3, 2, false));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(Why(d).find("decoded box 2"), std::string::npos) << Why(d);
}

}  // namespace
}  // namespace coralpi::reference

// NMS and IoU on hand-made boxes: overlap arithmetic, per-class and class-agnostic suppression,
// the strict IoU threshold, ties, the maximum count, and thousands of candidates over 80 classes.
#include "vision/nms.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace coralpi {
namespace {

Detection Box(int32_t cls, float score, float x0, float y0, float x1, float y1) {
  return Detection{cls, "", score, {x0, y0, x1, y1}};
}

TEST(IoU, HandComputedOverlaps) {
  BoundingBox a{0, 0, 10, 10};
  EXPECT_FLOAT_EQ(IoU(a, a), 1.0f);
  // Shifted by half its width: intersection 5x10 = 50, union 100 + 100 - 50 = 150.
  EXPECT_FLOAT_EQ(IoU(a, BoundingBox{5, 0, 15, 10}), 50.0f / 150.0f);
  // A 2x2 box inside: 4 / 100.
  EXPECT_FLOAT_EQ(IoU(a, BoundingBox{4, 4, 6, 6}), 0.04f);
  EXPECT_EQ(IoU(a, BoundingBox{10, 0, 20, 10}), 0.0f);  // touching edges only
  EXPECT_EQ(IoU(a, BoundingBox{20, 20, 30, 30}), 0.0f);
  EXPECT_EQ(IoU(a, BoundingBox{3, 3, 3, 8}), 0.0f);  // no area
  EXPECT_EQ(IoU(BoundingBox{}, BoundingBox{}), 0.0f);
}

TEST(Nms, EmptyInputAndZeroMax) {
  EXPECT_TRUE(NonMaxSuppression({}, NmsOptions{}).empty());
  std::vector<Detection> c = {Box(0, 0.9f, 0, 0, 10, 10)};
  NmsOptions none;
  none.max_detections = 0;
  EXPECT_TRUE(NonMaxSuppression(c, none).empty());
}

TEST(Nms, PerClassKeepsOverlapsOfOtherClasses) {
  std::vector<Detection> c = {Box(1, 0.6f, 1, 0, 11, 10),   // same place, another class
                              Box(0, 0.9f, 0, 0, 10, 10),   //
                              Box(0, 0.8f, 1, 0, 11, 10)};  // IoU 90/110 with row 1
  NmsOptions opt;
  opt.iou_threshold = 0.5f;
  EXPECT_EQ(NonMaxSuppression(c, opt), (std::vector<size_t>{1, 0}));
  opt.agnostic = true;
  EXPECT_EQ(NonMaxSuppression(c, opt), (std::vector<size_t>{1}));
}

TEST(Nms, ThresholdIsStrict) {
  // IoU exactly 1/3: kept at threshold 1/3, suppressed just below it.
  std::vector<Detection> c = {Box(0, 0.9f, 0, 0, 10, 10), Box(0, 0.8f, 5, 0, 15, 10)};
  NmsOptions opt;
  opt.iou_threshold = 1.0f / 3.0f;
  EXPECT_EQ(NonMaxSuppression(c, opt).size(), 2u);
  opt.iou_threshold = 0.33f;
  EXPECT_EQ(NonMaxSuppression(c, opt), (std::vector<size_t>{0}));
}

TEST(Nms, SuppressedBoxesDoNotSuppress) {
  // B overlaps A (IoU 1/3) and C (1/3); A and C do not touch: A and C survive.
  std::vector<Detection> c = {Box(0, 0.7f, 10, 0, 20, 10), Box(0, 0.9f, 0, 0, 10, 10),
                              Box(0, 0.8f, 5, 0, 15, 10)};
  NmsOptions opt;
  opt.iou_threshold = 0.3f;
  EXPECT_EQ(NonMaxSuppression(c, opt), (std::vector<size_t>{1, 0}));
}

TEST(Nms, EqualScoresKeepInputOrder) {
  std::vector<Detection> c = {Box(0, 0.5f, 20, 20, 30, 30), Box(0, 0.5f, 0, 0, 10, 10),
                              Box(0, 0.5f, 0, 0, 10, 10), Box(0, 0.5f, 20, 20, 30, 30)};
  EXPECT_EQ(NonMaxSuppression(c, NmsOptions{}), (std::vector<size_t>{0, 1}));
  auto kept = SuppressOverlaps(c, NmsOptions{});
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0], c[0]);
  EXPECT_EQ(kept[1], c[1]);
}

TEST(Nms, MaxDetectionsKeepsTheBest) {
  std::vector<Detection> c;
  for (int i = 0; i < 5; ++i)
    c.push_back(Box(0, 0.1f * static_cast<float>(i + 1), 20.0f * i, 0, 20.0f * i + 10, 10));
  NmsOptions opt;
  opt.max_detections = 3;
  EXPECT_EQ(NonMaxSuppression(c, opt), (std::vector<size_t>{4, 3, 2}));
}

TEST(Nms, NanScoresAreDropped) {
  std::vector<Detection> c = {Box(0, std::numeric_limits<float>::quiet_NaN(), 0, 0, 10, 10),
                              Box(0, 0.2f, 0, 0, 10, 10)};
  EXPECT_EQ(NonMaxSuppression(c, NmsOptions{}), (std::vector<size_t>{1}));
}

// 8000 candidates: in each of 80 classes, 100 copies of one box with falling scores, the classes'
// boxes side by side. The first copy of each class survives (80), best class first. Then all on
// one spot: class-agnostic keeps the single best box, per class still one per class.
TEST(Nms, EightyClassesThousandsOfCandidates) {
  std::vector<Detection> c;
  for (int copy = 0; copy < 100; ++copy) {
    for (int cls = 0; cls < 80; ++cls) {
      float x = 20.0f * static_cast<float>(cls);
      c.push_back(
          Box(cls, 0.99f - 0.001f * static_cast<float>(copy) - 0.00001f * cls, x, 0, x + 10, 10));
    }
  }
  auto kept = NonMaxSuppression(c, NmsOptions{});
  ASSERT_EQ(kept.size(), 80u);
  for (size_t k = 0; k < kept.size(); ++k) EXPECT_EQ(kept[k], k);  // class k's first copy
  for (Detection& d : c) d.box = BoundingBox{0, 0, 10, 10};
  NmsOptions agnostic;
  agnostic.agnostic = true;
  EXPECT_EQ(NonMaxSuppression(c, agnostic), (std::vector<size_t>{0}));
  EXPECT_EQ(NonMaxSuppression(c, NmsOptions{}).size(), 80u);
}

}  // namespace
}  // namespace coralpi

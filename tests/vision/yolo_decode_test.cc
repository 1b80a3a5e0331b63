// The YOLO detection decoders on hand-made outputs: both layouts, float and quantized (uint8,
// int8), normalized and pixel boxes, the threshold in the quantized domain, ties, empty results,
// one class, 80 classes, and clear errors for wrong shapes and types. Expected values are worked
// out by hand from the layouts in yolo_decode.h.
#include "vision/yolo_decode.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "yolo_test_util.h"

namespace coralpi {
namespace {

using testing::AnchorMajor;
using testing::AttributeMajor;
using testing::FakeTensor;

::testing::AssertionResult Same(const Detection& got, int cls, float score, BoundingBox box,
                                float eps = 1e-3f) {
  bool ok = got.class_id == cls && std::fabs(got.score - score) < 1e-5f &&
            std::fabs(got.box.xmin - box.xmin) < eps && std::fabs(got.box.ymin - box.ymin) < eps &&
            std::fabs(got.box.xmax - box.xmax) < eps && std::fabs(got.box.ymax - box.ymax) < eps;
  if (ok) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "class " << got.class_id << " score " << got.score << " box " << got.box.xmin << " "
         << got.box.ymin << " " << got.box.xmax << " " << got.box.ymax;
}

YoloOptions Input(int w, int h, float threshold = 0.25f) {
  YoloOptions o;
  o.input_width = w;
  o.input_height = h;
  o.score_threshold = threshold;
  return o;
}

// YOLOv8 layout, 3 classes, 4 anchors, normalized boxes (input 100 x 200):
//   0: centre (50, 100) size 20 x 20 -> (40, 90, 60, 110); best class 1 at 0.9
//   1: every class under 0.25 (best: class 2 at 0.24)
//   2: centre (10, 40) size 20 x 40 -> (0, 20, 20, 60); classes 0 and 1 tie at 0.25: class 0
//   3: centre (52, 100) size 20 x 20 -> (42, 90, 62, 110); class 2 at 0.8. IoU with anchor 0:
//      18 x 20 = 360 / (400 + 400 - 360) = 0.82.
std::vector<std::vector<float>> V8Anchors() {
  return {{0.5f, 0.5f, 0.2f, 0.1f, 0.1f, 0.9f, 0.3f},
          {0.3f, 0.3f, 0.1f, 0.1f, 0.2f, 0.1f, 0.24f},
          {0.1f, 0.2f, 0.2f, 0.2f, 0.25f, 0.25f, 0.1f},
          {0.52f, 0.5f, 0.2f, 0.1f, 0.1f, 0.0f, 0.8f}};
}

void ExpectV8Results(const TensorView& out) {
  NmsOptions nms;
  auto d = DecodeYolo(out, YoloLayout::kV8, Input(100, 200), nms);
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_EQ(d->size(), 3u);
  EXPECT_TRUE(Same((*d)[0], 1, 0.9f, {40, 90, 60, 110}));
  EXPECT_TRUE(Same((*d)[1], 2, 0.8f, {42, 90, 62, 110}));
  EXPECT_TRUE(Same((*d)[2], 0, 0.25f, {0, 20, 20, 60}));
  EXPECT_EQ((*d)[0].label, "class 1");
  nms.agnostic = true;  // anchor 3 overlaps anchor 0 by 0.82 > 0.7
  d = DecodeYolo(out, YoloLayout::kV8, Input(100, 200), nms);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->size(), 2u);
  EXPECT_TRUE(Same((*d)[1], 0, 0.25f, {0, 20, 20, 60}));
}

TEST(YoloV8, FloatNormalized) {
  auto t = FakeTensor::Float({1, 7, 4}, AttributeMajor(V8Anchors()));
  ExpectV8Results(t.view());
  EXPECT_EQ(*GuessBoxUnits(t.view(), YoloLayout::kV8), BoxUnits::kNormalized);
}

// int8, scale 0.01, zero point -100: every value above is a whole number of steps.
TEST(YoloV8, Int8Normalized) {
  auto t =
      FakeTensor::Quantized(DataType::kInt8, 0.01f, -100, {1, 7, 4}, AttributeMajor(V8Anchors()));
  ASSERT_EQ(static_cast<int8_t>(t.bytes[4 * 5 + 0]), -10);  // anchor 0, class 1: 0.9
  ExpectV8Results(t.view());
}

TEST(YoloV8, QuantizedThresholdIsTheFirstStepReachingIt) {
  auto t =
      FakeTensor::Quantized(DataType::kInt8, 0.01f, -100, {1, 7, 4}, AttributeMajor(V8Anchors()));
  // 0.245 lies between the steps 0.24 and 0.25: 0.25 is in, 0.24 out.
  auto c = FindYoloCandidates(t.view(), YoloLayout::kV8, 0, Input(100, 200, 0.245f));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->anchors, (std::vector<int32_t>{0, 2, 3}));
  c = FindYoloCandidates(t.view(), YoloLayout::kV8, 0, Input(100, 200, 0.24f));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->anchors, (std::vector<int32_t>{0, 1, 2, 3}));
  EXPECT_EQ(c->detections[1].class_id, 2);
  // Above the largest value the type holds (0.01 * 227): nothing.
  c = FindYoloCandidates(t.view(), YoloLayout::kV8, 0, Input(100, 200, 2.5f));
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->detections.empty());
}

TEST(YoloV8, PixelBoxes) {
  // Anchor 0: centre (300, 200), size 100 x 50 -> (250, 175, 350, 225); anchor 1 under 0.25.
  auto t = FakeTensor::Float(
      {1, 6, 2}, AttributeMajor({{300, 200, 100, 50, 0.2f, 0.7f}, {10, 10, 4, 4, 0.1f, 0.1f}}));
  EXPECT_EQ(*GuessBoxUnits(t.view(), YoloLayout::kV8), BoxUnits::kInputPixels);
  YoloOptions opt;  // no input size needed for pixel boxes
  opt.units = BoxUnits::kInputPixels;
  auto d = DecodeYolo(t.view(), YoloLayout::kV8, opt, NmsOptions{});
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_EQ(d->size(), 1u);
  EXPECT_TRUE(Same((*d)[0], 1, 0.7f, {250, 175, 350, 225}));
}

TEST(YoloV8, EmptyWhenNothingReachesTheThreshold) {
  auto t = FakeTensor::Float({1, 7, 4}, AttributeMajor(V8Anchors()));
  auto d = DecodeYolo(t.view(), YoloLayout::kV8, Input(100, 200, 0.95f), NmsOptions{});
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->empty());
}

TEST(YoloV8, OneClass) {
  // [1, 5, 3]: scores 0.3, 0.6, 0.1; boxes in pixels.
  auto t = FakeTensor::Float(
      {1, 5, 3},
      AttributeMajor({{10, 10, 4, 4, 0.3f}, {50, 50, 10, 20, 0.6f}, {90, 90, 4, 4, 0.1f}}));
  YoloOptions opt;
  opt.units = BoxUnits::kInputPixels;
  auto d = DecodeYolo(t.view(), YoloLayout::kV8, opt, NmsOptions{});
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->size(), 2u);
  EXPECT_TRUE(Same((*d)[0], 0, 0.6f, {45, 40, 55, 60}));
  EXPECT_TRUE(Same((*d)[1], 0, 0.3f, {8, 8, 12, 12}));
}

TEST(YoloV8, TiesKeepTheFirstAnchor) {
  // Two anchors with the same box and score: NMS keeps the first.
  auto t = FakeTensor::Float({1, 6, 3}, AttributeMajor({{20, 20, 10, 10, 0.1f, 0.5f},
                                                        {20, 20, 10, 10, 0.1f, 0.5f},
                                                        {20, 20, 10, 10, 0.1f, 0.4f}}));
  YoloOptions opt;
  opt.units = BoxUnits::kInputPixels;
  auto c = FindYoloCandidates(t.view(), YoloLayout::kV8, 0, opt);
  ASSERT_TRUE(c.ok());
  auto kept = NonMaxSuppression(c->detections, NmsOptions{});
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(c->anchors[kept[0]], 0);
}

// 80 classes over 81 anchors (scale 1/200, zero point -128 for int8): anchor a (< 80) has its
// best score, 0.5 + a / 200, at class (a * 7) % 80, the others at 0.3; anchor 80 has all at 0.2.
// The boxes (up to 805 pixels) saturate in int8, so there all 80 share one box: per-class NMS
// keeps them since their classes differ. The float twin checks a box too.
TEST(YoloV8, EightyClassesInt8) {
  std::vector<std::vector<float>> anchors;
  for (int a = 0; a <= 80; ++a) {
    std::vector<float> row = {static_cast<float>(10 * a + 5), 5, 8, 8};
    for (int c = 0; c < 80; ++c) {
      row.push_back(a == 80 ? 0.2f : c == (a * 7) % 80 ? 0.5f + a / 200.0f : 0.3f);
    }
    anchors.push_back(row);
  }
  auto t = FakeTensor::Quantized(DataType::kInt8, 1.0f / 200, -128, {1, 84, 81},
                                 AttributeMajor(anchors));
  YoloOptions opt;
  opt.units = BoxUnits::kInputPixels;
  opt.score_threshold = 0.4f;
  auto d = DecodeYolo(t.view(), YoloLayout::kV8, opt, NmsOptions{});
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_EQ(d->size(), 80u);
  for (int k = 0; k < 80; ++k) {  // best first: anchor 79 down to 0
    int a = 79 - k;
    EXPECT_EQ((*d)[k].class_id, (a * 7) % 80) << k;
    EXPECT_NEAR((*d)[k].score, 0.5f + a / 200.0f, 1e-5f) << k;
  }
  auto f = FakeTensor::Float({1, 84, 81}, AttributeMajor(anchors));
  d = DecodeYolo(f.view(), YoloLayout::kV8, opt, NmsOptions{});
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->size(), 80u);
  EXPECT_TRUE(Same((*d)[0], (79 * 7) % 80, 0.895f, {791, 1, 799, 9}));
}

// YOLOv5 layout in uint8 with scale 1/255, zero point 0 (as YOLOv5's exporter writes it) and a
// 255 x 255 input, so a stored box value is its pixel value. 2 classes, 3 anchors:
//   0: centre (128, 128) size 64 x 64 -> (96, 96, 160, 160); objectness 1.0, classes 0.2, 0.8:
//      class 1, 1.0 x 0.8
//   1: objectness 0.2, classes 1.0, 0: 0.2 < 0.25
//   2: centre (51, 102) size 51 x 255 -> (25.5, -25.5, 76.5, 229.5); objectness 0.6, classes tie
//      at 0.6: class 0, 0.36
std::vector<std::vector<float>> V5Anchors() {
  auto s = [](int q) { return static_cast<float>(q) / 255.0f; };
  return {{s(128), s(128), s(64), s(64), 1.0f, s(51), s(204)},
          {s(20), s(20), s(10), s(10), s(51), 1.0f, 0.0f},
          {s(51), s(102), s(51), 1.0f, s(153), s(153), s(153)}};
}

void ExpectV5Results(const TensorView& out, const YoloOptions& opt) {
  auto d = DecodeYolo(out, YoloLayout::kV5, opt, NmsOptions{DefaultYoloIou(YoloLayout::kV5)});
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_EQ(d->size(), 2u);
  EXPECT_TRUE(Same((*d)[0], 1, 0.8f, {96, 96, 160, 160}));
  EXPECT_TRUE(Same((*d)[1], 0, 0.36f, {25.5f, -25.5f, 76.5f, 229.5f}));
}

TEST(YoloV5, Uint8Normalized) {
  auto t =
      FakeTensor::Quantized(DataType::kUInt8, 1.0f / 255, 0, {1, 3, 7}, AnchorMajor(V5Anchors()));
  ASSERT_EQ(t.bytes[4], 255);  // objectness of anchor 0
  ExpectV5Results(t.view(), Input(255, 255));
  EXPECT_EQ(*GuessBoxUnits(t.view(), YoloLayout::kV5), BoxUnits::kNormalized);
}

TEST(YoloV5, FloatNormalizedAndPixels) {
  auto t = FakeTensor::Float({1, 3, 7}, AnchorMajor(V5Anchors()));
  ExpectV5Results(t.view(), Input(255, 255));
  // The same boxes in pixels: multiply the box columns by 255.
  auto rows = V5Anchors();
  for (auto& r : rows)
    for (int k = 0; k < 4; ++k) r[k] *= 255.0f;
  auto p = FakeTensor::Float({1, 3, 7}, AnchorMajor(rows));
  EXPECT_EQ(*GuessBoxUnits(p.view(), YoloLayout::kV5), BoxUnits::kInputPixels);
  YoloOptions opt;
  opt.units = BoxUnits::kInputPixels;
  ExpectV5Results(p.view(), opt);
}

TEST(YoloV5, ObjectnessTimesClassAgainstTheThreshold) {
  // Objectness 0.5 and class 0.5: 0.25 reaches 0.25; objectness 0.9 and class 0.2: 0.18 does not.
  auto t = FakeTensor::Float({1, 2, 6},
                             AnchorMajor({{10, 10, 4, 4, 0.5f, 0.5f}, {30, 30, 4, 4, 0.9f, 0.2f}}));
  YoloOptions opt;
  opt.units = BoxUnits::kInputPixels;
  auto c = FindYoloCandidates(t.view(), YoloLayout::kV5, 0, opt);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->anchors, (std::vector<int32_t>{0}));
  EXPECT_FLOAT_EQ(c->detections[0].score, 0.25f);
}

TEST(YoloV5, Int8WithOffsetZeroPoint) {
  // int8, scale 1/250, zero point -125: real r is stored as 250 r - 125.
  // Anchor 0: objectness 0.8, class 0.4: 0.32 >= 0.3; anchor 1: 0.5 x 0.5 = 0.25 < 0.3.
  auto t = FakeTensor::Quantized(
      DataType::kInt8, 1.0f / 250, -125, {1, 2, 6},
      AnchorMajor({{0.5f, 0.5f, 0.2f, 0.2f, 0.8f, 0.4f}, {0.1f, 0.1f, 0.1f, 0.1f, 0.5f, 0.5f}}));
  auto d = DecodeYolo(t.view(), YoloLayout::kV5, Input(50, 100, 0.3f), NmsOptions{});
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->size(), 1u);
  EXPECT_TRUE(Same((*d)[0], 0, 0.32f, {20, 40, 30, 60}));
}

TEST(YoloDecode, LabelsNameTheClasses) {
  auto labels = Labels::Parse("person\nbicycle\ncar\n", "coco.txt");
  ASSERT_TRUE(labels.ok());
  auto t = FakeTensor::Float({1, 7, 4}, AttributeMajor(V8Anchors()));
  YoloOptions opt = Input(100, 200);
  opt.labels = &*labels;
  auto d = DecodeYolo(t.view(), YoloLayout::kV8, opt, NmsOptions{});
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->size(), 3u);
  EXPECT_EQ((*d)[0].label, "bicycle");
  EXPECT_EQ((*d)[1].label, "car");
  EXPECT_EQ((*d)[2].label, "person");
}

TEST(YoloDecode, WrongShapesAndTypesAreErrorsNamingThem) {
  auto flat = FakeTensor::Float({84, 10}, std::vector<float>(840));
  auto e = DecodeYolo(flat.view(), YoloLayout::kV8, Input(10, 10), NmsOptions{});
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("[84, 10]"), std::string::npos) << e.error().message;
  EXPECT_NE(e.error().message.find("[1, 4 + C, N]"), std::string::npos) << e.error().message;

  auto no_class = FakeTensor::Float({1, 4, 10}, std::vector<float>(40));
  EXPECT_FALSE(DecodeYolo(no_class.view(), YoloLayout::kV8, Input(10, 10), NmsOptions{}).ok());
  auto v5_no_class = FakeTensor::Float({1, 10, 5}, std::vector<float>(50));
  e = DecodeYolo(v5_no_class.view(), YoloLayout::kV5, Input(10, 10), NmsOptions{});
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("[1, N, 5 + C]"), std::string::npos) << e.error().message;

  auto batch2 = FakeTensor::Float({2, 6, 10}, std::vector<float>(120));
  EXPECT_FALSE(DecodeYolo(batch2.view(), YoloLayout::kV8, Input(10, 10), NmsOptions{}).ok());

  auto int16 = FakeTensor::Float({1, 6, 10}, std::vector<float>(60));
  int16.type = DataType::kInt16;
  e = DecodeYolo(int16.view(), YoloLayout::kV8, Input(10, 10), NmsOptions{});
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("int16"), std::string::npos) << e.error().message;

  auto unquantized =
      FakeTensor::Quantized(DataType::kUInt8, 1.0f, 0, {1, 6, 2}, std::vector<float>(12));
  unquantized.quant = Quantization{};
  EXPECT_FALSE(DecodeYolo(unquantized.view(), YoloLayout::kV8, Input(10, 10), NmsOptions{}).ok());

  auto ok = FakeTensor::Float({1, 7, 4}, AttributeMajor(V8Anchors()));
  e = DecodeYolo(ok.view(), YoloLayout::kV8, YoloOptions{}, NmsOptions{});  // no input size
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("input's size"), std::string::npos);
  EXPECT_FALSE(FindYoloCandidates(ok.view(), YoloLayout::kV8, 4, Input(10, 10)).ok());
}

TEST(YoloDecode, DefaultIouPerFamily) {
  EXPECT_EQ(DefaultYoloIou(YoloLayout::kV5), 0.45f);
  EXPECT_EQ(DefaultYoloIou(YoloLayout::kV8), 0.7f);
}

}  // namespace
}  // namespace coralpi

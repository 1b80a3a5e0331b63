// The YOLO segmentation decoder on hand-made outputs and 2 x 2 prototypes: mask logits
// (coefficients . prototypes), the sign of the sigmoid's threshold, bilinear sampling at two
// mask sizes, the crop to the box, float and int8, NMS, and shape errors. Expected masks are
// worked out by hand from the formulas in yolo_segment.h.
#include "vision/yolo_segment.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "yolo_test_util.h"

namespace coralpi {
namespace {

using testing::AttributeMajor;
using testing::FakeTensor;

// Rows of a mask as "0"/"1" strings, for readable failures.
std::vector<std::string> Rows(const InstanceMask& m) {
  std::vector<std::string> rows;
  for (int y = 0; y < m.height; ++y) {
    std::string r;
    for (int x = 0; x < m.width; ++x)
      r += m.pixels[static_cast<size_t>(y) * m.width + x] ? '1' : '0';
    rows.push_back(r);
  }
  return rows;
}

// Prototypes [1, 2, 2, 2] ([y][x][k]): channel 0 is +1 in column 0 and -1 in column 1; channel
// 1 is -1 in row 0 and +1 in row 1.
std::vector<float> ProtoValues() { return {1, -1, -1, -1, 1, 1, -1, 1}; }

// Input 8 x 8, 2 classes, 2 coefficients, normalized boxes:
//   A: box (0, 0, 8, 8), class 0 at 0.9, coefficients (1, 0): logit = channel 0
//   B: box (0, 0, 6, 8), class 1 at 0.8, coefficients (0, 2): logit = 2 x channel 1
//   C: box (4, 0, 8, 8), class 0 at 0.7, coefficients (-1, 0): logit = -channel 0; IoU with A
//      is 0.5 (kept at 0.7)
std::vector<std::vector<float>> Anchors() {
  return {{0.5f, 0.5f, 1, 1, 0.9f, 0.1f, 1, 0},
          {0.375f, 0.5f, 0.75f, 1, 0.1f, 0.8f, 0, 2},
          {0.75f, 0.5f, 0.5f, 1, 0.7f, 0.0f, -1, 0}};
}

YoloOptions Input8() {
  YoloOptions o;
  o.input_width = 8;
  o.input_height = 8;
  return o;
}

// 4 x 4 masks: pixel x samples the 2-cell grid at x / 2 - 0.25 (clamped to 0..1), so columns
// get logits L0, 0.75 L0 + 0.25 L1, 0.25 L0 + 0.75 L1, L1 (and likewise rows); the pixel
// centres in input pixels are 1, 3, 5, 7.
//   A: +1, +0.5, -0.5, -1 along x: 1100 on every row.
//   B: along y -2, -1, +1, +2: rows 2 and 3; centre 7 is outside the box's 0..6: 1110.
//   C: -1, -0.5, +0.5, +1 along x, and its box starts at 4: 0011.
void ExpectMasks(const TensorView& out, const TensorView& protos) {
  auto s = DecodeYoloSegmentation(out, protos, Input8(), NmsOptions{}, 4, 4);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->size(), 3u);
  EXPECT_EQ((*s)[0].detection.class_id, 0);
  EXPECT_NEAR((*s)[0].detection.score, 0.9f, 1e-5f);
  EXPECT_EQ((*s)[0].detection.label, "class 0");
  EXPECT_EQ(Rows((*s)[0].mask), (std::vector<std::string>{"1100", "1100", "1100", "1100"}));
  EXPECT_EQ((*s)[1].detection.class_id, 1);
  EXPECT_NEAR((*s)[1].detection.box.xmax, 6.0f, 1e-4f);
  EXPECT_EQ(Rows((*s)[1].mask), (std::vector<std::string>{"0000", "0000", "1110", "1110"}));
  EXPECT_EQ((*s)[2].detection.class_id, 0);
  EXPECT_EQ(Rows((*s)[2].mask), (std::vector<std::string>{"0011", "0011", "0011", "0011"}));
}

TEST(YoloSegment, FloatMasks) {
  auto out = FakeTensor::Float({1, 8, 3}, AttributeMajor(Anchors()));
  auto protos = FakeTensor::Float({1, 2, 2, 2}, ProtoValues());
  ExpectMasks(out.view(), protos.view());
}

// Output int8 scale 1/40, zero point -64 (reals -1.6..4.775); prototypes int8 scale 0.5, zero point
// 0: every value is a whole number of steps.
TEST(YoloSegment, Int8Masks) {
  auto out =
      FakeTensor::Quantized(DataType::kInt8, 1.0f / 40, -64, {1, 8, 3}, AttributeMajor(Anchors()));
  auto protos = FakeTensor::Quantized(DataType::kInt8, 0.5f, 0, {1, 2, 2, 2}, ProtoValues());
  ASSERT_EQ(static_cast<int8_t>(protos.bytes[1]), -2);
  ASSERT_EQ(static_cast<int8_t>(out.bytes[6 * 3 + 2]), -104);  // C's coefficient -1
  ExpectMasks(out.view(), protos.view());
}

// An 8 x 8 mask samples at x / 4 - 0.375: logits of A along x are +1, +1, +0.75, +0.25, -0.25,
// -0.75, -1, -1: 11110000.
TEST(YoloSegment, MaskSizeOfTheCaller) {
  auto out = FakeTensor::Float({1, 8, 1}, AttributeMajor({Anchors()[0]}));
  auto protos = FakeTensor::Float({1, 2, 2, 2}, ProtoValues());
  auto s = DecodeYoloSegmentation(out.view(), protos.view(), Input8(), NmsOptions{}, 8, 8);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->size(), 1u);
  EXPECT_EQ((*s)[0].mask.width, 8);
  EXPECT_EQ(Rows((*s)[0].mask), std::vector<std::string>(8, "11110000"));
}

TEST(YoloSegment, AgnosticNmsDropsTheOverlappingMask) {
  // B overlaps A by 48 / 64 = 0.75 > 0.7 once classes do not matter.
  auto out = FakeTensor::Float({1, 8, 3}, AttributeMajor(Anchors()));
  auto protos = FakeTensor::Float({1, 2, 2, 2}, ProtoValues());
  NmsOptions nms;
  nms.agnostic = true;
  auto s = DecodeYoloSegmentation(out.view(), protos.view(), Input8(), nms, 4, 4);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 2u);
  EXPECT_NEAR((*s)[1].detection.score, 0.7f, 1e-6f);
}

TEST(YoloSegment, EmptyAndErrors) {
  auto out = FakeTensor::Float({1, 8, 3}, AttributeMajor(Anchors()));
  auto protos = FakeTensor::Float({1, 2, 2, 2}, ProtoValues());
  YoloOptions high = Input8();
  high.score_threshold = 0.95f;
  auto none = DecodeYoloSegmentation(out.view(), protos.view(), high, NmsOptions{}, 4, 4);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  auto flat = FakeTensor::Float({2, 2, 2}, std::vector<float>(8));
  auto e = DecodeYoloSegmentation(out.view(), flat.view(), Input8(), NmsOptions{}, 4, 4);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("[2, 2, 2]"), std::string::npos) << e.error().message;

  auto wide = FakeTensor::Float({1, 2, 2, 4}, std::vector<float>(16));  // 4 + C + 4 = 8: C = 0
  e = DecodeYoloSegmentation(out.view(), wide.view(), Input8(), NmsOptions{}, 4, 4);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("[1, 8, 3]"), std::string::npos) << e.error().message;

  auto int16 = FakeTensor::Float({1, 2, 2, 2}, ProtoValues());
  int16.type = DataType::kInt16;
  EXPECT_FALSE(DecodeYoloSegmentation(out.view(), int16.view(), Input8(), NmsOptions{}, 4, 4).ok());
  EXPECT_FALSE(
      DecodeYoloSegmentation(out.view(), protos.view(), YoloOptions{}, NmsOptions{}, 4, 4).ok());
  EXPECT_FALSE(
      DecodeYoloSegmentation(out.view(), protos.view(), Input8(), NmsOptions{}, 0, 4).ok());
}

}  // namespace
}  // namespace coralpi

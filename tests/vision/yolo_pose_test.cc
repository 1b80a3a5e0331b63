// The YOLO pose decoder on hand-made outputs: several people, NMS between overlapping ones,
// normalized float and quantized pixel keypoints, COCO names for 17 keypoints, shape errors.
// Expected values are worked out by hand from the layout in yolo_pose.h.
#include "vision/yolo_pose.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "yolo_test_util.h"

namespace coralpi {
namespace {

using testing::AttributeMajor;
using testing::FakeTensor;

void ExpectKeypoint(const Keypoint& k, const std::string& name, float x, float y, float score) {
  EXPECT_EQ(k.name, name);
  EXPECT_NEAR(k.x, x, 1e-4f) << name;
  EXPECT_NEAR(k.y, y, 1e-4f) << name;
  EXPECT_NEAR(k.score, score, 1e-6f) << name;
}

// K = 2, input 100 x 50, normalized:
//   0: box (30, 15, 70, 35), score 0.9; keypoints (40, 30) vis 0.95, (60, 10) vis 0.1
//   1: box (32, 15, 72, 35), score 0.8: IoU with 0 is 760 / 840 = 0.90: suppressed
//   2: box (5, 5, 15, 15), score 0.5; keypoints (10, 10) vis 0.5, (12, 11) vis 0.7
//   3: score 0.2: under the threshold
TEST(YoloPose, SeveralPeopleFloatNormalized) {
  auto t = FakeTensor::Float(
      {1, 11, 4},
      AttributeMajor({{0.5f, 0.5f, 0.4f, 0.4f, 0.9f, 0.4f, 0.6f, 0.95f, 0.6f, 0.2f, 0.1f},
                      {0.52f, 0.5f, 0.4f, 0.4f, 0.8f, 0.4f, 0.6f, 0.9f, 0.6f, 0.2f, 0.1f},
                      {0.1f, 0.2f, 0.1f, 0.2f, 0.5f, 0.1f, 0.2f, 0.5f, 0.12f, 0.22f, 0.7f},
                      {0.8f, 0.8f, 0.1f, 0.1f, 0.2f, 0.8f, 0.8f, 0.9f, 0.8f, 0.8f, 0.9f}}));
  YoloOptions opt;
  opt.input_width = 100;
  opt.input_height = 50;
  auto people = DecodeYoloPose(t.view(), 2, opt, NmsOptions{});
  ASSERT_TRUE(people.ok()) << people.error().message;
  ASSERT_EQ(people->size(), 2u);
  const PersonPose& a = (*people)[0];
  EXPECT_EQ(a.detection.label, "person");
  EXPECT_FLOAT_EQ(a.detection.score, 0.9f);
  EXPECT_NEAR(a.detection.box.xmin, 30, 1e-4f);
  EXPECT_NEAR(a.detection.box.ymax, 35, 1e-4f);
  ASSERT_EQ(a.keypoints.size(), 2u);
  ExpectKeypoint(a.keypoints[0], "keypoint 0", 40, 30, 0.95f);
  ExpectKeypoint(a.keypoints[1], "keypoint 1", 60, 10, 0.1f);
  const PersonPose& b = (*people)[1];
  EXPECT_FLOAT_EQ(b.detection.score, 0.5f);
  EXPECT_NEAR(b.detection.box.xmin, 5, 1e-4f);
  EXPECT_NEAR(b.detection.box.ymin, 5, 1e-4f);
  ExpectKeypoint(b.keypoints[0], "keypoint 0", 10, 10, 0.5f);
  ExpectKeypoint(b.keypoints[1], "keypoint 1", 12, 11, 0.7f);
}

// K = 17 in uint8, scale 0.5, zero point 0, pixel units: keypoint k at (2k + 1, 100 - 2k),
// visibility 0.5 (k % 3). One person, box (30, 20, 70, 80), score 1.
TEST(YoloPose, SeventeenCocoKeypointsQuantizedPixels) {
  std::vector<float> person = {50, 50, 40, 60, 1.0f};
  for (int k = 0; k < 17; ++k) {
    person.push_back(2.0f * k + 1);
    person.push_back(100.0f - 2.0f * k);
    person.push_back(0.5f * (k % 3));
  }
  auto t = FakeTensor::Quantized(DataType::kUInt8, 0.5f, 0, {1, 56, 1}, AttributeMajor({person}));
  YoloOptions opt;
  opt.units = BoxUnits::kInputPixels;
  auto people = DecodeYoloPose(t.view(), 17, opt, NmsOptions{});
  ASSERT_TRUE(people.ok()) << people.error().message;
  ASSERT_EQ(people->size(), 1u);
  const PersonPose& p = (*people)[0];
  EXPECT_EQ(p.detection.box, (BoundingBox{30, 20, 70, 80}));
  ASSERT_EQ(p.keypoints.size(), 17u);
  ExpectKeypoint(p.keypoints[0], "nose", 1, 100, 0.0f);
  ExpectKeypoint(p.keypoints[5], "left_shoulder", 11, 90, 1.0f);
  ExpectKeypoint(p.keypoints[16], "right_ankle", 33, 68, 0.5f);
}

TEST(YoloPose, NobodyAndWrongShapes) {
  auto t = FakeTensor::Float({1, 11, 1}, AttributeMajor({{5, 5, 2, 2, 0.1f, 1, 1, 1, 2, 2, 1}}));
  YoloOptions opt;
  opt.units = BoxUnits::kInputPixels;
  auto none = DecodeYoloPose(t.view(), 2, opt, NmsOptions{});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto e = DecodeYoloPose(t.view(), 17, opt, NmsOptions{});
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("[1, 11, 1]"), std::string::npos) << e.error().message;
  EXPECT_NE(e.error().message.find("56"), std::string::npos) << e.error().message;
  auto flat = FakeTensor::Float({11, 1}, std::vector<float>(11));
  EXPECT_FALSE(DecodeYoloPose(flat.view(), 2, opt, NmsOptions{}).ok());
  EXPECT_FALSE(DecodeYoloPose(t.view(), 0, opt, NmsOptions{}).ok());
}

}  // namespace
}  // namespace coralpi

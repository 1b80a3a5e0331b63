// MoveNet keypoints on hand-made outputs: names, order, mapping to image pixels (stretch and
// letterbox), clamping, quantized outputs and bad shapes.
#include "vision/pose.h"

#include <gtest/gtest.h>

#include <set>

namespace coralpi {
namespace {

std::vector<float> Rows(float y, float x, float score) {
  std::vector<float> v;
  for (int i = 0; i < kPoseKeypoints; ++i) v.insert(v.end(), {y, x, score});
  return v;
}

TEST(Pose, NamesAndSkeleton) {
  EXPECT_STREQ(KeypointNames()[0], "nose");
  EXPECT_STREQ(KeypointNames()[5], "left_shoulder");
  EXPECT_STREQ(KeypointNames()[16], "right_ankle");
  // Every keypoint is on the skeleton, every bone joins two different keypoints.
  std::set<int> used;
  for (auto [a, b] : SkeletonEdges()) {
    EXPECT_NE(a, b);
    used.insert(a);
    used.insert(b);
  }
  EXPECT_EQ(used.size(), 17u);
  EXPECT_EQ(SkeletonEdges().size(), 16u);
}

TEST(Pose, StretchMapsNormalizedToPixels) {
  std::vector<float> v = Rows(0.5f, 0.25f, 0.8f);
  v[3 * 9] = 0.1f;  // left_wrist y
  v[3 * 9 + 1] = 0.9f;
  auto k = DecodePose(v, MakeInputTransform(640, 480, 192, 192, ResizeMode::kStretch));
  ASSERT_TRUE(k.ok()) << k.error().message;
  ASSERT_EQ(k->size(), 17u);
  EXPECT_EQ((*k)[0].name, "nose");
  EXPECT_NEAR((*k)[0].x, 160, 1e-3);
  EXPECT_NEAR((*k)[0].y, 240, 1e-3);
  EXPECT_FLOAT_EQ((*k)[0].score, 0.8f);
  EXPECT_EQ((*k)[9].name, "left_wrist");
  EXPECT_NEAR((*k)[9].x, 576, 1e-3);
  EXPECT_NEAR((*k)[9].y, 48, 1e-3);
}

TEST(Pose, LetterboxAndClamping) {
  // 300x600 (tall) into 192x192: the image covers columns 48..144 (normalized 0.25..0.75).
  std::vector<float> v = Rows(0.5f, 0.5f, 1.0f);
  v[1] = 0.25f;  // nose at the image's left edge
  v[4] = 0.1f;   // left_eye in the padding: clamped to x = 0
  v[6] = 1.2f;   // right_eye y below the input: clamped to the bottom
  auto k = DecodePose(v, MakeInputTransform(300, 600, 192, 192, ResizeMode::kLetterbox));
  ASSERT_TRUE(k.ok());
  EXPECT_NEAR((*k)[0].x, 0, 1e-3);
  EXPECT_NEAR((*k)[0].y, 300, 1e-3);
  EXPECT_NEAR((*k)[5].x, 150, 1e-3);
  EXPECT_EQ((*k)[1].x, 0.0f);
  EXPECT_EQ((*k)[2].y, 600.0f);
}

TEST(Pose, ReadsFloatAndQuantizedOutputs) {
  std::vector<float> v = Rows(0.5f, 0.5f, 0.5f);
  TensorView f{DataType::kFloat32, {1, 1, 17, 3}, nullptr, v.data()};
  auto k = ReadPose(f, MakeInputTransform(100, 100, 100, 100, ResizeMode::kStretch));
  ASSERT_TRUE(k.ok());
  EXPECT_NEAR((*k)[16].x, 50, 1e-3);
  Quantization q{{1.0f / 200}, {0}, 0};
  std::vector<uint8_t> u(51, 100);  // 0.5 each
  TensorView qu{DataType::kUInt8, {1, 1, 17, 3}, &q, u.data()};
  k = ReadPose(qu, MakeInputTransform(100, 100, 100, 100, ResizeMode::kStretch));
  ASSERT_TRUE(k.ok());
  EXPECT_NEAR((*k)[3].y, 50, 1e-3);
  EXPECT_NEAR((*k)[3].score, 0.5, 1e-6);
}

TEST(Pose, BadShapesAreErrors) {
  std::vector<float> v(51 * 6);
  TensorView multi{DataType::kFloat32, {1, 6, 56}, nullptr, v.data()};  // MoveNet multipose
  auto k = ReadPose(multi, {});
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().message,
            "the pose output is float32 [1, 6, 56]; expected MoveNet's [1, 1, 17, 3] (y, x, "
            "score)");
  EXPECT_FALSE(DecodePose(std::span<const float>(v.data(), 50), {}).ok());
}

}  // namespace
}  // namespace coralpi

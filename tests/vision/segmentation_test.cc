// Segmentation on hand-made outputs: ids from ARG_MAX (int32, int64), argmax over uint8 /
// int8 / float scores, nearest-neighbour mapping back to the image (stretch and letterbox),
// per-class counts, and clear errors for other shapes.
#include "vision/segmentation.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace coralpi {
namespace {

TEST(Segmentation, ArgMaxOfScoresPerCell) {
  // 1x2 cells, 3 classes; ties go to the lower class.
  std::vector<float> f = {0.1f, 0.7f, 0.2f, 0.5f, -1.0f, 0.5f};
  auto m = ArgMaxClasses<float>(f, 1, 2, 3);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->classes, (std::vector<int32_t>{1, 0}));
  std::vector<int8_t> i8 = {-128, -5, -7, 100, 3, 101};
  EXPECT_EQ(ArgMaxClasses<int8_t>(i8, 2, 1, 3)->classes, (std::vector<int32_t>{1, 2}));
  std::vector<uint8_t> u8 = {0, 0, 255, 200, 100, 0};
  EXPECT_EQ(ArgMaxClasses<uint8_t>(u8, 1, 2, 3)->classes, (std::vector<int32_t>{2, 0}));
  EXPECT_FALSE(ArgMaxClasses<uint8_t>(u8, 2, 2, 3).ok());  // 6 values for 12
}

TEST(Segmentation, IdsFromArgMaxOutputs) {
  std::vector<int64_t> ids = {0, 3, 3, 15};
  auto m = ClassIdMap<int64_t>(ids, 2, 2);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, (SegmentationMap{2, 2, {0, 3, 3, 15}}));
  ids[1] = -1;
  EXPECT_FALSE(ClassIdMap<int64_t>(ids, 2, 2).ok());
  ids[1] = int64_t{1} << 40;
  EXPECT_FALSE(ClassIdMap<int64_t>(ids, 2, 2).ok());
  std::vector<int32_t> ids32 = {4, 5};
  EXPECT_EQ(ClassIdMap<int32_t>(ids32, 1, 2)->classes, (std::vector<int32_t>{4, 5}));
  EXPECT_FALSE(ClassIdMap<int32_t>(ids32, 2, 2).ok());
}

TEST(Segmentation, ReadsEachOutputKind) {
  std::vector<int32_t> ids = {1, 2, 3, 4, 5, 6};
  TensorView v{DataType::kInt32, {1, 2, 3}, nullptr, ids.data()};
  auto m = ReadSegmentation(v);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->width, 3);
  EXPECT_EQ(m->height, 2);
  EXPECT_EQ(m->classes, ids);
  EXPECT_EQ(SegmentationClassCount(v), 0);

  Quantization q{{0.1f}, {10}, 0};
  std::vector<uint8_t> logits = {5, 9, 200, 1};  // 2 cells x 2 classes
  TensorView l{DataType::kUInt8, {1, 1, 2, 2}, &q, logits.data()};
  m = ReadSegmentation(l);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->classes, (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(SegmentationClassCount(l), 2);
}

TEST(Segmentation, OtherShapesAndTypesAreClearErrors) {
  std::vector<float> f(10);
  TensorView v{DataType::kFloat32, {1, 10}, nullptr, f.data()};
  auto m = ReadSegmentation(v);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message,
            "the segmentation output is float32 [1, 10]; expected class ids [1, H, W] (int32 or "
            "int64) or class scores [1, H, W, C] (uint8, int8 or float32)");
  TensorView ids_as_float{DataType::kFloat32, {1, 2, 5}, nullptr, f.data()};
  EXPECT_FALSE(ReadSegmentation(ids_as_float).ok());
  std::vector<int16_t> s(8);
  TensorView i16{DataType::kInt16, {1, 2, 2, 2}, nullptr, s.data()};
  EXPECT_FALSE(ReadSegmentation(i16).ok());
}

TEST(Segmentation, MapsBackToTheImageByNearestNeighbour) {
  // A 2x2 map over a 4x4 input, stretched from an 8x6 image: each cell covers 4x3 pixels.
  SegmentationMap m{2, 2, {1, 2, 3, 4}};
  InputTransform t = MakeInputTransform(8, 6, 4, 4, ResizeMode::kStretch);
  SegmentationMap out = MapToImage(m, t);
  ASSERT_EQ(out.width, 8);
  ASSERT_EQ(out.height, 6);
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 8; ++x) {
      int want = (y < 3 ? 1 : 3) + (x < 4 ? 0 : 1);
      EXPECT_EQ(out.classes[static_cast<size_t>(y * 8 + x)], want) << x << "," << y;
    }
}

TEST(Segmentation, LetterboxPaddingIsNotMappedBack) {
  // 8x4 image letterboxed into a 4x4 input (rows 1..2 hold it); a 4x4 map whose padding rows
  // say class 9: no image pixel may get class 9.
  SegmentationMap m{4, 4, {9, 9, 9, 9, 1, 1, 2, 2, 3, 3, 4, 4, 9, 9, 9, 9}};
  InputTransform t = MakeInputTransform(8, 4, 4, 4, ResizeMode::kLetterbox);
  SegmentationMap out = MapToImage(m, t);
  ASSERT_EQ(out.classes.size(), 32u);
  EXPECT_EQ(out.classes[0], 1);
  EXPECT_EQ(out.classes[7], 2);
  EXPECT_EQ(out.classes[2 * 8], 3);
  EXPECT_EQ(out.classes[31], 4);
  EXPECT_EQ(std::count(out.classes.begin(), out.classes.end(), 9), 0);
}

TEST(Segmentation, SameSizeIsTheIdentity) {
  SegmentationMap m{3, 2, {0, 1, 2, 3, 4, 5}};
  EXPECT_EQ(MapToImage(m, MakeInputTransform(3, 2, 3, 2, ResizeMode::kStretch)), m);
}

TEST(Segmentation, CountsMostPixelsFirst) {
  SegmentationMap m{3, 3, {0, 0, 0, 0, 3, 3, 15, 3, 7}};
  std::vector<ClassCount> want = {{0, 4}, {3, 3}, {7, 1}, {15, 1}};
  EXPECT_EQ(CountClasses(m), want);
  EXPECT_TRUE(CountClasses(SegmentationMap{}).empty());
}

}  // namespace
}  // namespace coralpi

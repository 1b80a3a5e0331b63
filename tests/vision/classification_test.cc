// Top-k, output scores and label files, on plain data (no model).
#include "vision/classification.h"

#include <gtest/gtest.h>

namespace coralpi {
namespace {

TEST(TopKTest, BestFirstWithThresholdAndStableTies) {
  std::vector<float> scores = {0.1f, 0.5f, 0.2f, 0.5f, 0.05f};
  std::vector<Class> top = TopK(scores, 3, 0.0f);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0], (Class{1, 0.5f}));
  EXPECT_EQ(top[1], (Class{3, 0.5f}));  // equal score: lower index first
  EXPECT_EQ(top[2], (Class{2, 0.2f}));
  EXPECT_EQ(TopK(scores, 10, 0.15f).size(), 3u);
  EXPECT_TRUE(TopK(scores, 5, 0.9f).empty());
  EXPECT_TRUE(TopK(scores, 0, 0.0f).empty());
}

TEST(OutputScoresTest, DequantizesUint8AndInt8) {
  Quantization q{{0.5f}, {10}, 0};
  uint8_t u[3] = {10, 12, 0};
  TensorView tu{DataType::kUInt8, {1, 3}, &q, u};
  auto s = OutputScores(tu);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (std::vector<float>{0.0f, 1.0f, -5.0f}));
  Quantization qi{{0.25f}, {-128}, 0};
  int8_t i[2] = {-128, 0};
  TensorView ti{DataType::kInt8, {2}, &qi, i};
  EXPECT_EQ(*OutputScores(ti), (std::vector<float>{0.0f, 32.0f}));
  int32_t bad[1] = {0};
  EXPECT_FALSE(OutputScores(TensorView{DataType::kInt32, {1}, nullptr, bad}).ok());
}

TEST(LabelsTest, OneLabelPerLine) {
  auto l = Labels::Parse("background\ntench\r\ngoldfish\n\n", "l.txt");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->size(), 3u);
  EXPECT_EQ(l->Get(1), "tench");
  EXPECT_EQ(l->Get(7), "class 7");
}

TEST(LabelsTest, IdLabelLines) {
  auto l = Labels::Parse("0 person\n2  car\n5: dog\n", "coco.txt");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->Get(0), "person");
  EXPECT_EQ(l->Get(2), "car");
  EXPECT_EQ(l->Get(5), "dog");
  EXPECT_EQ(l->Get(1), "class 1");
  EXPECT_EQ(l->size(), 6u);
}

TEST(LabelsTest, LabelsThatStartWithDigitsButNotAllLinesAreIds) {
  auto l = Labels::Parse("background\n3 wheeler\n", "x.txt");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->Get(1), "3 wheeler");
}

TEST(LabelsTest, DuplicateIdIsAnError) {
  auto l = Labels::Parse("1 cat\n1 dog\n", "dup.txt");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().message, "dup.txt:2: class 1 is labelled twice");
}

TEST(LabelsTest, EmptyFileAndCoverage) {
  EXPECT_FALSE(Labels::Parse("\n\n", "e.txt").ok());
  auto l = Labels::Parse("a\nb\n", "two.txt");
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(l->CheckCovers(2).ok());
  auto e = l->CheckCovers(3);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "two.txt: has labels for 2 classes but the model has 3");
}

}  // namespace
}  // namespace coralpi

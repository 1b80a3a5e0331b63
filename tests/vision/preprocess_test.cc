// Image -> input tensor conventions, on hand-made images.
#include "vision/preprocess.h"

#include <gtest/gtest.h>

namespace coralpi {
namespace {

Image Solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
  Image img{w, h, std::vector<uint8_t>(static_cast<size_t>(w * h * 3))};
  for (size_t i = 0; i < img.rgb.size(); i += 3) {
    img.rgb[i] = r;
    img.rgb[i + 1] = g;
    img.rgb[i + 2] = b;
  }
  return img;
}

TEST(PreprocessTest, Uint8InputGetsThePixelsAsTheyAre) {
  Quantization q{{1.0f / 128}, {128}, 0};
  std::vector<uint8_t> buf(2 * 2 * 3);
  TensorView in{DataType::kUInt8, {1, 2, 2, 3}, &q, buf.data()};
  ASSERT_TRUE(FillImageInput(Solid(4, 4, 10, 200, 255), in).ok());
  EXPECT_EQ(buf[0], 10);
  EXPECT_EQ(buf[1], 200);
  EXPECT_EQ(buf[2], 255);
}

TEST(PreprocessTest, Int8InputGetsPixelMinus128) {
  Quantization q{{1.0f / 128}, {0}, 0};
  std::vector<int8_t> buf(3);
  TensorView in{DataType::kInt8, {1, 1, 1, 3}, &q, buf.data()};
  ASSERT_TRUE(FillImageInput(Solid(1, 1, 0, 128, 255), in).ok());
  EXPECT_EQ(buf, (std::vector<int8_t>{-128, 0, 127}));
}

TEST(PreprocessTest, FloatInputIsNormalizedToMinusOneOne) {
  std::vector<float> buf(3);
  TensorView in{DataType::kFloat32, {1, 1, 1, 3}, nullptr, buf.data()};
  ASSERT_TRUE(FillImageInput(Solid(1, 1, 0, 255, 51), in).ok());
  EXPECT_FLOAT_EQ(buf[0], -1.0f);
  EXPECT_FLOAT_EQ(buf[1], 1.0f);
  EXPECT_FLOAT_EQ(buf[2], (51 - 127.5f) / 127.5f);
}

TEST(PreprocessTest, ExplicitNormalizationIsQuantizedWithTheTensorsParameters) {
  // real = (p - 100) / 50; q = round(real / 0.5) + 3.
  Quantization q{{0.5f}, {3}, 0};
  std::vector<uint8_t> buf(3);
  TensorView in{DataType::kUInt8, {1, 1, 1, 3}, &q, buf.data()};
  PreprocessOptions opt;
  opt.normalization = Normalization{100.0f, 50.0f};
  ASSERT_TRUE(FillImageInput(Solid(1, 1, 100, 150, 0), in, opt).ok());
  EXPECT_EQ(buf, (std::vector<uint8_t>{3, 5, 0}));  // 0+3, 2+3, -4+3 clamped to 0
}

TEST(PreprocessTest, RejectsNonImageInputs) {
  std::vector<float> buf(10);
  TensorView vec{DataType::kFloat32, {1, 10}, nullptr, buf.data()};
  EXPECT_FALSE(CheckImageInput(vec).ok());
  TensorView four{DataType::kFloat32, {1, 1, 1, 4}, nullptr, buf.data()};
  EXPECT_FALSE(CheckImageInput(four).ok());
  TensorView noquant{DataType::kUInt8, {1, 1, 1, 3}, nullptr, buf.data()};
  EXPECT_FALSE(CheckImageInput(noquant).ok());
}

TEST(PreprocessTest, OnePixelImagesAreRefusedWhenResizing) {
  Quantization q{{1.0f}, {0}, 0};
  std::vector<uint8_t> buf(2 * 2 * 3);
  TensorView in{DataType::kUInt8, {1, 2, 2, 3}, &q, buf.data()};
  EXPECT_FALSE(FillImageInput(Solid(1, 1, 1, 2, 3), in).ok());
}

}  // namespace
}  // namespace coralpi

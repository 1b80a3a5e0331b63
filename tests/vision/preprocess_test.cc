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
  TensorView noquant{DataType::kInt8, {1, 1, 1, 3}, nullptr, buf.data()};
  EXPECT_FALSE(CheckImageInput(noquant).ok());
}

TEST(PreprocessTest, Uint8InputWithoutQuantizationTakesRawPixels) {
  // MoveNet: uint8 [1, 192, 192, 3] with no scale; it casts the pixels itself.
  std::vector<uint8_t> buf(3);
  TensorView in{DataType::kUInt8, {1, 1, 1, 3}, nullptr, buf.data()};
  ASSERT_TRUE(FillImageInput(Solid(1, 1, 7, 8, 9), in).ok());
  EXPECT_EQ(buf, (std::vector<uint8_t>{7, 8, 9}));
  PreprocessOptions opt;
  opt.normalization = Normalization{};
  EXPECT_FALSE(FillImageInput(Solid(1, 1, 7, 8, 9), in, opt).ok());
}

// The value at pixel (x, y), channel c, of a [1, H, W, 3] buffer.
template <typename T>
T At(const std::vector<T>& buf, int w, int x, int y, int c) {
  return buf[static_cast<size_t>((y * w + x) * 3 + c)];
}

TEST(PreprocessTest, LetterboxPadsWithTheQuantizedZero) {
  // 8x4 red image into 4x4: rows 1 and 2 hold it, rows 0 and 3 are padding.
  Quantization q{{1.0f / 128}, {128}, 0};  // [-1, 1]: real 0 is 128, mid-grey
  std::vector<uint8_t> buf(4 * 4 * 3);
  TensorView in{DataType::kUInt8, {1, 4, 4, 3}, &q, buf.data()};
  PreprocessOptions opt;
  opt.resize = ResizeMode::kLetterbox;
  ASSERT_TRUE(FillImageInput(Solid(8, 4, 250, 0, 0), in, opt).ok());
  for (int x = 0; x < 4; ++x) {
    EXPECT_EQ(At(buf, 4, x, 0, 0), 128);
    EXPECT_EQ(At(buf, 4, x, 0, 1), 128);
    EXPECT_EQ(At(buf, 4, x, 1, 0), 250);
    EXPECT_EQ(At(buf, 4, x, 2, 1), 0);
    EXPECT_EQ(At(buf, 4, x, 3, 2), 128);
  }
  // int8 with zero point -5 pads with -5; float pads with 0.0; raw uint8 with 0 (black).
  Quantization q8{{0.01f}, {-5}, 0};
  std::vector<int8_t> b8(4 * 4 * 3);
  TensorView in8{DataType::kInt8, {1, 4, 4, 3}, &q8, b8.data()};
  ASSERT_TRUE(FillImageInput(Solid(8, 4, 250, 0, 0), in8, opt).ok());
  EXPECT_EQ(At(b8, 4, 2, 0, 0), -5);
  EXPECT_EQ(At(b8, 4, 2, 1, 0), 250 - 128);
  std::vector<float> bf(4 * 4 * 3, 9.0f);
  TensorView inf{DataType::kFloat32, {1, 4, 4, 3}, nullptr, bf.data()};
  ASSERT_TRUE(FillImageInput(Solid(8, 4, 255, 0, 0), inf, opt).ok());
  EXPECT_EQ(At(bf, 4, 0, 3, 2), 0.0f);
  EXPECT_EQ(At(bf, 4, 0, 2, 0), 1.0f);
  std::vector<uint8_t> raw(4 * 4 * 3, 99);
  TensorView inraw{DataType::kUInt8, {1, 4, 4, 3}, nullptr, raw.data()};
  ASSERT_TRUE(FillImageInput(Solid(4, 8, 0, 200, 0), inraw, opt).ok());  // tall: columns 1, 2
  EXPECT_EQ(At(raw, 4, 0, 1, 1), 0);
  EXPECT_EQ(At(raw, 4, 1, 1, 1), 200);
  EXPECT_EQ(At(raw, 4, 3, 1, 1), 0);
}

TEST(PreprocessTest, TransformOfEachMode) {
  // 640x480 into 300x300. Stretch: x * 300/640, y * 300/480.
  InputTransform s = MakeInputTransform(640, 480, 300, 300, ResizeMode::kStretch);
  EXPECT_DOUBLE_EQ(s.scale_x, 300.0 / 640);
  EXPECT_DOUBLE_EQ(s.scale_y, 300.0 / 480);
  EXPECT_EQ(s.offset_x, 0.0);
  EXPECT_FLOAT_EQ(s.ImageX(150), 320);
  EXPECT_FLOAT_EQ(s.NormalizedToImageY(1.0f), 480);
  // Letterbox: 300 wide, 300 * 480 / 640 = 225 rows, starting at row 37.
  InputTransform l = MakeInputTransform(640, 480, 300, 300, ResizeMode::kLetterbox);
  EXPECT_DOUBLE_EQ(l.scale_x, 300.0 / 640);
  EXPECT_DOUBLE_EQ(l.scale_y, 225.0 / 480);
  EXPECT_DOUBLE_EQ(l.offset_y, 37);
  EXPECT_FLOAT_EQ(l.ImageY(37), 0);
  EXPECT_FLOAT_EQ(l.ImageY(37 + 225), 480);
  EXPECT_FLOAT_EQ(l.NormalizedToImageX(0.5f), 320);
  // Centre crop: the middle 480x480 (columns 80..559) fills the input.
  InputTransform c = MakeInputTransform(640, 480, 300, 300, ResizeMode::kCenterCrop);
  EXPECT_FLOAT_EQ(c.ImageX(0), 80);
  EXPECT_FLOAT_EQ(c.ImageX(300), 560);
  // Same size: the identity.
  InputTransform id = MakeInputTransform(300, 300, 300, 300, ResizeMode::kLetterbox);
  EXPECT_EQ(id.scale_x, 1.0);
  EXPECT_EQ(id.offset_y, 0.0);
}

TEST(PreprocessTest, TransformRoundTrips) {
  for (ResizeMode mode : {ResizeMode::kStretch, ResizeMode::kLetterbox, ResizeMode::kCenterCrop}) {
    for (auto [w, h] : {std::pair{640, 480}, std::pair{123, 457}, std::pair{300, 300}}) {
      InputTransform t = MakeInputTransform(w, h, 192, 192, mode);
      for (float v : {0.0f, 1.0f, 17.5f, 100.25f}) {
        EXPECT_NEAR(t.ImageX(t.InputX(v)), v, 1e-3) << ToString(t);
        EXPECT_NEAR(t.InputY(t.ImageY(v)), v, 1e-3) << ToString(t);
      }
    }
  }
}

TEST(PreprocessTest, FillImageInputMappedReportsTheTransformUsed) {
  // A white square on black, letterboxed: the square's edges in the input map back to the
  // square's edges in the image, within a pixel.
  Image img = Solid(200, 100, 0, 0, 0);
  for (int y = 40; y < 60; ++y)
    for (int x = 120; x < 160; ++x)
      for (int c = 0; c < 3; ++c) img.rgb[static_cast<size_t>((y * 200 + x) * 3 + c)] = 255;
  Quantization q{{1.0f}, {0}, 0};
  std::vector<uint8_t> buf(50 * 50 * 3);
  TensorView in{DataType::kUInt8, {1, 50, 50, 3}, &q, buf.data()};
  PreprocessOptions opt;
  opt.resize = ResizeMode::kLetterbox;
  auto t = FillImageInputMapped(img, in, opt);
  ASSERT_TRUE(t.ok()) << t.error().message;
  int x0 = 50, x1 = -1, y0 = 50, y1 = -1;
  for (int y = 0; y < 50; ++y)
    for (int x = 0; x < 50; ++x)
      if (At(buf, 50, x, y, 0) > 127) {
        x0 = std::min(x0, x);
        x1 = std::max(x1, x + 1);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y + 1);
      }
  EXPECT_NEAR(t->ImageX(static_cast<float>(x0)), 120, 4);
  EXPECT_NEAR(t->ImageX(static_cast<float>(x1)), 160, 4);
  EXPECT_NEAR(t->ImageY(static_cast<float>(y0)), 40, 4);
  EXPECT_NEAR(t->ImageY(static_cast<float>(y1)), 60, 4);
}

TEST(PreprocessTest, OnePixelImagesAreRefusedWhenResizing) {
  Quantization q{{1.0f}, {0}, 0};
  std::vector<uint8_t> buf(2 * 2 * 3);
  TensorView in{DataType::kUInt8, {1, 2, 2, 3}, &q, buf.data()};
  EXPECT_FALSE(FillImageInput(Solid(1, 1, 1, 2, 3), in).ok());
}

}  // namespace
}  // namespace coralpi

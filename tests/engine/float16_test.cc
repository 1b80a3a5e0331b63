// Float16 models (TensorFlow Lite's float16 exports): DEQUANTIZE of float16 constants folds into
// float32 constants at load (constant_folding.h) so that the consumers run on XNNPACK; a
// DEQUANTIZE of a float16 tensor that is not a constant runs on the reference kernel. Expected
// values come from float16 bit patterns of known values and a float convolution loop written here.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "engine/cpu_engine.h"
#include "engine/reference/float16.h"
#include "engine_test_util.h"
#include "model/builder.h"
#include "model/model.h"

namespace coralpi {
namespace {

// The float16 bits of v, which must be a normal float16 value exactly (tests pick k / 2^n).
uint16_t ExactHalf(float v) {
  if (v == 0.0f) return std::signbit(v) ? 0x8000 : 0;
  int exp = 0;
  const float f = std::frexp(std::fabs(v), &exp);  // |v| = f * 2^exp, f in [0.5, 1)
  const float mantissa = (f * 2.0f - 1.0f) * 1024.0f;
  EXPECT_EQ(mantissa, std::floor(mantissa)) << v << " is not exact in float16";
  EXPECT_TRUE(exp - 1 >= -14 && exp - 1 <= 15) << v << " is not a normal float16";
  return static_cast<uint16_t>((v < 0 ? 0x8000 : 0) | ((exp - 1 + 15) << 10) |
                               static_cast<int>(mantissa));
}

std::vector<uint16_t> Halves(const std::vector<float>& values) {
  std::vector<uint16_t> h;
  for (float v : values) h.push_back(ExactHalf(v));
  return h;
}

TEST(Float16, KnownBitPatternsConvertExactly) {
  using reference::HalfToFloat;
  EXPECT_EQ(HalfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(HalfToFloat(0xc000), -2.0f);
  EXPECT_EQ(HalfToFloat(0x7bff), 65504.0f);            // largest float16
  EXPECT_EQ(HalfToFloat(0x0400), std::ldexp(1.0f, -14));  // smallest normal
  EXPECT_EQ(HalfToFloat(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(HalfToFloat(0x03ff), 1023.0f * std::ldexp(1.0f, -24));
  EXPECT_EQ(HalfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(HalfToFloat(0x0000), 0.0f);
  EXPECT_TRUE(std::signbit(HalfToFloat(0x8000)));
  EXPECT_EQ(HalfToFloat(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(HalfToFloat(0xfc00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(HalfToFloat(0x7e00)));
  EXPECT_EQ(ExactHalf(0.75f), 0x3a00);
  EXPECT_EQ(ExactHalf(-0.015625f), 0xa400);
}

// input [1, 5, 6, 3] -> CONV_2D 3x3 stride 2 SAME RELU6 with float16 weights and bias, each
// behind a DEQUANTIZE, as the float16 exports are.
std::vector<uint8_t> Fp16ConvModel(const std::vector<float>& w, const std::vector<float>& b) {
  ModelBuilder mb;
  const int32_t in = mb.AddTensor({"input", DataType::kFloat32, {1, 5, 6, 3}, {}, {}});
  const int32_t w16 = mb.AddConstant("w16", DataType::kFloat16, {4, 3, 3, 3}, Halves(w));
  const int32_t b16 = mb.AddConstant("b16", DataType::kFloat16, {4}, Halves(b));
  const int32_t wf = mb.AddTensor({"w", DataType::kFloat32, {4, 3, 3, 3}, {}, {}});
  const int32_t bf = mb.AddTensor({"b", DataType::kFloat32, {4}, {}, {}});
  const int32_t out = mb.AddTensor({"out", DataType::kFloat32, {1, 3, 3, 4}, {}, {}});
  mb.AddOperator(OpCode::kDequantize, {w16}, {wf});
  mb.AddOperator(OpCode::kDequantize, {b16}, {bf});
  Conv2DOptions o;
  o.padding = Padding::kSame;
  o.stride_h = o.stride_w = 2;
  o.activation = Activation::kRelu6;
  mb.AddOperator(OpCode::kConv2D, {in, wf, bf}, {out}, o);
  mb.SetInputs({in});
  mb.SetOutputs({out});
  return mb.Finish();
}

TEST(Float16, ConstantDequantizeFoldsAndTheConvolutionRunsOnXnnpack) {
  std::vector<float> w(4 * 3 * 3 * 3), b = {0.5f, -0.25f, 1.0f, 0.0f};
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(static_cast<int>(i % 13) - 6) / 16;
  auto model = Model::FromBytes(Fp16ConvModel(w, b), "fp16 conv");
  ASSERT_TRUE(model.ok()) << model.error().message;
  const std::vector<NodePlacement> plan = PlanPlacement(**model);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_TRUE(plan[0].folded && plan[0].supported) << plan[0].reason;
  EXPECT_TRUE(plan[1].folded) << plan[1].reason;
  EXPECT_TRUE(plan[2].xnnpack) << plan[2].reason;
  EXPECT_EQ(plan[2].name, "CONV_2D");

  auto engine = CpuEngine::Create(*model);
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  EXPECT_EQ((*engine)->folded_node_count(), 2);
  EXPECT_EQ((*engine)->xnnpack_node_count(), 1);
  EXPECT_EQ((*engine)->reference_node_count(), 0);
  float* x = (*engine)->input(0).as<float>();
  for (int i = 0; i < 5 * 6 * 3; ++i) x[i] = static_cast<float>((i * 7) % 11) / 8 - 0.6f;
  ASSERT_TRUE((*engine)->Invoke().ok());

  // SAME, stride 2: 5 x 6 -> 3 x 3, padding before 1 row (total 2) and 1 column (total 1 -> 0).
  const float* y = (*engine)->output(0).as<const float>();
  for (int oy = 0; oy < 3; ++oy) {
    for (int ox = 0; ox < 3; ++ox) {
      for (int oc = 0; oc < 4; ++oc) {
        double acc = b[oc];
        for (int ky = 0; ky < 3; ++ky) {
          for (int kx = 0; kx < 3; ++kx) {
            const int iy = oy * 2 - 1 + ky, ix = ox * 2 + kx;
            if (iy < 0 || iy >= 5 || ix < 0 || ix >= 6) continue;
            for (int ic = 0; ic < 3; ++ic) {
              acc += double{x[(iy * 6 + ix) * 3 + ic]} * w[((oc * 3 + ky) * 3 + kx) * 3 + ic];
            }
          }
        }
        const double expected = std::min(std::max(acc, 0.0), 6.0);
        EXPECT_NEAR(y[(oy * 3 + ox) * 4 + oc], expected, 1e-5) << oy << " " << ox << " " << oc;
      }
    }
  }
}

// A DEQUANTIZE of a float16 graph input cannot fold: the reference kernel converts it.
TEST(Float16, DequantizeOfAnInputRunsOnTheReferenceKernel) {
  ModelBuilder mb;
  const int32_t in = mb.AddTensor({"in16", DataType::kFloat16, {2, 3}, {}, {}});
  const int32_t out = mb.AddTensor({"out", DataType::kFloat32, {2, 3}, {}, {}});
  mb.AddOperator(OpCode::kDequantize, {in}, {out});
  mb.SetInputs({in});
  mb.SetOutputs({out});
  auto model = Model::FromBytes(mb.Finish(), "fp16 input");
  ASSERT_TRUE(model.ok()) << model.error().message;
  auto engine = CpuEngine::Create(*model);
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  EXPECT_EQ((*engine)->folded_node_count(), 0);
  EXPECT_EQ((*engine)->reference_node_count(), 1);
  const uint16_t bits[6] = {0x3c00, 0xc000, 0x7bff, 0x0001, 0x3555, 0x8000};
  std::memcpy((*engine)->input(0).data, bits, sizeof bits);
  ASSERT_TRUE((*engine)->Invoke().ok());
  const float* y = (*engine)->output(0).as<const float>();
  const float expected[6] = {1.0f, -2.0f, 65504.0f, std::ldexp(1.0f, -24), 0.333251953125f, -0.0f};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(y[i], expected[i]) << i;
}

// A folded constant that is a graph output keeps its DEQUANTIZE (an output must be written).
TEST(Float16, DequantizeIntoAGraphOutputStaysAnOperator) {
  ModelBuilder mb;
  const int32_t in = mb.AddTensor({"in", DataType::kFloat32, {3}, {}, {}});
  const int32_t c16 = mb.AddConstant("c16", DataType::kFloat16, {3}, Halves({0.5f, -4.0f, 3.25f}));
  const int32_t c = mb.AddTensor({"c", DataType::kFloat32, {3}, {}, {}});
  const int32_t sum = mb.AddTensor({"sum", DataType::kFloat32, {3}, {}, {}});
  mb.AddOperator(OpCode::kDequantize, {c16}, {c});
  mb.AddOperator(OpCode::kAdd, {in, c}, {sum}, AddOptions{});
  mb.SetInputs({in});
  mb.SetOutputs({sum, c});
  auto model = Model::FromBytes(mb.Finish(), "fp16 output");
  ASSERT_TRUE(model.ok()) << model.error().message;
  auto engine = CpuEngine::Create(*model);
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  EXPECT_EQ((*engine)->folded_node_count(), 0);
  float* x = (*engine)->input(0).as<float>();
  x[0] = 1.0f, x[1] = 2.0f, x[2] = -0.25f;
  ASSERT_TRUE((*engine)->Invoke().ok());
  const float* s = (*engine)->output(0).as<const float>();
  const float* cv = (*engine)->output(1).as<const float>();
  EXPECT_EQ(s[0], 1.5f);
  EXPECT_EQ(s[1], -2.0f);
  EXPECT_EQ(s[2], 3.0f);
  EXPECT_EQ(cv[1], -4.0f);
}

// A float16 constant whose buffer does not match its shape is refused when the model is read,
// naming the tensor, the buffer and float16.
TEST(Float16, ConstantOfTheWrongSizeIsAnErrorNamingTheTensor) {
  ModelBuilder mb;
  const int32_t in = mb.AddTensor({"in", DataType::kFloat32, {4}, {}, {}});
  TensorSpec bad{"short16", DataType::kFloat16, {4}, {}, std::vector<uint8_t>(6, 0)};
  const int32_t c16 = mb.AddTensor(bad);
  const int32_t c = mb.AddTensor({"c", DataType::kFloat32, {4}, {}, {}});
  const int32_t sum = mb.AddTensor({"sum", DataType::kFloat32, {4}, {}, {}});
  mb.AddOperator(OpCode::kDequantize, {c16}, {c});
  mb.AddOperator(OpCode::kAdd, {in, c}, {sum}, AddOptions{});
  mb.SetInputs({in});
  mb.SetOutputs({sum});
  auto model = Model::FromBytes(mb.Finish(), "bad fp16");
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.error().message.find("tensor 1"), std::string::npos) << model.error().message;
  EXPECT_NE(model.error().message.find("float16"), std::string::npos) << model.error().message;
  EXPECT_NE(model.error().message.find("holds 6 bytes"), std::string::npos)
      << model.error().message;
}

// A float16 DEQUANTIZE whose output has another shape is not folded; the load-time check names
// the operator.
TEST(Float16, DequantizeWithAMismatchedOutputIsRefusedNamingTheOperator) {
  ModelBuilder mb;
  const int32_t in = mb.AddTensor({"in", DataType::kFloat32, {4}, {}, {}});
  const int32_t c16 = mb.AddConstant("c16", DataType::kFloat16, {4}, Halves({1, 2, 3, 4}));
  const int32_t c = mb.AddTensor({"c", DataType::kFloat32, {2, 2}, {}, {}});
  const int32_t out = mb.AddTensor({"out", DataType::kFloat32, {2, 2}, {}, {}});
  mb.AddOperator(OpCode::kDequantize, {c16}, {c});
  mb.AddOperator(OpCode::kReshape, {in}, {out}, ReshapeOptions{{2, 2}});
  mb.SetInputs({in});
  mb.SetOutputs({out});
  auto model = Model::FromBytes(mb.Finish(), "fp16 shape");
  ASSERT_TRUE(model.ok()) << model.error().message;
  auto engine = CpuEngine::Create(*model);
  ASSERT_FALSE(engine.ok());
  EXPECT_NE(engine.error().message.find("operator 0 (DEQUANTIZE)"), std::string::npos)
      << engine.error().message;
}

}  // namespace
}  // namespace coralpi

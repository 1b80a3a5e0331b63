// CpuEngine load-time checks: what it refuses, and how it says so.
#include "engine/cpu_engine.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/xnnpack/version.h"
#include "engine_test_util.h"

namespace coralpi::testing {
namespace {

std::string CreateError(const std::vector<uint8_t>& bytes, int threads = 1) {
  auto model = Model::FromBytes(bytes, "m.tflite");
  EXPECT_TRUE(model.ok()) << model.error().message;
  if (!model.ok()) return "";
  auto engine = CpuEngine::Create(*model, {threads, true});
  return engine.ok() ? "" : engine.error().message;
}

// in [1,4,4,in_c] float -> CONV_2D 1x1 with a filter of filter_c input channels -> out.
std::vector<uint8_t> Conv(int in_c, int filter_c, Shape out_shape) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 4, 4, in_c}, {}, {}});
  int32_t w = b.AddConstant("w", DataType::kFloat32, {2, 1, 1, filter_c},
                            std::vector<float>(2 * filter_c, 1));
  int32_t out = b.AddTensor({"out", DataType::kFloat32, std::move(out_shape), {}, {}});
  b.AddOperator(OpCode::kConv2D, {in, w}, {out},
                Conv2DOptions{Padding::kValid, 1, 1, 1, 1, Activation::kNone});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Finish();
}

TEST(CpuEngineTest, ChannelMismatchIsNamed) {
  EXPECT_EQ(CreateError(Conv(3, 2, {1, 4, 4, 2})),
            "m.tflite: operator 0 (CONV_2D): filter has 2 input channels, input has 3");
}

TEST(CpuEngineTest, WrongOutputShapeIsNamed) {
  EXPECT_EQ(CreateError(Conv(3, 3, {1, 4, 4, 5})),
            "m.tflite: operator 0 (CONV_2D): output has shape [1, 4, 4, 5], expected [1, 4, 4, 2]");
}

TEST(CpuEngineTest, ValidConvLoads) { EXPECT_EQ(CreateError(Conv(3, 3, {1, 4, 4, 2})), ""); }

TEST(CpuEngineTest, ZeroThreadsIsAnError) {
  EXPECT_EQ(CreateError(Conv(3, 3, {1, 4, 4, 2}), 0),
            "m.tflite: the thread count must be at least 1");
}

TEST(CpuEngineTest, UnsupportedTypeIsNamed) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kInt32, {1, 4}, {}, {}});
  int32_t other = b.AddTensor({"other", DataType::kInt32, {1, 4}, {}, {}});
  int32_t out = b.AddTensor({"out", DataType::kInt32, {1, 4}, {}, {}});
  b.AddOperator(OpCode::kAdd, {in, other}, {out}, AddOptions{});
  b.SetInputs({in, other});
  b.SetOutputs({out});
  EXPECT_EQ(CreateError(b.Finish()),
            "m.tflite: operator 0 (ADD): input 0 is int32, supported: float32 or uint8 or int8");
}

TEST(CpuEngineTest, ReadingATensorNobodyWritesIsAnError) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 4}, {}, {}});
  int32_t ghost = b.AddTensor({"ghost", DataType::kFloat32, {1, 4}, {}, {}});
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {1, 4}, {}, {}});
  b.AddOperator(OpCode::kAdd, {in, ghost}, {out}, AddOptions{});
  b.SetInputs({in});
  b.SetOutputs({out});
  EXPECT_EQ(CreateError(b.Finish()),
            "m.tflite: operator 0 (ADD): reads tensor 1 (ghost) before anything writes it");
}

TEST(CpuEngineTest, Uint8PerChannelWeightsAreRefused) {
  ModelBuilder b;
  Quantization act{{0.1f}, {0}, 0};
  int32_t in = b.AddTensor({"in", DataType::kUInt8, {1, 2, 2, 1}, act, {}});
  Quantization wq{{0.1f, 0.2f}, {0, 0}, 0};
  int32_t w = b.AddConstant("w", DataType::kUInt8, {2, 1, 1, 1}, std::vector<uint8_t>{1, 2}, wq);
  int32_t out = b.AddTensor({"out", DataType::kUInt8, {1, 2, 2, 2}, act, {}});
  b.AddOperator(OpCode::kConv2D, {in, w}, {out},
                Conv2DOptions{Padding::kValid, 1, 1, 1, 1, Activation::kNone});
  b.SetInputs({in});
  b.SetOutputs({out});
  EXPECT_EQ(CreateError(b.Finish()),
            "m.tflite: operator 0 (CONV_2D): weights has per-channel quantization, supported only "
            "per-tensor");
}

TEST(CpuEngineTest, PlacementSaysWhereEachOperatorRuns) {
  ModelBuilder b;
  Quantization q{{1.0f / 256}, {0}, 0};
  int32_t in = b.AddTensor({"in", DataType::kUInt8, {1, 10}, q, {}});
  int32_t out = b.AddTensor({"out", DataType::kUInt8, {1, 10}, q, {}});
  int32_t probs = b.AddTensor({"probs", DataType::kUInt8, {1, 10}, q, {}});
  b.AddOperator(OpCode::kReshape, {in}, {out}, ReshapeOptions{{1, 10}});
  b.AddOperator(OpCode::kSoftmax, {out}, {probs}, SoftmaxOptions{1.0f});
  b.AddCustomOperator("edgetpu-custom-op", {probs}, {in});
  b.SetInputs({in});
  b.SetOutputs({probs});
  auto m = Model::FromBytes(b.Finish(), "p.tflite");
  ASSERT_TRUE(m.ok());
  std::vector<NodePlacement> p = PlanPlacement(**m);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_TRUE(p[0].supported && p[0].xnnpack);   // RESHAPE on XNNPACK
  EXPECT_TRUE(p[1].supported && !p[1].xnnpack);  // SOFTMAX on the reference kernel
  EXPECT_FALSE(p[2].supported);                  // the Edge TPU's custom op
  EXPECT_NE(p[2].reason.find("Edge TPU"), std::string::npos);
  EXPECT_FALSE(PlanPlacement(**m, false)[0].xnnpack);
}

// Where the XNNPACK versions differ, placement (and so `inspect --operators`) names the version:
// XNNPACK 2024 refuses a max pooling stride above the window; 2022 takes it.
TEST(CpuEngineTest, PlacementNamesWhatThisXnnpackVersionRefuses) {
  ModelBuilder b;
  Quantization q{{0.1f}, {3}, 0};
  int32_t in = b.AddTensor({"in", DataType::kUInt8, {2, 9, 4, 5}, q, {}});
  int32_t out = b.AddTensor({"out", DataType::kUInt8, {2, 3, 2, 5}, q, {}});
  b.AddOperator(OpCode::kMaxPool2D, {in}, {out},
                Pool2DOptions{Padding::kValid, 1, 3, 3, 2, Activation::kNone});
  b.SetInputs({in});
  b.SetOutputs({out});
  auto m = Model::FromBytes(b.Finish(), "pool.tflite");
  ASSERT_TRUE(m.ok());
  const NodePlacement p = PlanPlacement(**m)[0];
  ASSERT_TRUE(p.supported) << p.reason;
  if (std::string(xnnpack::ApiName()) == "2024") {
    EXPECT_FALSE(p.xnnpack);
    EXPECT_EQ(p.reason, "this XNNPACK (2024) refuses a max pooling stride larger than the window");
  } else {
    EXPECT_TRUE(p.xnnpack) << p.reason;
  }
  EXPECT_EQ(CreateError(b.Finish()), "");  // runs either way
}

}  // namespace
}  // namespace coralpi::testing

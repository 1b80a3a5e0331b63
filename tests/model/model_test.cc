// The model reader on models the builder writes, and on broken and hostile bytes.
#include "model/model.h"

#include <gtest/gtest.h>

#include <random>

#include "model/builder.h"
#include "model/custom_ops.h"

namespace coralpi {
namespace {

Quantization Q(float s, int64_t zp) { return Quantization{{s}, {zp}, 0}; }

// input [1,4,4,2] uint8 -> CONV_2D 3x3 (2 -> 3 channels), SAME, stride 2, RELU6 -> [1,2,2,3]
std::vector<uint8_t> SmallConvModel() {
  ModelBuilder b;
  int32_t in = b.AddTensor({"input", DataType::kUInt8, {1, 4, 4, 2}, Q(0.5f, 10), {}});
  int32_t w = b.AddConstant("weights", DataType::kUInt8, {3, 3, 3, 2}, std::vector<uint8_t>(54, 7),
                            Q(0.25f, 3));
  int32_t bias =
      b.AddConstant("bias", DataType::kInt32, {3}, std::vector<int32_t>{1, -2, 3}, Q(0.125f, 0));
  int32_t out = b.AddTensor({"output", DataType::kUInt8, {1, 2, 2, 3}, Q(0.75f, 5), {}});
  b.AddOperator(OpCode::kConv2D, {in, w, bias}, {out},
                Conv2DOptions{Padding::kSame, 2, 2, 1, 1, Activation::kRelu6});
  b.SetInputs({in});
  b.SetOutputs({out});
  b.AddMetadata("min_runtime_version", {'1', '.', '5'});
  return b.Finish();
}

TEST(ModelTest, ReadsWhatTheBuilderWrote) {
  auto m = Model::FromBytes(SmallConvModel(), "small.tflite");
  ASSERT_TRUE(m.ok()) << m.error().message;
  const Subgraph& g = (*m)->main_graph();
  ASSERT_EQ(g.tensors.size(), 4u);
  ASSERT_EQ(g.operators.size(), 1u);
  EXPECT_EQ(g.inputs, std::vector<int32_t>{0});
  EXPECT_EQ(g.outputs, std::vector<int32_t>{3});
  const TensorInfo& w = g.tensors[1];
  EXPECT_EQ(w.name, "weights");
  EXPECT_EQ(w.type, DataType::kUInt8);
  EXPECT_EQ(w.shape, (Shape{3, 3, 3, 2}));
  EXPECT_EQ(w.data.size(), 54u);
  EXPECT_EQ(w.data[0], 7);
  EXPECT_FLOAT_EQ(w.quant.scale[0], 0.25f);
  EXPECT_EQ(w.quant.zero_point[0], 3);
  EXPECT_FALSE(g.tensors[0].is_constant());
  const OperatorInfo& op = g.operators[0];
  EXPECT_EQ(op.code, 3);  // CONV_2D in the schema
  EXPECT_EQ(op.name(), "CONV_2D");
  const auto& o = std::get<Conv2DOptions>(op.options);
  EXPECT_EQ(o.stride_w, 2);
  EXPECT_EQ(o.padding, Padding::kSame);
  EXPECT_EQ(o.activation, Activation::kRelu6);
  ASSERT_EQ((*m)->metadata().size(), 1u);
  EXPECT_EQ((*m)->metadata()[0].name, "min_runtime_version");
  EXPECT_EQ((*m)->metadata()[0].data.size(), 3u);
  EXPECT_EQ((*m)->parameter_bytes(), 54u + 12u);  // weights and bias; metadata is not a parameter
}

// Every options table the builder writes comes back from the reader with the same values, at
// the field ids of the format (a wrong id would read another field, or the default).
template <typename T>
T RoundTrip(OpCode code, const T& options) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 2, 2, 2}, {}, {}});
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {1, 2, 2, 2}, {}, {}});
  b.AddOperator(code, {in}, {out}, options);
  b.SetInputs({in});
  b.SetOutputs({out});
  auto m = Model::FromBytes(b.Finish(), "options.tflite");
  EXPECT_TRUE(m.ok()) << m.error().message;
  if (!m.ok()) return T{};
  const OperatorInfo& op = (*m)->main_graph().operators[0];
  EXPECT_TRUE(std::holds_alternative<T>(op.options)) << op.name();
  return std::holds_alternative<T>(op.options) ? std::get<T>(op.options) : T{};
}

TEST(ModelTest, OptionsRoundTrip) {
  ResizeOptions r = RoundTrip(OpCode::kResizeBilinear, ResizeOptions{true, false});
  EXPECT_TRUE(r.align_corners);
  EXPECT_FALSE(r.half_pixel_centers);
  r = RoundTrip(OpCode::kResizeNearestNeighbor, ResizeOptions{false, true});
  EXPECT_FALSE(r.align_corners);
  EXPECT_TRUE(r.half_pixel_centers);

  StridedSliceOptions s =
      RoundTrip(OpCode::kStridedSlice, StridedSliceOptions{1, 2, 4, 8, 16, true});
  EXPECT_EQ(s.begin_mask, 1);
  EXPECT_EQ(s.end_mask, 2);
  EXPECT_EQ(s.ellipsis_mask, 4);
  EXPECT_EQ(s.new_axis_mask, 8);
  EXPECT_EQ(s.shrink_axis_mask, 16);
  EXPECT_TRUE(s.offset);

  EXPECT_EQ(RoundTrip(OpCode::kArgMax, ArgMaxOptions{DataType::kInt32}).output_type,
            DataType::kInt32);
  PackOptions p = RoundTrip(OpCode::kPack, PackOptions{3, 2});
  EXPECT_EQ(p.count, 3);
  EXPECT_EQ(p.axis, 2);
  p = RoundTrip(OpCode::kUnpack, PackOptions{4, 1});
  EXPECT_EQ(p.count, 4);
  EXPECT_EQ(p.axis, 1);
  EXPECT_EQ(RoundTrip(OpCode::kSplit, SplitOptions{5}).num_splits, 5);
  EXPECT_EQ(RoundTrip(OpCode::kSplitV, SplitOptions{6}).num_splits, 6);
  GatherOptions g = RoundTrip(OpCode::kGather, GatherOptions{2, 1});
  EXPECT_EQ(g.axis, 2);
  EXPECT_EQ(g.batch_dims, 1);
  EXPECT_FLOAT_EQ(RoundTrip(OpCode::kLeakyRelu, LeakyReluOptions{0.25f}).alpha, 0.25f);
  EXPECT_EQ(RoundTrip(OpCode::kDiv, AddOptions{Activation::kRelu}).activation, Activation::kRelu);
  EXPECT_EQ(RoundTrip(OpCode::kMul, AddOptions{Activation::kRelu6}).activation, Activation::kRelu6);
  EXPECT_EQ(RoundTrip(OpCode::kSub, AddOptions{Activation::kReluN1To1}).activation,
            Activation::kReluN1To1);
}

std::string LoadError(std::vector<uint8_t> bytes) {
  auto m = Model::FromBytes(std::move(bytes), "bad.tflite");
  return m.ok() ? "" : m.error().message;
}

TEST(ModelTest, EmptyFile) { EXPECT_EQ(LoadError({}), "bad.tflite: the file is empty"); }

TEST(ModelTest, RandomBytes) {
  std::mt19937 rng(1);
  for (int i = 0; i < 200; ++i) {
    std::vector<uint8_t> bytes(static_cast<size_t>(rng() % 4096));
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    std::string e = LoadError(bytes);
    EXPECT_EQ(e.rfind("bad.tflite: ", 0), 0u) << e;
  }
}

TEST(ModelTest, RandomBytesBehindTheIdentifier) {
  std::mt19937 rng(2);
  for (int i = 0; i < 200; ++i) {
    std::vector<uint8_t> bytes(64 + rng() % 1024);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    std::memcpy(&bytes[4], "TFL3", 4);
    EXPECT_NE(LoadError(bytes), "");
  }
}

TEST(ModelTest, EveryTruncationIsAnError) {
  std::vector<uint8_t> good = SmallConvModel();
  for (size_t len = 0; len < good.size(); len += 3) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(len));
    EXPECT_NE(LoadError(cut), "") << "a model cut to " << len << " bytes loaded";
  }
}

TEST(ModelTest, FlippedBytesNeverCrash) {
  std::vector<uint8_t> good = SmallConvModel();
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> bad = good;
    for (int k = 0; k < 4; ++k) bad[rng() % bad.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
    (void)Model::FromBytes(bad, "bad.tflite");  // an error or a model; never a crash
  }
}

TEST(ModelTest, NotATfliteFile) {
  EXPECT_EQ(LoadError({'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'}),
            "bad.tflite: not a TensorFlow Lite model (no \"TFL3\" file identifier)");
}

TEST(ModelTest, BufferShorterThanItsTensor) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 4}, {}, {}});
  int32_t w = b.AddConstant("w", DataType::kFloat32, {2, 4}, std::vector<float>(5, 1.0f));
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {1, 2}, {}, {}});
  b.AddOperator(OpCode::kFullyConnected, {in, w}, {out}, FullyConnectedOptions{});
  b.SetInputs({in});
  b.SetOutputs({out});
  EXPECT_EQ(LoadError(b.Finish()),
            "bad.tflite: tensor 1: buffer 1 holds 20 bytes but shape [2, 4] of float32 needs 32");
}

TEST(ModelTest, OperatorInputOutOfRange) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 4}, {}, {}});
  b.AddOperator(OpCode::kReshape, {in, 7}, {in}, ReshapeOptions{});
  b.SetInputs({in});
  b.SetOutputs({in});
  EXPECT_EQ(LoadError(b.Finish()),
            "bad.tflite: operator 0 (RESHAPE): inputs: tensor index 7 is out of range (1 tensors)");
}

TEST(ModelTest, SubgraphOutputOutOfRange) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 4}, {}, {}});
  b.SetInputs({in});
  b.SetOutputs({-3});
  EXPECT_EQ(LoadError(b.Finish()),
            "bad.tflite: outputs: tensor index -3 is out of range (1 tensors)");
}

TEST(ModelTest, PerChannelScaleCountMustMatchDimension) {
  ModelBuilder b;
  Quantization q{{0.1f, 0.2f}, {0, 0}, 0};
  b.AddConstant("w", DataType::kInt8, {3, 1}, std::vector<int8_t>{1, 2, 3}, q);
  EXPECT_EQ(LoadError(b.Finish()),
            "bad.tflite: tensor 0: 2 per-channel scales for dimension 0 of size 3");
}

TEST(ModelTest, ConvWithoutStridesIsRejected) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 4, 4, 1}, {}, {}});
  int32_t w = b.AddConstant("w", DataType::kFloat32, {1, 1, 1, 1}, std::vector<float>{1});
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {1, 4, 4, 1}, {}, {}});
  b.AddOperator(OpCode::kConv2D, {in, w}, {out},
                Conv2DOptions{Padding::kSame, 0, 1, 1, 1, Activation::kNone});
  b.SetInputs({in});
  b.SetOutputs({out});
  EXPECT_EQ(LoadError(b.Finish()),
            "bad.tflite: operator 0 (CONV_2D): stride_w is 0, must be at least 1");
}

TEST(ModelTest, OperatorCodeIsTheLargerOfBothFields) {
  // Codes of 127 and above live only in the newer field (the older one holds 127 then).
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {4}, {}, {}});
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {4}, {}, {}});
  b.AddOperator(static_cast<OpCode>(150), {in}, {out});
  b.AddOperator(OpCode::kRelu6, {out}, {in});
  b.SetInputs({in});
  b.SetOutputs({out});
  auto m = Model::FromBytes(b.Finish(), "codes.tflite");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ((*m)->main_graph().operators[0].code, 150);
  EXPECT_EQ((*m)->main_graph().operators[1].code, 21);
}

TEST(ModelTest, CustomOperatorsKeepTheirName) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kUInt8, {1, 3}, {}, {}});
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {}, {}, {}});
  b.AddCustomOperator("edgetpu-custom-op", {in}, {out}, {1, 2, 3, 4});
  b.SetInputs({in});
  b.SetOutputs({out});
  auto m = Model::FromBytes(b.Finish(), "tpu.tflite");
  ASSERT_TRUE(m.ok()) << m.error().message;
  const OperatorInfo& op = (*m)->main_graph().operators[0];
  EXPECT_EQ(op.name(), "edgetpu-custom-op");
  EXPECT_EQ(op.custom_options.size(), 4u);
  EXPECT_TRUE((*m)->HasCustomOp("edgetpu-custom-op"));
  EXPECT_FALSE((*m)->HasCustomOp("other"));
  // The one spelling the library uses (model/custom_ops.h) is the one models carry:
  // libedgetpu's registration name and TensorFlow Lite's post-process operator.
  EXPECT_TRUE((*m)->HasCustomOp(kEdgeTpuCustomOpCode));
  EXPECT_STREQ(kDetectionPostProcessCode, "TFLite_Detection_PostProcess");
}

TEST(ModelTest, MissingFileNamesThePath) {
  auto m = Model::Load("/nonexistent/model.tflite");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message.rfind("/nonexistent/model.tflite: cannot open", 0), 0u)
      << m.error().message;
}

TEST(ModelTest, ReplaceOutputsRewritesTheOutputList) {
  auto bytes = ReplaceOutputs(SmallConvModel(), {0, 3});
  ASSERT_TRUE(bytes.ok());
  auto m = Model::FromBytes(*bytes, "x");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->main_graph().outputs, (std::vector<int32_t>{0, 3}));
  EXPECT_FALSE(ReplaceOutputs(std::vector<uint8_t>{1, 2, 3}, {0}).ok());
}

}  // namespace
}  // namespace coralpi

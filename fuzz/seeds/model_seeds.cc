// Seeds for fuzz_model: small .tflite files written with ModelBuilder, a few hundred bytes to a
// few KiB each (a whole MobileNet as a seed makes every run copy and verify 3 MB). Together they
// hold every operator the CPU engine runs, in uint8, int8 per-channel and float32, every
// options table the reader decodes, a custom operator, metadata and a small classifier.
#include <cstdint>
#include <string>
#include <vector>

#include "model/builder.h"
#include "seeds.h"

namespace coralpi::fuzz {
namespace {

Quantization Q(float scale, int64_t zero_point) { return {{scale}, {zero_point}, 0}; }

std::vector<uint8_t> Bytes(size_t n, uint8_t start) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(start + i * 29);
  return v;
}

// A graph of one operator between activation tensors `ins` and `outs`.
std::vector<uint8_t> OneOp(ModelBuilder& b, OpCode code, std::vector<int32_t> op_ins,
                           std::vector<int32_t> ins, std::vector<int32_t> outs,
                           const OpOptions& options = NoOptions{}) {
  b.AddOperator(code, std::move(op_ins), outs, options);
  b.SetInputs(std::move(ins));
  b.SetOutputs(std::move(outs));
  return b.Finish();
}

std::vector<uint8_t> ConvUInt8() {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kUInt8, {1, 8, 8, 3}, Q(0.02f, 128), {}});
  int32_t w = b.AddTensor({"w", DataType::kUInt8, {4, 3, 3, 3}, Q(0.01f, 120), Bytes(108, 7)});
  int32_t bias = b.AddConstant<int32_t>("b", DataType::kInt32, {4}, {5, -9, 300, 0}, Q(2e-4f, 0));
  int32_t out = b.AddTensor({"out", DataType::kUInt8, {1, 4, 4, 4}, Q(0.05f, 100), {}});
  return OneOp(b, OpCode::kConv2D, {in, w, bias}, {in}, {out},
               Conv2DOptions{Padding::kSame, 2, 2, 1, 1, Activation::kRelu6});
}

std::vector<uint8_t> DepthwiseInt8PerChannel() {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kInt8, {1, 6, 6, 4}, Q(0.03f, -5), {}});
  Quantization wq{{0.01f, 0.02f, 0.005f, 0.04f}, {0, 0, 0, 0}, 3};
  int32_t w = b.AddTensor({"w", DataType::kInt8, {1, 3, 3, 4}, wq, Bytes(36, 3)});
  Quantization bq{{3e-4f, 6e-4f, 1.5e-4f, 1.2e-3f}, {0, 0, 0, 0}, 0};
  int32_t bias = b.AddConstant<int32_t>("b", DataType::kInt32, {4}, {1, 2, -3, 4}, bq);
  int32_t out = b.AddTensor({"out", DataType::kInt8, {1, 4, 4, 4}, Q(0.06f, 2), {}});
  return OneOp(b, OpCode::kDepthwiseConv2D, {in, w, bias}, {in}, {out},
               DepthwiseConv2DOptions{Padding::kValid, 1, 1, 1, 1, 1, Activation::kRelu});
}

std::vector<uint8_t> FullyConnectedFloat() {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 16}, {}, {}});
  std::vector<float> weights(64);
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<float>(i % 7) * 0.1f - 0.3f;
  int32_t w = b.AddConstant("w", DataType::kFloat32, {4, 16}, weights);
  int32_t bias = b.AddConstant<float>("b", DataType::kFloat32, {4}, {0.5f, -0.5f, 0, 1});
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {1, 4}, {}, {}});
  return OneOp(b, OpCode::kFullyConnected, {in, w, bias}, {in}, {out}, FullyConnectedOptions{});
}

std::vector<uint8_t> AddBroadcastUInt8() {
  ModelBuilder b;
  int32_t x = b.AddTensor({"x", DataType::kUInt8, {1, 4, 4, 2}, Q(0.04f, 10), {}});
  int32_t y = b.AddTensor({"y", DataType::kUInt8, {1, 1, 4, 2}, Q(0.02f, 200), {}});
  int32_t out = b.AddTensor({"out", DataType::kUInt8, {1, 4, 4, 2}, Q(0.05f, 0), {}});
  return OneOp(b, OpCode::kAdd, {x, y}, {x, y}, {out}, AddOptions{Activation::kRelu});
}

std::vector<uint8_t> PoolsUInt8() {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kUInt8, {1, 8, 8, 2}, Q(0.1f, 3), {}});
  int32_t mid = b.AddTensor({"avg", DataType::kUInt8, {1, 4, 4, 2}, Q(0.1f, 3), {}});
  int32_t out = b.AddTensor({"max", DataType::kUInt8, {1, 2, 2, 2}, Q(0.1f, 3), {}});
  b.AddOperator(OpCode::kAveragePool2D, {in}, {mid}, Pool2DOptions{Padding::kValid, 2, 2, 2, 2});
  return OneOp(b, OpCode::kMaxPool2D, {mid}, {in}, {out},
               Pool2DOptions{Padding::kSame, 2, 2, 3, 3, Activation::kRelu6});
}

std::vector<uint8_t> SoftmaxUInt8() {
  ModelBuilder b;
  int32_t in = b.AddTensor({"logits", DataType::kUInt8, {1, 10}, Q(0.1f, 0), {}});
  int32_t out = b.AddTensor({"probs", DataType::kUInt8, {1, 10}, Q(1.0f / 256, 0), {}});
  return OneOp(b, OpCode::kSoftmax, {in}, {in}, {out}, SoftmaxOptions{1.0f});
}

std::vector<uint8_t> QuantizeRoundTrip() {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 6}, {}, {}});
  int32_t q = b.AddTensor({"q", DataType::kUInt8, {1, 6}, Q(0.0078125f, 128), {}});
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {1, 6}, {}, {}});
  b.AddOperator(OpCode::kQuantize, {in}, {q});
  return OneOp(b, OpCode::kDequantize, {q}, {in}, {out});
}

// conv -> global average pool -> reshape -> fully connected -> softmax, as MobileNet ends.
std::vector<uint8_t> TinyClassifier() {
  ModelBuilder b;
  int32_t img = b.AddTensor({"image", DataType::kUInt8, {1, 4, 4, 3}, Q(0.0078f, 128), {}});
  int32_t w = b.AddTensor({"cw", DataType::kUInt8, {8, 1, 1, 3}, Q(0.02f, 127), Bytes(24, 1)});
  int32_t cb =
      b.AddConstant<int32_t>("cb", DataType::kInt32, {8}, {1, 2, 3, 4, 5, 6, 7, 8}, Q(1.56e-4f, 0));
  int32_t feat = b.AddTensor({"feat", DataType::kUInt8, {1, 4, 4, 8}, Q(0.02f, 0), {}});
  int32_t pooled = b.AddTensor({"pooled", DataType::kUInt8, {1, 1, 1, 8}, Q(0.02f, 0), {}});
  int32_t flat = b.AddTensor({"flat", DataType::kUInt8, {1, 8}, Q(0.02f, 0), {}});
  int32_t fw = b.AddTensor({"fw", DataType::kUInt8, {5, 8}, Q(0.03f, 130), Bytes(40, 9)});
  int32_t fb =
      b.AddConstant<int32_t>("fb", DataType::kInt32, {5}, {0, 10, -10, 20, -20}, Q(6e-4f, 0));
  int32_t logits = b.AddTensor({"logits", DataType::kUInt8, {1, 5}, Q(0.1f, 90), {}});
  int32_t probs = b.AddTensor({"probs", DataType::kUInt8, {1, 5}, Q(1.0f / 256, 0), {}});
  b.AddOperator(OpCode::kConv2D, {img, w, cb}, {feat},
                Conv2DOptions{Padding::kSame, 1, 1, 1, 1, Activation::kRelu6});
  b.AddOperator(OpCode::kAveragePool2D, {feat}, {pooled},
                Pool2DOptions{Padding::kValid, 4, 4, 4, 4});
  b.AddOperator(OpCode::kReshape, {pooled}, {flat}, ReshapeOptions{{1, 8}});
  b.AddOperator(OpCode::kFullyConnected, {flat, fw, fb}, {logits}, FullyConnectedOptions{});
  return OneOp(b, OpCode::kSoftmax, {logits}, {img}, {probs}, SoftmaxOptions{1.0f});
}

std::vector<uint8_t> CustomOpWithMetadata() {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kUInt8, {1, 3}, Q(1.0f, 0), {}});
  int32_t out = b.AddTensor({"out", DataType::kUInt8, {1, 3}, Q(1.0f, 0), {}});
  b.AddCustomOperator("FakeOpDouble", {in}, {out}, {0x01, 0x02, 0x03, 0x04});
  b.SetInputs({in});
  b.SetOutputs({out});
  b.SetDescription("fuzz seed: a custom operator");
  b.AddMetadata("min_runtime_version", {'1', '.', '5', '.', '0', 0});
  return b.Finish();
}

// Operators whose options tables the reader decodes but the CPU engine may not run.
std::vector<uint8_t> OptionsTables() {
  ModelBuilder b;
  auto f32 = [&](const char* name, Shape s) {
    return b.AddTensor({name, DataType::kFloat32, std::move(s), {}, {}});
  };
  int32_t in = f32("in", {1, 4, 4, 2});
  int32_t size = b.AddConstant<int32_t>("size", DataType::kInt32, {2}, {8, 8});
  int32_t resized = f32("resized", {1, 8, 8, 2});
  b.AddOperator(OpCode::kResizeBilinear, {in, size}, {resized}, ResizeOptions{false, true});
  int32_t begin = b.AddConstant<int32_t>("begin", DataType::kInt32, {4}, {0, 1, 1, 0});
  int32_t end = b.AddConstant<int32_t>("end", DataType::kInt32, {4}, {1, 7, 7, 2});
  int32_t step = b.AddConstant<int32_t>("step", DataType::kInt32, {4}, {1, 2, 2, 1});
  int32_t sliced = f32("sliced", {1, 3, 3, 2});
  b.AddOperator(OpCode::kStridedSlice, {resized, begin, end, step}, {sliced},
                StridedSliceOptions{1, 8, 0, 0, 0, false});
  int32_t axis = b.AddConstant<int32_t>("axis", DataType::kInt32, {1}, {3});
  int32_t arg = b.AddTensor({"argmax", DataType::kInt32, {1, 3, 3}, {}, {}});
  b.AddOperator(OpCode::kArgMax, {sliced, axis}, {arg}, ArgMaxOptions{DataType::kInt32});
  int32_t mean_axes = b.AddConstant<int32_t>("axes", DataType::kInt32, {2}, {1, 2});
  int32_t mean = f32("mean", {1, 1, 1, 2});
  b.AddOperator(OpCode::kMean, {sliced, mean_axes}, {mean}, ReducerOptions{true});
  int32_t squeezed = f32("squeezed", {2});
  b.AddOperator(OpCode::kSqueeze, {mean}, {squeezed}, SqueezeOptions{{0, 1, 2}});
  int32_t packed = f32("packed", {2, 2});
  b.AddOperator(OpCode::kPack, {squeezed, squeezed}, {packed}, PackOptions{2, 0});
  int32_t row0 = f32("row0", {2}), row1 = f32("row1", {2});
  b.AddOperator(OpCode::kUnpack, {packed}, {row0, row1}, PackOptions{2, 0});
  int32_t split_axis = b.AddConstant<int32_t>("split_axis", DataType::kInt32, {}, {0});
  int32_t half0 = f32("half0", {1}), half1 = f32("half1", {1});
  b.AddOperator(OpCode::kSplit, {split_axis, row0}, {half0, half1}, SplitOptions{2});
  int32_t idx = b.AddConstant<int32_t>("idx", DataType::kInt32, {3}, {1, 0, 1});
  int32_t gathered = f32("gathered", {3});
  b.AddOperator(OpCode::kGather, {row1, idx}, {gathered}, GatherOptions{0, 0});
  int32_t leaky = f32("leaky", {3});
  b.AddOperator(OpCode::kLeakyRelu, {gathered}, {leaky}, LeakyReluOptions{0.2f});
  int32_t joined = f32("joined", {4});
  b.AddOperator(OpCode::kConcatenation, {leaky, half0}, {joined}, ConcatenationOptions{0});
  int32_t divided = f32("divided", {4});
  b.AddOperator(OpCode::kDiv, {joined, joined}, {divided}, AddOptions{Activation::kRelu});
  b.SetInputs({in});
  b.SetOutputs({arg, half1, divided});
  return b.Finish();
}

}  // namespace

std::vector<Seed> ModelSeeds(const std::string& testdata) {
  std::vector<Seed> out = {
      {"conv_uint8.tflite", ConvUInt8()},
      {"depthwise_int8_per_channel.tflite", DepthwiseInt8PerChannel()},
      {"fully_connected_float.tflite", FullyConnectedFloat()},
      {"add_broadcast_uint8.tflite", AddBroadcastUInt8()},
      {"pools_uint8.tflite", PoolsUInt8()},
      {"softmax_uint8.tflite", SoftmaxUInt8()},
      {"quantize_round_trip.tflite", QuantizeRoundTrip()},
      {"tiny_classifier.tflite", TinyClassifier()},
      {"custom_op_metadata.tflite", CustomOpWithMetadata()},
      {"options_tables.tflite", OptionsTables()},
  };
  if (!testdata.empty()) {
    for (Seed& s : SmallFiles(testdata + "/models", 16 * 1024)) {
      if (s.name.ends_with(".tflite")) out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace coralpi::fuzz

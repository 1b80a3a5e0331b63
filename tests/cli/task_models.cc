// Generated task models; see task_models.h.
#include "task_models.h"

#include <string>

#include "model/builder.h"

namespace coralpi::testing {
namespace {

// An output that is `values` whatever the image: FULLY_CONNECTED with zero weights.
int32_t ConstantOutput(ModelBuilder& b, int32_t in, int64_t in_size, const std::string& name,
                       const Shape& shape, const std::vector<float>& values) {
  const int32_t n = static_cast<int32_t>(values.size());
  std::vector<float> zeros(static_cast<size_t>(n * in_size), 0.0f);
  int32_t w =
      b.AddConstant(name + "/w", DataType::kFloat32, {n, static_cast<int32_t>(in_size)}, zeros);
  int32_t bias = b.AddConstant(name + "/b", DataType::kFloat32, {n}, values);
  int32_t out = b.AddTensor({name, DataType::kFloat32, shape, {}, {}});
  b.AddOperator(OpCode::kFullyConnected, {in, w, bias}, {out}, FullyConnectedOptions{});
  return out;
}

}  // namespace

std::vector<uint8_t> BuildFakeDetector(bool tf2_order) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"image", DataType::kFloat32, {1, 16, 16, 3}, {}, {}});
  const int64_t size = 16 * 16 * 3;
  auto name = [&](const char* tf1, const char* tf2) { return std::string(tf2_order ? tf2 : tf1); };
  int32_t boxes =
      ConstantOutput(b, in, size, name("detection_boxes", "StatefulPartitionedCall:3"), {1, 3, 4},
                     {0.1f, 0.1f, 0.5f, 0.4f, 0.5f, 0.5f, 0.9f, 0.9f, 0.2f, 0.6f, 0.3f, 0.8f});
  int32_t classes = ConstantOutput(
      b, in, size, name("detection_classes", "StatefulPartitionedCall:2"), {1, 3}, {0, 2, 1});
  int32_t scores =
      ConstantOutput(b, in, size, name("detection_scores", "StatefulPartitionedCall:1"), {1, 3},
                     {0.9f, 0.6f, 0.2f});
  int32_t count =
      ConstantOutput(b, in, size, name("num_detections", "StatefulPartitionedCall:0"), {1}, {3});
  b.SetInputs({in});
  if (tf2_order) {
    b.SetOutputs({scores, boxes, count, classes});
  } else {
    b.SetOutputs({boxes, classes, scores, count});
  }
  return b.Finish();
}

std::vector<uint8_t> BuildFakeSegmenter() {
  ModelBuilder b;
  int32_t in = b.AddTensor({"image", DataType::kFloat32, {1, 8, 8, 3}, {}, {}});
  int32_t w =
      b.AddConstant("w", DataType::kFloat32, {2, 1, 1, 3}, std::vector<float>{1, 0, 0, 0, 1, 0});
  int32_t bias = b.AddConstant("b", DataType::kFloat32, {2}, std::vector<float>{0, 0});
  int32_t out = b.AddTensor({"logits", DataType::kFloat32, {1, 8, 8, 2}, {}, {}});
  b.AddOperator(OpCode::kConv2D, {in, w, bias}, {out}, Conv2DOptions{});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Finish();
}

std::vector<uint8_t> BuildFakePoseModel() {
  ModelBuilder b;
  int32_t in = b.AddTensor({"image", DataType::kFloat32, {1, 16, 16, 3}, {}, {}});
  std::vector<float> rows;
  for (int i = 0; i < 17; ++i)
    rows.insert(rows.end(), {0.1f + 0.04f * i, 0.2f + 0.03f * i, i % 2 ? 0.1f : 0.9f});
  int32_t out = ConstantOutput(b, in, 16 * 16 * 3, "keypoints", {1, 1, 17, 3}, rows);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Finish();
}

}  // namespace coralpi::testing

// Generated task models; see task_models.h.
#include "task_models.h"

#include <string>

#include "model/builder.h"
#include "model/test_zip.h"

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

namespace {

constexpr int kAnchors = 8;

// A [rows, anchors] matrix (YOLOv8's layout), all zero; the anchors are the row length.
std::vector<float> Rows(int rows, int anchors = kAnchors) {
  return std::vector<float>(static_cast<size_t>(rows) * anchors);
}
void Set(std::vector<float>& m, int row, int anchor, float v, int anchors = kAnchors) {
  m[static_cast<size_t>(row) * anchors + anchor] = v;
}
void SetBox(std::vector<float>& m, int anchor, float cx, float cy, float w, float h) {
  Set(m, 0, anchor, cx), Set(m, 1, anchor, cy), Set(m, 2, anchor, w), Set(m, 3, anchor, h);
}

// A model from float [1, 16, 16, 3] to constant outputs.
std::vector<uint8_t> ConstantModel(const std::vector<std::pair<Shape, std::vector<float>>>& outs) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"image", DataType::kFloat32, {1, 16, 16, 3}, {}, {}});
  std::vector<int32_t> outputs;
  for (size_t i = 0; i < outs.size(); ++i) {
    outputs.push_back(ConstantOutput(b, in, 16 * 16 * 3, "output" + std::to_string(i),
                                     outs[i].first, outs[i].second));
  }
  b.SetInputs({in});
  b.SetOutputs(outputs);
  return b.Finish();
}

std::vector<uint8_t> WithMetadata(std::vector<uint8_t> model, const std::string& json) {
  return AppendZip(std::move(model), {{"metadata.json", json}});
}

}  // namespace

std::vector<uint8_t> BuildFakeYoloV8(bool names) {
  std::vector<float> m = Rows(6);
  SetBox(m, 0, 0.5f, 0.5f, 0.5f, 0.25f), Set(m, 4, 0, 0.9f);
  SetBox(m, 1, 0.52f, 0.5f, 0.5f, 0.25f), Set(m, 4, 1, 0.8f);
  SetBox(m, 2, 0.25f, 0.5f, 0.2f, 0.2f), Set(m, 5, 2, 0.7f);
  std::vector<uint8_t> model = ConstantModel({{{1, 6, kAnchors}, m}});
  if (!names) return model;
  return WithMetadata(std::move(model),
                      R"({"task": "detect", "names": {"0": "cat", "1": "dog"}, "imgsz": [16, 16],)"
                      R"( "stride": 8, "version": "8.1.11"})");
}

std::vector<uint8_t> BuildFakeYoloV5() {
  std::vector<float> v8 = Rows(6);
  SetBox(v8, 0, 0.5f, 0.5f, 0.5f, 0.25f), Set(v8, 4, 0, 0.9f);
  SetBox(v8, 1, 0.52f, 0.5f, 0.5f, 0.25f), Set(v8, 4, 1, 0.8f);
  SetBox(v8, 2, 0.25f, 0.5f, 0.2f, 0.2f), Set(v8, 5, 2, 0.7f);
  std::vector<float> m(static_cast<size_t>(kAnchors) * 7, 0.0f);  // [anchors, 5 + 2]
  for (int a = 0; a < kAnchors; ++a) {
    for (int k = 0; k < 4; ++k) m[a * 7 + k] = v8[static_cast<size_t>(k) * kAnchors + a];
    m[a * 7 + 4] = 1.0f;
    m[a * 7 + 5] = v8[4 * kAnchors + a];
    m[a * 7 + 6] = v8[5 * kAnchors + a];
  }
  return ConstantModel({{{1, kAnchors, 7}, m}});
}

std::vector<uint8_t> BuildFakeYoloPose() {
  constexpr int kPoseAnchors = 64;  // more anchors than rows, as every real head has
  std::vector<float> m = Rows(56, kPoseAnchors);
  const float box[] = {0.5f, 0.5f, 0.5f, 0.25f, 0.9f};
  for (int row = 0; row < 5; ++row) Set(m, row, 0, box[row], kPoseAnchors);
  for (int k = 0; k < 17; ++k) {
    Set(m, 5 + 3 * k, 0, 0.3f + 0.02f * k, kPoseAnchors);
    Set(m, 6 + 3 * k, 0, 0.45f, kPoseAnchors);
    Set(m, 7 + 3 * k, 0, 0.9f, kPoseAnchors);
  }
  return WithMetadata(ConstantModel({{{1, 56, kPoseAnchors}, m}}),
                      R"({"task": "pose", "names": {"0": "person"}, "imgsz": [16, 16],)"
                      R"( "kpt_shape": [17, 3]})");
}

std::vector<uint8_t> BuildFakeYoloSegmenter() {
  std::vector<float> m = Rows(7);
  SetBox(m, 0, 0.5f, 0.5f, 0.5f, 0.25f), Set(m, 4, 0, 0.9f), Set(m, 5, 0, 1.0f);
  std::vector<float> protos;
  for (int cell = 0; cell < 16; ++cell) protos.insert(protos.end(), {1.0f, -1.0f});
  return ConstantModel({{{1, 7, kAnchors}, m}, {{1, 4, 4, 2}, protos}});
}

}  // namespace coralpi::testing

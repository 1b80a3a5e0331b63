// TFLite_Detection_PostProcess through the whole CPU engine, on generated one-operator models:
// the output shapes the model leaves unknown are resolved at load time (views and output_info),
// quantized inputs are dequantized and decoded against the anchors, and corrupt or out-of-range
// custom options are load-time errors naming the operator, never a crash.
#include <flatbuffers/flexbuffers.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <set>

#include "engine/cpu_engine.h"
#include "model/builder.h"

namespace coralpi {
namespace {

using OptionWriter = std::function<void(flexbuffers::Builder&)>;

// Options like the SSD model's (fast NMS; 90 classes there, 2 here) without the keys in `skip`,
// and `extra` written last, so a test can add, drop or replace keys.
std::vector<uint8_t> Options(const std::set<std::string>& skip = {},
                             const OptionWriter& extra = nullptr) {
  flexbuffers::Builder fbb;
  fbb.Map([&] {
    auto put_int = [&](const char* k, int64_t v) {
      if (!skip.count(k)) fbb.Int(k, v);
    };
    auto put_float = [&](const char* k, float v) {
      if (!skip.count(k)) fbb.Float(k, v);
    };
    put_int("max_detections", 3);
    put_int("max_classes_per_detection", 1);
    put_int("num_classes", 2);
    put_float("nms_score_threshold", 0.3f);
    put_float("nms_iou_threshold", 0.5f);
    put_float("y_scale", 10.0f);
    put_float("x_scale", 10.0f);
    put_float("h_scale", 5.0f);
    put_float("w_scale", 5.0f);
    if (extra) extra(fbb);
  });
  fbb.Finish();
  return fbb.GetBuffer();
}

Quantization Q(float scale, int64_t zp) { return Quantization{{scale}, {zp}, 0}; }

// Three anchors (y, x, h, w in hundredths): two overlapping near the top left, one bottom right.
const std::vector<uint8_t> kAnchors = {25, 25, 20, 20, 27, 25, 20, 20, 75, 75, 30, 10};

// Box encodings [1, 3, 4] and scores [1, 3, 3] (background first) as uint8 inputs, anchors a
// constant; the four float outputs have no shape in the model, as in converted SSD models.
std::vector<uint8_t> BuildModel(const std::vector<uint8_t>& options) {
  ModelBuilder b;
  int32_t boxes = b.AddTensor({"boxes", DataType::kUInt8, {1, 3, 4}, Q(0.1f, 128), {}});
  int32_t scores = b.AddTensor({"scores", DataType::kUInt8, {1, 3, 3}, Q(1.0f / 256, 0), {}});
  int32_t anchors = b.AddConstant("anchors", DataType::kUInt8, {3, 4}, kAnchors, Q(0.01f, 0));
  std::vector<int32_t> outs;
  for (const char* name : {"det_boxes", "det_classes", "det_scores", "det_count"}) {
    outs.push_back(b.AddTensor({name, DataType::kFloat32, {}, {}, {}}));
  }
  b.AddCustomOperator("TFLite_Detection_PostProcess", {boxes, scores, anchors}, outs, options);
  b.SetInputs({boxes, scores});
  b.SetOutputs(outs);
  return b.Finish();
}

Result<std::unique_ptr<CpuEngine>> Load(const std::vector<uint8_t>& options) {
  auto model = Model::FromBytes(BuildModel(options), "ssd.tflite");
  if (!model.ok()) return model.error();
  return CpuEngine::Create(*model);
}

std::string LoadError(const std::vector<uint8_t>& options) {
  auto engine = Load(options);
  return engine.ok() ? "" : engine.error().message;
}

std::vector<float> Floats(const TensorView& v) {
  return std::vector<float>(v.as<const float>(), v.as<const float>() + v.num_elements());
}

TEST(DetectionPostProcessEngine, ResolvesTheOutputShapesAtLoadTime) {
  auto engine = Load(Options());
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  CpuEngine& e = **engine;
  EXPECT_EQ(e.output(0).shape, (Shape{1, 3, 4}));
  EXPECT_EQ(e.output(1).shape, (Shape{1, 3}));
  EXPECT_EQ(e.output(2).shape, (Shape{1, 3}));
  EXPECT_EQ(e.output(3).shape, (Shape{1}));
  EXPECT_EQ(e.output_info(0).shape, (Shape{1, 3, 4}));
  EXPECT_EQ(e.graph().tensors[static_cast<size_t>(e.graph().outputs[3])].shape, (Shape{1}));
  // The model itself is left as it was.
  EXPECT_TRUE(
      e.model().main_graph().tensors[static_cast<size_t>(e.graph().outputs[0])].shape.empty());
}

TEST(DetectionPostProcessEngine, DecodesSuppressesAndReportsDetections) {
  auto engine = Load(Options());
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  CpuEngine& e = **engine;
  // Encodings: 128 is 0 (the anchor itself); box 2 moves down by 20 / 10 * 0.1 * 0.3 = 0.06.
  const std::vector<uint8_t> boxes = {128, 128, 128, 128, 128, 128, 128, 128, 148, 128, 128, 128};
  // Scores / 256: box 0 class 1 = 0.75, box 1 class 1 = 0.5 (overlaps box 0: suppressed),
  // box 2 class 0 = 0.5 and class 1 = 0.25; everything else below the 0.3 threshold.
  const std::vector<uint8_t> scores = {0, 10, 192, 0, 20, 128, 0, 128, 64};
  std::memcpy(e.input(0).data, boxes.data(), boxes.size());
  std::memcpy(e.input(1).data, scores.data(), scores.size());
  Status s = e.Invoke();
  ASSERT_TRUE(s.ok()) << s.error().message;
  // Box 0 = anchor 0: centre (0.25, 0.25), size 0.2 x 0.2. Box 2: centre (0.81, 0.75), 0.3 x 0.1.
  const std::vector<float> expected_boxes = {0.15f, 0.15f, 0.35f, 0.35f, 0.66f, 0.70f,
                                             0.96f, 0.80f, 0,     0,     0,     0};
  const std::vector<float> got = Floats(e.output(0));
  ASSERT_EQ(got.size(), expected_boxes.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected_boxes[i], 1e-6) << i;
  EXPECT_EQ(Floats(e.output(1)), (std::vector<float>{1, 0, 0}));
  EXPECT_EQ(Floats(e.output(2)), (std::vector<float>{0.75f, 0.5f, 0}));
  EXPECT_EQ(Floats(e.output(3)), (std::vector<float>{2}));
}

TEST(DetectionPostProcessEngine, RegularNmsKeepsOverlapsOfAnotherClass) {
  auto engine = Load(Options({}, [](flexbuffers::Builder& fbb) {
    fbb.Bool("use_regular_nms", true);
    fbb.Int("detections_per_class", 5);
  }));
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  CpuEngine& e = **engine;
  const std::vector<uint8_t> boxes(12, 128);
  // Box 1 (overlapping box 0) is class 0 now: regular NMS keeps it.
  const std::vector<uint8_t> scores = {0, 10, 192, 0, 160, 20, 0, 0, 0};
  std::memcpy(e.input(0).data, boxes.data(), boxes.size());
  std::memcpy(e.input(1).data, scores.data(), scores.size());
  ASSERT_TRUE(e.Invoke().ok());
  EXPECT_EQ(Floats(e.output(1)), (std::vector<float>{1, 0, 0}));
  EXPECT_EQ(Floats(e.output(2)), (std::vector<float>{0.75f, 0.625f, 0}));
  EXPECT_EQ(Floats(e.output(3)), (std::vector<float>{2}));
}

TEST(DetectionPostProcessEngine, ZeroMaxDetectionsGivesEmptyOutputs) {
  auto engine = Load(Options({"max_detections"}, [](auto& f) { f.Int("max_detections", 0); }));
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  CpuEngine& e = **engine;
  EXPECT_EQ(e.output(0).shape, (Shape{1, 0, 4}));
  EXPECT_EQ(e.output(2).shape, (Shape{1, 0}));
  std::memset(e.input(1).data, 200, 9);  // every score high
  Status s = e.Invoke();
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(Floats(e.output(3)), (std::vector<float>{0}));
}

TEST(DetectionPostProcessEngine, CorruptOptionsAreErrorsNamingTheOperator) {
  const std::vector<uint8_t> valid = Options();
  std::vector<uint8_t> truncated(valid.begin(), valid.end() - 5);
  flexbuffers::Builder scalar;
  scalar.Int(5);
  scalar.Finish();
  const std::vector<std::pair<std::string, std::vector<uint8_t>>> cases = {
      {"not a valid FlexBuffer", {}},
      {"not a valid FlexBuffer", {1, 2, 3, 4, 5, 6, 7, 3}},  // byte width 3
      {"custom options", truncated},
      {"not a FlexBuffer map", scalar.GetBuffer()},
      {"max_detections: is missing", Options({"max_detections"})},
      {"w_scale: is missing", Options({"w_scale"})},
      {"max_detections: is not an integer",
       Options({"max_detections"}, [](auto& f) { f.String("max_detections", "ten"); })},
      {"max_detections: -1 is outside",
       Options({"max_detections"}, [](auto& f) { f.Int("max_detections", -1); })},
      {"num_classes: 0 is outside",
       Options({"num_classes"}, [](auto& f) { f.Int("num_classes", 0); })},
      {"nms_iou_threshold",
       Options({"nms_iou_threshold"}, [](auto& f) { f.Float("nms_iou_threshold", 1.5f); })},
      {"nms_iou_threshold",
       Options({"nms_iou_threshold"}, [](auto& f) { f.Float("nms_iou_threshold", 0.0f); })},
      {"nms_score_threshold",
       Options({"nms_score_threshold"},
               [](auto& f) { f.Float("nms_score_threshold", std::nanf("")); })},
      {"y_scale", Options({"y_scale"}, [](auto& f) { f.Float("y_scale", 0.0f); })},
      {"use_regular_nms: is not a boolean",
       Options({}, [](auto& f) { f.String("use_regular_nms", "yes"); })},
      {"detections_per_class", Options({}, [](auto& f) { f.Int("detections_per_class", 0); })},
      {"max_detections * max_classes_per_detection",
       Options({"max_detections", "max_classes_per_detection"},
               [](auto& f) {
                 f.Int("max_detections", 65536);
                 f.Int("max_classes_per_detection", 65536);
               })},
      // Three score columns for 4 classes.
      {"class predictions have shape",
       Options({"num_classes"}, [](auto& f) { f.Int("num_classes", 4); })},
  };
  for (const auto& [expected, options] : cases) {
    const std::string error = LoadError(options);
    EXPECT_NE(error.find("operator 0 (TFLite_Detection_PostProcess)"), std::string::npos)
        << expected << ": " << error;
    EXPECT_NE(error.find(expected), std::string::npos) << expected << ": " << error;
  }
}

TEST(DetectionPostProcessEngine, DamagedOptionsNeverCrash) {
  const std::vector<uint8_t> valid = Options();
  for (size_t n = 0; n < valid.size(); ++n) {
    LoadError(std::vector<uint8_t>(valid.begin(), valid.begin() + static_cast<ptrdiff_t>(n)));
  }
  std::mt19937 rng(8);
  int loaded = 0;
  for (int i = 0; i < 300; ++i) {
    std::vector<uint8_t> damaged = valid;
    damaged[rng() % damaged.size()] = static_cast<uint8_t>(rng());
    loaded += LoadError(damaged).empty() ? 1 : 0;
  }
  // Some flips land in values that stay valid; most must be refused, none may crash.
  EXPECT_LT(loaded, 300);
}

}  // namespace
}  // namespace coralpi

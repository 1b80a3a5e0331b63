// The detection decoder on hand-made arrays: threshold, maximum count, ordering, coordinate
// mapping (stretch and letterbox), clamping, labels, and finding the outputs by operator slot,
// name and shape.
#include "vision/detection_decoder.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/builder.h"

namespace coralpi {

// gtest prints values through these (found by argument-dependent lookup).
void PrintTo(const Detection& d, std::ostream* os) { *os << ToString(d); }
void PrintTo(const BoundingBox& b, std::ostream* os) { *os << ToString(b); }

namespace {

// Boxes are float arithmetic over normalized coordinates: equal within 1/1000 pixel.
::testing::AssertionResult Near(const BoundingBox& a, const BoundingBox& b) {
  const float eps = 1e-3f;
  if (std::fabs(a.xmin - b.xmin) < eps && std::fabs(a.ymin - b.ymin) < eps &&
      std::fabs(a.xmax - b.xmax) < eps && std::fabs(a.ymax - b.ymax) < eps) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << ToString(a) << " vs " << ToString(b);
}

// Equal detections, boxes within 1/1000 pixel.
::testing::AssertionResult Same(const Detection& a, const Detection& b) {
  if (a.class_id == b.class_id && a.label == b.label && a.score == b.score && Near(a.box, b.box))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << ToString(a) << " vs " << ToString(b);
}

// Four rows: scores 0.9, 0.3, 0.6, 0.5 (count says only the first 3 are valid).
struct Rows {
  std::vector<float> boxes = {0.1f, 0.2f, 0.5f,  0.6f,  //
                              0.0f, 0.0f, 1.0f,  1.0f,  //
                              0.5f, 0.5f, 0.75f, 1.0f,  //
                              0.2f, 0.2f, 0.4f,  0.4f};
  std::vector<float> classes = {2, 0, 7, 1};
  std::vector<float> scores = {0.9f, 0.3f, 0.6f, 0.5f};
  float count = 3;
  DetectionArrays arrays() const { return {boxes, classes, scores, count}; }
};

InputTransform Identity(int w, int h) {
  return MakeInputTransform(w, h, w, h, ResizeMode::kStretch);
}

Labels MakeLabels(const std::string& text) {
  auto l = Labels::Parse(text, "labels.txt");
  EXPECT_TRUE(l.ok());
  return *l;
}

TEST(DetectionDecoder, ThresholdOrderAndCount) {
  Rows r;
  DetectionOptions opt;
  opt.threshold = 0.5f;
  auto d = DecodeDetections(r.arrays(), Identity(100, 200), nullptr, opt);
  ASSERT_TRUE(d.ok()) << d.error().message;
  // Row 3 (0.5) is beyond count; row 1 (0.3) under the threshold.
  ASSERT_EQ(d->size(), 2u);
  // Box (ymin 0.1, xmin 0.2, ymax 0.5, xmax 0.6) in a 100x200 image: x 20..60, y 20..100.
  EXPECT_TRUE(Same((*d)[0], Detection{2, "class 2", 0.9f, {20, 20, 60, 100}}));
  EXPECT_TRUE(Same((*d)[1], Detection{7, "class 7", 0.6f, {50, 100, 100, 150}}));
}

TEST(DetectionDecoder, MaxDetectionsKeepsTheBest) {
  Rows r;
  r.count = 4;
  DetectionOptions opt;
  opt.threshold = 0.0f;
  opt.max_detections = 2;
  auto d = DecodeDetections(r.arrays(), Identity(10, 10), nullptr, opt);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->size(), 2u);
  EXPECT_FLOAT_EQ((*d)[0].score, 0.9f);
  EXPECT_FLOAT_EQ((*d)[1].score, 0.6f);
  opt.max_detections = 0;
  EXPECT_TRUE(DecodeDetections(r.arrays(), Identity(10, 10), nullptr, opt)->empty());
}

TEST(DetectionDecoder, ZeroDetections) {
  Rows r;
  r.count = 0;
  DetectionOptions opt;
  opt.threshold = 0.0f;
  auto d = DecodeDetections(r.arrays(), Identity(10, 10), nullptr, opt);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->empty());
  // No rows at all.
  d = DecodeDetections({}, Identity(10, 10), nullptr, opt);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->empty());
  // A count beyond the rows, negative or NaN is clamped to what is there.
  r.count = 1000;
  EXPECT_EQ(DecodeDetections(r.arrays(), Identity(10, 10), nullptr, opt)->size(), 4u);
  r.count = -3;
  EXPECT_TRUE(DecodeDetections(r.arrays(), Identity(10, 10), nullptr, opt)->empty());
  r.count = NAN;
  EXPECT_EQ(DecodeDetections(r.arrays(), Identity(10, 10), nullptr, opt)->size(), 4u);
}

TEST(DetectionDecoder, SizesThatDisagreeAreErrors) {
  Rows r;
  r.boxes.pop_back();
  auto d = DecodeDetections(r.arrays(), Identity(10, 10), nullptr, {});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message,
            "detection outputs do not agree: 4 scores, 4 classes, 15 box coordinates (want 4 per "
            "score)");
  Rows r2;
  r2.classes.pop_back();
  EXPECT_FALSE(DecodeDetections(r2.arrays(), Identity(10, 10), nullptr, {}).ok());
}

TEST(DetectionDecoder, BoxesAreClampedToTheImage) {
  std::vector<float> boxes = {-0.2f, -0.1f, 0.5f, 1.3f};
  std::vector<float> classes = {0};
  std::vector<float> scores = {0.8f};
  auto d = DecodeDetections({boxes, classes, scores, 1}, Identity(50, 40), nullptr, {});
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->size(), 1u);
  EXPECT_TRUE(Near((*d)[0].box, BoundingBox{0, 0, 50, 20}));
  // Swapped corners are put in order.
  boxes = {0.5f, 0.6f, 0.25f, 0.2f};
  d = DecodeDetections({boxes, classes, scores, 1}, Identity(100, 100), nullptr, {});
  ASSERT_EQ(d->size(), 1u);
  EXPECT_TRUE(Near((*d)[0].box, BoundingBox{20, 25, 60, 50}));
}

TEST(DetectionDecoder, LetterboxMapsBackToTheImage) {
  // 400x200 image letterboxed into 100x100: the image covers input rows 25..75 (normalized
  // 0.25..0.75) at 4 image pixels per input pixel.
  InputTransform t = MakeInputTransform(400, 200, 100, 100, ResizeMode::kLetterbox);
  std::vector<float> boxes = {0.25f, 0.0f, 0.75f,  1.0f,   // the whole image
                              0.5f,  0.5f, 0.625f, 0.75f,  // y 100..150, x 200..300
                              0.0f,  0.0f, 0.2f,   1.0f};  // only padding
  std::vector<float> classes = {1, 2, 3};
  std::vector<float> scores = {0.9f, 0.8f, 0.7f};
  auto d = DecodeDetections({boxes, classes, scores, 3}, t, nullptr, {});
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->size(), 2u);  // the box in the padding has no area left and is dropped
  EXPECT_TRUE(Near((*d)[0].box, BoundingBox{0, 0, 400, 200}));
  EXPECT_TRUE(Near((*d)[1].box, BoundingBox{200, 100, 300, 150}));
}

TEST(DetectionDecoder, LabelsWithTheBackgroundLineAndShortFiles) {
  Rows r;
  DetectionOptions opt;
  opt.threshold = 0.5f;
  // TensorFlow's label maps: line 0 "???", class c on line c + 1.
  Labels pets = MakeLabels("???\na\nb\nc\n");
  EXPECT_EQ(DetectionLabelOffset(pets), 1);
  opt.label_offset = DetectionLabelOffset(pets);
  auto d = DecodeDetections(r.arrays(), Identity(10, 10), &pets, opt);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)[0].label, "c");        // class 2
  EXPECT_EQ((*d)[1].label, "class 7");  // beyond the file: named by its id, not line 8
  // Plain lists: class c on line c.
  Labels coco = MakeLabels("person\nbicycle\ncar\n");
  EXPECT_EQ(DetectionLabelOffset(coco), 0);
  opt.label_offset = 0;
  d = DecodeDetections(r.arrays(), Identity(10, 10), &coco, opt);
  EXPECT_EQ((*d)[0].label, "car");
}

TEST(DetectionDecoder, NonFiniteValuesAreSkipped) {
  std::vector<float> boxes = {0, 0, 1, 1, 0, 0, 1, 1};
  std::vector<float> classes = {NAN, 1};
  std::vector<float> scores = {0.9f, NAN};
  auto d = DecodeDetections({boxes, classes, scores, 2}, Identity(10, 10), nullptr, {});
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->empty());
}

// --- finding the outputs ---------------------------------------------------------------

OutputDesc Out(std::string name, Shape shape, std::string producer = "", int slot = -1) {
  return {std::move(name), DataType::kFloat32, std::move(shape), std::move(producer), slot};
}

TEST(FindDetectionOutputs, ByThePostProcessSlotsInAnyOrder) {
  const std::string pp = "TFLite_Detection_PostProcess";
  // Shapes unknown ([]), as in real TF1 exports; order shuffled.
  std::vector<OutputDesc> outs = {Out("c", {}, pp, 3), Out("a", {}, pp, 0), Out("s", {}, pp, 2),
                                  Out("k", {}, pp, 1)};
  auto f = FindDetectionOutputs(outs);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(*f, (DetectionOutputs{1, 3, 2, 0, "post-process operator"}));
}

TEST(FindDetectionOutputs, ByName) {
  std::vector<OutputDesc> outs = {Out("num_detections", {1}), Out("detection_scores", {1, 10}),
                                  Out("detection_boxes", {1, 10, 4}),
                                  Out("detection_classes", {1, 10})};
  auto f = FindDetectionOutputs(outs);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(*f, (DetectionOutputs{2, 3, 1, 0, "names"}));
}

TEST(FindDetectionOutputs, ByShapeInTheTwoKnownOrders) {
  std::vector<OutputDesc> tf1 = {Out("o0", {1, 10, 4}), Out("o1", {1, 10}), Out("o2", {1, 10}),
                                 Out("o3", {1})};
  auto f = FindDetectionOutputs(tf1);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, (DetectionOutputs{0, 1, 2, 3, "TF1 SSD order"}));
  // TF2 detection API and EfficientDet-Lite: StatefulPartitionedCall:1 scores, :3 boxes,
  // :0 count, :2 classes, in this order.
  std::vector<OutputDesc> tf2 = {
      Out("StatefulPartitionedCall:1", {1, 25}), Out("StatefulPartitionedCall:3", {1, 25, 4}),
      Out("StatefulPartitionedCall:0", {1}), Out("StatefulPartitionedCall:2", {1, 25})};
  f = FindDetectionOutputs(tf2);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, (DetectionOutputs{1, 3, 0, 2, "TF2 order"}));
}

TEST(FindDetectionOutputs, AClassifierIsNotADetector) {
  std::vector<OutputDesc> outs = {
      {"MobilenetV2/Predictions/Reshape_1", DataType::kUInt8, {1, 1001}, "RESHAPE", 0}};
  auto f = FindDetectionOutputs(outs);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message,
            "not a detector with post-processing: expected the four outputs of "
            "TFLite_Detection_PostProcess (boxes [1, N, 4], classes [1, N], scores [1, N], "
            "count [1]), but the model's outputs are: 0 \"MobilenetV2/Predictions/Reshape_1\" "
            "uint8 [1, 1001]");
  // Four outputs of the wrong shapes (raw SSD heads without post-processing) are no better.
  std::vector<OutputDesc> raw = {Out("boxes_raw", {1, 1917, 4}), Out("scores_raw", {1, 1917, 91}),
                                 Out("x", {1, 3}), Out("y", {2})};
  EXPECT_FALSE(FindDetectionOutputs(raw).ok());
  EXPECT_FALSE(FindDetectionOutputs({}).ok());
}

TEST(FindDetectionOutputs, DescribesAModelsOutputsAndClassCount) {
  // A generated graph ending in the post-process operator (never run here).
  ModelBuilder b;
  int32_t in = b.AddTensor({"boxes_in", DataType::kFloat32, {1, 6, 4}, {}, {}});
  int32_t cls = b.AddTensor({"class_predictions", DataType::kFloat32, {1, 6, 4}, {}, {}});
  int32_t anchors =
      b.AddConstant("anchors", DataType::kFloat32, {6, 4}, std::vector<float>(24, 0.5f));
  std::vector<int32_t> outs;
  for (const char* n : {"pp", "pp:1", "pp:2", "pp:3"})
    outs.push_back(b.AddTensor({n, DataType::kFloat32, {}, {}, {}}));
  b.AddCustomOperator("TFLite_Detection_PostProcess", {in, cls, anchors}, outs);
  b.SetInputs({in, cls});
  b.SetOutputs({outs[2], outs[0], outs[1], outs[3]});
  auto model = Model::FromBytes(b.Finish(), "pp.tflite");
  ASSERT_TRUE(model.ok()) << model.error().message;
  std::vector<OutputDesc> d = DescribeOutputs(**model);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].name, "pp:2");
  EXPECT_EQ(d[0].producer, "TFLite_Detection_PostProcess");
  EXPECT_EQ(d[0].producer_slot, 2);
  auto f = FindDetectionOutputs(d);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, (DetectionOutputs{1, 2, 0, 3, "post-process operator"}));
  EXPECT_EQ(DetectorClassCount(**model), 3);  // 4 predictions per anchor, one is background
}

}  // namespace
}  // namespace coralpi

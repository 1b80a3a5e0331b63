// The shared YOLO exports on bus.jpg and zidane.jpg through the task layer (CPU engine), against
// what TensorFlow Lite finds (../shared/testdata/README.md, "YOLO models": Ultralytics'
// preprocessing, threshold 0.25, per-class NMS): every detection of that table with score >= 0.4
// is found with the same label and a box of IoU >= 0.8, and nothing that the table lacks scores
// above 0.5. The table is written down here from the README, not computed with coralpi.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "image/image.h"
#include "task/detection_task.h"
#include "task/task_session.h"
#include "testutil/testdata.h"
#include "vision/detection_decoder.h"
#include "vision/nms.h"

namespace coralpi::testing {
namespace {

struct Expected {
  std::string label;
  float score;
  BoundingBox box;  // x0 y0 x1 y1, original image pixels
};

struct Case {
  const char* model;
  const char* image;
  bool needs_labels;  // no metadata in the file: names from coco80_labels.txt
  std::vector<Expected> expected;
};

std::vector<Case> Cases() {
  return {
      {"yolov5n_640_fp16", "bus.jpg", true,
       {{"person", 0.82f, {219, 408, 348, 863}},
        {"person", 0.82f, {51, 397, 206, 897}},
        {"person", 0.68f, {678, 383, 810, 868}},
        {"bus", 0.56f, {52, 237, 810, 774}}}},
      {"yolov5n_640_fp16", "zidane.jpg", true, {{"person", 0.80f, {742, 40, 1153, 715}}}},
      {"yolov8n_640_dynamic_range_int8", "bus.jpg", false,
       {{"person", 0.93f, {671, 379, 810, 877}},
        {"person", 0.91f, {50, 398, 243, 904}},
        {"person", 0.91f, {221, 407, 342, 856}},
        {"bus", 0.86f, {22, 230, 794, 753}}}},
      {"yolov8n_640_dynamic_range_int8", "zidane.jpg", false,
       {{"person", 0.89f, {146, 199, 1105, 711}},
        {"person", 0.85f, {748, 40, 1147, 709}},
        {"tie", 0.48f, {434, 437, 510, 716}}}},
      {"yolov8n_320_full_integer_quant", "bus.jpg", false,
       {{"bus", 0.88f, {11, 236, 792, 730}},
        {"person", 0.85f, {43, 390, 228, 905}},
        {"person", 0.72f, {664, 422, 807, 873}},
        {"person", 0.62f, {228, 409, 351, 865}}}},
      {"yolov8n_320_full_integer_quant", "zidane.jpg", false,
       {{"person", 0.88f, {163, 207, 906, 717}}, {"person", 0.85f, {730, 31, 1145, 705}}}},
      {"yolov5n_640_int8", "bus.jpg", true,
       {{"person", 0.82f, {216, 404, 356, 874}},
        {"person", 0.77f, {53, 421, 208, 905}},
        {"person", 0.70f, {676, 377, 806, 871}},
        {"bus", 0.55f, {22, 254, 810, 753}}}},
      {"yolov5n_640_int8", "zidane.jpg", true,
       {{"person", 0.76f, {757, 18, 1147, 720}}, {"person", 0.58f, {137, 182, 734, 720}}}},
  };
}

// The detection of `found` that matches `e` (same label, IoU >= 0.8), or null.
const Detection* Match(const std::vector<Detection>& found, const Expected& e) {
  for (const Detection& d : found) {
    if (d.label == e.label && IoU(d.box, e.box) >= 0.8f) return &d;
  }
  return nullptr;
}

std::string Describe(const std::vector<Detection>& found) {
  std::string s;
  for (const Detection& d : found) s += "\n  " + ToString(d);
  return s;
}

class YoloRealData : public ::testing::TestWithParam<Case> {};

TEST_P(YoloRealData, FindsWhatTensorFlowLiteFinds) {
  const Case& c = GetParam();
  const std::string model = std::string("models/") + c.model + ".tflite";
  const std::string image_file = std::string("images/") + c.image;
  CORALPI_REQUIRE_TESTDATA(model);
  CORALPI_REQUIRE_TESTDATA(image_file);
  SessionOptions options;
  options.model = TestDataPath(model);
  if (c.needs_labels) options.labels = TestDataPath("labels/coco80_labels.txt");
  options.backend.kind = BackendKind::kCpu;
  auto session = TaskSession::Open(options);
  ASSERT_TRUE(session.ok()) << session.error().message;
  DetectOptions detect;
  detect.threshold = 0.25f;
  auto task = DetectionTask::Create(**session, detect);
  ASSERT_TRUE(task.ok()) << task.error().message;
  EXPECT_TRUE(task->head().yolo());
  auto image = ReadImageFile(TestDataPath(image_file));
  ASSERT_TRUE(image.ok()) << image.error().message;
  auto result = task->Run(*image);
  ASSERT_TRUE(result.ok()) << result.error().message;
  const std::vector<Detection>& found = result->detections;
  for (const Expected& e : c.expected) {
    if (e.score < 0.4f) continue;
    EXPECT_NE(Match(found, e), nullptr)
        << c.model << " on " << c.image << ": no " << e.label << " near [" << e.box.xmin << " "
        << e.box.ymin << " " << e.box.xmax << " " << e.box.ymax << "]; found:" << Describe(found);
  }
  for (const Detection& d : found) {
    if (d.score <= 0.5f) continue;
    bool listed = false;
    for (const Expected& e : c.expected) listed = listed || (d.label == e.label && IoU(d.box, e.box) >= 0.5f);
    EXPECT_TRUE(listed) << c.model << " on " << c.image << ": " << ToString(d)
                        << " is not in TensorFlow Lite's table";
  }
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string name = std::string(info.param.model) + "_" + info.param.image;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(SharedModels, YoloRealData, ::testing::ValuesIn(Cases()), CaseName);

}  // namespace
}  // namespace coralpi::testing

// The three real task models of ../shared/testdata on their images, through the decoders, as
// TensorFlow Lite finds them (testdata/README.md): the pets SSD finds both dogs' heads,
// DeepLab's bird overlaps the ground-truth mask, MoveNet's keypoints match the reference CSV.
//
// Each check runs on the CPU engine (skipped, saying why, while the engine cannot load the
// model) and on the tflite backend (its own kernels) too, with TensorFlow Lite's real C library
// (testutil/testdata.h: CORALPI_TFLITE_LIB, else ../shared/anchors' x86-64 build on x86-64).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "backend/backend_factory.h"
#include "backend/tflite_backend.h"
#include "image/image.h"
#include "testutil/testdata.h"
#include "vision/detection_decoder.h"
#include "vision/pose.h"
#include "vision/preprocess.h"
#include "vision/segmentation.h"

namespace coralpi {

void PrintTo(const Detection& d, std::ostream* os) { *os << ToString(d); }

namespace testing {
namespace {

const char* kSsd = "models/ssd_mobilenet_pets_quant_postprocess.tflite";
const char* kDeepLab = "models/deeplabv3_mnv2_dm05_pascal_quant.tflite";
const char* kMoveNet = "models/movenet_single_pose_lightning_ptq.tflite";

// The model on `backend` ("cpu" or "tflite"), or the reason it cannot run there.
struct Opened {
  ModelSource model;
  std::unique_ptr<Backend> backend;
  std::string skip;  // set: skip with this message
};

Opened Open(const char* file, const std::string& backend) {
  Opened o;
  auto model = LoadModelSource(TestDataPath(file));
  EXPECT_TRUE(model.ok()) << model.error().message;
  if (!model.ok()) return o;
  o.model = *model;
  if (backend == "cpu") {
    auto cpu = CreateCpuBackend(o.model.model, {1, false});
    EXPECT_TRUE(cpu.ok()) << file << ": " << cpu.error().message;
    if (cpu.ok()) o.backend = std::move(*cpu);
    return o;
  }
  std::string lib = testing::RealLibraryPath("CORALPI_TFLITE_LIB", CORALPI_TFLITE_TEST_LIB);
  if (lib.empty() || !testing::FileExists(lib)) {
    EXPECT_FALSE(testing::RealLibraryRequired("TFLITE")) << "missing: '" << lib << "'";
    o.skip = "no real TensorFlow Lite C library for this machine: '" + lib +
             "' (CORALPI_TFLITE_LIB names one)";
    return o;
  }
  // TensorFlow Lite's own kernels: the numbers of testdata/README.md. (Through its XNNPACK
  // delegate DeepLab's bird IoU is 0.819 instead of 0.837.)
  auto tfl = CreateTfLiteBackend(o.model, {1, lib, /*use_xnnpack=*/false});
  if (!tfl.ok()) {
    o.skip = "no TensorFlow Lite backend: " + tfl.error().message;
  } else if ((*tfl)->details().find("fake") != std::string::npos) {
    o.skip = "CORALPI_TFLITE_LIB is the test fake";
  } else {
    o.backend = std::move(*tfl);
  }
  return o;
}

// Reads `image_file`, fills the input (stretched) and invokes; the transform back.
InputTransform RunOn(Backend& b, const char* image_file, Image* image) {
  auto read = ReadImageFile(TestDataPath(image_file));
  EXPECT_TRUE(read.ok()) << read.error().message;
  *image = *read;
  auto t = FillImageInputMapped(*image, b.input(0));
  EXPECT_TRUE(t.ok()) << t.error().message;
  Status s = b.Invoke();
  EXPECT_TRUE(s.ok()) << s.error().message;
  return t.ok() ? *t : InputTransform{};
}

class TaskRealData : public ::testing::TestWithParam<std::string> {};

TEST_P(TaskRealData, PetsDetectorFindsBothHeads) {
  CORALPI_REQUIRE_TESTDATA(kSsd);
  CORALPI_REQUIRE_TESTDATA("images/pets.jpg");
  CORALPI_REQUIRE_TESTDATA("labels/pets_labelmap.txt");
  Opened o = Open(kSsd, GetParam());
  if (!o.skip.empty()) GTEST_SKIP() << o.skip;
  ASSERT_TRUE(o.backend);
  auto labels = Labels::Load(TestDataPath("labels/pets_labelmap.txt"));
  ASSERT_TRUE(labels.ok());
  auto where = FindDetectionOutputs(DescribeOutputs(*o.model.model));
  ASSERT_TRUE(where.ok()) << where.error().message;
  EXPECT_EQ(where->found_by, "post-process operator");
  EXPECT_EQ(DetectorClassCount(*o.model.model), 37);
  Image image;
  InputTransform t = RunOn(*o.backend, "images/pets.jpg", &image);
  ASSERT_EQ(image.width, 512);
  ASSERT_EQ(image.height, 430);
  DetectionOptions opt;
  opt.threshold = 0.25f;
  opt.label_offset = DetectionLabelOffset(*labels);
  auto dets = ReadDetections(*o.backend, *where, t, &*labels, opt);
  ASSERT_TRUE(dets.ok()) << dets.error().message;
  ASSERT_EQ(dets->size(), 2u) << ::testing::PrintToString(*dets);
  // TensorFlow Lite: staffordshire_bull_terrier 0.58 around x 153-242, y 54-146 and boxer 0.29
  // around x 388-495, y 169-245. Scores within 0.06 (resize conventions differ), boxes within
  // 6 pixels.
  struct Want {
    const char* label;
    float score;
    BoundingBox box;
  } want[] = {{"staffordshire_bull_terrier", 0.58f, {153, 54, 242, 146}},
              {"boxer", 0.29f, {388, 169, 495, 245}}};
  for (size_t i = 0; i < 2; ++i) {
    const Detection& d = (*dets)[i];
    std::printf("%s\n", ToString(d).c_str());
    SCOPED_TRACE(ToString(d));
    EXPECT_EQ(d.label, want[i].label);
    EXPECT_NEAR(d.score, want[i].score, 0.06);
    EXPECT_NEAR(d.box.xmin, want[i].box.xmin, 6);
    EXPECT_NEAR(d.box.ymin, want[i].box.ymin, 6);
    EXPECT_NEAR(d.box.xmax, want[i].box.xmax, 6);
    EXPECT_NEAR(d.box.ymax, want[i].box.ymax, 6);
  }
}

TEST_P(TaskRealData, DeepLabBirdMatchesTheMask) {
  CORALPI_REQUIRE_TESTDATA(kDeepLab);
  CORALPI_REQUIRE_TESTDATA("images/bird_segmentation.bmp");
  CORALPI_REQUIRE_TESTDATA("images/bird_segmentation_mask.bmp");
  Opened o = Open(kDeepLab, GetParam());
  if (!o.skip.empty()) GTEST_SKIP() << o.skip;
  ASSERT_TRUE(o.backend);
  Image image;
  InputTransform t = RunOn(*o.backend, "images/bird_segmentation.bmp", &image);
  ASSERT_EQ(image.width, 513);  // the model's own size: no resize
  auto map = ReadSegmentation(o.backend->output(0));
  ASSERT_TRUE(map.ok()) << map.error().message;
  SegmentationMap classes = MapToImage(*map, t);
  // The mask is an 8-bit grey BMP whose value is the class id (0 background, 3 bird; a few
  // pixels of the outline hold other values).
  auto mask = ReadImageFile(TestDataPath("images/bird_segmentation_mask.bmp"));
  ASSERT_TRUE(mask.ok()) << mask.error().message;
  ASSERT_EQ(mask->width, 513);
  ASSERT_EQ(mask->height, 513);
  int64_t both = 0, either = 0, truth = 0;
  for (size_t i = 0; i < classes.classes.size(); ++i) {
    bool ours = classes.classes[i] == 3;
    bool theirs = mask->rgb[3 * i] == 3;
    both += ours && theirs;
    either += ours || theirs;
    truth += theirs;
  }
  ASSERT_GT(truth, 40000);  // the mask does encode the bird as 3
  double iou = static_cast<double>(both) / static_cast<double>(either);
  RecordProperty("iou", std::to_string(iou));
  std::printf("IoU of the bird class: %.4f\n", iou);
  // TensorFlow Lite's own kernels: 0.837; the CPU engine, on XNNPACK as TensorFlow Lite's XNNPACK
  // delegate: 0.8185 (GCC 12 and clang 14 alike).
  EXPECT_GE(iou, 0.81);
}

TEST_P(TaskRealData, MoveNetMatchesTheReferenceKeypoints) {
  const char* csv = "models/movenet_single_pose_lightning_ptq_reference.csv";
  CORALPI_REQUIRE_TESTDATA(kMoveNet);
  CORALPI_REQUIRE_TESTDATA("images/squat.bmp");
  CORALPI_REQUIRE_TESTDATA(csv);
  Opened o = Open(kMoveNet, GetParam());
  if (!o.skip.empty()) GTEST_SKIP() << o.skip;
  ASSERT_TRUE(o.backend);
  Image image;
  InputTransform t = RunOn(*o.backend, "images/squat.bmp", &image);
  auto kps = ReadPose(o.backend->output(0), t);
  ASSERT_TRUE(kps.ok()) << kps.error().message;
  // pose_id,pose_score,keypoint_id,keypoint_score,keypoint_x,keypoint_y; x and y normalized
  // to the image.
  std::ifstream in(TestDataPath(csv));
  std::string line;
  std::getline(in, line);
  int rows = 0;
  double worst = 0;
  while (std::getline(in, line)) {
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream fields(line);
    int pose = 0, id = -1;
    double pose_score = 0, score = 0, x = 0, y = 0;
    fields >> pose >> pose_score >> id >> score >> x >> y;
    ASSERT_TRUE(fields && id >= 0 && id < kPoseKeypoints) << line;
    const Keypoint& k = (*kps)[static_cast<size_t>(id)];
    double dx = k.x / image.width - x, dy = k.y / image.height - y;
    SCOPED_TRACE(ToString(k));
    EXPECT_LE(std::fabs(dx), 0.05);
    EXPECT_LE(std::fabs(dy), 0.05);
    worst = std::max({worst, std::fabs(dx), std::fabs(dy)});
    ++rows;
  }
  EXPECT_EQ(rows, kPoseKeypoints);
  RecordProperty("worst", std::to_string(worst));
  std::printf("largest keypoint difference: %.4f (normalized)\n", worst);
}

INSTANTIATE_TEST_SUITE_P(Backends, TaskRealData, ::testing::Values("cpu", "tflite"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace testing
}  // namespace coralpi

// `coralpi detect`, `pose` and `segment` on generated YOLO models (task_models.h): raw heads in
// Ultralytics' layouts, with and without its metadata, letterboxed as Ultralytics does. The
// image is 200 x 100, letterboxed into the 16 x 16 input at scale 0.08 with 4 rows of padding
// above: input x = 0.08 image x, input y = 0.08 image y + 4. So the box (0.5, 0.5, 0.5, 0.25)
// (input x 4-12, y 6-10) is image x 50-150, y 25-75, and (0.25, 0.5, 0.2, 0.2) is x 30-70,
// y 30-70.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "image/image.h"
#include "image/test_images.h"
#include "task_models.h"

namespace coralpi::testing {
namespace {

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

void ExpectBox(const nlohmann::json& box, double x0, double y0, double x1, double y1) {
  EXPECT_NEAR(box["xmin"].get<double>(), x0, 0.05) << box;
  EXPECT_NEAR(box["ymin"].get<double>(), y0, 0.05) << box;
  EXPECT_NEAR(box["xmax"].get<double>(), x1, 0.05) << box;
  EXPECT_NEAR(box["ymax"].get<double>(), y1, 0.05) << box;
}

class YoloCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    image_ = Path("grey.png");
    WriteBytes(image_, EncodePng(200, 100, 2, 8, std::vector<uint8_t>(200 * 100 * 3, 90)));
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string Model(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::string path = Path(name);
    WriteBytes(path, bytes);
    return path;
  }
  nlohmann::json Json(const std::vector<std::string>& args) {
    CliResult r = RunCoralpi(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out)[0] : nlohmann::json();
  }
  std::string dir_, image_;
};

TEST_F(YoloCli, DetectV8NamesClassesFromTheMetadataAndSuppressesOverlaps) {
  std::string model = Model("v8.tflite", BuildFakeYoloV8(/*names=*/true));
  nlohmann::json j = Json({"detect", "--model", model, image_, "--json"});
  const auto& d = j["detections"];
  ASSERT_EQ(d.size(), 2u) << j;  // anchor 1 overlaps anchor 0 by IoU 0.92 > 0.7
  EXPECT_EQ(d[0]["label"], "cat");
  EXPECT_NEAR(d[0]["score"].get<double>(), 0.9, 1e-4);
  ExpectBox(d[0]["box"], 50, 25, 150, 75);
  EXPECT_EQ(d[1]["label"], "dog");
  EXPECT_EQ(d[1]["class_id"], 1);
  ExpectBox(d[1]["box"], 30, 30, 70, 70);
  EXPECT_TRUE(j["time_ms"].contains("results")) << j;
}

TEST_F(YoloCli, DetectTextSaysWhichHeadAndWhereTheLabelsCameFrom) {
  std::string model = Model("v8.tflite", BuildFakeYoloV8(/*names=*/true));
  CliResult r = RunCoralpi({"detect", "--model", model, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "head: YOLOv8")) << r.out;
  EXPECT_TRUE(Has(r.out, "2 classes, score >= 0.25, IoU 0.70 per class, letterbox")) << r.out;
  EXPECT_TRUE(Has(r.out, "labels from the model's metadata")) << r.out;
  EXPECT_TRUE(Has(r.out, "cat")) << r.out;
}

TEST_F(YoloCli, IouAndThresholdFlagsChangeWhatIsKept) {
  std::string model = Model("v8.tflite", BuildFakeYoloV8(/*names=*/true));
  EXPECT_EQ(Json({"detect", "--model", model, image_, "--json", "--iou", "0.95"})["detections"]
                .size(),
            3u);
  EXPECT_EQ(Json({"detect", "--model", model, image_, "--json", "--threshold", "0.75"})
                ["detections"]
                    .size(),
            1u);
}

TEST_F(YoloCli, DetectV8WithoutMetadataCountsClassesFromTheShape) {
  std::string model = Model("v8.tflite", BuildFakeYoloV8(/*names=*/false));
  nlohmann::json d = Json({"detect", "--model", model, image_, "--json"})["detections"];
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0]["label"], "class 0");
  std::ofstream(Path("labels.txt")) << "car\nbus\n";
  d = Json({"detect", "--model", model, image_, "--json", "--labels", Path("labels.txt")})
      ["detections"];
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[1]["label"], "bus");
}

TEST_F(YoloCli, DetectV5MultipliesObjectnessAndUsesItsOwnIou) {
  std::string model = Model("v5.tflite", BuildFakeYoloV5());
  CliResult r = RunCoralpi({"detect", "--model", model, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "head: YOLOv5")) << r.out;
  EXPECT_TRUE(Has(r.out, "IoU 0.45")) << r.out;
  nlohmann::json d = Json({"detect", "--model", model, image_, "--json"})["detections"];
  ASSERT_EQ(d.size(), 2u);
  ExpectBox(d[0]["box"], 50, 25, 150, 75);
  ExpectBox(d[1]["box"], 30, 30, 70, 70);
}

TEST_F(YoloCli, LabelsThatNameTooFewClassesAreAnError) {
  std::string model = Model("v8.tflite", BuildFakeYoloV8(/*names=*/false));
  std::ofstream(Path("one.txt")) << "car\n";
  CliResult r = RunCoralpi({"detect", "--model", model, image_, "--labels", Path("one.txt")});
  EXPECT_EQ(r.exit_code, 4);  // a labels file that does not fit: cli/command.h's kExitFile
  EXPECT_TRUE(Has(r.err, Path("one.txt"))) << r.err;
}

TEST_F(YoloCli, PoseFindsThePersonAndItsKeypointsInImagePixels) {
  std::string model = Model("pose.tflite", BuildFakeYoloPose());
  nlohmann::json j = Json({"pose", "--model", model, image_, "--json"});
  ASSERT_EQ(j["people"].size(), 1u) << j;
  const auto& p = j["people"][0];
  EXPECT_EQ(p["label"], "person");
  ExpectBox(p["box"], 50, 25, 150, 75);
  ASSERT_EQ(p["keypoints"].size(), 17u);
  EXPECT_EQ(p["keypoints"][0]["name"], "nose");
  // keypoint k: input x = 16 (0.3 + 0.02 k), y = 16 x 0.45 = 7.2 -> image (x / 0.08, 40).
  EXPECT_NEAR(p["keypoints"][0]["x"].get<double>(), 60, 0.05);
  EXPECT_NEAR(p["keypoints"][10]["x"].get<double>(), 100, 0.05);
  EXPECT_NEAR(p["keypoints"][10]["y"].get<double>(), 40, 0.05);
  EXPECT_NEAR(p["keypoints"][10]["score"].get<double>(), 0.9, 1e-4);
  EXPECT_EQ(j["keypoints"], p["keypoints"]);
}

TEST_F(YoloCli, PosePictureIsWritten) {
  std::string model = Model("pose.tflite", BuildFakeYoloPose());
  CliResult r = RunCoralpi({"pose", "--model", model, image_, "--out", Path("pose.png")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "1 person")) << r.out;
  auto picture = ReadImageFile(Path("pose.png"));
  ASSERT_TRUE(picture.ok()) << picture.error().message;
  EXPECT_EQ(picture->width, 200);
}

TEST_F(YoloCli, SegmentGivesTheObjectWithItsMask) {
  std::string model = Model("seg.tflite", BuildFakeYoloSegmenter());
  nlohmann::json j = Json({"segment", "--model", model, image_, "--json"});
  ASSERT_EQ(j["objects"].size(), 1u) << j;
  const auto& o = j["objects"][0];
  ExpectBox(o["box"], 50, 25, 150, 75);
  // The mask fills the box: 100 x 50 pixels of the image.
  EXPECT_NEAR(o["pixels"].get<double>(), 5000, 300);
  ASSERT_EQ(j["classes"].size(), 1u) << j;
  EXPECT_EQ(j["classes"][0]["class_id"], 0);
  EXPECT_EQ(j["classes"][0]["pixels"], o["pixels"]);
}

TEST_F(YoloCli, SegmentPictureColoursTheMask) {
  std::string model = Model("seg.tflite", BuildFakeYoloSegmenter());
  CliResult r =
      RunCoralpi({"segment", "--model", model, image_, "--out", Path("seg.png"), "--opacity", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto picture = ReadImageFile(Path("seg.png"));
  ASSERT_TRUE(picture.ok()) << picture.error().message;
  auto at = [&](int x, int y) { return &picture->rgb[3 * (static_cast<size_t>(y) * picture->width + x)]; };
  const uint8_t* inside = at(100, 60);
  const uint8_t* outside = at(10, 90);
  EXPECT_EQ(outside[0], 90);  // untouched grey
  EXPECT_FALSE(inside[0] == 90 && inside[1] == 90 && inside[2] == 90);
}

TEST_F(YoloCli, InspectNamesTheHeadDetectWouldDecode) {
  std::string model = Model("v8.tflite", BuildFakeYoloV8(/*names=*/true));
  CliResult r = RunCoralpi({"inspect", model});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "detector:    YOLOv8 on output 0 [1, 6, 8], 2 classes")) << r.out;
  r = RunCoralpi({"inspect", model, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["detection_head"]["kind"], "YOLOv8");
  EXPECT_EQ(j["detection_head"]["classes"], 2);
  std::string v5 = Model("v5.tflite", BuildFakeYoloV5());
  j = nlohmann::json::parse(RunCoralpi({"inspect", v5, "--json"}).out);
  EXPECT_EQ(j["detection_head"]["kind"], "YOLOv5");
}

TEST_F(YoloCli, BenchTimesTheResultsOfADetectorBesideInvoke) {
  std::string model = Model("v8.tflite", BuildFakeYoloV8(/*names=*/true));
  CliResult r = RunCoralpi({"bench", "--model", model, "--runs", "3", "--warmup", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("results_ms")) << j;
  EXPECT_EQ(j["results_ms"]["head"], "YOLOv8");
  EXPECT_EQ(j["results_ms"]["runs"], 3);
  EXPECT_GE(j["results_ms"]["min"].get<double>(), 0.0);
  r = RunCoralpi({"bench", "--model", model, "--runs", "3", "--warmup", "1"});
  EXPECT_TRUE(Has(r.out, "results:  YOLOv8 decode + NMS")) << r.out;
  // A classifier has no results to decode.
  r = RunCoralpi({"bench", "--runs", "2", "--warmup", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(nlohmann::json::parse(r.out).contains("results_ms"));
}

}  // namespace
}  // namespace coralpi::testing

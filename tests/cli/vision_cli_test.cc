// `coralpi detect`, `segment` and `pose` (and `classify --out`) as a user runs them, on
// generated models whose outputs are known (task_models.h): text and JSON output, the
// pictures, usage errors (exit 2) and bad input (exit 1, "coralpi: error: <file>: <reason>").
#include <dirent.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "fake_host.h"
#include "image/image.h"
#include "image/test_images.h"
#include "model/mobilenet_v2.h"
#include "task_models.h"

namespace coralpi::testing {
namespace {

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// An image of w x h: left half red, right half green.
std::vector<uint8_t> Halves(int w, int h) {
  std::vector<uint8_t> rgb(static_cast<size_t>(w) * h * 3, 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      rgb[3 * (static_cast<size_t>(y) * w + x) + (x < w / 2 ? 0 : 1)] = 255;
  return rgb;
}

size_t CountFiles(const std::string& dir) {
  size_t n = 0;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  while (dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
  ::closedir(d);
  return n;
}

class VisionCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    detector_ = Path("detector.tflite");
    WriteBytes(detector_, BuildFakeDetector(/*tf2_order=*/false));
    segmenter_ = Path("segmenter.tflite");
    WriteBytes(segmenter_, BuildFakeSegmenter());
    pose_ = Path("pose.tflite");
    WriteBytes(pose_, BuildFakePoseModel());
    image_ = Path("halves.png");  // 200 x 100
    WriteBytes(image_, EncodePng(200, 100, 2, 8, Halves(200, 100)));
    std::ofstream(Path("labelmap.txt")) << "???\nperson\nbicycle\ncar\n";
    std::ofstream(Path("seg_labels.txt")) << "background\nperson\n";
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string dir_, detector_, segmenter_, pose_, image_;
};

// The exit codes of cli/command.h: 1 internal, 4 a file missing or unusable, 6 the Edge TPU.
constexpr int kExitError = 1, kExitUsage = 2, kExitFile = 4, kExitDevice = 6;

void ExpectError(const CliResult& r, const std::string& file, const std::string& reason,
                 int code = kExitError) {
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_TRUE(Has(r.err, "coralpi: error: " + file + ": ")) << r.err;
  EXPECT_TRUE(Has(r.err, reason)) << r.err;
}

// --- detect ---------------------------------------------------------------------------------

TEST_F(VisionCli, DetectListsObjectsInImagePixels) {
  CliResult r =
      RunCoralpi({"detect", "--model", detector_, "--labels", Path("labelmap.txt"), image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Threshold 0.5: two of the three. Label map with "???": class c is line c + 1.
  EXPECT_TRUE(Has(r.out, image_ + " (200x100): 2 objects")) << r.out;
  EXPECT_TRUE(Has(r.out, "person                        0.90  x 20-80, y 10-50  (id 0)")) << r.out;
  EXPECT_TRUE(Has(r.out, "car                           0.60  x 100-180, y 50-90  (id 2)"))
      << r.out;
  EXPECT_FALSE(Has(r.out, "bicycle")) << r.out;
  EXPECT_TRUE(Has(r.out, "time: decode")) << r.out;
}

TEST_F(VisionCli, DetectJsonHasTheFieldsOfEveryObject) {
  CliResult r =
      RunCoralpi({"detect", "--json", "--threshold", "0.1", "--model", detector_, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc.size(), 1u);
  const auto& one = doc[0];
  EXPECT_EQ(one["image"], image_);
  EXPECT_EQ(one["width"], 200);
  EXPECT_EQ(one["height"], 100);
  ASSERT_EQ(one["detections"].size(), 3u);
  const auto& d = one["detections"][2];  // score 0.2: y 0.2..0.3, x 0.6..0.8
  EXPECT_EQ(d["class_id"], 1);
  EXPECT_EQ(d["label"], "class 1");  // no label file
  EXPECT_NEAR(d["score"].get<double>(), 0.2, 1e-6);
  EXPECT_NEAR(d["box"]["xmin"].get<double>(), 120, 1e-3);
  EXPECT_NEAR(d["box"]["ymin"].get<double>(), 20, 1e-3);
  EXPECT_NEAR(d["box"]["xmax"].get<double>(), 160, 1e-3);
  EXPECT_NEAR(d["box"]["ymax"].get<double>(), 30, 1e-3);
  EXPECT_TRUE(one["time_ms"].contains("invoke"));
}

TEST_F(VisionCli, DetectMaxAndTheTf2OutputOrder) {
  std::string tf2 = Path("tf2.tflite");
  WriteBytes(tf2, BuildFakeDetector(/*tf2_order=*/true));
  CliResult r = RunCoralpi({"detect", "--json", "--max", "1", "--model", tf2, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc[0]["detections"].size(), 1u);
  EXPECT_EQ(doc[0]["detections"][0]["class_id"], 0);
  EXPECT_NEAR(doc[0]["detections"][0]["box"]["xmax"].get<double>(), 80, 1e-3);
}

TEST_F(VisionCli, DetectWithNothingAboveTheThreshold) {
  std::string out = Path("none.png");
  CliResult r =
      RunCoralpi({"detect", "--threshold", "0.95", "--model", detector_, "--out", out, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, image_ + " (200x100): 0 objects")) << r.out;
  EXPECT_EQ(ReadImageFile(out)->rgb, ReadImageFile(image_)->rgb);  // nothing drawn
  r = RunCoralpi({"detect", "--json", "--threshold", "0.95", "--model", detector_, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(nlohmann::json::parse(r.out)[0]["detections"].empty()) << r.out;
}

TEST_F(VisionCli, DetectLetterboxMapsBoxesBackToTheImage) {
  // 200x100 into 16x16: the image covers input rows 4..11, 12.5 image pixels per input pixel.
  // Box 0 (y 0.1..0.5 = input rows 1.6..8) starts in the padding: image y 0..50.
  CliResult r = RunCoralpi({"detect", "--json", "--letterbox", "--model", detector_, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json box = nlohmann::json::parse(r.out)[0]["detections"][0]["box"];
  EXPECT_NEAR(box["xmin"].get<double>(), 20, 1e-3);
  EXPECT_NEAR(box["xmax"].get<double>(), 80, 1e-3);
  EXPECT_NEAR(box["ymin"].get<double>(), 0, 1e-3);
  EXPECT_NEAR(box["ymax"].get<double>(), 50, 1e-3);
}

TEST_F(VisionCli, DetectWritesThePicture) {
  std::string out = Path("boxes.png");
  CliResult r = RunCoralpi({"detect", "--model", detector_, "--out", out, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "picture: " + out)) << r.out;
  auto in = ReadImageFile(image_);
  auto pic = ReadImageFile(out);
  ASSERT_TRUE(pic.ok()) << pic.error().message;
  EXPECT_EQ(pic->width, 200);
  EXPECT_EQ(pic->height, 100);
  EXPECT_NE(pic->rgb, in->rgb);
  // A JPEG too.
  r = RunCoralpi({"detect", "--model", detector_, "--out", Path("boxes.jpg"), image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ReadImageFile(Path("boxes.jpg")).ok());
}

TEST_F(VisionCli, DetectOnAClassifierSaysWhatIsMissing) {
  std::string classifier = Path("mobilenet.tflite");
  WriteBytes(classifier, BuildMobileNetV2Uint8());
  ExpectError(RunCoralpi({"detect", "--model", classifier, image_}), classifier,
              "not a detector: expected the four outputs of TFLite_Detection_PostProcess or "
              "one raw YOLO output");
}

// --- segment --------------------------------------------------------------------------------

TEST_F(VisionCli, SegmentCountsClassesOverTheImage) {
  CliResult r =
      RunCoralpi({"segment", "--model", segmenter_, "--labels", Path("seg_labels.txt"), image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, image_ + " (200x100): 2 classes")) << r.out;
  EXPECT_TRUE(Has(r.out, "background            50.0%      10000 pixels  (id 0)")) << r.out;
  EXPECT_TRUE(Has(r.out, "person                50.0%      10000 pixels  (id 1)")) << r.out;
  r = RunCoralpi({"segment", "--json", "--model", segmenter_, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc[0]["width"], 200);
  EXPECT_EQ(doc[0]["height"], 100);
  ASSERT_EQ(doc[0]["classes"].size(), 2u);
  EXPECT_EQ(doc[0]["classes"][0]["class_id"], 0);
  EXPECT_EQ(doc[0]["classes"][0]["label"], "class 0");
  EXPECT_EQ(doc[0]["classes"][0]["pixels"], 10000);
  EXPECT_NEAR(doc[0]["classes"][1]["fraction"].get<double>(), 0.5, 1e-9);
}

TEST_F(VisionCli, SegmentPictureHasTheOverlayAndALegend) {
  std::string out = Path("seg.png");
  CliResult r = RunCoralpi(
      {"segment", "--model", segmenter_, "--labels", Path("seg_labels.txt"), "--out", out, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto in = ReadImageFile(image_);
  auto pic = ReadImageFile(out);
  ASSERT_TRUE(pic.ok()) << pic.error().message;
  EXPECT_EQ(pic->width, 200);
  EXPECT_GT(pic->height, 100);  // the legend's band
  // Background (left, red) untouched; person (right, green) tinted.
  EXPECT_EQ(pic->rgb[3 * (50 * 200 + 10)], 255);
  EXPECT_NE(pic->rgb[3 * (50 * 200 + 150) + 1], 255);
}

TEST_F(VisionCli, SegmentLabelFileShorterThanTheClasses) {
  std::ofstream(Path("one.txt")) << "background\n";
  ExpectError(RunCoralpi({"segment", "--model", segmenter_, "--labels", Path("one.txt"), image_}),
              Path("one.txt"), "has labels for 1 classes but the model has 2", kExitFile);
}

TEST_F(VisionCli, SegmentOnADetectorNamesTheOutput) {
  ExpectError(RunCoralpi({"segment", "--model", detector_, image_}), detector_,
              "the segmentation output is float32 [1, 3, 4]; expected class ids");
}

// --- pose -----------------------------------------------------------------------------------

TEST_F(VisionCli, PoseListsKeypointsInImagePixels) {
  CliResult r = RunCoralpi({"pose", "--model", pose_, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, image_ + " (200x100): 17 keypoints")) << r.out;
  // nose: y 0.1, x 0.2 of 200x100.
  EXPECT_TRUE(Has(r.out, "nose            x   40.0  y   10.0  score 0.90")) << r.out;
  EXPECT_TRUE(Has(r.out, "left_eye        x   46.0  y   14.0  score 0.10  (below the threshold)"))
      << r.out;
  r = RunCoralpi({"pose", "--json", "--model", pose_, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json kps = nlohmann::json::parse(r.out)[0]["keypoints"];
  ASSERT_EQ(kps.size(), 17u);
  EXPECT_EQ(kps[16]["name"], "right_ankle");
  EXPECT_NEAR(kps[16]["x"].get<double>(), (0.2 + 0.03 * 16) * 200, 1e-3);
  EXPECT_NEAR(kps[16]["y"].get<double>(), (0.1 + 0.04 * 16) * 100, 1e-3);
  EXPECT_NEAR(kps[16]["score"].get<double>(), 0.9, 1e-6);
}

TEST_F(VisionCli, PosePicture) {
  std::string out = Path("pose.png");
  CliResult r = RunCoralpi({"pose", "--model", pose_, "--out", out, "--threshold", "0.5", image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto pic = ReadImageFile(out);
  ASSERT_TRUE(pic.ok()) << pic.error().message;
  EXPECT_NE(pic->rgb, ReadImageFile(image_)->rgb);
}

// --- classify --out -------------------------------------------------------------------------

TEST_F(VisionCli, ClassifyWritesTheImageWithItsTopLabels) {
  std::string classifier = Path("mobilenet.tflite");
  WriteBytes(classifier, BuildMobileNetV2Uint8());
  std::string out = Path("classes.png");
  CliResult r =
      RunCoralpi({"classify", "--model", classifier, "--top-k", "2", "--out", out, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto pic = ReadImageFile(out);
  ASSERT_TRUE(pic.ok()) << pic.error().message;
  EXPECT_EQ(pic->width, 200);
  EXPECT_GT(pic->height, 100);
  auto in = ReadImageFile(image_);
  EXPECT_TRUE(std::equal(in->rgb.begin(), in->rgb.end(), pic->rgb.begin()));  // image untouched
}

// --- compare --------------------------------------------------------------------------------

TEST_F(VisionCli, CompareReportsEveryOutputOfADetector) {
  // cpu against auto (the CPU engine again for a plain model): four float outputs, no
  // difference, and no top-k for the detector's class ids and scores.
  CliResult r =
      RunCoralpi({"compare", "--json", "--backends", "cpu,auto", "--model", detector_, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["outputs"].size(), 4u);
  EXPECT_EQ(doc["outputs"][0]["name"], "detection_boxes");
  EXPECT_EQ(doc["outputs"][0]["tensor"], "float32 [1, 3, 4]");
  EXPECT_EQ(doc["outputs"][0]["unit"], "real");
  for (const auto& o : doc["outputs"]) {
    EXPECT_FALSE(o.contains("reference_top_k")) << o.dump();
    EXPECT_EQ(o["differences"][0]["max_abs_difference"], 0) << o.dump();
  }
  r = RunCoralpi({"compare", "--backends", "cpu,auto", "--model", segmenter_, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "output 0, float32 [1, 8, 8, 2]:")) << r.out;
  EXPECT_TRUE(Has(r.out, "max |difference| 0")) << r.out;
}

// --- errors ---------------------------------------------------------------------------------

TEST_F(VisionCli, UsageErrorsExitWithTwo) {
  for (const char* cmd : {"detect", "segment", "pose"}) {
    SCOPED_TRACE(cmd);
    EXPECT_EQ(RunCoralpi({cmd, image_}).exit_code, 2);                // no --model
    EXPECT_EQ(RunCoralpi({cmd, "--model", detector_}).exit_code, 2);  // no image
    CliResult bmp = RunCoralpi({cmd, "--model", detector_, "--out", Path("x.bmp"), image_});
    EXPECT_EQ(bmp.exit_code, 2);
    EXPECT_TRUE(Has(bmp.err, "name the file .png or .jpg")) << bmp.err;
    CliResult two = RunCoralpi({cmd, "--model", detector_, "--out", Path("x.png"), image_, image_});
    EXPECT_EQ(two.exit_code, 2);
    EXPECT_TRUE(Has(two.err, "give exactly one image")) << two.err;
    EXPECT_EQ(RunCoralpi({cmd, "--model", detector_, "--backend", "gpu", image_}).exit_code, 2);
  }
  EXPECT_EQ(RunCoralpi({"detect", "--model", detector_, "--threshold", "1.5", image_}).exit_code,
            2);
  EXPECT_EQ(RunCoralpi({"detect", "--model", detector_, "--max", "0", image_}).exit_code, 2);
  EXPECT_EQ(RunCoralpi({"pose", "--model", pose_, "--labels", "x.txt", image_}).exit_code, 2);
  EXPECT_EQ(CountFiles(dir_), 6u);  // nothing written
}

TEST_F(VisionCli, BadInputsNameTheFile) {
  ExpectError(RunCoralpi({"detect", "--model", detector_, Path("nothere.jpg")}),
              Path("nothere.jpg"), "No such file", kExitFile);
  ExpectError(RunCoralpi({"segment", "--model", Path("nothere.tflite"), image_}),
              Path("nothere.tflite"), "No such file", kExitFile);
  WriteBytes(Path("junk.tflite"), std::vector<uint8_t>(3000, 0x5a));
  ExpectError(RunCoralpi({"pose", "--model", Path("junk.tflite"), image_}), Path("junk.tflite"),
              "not a TensorFlow Lite model", kExitFile);
  WriteBytes(Path("dot.png"), EncodePng(1, 1, 2, 8, {1, 2, 3}));
  ExpectError(RunCoralpi({"pose", "--model", pose_, Path("dot.png")}), Path("dot.png"), "1x1",
              kExitUsage);
  ExpectError(RunCoralpi({"pose", "--model", detector_, image_}), detector_,
              "not a pose model: expected MoveNet's output [1, 1, 17, 3] or one YOLO pose output "
              "[1, 5 + 3 x keypoints, anchors], but output 0 is [1, 3, 4]");
}

TEST_F(VisionCli, UnwritablePictureIsAnErrorAndLeavesNothing) {
  std::string out = Path("missing/boxes.png");
  CliResult r = RunCoralpi({"detect", "--model", detector_, "--out", out, image_});
  ExpectError(r, out, "No such file or directory", kExitFile);
  EXPECT_EQ(CountFiles(dir_), 6u);
}

TEST_F(VisionCli, OneBadImageAmongGoodOnesStillReportsTheOthers) {
  CliResult r = RunCoralpi({"detect", "--json", "--model", detector_, Path("nothere.png"), image_});
  EXPECT_EQ(r.exit_code, kExitFile);
  EXPECT_TRUE(Has(r.err, "coralpi: error: " + Path("nothere.png"))) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).size(), 1u);
}

TEST_F(VisionCli, EdgeTpuModelWithoutTheRuntimeNamesTheMissingPieces) {
  std::string compiled = Path("tiny_edgetpu.tflite");
  WriteBytes(compiled, BuildEdgeTpuModel());
  for (const char* cmd : {"detect", "segment", "pose"}) {
    CliResult r =
        RunCoralpi({cmd, "--model", compiled, "--edgetpu-lib", "/nonexistent/libedgetpu.so.1",
                    "--tflite-lib", "/nonexistent/libtensorflowlite_c.so", image_});
    EXPECT_EQ(r.exit_code, kExitDevice) << cmd;
    EXPECT_TRUE(Has(r.err, "coralpi: error: " + compiled + ": cannot run on an Edge TPU:"))
        << r.err;
    EXPECT_TRUE(Has(r.err, "libedgetpu: /nonexistent/libedgetpu.so.1 (--edgetpu-lib): not found"))
        << r.err;
  }
}

}  // namespace
}  // namespace coralpi::testing

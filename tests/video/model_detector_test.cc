// The frame path's ModelDetector over the task layer, on generated models (tests/cli's
// task_models.h): a YOLO detector is letterboxed as Ultralytics does and its boxes come back in
// frame pixels; a post-process (SSD) detector is stretched; labels that name too few classes are
// refused, as detect refuses them.
#include "video/model_detector.h"

#include <gtest/gtest.h>

#include <fstream>

#include "cli/task_models.h"
#include "core/file.h"

namespace coralpi {
namespace {

class ModelDetectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/coralpi-model-detector-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string Write(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return path;
  }
  Image Frame() const { return Image{200, 100, std::vector<uint8_t>(200 * 100 * 3, 90)}; }
  BackendRequest Cpu() const {
    BackendRequest r;
    r.kind = BackendKind::kCpu;
    return r;
  }
  std::string dir_;
};

void ExpectBox(const BoundingBox& b, float x0, float y0, float x1, float y1) {
  EXPECT_NEAR(b.xmin, x0, 0.01f);
  EXPECT_NEAR(b.ymin, y0, 0.01f);
  EXPECT_NEAR(b.xmax, x1, 0.01f);
  EXPECT_NEAR(b.ymax, y1, 0.01f);
}

TEST_F(ModelDetectorTest, YoloDetectorLetterboxesAndMapsBoxesToTheFrame) {
  auto d = ModelDetector::Create(Write("v8.tflite", testing::BuildFakeYoloV8(true)), "", Cpu());
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_NE((*d)->description().find("YOLOv8"), std::string::npos) << (*d)->description();
  auto input = (*d)->Prepare(Frame());
  ASSERT_TRUE(input.ok()) << input.error().message;
  ASSERT_EQ(input->image.width, 16);
  // Letterbox: rows 0-3 are Ultralytics' gray 114, the frame's 90 in the middle.
  EXPECT_EQ(input->image.rgb[0], 114);
  EXPECT_EQ(input->image.rgb[3 * (8 * 16 + 8)], 90);
  auto found = (*d)->Detect(*input);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), 2u);  // anchor 1 suppressed by NMS
  EXPECT_EQ((*found)[0].label, "cat");
  ExpectBox((*found)[0].box, 50, 25, 150, 75);
  EXPECT_EQ((*found)[1].label, "dog");
  ExpectBox((*found)[1].box, 30, 30, 70, 70);
}

TEST_F(ModelDetectorTest, PostProcessDetectorIsStretchedAndKeepsLowScores) {
  auto d = ModelDetector::Create(Write("ssd.tflite", testing::BuildFakeDetector(false)), "", Cpu());
  ASSERT_TRUE(d.ok()) << d.error().message;
  auto input = (*d)->Prepare(Frame());
  ASSERT_TRUE(input.ok());
  auto found = (*d)->Detect(*input);
  ASSERT_TRUE(found.ok()) << found.error().message;
  // All three, the 0.2 one too: the frame path applies its own min_score.
  ASSERT_EQ(found->size(), 3u);
  // (ymin 0.1, xmin 0.1, ymax 0.5, xmax 0.4) stretched over 200 x 100.
  ExpectBox((*found)[0].box, 20, 10, 80, 50);
}

TEST_F(ModelDetectorTest, LabelsNamingTooFewClassesAreRefused) {
  std::string labels = dir_ + "/one.txt";
  std::ofstream(labels) << "car\n";
  auto d = ModelDetector::Create(Write("v8.tflite", testing::BuildFakeYoloV8(false)), labels, Cpu());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find(labels), std::string::npos) << d.error().message;
}

}  // namespace
}  // namespace coralpi

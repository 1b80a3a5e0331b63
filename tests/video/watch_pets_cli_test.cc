// coralpi watch on the pets video of issue 10: pets.jpg made into a 640x480 MJPEG AVI by
// GStreamer, every frame through the stand-in detector and through the real SSD pets detector.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "cli/cli_runner.h"
#include "image/test_images.h"
#include "json_lines_output.h"
#include "test_video.h"
#include "testutil/testdata.h"

namespace coralpi {
namespace {

using testing::Lines;
using testing::OfType;
using testing::RunCoralpi;

class PetsVideoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CORALPI_REQUIRE_TESTDATA("images/pets.jpg");
    CORALPI_REQUIRE_GST_ELEMENTS("multifilesrc", "jpegdec", "jpegenc", "avimux", "avidemux");
    video_ = testing::MakeTempDir() + "/pets.avi";
    ASSERT_TRUE(testing::MakeVideoFromJpeg(testing::TestDataPath("images/pets.jpg"), video_,
                                           kFrames, 640, 480)
                    .ok());
  }
  static constexpr int kFrames = 20;
  std::string video_;
};

TEST_F(PetsVideoTest, StandInDetectorSeesEveryFrameWrittenAndOneEventPerObject) {
  auto r = RunCoralpi(
      {"watch", "file:" + video_, "--stand-in-ms", "1", "--every-frame", "--threshold", "0.25"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = Lines(r.out);
  auto frames = OfType(lines, "frame");
  ASSERT_EQ(frames.size(), static_cast<size_t>(kFrames));
  for (const auto& f : frames) EXPECT_EQ(f["detections"].size(), 2u);
  std::map<std::string, std::vector<std::string>> per_object;
  for (const auto& e : OfType(lines, "event")) per_object[e["after"]["id"]].push_back(e["event"]);
  ASSERT_EQ(per_object.size(), 2u);
  for (auto& [id, kinds] : per_object)
    EXPECT_EQ(kinds, (std::vector<std::string>{"new", "end"})) << id;
}

TEST_F(PetsVideoTest, RealDetectorFindsBothDogsInEveryFrame) {
  CORALPI_REQUIRE_TESTDATA("models/ssd_mobilenet_pets_quant_postprocess.tflite");
  auto r = RunCoralpi({"watch", "file:" + video_, "--model",
                       testing::TestDataPath("models/ssd_mobilenet_pets_quant_postprocess.tflite"),
                       "--labels", testing::TestDataPath("labels/pets_labelmap.txt"),
                       "--every-frame", "--threshold", "0.25"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = Lines(r.out);
  auto frames = OfType(lines, "frame");
  ASSERT_EQ(frames.size(), static_cast<size_t>(kFrames));
  // pets.jpg is 512x430, the video 640x480: x scales by 1.25, y by 480/430. TensorFlow Lite
  // finds the staffordshire_bull_terrier's head around x 153-242, y 54-146 and the boxer's
  // around x 388-495, y 169-245 of the picture.
  const double sx = 640.0 / 512.0, sy = 480.0 / 430.0;
  struct Head {
    const char* label;
    double cx, cy;
  } heads[] = {{"staffordshire_bull_terrier", (153 + 242) / 2.0 * sx, (54 + 146) / 2.0 * sy},
               {"boxer", (388 + 495) / 2.0 * sx, (169 + 245) / 2.0 * sy}};
  for (const auto& f : frames) {
    for (const Head& h : heads) {
      bool found = false;
      for (const auto& d : f["detections"]) {
        auto b = d["box"];
        found = found ||
                (d["label"] == h.label && b["xmin"] < h.cx && h.cx < b["xmax"] && b["ymin"] < h.cy &&
                 h.cy < b["ymax"]);
      }
      EXPECT_TRUE(found) << h.label << " not found in frame " << f["frame"] << ": "
                         << f["detections"];
    }
  }
  std::map<std::string, std::vector<std::string>> per_label;
  for (const auto& e : OfType(lines, "event")) per_label[e["after"]["label"]].push_back(e["event"]);
  // One event per dog: one new, any updates (its score or box changed), one end.
  for (const Head& h : heads) {
    const auto& kinds = per_label[h.label];
    ASSERT_GE(kinds.size(), 2u) << h.label;
    EXPECT_EQ(kinds.front(), "new") << h.label;
    EXPECT_EQ(kinds.back(), "end") << h.label;
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "new"), 1) << h.label;
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "end"), 1) << h.label;
  }
}

}  // namespace
}  // namespace coralpi

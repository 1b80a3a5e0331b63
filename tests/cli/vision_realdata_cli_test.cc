// The acceptance commands on the real models of ../shared/testdata: detect, segment
// and pose with --json and --out as a user runs them (skipped, saying why, while the CPU
// engine cannot run a model), and the compiled _edgetpu models failing like classify when
// there is no TPU, naming what is missing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "image/image.h"
#include "image/test_images.h"
#include "testutil/testdata.h"

namespace coralpi::testing {
namespace {

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// Runs a command on the CPU engine (which runs every operator of these models).
#define RUN_CLI(result, args) CliResult result = RunCoralpi(args)

const std::string kModels = "models/";

TEST(VisionRealDataCli, DetectPets) {
  const std::string model = kModels + "ssd_mobilenet_pets_quant_postprocess.tflite";
  CORALPI_REQUIRE_TESTDATA(model);
  CORALPI_REQUIRE_TESTDATA("images/pets.jpg");
  CORALPI_REQUIRE_TESTDATA("labels/pets_labelmap.txt");
  std::string out = MakeTempDir() + "/pets.png";
  RUN_CLI(r,
          (std::vector<std::string>{"detect", "--json", "--model", TestDataPath(model), "--labels",
                                    TestDataPath("labels/pets_labelmap.txt"), "--threshold", "0.25",
                                    "--out", out, TestDataPath("images/pets.jpg")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json d = nlohmann::json::parse(r.out)[0]["detections"];
  ASSERT_EQ(d.size(), 2u) << r.out;
  EXPECT_EQ(d[0]["label"], "staffordshire_bull_terrier");
  EXPECT_NEAR(d[0]["box"]["xmin"].get<double>(), 153, 6);
  EXPECT_NEAR(d[0]["box"]["ymax"].get<double>(), 146, 6);
  EXPECT_EQ(d[1]["label"], "boxer");
  EXPECT_NEAR(d[1]["box"]["xmax"].get<double>(), 495, 6);
  EXPECT_NEAR(d[1]["box"]["ymin"].get<double>(), 169, 6);
  auto pic = ReadImageFile(out);
  ASSERT_TRUE(pic.ok()) << pic.error().message;
  EXPECT_EQ(pic->width, 512);
  EXPECT_EQ(pic->height, 430);
}

TEST(VisionRealDataCli, SegmentBird) {
  const std::string model = kModels + "deeplabv3_mnv2_dm05_pascal_quant.tflite";
  CORALPI_REQUIRE_TESTDATA(model);
  CORALPI_REQUIRE_TESTDATA("images/bird_segmentation.bmp");
  CORALPI_REQUIRE_TESTDATA("labels/pascal_voc_segmentation_labels.txt");
  std::string out = MakeTempDir() + "/bird.png";
  RUN_CLI(r,
          (std::vector<std::string>{"segment", "--model", TestDataPath(model), "--labels",
                                    TestDataPath("labels/pascal_voc_segmentation_labels.txt"),
                                    "--out", out, TestDataPath("images/bird_segmentation.bmp")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "(513x513)")) << r.out;
  EXPECT_TRUE(Has(r.out, "background ")) << r.out;
  EXPECT_TRUE(Has(r.out, "bird ")) << r.out;
  auto pic = ReadImageFile(out);
  ASSERT_TRUE(pic.ok()) << pic.error().message;
  EXPECT_EQ(pic->width, 513);
  EXPECT_GT(pic->height, 513);
}

TEST(VisionRealDataCli, PoseSquat) {
  const std::string model = kModels + "movenet_single_pose_lightning_ptq.tflite";
  CORALPI_REQUIRE_TESTDATA(model);
  CORALPI_REQUIRE_TESTDATA("images/squat.bmp");
  RUN_CLI(r, (std::vector<std::string>{"pose", "--json", "--model", TestDataPath(model),
                                       TestDataPath("images/squat.bmp")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json k = nlohmann::json::parse(r.out)[0]["keypoints"];
  ASSERT_EQ(k.size(), 17u);
  EXPECT_EQ(k[0]["name"], "nose");
  EXPECT_EQ(k[16]["name"], "right_ankle");
}

TEST(VisionRealDataCli, CompiledModelsWithoutATpuNameWhatIsMissing) {
  struct Case {
    const char* command;
    std::string model, image;
  } cases[] = {
      {"segment", kModels + "deeplabv3_mnv2_dm05_pascal_quant_edgetpu.tflite",
       "images/bird_segmentation.bmp"},
      {"pose", kModels + "movenet_single_pose_lightning_ptq_edgetpu.tflite", "images/squat.bmp"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.command);
    CORALPI_REQUIRE_TESTDATA(c.model);
    CORALPI_REQUIRE_TESTDATA(c.image);
    CliResult r = RunCoralpi({c.command, "--model", TestDataPath(c.model), "--edgetpu-lib",
                              "/nonexistent/libedgetpu.so.1", "--tflite-lib",
                              "/nonexistent/libtensorflowlite_c.so", TestDataPath(c.image)});
    EXPECT_EQ(r.exit_code, 6);  // the Edge TPU (cli/command.h's kExitDevice)
    EXPECT_TRUE(
        Has(r.err, "coralpi: error: " + TestDataPath(c.model) + ": cannot run on an Edge TPU:"))
        << r.err;
    EXPECT_TRUE(Has(r.err, "libedgetpu: /nonexistent/libedgetpu.so.1 (--edgetpu-lib): not found"))
        << r.err;
    EXPECT_TRUE(Has(r.err, "Its CPU version is")) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

}  // namespace
}  // namespace coralpi::testing

// `coralpi inspect` on the shared YOLO models (issue 17's acceptance): yolov8n_320's appended
// temp_meta.txt shows task detect, 80 classes, imgsz 320x320; the YOLOv5 export has none. And
// Coral's MobileNet v2 with its label file packed in (TensorFlow Lite metadata), which classify
// uses without --labels. Skips without ../shared/testdata.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "testutil/testdata.h"

namespace coralpi::testing {
namespace {

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(InspectMetadataRealData, Yolov8n320) {
  const char* model = "models/yolov8n_320_full_integer_quant.tflite";
  CORALPI_REQUIRE_TESTDATA(model);
  CliResult r = RunCoralpi({"inspect", TestDataPath(model)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "ultralytics: temp_meta.txt appended to the file, version 8.1.11\n"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "  task:      detect\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "  classes:   80 (person, bicycle, car, motorcycle, airplane, ...)\n"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "  imgsz:     320x320 (height x width), stride 32\n")) << r.out;

  r = RunCoralpi({"inspect", "--json", TestDataPath(model)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["ultralytics"]["task"], "detect");
  EXPECT_EQ(j["ultralytics"]["classes"], 80);
  EXPECT_EQ(j["ultralytics"]["names"][79], "toothbrush");
  EXPECT_EQ(j["ultralytics"]["imgsz"], nlohmann::json({320, 320}));
}

TEST(InspectMetadataRealData, Yolov5HasNone) {
  const char* model = "models/yolov5n_640_int8.tflite";
  CORALPI_REQUIRE_TESTDATA(model);
  CliResult r = RunCoralpi({"inspect", TestDataPath(model)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Has(r.out, "ultralytics")) << r.out;
}

TEST(InspectMetadataRealData, MobileNetV2LabelFile) {
  const char* model = "models/mobilenet_v2_1.0_224_quant.tflite";
  CORALPI_REQUIRE_TESTDATA(model);
  CORALPI_REQUIRE_TESTDATA("images/parrot.jpg");
  CliResult r = RunCoralpi({"inspect", TestDataPath(model)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "labels: imagenet_labels.txt packed into the model (TensorFlow Lite "
                         "metadata), 1001 lines"))
      << r.out;
  r = RunCoralpi({"inspect", "--json", TestDataPath(model)});
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["label_file"]["name"], "imagenet_labels.txt");
  EXPECT_EQ(j["label_file"]["lines"], 1001);
  r = RunCoralpi({"classify", "--json", "--top-k", "1", "--model", TestDataPath(model),
                  TestDataPath("images/parrot.jpg")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "\"macaw\"")) << r.out;
}

}  // namespace
}  // namespace coralpi::testing

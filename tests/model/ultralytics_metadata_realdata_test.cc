// Ultralytics metadata of the shared YOLO models (../shared/testdata/models): what their zips
// hold (temp_meta.txt, written by Ultralytics 8.1.11 and 8.2.23), checked against the COCO label
// file line by line; the YOLOv5 exports and the other models have none. Skips when the test data
// is absent.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/file.h"
#include "model/ultralytics_metadata.h"
#include "testutil/testdata.h"

namespace coralpi {
namespace {

using testing::TestDataPath;

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

Result<std::optional<UltralyticsMetadata>> ReadShared(const std::string& model) {
  Result<std::vector<uint8_t>> bytes = ReadFileBytes(TestDataPath("models/" + model));
  if (!bytes.ok()) return bytes.error();
  return ReadUltralyticsMetadata(*bytes);
}

void ExpectCocoDetector(const std::string& model, int size, const std::string& version) {
  SCOPED_TRACE(model);
  auto m = ReadShared(model);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_TRUE(m->has_value());
  const UltralyticsMetadata& md = **m;
  EXPECT_EQ(md.source, "temp_meta.txt");
  EXPECT_EQ(md.task, UltralyticsTask::kDetect);
  const std::vector<std::string> coco = Lines(TestDataPath("labels/coco80_labels.txt"));
  ASSERT_EQ(coco.size(), 80u);
  ASSERT_EQ(md.names.size(), 80u);
  for (size_t i = 0; i < coco.size(); ++i) EXPECT_EQ(md.names[i], coco[i]) << "class " << i;
  EXPECT_EQ(md.input_height, size);
  EXPECT_EQ(md.input_width, size);
  EXPECT_EQ(md.stride, 32);
  EXPECT_FALSE(md.kpt_shape.has_value());
  EXPECT_EQ(md.version, version);
  EXPECT_EQ(md.other.at("author"), "Ultralytics");
  EXPECT_EQ(md.other.at("batch"), "1");
}

TEST(UltralyticsMetadataRealDataTest, Yolov8n320) {
  CORALPI_REQUIRE_TESTDATA("models/yolov8n_320_full_integer_quant.tflite");
  ExpectCocoDetector("yolov8n_320_full_integer_quant.tflite", 320, "8.1.11");
}

TEST(UltralyticsMetadataRealDataTest, Yolov8n320EdgeTpuKeepsIt) {
  CORALPI_REQUIRE_TESTDATA("models/yolov8n_320_full_integer_quant_edgetpu.tflite");
  ExpectCocoDetector("yolov8n_320_full_integer_quant_edgetpu.tflite", 320, "8.1.11");
}

TEST(UltralyticsMetadataRealDataTest, Yolov8n640DynamicRange) {
  CORALPI_REQUIRE_TESTDATA("models/yolov8n_640_dynamic_range_int8.tflite");
  ExpectCocoDetector("yolov8n_640_dynamic_range_int8.tflite", 640, "8.2.23");
}

TEST(UltralyticsMetadataRealDataTest, ModelsWithoutMetadata) {
  for (const char* model :
       {"yolov5n_640_int8.tflite", "yolov5n_640_int8_edgetpu.tflite", "yolov5n_640_fp16.tflite",
        "ssd_mobilenet_pets_quant_postprocess.tflite",
        // These four hold a zip too: TensorFlow Lite metadata's imagenet_labels.txt.
        "mobilenet_v2_1.0_224_quant.tflite", "mobilenet_v1_0.25_128_quant.tflite",
        "mobilenet_v1_0.25_128_quant_edgetpu.tflite", "tf2_mobilenet_v2_1.0_224_ptq.tflite",
        "deeplabv3_mnv2_dm05_pascal_quant_edgetpu.tflite",
        "movenet_single_pose_lightning_ptq.tflite"}) {
    SCOPED_TRACE(model);
    CORALPI_REQUIRE_TESTDATA(std::string("models/") + model);
    auto m = ReadShared(model);
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_FALSE(m->has_value());
  }
}

}  // namespace
}  // namespace coralpi

// The shared classifiers' TensorFlow Lite metadata: the label file packed into the model.
#include <gtest/gtest.h>

#include <string>

#include "model/model.h"
#include "model/tflite_metadata.h"
#include "testutil/testdata.h"

namespace coralpi {
namespace {

// Coral's MobileNet classifiers carry ImageNet's 1001 labels (background first).
TEST(TfLiteMetadataRealData, MobileNetV2HoldsImageNetLabels) {
  const std::string path = testing::TestDataPath("models/mobilenet_v2_1.0_224_quant.tflite");
  CORALPI_REQUIRE_TESTDATA("models/mobilenet_v2_1.0_224_quant.tflite");
  auto model = Model::Load(path);
  ASSERT_TRUE(model.ok()) << model.error().message;
  auto file = ReadMetadataLabelFile(**model);
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_TRUE(file->has_value());
  EXPECT_EQ((*file)->name, "imagenet_labels.txt");
  EXPECT_EQ((*file)->data.rfind("background\ntench, Tinca tinca\n", 0), 0u);
  size_t lines = 0;
  for (char c : (*file)->data) lines += c == '\n';
  EXPECT_EQ(lines, 1001u);
}

}  // namespace
}  // namespace coralpi

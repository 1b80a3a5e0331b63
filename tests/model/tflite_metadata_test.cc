// TensorFlow Lite metadata's label files on models the builder writes: the metadata buffer is
// built with the schema subset's generated builders (the public schema's field ids), the zip by
// test_zip.cc. The shared classifiers' own metadata: tflite_metadata_realdata_test.cc.
#include "model/tflite_metadata.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/builder.h"
#include "model/test_zip.h"
#include "model/tiny_model.h"
#include "tflite_metadata_generated.h"

namespace coralpi {
namespace {

using meta::AssociatedFileType;
using testing::AppendZip;

struct FileSpec {
  const char* name;
  AssociatedFileType type;
};

// A ModelMetadata buffer whose main subgraph has one output tensor per entry of `outputs`, each
// with those associated files.
std::vector<uint8_t> MetadataBuffer(const std::vector<std::vector<FileSpec>>& outputs) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<meta::TensorMetadata>> tensors;
  for (const std::vector<FileSpec>& files : outputs) {
    std::vector<flatbuffers::Offset<meta::AssociatedFile>> entries;
    for (const FileSpec& f : files) {
      entries.push_back(meta::CreateAssociatedFile(fbb, fbb.CreateString(f.name),
                                                   fbb.CreateString("labels"), f.type));
    }
    tensors.push_back(meta::CreateTensorMetadata(fbb, fbb.CreateString("out"), 0,
                                                 fbb.CreateVector(entries)));
  }
  auto subgraph = meta::CreateSubGraphMetadata(fbb, 0, 0, 0, fbb.CreateVector(tensors));
  std::vector<flatbuffers::Offset<meta::SubGraphMetadata>> subgraphs = {subgraph};
  auto root = meta::CreateModelMetadata(fbb, fbb.CreateString("tiny"), 0, 0,
                                        fbb.CreateVector(subgraphs));
  meta::FinishModelMetadataBuffer(fbb, root);
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

// The tiny RELU model with `metadata` as its TFLITE_METADATA buffer (none when empty).
std::vector<uint8_t> TinyModel(const std::vector<uint8_t>& metadata) {
  ModelBuilder b = testing::TinyReluModelBuilder();
  if (!metadata.empty()) b.AddMetadata("TFLITE_METADATA", metadata);
  return b.Finish();
}

Result<std::optional<ZipEntry>> LabelFile(const std::vector<uint8_t>& bytes) {
  auto model = Model::FromBytes(bytes, "tiny.tflite");
  EXPECT_TRUE(model.ok()) << model.error().message;
  if (!model.ok()) return model.error();
  return ReadMetadataLabelFile(**model);
}

const std::vector<testing::ZipFileSpec> kZip = {{"readme.txt", "about"},
                                                {"axis.txt", "a\nb\nc\n"},
                                                {"values.txt", "x\ny\n"}};

TEST(TfLiteMetadata, TheAxisLabelsFileOfAnOutput) {
  auto file = LabelFile(AppendZip(
      TinyModel(MetadataBuffer({{{"readme.txt", AssociatedFileType::DESCRIPTIONS},
                                 {"axis.txt", AssociatedFileType::TENSOR_AXIS_LABELS}}})),
      kZip));
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_TRUE(file->has_value());
  EXPECT_EQ((*file)->name, "axis.txt");
  EXPECT_EQ((*file)->data, "a\nb\nc\n");
}

TEST(TfLiteMetadata, AxisLabelsOfAnyOutputComeBeforeValueLabels) {
  auto file = LabelFile(AppendZip(
      TinyModel(MetadataBuffer({{{"values.txt", AssociatedFileType::TENSOR_VALUE_LABELS}},
                                {{"axis.txt", AssociatedFileType::TENSOR_AXIS_LABELS}}})),
      kZip));
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_TRUE(file->has_value());
  EXPECT_EQ((*file)->name, "axis.txt");
  // A detector's class ids: value labels, when no output has axis labels.
  file = LabelFile(AppendZip(
      TinyModel(MetadataBuffer({{}, {{"values.txt", AssociatedFileType::TENSOR_VALUE_LABELS}}})),
      kZip));
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_TRUE(file->has_value());
  EXPECT_EQ((*file)->data, "x\ny\n");
}

TEST(TfLiteMetadata, NoMetadataOrNoLabelFileIsNone) {
  auto none = LabelFile(AppendZip(TinyModel({}), kZip));
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->has_value());
  none = LabelFile(AppendZip(
      TinyModel(MetadataBuffer({{{"readme.txt", AssociatedFileType::DESCRIPTIONS}}})), kZip));
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->has_value());
}

TEST(TfLiteMetadata, BrokenMetadataOrAMissingFileIsABadFile) {
  auto garbage = LabelFile(AppendZip(TinyModel({1, 2, 3, 4, 5, 6, 7, 8}), kZip));
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().kind, ErrorKind::kBadFile);
  EXPECT_EQ(garbage.error().message,
            "tiny.tflite: TensorFlow Lite metadata: not a valid metadata buffer");
  std::vector<uint8_t> names_missing =
      TinyModel(MetadataBuffer({{{"gone.txt", AssociatedFileType::TENSOR_AXIS_LABELS}}}));
  for (const auto& bytes : {AppendZip(names_missing, kZip), names_missing}) {
    auto missing = LabelFile(bytes);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind, ErrorKind::kBadFile);
    EXPECT_EQ(missing.error().message,
              "tiny.tflite: TensorFlow Lite metadata: names the label file gone.txt, which the "
              "model's zip does not hold");
  }
}

}  // namespace
}  // namespace coralpi

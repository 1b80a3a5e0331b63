// TensorFlow Lite's model metadata: the labels file; see tflite_metadata.h.
#include "model/tflite_metadata.h"

#include <string_view>

#include "tflite_metadata_generated.h"

namespace coralpi {
namespace {

constexpr const char* kMetadataName = "TFLITE_METADATA";
constexpr size_t kMaxLabelFileBytes = 1 << 20;

// The first file of `type` among one tensor's associated files, or "".
std::string FileOfType(const meta::TensorMetadata* tensor, meta::AssociatedFileType type) {
  if (tensor == nullptr || tensor->associated_files() == nullptr) return "";
  for (const meta::AssociatedFile* file : *tensor->associated_files()) {
    if (file->type() == type && file->name() != nullptr) return file->name()->str();
  }
  return "";
}

// The name of the label file the metadata names for the main subgraph's outputs, or "".
std::string LabelFileName(const meta::ModelMetadata& metadata) {
  const auto* subgraphs = metadata.subgraph_metadata();
  if (subgraphs == nullptr || subgraphs->size() == 0) return "";
  const auto* outputs = subgraphs->Get(0)->output_tensor_metadata();
  if (outputs == nullptr) return "";
  for (meta::AssociatedFileType type : {meta::AssociatedFileType::TENSOR_AXIS_LABELS,
                                        meta::AssociatedFileType::TENSOR_VALUE_LABELS}) {
    for (const meta::TensorMetadata* tensor : *outputs) {
      if (std::string name = FileOfType(tensor, type); !name.empty()) return name;
    }
  }
  return "";
}

}  // namespace

Result<std::optional<ZipEntry>> ReadMetadataLabelFile(const Model& model) {
  const std::string where = model.name() + ": TensorFlow Lite metadata";
  for (const MetadataEntry& entry : model.metadata()) {
    if (entry.name != kMetadataName) continue;
    flatbuffers::Verifier verifier(entry.data.data(), entry.data.size());
    if (!meta::VerifyModelMetadataBuffer(verifier)) {
      return MakeError(ErrorKind::kBadFile, where, "not a valid metadata buffer");
    }
    std::string name = LabelFileName(*meta::GetModelMetadata(entry.data.data()));
    if (name.empty()) return std::optional<ZipEntry>();
    const std::string_view names[] = {name};
    Result<std::optional<ZipEntry>> file =
        ReadAppendedZipEntry(model.bytes(), names, kMaxLabelFileBytes);
    if (!file.ok()) return WithContext(where, WithKind(ErrorKind::kBadFile, file.error()));
    if (!file->has_value()) {
      return MakeError(ErrorKind::kBadFile, where,
                       "names the label file " + name + ", which the model's zip does not hold");
    }
    return file;
  }
  return std::optional<ZipEntry>();
}

}  // namespace coralpi

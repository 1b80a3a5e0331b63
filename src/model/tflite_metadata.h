// The label file TensorFlow Lite's model metadata names for a model's output: Coral's and
// TensorFlow Hub's classifiers carry their labels inside the .tflite, as a file in a zip appended
// to it, named by the "TFLITE_METADATA" buffer (tflite_support's metadata schema, identifier
// "M001"; schema/tflite_metadata.fbs) as a TENSOR_AXIS_LABELS (or TENSOR_VALUE_LABELS) file of
// an output tensor. With it, `classify` names classes without --labels.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "model/appended_zip.h"
#include "model/model.h"

namespace coralpi {

// The labels file: the first output tensor's (of the main subgraph's, in output order) first
// TENSOR_AXIS_LABELS file, else its first TENSOR_VALUE_LABELS file, read from the appended zip.
// nullopt: no metadata, or it names no label file. Errors (bad file): metadata that is not a
// valid metadata buffer, a named file missing from the zip, a zip that is corrupt, a file over
// 1 MiB.
Result<std::optional<ZipEntry>> ReadMetadataLabelFile(const Model& model);

}  // namespace coralpi

// libFuzzer target for the .tflite reader: any bytes must give a model or an error, never a
// crash or an out-of-bounds read. Models that load also go through the CPU engine's
// load-time checks (placement), which index into what the reader verified, and the reading of
// TensorFlow Lite metadata's label file (a FlatBuffer inside, a zip appended).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/cpu_engine.h"
#include "model/model.h"
#include "model/tflite_metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto model = coralpi::Model::FromBytes(std::vector<uint8_t>(data, data + size), "fuzz.tflite");
  if (!model.ok()) return 0;
  (void)coralpi::PlanPlacement(**model);
  (void)coralpi::ReadMetadataLabelFile(**model);
  return 0;
}

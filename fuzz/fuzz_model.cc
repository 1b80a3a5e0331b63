// libFuzzer target for the .tflite reader: any bytes must give a model or an error, never a
// crash or an out-of-bounds read. Models that load also go through the CPU engine's
// load-time checks (placement), which index into what the reader verified.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/cpu_engine.h"
#include "model/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto model = coralpi::Model::FromBytes(std::vector<uint8_t>(data, data + size), "fuzz.tflite");
  if (model.ok()) (void)coralpi::PlanPlacement(**model);
  return 0;
}

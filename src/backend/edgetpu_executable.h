// What an Edge TPU model's `edgetpu-custom-op` carries: the executables the Edge TPU compiler
// produced for that segment of the graph, and how much parameter (weight) data each holds.
//
// The custom op's options are a FlexBuffer map (libedgetpu tflite/custom_op_data.cc):
//   "1" int      format version
//   "4" string   serialized executable package (root of schema/edgetpu_package.fbs, "DWN1")
//   "6" [int]    chip of each package (present when there are several)
//   "7" [string] further packages
// Each package wraps a MultiExecutable whose entries are Executables. Everything is verified
// (FlexBuffers and FlatBuffers verifiers) before it is read; a malformed payload is an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace coralpi {

// The Edge TPU's on-chip memory for caching parameters.
inline constexpr size_t kEdgeTpuOnChipBytes = size_t{8} << 20;

struct EdgeTpuExecutableInfo {
  // "STAND_ALONE" (everything needed for an inference), "PARAMETER_CACHING" (only loads
  // parameters into the TPU's memory) or "EXECUTION_ONLY" (runs with cached parameters).
  std::string type;
  std::string name;
  std::string chip;
  size_t serialized_bytes = 0;   // the executable as stored in the model
  size_t parameter_bytes = 0;    // its parameter stream
  size_t instruction_bytes = 0;  // its instruction bitstreams
  int64_t estimated_cycles = 0;
  bool parameters_in_tpu_dram = false;
  uint64_t parameter_caching_token = 0;
};

struct EdgeTpuPackageInfo {
  size_t serialized_bytes = 0;
  bool has_identifier = false;  // starts with the "DWN1" file identifier
  int32_t min_runtime_version = 0;
  std::string compiler_version;
  std::string model_identifier;
  int32_t chip = -1;  // key "6" entry, -1 when absent
  std::vector<EdgeTpuExecutableInfo> executables;

  size_t parameter_bytes() const;
};

struct EdgeTpuCustomOpInfo {
  int32_t format_version = 0;
  size_t options_bytes = 0;
  std::vector<EdgeTpuPackageInfo> packages;

  size_t parameter_bytes() const;
};

// Parses the custom options of one edgetpu-custom-op; errors say which part is malformed.
Result<EdgeTpuCustomOpInfo> ParseEdgeTpuCustomOptions(std::span<const uint8_t> options);

}  // namespace coralpi

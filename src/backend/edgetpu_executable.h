// What an Edge TPU model's `edgetpu-custom-op` carries, and the check coralpi makes before
// libedgetpu sees it: the executables the Edge TPU compiler produced for that segment of the
// graph, how much parameter (weight) data each holds, and the layers (inputs and outputs)
// each one reads and writes.
//
// The custom op's options are a FlexBuffer map (libedgetpu tflite/custom_op_data.cc):
//   "1" int      format version
//   "4" string   serialized executable package (root of schema/edgetpu_package.fbs, "DWN1")
//   "6" [int]    chip of each package (present when there are several)
//   "7" [string] further packages
// Each package wraps a MultiExecutable whose entries are Executables.
//
// libedgetpu parses the FlexBuffer without verifying it, dereferences layer names, numerics and
// output layouts without checking that they exist, and aborts on some malformed executables.
// So everything is verified here (FlexBuffers and FlatBuffers verifiers, then every field
// libedgetpu reads) and, with VerifyEdgeTpuCustomOp, the layers are checked against the node's
// tensors by libedgetpu's own rules: a malformed payload is an error, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"

namespace coralpi {

// The Edge TPU's on-chip memory for caching parameters.
inline constexpr size_t kEdgeTpuOnChipBytes = size_t{8} << 20;

// One input or output of a compiled segment.
struct EdgeTpuLayerInfo {
  std::string name;
  std::string data_type;  // "FIXED_POINT8", "SIGNED_FIXED_POINT8", ...
  int element_bytes = 0;  // of data_type
  int y = 0, x = 0, z = 0;
  int executions = 1;            // execution_count_per_inference
  int64_t values = 0;            // y * x * z * executions: values per batch
  int64_t padded_bytes = 0;      // size_bytes * executions: the TPU's buffer per batch
  bool variable_output = false;  // "*_variable_output": written back into an input (LSTM)
};

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
  int32_t batch_size = 0;
  std::vector<EdgeTpuLayerInfo> inputs, outputs;
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
  // The executable libedgetpu runs for an inference: the only one, the EXECUTION_ONLY one of
  // two, the STAND_ALONE one of three (driver/package_registry.cc).
  const EdgeTpuExecutableInfo& main_executable() const;
};

struct EdgeTpuCustomOpInfo {
  int32_t format_version = 0;
  size_t options_bytes = 0;
  std::vector<EdgeTpuPackageInfo> packages;

  size_t parameter_bytes() const;
};

// Whether the custom op takes tensors of this type (uint8, int8, int16, int32, float16, float32).
bool EdgeTpuTakes(DataType type);

// Parses and verifies the custom options of one edgetpu-custom-op; errors say which part is
// malformed ("edgetpu-custom-op options: package 0: executable 1: output layer 0: ...").
Result<EdgeTpuCustomOpInfo> ParseEdgeTpuCustomOptions(std::span<const uint8_t> options);

// Checks every package's main executable against the node's tensors as libedgetpu's prepare
// does (layer counts, element types, sizes with a common batch dimension; output layer i against
// node output i, variable-output layers counted), and an LSTM's variable-output layers against
// the inputs its invoke writes them back into, so that a payload that does not fit its node is
// refused with a clear message before libedgetpu sees it.
Status CheckEdgeTpuLayers(const EdgeTpuCustomOpInfo& info, std::span<const TensorView> inputs,
                          std::span<const TensorView> outputs);

// ParseEdgeTpuCustomOptions, then CheckEdgeTpuLayers.
Result<EdgeTpuCustomOpInfo> VerifyEdgeTpuCustomOp(std::span<const uint8_t> options,
                                                  std::span<const TensorView> inputs,
                                                  std::span<const TensorView> outputs);

}  // namespace coralpi

// Test helpers for the engine: random one-operator models, and running a model through both
// the XNNPACK path and the reference kernels on the same input.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "engine/cpu_engine.h"
#include "model/builder.h"
#include "model/model.h"

namespace coralpi::testing {

inline Quantization Q(float scale, int64_t zp) { return Quantization{{scale}, {zp}, 0}; }

// Random bytes (or floats in [-1, 1]) into every input of the engine, from `seed`.
void FillRandomInputs(CpuEngine& engine, uint32_t seed);

struct BothRuns {
  std::vector<std::vector<uint8_t>> xnnpack;  // raw output bytes
  std::vector<std::vector<uint8_t>> reference;
  std::vector<DataType> types;
  int xnnpack_nodes = 0;
};

// Builds the model, runs it once with XNNPACK (threads) and once on the reference kernels
// with identical inputs, and returns both outputs. Fails the test on any error.
BothRuns RunBoth(const std::vector<uint8_t>& model_bytes, uint32_t seed, int threads = 1);

// Largest absolute difference between two output buffers of the given type
// (in quantized steps for integer types).
double MaxAbsDiff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, DataType type);

// Fills the inputs of an engine (both runs of RunBoth get the same fill).
using InputFill = std::function<void(CpuEngine&)>;
// An engine for the model `bytes` with `options`, inputs filled by `fill`, invoked once; null
// (and the test failed) on any error.
std::unique_ptr<CpuEngine> InvokedEngine(const std::vector<uint8_t>& bytes,
                                         const CpuEngineOptions& options, const InputFill& fill);
// The stored bytes of output i.
std::vector<uint8_t> OutputBytes(const CpuEngine& engine, size_t i);
// RunBoth with the inputs filled by `fill`.
BothRuns RunBoth(const std::vector<uint8_t>& model_bytes, const InputFill& fill, int threads = 1);
// Float inputs uniform in [lo, hi]; other types random bytes (as FillRandomInputs).
InputFill FillUniform(float lo, float hi, uint32_t seed);
// Every output equal: bit for bit on integer types, within 1e-4 of the largest reference
// magnitude (at least 1) on float32. `what` names the case in failures.
void ExpectEqualOutputs(const BothRuns& r, const std::string& what);

// Seeded random parameters for generated models: shapes, indices, quantizations, activations.
class ParamGen {
 public:
  explicit ParamGen(uint32_t seed) : rng_(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  float Real(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng_); }
  // Log-uniform in [lo, hi].
  float Scale(float lo, float hi);
  // A zero point of the type: uint8 0..255, int8 -128..127, 0 for others.
  int64_t Zp(DataType t);
  // NONE, RELU, RELU6 or RELU_N1_TO_1.
  Activation Act();
  std::mt19937& engine() { return rng_; }

 private:
  std::mt19937 rng_;
};


// ---- Generated models of the data-movement and index operators ----

// A constant int32 input of a generated node: its shape and values.
struct IndexInput {
  Shape shape;
  std::vector<int32_t> values;
};

// A model of one `code` node: a float32 graph input of `in_shape`, then the constant index
// inputs, and one graph output of `out_shape` and `out_type`.
std::vector<uint8_t> OneNodeModel(OpCode code, const Shape& in_shape,
                                  const std::vector<IndexInput>& index_inputs,
                                  const Shape& out_shape, const OpOptions& options,
                                  DataType out_type = DataType::kFloat32);

}  // namespace coralpi::testing

namespace coralpi::testing {

// Random bytes (or floats in [-1, 1]) into one tensor.
void FillRandom(const TensorView& t, std::mt19937& rng);

}  // namespace coralpi::testing

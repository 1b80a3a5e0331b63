// Comparing what two or more backends compute for the same input, output by output: the
// largest difference from the first backend (in quantized steps for integer outputs, real units
// for float ones), how many elements differ, and for classification-like outputs whether the
// top-k classes agree. What `coralpi compare` prints; plain data, so any command can use it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "core/result.h"
#include "model/model.h"
#include "vision/classification.h"

namespace coralpi {

struct OutputDifference {
  std::string backend;
  double max_abs = 0;  // steps for integer outputs, real units for float ones
  int64_t where = -1;  // element of the largest difference
  double ours = 0, reference = 0;
  int64_t differing = 0;  // elements that differ at all
  bool same_quantization = true;
  std::string top_k;  // "agree", "same classes, different order", "differ", "" when n/a
  std::vector<Class> classes;
};

struct OutputComparison {
  size_t index = 0;
  std::string description;  // "uint8 [1, 1001]"
  std::string name;         // the tensor's name in the model, when known
  bool integer = false;
  std::vector<Class> reference_classes;
  std::vector<OutputDifference> diffs;
};

// The backends see inputs of the same count, types and shapes (else an error naming the first
// difference).
Status CheckSameInputs(const std::vector<std::unique_ptr<Backend>>& backends);

// Compares every output of backends[1..] with backends[0] (after each has been invoked); the
// outputs marked in `no_top_k` get no top-k comparison even when they look like class scores.
Result<std::vector<OutputComparison>> CompareOutputs(
    std::vector<std::unique_ptr<Backend>>& backends, int top_k,
    const std::vector<bool>& no_top_k = {});

// The same for backends running `model` (or its twin): outputs carry the model's tensor names,
// and a detector's post-process outputs (boxes, classes, scores, count) get no top-k.
Result<std::vector<OutputComparison>> CompareOutputs(
    std::vector<std::unique_ptr<Backend>>& backends, int top_k, const Model& model);

}  // namespace coralpi

// Semantic segmentation: a class per pixel out of a segmentation model's output, mapped back to
// the original image, with per-class pixel counts.
//
// Models end either in ARG_MAX (an output [1, H, W] of int32 or int64 class ids: DeepLab as
// Coral ships it) or in per-class scores ([1, H, W, C] of uint8, int8 or float32), of which
// the class with the highest score wins (ties: the lower class id; quantized scores compare
// as stored, since dequantizing with a positive scale keeps their order). The output grid
// covers the model's input, which need not have the output's size.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "vision/preprocess.h"

namespace coralpi {

// Class ids, row-major: pixel (x, y) is classes[y * width + x].
struct SegmentationMap {
  int width = 0;
  int height = 0;
  std::vector<int32_t> classes;
  bool operator==(const SegmentationMap&) const = default;
};

struct ClassCount {
  int32_t class_id = 0;
  int64_t pixels = 0;
  bool operator==(const ClassCount&) const = default;
};
std::string ToString(const ClassCount& c);

// The class of each of H x W cells from C scores per cell (cell-major, as [1, H, W, C]).
// Errors: sizes that do not agree.
template <typename T>
Result<SegmentationMap> ArgMaxClasses(std::span<const T> scores, int height, int width,
                                      int classes);

// An ARG_MAX output's ids as a map (int32 or int64 values; ids beyond int32 are errors).
template <typename T>
Result<SegmentationMap> ClassIdMap(std::span<const T> ids, int height, int width);

// The map over the model's input (any grid size) -> one class per pixel of the original image:
// nearest neighbour at each image pixel's centre, through `transform`.
SegmentationMap MapToImage(const SegmentationMap& map, const InputTransform& transform);

// Pixels per class, most pixels first (ties: lower class id); classes with no pixel are left out.
std::vector<ClassCount> CountClasses(const SegmentationMap& map);

// The class map from a segmentation output: [1, H, W] / [H, W] int32 or int64 ids, or
// [1, H, W, C] uint8 / int8 / float32 scores. Errors say which shapes and types are expected.
Result<SegmentationMap> ReadSegmentation(const TensorView& output);

// The number of classes an output can hold: C for scores, unknown (0) for ids.
int SegmentationClassCount(const TensorView& output);

}  // namespace coralpi

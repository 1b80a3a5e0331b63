// Plain value types shared by the model reader, the builder and the engines:
// element types, quantization parameters, operator codes and operator options.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace coralpi {

// Element types, numbered as TensorType in the TFLite schema.
enum class DataType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
};

// Bytes per element, or 0 for types without a fixed size (string) or unknown values.
size_t ElementSize(DataType type);
const char* DataTypeName(DataType type);

// Affine quantization: real = scale * (q - zero_point). One (scale, zero point) pair per tensor,
// or one per slice along `axis` (per-channel).
struct Quantization {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t axis = 0;

  bool empty() const { return scale.empty(); }
  bool per_channel() const { return scale.size() > 1; }
};

using Shape = std::vector<int32_t>;
// Product of the dimensions (1 for a scalar); -1 if a dimension is negative or it overflows.
int64_t NumElements(const Shape& shape);
std::string ShapeToString(const Shape& shape);

// Builtin operator codes, numbered as BuiltinOperator in the TFLite schema (only the ones
// coralpi names; any other value is kept as its number).
enum class OpCode : int32_t {
  kAdd = 0,
  kAveragePool2D = 1,
  kConcatenation = 2,
  kConv2D = 3,
  kDepthwiseConv2D = 4,
  kDequantize = 6,
  kFullyConnected = 9,
  kLogistic = 14,
  kMaxPool2D = 17,
  kMul = 18,
  kRelu = 19,
  kReluN1To1 = 20,
  kRelu6 = 21,
  kReshape = 22,
  kResizeBilinear = 23,
  kSoftmax = 25,
  kTanh = 28,
  kCustom = 32,
  kPad = 34,
  kGather = 36,
  kTranspose = 39,
  kMean = 40,
  kSub = 41,
  kDiv = 42,
  kSqueeze = 43,
  kStridedSlice = 45,
  kExp = 47,
  kSplit = 49,
  kCast = 53,
  kMaximum = 55,
  kArgMax = 56,
  kMinimum = 57,
  kPadV2 = 60,
  kSlice = 65,
  kExpandDims = 70,
  kSqrt = 75,
  kRsqrt = 76,
  kPack = 83,
  kUnpack = 88,
  kFloorDiv = 90,
  kResizeNearestNeighbor = 97,
  kLeakyRelu = 98,
  kSplitV = 102,
  kGatherNd = 107,
  kQuantize = 114,
  kHardSwish = 117,
};
// The schema's name for a builtin code ("CONV_2D"), or "BUILTIN_<n>" for codes not in the table.
std::string OpCodeName(int32_t code);

enum class Padding : int8_t { kSame = 0, kValid = 1 };

// Fused activations, numbered as ActivationFunctionType in the TFLite schema.
enum class Activation : int8_t { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4 };
const char* ActivationName(Activation act);

struct Conv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t dilation_w = 1, dilation_h = 1;
  Activation activation = Activation::kNone;
};

struct DepthwiseConv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t depth_multiplier = 1;
  int32_t dilation_w = 1, dilation_h = 1;
  Activation activation = Activation::kNone;
};

struct Pool2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t filter_w = 1, filter_h = 1;
  Activation activation = Activation::kNone;
};

struct FullyConnectedOptions {
  Activation activation = Activation::kNone;
  bool keep_num_dims = false;
};

// ADD, SUB, MUL and DIV: only a fused activation.
struct AddOptions {
  Activation activation = Activation::kNone;
};

struct SoftmaxOptions {
  float beta = 1.0f;
};

struct ConcatenationOptions {
  int32_t axis = 0;
  Activation activation = Activation::kNone;
};

struct ReshapeOptions {
  std::vector<int32_t> new_shape;
};

struct ReducerOptions {
  bool keep_dims = false;
};

struct SqueezeOptions {
  std::vector<int32_t> squeeze_dims;
};

// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR.
struct ResizeOptions {
  bool align_corners = false;
  bool half_pixel_centers = false;
};

struct StridedSliceOptions {
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0;
  int32_t new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;  // end is begin + end
};

struct ArgMaxOptions {
  DataType output_type = DataType::kInt64;
};

// PACK (values_count inputs) and UNPACK (count outputs), along `axis`.
struct PackOptions {
  int32_t count = 0;
  int32_t axis = 0;
};

// SPLIT and SPLIT_V.
struct SplitOptions {
  int32_t num_splits = 0;
};

struct GatherOptions {
  int32_t axis = 0;
  int32_t batch_dims = 0;
};

struct LeakyReluOptions {
  float alpha = 0.0f;
};

struct NoOptions {};

using OpOptions =
    std::variant<NoOptions, Conv2DOptions, DepthwiseConv2DOptions, Pool2DOptions,
                 FullyConnectedOptions, AddOptions, SoftmaxOptions, ConcatenationOptions,
                 ReshapeOptions, ReducerOptions, SqueezeOptions, ResizeOptions, StridedSliceOptions,
                 ArgMaxOptions, PackOptions, SplitOptions, GatherOptions, LeakyReluOptions>;

}  // namespace coralpi

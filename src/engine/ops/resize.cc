// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR: NHWC float32, uint8 or int8, resized to the
// constant int32 size [height, width] of the second input. XNNPACK runs the float32 and int8
// bilinear cases (xnnpack::ResizeMode: TFLite's half_pixel_centers is XNNPACK's default mode,
// align_corners its align-corners flag, neither flag its TensorFlow legacy mode);
// uint8 runs on the reference kernel, which follows TensorFlow Lite's float-weighted uint8
// kernel (XNNPACK's 11-bit weights round differently and cost DeepLab its accuracy). Nearest
// neighbour has no XNNPACK node and runs on the reference kernel.
#include <cstring>

#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, 2, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& size = Input(op, g, 1);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(
      ExpectType(in, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8}, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectType(out, {in.type}, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectRank(in, 4, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(in, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(out, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectType(size, {DataType::kInt32}, "size"));
  CORALPI_RETURN_IF_ERROR(ExpectConstant(size, "size"));
  CORALPI_RETURN_IF_ERROR(ExpectShape(size, {2}, "size"));
  int32_t hw[2];
  std::memcpy(hw, size.data.data(), sizeof(hw));
  if (hw[0] < 1 || hw[1] < 1) {
    return Error{"size " + std::to_string(hw[0]) + "x" + std::to_string(hw[1]) +
                 " must be positive"};
  }
  CORALPI_RETURN_IF_ERROR(ExpectShape(out, {in.shape[0], hw[0], hw[1], in.shape[3]}, "output"));
  const auto& o = std::get<ResizeOptions>(op.options);
  if (o.align_corners && o.half_pixel_centers) {
    return Error{"align_corners and half_pixel_centers cannot both be set"};
  }
  return ExpectSameQuantization(in, out, op.name());
}

Status RunBilinear(const OperatorInfo& op, std::span<const TensorView> in,
                   std::span<const TensorView> out) {
  return reference::ResizeBilinear(std::get<ResizeOptions>(op.options), in[0], out[0]);
}

Status RunNearest(const OperatorInfo& op, std::span<const TensorView> in,
                  std::span<const TensorView> out) {
  return reference::ResizeNearestNeighbor(std::get<ResizeOptions>(op.options), in[0], out[0]);
}

std::string BilinearRejection(const OperatorInfo& op, const Subgraph& g) {
  if (Input(op, g, 0).type == DataType::kUInt8) {
    return "XNNPACK rounds quantized bilinear resizing differently from TensorFlow Lite";
  }
  const TensorInfo& out = Output(op, g, 0);
  if (out.shape[1] < (1 << 24) && out.shape[2] < (1 << 24)) return "";
  return "XNNPACK resizes to fewer than 2^24 rows and columns";
}

std::string NearestRejection(const OperatorInfo&, const Subgraph&) {
  return "this XNNPACK has no nearest-neighbour resize";
}

Status XnnDefineBilinear(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  const auto& o = std::get<ResizeOptions>(op.options);
  const TensorInfo& out = b.tensor(op.outputs[0]);
  CORALPI_ASSIGN_OR_RETURN(uint32_t input, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0]));
  const xnnpack::ResizeMode mode = o.align_corners        ? xnnpack::ResizeMode::kAlignCorners
                                   : o.half_pixel_centers ? xnnpack::ResizeMode::kHalfPixelCenters
                                                          : xnnpack::ResizeMode::kLegacy;
  return b.ResizeBilinear(static_cast<size_t>(out.shape[1]), static_cast<size_t>(out.shape[2]),
                          mode, input, output);
}

}  // namespace

const OpKernel kResizeBilinear = {static_cast<int32_t>(OpCode::kResizeBilinear),
                                  Check,
                                  RunBilinear,
                                  XnnTakes<BilinearRejection>,
                                  XnnDefineBilinear,
                                  BilinearRejection};
const OpKernel kResizeNearestNeighbor = {static_cast<int32_t>(OpCode::kResizeNearestNeighbor),
                                         Check,
                                         RunNearest,
                                         nullptr,
                                         nullptr,
                                         NearestRejection};

}  // namespace coralpi::ops

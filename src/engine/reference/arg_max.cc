// ARG_MAX: the index of the largest value along one axis, that axis removed. Ties pick the
// lowest index (a later value must be strictly greater), as TensorFlow Lite's kernel does.
// Quantized inputs compare their stored values: with a positive scale the order is the same.
#include <algorithm>
#include <vector>

#include "engine/reference/kernel_util.h"
#include "engine/reference/movement_util.h"
#include "engine/reference/parallel.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

constexpr const char* kOp = "ARG_MAX";

// The axis is the last one: one contiguous row of `size` values per output.
template <typename T, typename Index>
void ArgMaxRows(const T* in, Index* out, int64_t begin, int64_t end, int64_t size) {
  for (int64_t o = begin; o < end; ++o) {
    const T* base = in + o * size;
    T top = base[0];
    Index top_index = 0;
    for (int64_t k = 1; k < size; ++k) {
      const bool greater = base[k] > top;
      top = greater ? base[k] : top;
      top_index = greater ? static_cast<Index>(k) : top_index;
    }
    out[o] = top_index;
  }
}

// The scans select without branches (a later value replaces the best only when strictly
// greater): on real logits a branch per comparison mispredicts often.
template <typename T, typename Index>
void ArgMaxLoop(const T* in, Index* out, int64_t outer, int64_t size, int64_t inner) {
  if (inner == 1) {  // in parallel over the rows (parallel.h), e.g. DeepLab's 513 x 513 pixels
    ParallelFor(outer, 1024, [&](int64_t begin, int64_t end) {
      ArgMaxRows(in, out, begin, end, size);
    });
    return;
  }
  std::vector<T> best(static_cast<size_t>(inner));
  for (int64_t o = 0; o < outer; ++o) {
    const T* base = in + o * size * inner;
    Index* where = out + o * inner;
    std::copy(base, base + inner, best.begin());
    std::fill(where, where + inner, Index{0});
    for (int64_t k = 1; k < size; ++k) {
      const T* row = base + k * inner;
      for (int64_t i = 0; i < inner; ++i) {
        const bool greater = row[i] > best[static_cast<size_t>(i)];
        best[static_cast<size_t>(i)] = greater ? row[i] : best[static_cast<size_t>(i)];
        where[i] = greater ? static_cast<Index>(k) : where[i];
      }
    }
  }
}

template <typename Index>
Status Dispatch(const TensorView& input, const TensorView& output, int64_t outer, int64_t size,
                int64_t inner) {
  Index* out = output.as<Index>();
  switch (input.type) {
    case DataType::kFloat32:
      ArgMaxLoop(input.as<const float>(), out, outer, size, inner);
      return OkStatus();
    case DataType::kUInt8:
      ArgMaxLoop(input.as<const uint8_t>(), out, outer, size, inner);
      return OkStatus();
    case DataType::kInt8:
      ArgMaxLoop(input.as<const int8_t>(), out, outer, size, inner);
      return OkStatus();
    case DataType::kInt16:
      ArgMaxLoop(input.as<const int16_t>(), out, outer, size, inner);
      return OkStatus();
    case DataType::kInt32:
      ArgMaxLoop(input.as<const int32_t>(), out, outer, size, inner);
      return OkStatus();
    case DataType::kInt64:
      ArgMaxLoop(input.as<const int64_t>(), out, outer, size, inner);
      return OkStatus();
    default:
      return MakeError(kOp, std::string("input: unsupported type ") + DataTypeName(input.type));
  }
}

// The axis to reduce, in [0, rank), and not empty.
Result<int> ReducedAxis(const Shape& input, const TensorView& axis) {
  if (input.empty()) return MakeError(kOp, "input: a scalar has no axis");
  CORALPI_ASSIGN_OR_RETURN(int64_t a, internal::ReadScalarIndex(kOp, "axis", axis));
  CORALPI_ASSIGN_OR_RETURN(int d, internal::NormalizeAxis(kOp, "axis", a, input.size()));
  if (input[static_cast<size_t>(d)] == 0) {
    return MakeError(kOp, "axis " + std::to_string(a) + " is empty in " + ShapeToString(input));
  }
  return d;
}

}  // namespace

Result<Shape> ArgMaxShape(const Shape& input, const TensorView& axis) {
  CORALPI_ASSIGN_OR_RETURN(int d, ReducedAxis(input, axis));
  Shape out = input;
  out.erase(out.begin() + d);
  return out;
}

Status ArgMax(const ArgMaxOptions& opt, const TensorView& input, const TensorView& axis,
              const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckMovable(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  if (output.type != opt.output_type ||
      (output.type != DataType::kInt32 && output.type != DataType::kInt64)) {
    return MakeError(kOp, std::string("output: ") + DataTypeName(output.type) +
                              ", the options ask for " + DataTypeName(opt.output_type) +
                              " (int32 or int64)");
  }
  CORALPI_ASSIGN_OR_RETURN(Shape expected, ArgMaxShape(input.shape, axis));
  CORALPI_RETURN_IF_ERROR(internal::CheckShape(kOp, "output", output, expected));
  CORALPI_ASSIGN_OR_RETURN(int axis_index, ReducedAxis(input.shape, axis));
  const size_t d = static_cast<size_t>(axis_index);
  const int64_t outer = internal::Product(input.shape, 0, d);
  const int64_t size = input.shape[d];
  const int64_t inner = internal::Product(input.shape, d + 1, input.shape.size());
  if (output.type == DataType::kInt32) return Dispatch<int32_t>(input, output, outer, size, inner);
  return Dispatch<int64_t>(input, output, outer, size, inner);
}

}  // namespace coralpi::reference

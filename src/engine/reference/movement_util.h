// Helpers shared by the data-movement and index kernels (concatenation, pack, split, slices,
// transpose, pad, gather, arg max, reshape): axis normalization, reading int32/int64 index
// tensors, shape and quantization checks, and the two copy loops they are all made of (blocks
// along one axis, and a strided walk over an N-D index space). Internal to src/engine/reference.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "model/types.h"

namespace coralpi::reference::internal {

// The largest rank these kernels take: TensorFlow Lite's TRANSPOSE goes to 6-D, and so does
// XNNPACK (XNN_MAX_TENSOR_DIMS).
constexpr size_t kMaxMovementRank = 6;

// `axis` counted from the end when negative (axis + rank); an error unless it then lies in
// [0, rank). `what` names the axis in the message ("axis", "split axis").
Result<int> NormalizeAxis(const char* op, const char* what, int64_t axis, size_t rank);

// Element i of an int32 or int64 tensor (callers check the type first).
inline int64_t LoadIndex(const TensorView& t, int64_t i) {
  return t.type == DataType::kInt64 ? t.as<const int64_t>()[i] : t.as<const int32_t>()[i];
}
// Every value of an int32 or int64 tensor; an error for other types or missing data.
Result<std::vector<int64_t>> ReadIndices(const char* op, const char* name, const TensorView& t);
// The values of a 1-D int32/int64 tensor of `count` elements.
Result<std::vector<int64_t>> ReadIndexVector(const char* op, const char* name, const TensorView& t,
                                             size_t count);
// The single value of a scalar or one-element int32/int64 tensor.
Result<int64_t> ReadScalarIndex(const char* op, const char* name, const TensorView& t);

// Product of dims[begin, end).
int64_t Product(const Shape& shape, size_t begin, size_t end);
// Row-major strides in elements.
std::vector<int64_t> Strides(const Shape& shape);

// A tensor of a type these kernels move as bytes (fixed element size), with a valid shape and
// data, of rank at most kMaxMovementRank.
Status CheckMovable(const char* op, const char* name, const TensorView& t);
// `t` has exactly `shape`.
Status CheckShape(const char* op, const char* name, const TensorView& t, const Shape& shape);
// Same element type as `like`, and for quantized types (uint8, int8, int16) the same scale and
// zero point: moving bytes is only right when both sides read them alike.
Status CheckSameKind(const char* op, const char* name, const TensorView& t, const TensorView& like);
bool SameQuantization(const TensorView& a, const TensorView& b);

// The joined tensor of CONCATENATION/PACK (or the split one of SPLIT/UNPACK) holds, for each of
// `outer` rows, part 0's block, then part 1's, ...; part p's blocks are block[p] elements long
// and contiguous in the part. fn(p, part_offset, joined_offset, count) moves one block.
template <typename Fn>
void ForEachBlock(int64_t outer, std::span<const int64_t> block, Fn fn) {
  int64_t joined = 0;
  for (int64_t k = 0; k < outer; ++k) {
    for (size_t p = 0; p < block.size(); ++p) {
      fn(p, k * block[p], joined, block[p]);
      joined += block[p];
    }
  }
}

// Copies `count` elements from element `from` of `src` to element `to` of `dst` (same type).
void CopyElements(const TensorView& src, int64_t from, const TensorView& dst, int64_t to,
                  int64_t count);

// One side of a strided copy: element (i_0, ..., i_{n-1}) of the walked index space sits at
// offset + sum_d i_d * steps[d] elements from data. Steps may be negative (reversed slices).
struct StridedSide {
  std::vector<int64_t> steps;
  int64_t offset = 0;
};
// For every index i of `shape`: out[i] = in[i], each side placed by its steps, elements of
// `element_size` bytes. SLICE, STRIDED_SLICE and TRANSPOSE read strided and write dense; PAD
// reads dense and writes strided.
void CopyStrided(size_t element_size, const Shape& shape, const void* in, const StridedSide& from,
                 void* out, const StridedSide& to);
// The dense side of a copy over `shape` (row-major strides, offset 0).
StridedSide Dense(const Shape& shape);

}  // namespace coralpi::reference::internal

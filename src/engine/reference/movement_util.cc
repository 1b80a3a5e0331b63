// Axis, index and shape helpers and the copy loops of the data-movement kernels; see
// movement_util.h.
#include "engine/reference/movement_util.h"

#include <cstring>
#include <sstream>

#include "engine/reference/kernel_util.h"

namespace coralpi::reference::internal {

Result<int> NormalizeAxis(const char* op, const char* what, int64_t axis, size_t rank) {
  const int64_t r = static_cast<int64_t>(rank);
  const int64_t a = axis < 0 ? axis + r : axis;
  if (a < 0 || a >= r) {
    return MakeError(op, std::string(what) + " " + std::to_string(axis) + " is outside [" +
                             std::to_string(-r) + ", " + std::to_string(r - 1) + "]");
  }
  return static_cast<int>(a);
}

Result<std::vector<int64_t>> ReadIndices(const char* op, const char* name, const TensorView& t) {
  if (t.type != DataType::kInt32 && t.type != DataType::kInt64) {
    return MakeError(op,
                     std::string(name) + ": expected int32 or int64, got " + DataTypeName(t.type));
  }
  CORALPI_RETURN_IF_ERROR(CheckTensor(op, name, t));
  std::vector<int64_t> v(static_cast<size_t>(t.num_elements()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = LoadIndex(t, static_cast<int64_t>(i));
  return v;
}

Result<std::vector<int64_t>> ReadIndexVector(const char* op, const char* name, const TensorView& t,
                                             size_t count) {
  if (t.shape != Shape{static_cast<int32_t>(count)}) {
    return MakeError(op, std::string(name) + ": shape " + ShapeToString(t.shape) + ", expected [" +
                             std::to_string(count) + "]");
  }
  return ReadIndices(op, name, t);
}

Result<int64_t> ReadScalarIndex(const char* op, const char* name, const TensorView& t) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> v, ReadIndices(op, name, t));
  if (v.size() != 1) {
    return MakeError(
        op, std::string(name) + ": expected one value, got shape " + ShapeToString(t.shape));
  }
  return v[0];
}

int64_t Product(const Shape& shape, size_t begin, size_t end) {
  int64_t n = 1;
  for (size_t d = begin; d < end && d < shape.size(); ++d) n *= shape[d];
  return n;
}

std::vector<int64_t> Strides(const Shape& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) s[d - 1] = s[d] * shape[d];
  return s;
}

Status CheckMovable(const char* op, const char* name, const TensorView& t) {
  if (ElementSize(t.type) == 0) {
    return MakeError(op, std::string(name) + ": unsupported type " + DataTypeName(t.type));
  }
  if (t.shape.size() > kMaxMovementRank) {
    return MakeError(op, std::string(name) + ": rank " + std::to_string(t.shape.size()) +
                             " is above the supported " + std::to_string(kMaxMovementRank));
  }
  return CheckTensor(op, name, t);
}

Status CheckShape(const char* op, const char* name, const TensorView& t, const Shape& shape) {
  if (t.shape != shape) {
    return MakeError(op, std::string(name) + ": shape " + ShapeToString(t.shape) + ", expected " +
                             ShapeToString(shape));
  }
  return OkStatus();
}

bool SameQuantization(const TensorView& a, const TensorView& b) {
  const bool qa = a.quant != nullptr && !a.quant->empty();
  const bool qb = b.quant != nullptr && !b.quant->empty();
  if (!qa || !qb) return qa == qb;
  return a.quant->scale == b.quant->scale && a.quant->zero_point == b.quant->zero_point;
}

namespace {

std::string QuantString(const TensorView& t) {
  if (t.quant == nullptr || t.quant->empty() || t.quant->zero_point.empty()) return "(none)";
  std::ostringstream s;
  s << "scale " << t.quant->scale[0] << " zero point " << t.quant->zero_point[0];
  return s.str();
}

}  // namespace

Status CheckSameKind(const char* op, const char* name, const TensorView& t,
                     const TensorView& like) {
  CORALPI_RETURN_IF_ERROR(CheckType(op, name, t, like.type));
  const bool quantized = IsQuantized(t.type) || t.type == DataType::kInt16;
  if (quantized && !SameQuantization(t, like)) {
    return MakeError(op, std::string(name) + ": quantized as " + QuantString(t) + ", expected " +
                             QuantString(like));
  }
  return OkStatus();
}

void CopyElements(const TensorView& src, int64_t from, const TensorView& dst, int64_t to,
                  int64_t count) {
  if (count <= 0) return;
  const int64_t esize = static_cast<int64_t>(ElementSize(dst.type));
  std::memcpy(dst.as<uint8_t>() + to * esize, src.as<const uint8_t>() + from * esize,
              static_cast<size_t>(count * esize));
}

StridedSide Dense(const Shape& shape) { return StridedSide{Strides(shape), 0}; }

void CopyStrided(size_t element_size, const Shape& shape, const void* in, const StridedSide& from,
                 void* out, const StridedSide& to) {
  const int64_t total = NumElements(shape);
  if (total <= 0) return;
  const auto* src = static_cast<const uint8_t*>(in);
  auto* dst = static_cast<uint8_t*>(out);
  const int64_t esize = static_cast<int64_t>(element_size);
  const size_t rank = shape.size();
  if (rank == 0) {
    std::memcpy(dst + to.offset * esize, src + from.offset * esize, element_size);
    return;
  }
  // The innermost axis is one run: a memcpy when both sides are contiguous along it.
  const int64_t run = shape[rank - 1];
  const int64_t in_step = from.steps[rank - 1], out_step = to.steps[rank - 1];
  std::vector<int64_t> index(rank, 0);
  int64_t in_pos = from.offset, out_pos = to.offset;  // elements of index (..., 0)
  for (int64_t done = 0; done < total; done += run) {
    if (in_step == 1 && out_step == 1) {
      std::memcpy(dst + out_pos * esize, src + in_pos * esize, static_cast<size_t>(run * esize));
    } else {
      for (int64_t i = 0; i < run; ++i) {
        std::memcpy(dst + (out_pos + i * out_step) * esize, src + (in_pos + i * in_step) * esize,
                    element_size);
      }
    }
    // Advance the outer axes like an odometer.
    for (size_t d = rank - 1; d-- > 0;) {
      in_pos += from.steps[d];
      out_pos += to.steps[d];
      if (++index[d] < shape[d]) break;
      in_pos -= from.steps[d] * shape[d];
      out_pos -= to.steps[d] * shape[d];
      index[d] = 0;
    }
  }
}

}  // namespace coralpi::reference::internal

// CONCATENATION (join tensors along an existing axis, requantizing 8-bit inputs whose scale or
// zero point differ from the output's) and PACK (join equal tensors along a new axis).
#include <algorithm>
#include <array>
#include <cmath>

#include "engine/reference/kernel_util.h"
#include "engine/reference/movement_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

using internal::CheckMovable;
using internal::CheckShape;

std::string InputName(size_t i) { return "input " + std::to_string(i); }

// TensorFlow Lite's ConcatenationWithScaling of one 8-bit input, as a table of the 256 stored
// bytes it can read (the formula depends on the value alone): out byte = table[in byte].
std::array<uint8_t, 256> RequantizationTable(const TensorView& in, const TensorView& out) {
  const float scale = in.scale() * (1.0f / out.scale());
  const float bias = static_cast<float>(-in.zero_point()) * scale;
  const int32_t out_zp = out.zero_point();
  const ActivationRange range = internal::TypeRange(out.type);
  std::array<uint8_t, 256> table{};
  for (int32_t b = 0; b < 256; ++b) {
    const int32_t q = in.type == DataType::kInt8 ? static_cast<int8_t>(b) : b;
    const int32_t v =
        static_cast<int32_t>(std::round(static_cast<float>(q) * scale + bias)) + out_zp;
    table[static_cast<size_t>(b)] = static_cast<uint8_t>(std::clamp(v, range.lo, range.hi));
  }
  return table;
}

// Whether input `in` is copied as bytes, or requantized; errors when neither applies.
Result<bool> NeedsRequantization(const char* op, size_t i, const TensorView& in,
                                 const TensorView& out) {
  CORALPI_RETURN_IF_ERROR(internal::CheckType(op, InputName(i).c_str(), in, out.type));
  if (!internal::IsQuantized(out.type)) {
    CORALPI_RETURN_IF_ERROR(internal::CheckSameKind(op, InputName(i).c_str(), in, out));
    return false;
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(op, InputName(i).c_str(), in));
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(op, "output", out));
  return !internal::SameQuantization(in, out);
}

}  // namespace

Result<Shape> ConcatenationShape(const ConcatenationOptions& opt, std::span<const Shape> inputs) {
  constexpr const char* kOp = "CONCATENATION";
  if (inputs.empty()) return MakeError(kOp, "no inputs");
  const Shape& first = inputs[0];
  if (first.empty()) return MakeError(kOp, "input 0: scalars cannot be concatenated");
  CORALPI_ASSIGN_OR_RETURN(int axis, internal::NormalizeAxis(kOp, "axis", opt.axis, first.size()));
  Shape out = first;
  for (size_t i = 1; i < inputs.size(); ++i) {
    const Shape& s = inputs[i];
    bool fits = s.size() == first.size();
    for (size_t d = 0; fits && d < s.size(); ++d) {
      fits = static_cast<int>(d) == axis || s[d] == first[d];
    }
    if (!fits) {
      return MakeError(kOp, InputName(i) + ": shape " + ShapeToString(s) +
                                " does not match input 0's " + ShapeToString(first) +
                                " outside axis " + std::to_string(axis));
    }
    out[static_cast<size_t>(axis)] += s[static_cast<size_t>(axis)];
  }
  return out;
}

Status Concatenation(const ConcatenationOptions& opt, std::span<const TensorView> inputs,
                     const TensorView& output) {
  constexpr const char* kOp = "CONCATENATION";
  if (opt.activation != Activation::kNone) {
    return MakeError(kOp, std::string("fused activation ") + ActivationName(opt.activation) +
                              " is not supported (TensorFlow Lite allows none)");
  }
  CORALPI_RETURN_IF_ERROR(CheckMovable(kOp, "output", output));
  std::vector<Shape> shapes;
  std::vector<bool> requantize;
  for (size_t i = 0; i < inputs.size(); ++i) {
    CORALPI_RETURN_IF_ERROR(CheckMovable(kOp, InputName(i).c_str(), inputs[i]));
    CORALPI_ASSIGN_OR_RETURN(bool r, NeedsRequantization(kOp, i, inputs[i], output));
    requantize.push_back(r);
    shapes.push_back(inputs[i].shape);
  }
  CORALPI_ASSIGN_OR_RETURN(Shape expected, ConcatenationShape(opt, shapes));
  CORALPI_RETURN_IF_ERROR(CheckShape(kOp, "output", output, expected));
  CORALPI_ASSIGN_OR_RETURN(int axis,
                           internal::NormalizeAxis(kOp, "axis", opt.axis, expected.size()));
  std::vector<int64_t> block;
  for (const Shape& s : shapes) block.push_back(internal::Product(s, axis, s.size()));
  std::vector<std::array<uint8_t, 256>> tables(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (requantize[i]) tables[i] = RequantizationTable(inputs[i], output);
  }
  auto* out = static_cast<uint8_t*>(output.data);
  internal::ForEachBlock(internal::Product(expected, 0, axis), block,
                         [&](size_t p, int64_t from, int64_t to, int64_t count) {
                           if (!requantize[p]) {
                             internal::CopyElements(inputs[p], from, output, to, count);
                             return;
                           }
                           const auto* in = static_cast<const uint8_t*>(inputs[p].data) + from;
                           const uint8_t* table = tables[p].data();
                           for (int64_t j = 0; j < count; ++j) out[to + j] = table[in[j]];
                         });
  return OkStatus();
}

Result<Shape> PackShape(const PackOptions& opt, std::span<const Shape> inputs) {
  constexpr const char* kOp = "PACK";
  if (inputs.empty()) return MakeError(kOp, "no inputs");
  if (opt.count != static_cast<int32_t>(inputs.size())) {
    return MakeError(kOp, "values_count " + std::to_string(opt.count) + " but " +
                              std::to_string(inputs.size()) + " inputs");
  }
  for (size_t i = 1; i < inputs.size(); ++i) {
    if (inputs[i] != inputs[0]) {
      return MakeError(kOp, InputName(i) + ": shape " + ShapeToString(inputs[i]) +
                                " differs from input 0's " + ShapeToString(inputs[0]));
    }
  }
  CORALPI_ASSIGN_OR_RETURN(int axis,
                           internal::NormalizeAxis(kOp, "axis", opt.axis, inputs[0].size() + 1));
  Shape out = inputs[0];
  out.insert(out.begin() + axis, static_cast<int32_t>(inputs.size()));
  return out;
}

Status Pack(const PackOptions& opt, std::span<const TensorView> inputs, const TensorView& output) {
  constexpr const char* kOp = "PACK";
  CORALPI_RETURN_IF_ERROR(CheckMovable(kOp, "output", output));
  std::vector<Shape> shapes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    CORALPI_RETURN_IF_ERROR(CheckMovable(kOp, InputName(i).c_str(), inputs[i]));
    CORALPI_RETURN_IF_ERROR(internal::CheckSameKind(kOp, InputName(i).c_str(), inputs[i], output));
    shapes.push_back(inputs[i].shape);
  }
  CORALPI_ASSIGN_OR_RETURN(Shape expected, PackShape(opt, shapes));
  CORALPI_RETURN_IF_ERROR(CheckShape(kOp, "output", output, expected));
  // The packed tensor is a concatenation of the inputs, each seen with a 1 at `axis`.
  CORALPI_ASSIGN_OR_RETURN(int axis,
                           internal::NormalizeAxis(kOp, "axis", opt.axis, expected.size()));
  const Shape& in_shape = shapes[0];
  std::vector<int64_t> block(inputs.size(), internal::Product(in_shape, axis, in_shape.size()));
  internal::ForEachBlock(internal::Product(in_shape, 0, axis), block,
                         [&](size_t p, int64_t from, int64_t to, int64_t count) {
                           internal::CopyElements(inputs[p], from, output, to, count);
                         });
  return OkStatus();
}

}  // namespace coralpi::reference

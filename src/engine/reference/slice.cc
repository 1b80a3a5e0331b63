// STRIDED_SLICE (numpy-style begin:end:stride per axis, with TensorFlow Lite's masks and its
// offset mode) and SLICE (begin and size per axis). Both resolve to a start, a count and a
// step per axis, then one strided copy.
#include <algorithm>

#include "engine/reference/kernel_util.h"
#include "engine/reference/movement_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

constexpr const char* kStridedSlice = "STRIDED_SLICE";
constexpr const char* kSlice = "SLICE";

bool Bit(int32_t mask, int64_t i) { return i >= 0 && i < 32 && ((mask >> i) & 1) != 0; }

// What a slice reads: for each axis of the (effective) input, the first index, how many
// elements and the stride; `output` is the resulting shape (shrunk axes dropped).
struct SlicePlan {
  Shape input;  // the input's shape, with STRIDED_SLICE's new axes inserted as 1
  std::vector<int64_t> start, count, stride;
  Shape output;
};

// One axis of STRIDED_SLICE after masks and ellipsis have been resolved.
struct SliceAxis {
  int64_t dim = 1;
  int64_t begin = 0, end = 0, stride = 1;
  bool begin_mask = false, end_mask = false, shrink = false;
};

int64_t ClampFor(int64_t v, int64_t dim, int64_t stride) {
  return stride > 0 ? std::clamp<int64_t>(v, 0, dim) : std::clamp<int64_t>(v, -1, dim - 1);
}

// TensorFlow Lite's StridedSliceStartForAxis / StridedSliceEndForAxis: negative indices count
// from the end, then clamp ([0, dim] forwards, [-1, dim - 1] backwards); a mask bit selects the
// whole range; in offset mode end is relative to begin. (Shrunk axes only use the start.)
void ResolveAxis(const SliceAxis& a, bool offset, int64_t* start, int64_t* stop) {
  int64_t s = a.begin < 0 ? a.begin + a.dim : a.begin;
  s = ClampFor(s, a.dim, a.stride);
  if (a.begin_mask) s = a.stride > 0 ? 0 : a.dim - 1;
  *start = s;
  int64_t e = offset ? a.end + s : a.end;
  if (e < 0) e += a.dim;
  e = ClampFor(e, a.dim, a.stride);
  if (a.end_mask) e = a.stride > 0 ? a.dim : -1;
  *stop = e;
}

// The effective axes of STRIDED_SLICE, as TensorFlow Lite builds them: the ellipsis expands
// to as many full axes as the specs leave uncovered, a new-axis bit inserts an axis of 1, and
// input axes beyond the specs are taken whole.
Result<std::vector<SliceAxis>> EffectiveAxes(const StridedSliceOptions& opt, const Shape& input,
                                             const std::vector<int64_t>& begin,
                                             const std::vector<int64_t>& end,
                                             const std::vector<int64_t>& strides) {
  const int64_t n = static_cast<int64_t>(begin.size());
  const int64_t rank = static_cast<int64_t>(input.size());
  if (opt.ellipsis_mask != 0 && (opt.ellipsis_mask & (opt.ellipsis_mask - 1)) != 0) {
    return MakeError(kStridedSlice, "ellipsis_mask has more than one bit set");
  }
  int64_t added = 0;
  for (int64_t i = 0; i < n; ++i) added += Bit(opt.new_axis_mask, i) && !Bit(opt.ellipsis_mask, i);
  const int64_t consuming = n - added - (opt.ellipsis_mask != 0 ? 1 : 0);
  if (consuming > rank) {
    return MakeError(kStridedSlice,
                     std::to_string(n) + " slice specs do not fit input " + ShapeToString(input));
  }
  const int64_t dims = rank + added;
  if (dims > static_cast<int64_t>(internal::kMaxMovementRank)) {
    return MakeError(kStridedSlice, "the slice has " + std::to_string(dims) +
                                        " axes with the new ones, more than supported");
  }
  // Which effective axes the ellipsis covers and which are new.
  std::vector<bool> ellipsis(static_cast<size_t>(dims)), new_axis(static_cast<size_t>(dims));
  int64_t ellipsis_start = dims, expanded = 0;
  for (int64_t i = 0; i < dims;) {
    if (Bit(opt.ellipsis_mask, i)) {
      ellipsis_start = i;
      const int64_t stop = std::max(i + 1, std::min(i + 1 + added + rank - n, dims));
      expanded = stop - i - 1;
      for (; i < stop; ++i) ellipsis[static_cast<size_t>(i)] = true;
      continue;
    }
    new_axis[static_cast<size_t>(i)] = Bit(opt.new_axis_mask, i - expanded);
    ++i;
  }
  std::vector<SliceAxis> axes(static_cast<size_t>(dims));
  int64_t added_ellipsis = 0, added_axes = 0;
  for (int64_t i = 0; i < dims; ++i) {
    SliceAxis& a = axes[static_cast<size_t>(i)];
    if (new_axis[static_cast<size_t>(i)] && !ellipsis[static_cast<size_t>(i)]) {
      a = SliceAxis{1, 0, 1, 1, false, false, false};
      ++added_axes;
      continue;
    }
    if (i - added_axes >= rank) {
      return MakeError(kStridedSlice,
                       std::to_string(n) + " slice specs do not fit input " + ShapeToString(input));
    }
    a.dim = input[static_cast<size_t>(i - added_axes)];
    if (ellipsis[static_cast<size_t>(i)] || i >= n + expanded) {
      if (ellipsis[static_cast<size_t>(i)])
        added_ellipsis = std::max<int64_t>(0, i - ellipsis_start);
      a.begin_mask = a.end_mask = true;
      continue;
    }
    const int64_t k = i - added_ellipsis;
    a.begin = begin[static_cast<size_t>(k)];
    a.end = end[static_cast<size_t>(k)];
    a.stride = strides[static_cast<size_t>(k)];
    a.begin_mask = Bit(opt.begin_mask, k);
    a.end_mask = Bit(opt.end_mask, k);
    a.shrink = Bit(opt.shrink_axis_mask, k);
  }
  return axes;
}

Result<SlicePlan> PlanStridedSlice(const StridedSliceOptions& opt, const Shape& input,
                                   const TensorView& begin_t, const TensorView& end_t,
                                   const TensorView& strides_t) {
  const size_t n = begin_t.shape.size() == 1 ? static_cast<size_t>(begin_t.shape[0]) : 0;
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> begin,
                           internal::ReadIndexVector(kStridedSlice, "begin", begin_t, n));
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> end,
                           internal::ReadIndexVector(kStridedSlice, "end", end_t, n));
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> strides,
                           internal::ReadIndexVector(kStridedSlice, "strides", strides_t, n));
  CORALPI_ASSIGN_OR_RETURN(std::vector<SliceAxis> axes,
                           EffectiveAxes(opt, input, begin, end, strides));
  SlicePlan plan;
  for (size_t i = 0; i < axes.size(); ++i) {
    const SliceAxis& a = axes[i];
    if (a.stride == 0)
      return MakeError(kStridedSlice, "axis " + std::to_string(i) + ": stride is 0");
    int64_t start = 0, stop = 0;
    ResolveAxis(a, opt.offset, &start, &stop);
    const int64_t span = a.stride > 0 ? stop - start : start - stop;
    const int64_t step = a.stride > 0 ? a.stride : -a.stride;
    int64_t count = span > 0 ? (span + step - 1) / step : 0;
    if (a.shrink) {
      // One element at start, whatever the stride (TensorFlow's meaning; TensorFlow Lite's
      // loop writes nothing for a negative stride here).
      if (start < 0 || start >= a.dim) {
        return MakeError(kStridedSlice, "shrunk axis " + std::to_string(i) + " selects index " +
                                            std::to_string(a.begin) + " outside size " +
                                            std::to_string(a.dim));
      }
      count = 1;
    }
    plan.input.push_back(static_cast<int32_t>(a.dim));
    plan.start.push_back(start);
    plan.count.push_back(count);
    plan.stride.push_back(a.stride);
    if (!a.shrink) plan.output.push_back(static_cast<int32_t>(count));
  }
  return plan;
}

Result<SlicePlan> PlanSlice(const Shape& input, const TensorView& begin_t,
                            const TensorView& size_tensor) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> begin,
                           internal::ReadIndexVector(kSlice, "begin", begin_t, input.size()));
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> size,
                           internal::ReadIndexVector(kSlice, "size", size_tensor, input.size()));
  SlicePlan plan;
  plan.input = input;
  for (size_t d = 0; d < input.size(); ++d) {
    const int64_t dim = input[d];
    const int64_t count = size[d] == -1 ? dim - begin[d] : size[d];
    if (begin[d] < 0 || begin[d] > dim || count < 0 || begin[d] + count > dim) {
      return MakeError(kSlice, "axis " + std::to_string(d) + ": begin " + std::to_string(begin[d]) +
                                   " size " + std::to_string(size[d]) + " is outside size " +
                                   std::to_string(dim));
    }
    plan.start.push_back(begin[d]);
    plan.count.push_back(count);
    plan.stride.push_back(1);
    plan.output.push_back(static_cast<int32_t>(count));
  }
  return plan;
}

Status RunPlan(const char* op, const SlicePlan& plan, const TensorView& input,
               const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckMovable(op, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckSameKind(op, "output", output, input));
  CORALPI_RETURN_IF_ERROR(internal::CheckShape(op, "output", output, plan.output));
  const std::vector<int64_t> in_strides = internal::Strides(plan.input);
  internal::StridedSide from;
  Shape counts;
  for (size_t d = 0; d < plan.input.size(); ++d) {
    from.steps.push_back(plan.stride[d] * in_strides[d]);
    counts.push_back(static_cast<int32_t>(plan.count[d]));
    if (plan.count[d] > 0) from.offset += plan.start[d] * in_strides[d];
  }
  internal::CopyStrided(ElementSize(input.type), counts, input.data, from, output.data,
                        internal::Dense(counts));
  return OkStatus();
}

}  // namespace

Result<Shape> StridedSliceShape(const StridedSliceOptions& opt, const Shape& input,
                                const TensorView& begin, const TensorView& end,
                                const TensorView& strides) {
  CORALPI_ASSIGN_OR_RETURN(SlicePlan plan, PlanStridedSlice(opt, input, begin, end, strides));
  return plan.output;
}

Status StridedSlice(const StridedSliceOptions& opt, const TensorView& input,
                    const TensorView& begin, const TensorView& end, const TensorView& strides,
                    const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckMovable(kStridedSlice, "input", input));
  CORALPI_ASSIGN_OR_RETURN(SlicePlan plan, PlanStridedSlice(opt, input.shape, begin, end, strides));
  return RunPlan(kStridedSlice, plan, input, output);
}

Result<Shape> SliceShape(const Shape& input, const TensorView& begin, const TensorView& size) {
  CORALPI_ASSIGN_OR_RETURN(SlicePlan plan, PlanSlice(input, begin, size));
  return plan.output;
}

Status Slice(const TensorView& input, const TensorView& begin, const TensorView& size,
             const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckMovable(kSlice, "input", input));
  CORALPI_ASSIGN_OR_RETURN(SlicePlan plan, PlanSlice(input.shape, begin, size));
  return RunPlan(kSlice, plan, input, output);
}

}  // namespace coralpi::reference

// GATHER (slices of `params` along one axis, picked by an index tensor, with optional batch
// dimensions) and GATHER_ND (slices picked by index vectors over the leading axes). Every index
// is checked against its axis before anything is read: an index computed by the graph at run
// time that falls outside is an error, never an out-of-bounds read.
#include "engine/reference/kernel_util.h"
#include "engine/reference/movement_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

constexpr const char* kGather = "GATHER";
constexpr const char* kGatherNd = "GATHER_ND";

struct GatherAxes {
  int axis = 0;
  int batch_dims = 0;
};

Result<GatherAxes> ResolveGatherAxes(const GatherOptions& opt, const Shape& params,
                                     const Shape& indices) {
  if (params.empty()) return MakeError(kGather, "params: a scalar cannot be gathered from");
  GatherAxes g;
  CORALPI_ASSIGN_OR_RETURN(g.axis,
                           internal::NormalizeAxis(kGather, "axis", opt.axis, params.size()));
  g.batch_dims =
      opt.batch_dims < 0 ? opt.batch_dims + static_cast<int>(indices.size()) : opt.batch_dims;
  if (g.batch_dims < 0 || g.batch_dims > static_cast<int>(indices.size()) ||
      g.batch_dims > g.axis) {
    return MakeError(kGather, "batch_dims " + std::to_string(opt.batch_dims) +
                                  " must lie in [0, indices rank] and not exceed the axis");
  }
  for (size_t d = 0; d < static_cast<size_t>(g.batch_dims); ++d) {
    if (params[d] != indices[d]) {
      return MakeError(kGather, "batch dimension " + std::to_string(d) + " differs: params " +
                                    ShapeToString(params) + ", indices " + ShapeToString(indices));
    }
  }
  return g;
}

Status IndexError(const char* op, int64_t index, int64_t size, int64_t position) {
  return MakeError(op, "index " + std::to_string(index) + " at position " +
                           std::to_string(position) + " is outside [0, " + std::to_string(size) +
                           ")");
}

Status CheckInputs(const char* op, const TensorView& params, const TensorView& indices,
                   const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckMovable(op, "params", params));
  CORALPI_RETURN_IF_ERROR(internal::CheckMovable(op, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckSameKind(op, "output", output, params));
  if (indices.type != DataType::kInt32 && indices.type != DataType::kInt64) {
    return MakeError(
        op, std::string("indices: expected int32 or int64, got ") + DataTypeName(indices.type));
  }
  return internal::CheckTensor(op, "indices", indices);
}

}  // namespace

Result<Shape> GatherShape(const GatherOptions& opt, const Shape& params, const Shape& indices) {
  CORALPI_ASSIGN_OR_RETURN(GatherAxes g, ResolveGatherAxes(opt, params, indices));
  Shape out(params.begin(), params.begin() + g.axis);
  out.insert(out.end(), indices.begin() + g.batch_dims, indices.end());
  out.insert(out.end(), params.begin() + g.axis + 1, params.end());
  return out;
}

Status CheckGatherIndices(const GatherOptions& opt, const Shape& params,
                          const TensorView& indices) {
  CORALPI_ASSIGN_OR_RETURN(GatherAxes g, ResolveGatherAxes(opt, params, indices.shape));
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> idx,
                           internal::ReadIndices(kGather, "indices", indices));
  const int64_t size = params[static_cast<size_t>(g.axis)];
  for (size_t i = 0; i < idx.size(); ++i) {
    if (idx[i] < 0 || idx[i] >= size) {
      return IndexError(kGather, idx[i], size, static_cast<int64_t>(i));
    }
  }
  return OkStatus();
}

Status Gather(const GatherOptions& opt, const TensorView& params, const TensorView& indices,
              const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(CheckInputs(kGather, params, indices, output));
  CORALPI_ASSIGN_OR_RETURN(Shape expected, GatherShape(opt, params.shape, indices.shape));
  CORALPI_RETURN_IF_ERROR(internal::CheckShape(kGather, "output", output, expected));
  CORALPI_RETURN_IF_ERROR(CheckGatherIndices(opt, params.shape, indices));
  CORALPI_ASSIGN_OR_RETURN(GatherAxes g, ResolveGatherAxes(opt, params.shape, indices.shape));
  const Shape& p = params.shape;
  const size_t axis = static_cast<size_t>(g.axis), bd = static_cast<size_t>(g.batch_dims);
  const int64_t batches = internal::Product(p, 0, bd);
  const int64_t outer = internal::Product(p, bd, axis);
  const int64_t axis_size = p[axis];
  const int64_t inner = internal::Product(p, axis + 1, p.size());
  const int64_t picks = internal::Product(indices.shape, bd, indices.shape.size());
  int64_t to = 0;
  for (int64_t b = 0; b < batches; ++b) {
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t c = 0; c < picks; ++c, to += inner) {
        const int64_t index = internal::LoadIndex(indices, b * picks + c);
        const int64_t from = ((b * outer + o) * axis_size + index) * inner;
        internal::CopyElements(params, from, output, to, inner);
      }
    }
  }
  return OkStatus();
}

Result<Shape> GatherNdShape(const Shape& params, const Shape& indices) {
  if (indices.empty()) return MakeError(kGatherNd, "indices: must have at least one dimension");
  const int32_t depth = indices.back();
  if (depth < 0 || depth > static_cast<int32_t>(params.size())) {
    return MakeError(kGatherNd, "indices: vectors of " + std::to_string(depth) +
                                    " values do not index params " + ShapeToString(params));
  }
  Shape out(indices.begin(), indices.end() - 1);
  out.insert(out.end(), params.begin() + depth, params.end());
  return out;
}

Status CheckGatherNdIndices(const Shape& params, const TensorView& indices) {
  CORALPI_RETURN_IF_ERROR(GatherNdShape(params, indices.shape));
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> idx,
                           internal::ReadIndices(kGatherNd, "indices", indices));
  const size_t depth = static_cast<size_t>(indices.shape.back());
  for (size_t i = 0; i < idx.size(); ++i) {
    const int64_t size = params[i % depth];
    if (idx[i] < 0 || idx[i] >= size)
      return IndexError(kGatherNd, idx[i], size, static_cast<int64_t>(i));
  }
  return OkStatus();
}

Status GatherNd(const TensorView& params, const TensorView& indices, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(CheckInputs(kGatherNd, params, indices, output));
  CORALPI_ASSIGN_OR_RETURN(Shape expected, GatherNdShape(params.shape, indices.shape));
  CORALPI_RETURN_IF_ERROR(internal::CheckShape(kGatherNd, "output", output, expected));
  CORALPI_RETURN_IF_ERROR(CheckGatherNdIndices(params.shape, indices));
  const size_t depth = static_cast<size_t>(indices.shape.back());
  const std::vector<int64_t> strides = internal::Strides(params.shape);
  const int64_t slice = internal::Product(params.shape, depth, params.shape.size());
  const int64_t picks = internal::Product(indices.shape, 0, indices.shape.size() - 1);
  for (int64_t i = 0; i < picks; ++i) {
    int64_t from = 0;
    for (size_t d = 0; d < depth; ++d) {
      from +=
          internal::LoadIndex(indices, i * static_cast<int64_t>(depth) + static_cast<int64_t>(d)) *
          strides[d];
    }
    internal::CopyElements(params, from, output, i * slice, slice);
  }
  return OkStatus();
}

}  // namespace coralpi::reference

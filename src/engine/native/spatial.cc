// uint8 RESIZE_BILINEAR and 8-bit ARG_MAX along the last axis on the own AVX-512 kernels
// (spatial_avx512.cc), where the reference kernels ran them 16 lanes narrower and one
// comparison at a time: DeepLab's last two operators (33x33 to 513x513 logits of 21 classes,
// then the class of each pixel) took half of its time.
#include "engine/native/native_ops.h"
#include "engine/native/prepared.h"
#include "engine/reference/movement_util.h"
#include "engine/reference/parallel.h"
#include "engine/reference/resize_uint8.h"

namespace coralpi::native {
namespace {

const TensorInfo& Tensor(const Subgraph& g, int32_t t) { return g.tensors[static_cast<size_t>(t)]; }

// The reference kernel's source coordinates and rows with the AVX-512 row (resize_uint8.h).
class ResizeBilinearNode : public NativeNode {
 public:
  ResizeBilinearNode(const ResizeOptions& opt, const TensorView& in, const TensorView& out)
      : opt_(opt), in_(in), out_(out) {}
  Status Run(WorkPool* pool, uint8_t*) override {
    reference::PoolScope lend(pool);
    return reference::internal::ResizeBilinearUInt8(opt_, in_, out_, WeighRowAvx512);
  }
  size_t scratch_bytes() const override { return 0; }

 private:
  ResizeOptions opt_;
  TensorView in_, out_;
};

template <typename Index>
class ArgMaxNode : public NativeNode {
 public:
  ArgMaxNode(const TensorView& in, const TensorView& out)
      : in_(static_cast<const uint8_t*>(in.data)),
        out_(static_cast<Index*>(out.data)),
        is_signed_(in.type == DataType::kInt8),
        size_(in.shape.back()),
        rows_(in.num_elements() / in.shape.back()) {}
  Status Run(WorkPool* pool, uint8_t*) override {
    // About 4 ns a row on one thread.
    ParallelFor(PoolWorthUsing(pool, 4.0 * static_cast<double>(rows_)), rows_, 1024,
                [this](int64_t begin, int64_t end) {
                  ArgMaxRowsAvx512(in_ + begin * size_, is_signed_, end - begin, size_,
                                   out_ + begin);
                });
    return OkStatus();
  }
  size_t scratch_bytes() const override { return 0; }

 private:
  const uint8_t* in_;
  Index* out_;
  bool is_signed_;
  int32_t size_;
  int64_t rows_;
};

}  // namespace

bool ResizeBilinearSupports(const OperatorInfo& op, const Subgraph& g) {
  return Tensor(g, op.inputs[0]).type == DataType::kUInt8;
}

bool ArgMaxSupports(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& in = Tensor(g, op.inputs[0]);
  if ((in.type != DataType::kUInt8 && in.type != DataType::kInt8) || in.shape.empty()) return false;
  const auto rank = static_cast<int64_t>(in.shape.size());
  const TensorInfo& a = Tensor(g, op.inputs[1]);
  if (!a.is_constant()) return false;
  const Result<int64_t> axis = reference::internal::ReadScalarIndex(
      "ARG_MAX", "axis",
      TensorView{a.type, a.shape, &a.quant, const_cast<uint8_t*>(a.data.data())});
  const int32_t size = in.shape.back();
  return axis.ok() && (*axis == rank - 1 || *axis == -1) && size >= 1 && size <= 64;
}

Result<std::unique_ptr<NativeNode>> CreateSpatialNode(const OperatorInfo& op, const Subgraph&,
                                                      std::span<const TensorView> inputs,
                                                      std::span<const TensorView> outputs) {
  if (op.code == static_cast<int32_t>(OpCode::kResizeBilinear)) {
    return std::unique_ptr<NativeNode>(std::make_unique<ResizeBilinearNode>(
        std::get<ResizeOptions>(op.options), inputs[0], outputs[0]));
  }
  if (outputs[0].type == DataType::kInt32) {
    return std::unique_ptr<NativeNode>(
        std::make_unique<ArgMaxNode<int32_t>>(inputs[0], outputs[0]));
  }
  return std::unique_ptr<NativeNode>(std::make_unique<ArgMaxNode<int64_t>>(inputs[0], outputs[0]));
}

}  // namespace coralpi::native

// Numpy broadcasting of two tensors, shared by the binary elementwise kernels (ADD, SUB, MUL,
// DIV, FLOOR_DIV, MAXIMUM, MINIMUM): shapes right-aligned into 4 dimensions, a dimension of 1
// repeats against the other input's. Internal to src/engine/reference.
#pragma once

#include <array>
#include <cstdint>

#include "core/result.h"
#include "engine/tensor_view.h"

namespace coralpi::reference::internal {

struct Broadcast4D {
  std::array<int32_t, 4> out{};       // the output's dimensions, padded with leading ones
  std::array<int64_t, 4> a_stride{};  // element strides of each input (0 where it repeats)
  std::array<int64_t, 4> b_stride{};
};

// Checks that a and b broadcast (at most 4 dimensions each) and that `output` has the broadcast
// shape; errors name `op`.
Result<Broadcast4D> MakeBroadcast4D(const char* op, const TensorView& a, const TensorView& b,
                                    const TensorView& output);

// f(a_index, b_index, output_index) for every output element, in order.
template <typename F>
void ForEachBroadcast(const Broadcast4D& bc, F&& f) {
  const auto& d = bc.out;
  const auto& sa = bc.a_stride;
  const auto& sb = bc.b_stride;
  int64_t o = 0;
  for (int32_t i0 = 0; i0 < d[0]; ++i0) {
    for (int32_t i1 = 0; i1 < d[1]; ++i1) {
      for (int32_t i2 = 0; i2 < d[2]; ++i2) {
        const int64_t a = i0 * sa[0] + i1 * sa[1] + i2 * sa[2];
        const int64_t b = i0 * sb[0] + i1 * sb[1] + i2 * sb[2];
        for (int32_t i3 = 0; i3 < d[3]; ++i3) f(a + i3 * sa[3], b + i3 * sb[3], o++);
      }
    }
  }
}

// out[i] = f(a[ia], b[ib]) over the broadcast, for element types TA, TB, TOut.
template <typename TA, typename TB, typename TOut, typename F>
void BroadcastBinary(const Broadcast4D& bc, const TensorView& a, const TensorView& b,
                     const TensorView& output, F&& f) {
  const TA* pa = a.as<const TA>();
  const TB* pb = b.as<const TB>();
  TOut* po = output.as<TOut>();
  ForEachBroadcast(bc, [&](int64_t ia, int64_t ib, int64_t io) { po[io] = f(pa[ia], pb[ib]); });
}

}  // namespace coralpi::reference::internal

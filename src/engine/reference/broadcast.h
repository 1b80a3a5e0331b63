// Numpy broadcasting of two tensors, shared by the binary elementwise kernels (ADD, SUB, MUL,
// DIV, FLOOR_DIV, MAXIMUM, MINIMUM): shapes right-aligned into 4 dimensions, a dimension of 1
// repeats against the other input's. Internal to src/engine/reference.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

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

// BroadcastBinary for 8-bit T where one input is small and the output large (a quantized SUB or
// MUL by a scalar or a per-channel constant, as at a model's input): the result then depends on
// one byte for each element of the small input, so f is tabulated over all 256 values of the
// large input's type once per small element and the loop reads the table. The same f, so the
// same bytes. f must be defined (no division) for every byte value, not only the ones present.
template <typename T, typename F>
void BroadcastBinaryTabulated(const Broadcast4D& bc, const TensorView& a, const TensorView& b,
                              const TensorView& output, F&& f) {
  static_assert(sizeof(T) == 1, "tables are over one-byte types");
  constexpr int64_t kMaxSmall = 64;  // elements of the small input (a 16 KiB table at most)
  const int64_t na = a.num_elements(), nb = b.num_elements(), n = output.num_elements();
  const bool b_small = nb <= kMaxSmall && nb <= na;
  const int64_t small = b_small ? nb : na;
  if (small > kMaxSmall || n < 4 * 256 * small) {  // building the table would not pay
    BroadcastBinary<T, T, T>(bc, a, b, output, f);
    return;
  }
  const T* ps = (b_small ? b : a).template as<const T>();
  std::vector<T> table(static_cast<size_t>(small) * 256);
  for (int64_t k = 0; k < small; ++k) {
    for (int v = 0; v < 256; ++v) {
      const T x = static_cast<T>(v);  // every bit pattern once; indexed by it below
      table[static_cast<size_t>(k * 256 + v)] = b_small ? f(x, ps[k]) : f(ps[k], x);
    }
  }
  const T* pa = a.as<const T>();
  const T* pb = b.as<const T>();
  T* po = output.as<T>();
  const T* t = table.data();
  // The common case in one flat loop: the large input has the output's shape and the small one
  // is a scalar or runs along the last axis only (one value per channel).
  const std::array<int64_t, 4>& big_stride = b_small ? bc.a_stride : bc.b_stride;
  const std::array<int64_t, 4>& small_stride = b_small ? bc.b_stride : bc.a_stride;
  const int64_t channels = bc.out[3];
  bool flat = small == 1 || (small == channels && small_stride[3] == 1);
  int64_t dense = 1;  // the large input's stride if it has the output's shape
  for (int d = 3; d >= 0; --d) {
    flat = flat && (bc.out[d] == 1 || big_stride[d] == dense);  // a stride is 0 along a 1
    dense *= bc.out[d];
  }
  if (flat) {
    const T* big = b_small ? pa : pb;
    if (small == 1) {
      for (int64_t i = 0; i < n; ++i) po[i] = t[static_cast<uint8_t>(big[i])];
      return;
    }
    for (int64_t i = 0; i < n; i += channels) {
      for (int64_t c = 0; c < channels; ++c) {
        po[i + c] = t[c * 256 + static_cast<uint8_t>(big[i + c])];
      }
    }
    return;
  }
  if (b_small) {
    ForEachBroadcast(bc, [&](int64_t ia, int64_t ib, int64_t io) {
      po[io] = t[ib * 256 + static_cast<uint8_t>(pa[ia])];
    });
  } else {
    ForEachBroadcast(bc, [&](int64_t ia, int64_t ib, int64_t io) {
      po[io] = t[ia * 256 + static_cast<uint8_t>(pb[ib])];
    });
  }
}

}  // namespace coralpi::reference::internal

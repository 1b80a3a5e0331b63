// Shared by the own kernels' preparation (qconv.cc, qdwconv.cc): 64-byte aligned storage, the
// operand rewriting of kernels.h (offsets P and Q, per-channel start values), the requantization
// bounds, and running tiles on the thread pool.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#include "engine/native/kernels.h"
#include "engine/tensor_view.h"
#include "engine/work_pool.h"
#include "model/model.h"

namespace coralpi::native {

template <typename T>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U>&) {}
  T* allocate(size_t n) {
    void* p = std::aligned_alloc(64, (n * sizeof(T) + 63) / 64 * 64);
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t) { std::free(p); }
  bool operator==(const AlignedAllocator&) const { return true; }
};
template <typename T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

// The operand rewriting of kernels.h for one node: a = x + x_off, b = w - w_off.
struct Offsets {
  int32_t p = 0;  // x_off + x_zp
  int32_t q = 0;  // w_off - w_zp
  int32_t w_off = 0;
  bool input_signed = false;
  uint8_t pad_byte = 0;  // the stored form of the input zero point (what padding reads as)
};

// 8-bit input, weights and output (uint8 or int8), with one weight zero point for the tensor
// (or equal ones): what the own kernels take.
bool WeightsUsable(const TensorInfo& input, const TensorInfo& filter);
Offsets OffsetsFor(const TensorView& input, const TensorView& filter);

// Per-channel start values and scales of an epilogue, in a given channel order.
struct ChannelConstants {
  AlignedVector<int32_t> bias;
  AlignedVector<float> scale;
  QuantEpilogue ep;  // points into bias and scale
};
// `order[i]` is the channel at position i (-1: padding, zero); `weight_sums[c]` = sum of b
// over the `taps` products of channel c.
ChannelConstants MakeChannelConstants(const TensorView& input, const TensorView& filter,
                                      const TensorView* bias, const TensorView& output,
                                      Activation act, const Offsets& off, int32_t taps,
                                      const std::vector<int32_t>& weight_sums,
                                      const std::vector<int32_t>& order);

// The pool to split a node's work over: none for a node estimated to take less than about
// 8 us on one thread (measured on AVX-512 VNNI: below that, handing the other threads their
// share and waiting for them costs more than it saves). The estimates come from the kernels'
// inner loops (qconv.cc, qdwconv.cc) and only steer speed, never results.
// SplitEveryNode (native_node.h) overrides it for tests.
WorkPool* PoolWorthUsing(WorkPool* pool, double estimated_ns);
// The same for nodes that only move bytes (movement.cc): none below 1 MiB. Copies are bound
// by memory, and what they read the node before mostly wrote from this thread's cache; split,
// yolov8n's pads, joins and splits of 0.1-0.4 MiB took 2-3 times as long on two threads as on
// one (bench --profile).
WorkPool* PoolWorthUsingToMove(WorkPool* pool, int64_t bytes);

// The thread count of a pool (1 for none).
inline int PoolThreads(const WorkPool* pool) { return pool ? pool->threads() : 1; }
// Runs fn(begin, end) over [0, n) in tiles of `tile` on the pool (or all at once without one).
template <typename Fn>
void ParallelFor(WorkPool* pool, int64_t n, int64_t tile, const Fn& fn) {
  if (n <= 0) return;
  if (PoolThreads(pool) == 1 || n <= tile) {
    fn(int64_t{0}, n);
  } else {
    pool->ParallelFor(n, tile, fn);
  }
}

}  // namespace coralpi::native

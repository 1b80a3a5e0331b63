// The 8-bit ADD, SUB and MUL kernels tabulate their arithmetic when one input is a scalar or a
// small constant against a large one (broadcast.h). The tables must give the very bytes of the
// element-by-element path, which runs when both inputs have the output's size: each case is run
// both ways, the small input once as it is and once repeated out to the full shape.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <string>
#include <utility>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::MakeQ;
using testing::Message;
using testing::Output;

using BinaryKernel = std::function<Status(const AddOptions&, const TensorView&, const TensorView&,
                                          const TensorView&)>;

struct Scales {
  float big, small, out;
};

template <typename T>
std::vector<T> RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(0, 255);
  std::vector<T> v(n);
  for (T& x : v) x = static_cast<T>(d(rng));
  return v;
}

// small (shape `small_shape`) repeated to `full` by numpy broadcasting, last axes aligned.
template <typename T>
std::vector<T> Repeat(const std::vector<T>& small, const Shape& small_shape, const Shape& full) {
  const int64_t n = NumElements(full);
  std::vector<T> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    int64_t rest = i, index = 0, stride = 1;
    for (size_t d = 0; d < full.size(); ++d) {
      const size_t fd = full.size() - 1 - d;
      const int64_t coord = rest % full[fd];
      rest /= full[fd];
      if (d < small_shape.size()) {
        const int64_t sd = small_shape[small_shape.size() - 1 - d];
        index += (sd == 1 ? 0 : coord) * stride;
        stride *= sd;
      }
    }
    out[static_cast<size_t>(i)] = small[static_cast<size_t>(index)];
  }
  return out;
}

// Runs kernel(big, small) (or kernel(small, big)) with the small input as it is and repeated;
// the outputs must be equal byte for byte.
template <typename T>
void ExpectTableEqualsDirect(const char* what, const BinaryKernel& kernel, Scales s,
                             const Shape& full, const Shape& small_shape, bool small_first,
                             Activation act, int min_distinct = 20) {
  SCOPED_TRACE(std::string(what) + " " + ShapeToString(full) + " with " +
               ShapeToString(small_shape) + (small_first ? " first" : " second"));
  const int32_t zp_big = std::is_signed_v<T> ? -5 : 120, zp_small = std::is_signed_v<T> ? 3 : 130;
  auto big = MakeQ<T>(full, RandomBytes<T>(static_cast<size_t>(NumElements(full)), 7), s.big, zp_big);
  std::vector<T> small_data = RandomBytes<T>(static_cast<size_t>(NumElements(small_shape)), 11);
  auto small = MakeQ<T>(small_shape, small_data, s.small, zp_small);
  auto repeated = MakeQ<T>(full, Repeat(small_data, small_shape, full), small.quant.scale[0],
                           zp_small);
  auto table_out = Output<T>(full, s.out, std::is_signed_v<T> ? 10 : 128);
  auto direct_out = Output<T>(full, s.out, std::is_signed_v<T> ? 10 : 128);
  AddOptions opt;
  opt.activation = act;
  auto run = [&](testing::Tensor<T>& other, testing::Tensor<T>& out) {
    return small_first ? kernel(opt, other.view(), big.view(), out.view())
                       : kernel(opt, big.view(), other.view(), out.view());
  };
  ASSERT_EQ(Message(run(small, table_out)), "ok");
  ASSERT_EQ(Message(run(repeated, direct_out)), "ok");
  size_t differing = 0;
  for (size_t i = 0; i < table_out.data.size(); ++i) {
    differing += table_out.data[i] != direct_out.data[i];
  }
  EXPECT_EQ(differing, 0u) << "of " << table_out.data.size() << " outputs";
  // The case is not degenerate: the outputs take several values.
  std::vector<bool> seen(256);
  for (T v : direct_out.data) seen[static_cast<uint8_t>(v)] = true;
  EXPECT_GE(std::count(seen.begin(), seen.end(), true), min_distinct);
}

template <typename T>
void RunAllCases() {
  const BinaryKernel add = Add, sub = Sub, mul = Mul;
  const Scales xnn_add = {0.05f, 0.02f, 0.06f};
  const Scales tflite_sub = {1.0f, 1e-6f, 1.0f};  // MoveNet's input SUB: XNNPACK rejects it
  ASSERT_FALSE(XnnpackTakesAddSub(tflite_sub.big, tflite_sub.small, tflite_sub.out, {-128, 127}));
  const Scales xnn_mul = {0.02f, 0.03f, 0.01f};
  // Ratio 500, above XNNPACK's 2^8: every nonzero product saturates, so two values come out.
  const Scales tflite_mul = {1.0f, 0.5f, 1e-3f};
  ASSERT_FALSE(XnnpackTakesMul(tflite_mul.big, tflite_mul.small, tflite_mul.out, {-128, 127}));
  // 4800 outputs each: enough for a table of 3 x 256. The small input along the last axis (one
  // flat loop), or along another one (the general broadcast walk).
  const std::pair<Shape, Shape> shapes[] = {{{1, 40, 40, 3}, {1}},
                                            {{1, 40, 40, 3}, {1, 1, 1, 3}},
                                            {{1, 40, 40, 3}, {3}},
                                            {{40, 40, 3}, {1, 1, 3}},
                                            {{1, 3, 40, 40}, {1, 3, 1, 1}},
                                            {{2, 40, 20, 3}, {2, 1, 1, 1}}};
  for (const auto& shape_pair : shapes) {
    // Not a structured binding: clang 14 does not let the lambda below capture one.
    const Shape& full = shape_pair.first;
    const Shape& small = shape_pair.second;
    for (bool first : {false, true}) {
      auto expect = [&](const char* what, const BinaryKernel& k, Scales s, Activation act,
                        int min_distinct = 20) {
        ExpectTableEqualsDirect<T>(what, k, s, full, small, first, act, min_distinct);
      };
      expect("ADD", add, xnn_add, Activation::kNone);
      expect("ADD relu6", add, xnn_add, Activation::kRelu6);
      expect("SUB", sub, xnn_add, Activation::kNone);
      expect("SUB TFLite rule", sub, tflite_sub, Activation::kNone);
      expect("MUL", mul, xnn_mul, Activation::kNone);
      expect("MUL TFLite rule", mul, tflite_mul, Activation::kNone, 2);
    }
  }
}

TEST(ReferenceTabulatedBroadcast, Uint8TablesGiveTheElementwiseBytes) { RunAllCases<uint8_t>(); }
TEST(ReferenceTabulatedBroadcast, Int8TablesGiveTheElementwiseBytes) { RunAllCases<int8_t>(); }

}  // namespace
}  // namespace coralpi::reference

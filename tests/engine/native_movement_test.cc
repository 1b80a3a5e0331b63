// The own PAD, TRANSPOSE, CONCATENATION, STRIDED_SLICE, SLICE and SOFTMAX nodes
// (engine/native/movement.cc, softmax.cc) against the reference kernels, bit for bit, on
// generated one-operator models: PAD over ranks 1 to 5 with every axis padded or not,
// CONCATENATION of 1 to 4 inputs along any axis with and without requantization, slices with
// random begins, ends, strides (negative too) and masks, TRANSPOSE over random permutations of
// shapes with axes of size 1 (the own node takes the batched 2-D ones, the rest stays on the
// reference kernel and must still agree), SOFTMAX over random row lengths, scales, zero points and
// betas, with every byte value as the largest of some row; uint8 and int8, 1 and 2 threads (every
// node split). On a CPU without AVX-512 VNNI the own kernels do not run and the tests skip.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <sstream>

#include "engine/cpu_engine.h"
#include "engine/native/cpu_isa.h"
#include "engine/native/native_node.h"
#include "engine/reference/reference.h"
#include "engine_test_util.h"
#include "model/builder.h"

namespace coralpi::testing {
namespace {

struct Output {
  std::vector<uint8_t> bytes;
  int native_nodes = 0;
};

Output RunModel(const std::vector<uint8_t>& bytes, bool own, int threads, uint32_t seed) {
  CpuEngineOptions options;
  options.threads = threads;
  options.use_xnnpack = own;
  options.native_kernels = own;
  auto engine = InvokedEngine(bytes, options, [&](CpuEngine& e) {
    std::mt19937 rng(seed);
    FillRandom(e.input(0), rng);
  });
  Output r;
  if (!engine) return r;
  r.native_nodes = engine->native_node_count();
  r.bytes = OutputBytes(*engine, 0);
  return r;
}

class NativeMovement : public ::testing::Test {
 protected:
  void SetUp() override {
    if (native::DetectedIsa() < native::CpuIsa::kAvx512Vnni)
      GTEST_SKIP() << "this CPU has no AVX-512 VNNI: no own kernels run";
  }
  void TearDown() override { native::SplitEveryNode(false); }

  // The engine equals the reference kernels on 1 and 2 threads; returns whether the own node
  // ran.
  bool Check(const std::vector<uint8_t>& bytes, const std::string& what, uint32_t seed = 5) {
    const Output expected = RunModel(bytes, false, 1, seed);
    EXPECT_FALSE(expected.bytes.empty()) << what;
    bool native = false;
    for (int threads : {1, 2}) {
      native::SplitEveryNode(threads > 1);
      const Output got = RunModel(bytes, true, threads, seed);
      native = got.native_nodes == 1;
      EXPECT_EQ(got.bytes, expected.bytes) << threads << " threads: " << what;
    }
    return native;
  }
};

DataType ByteType(std::mt19937& rng) { return rng() % 2 ? DataType::kUInt8 : DataType::kInt8; }

int32_t ZeroPoint(DataType t, std::mt19937& rng) {
  return static_cast<int32_t>(rng() % 256) - (t == DataType::kInt8 ? 128 : 0);
}

std::vector<uint8_t> PadModel(DataType t, const Shape& in, const std::vector<int32_t>& pads,
                              int32_t zp) {
  ModelBuilder b;
  Shape out = in;
  for (size_t d = 0; d < in.size(); ++d) out[d] += pads[2 * d] + pads[2 * d + 1];
  const int32_t x = b.AddTensor({"x", t, in, Q(0.05f, zp), {}});
  const int32_t p = b.AddConstant<int32_t>("paddings", DataType::kInt32,
                                           {static_cast<int32_t>(in.size()), 2}, pads);
  const int32_t y = b.AddTensor({"y", t, out, Q(0.05f, zp), {}});
  b.AddOperator(OpCode::kPad, {x, p}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

TEST_F(NativeMovement, PadEqualsTheReference) {
  // yolov8n's input, [1, 320, 320, 3], gets one pixel on every side of H and W.
  EXPECT_TRUE(
      Check(PadModel(DataType::kInt8, {1, 32, 30, 3}, {0, 0, 1, 1, 1, 1, 0, 0}, -14), "image pad"));
  EXPECT_TRUE(Check(PadModel(DataType::kUInt8, {1, 8, 8, 16}, {0, 0, 0, 1, 0, 1, 0, 0}, 3),
                    "bottom and right"));
  std::mt19937 rng(31);
  int native = 0;
  for (int i = 0; i < 60; ++i) {
    const DataType t = ByteType(rng);
    const size_t rank = 1 + rng() % 5;
    Shape in;
    std::vector<int32_t> pads;
    for (size_t d = 0; d < rank; ++d) {
      in.push_back(static_cast<int32_t>(1 + rng() % 7));
      const bool padded = rng() % 2;
      pads.push_back(padded ? static_cast<int32_t>(rng() % 3) : 0);
      pads.push_back(padded ? static_cast<int32_t>(rng() % 3) : 0);
    }
    std::ostringstream what;
    what << DataTypeName(t) << " " << ShapeToString(in) << " pads";
    for (int32_t p : pads) what << " " << p;
    native += Check(PadModel(t, in, pads, ZeroPoint(t, rng)), what.str(), rng()) ? 1 : 0;
  }
  EXPECT_EQ(native, 60) << "the own node takes every 8-bit constant pad";
}

std::vector<uint8_t> TransposeModel(DataType t, const Shape& in, const std::vector<int32_t>& perm) {
  ModelBuilder b;
  Shape out;
  for (int32_t a : perm) out.push_back(in[static_cast<size_t>(a)]);
  const int32_t x = b.AddTensor({"x", t, in, Q(0.1f, 4), {}});
  const int32_t p =
      b.AddConstant<int32_t>("perm", DataType::kInt32, {static_cast<int32_t>(perm.size())}, perm);
  const int32_t y = b.AddTensor({"y", t, out, Q(0.1f, 4), {}});
  b.AddOperator(OpCode::kTranspose, {x, p}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

TEST_F(NativeMovement, TransposeEqualsTheReference) {
  // yolov8n's box head: NHWC to NCHW, and the last two axes of [1, 4, 16, 2100].
  EXPECT_TRUE(Check(TransposeModel(DataType::kInt8, {1, 20, 20, 144}, {0, 3, 1, 2}), "NCHW"));
  EXPECT_TRUE(Check(TransposeModel(DataType::kInt8, {1, 4, 16, 210}, {0, 1, 3, 2}), "last two"));
  EXPECT_TRUE(Check(TransposeModel(DataType::kUInt8, {1, 37, 1, 70}, {0, 3, 2, 1}), "size-1 axis"));
  EXPECT_TRUE(Check(TransposeModel(DataType::kUInt8, {3, 5, 7}, {0, 1, 2}), "identity"));
  // A rotation of three axes is one 2-D transpose ([2 x 3, 4] to [4, 2 x 3]); swapping the outer
  // two of three is none: the reference kernel keeps it.
  EXPECT_TRUE(Check(TransposeModel(DataType::kInt8, {2, 3, 4}, {2, 0, 1}), "rotation"));
  EXPECT_FALSE(Check(TransposeModel(DataType::kInt8, {2, 3, 4}, {1, 0, 2}), "outer swap"));
  std::mt19937 rng(77);
  int native = 0;
  for (int i = 0; i < 80; ++i) {
    const DataType t = ByteType(rng);
    const size_t rank = 1 + rng() % 6;
    Shape in;
    // Axes of size 1 now and then; at most about 40^3 elements.
    const uint32_t most = rank <= 3 ? 40 : 7;
    for (size_t d = 0; d < rank; ++d) {
      in.push_back(static_cast<int32_t>(rng() % 3 == 0 ? 1 : 1 + rng() % most));
    }
    std::vector<int32_t> perm(rank);
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    std::ostringstream what;
    what << DataTypeName(t) << " " << ShapeToString(in) << " perm";
    for (int32_t p : perm) what << " " << p;
    native += Check(TransposeModel(t, in, perm), what.str(), rng()) ? 1 : 0;
  }
  EXPECT_GE(native, 30) << "many random permutations are batched 2-D transposes";
}

std::vector<uint8_t> ConcatModel(DataType t, const std::vector<Shape>& ins,
                                 const std::vector<Quantization>& qs, const Quantization& out_q,
                                 int32_t axis) {
  ModelBuilder b;
  std::vector<int32_t> inputs;
  Shape out = ins[0];
  const size_t a = static_cast<size_t>(axis < 0 ? axis + static_cast<int32_t>(out.size()) : axis);
  out[a] = 0;
  for (size_t i = 0; i < ins.size(); ++i) {
    inputs.push_back(b.AddTensor({"x" + std::to_string(i), t, ins[i], qs[i], {}}));
    out[a] += ins[i][a];
  }
  const int32_t y = b.AddTensor({"y", t, out, out_q, {}});
  b.AddOperator(OpCode::kConcatenation, inputs, {y}, ConcatenationOptions{axis, Activation::kNone});
  b.SetInputs(inputs);
  b.SetOutputs({y});
  return b.Finish();
}

// Concatenations fill every input from the seed, not only the first.
Output RunConcat(const std::vector<uint8_t>& bytes, bool own, int threads, uint32_t seed) {
  CpuEngineOptions options;
  options.threads = threads;
  options.use_xnnpack = own;
  options.native_kernels = own;
  auto engine = InvokedEngine(bytes, options, [&](CpuEngine& e) {
    std::mt19937 rng(seed);
    for (size_t i = 0; i < e.input_count(); ++i) FillRandom(e.input(i), rng);
  });
  Output r;
  if (!engine) return r;
  r.native_nodes = engine->native_node_count();
  r.bytes = OutputBytes(*engine, 0);
  return r;
}

TEST_F(NativeMovement, ConcatenationEqualsTheReference) {
  std::mt19937 rng(4040);
  for (int i = 0; i < 60; ++i) {
    const DataType t = ByteType(rng);
    const size_t rank = 1 + rng() % 4;
    Shape base;
    for (size_t d = 0; d < rank; ++d) base.push_back(static_cast<int32_t>(1 + rng() % 9));
    const int32_t axis =
        static_cast<int32_t>(rng() % rank) - (rng() % 2 ? static_cast<int32_t>(rank) : 0);
    const size_t a = static_cast<size_t>(axis < 0 ? axis + static_cast<int32_t>(rank) : axis);
    const size_t n = 1 + rng() % 4;
    std::uniform_real_distribution<float> scale(0.01f, 0.5f);
    const Quantization out_q = Q(scale(rng), ZeroPoint(t, rng));
    std::vector<Shape> ins;
    std::vector<Quantization> qs;
    for (size_t k = 0; k < n; ++k) {
      Shape s = base;
      s[a] = static_cast<int32_t>(1 + rng() % (a + 1 == rank ? 70 : 5));
      ins.push_back(s);
      qs.push_back(rng() % 2 ? out_q : Q(scale(rng), ZeroPoint(t, rng)));  // same: a copy
    }
    std::ostringstream what;
    what << DataTypeName(t) << " axis " << axis << " inputs";
    for (const Shape& s : ins) what << " " << ShapeToString(s);
    const std::vector<uint8_t> bytes = ConcatModel(t, ins, qs, out_q, axis);
    const uint32_t seed = rng();
    const Output expected = RunConcat(bytes, false, 1, seed);
    ASSERT_FALSE(expected.bytes.empty()) << what.str();
    for (int threads : {1, 2}) {
      native::SplitEveryNode(threads > 1);
      const Output got = RunConcat(bytes, true, threads, seed);
      EXPECT_EQ(got.native_nodes, 1) << what.str();
      EXPECT_EQ(got.bytes, expected.bytes) << threads << " threads: " << what.str();
    }
  }
}

std::vector<uint8_t> StridedSliceModel(DataType t, const Shape& in,
                                       const std::vector<int32_t>& begin,
                                       const std::vector<int32_t>& end,
                                       const std::vector<int32_t>& strides,
                                       const StridedSliceOptions& opt, bool* ok) {
  const auto r = static_cast<int32_t>(in.size());
  auto view = [](const std::vector<int32_t>& v) {
    return TensorView{DataType::kInt32,
                      {static_cast<int32_t>(v.size())},
                      nullptr,
                      const_cast<int32_t*>(v.data())};
  };
  Result<Shape> out = reference::StridedSliceShape(opt, in, view(begin), view(end), view(strides));
  *ok = out.ok() && NumElements(*out) > 0;
  if (!*ok) return {};
  ModelBuilder b;
  const int32_t x = b.AddTensor({"x", t, in, Q(0.2f, 3), {}});
  const int32_t bt = b.AddConstant<int32_t>("begin", DataType::kInt32, {r}, begin);
  const int32_t et = b.AddConstant<int32_t>("end", DataType::kInt32, {r}, end);
  const int32_t st = b.AddConstant<int32_t>("strides", DataType::kInt32, {r}, strides);
  const int32_t y = b.AddTensor({"y", t, *out, Q(0.2f, 3), {}});
  b.AddOperator(OpCode::kStridedSlice, {x, bt, et, st}, {y}, opt);
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

TEST_F(NativeMovement, StridedSliceEqualsTheReference) {
  // yolov8n's channel split: the first half of [1, 8, 8, 32].
  bool ok = false;
  EXPECT_TRUE(Check(StridedSliceModel(DataType::kInt8, {1, 8, 8, 32}, {0, 0, 0, 0}, {1, 8, 8, 16},
                                      {1, 1, 1, 1}, StridedSliceOptions{}, &ok),
                    "channel split"));
  std::mt19937 rng(5150);
  int checked = 0;
  for (int i = 0; i < 200 && checked < 60; ++i) {
    const DataType t = ByteType(rng);
    const size_t rank = 1 + rng() % 4;
    Shape in;
    std::vector<int32_t> begin, end, strides;
    for (size_t d = 0; d < rank; ++d) {
      const int32_t size = static_cast<int32_t>(1 + rng() % 12);
      in.push_back(size);
      begin.push_back(static_cast<int32_t>(rng() % (2 * size + 1)) - size);
      end.push_back(static_cast<int32_t>(rng() % (2 * size + 1)) - size);
      const int32_t s = static_cast<int32_t>(1 + rng() % 3);
      strides.push_back(rng() % 4 == 0 ? -s : s);
    }
    const auto mask = [&] { return static_cast<int32_t>(rng() % (1u << rank)); };
    StridedSliceOptions opt;
    opt.begin_mask = mask();
    opt.end_mask = mask();
    opt.shrink_axis_mask = rng() % 3 == 0 ? mask() : 0;
    const std::vector<uint8_t> bytes = StridedSliceModel(t, in, begin, end, strides, opt, &ok);
    if (!ok) continue;
    ++checked;
    std::ostringstream what;
    what << DataTypeName(t) << " " << ShapeToString(in) << " begin";
    for (int32_t v : begin) what << " " << v;
    what << " end";
    for (int32_t v : end) what << " " << v;
    what << " strides";
    for (int32_t v : strides) what << " " << v;
    what << " masks " << opt.begin_mask << " " << opt.end_mask << " " << opt.shrink_axis_mask;
    EXPECT_TRUE(Check(bytes, what.str(), rng())) << what.str();
  }
  EXPECT_GE(checked, 40);
}

std::vector<uint8_t> SliceModel(DataType t, const Shape& in, const std::vector<int32_t>& begin,
                                const std::vector<int32_t>& size) {
  Shape out;
  for (size_t d = 0; d < in.size(); ++d) out.push_back(size[d] < 0 ? in[d] - begin[d] : size[d]);
  const auto r = static_cast<int32_t>(in.size());
  ModelBuilder b;
  const int32_t x = b.AddTensor({"x", t, in, Q(0.2f, 3), {}});
  const int32_t bt = b.AddConstant<int32_t>("begin", DataType::kInt32, {r}, begin);
  const int32_t st = b.AddConstant<int32_t>("size", DataType::kInt32, {r}, size);
  const int32_t y = b.AddTensor({"y", t, out, Q(0.2f, 3), {}});
  b.AddOperator(OpCode::kSlice, {x, bt, st}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

TEST_F(NativeMovement, SliceEqualsTheReference) {
  std::mt19937 rng(6161);
  for (int i = 0; i < 40; ++i) {
    const DataType t = ByteType(rng);
    const size_t rank = 1 + rng() % 4;
    Shape in;
    std::vector<int32_t> begin, size;
    for (size_t d = 0; d < rank; ++d) {
      const int32_t n = static_cast<int32_t>(1 + rng() % 12);
      in.push_back(n);
      const int32_t b0 = static_cast<int32_t>(rng() % static_cast<uint32_t>(n));
      begin.push_back(b0);
      size.push_back(
          rng() % 4 == 0 ? -1 : static_cast<int32_t>(1 + rng() % static_cast<uint32_t>(n - b0)));
    }
    std::ostringstream what;
    what << DataTypeName(t) << " " << ShapeToString(in);
    EXPECT_TRUE(Check(SliceModel(t, in, begin, size), what.str(), rng())) << what.str();
  }
}

std::vector<uint8_t> SoftmaxModel(DataType t, const Shape& s, float in_scale, int32_t in_zp,
                                  float out_scale, int32_t out_zp, float beta) {
  ModelBuilder b;
  const int32_t x = b.AddTensor({"x", t, s, Q(in_scale, in_zp), {}});
  const int32_t y = b.AddTensor({"y", t, s, Q(out_scale, out_zp), {}});
  b.AddOperator(OpCode::kSoftmax, {x}, {y}, SoftmaxOptions{beta});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

// Rows of one repeated byte (row r holds r % 256): every probability is exactly 1 / depth, and
// with an output scale of 2 / depth it quantizes to 0.5 steps above the zero point, a tie that
// QuantizeRounded takes away from zero.
TEST_F(NativeMovement, SoftmaxTiesRoundAsTheReference) {
  for (int32_t depth : {2, 4, 8, 16, 32}) {
    for (DataType t : {DataType::kUInt8, DataType::kInt8}) {
      const int32_t zp = t == DataType::kInt8 ? -128 : 0;
      const std::vector<uint8_t> bytes = SoftmaxModel(
          t, {1, 256, depth}, 0.07f, zp + 5, 2.0f / static_cast<float>(depth), zp, 1.0f);
      auto fill = [depth](CpuEngine& e) {
        auto* d = static_cast<uint8_t*>(e.input(0).data);
        for (int64_t i = 0; i < 256 * depth; ++i) d[i] = static_cast<uint8_t>(i / depth);
      };
      CpuEngineOptions options;
      options.use_xnnpack = options.native_kernels = false;
      auto ref = InvokedEngine(bytes, options, fill);
      options.use_xnnpack = options.native_kernels = true;
      auto own = InvokedEngine(bytes, options, fill);
      ASSERT_TRUE(ref && own);
      EXPECT_EQ(own->native_node_count(), 1);
      const std::vector<uint8_t> expected = OutputBytes(*ref, 0);
      EXPECT_EQ(OutputBytes(*own, 0), expected) << "depth " << depth << " " << DataTypeName(t);
      EXPECT_EQ(expected[0], static_cast<uint8_t>(zp + 1)) << "0.5 rounds away from zero";
    }
  }
}

TEST_F(NativeMovement, SoftmaxEqualsTheReference) {
  // yolov8n's box distribution: int8 rows of 16 to scale 1/256, zero point -128.
  EXPECT_TRUE(
      Check(SoftmaxModel(DataType::kInt8, {1, 4, 210, 16}, 0.1357f, -20, 1.0f / 256, -128, 1.0f),
            "yolov8n DFL"));
  EXPECT_TRUE(Check(SoftmaxModel(DataType::kUInt8, {1, 1001}, 0.0625f, 60, 1.0f / 256, 0, 1.0f),
                    "classifier"));
  std::mt19937 rng(909);
  for (int i = 0; i < 40; ++i) {
    const DataType t = ByteType(rng);
    const int32_t depth = static_cast<int32_t>(1 + rng() % 40);
    const Shape s{1, static_cast<int32_t>(2 + rng() % 30), static_cast<int32_t>(1 + 300 / depth),
                  depth};
    std::uniform_real_distribution<float> scale(0.001f, 1.0f), beta(0.1f, 3.0f);
    const float in_scale = scale(rng), out_scale = rng() % 2 ? 1.0f / 256 : scale(rng) / 10;
    std::ostringstream what;
    what << DataTypeName(t) << " " << ShapeToString(s) << " scale " << in_scale;
    Check(SoftmaxModel(t, s, in_scale, ZeroPoint(t, rng), out_scale, ZeroPoint(t, rng), beta(rng)),
          what.str(), rng());
  }
}

}  // namespace
}  // namespace coralpi::testing

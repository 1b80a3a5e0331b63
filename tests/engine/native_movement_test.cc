// The own PAD, TRANSPOSE and SOFTMAX nodes (engine/native/movement.cc, softmax.cc) against the
// reference kernels, bit for bit, on generated one-operator models: PAD over ranks 1 to 5 with
// every axis padded or not, TRANSPOSE over random permutations of shapes with axes of size 1
// (the own node takes the batched 2-D ones, the rest stays on the reference kernel and must
// still agree), SOFTMAX over random row lengths, scales, zero points and betas, with every byte
// value as the largest of some row; uint8 and int8, 1 and 2 threads (every node split). On a
// CPU without AVX-512 VNNI the own kernels do not run and the tests skip.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <sstream>

#include "engine/cpu_engine.h"
#include "engine/native/cpu_isa.h"
#include "engine/native/native_node.h"
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

DataType ByteType(std::mt19937& rng) {
  return rng() % 2 ? DataType::kUInt8 : DataType::kInt8;
}

int32_t ZeroPoint(DataType t, std::mt19937& rng) {
  return static_cast<int32_t>(rng() % 256) - (t == DataType::kInt8 ? 128 : 0);
}

std::vector<uint8_t> PadModel(DataType t, const Shape& in, const std::vector<int32_t>& pads,
                              int32_t zp) {
  ModelBuilder b;
  Shape out = in;
  for (size_t d = 0; d < in.size(); ++d) out[d] += pads[2 * d] + pads[2 * d + 1];
  const int32_t x = b.AddTensor({"x", t, in, Q(0.05f, zp), {}});
  const int32_t p = b.AddConstant<int32_t>(
      "paddings", DataType::kInt32, {static_cast<int32_t>(in.size()), 2}, pads);
  const int32_t y = b.AddTensor({"y", t, out, Q(0.05f, zp), {}});
  b.AddOperator(OpCode::kPad, {x, p}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

TEST_F(NativeMovement, PadEqualsTheReference) {
  // yolov8n's input, [1, 320, 320, 3], gets one pixel on every side of H and W.
  EXPECT_TRUE(Check(PadModel(DataType::kInt8, {1, 32, 30, 3}, {0, 0, 1, 1, 1, 1, 0, 0}, -14),
                    "image pad"));
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
  const int32_t p = b.AddConstant<int32_t>("perm", DataType::kInt32,
                                           {static_cast<int32_t>(perm.size())}, perm);
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

TEST_F(NativeMovement, SoftmaxEqualsTheReference) {
  // yolov8n's box distribution: int8 rows of 16 to scale 1/256, zero point -128.
  EXPECT_TRUE(Check(SoftmaxModel(DataType::kInt8, {1, 4, 210, 16}, 0.1357f, -20, 1.0f / 256, -128,
                                 1.0f),
                    "yolov8n DFL"));
  EXPECT_TRUE(Check(SoftmaxModel(DataType::kUInt8, {1, 1001}, 0.0625f, 60, 1.0f / 256, 0, 1.0f),
                    "classifier"));
  std::mt19937 rng(909);
  for (int i = 0; i < 40; ++i) {
    const DataType t = ByteType(rng);
    const int32_t depth = static_cast<int32_t>(1 + rng() % 40);
    const Shape s{1, static_cast<int32_t>(2 + rng() % 30), static_cast<int32_t>(1 + 300 / depth), depth};
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

// The data-movement and index operators against TensorFlow Lite itself: random one-operator
// models (SSD's exact CONCATENATION quantization, strided slices with masks and negative
// strides, transposes, pads, gathers, arg max with many ties, splits, packs) run on the CPU
// engine and on TensorFlow Lite's C library, with and without its XNNPACK delegate; the
// outputs must be identical bytes. The library is CORALPI_TFLITE_LIB, else on x86-64
// ../shared/anchors/tflite-x86_64/libtensorflowlite_c.so; skipped when there is neither.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>

#include "backend/backend.h"
#include "backend/tflite_backend.h"
#include "engine_test_util.h"
#include "model/builder.h"
#include "testutil/testdata.h"

namespace coralpi {
namespace {

using testing::IndexInput;
using testing::OneNodeModel;
using testing::Q;

// Random shapes on top of the shared random source.
class Gen : public testing::ParamGen {
 public:
  using ParamGen::ParamGen;
  Shape RandomShape(int rank, int max_dim) {
    Shape s;
    for (int d = 0; d < rank; ++d) s.push_back(Int(1, max_dim));
    return s;
  }
};

// Random values into every input: floats in [-4, 4] rounded to a quarter (so that arg max sees
// ties), random bytes for the rest.
void Fill(Backend& b, uint32_t seed) {
  std::mt19937 rng(seed);
  for (size_t i = 0; i < b.input_count(); ++i) {
    TensorView in = b.input(i);
    for (int64_t k = 0; k < in.num_elements(); ++k) {
      if (in.type == DataType::kFloat32) {
        in.as<float>()[k] = static_cast<float>(static_cast<int>(rng() % 33) - 16) * 0.25f;
      }
    }
    if (in.type != DataType::kFloat32) {
      auto* p = static_cast<uint8_t*>(in.data);
      for (int64_t k = 0; k < in.num_elements() * static_cast<int64_t>(ElementSize(in.type)); ++k)
        p[k] = static_cast<uint8_t>(rng());
    }
  }
}

std::vector<std::vector<uint8_t>> RunOn(Backend& b, uint32_t seed) {
  Fill(b, seed);
  Status s = b.Invoke();
  EXPECT_TRUE(s.ok()) << b.name() << ": " << (s.ok() ? "" : s.error().message);
  std::vector<std::vector<uint8_t>> outs;
  for (size_t i = 0; i < b.output_count(); ++i) {
    TensorView o = b.output(i);
    auto* p = static_cast<const uint8_t*>(o.data);
    outs.emplace_back(p, p + o.num_elements() * static_cast<int64_t>(ElementSize(o.type)));
  }
  return outs;
}

class TfLiteDataOps : public ::testing::Test {
 protected:
  void SetUp() override { CORALPI_REQUIRE_REAL_LIBRARY(lib_, TFLITE); }

  // The CPU engine and TensorFlow Lite (builtin kernels, then its XNNPACK delegate) agree.
  void Compare(std::vector<uint8_t> bytes, const std::string& what, uint32_t seed) {
    auto source = ModelSourceFromBytes(std::move(bytes), "generated.tflite");
    ASSERT_TRUE(source.ok()) << source.error().message;
    auto cpu = CreateCpuBackend(source->model, {1, false});
    ASSERT_TRUE(cpu.ok()) << what << ": " << cpu.error().message;
    const auto expected = RunOn(**cpu, seed);
    for (bool xnnpack : {false, true}) {
      auto tfl = CreateTfLiteBackend(*source, {1, lib_, xnnpack});
      ASSERT_TRUE(tfl.ok()) << what << ": " << tfl.error().message;
      if ((*tfl)->details().find("2.99.0-fake") != std::string::npos)
        GTEST_SKIP() << "CORALPI_TFLITE_LIB is the test fake";
      EXPECT_EQ(RunOn(**tfl, seed), expected) << what << (xnnpack ? " (TFLite + XNNPACK)" : "");
    }
  }

  std::string lib_;
};

// SSD's class-prediction CONCATENATION: six uint8 inputs with their real scales and zero
// points into the real output quantization; then random quantizations.
TEST_F(TfLiteDataOps, ConcatenationRequantizesLikeTfLite) {
  const std::pair<float, int> ssd_in[] = {{0.0791786f, 244}, {0.0798028f, 228}, {0.0440576f, 207},
                                          {0.0387514f, 212}, {0.0286433f, 230}, {0.0276689f, 217}};
  const int rows[] = {1083, 600, 150, 54, 24, 6};
  ModelBuilder b;
  std::vector<int32_t> ins;
  for (int i = 0; i < 6; ++i) {
    ins.push_back(b.AddTensor({"in" + std::to_string(i),
                               DataType::kUInt8,
                               {1, rows[i], 38},
                               Q(ssd_in[i].first, ssd_in[i].second),
                               {}}));
  }
  int32_t out = b.AddTensor({"out", DataType::kUInt8, {1, 1917, 38}, Q(0.0841302f, 230), {}});
  b.AddOperator(OpCode::kConcatenation, ins, {out}, ConcatenationOptions{1, Activation::kNone});
  b.SetInputs(ins);
  b.SetOutputs({out});
  Compare(b.Finish(), "SSD CONCATENATION", 1);
  Gen g(10);
  for (int i = 0; i < 20; ++i) {
    ModelBuilder m;
    const int rank = g.Int(1, 4), n = g.Int(1, 4);
    const int axis = g.Int(-rank, rank - 1);
    Shape shape = g.RandomShape(rank, 4);
    std::vector<int32_t> inputs;
    Shape out_shape = shape;
    const size_t a = static_cast<size_t>(axis < 0 ? axis + rank : axis);
    out_shape[a] = 0;
    for (int k = 0; k < n; ++k) {
      Shape s = shape;
      s[a] = g.Int(1, 3);
      out_shape[a] += s[a];
      inputs.push_back(
          m.AddTensor({"in", DataType::kUInt8, s, Q(g.Real(0.01f, 0.2f), g.Int(0, 255)), {}}));
    }
    int32_t o = m.AddTensor(
        {"out", DataType::kUInt8, out_shape, Q(g.Real(0.01f, 0.2f), g.Int(0, 255)), {}});
    m.AddOperator(OpCode::kConcatenation, inputs, {o},
                  ConcatenationOptions{axis, Activation::kNone});
    m.SetInputs(inputs);
    m.SetOutputs({o});
    Compare(m.Finish(), "CONCATENATION axis " + std::to_string(axis), 100 + i);
  }
}

TEST_F(TfLiteDataOps, StridedSliceWithMasksAndNegativeStrides) {
  Gen g(20);
  int compared = 0;
  for (int i = 0; i < 60; ++i) {
    const int rank = g.Int(1, 4);
    const Shape in = g.RandomShape(rank, 6);
    std::vector<int32_t> begin, end, strides;
    StridedSliceOptions opt;
    opt.begin_mask = g.Int(0, (1 << rank) - 1);
    opt.end_mask = g.Int(0, (1 << rank) - 1);
    opt.shrink_axis_mask = g.Int(0, 3) == 0 ? 1 << g.Int(0, rank - 1) : 0;
    for (int d = 0; d < rank; ++d) {
      begin.push_back(g.Int(-in[d] - 1, in[d] + 1));
      end.push_back(g.Int(-in[d] - 1, in[d] + 1));
      // Shrunk axes get positive strides, as the converter writes them (TensorFlow Lite's
      // kernel writes nothing for a shrunk axis with a negative stride).
      const bool shrunk = (opt.shrink_axis_mask >> d) & 1;
      strides.push_back(g.Int(0, 1) || shrunk ? g.Int(1, 3) : -g.Int(1, 3));
    }
    std::ostringstream what;
    what << "STRIDED_SLICE " << ShapeToString(in) << " begin " << ShapeToString(begin) << " end "
         << ShapeToString(end) << " strides " << ShapeToString(strides) << " masks "
         << opt.begin_mask << "/" << opt.end_mask << "/" << opt.shrink_axis_mask;
    Shape out;
    bool shrinks_outside = false;  // an error in the engine; TFLite writes nothing
    {
      // Output shape as numpy would give it, from TFLite's start/stop rules.
      for (int d = 0; d < rank; ++d) {
        const int dim = in[d], s = strides[d];
        const bool shrink = (opt.shrink_axis_mask >> d) & 1;
        int b0 = begin[d] < 0 ? begin[d] + dim : begin[d];
        b0 = s > 0 ? std::clamp(b0, 0, dim) : std::clamp(b0, -1, dim - 1);
        if ((opt.begin_mask >> d) & 1) b0 = s > 0 ? 0 : dim - 1;
        if (shrink) {
          shrinks_outside = shrinks_outside || b0 >= dim || b0 < 0;
          continue;
        }
        int e0 = end[d] < 0 ? end[d] + dim : end[d];
        e0 = s > 0 ? std::clamp(e0, 0, dim) : std::clamp(e0, -1, dim - 1);
        if ((opt.end_mask >> d) & 1) e0 = s > 0 ? dim : -1;
        const int span = s > 0 ? e0 - b0 : b0 - e0, step = s > 0 ? s : -s;
        out.push_back(span > 0 ? (span + step - 1) / step : 0);
      }
    }
    if (shrinks_outside) continue;
    Compare(OneNodeModel(OpCode::kStridedSlice, in,
                         {{{rank}, begin}, {{rank}, end}, {{rank}, strides}}, out, opt),
            what.str(), 200 + i);
    ++compared;
  }
  EXPECT_GE(compared, 40);
}

TEST_F(TfLiteDataOps, TransposePadGatherSliceSplitPack) {
  Gen g(30);
  for (int i = 0; i < 20; ++i) {
    const int rank = g.Int(1, 5);
    const Shape in = g.RandomShape(rank, 4);
    std::vector<int32_t> perm(static_cast<size_t>(rank));
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), g.engine());
    Shape out;
    for (int p : perm) out.push_back(in[static_cast<size_t>(p)]);
    Compare(OneNodeModel(OpCode::kTranspose, in, {{{rank}, perm}}, out, NoOptions{}),
            "TRANSPOSE " + ShapeToString(in) + " perm " + ShapeToString(perm), 300 + i);

    std::vector<int32_t> pads;
    Shape padded;
    for (int d = 0; d < rank; ++d) {
      pads.push_back(g.Int(0, 2));
      pads.push_back(g.Int(0, 2));
      padded.push_back(in[d] + pads[2 * d] + pads[2 * d + 1]);
    }
    Compare(OneNodeModel(OpCode::kPad, in, {{{rank, 2}, pads}}, padded, NoOptions{}),
            "PAD " + ShapeToString(in), 400 + i);

    const int axis = g.Int(-rank, rank - 1);
    const size_t a = static_cast<size_t>(axis < 0 ? axis + rank : axis);
    std::vector<int32_t> idx;
    for (int k = 0; k < 3; ++k) idx.push_back(g.Int(0, in[a] - 1));
    Shape gathered = in;
    gathered[a] = 3;
    Compare(OneNodeModel(OpCode::kGather, in, {{{3}, idx}}, gathered, GatherOptions{axis, 0}),
            "GATHER axis " + std::to_string(axis), 500 + i);

    std::vector<int32_t> begin, size;
    Shape sliced;
    for (int d = 0; d < rank; ++d) {
      begin.push_back(g.Int(0, in[d] - 1));
      size.push_back(g.Int(0, 1) ? -1 : g.Int(0, in[d] - begin.back()));
      sliced.push_back(size.back() < 0 ? in[d] - begin.back() : size.back());
    }
    Compare(
        OneNodeModel(OpCode::kSlice, in, {{{rank}, begin}, {{rank}, size}}, sliced, NoOptions{}),
        "SLICE " + ShapeToString(in), 600 + i);

    Shape reduced = in;
    reduced.erase(reduced.begin() + static_cast<long>(a));
    Compare(OneNodeModel(OpCode::kArgMax, in, {{{}, {axis}}}, reduced,
                         ArgMaxOptions{i % 2 ? DataType::kInt64 : DataType::kInt32},
                         i % 2 ? DataType::kInt64 : DataType::kInt32),
            "ARG_MAX axis " + std::to_string(axis), 700 + i);
  }
}

TEST_F(TfLiteDataOps, GatherNdArgMaxUint8SplitUnpackPack) {
  // GATHER_ND into [1, 4, 4, 3] at constant (0, y, x) triples, as MoveNet does.
  Compare(OneNodeModel(OpCode::kGatherNd, {1, 4, 4, 3}, {{{2, 3}, {0, 3, 1, 0, 0, 2}}}, {2, 3},
                       NoOptions{}),
          "GATHER_ND", 800);
  // ARG_MAX over uint8 (many ties among 256 values), DeepLab-like.
  ModelBuilder am;
  int32_t in = am.AddTensor({"in", DataType::kUInt8, {1, 8, 8, 21}, Q(0.19f, 34), {}});
  int32_t axis = am.AddConstant("axis", DataType::kInt32, {}, std::vector<int32_t>{3});
  int32_t out = am.AddTensor({"out", DataType::kInt64, {1, 8, 8}, {}, {}});
  am.AddOperator(OpCode::kArgMax, {in, axis}, {out}, ArgMaxOptions{DataType::kInt64});
  am.SetInputs({in});
  am.SetOutputs({out});
  Compare(am.Finish(), "ARG_MAX uint8", 801);
  // SPLIT, SPLIT_V, UNPACK and PACK on int8.
  ModelBuilder b;
  const Quantization q = Q(0.1f, -3);
  int32_t x = b.AddTensor({"x", DataType::kInt8, {2, 6, 3}, q, {}});
  int32_t one = b.AddConstant("one", DataType::kInt32, {}, std::vector<int32_t>{1});
  int32_t s0 = b.AddTensor({"s0", DataType::kInt8, {2, 3, 3}, q, {}});
  int32_t s1 = b.AddTensor({"s1", DataType::kInt8, {2, 3, 3}, q, {}});
  b.AddOperator(OpCode::kSplit, {one, x}, {s0, s1}, SplitOptions{2});
  int32_t sizes = b.AddConstant("sizes", DataType::kInt32, {3}, std::vector<int32_t>{1, -1, 2});
  int32_t v0 = b.AddTensor({"v0", DataType::kInt8, {2, 1, 3}, q, {}});
  int32_t v1 = b.AddTensor({"v1", DataType::kInt8, {2, 3, 3}, q, {}});
  int32_t v2 = b.AddTensor({"v2", DataType::kInt8, {2, 2, 3}, q, {}});
  b.AddOperator(OpCode::kSplitV, {x, sizes, one}, {v0, v1, v2}, SplitOptions{3});
  std::vector<int32_t> columns;
  for (int k = 0; k < 3; ++k) columns.push_back(b.AddTensor({"u", DataType::kInt8, {2, 6}, q, {}}));
  b.AddOperator(OpCode::kUnpack, {x}, columns, PackOptions{3, -1});
  int32_t packed = b.AddTensor({"packed", DataType::kInt8, {3, 2, 6}, q, {}});
  b.AddOperator(OpCode::kPack, columns, {packed}, PackOptions{3, 0});
  b.SetInputs({x});
  b.SetOutputs({s0, s1, v0, v1, v2, packed});
  Compare(b.Finish(), "SPLIT, SPLIT_V, UNPACK, PACK", 802);
}

}  // namespace
}  // namespace coralpi

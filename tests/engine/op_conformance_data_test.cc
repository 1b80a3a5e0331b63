// Conformance of the data-movement operators XNNPACK runs (PAD, PADV2 as static_constant_pad;
// EXPAND_DIMS as static_reshape): on generated one-operator models with random shapes,
// paddings, zero points and inputs, the XNNPACK path equals the reference kernel bit for bit
// (these operators only move values and fill the pad value, so float32 is exact too).
#include <sstream>

#include "engine_test_util.h"

namespace coralpi::testing {
namespace {

enum class Kind { kFloat, kUInt8, kInt8 };

DataType TypeOf(Kind k) {
  return k == Kind::kFloat   ? DataType::kFloat32
         : k == Kind::kUInt8 ? DataType::kUInt8
                             : DataType::kInt8;
}

// Random quantization of a tensor of kind k (none for float32).
Quantization RandomQuant(ParamGen& g, Kind k) {
  if (k == Kind::kFloat) return {};
  return Q(g.Real(0.01f, 0.2f), k == Kind::kUInt8 ? g.Int(0, 255) : g.Int(-128, 127));
}

void ExpectBitExact(const BothRuns& r, const std::string& what) {
  ASSERT_EQ(r.xnnpack.size(), r.reference.size()) << what;
  for (size_t i = 0; i < r.xnnpack.size(); ++i) {
    EXPECT_EQ(r.xnnpack[i], r.reference[i]) << what;
  }
}

// A random PAD (or PADV2 with a constant of the input's type) of rank 1..6.
std::vector<uint8_t> BuildPad(Kind kind, bool v2, bool int64_paddings, ParamGen& g,
                              std::string* what) {
  ModelBuilder b;
  const int rank = g.Int(1, 6);
  Shape in_shape, out_shape;
  std::vector<int64_t> paddings;
  for (int d = 0; d < rank; ++d) {
    const int dim = g.Int(1, rank > 4 ? 3 : 6);
    const int before = g.Int(0, 3), after = g.Int(0, 3);
    in_shape.push_back(dim);
    out_shape.push_back(dim + before + after);
    paddings.push_back(before);
    paddings.push_back(after);
  }
  Quantization q = RandomQuant(g, kind);
  int32_t in = b.AddTensor({"in", TypeOf(kind), in_shape, q, {}});
  int32_t pads = int64_paddings
                     ? b.AddConstant("paddings", DataType::kInt64, {rank, 2}, paddings)
                     : b.AddConstant("paddings", DataType::kInt32, {rank, 2},
                                     std::vector<int32_t>(paddings.begin(), paddings.end()));
  std::vector<int32_t> inputs = {in, pads};
  std::ostringstream s;
  s << (v2 ? "PADV2 " : "PAD ") << DataTypeName(TypeOf(kind)) << " " << ShapeToString(in_shape)
    << " -> " << ShapeToString(out_shape);
  if (v2) {
    if (kind == Kind::kFloat) {
      const float value = g.Real(-3.0f, 3.0f);
      inputs.push_back(b.AddConstant("value", DataType::kFloat32, {}, std::vector<float>{value}));
      s << " value " << value;
    } else {
      const int value = kind == Kind::kUInt8 ? g.Int(0, 255) : g.Int(-128, 127);
      inputs.push_back(b.AddConstant("value", TypeOf(kind), {1},
                                     std::vector<uint8_t>{static_cast<uint8_t>(value)}, q));
      s << " value " << value;
    }
  }
  if (!q.empty()) s << " zp " << q.zero_point[0];
  int32_t out = b.AddTensor({"out", TypeOf(kind), out_shape, q, {}});
  b.AddOperator(v2 ? OpCode::kPadV2 : OpCode::kPad, inputs, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  *what = s.str();
  return b.Finish();
}

void RunPadCases(Kind kind, bool v2, uint32_t seed) {
  ParamGen g(seed);
  for (int i = 0; i < 40; ++i) {
    std::string what;
    auto bytes = BuildPad(kind, v2, i % 2 == 1, g, &what);
    BothRuns r = RunBoth(bytes, seed + static_cast<uint32_t>(i));
    ASSERT_EQ(r.xnnpack_nodes, 1) << "XNNPACK did not take " << what;
    ExpectBitExact(r, what);
  }
}

TEST(OpConformanceData, PadUInt8) { RunPadCases(Kind::kUInt8, false, 2100); }
TEST(OpConformanceData, PadInt8) { RunPadCases(Kind::kInt8, false, 2200); }
TEST(OpConformanceData, PadFloat) { RunPadCases(Kind::kFloat, false, 2300); }
TEST(OpConformanceData, PadV2UInt8) { RunPadCases(Kind::kUInt8, true, 2400); }
TEST(OpConformanceData, PadV2Int8) { RunPadCases(Kind::kInt8, true, 2500); }
TEST(OpConformanceData, PadV2Float) { RunPadCases(Kind::kFloat, true, 2600); }

TEST(OpConformanceData, ExpandDims) {
  ParamGen g(2700);
  for (Kind kind : {Kind::kFloat, Kind::kUInt8, Kind::kInt8}) {
    const Shape in_shape = {g.Int(1, 4), g.Int(1, 4), g.Int(1, 4)};
    for (int axis = -4; axis <= 3; ++axis) {
      Shape out_shape = in_shape;
      out_shape.insert(out_shape.begin() + (axis < 0 ? axis + 4 : axis), 1);
      ModelBuilder b;
      Quantization q = RandomQuant(g, kind);
      int32_t in = b.AddTensor({"in", TypeOf(kind), in_shape, q, {}});
      int32_t a = b.AddConstant("axis", DataType::kInt32, {}, std::vector<int32_t>{axis});
      int32_t out = b.AddTensor({"out", TypeOf(kind), out_shape, q, {}});
      b.AddOperator(OpCode::kExpandDims, {in, a}, {out});
      b.SetInputs({in});
      b.SetOutputs({out});
      const std::string what = "EXPAND_DIMS axis " + std::to_string(axis);
      BothRuns r = RunBoth(b.Finish(), 2700 + static_cast<uint32_t>(axis + 4));
      ASSERT_EQ(r.xnnpack_nodes, 1) << what;
      ExpectBitExact(r, what);
    }
  }
}

}  // namespace
}  // namespace coralpi::testing

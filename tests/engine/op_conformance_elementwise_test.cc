// Per-operator conformance of the elementwise and activation operators: on generated
// one-operator models with random shapes (broadcasting across ranks 0 to 4, constant and scalar
// operands), scales, zero points and fused activations, the XNNPACK path equals the reference
// kernels bit for bit on uint8/int8 and within 1e-4 (relative to the output's magnitude) on
// float32. The last tests check that the cases XNNPACK cannot take run on the reference kernels
// and say why.
#include <cmath>
#include <sstream>

#include "engine_test_util.h"

namespace coralpi::testing {
namespace {

// ParamGen with the quantizations these tests need.
class Gen : public ParamGen {
 public:
  using ParamGen::ParamGen;
  Quantization Quant(DataType t, float scale) {
    return t == DataType::kFloat32 ? Quantization{} : Q(scale, Zp(t));
  }
  // An output quantization that leaves a fused activation room (its lower bound below the
  // type's maximum, else XNNPACK rejects the node), e.g. RELU with zero point 127.
  Quantization OutputQuant(DataType t, float scale, Activation act) {
    if (t == DataType::kFloat32) return {};
    const int64_t zp = Zp(t);
    const int64_t top = t == DataType::kUInt8 ? 200 : 72;
    return Q(scale, act == Activation::kNone ? zp : std::min(zp, top));
  }
};

bool Quantized(DataType t) { return t == DataType::kUInt8 || t == DataType::kInt8; }

// Two shapes that broadcast, of ranks 0 to 4, and their broadcast.
struct Broadcast {
  Shape a, b, out;
};
Broadcast RandomBroadcast(Gen& g) {
  const int rank = g.Int(1, 4);
  Shape full(static_cast<size_t>(rank));
  for (auto& d : full) d = g.Int(1, 6);
  auto operand = [&]() {
    // A trailing slice of the full shape (possibly empty: a scalar), some dimensions set to 1.
    Shape s(full.end() - g.Int(0, rank), full.end());
    for (auto& d : s) {
      if (g.Int(0, 3) == 0) d = 1;
    }
    return s;
  };
  Broadcast r{operand(), operand(), {}};
  if (g.Int(0, 2) == 0) r.a = full;  // often one operand has the full shape
  const size_t n = std::max(r.a.size(), r.b.size());
  r.out.assign(n, 1);
  for (size_t i = 0; i < n; ++i) {
    const int32_t da = i + r.a.size() >= n ? r.a[i + r.a.size() - n] : 1;
    const int32_t db = i + r.b.size() >= n ? r.b[i + r.b.size() - n] : 1;
    r.out[i] = std::max(da, db);
  }
  return r;
}

std::string Describe(OpCode code, DataType t, const Broadcast& s, Activation act) {
  std::ostringstream o;
  o << OpCodeName(static_cast<int32_t>(code)) << " " << DataTypeName(t) << " " << ShapeToString(s.a)
    << " with " << ShapeToString(s.b) << " " << ActivationName(act);
  return o.str();
}

// Output scales that keep each operator inside XNNPACK's limits (ADD/SUB: input/output ratios
// in [2^-10, 2^8); MUL: product/output in [2^-16, 2^8)).
float OutputScale(OpCode code, float sa, float sb, Gen& g) {
  if (code == OpCode::kMul) return sa * sb * g.Scale(8.0f, 300.0f);
  return std::max(sa, sb) * g.Scale(0.6f, 4.0f);
}

// A random binary operator with a fused activation; `constant_b`: b is a constant tensor.
void RunBinary(OpCode code, DataType t, uint32_t seed, bool constant_b = false) {
  Gen g(seed);
  for (int i = 0; i < 40; ++i) {
    const Broadcast s = RandomBroadcast(g);
    const Activation act = g.Act();
    const float sa = g.Scale(0.01f, 0.1f), sb = g.Scale(0.01f, 0.1f);
    ModelBuilder b;
    int32_t ta = b.AddTensor({"a", t, s.a, g.Quant(t, sa), {}});
    int32_t tb;
    if (constant_b) {
      const int64_t n = NumElements(s.b);
      if (t == DataType::kFloat32) {
        std::vector<float> v(static_cast<size_t>(n));
        for (auto& x : v) x = g.Real(-2.0f, 2.0f);
        tb = b.AddConstant("b", t, s.b, v);
      } else {
        std::vector<uint8_t> v(static_cast<size_t>(n));
        for (auto& x : v) x = static_cast<uint8_t>(g.Int(0, 255));
        tb = b.AddConstant("b", t, s.b, v, g.Quant(t, sb));
      }
    } else {
      tb = b.AddTensor({"b", t, s.b, g.Quant(t, sb), {}});
    }
    int32_t out =
        b.AddTensor({"out", t, s.out, g.OutputQuant(t, OutputScale(code, sa, sb, g), act), {}});
    b.AddOperator(code, {ta, tb}, {out}, AddOptions{act});
    b.SetInputs(constant_b ? std::vector<int32_t>{ta} : std::vector<int32_t>{ta, tb});
    b.SetOutputs({out});
    const std::string what = Describe(code, t, s, act) + (constant_b ? " (constant b)" : "");
    BothRuns r = RunBoth(b.Finish(), FillUniform(-3.0f, 3.0f, seed + static_cast<uint32_t>(i)));
    ASSERT_EQ(r.xnnpack_nodes, 1) << "XNNPACK did not take " << what;
    ExpectEqualOutputs(r, what);
  }
}

TEST(OpConformanceElementwise, SubUInt8) { RunBinary(OpCode::kSub, DataType::kUInt8, 100); }
TEST(OpConformanceElementwise, SubInt8) { RunBinary(OpCode::kSub, DataType::kInt8, 200); }
TEST(OpConformanceElementwise, SubFloat) { RunBinary(OpCode::kSub, DataType::kFloat32, 300); }
TEST(OpConformanceElementwise, SubInt8ConstantOperand) {
  RunBinary(OpCode::kSub, DataType::kInt8, 400, true);
}
TEST(OpConformanceElementwise, MulUInt8) { RunBinary(OpCode::kMul, DataType::kUInt8, 500); }
TEST(OpConformanceElementwise, MulInt8) { RunBinary(OpCode::kMul, DataType::kInt8, 600); }
TEST(OpConformanceElementwise, MulFloat) { RunBinary(OpCode::kMul, DataType::kFloat32, 700); }
TEST(OpConformanceElementwise, MulUInt8ConstantOperand) {
  RunBinary(OpCode::kMul, DataType::kUInt8, 800, true);
}
TEST(OpConformanceElementwise, DivFloat) { RunBinary(OpCode::kDiv, DataType::kFloat32, 900); }

TEST(OpConformanceElementwise, MulSquaresOneTensor) {
  // MUL(x, x), as MoveNet squares its offsets: both XNNPACK inputs are the same value.
  Gen g(1000);
  for (DataType t : {DataType::kUInt8, DataType::kInt8}) {
    for (int i = 0; i < 10; ++i) {
      const Shape s = {g.Int(1, 8), g.Int(1, 8), g.Int(1, 17)};
      const float sx = g.Scale(0.05f, 0.5f);
      ModelBuilder b;
      int32_t x = b.AddTensor({"x", t, s, Q(sx, g.Zp(t)), {}});
      int32_t out = b.AddTensor({"out", t, s, Q(sx * sx * g.Scale(30.0f, 200.0f), g.Zp(t)), {}});
      b.AddOperator(OpCode::kMul, {x, x}, {out}, AddOptions{});
      b.SetInputs({x});
      b.SetOutputs({out});
      BothRuns r = RunBoth(b.Finish(), 1000 + static_cast<uint32_t>(i));
      ASSERT_EQ(r.xnnpack_nodes, 1);
      ExpectEqualOutputs(r, "MUL(x, x) " + std::string(DataTypeName(t)) + " " + ShapeToString(s));
    }
  }
}

void RunMinMax(OpCode code, uint32_t seed) {
  Gen g(seed);
  for (int i = 0; i < 30; ++i) {
    const Broadcast s = RandomBroadcast(g);
    ModelBuilder b;
    int32_t ta = b.AddTensor({"a", DataType::kFloat32, s.a, {}, {}});
    int32_t tb = b.AddTensor({"b", DataType::kFloat32, s.b, {}, {}});
    int32_t out = b.AddTensor({"out", DataType::kFloat32, s.out, {}, {}});
    b.AddOperator(code, {ta, tb}, {out});
    b.SetInputs({ta, tb});
    b.SetOutputs({out});
    const std::string what = Describe(code, DataType::kFloat32, s, Activation::kNone);
    BothRuns r = RunBoth(b.Finish(), seed + static_cast<uint32_t>(i));
    ASSERT_EQ(r.xnnpack_nodes, 1) << "XNNPACK did not take " << what;
    ExpectEqualOutputs(r, what);
  }
}

TEST(OpConformanceElementwise, MaximumFloat) { RunMinMax(OpCode::kMaximum, 1100); }
TEST(OpConformanceElementwise, MinimumFloat) { RunMinMax(OpCode::kMinimum, 1200); }

// A unary operator on [1, h, w, c] (or a lower rank) with input/output quantization from
// `quant(g, t, &in, &out)`; float inputs uniform in [lo, hi].
using QuantPair = std::function<void(Gen&, DataType, Quantization*, Quantization*)>;

void RunUnary(OpCode code, DataType t, const QuantPair& quant, float lo, float hi, uint32_t seed,
              const OpOptions& options = NoOptions{}) {
  Gen g(seed);
  for (int i = 0; i < 25; ++i) {
    Shape s = {1, g.Int(1, 9), g.Int(1, 9), g.Int(1, 20)};
    s.erase(s.begin(), s.begin() + g.Int(0, 2));
    Quantization qi, qo;
    if (t != DataType::kFloat32) quant(g, t, &qi, &qo);
    ModelBuilder b;
    int32_t in = b.AddTensor({"in", t, s, qi, {}});
    int32_t out = b.AddTensor({"out", t, s, qo, {}});
    b.AddOperator(code, {in}, {out}, options);
    b.SetInputs({in});
    b.SetOutputs({out});
    std::ostringstream what;
    what << OpCodeName(static_cast<int32_t>(code)) << " " << DataTypeName(t) << " "
         << ShapeToString(s);
    if (Quantized(t)) {
      what << " in (" << qi.scale[0] << ", " << qi.zero_point[0] << ") out (" << qo.scale[0] << ", "
           << qo.zero_point[0] << ")";
    }
    BothRuns r = RunBoth(b.Finish(), FillUniform(lo, hi, seed + static_cast<uint32_t>(i)));
    ASSERT_EQ(r.xnnpack_nodes, 1) << "XNNPACK did not take " << what.str();
    ExpectEqualOutputs(r, what.str());
  }
}

// Input and output share one random quantization.
const QuantPair kSameQuant = [](Gen& g, DataType t, Quantization* in, Quantization* out) {
  *in = Q(g.Scale(0.01f, 0.2f), g.Zp(t));
  *out = *in;
};
// LOGISTIC's standard output: scale 1/256, zero point 0 (uint8) or -128 (int8).
const QuantPair kSigmoidQuant = [](Gen& g, DataType t, Quantization* in, Quantization* out) {
  *in = Q(g.Scale(0.01f, 0.3f), g.Zp(t));
  *out = Q(1.0f / 256, t == DataType::kUInt8 ? 0 : -128);
};

TEST(OpConformanceElementwise, LogisticUInt8) {
  RunUnary(OpCode::kLogistic, DataType::kUInt8, kSigmoidQuant, 0, 0, 1300);
}
TEST(OpConformanceElementwise, LogisticInt8) {
  RunUnary(OpCode::kLogistic, DataType::kInt8, kSigmoidQuant, 0, 0, 1400);
}
TEST(OpConformanceElementwise, LogisticTablesOfManyScales) {
  // Every stored value (1024 random bytes cover the 256) through 300 input quantizations: the
  // two tables agree entry for entry, including the rare ties of the rounding.
  Gen g(1450);
  for (int i = 0; i < 300; ++i) {
    const DataType t = i % 2 ? DataType::kUInt8 : DataType::kInt8;
    Quantization qi, qo;
    kSigmoidQuant(g, t, &qi, &qo);
    ModelBuilder b;
    int32_t in = b.AddTensor({"in", t, {1, 16, 16, 4}, qi, {}});
    int32_t out = b.AddTensor({"out", t, {1, 16, 16, 4}, qo, {}});
    b.AddOperator(OpCode::kLogistic, {in}, {out});
    b.SetInputs({in});
    b.SetOutputs({out});
    BothRuns r = RunBoth(b.Finish(), 1450 + static_cast<uint32_t>(i));
    ASSERT_EQ(r.xnnpack_nodes, 1);
    ExpectEqualOutputs(r, "LOGISTIC input scale " + std::to_string(qi.scale[0]));
  }
}
TEST(OpConformanceElementwise, LogisticFloat) {
  RunUnary(OpCode::kLogistic, DataType::kFloat32, {}, -12.0f, 12.0f, 1500);
}
TEST(OpConformanceElementwise, HardSwishFloat) {
  RunUnary(OpCode::kHardSwish, DataType::kFloat32, {}, -5.0f, 5.0f, 1600);
}
TEST(OpConformanceElementwise, SqrtFloat) {
  RunUnary(OpCode::kSqrt, DataType::kFloat32, {}, 0.0f, 100.0f, 1700);
}
TEST(OpConformanceElementwise, LeakyReluFloat) {
  RunUnary(OpCode::kLeakyRelu, DataType::kFloat32, {}, -4.0f, 4.0f, 1800, LeakyReluOptions{0.2f});
}

TEST(OpConformanceElementwise, ReluFamily) {
  uint32_t seed = 1900;
  for (OpCode code : {OpCode::kRelu, OpCode::kRelu6, OpCode::kReluN1To1}) {
    for (DataType t : {DataType::kFloat32, DataType::kUInt8, DataType::kInt8}) {
      RunUnary(code, t, kSameQuant, -8.0f, 8.0f, seed += 10);
    }
  }
}

// Placement: cases XNNPACK cannot take run on the reference kernels, and say why.
std::string PlacementOf(const std::vector<uint8_t>& bytes, bool* xnnpack) {
  auto m = Model::FromBytes(bytes, "p.tflite");
  EXPECT_TRUE(m.ok());
  if (!m.ok()) return "";
  std::vector<NodePlacement> p = PlanPlacement(**m);
  EXPECT_EQ(p.size(), 1u);
  EXPECT_TRUE(p[0].supported) << p[0].reason;
  *xnnpack = p[0].xnnpack;
  return p[0].reason;
}

std::vector<uint8_t> OneOp(OpCode code, DataType t, const Quantization& qa, const Quantization& qb,
                           const Quantization& qo, const OpOptions& options, int inputs = 2) {
  ModelBuilder b;
  std::vector<int32_t> ins = {b.AddTensor({"a", t, {2, 3}, qa, {}})};
  if (inputs == 2) ins.push_back(b.AddTensor({"b", t, {2, 3}, qb, {}}));
  int32_t out = b.AddTensor({"out", t, {2, 3}, qo, {}});
  b.AddOperator(code, ins, {out}, options);
  b.SetInputs(ins);
  b.SetOutputs({out});
  return b.Finish();
}

TEST(OpConformanceElementwise, PlacementNamesWhyXnnpackDeclines) {
  bool xnn = true;
  // SUB with MoveNet's first scales: b's ratio 1e-6 is below 2^-10.
  std::string why = PlacementOf(
      OneOp(OpCode::kSub, DataType::kInt8, Q(1.0f, -128), Q(1e-6f, 0), Q(1.0f, -128), AddOptions{}),
      &xnn);
  EXPECT_FALSE(xnn);
  EXPECT_NE(why.find("[2^-10, 2^8)"), std::string::npos) << why;
  // The same with ratios inside the limits: XNNPACK.
  PlacementOf(
      OneOp(OpCode::kSub, DataType::kInt8, Q(1.0f, -128), Q(0.5f, 0), Q(1.0f, -128), AddOptions{}),
      &xnn);
  EXPECT_TRUE(xnn);
  // MUL: product/output ratio 2^-20.
  why = PlacementOf(OneOp(OpCode::kMul, DataType::kUInt8, Q(0x1p-10f, 0), Q(0x1p-10f, 0),
                          Q(1.0f, 0), AddOptions{}),
                    &xnn);
  EXPECT_FALSE(xnn);
  EXPECT_NE(why.find("[2^-16, 2^8)"), std::string::npos) << why;
  // int32 arithmetic.
  why = PlacementOf(OneOp(OpCode::kMul, DataType::kInt32, {}, {}, {}, AddOptions{}), &xnn);
  EXPECT_FALSE(xnn);
  EXPECT_NE(why.find("int32"), std::string::npos) << why;
  // LOGISTIC with an output zero point other than -128.
  why = PlacementOf(
      OneOp(OpCode::kLogistic, DataType::kInt8, Q(0.1f, 0), {}, Q(1.0f / 256, 0), NoOptions{}, 1),
      &xnn);
  EXPECT_FALSE(xnn);
  EXPECT_NE(why.find("zero point"), std::string::npos) << why;
  // RELU that rescales.
  why = PlacementOf(
      OneOp(OpCode::kRelu, DataType::kUInt8, Q(0.1f, 10), {}, Q(0.2f, 0), NoOptions{}, 1), &xnn);
  EXPECT_FALSE(xnn);
  EXPECT_NE(why.find("quantization differ"), std::string::npos) << why;
  // Quantized HARD_SWISH, TANH, CAST, FLOOR_DIV: never XNNPACK.
  why = PlacementOf(
      OneOp(OpCode::kHardSwish, DataType::kInt8, Q(0.1f, 0), {}, Q(0.1f, 0), NoOptions{}, 1), &xnn);
  EXPECT_FALSE(xnn);
  EXPECT_NE(why.find("float32"), std::string::npos) << why;
  why = PlacementOf(OneOp(OpCode::kFloorDiv, DataType::kInt32, {}, {}, {}, NoOptions{}), &xnn);
  EXPECT_FALSE(xnn);
  EXPECT_NE(why.find("floor division"), std::string::npos) << why;
}

TEST(OpConformanceElementwise, LoadTimeChecksNameTheProblem) {
  auto reason = [](const std::vector<uint8_t>& bytes) {
    auto m = Model::FromBytes(bytes, "bad.tflite");
    EXPECT_TRUE(m.ok());
    auto engine = CpuEngine::Create(*m);
    return engine.ok() ? std::string("loaded") : engine.error().message;
  };
  // LOGISTIC's quantized output must have scale 1/256.
  std::string why = reason(
      OneOp(OpCode::kLogistic, DataType::kUInt8, Q(0.1f, 0), {}, Q(0.01f, 0), NoOptions{}, 1));
  EXPECT_NE(why.find("1/256"), std::string::npos) << why;
  EXPECT_NE(why.find("LOGISTIC"), std::string::npos) << why;
  // MAXIMUM on quantized tensors of different quantization.
  why = reason(
      OneOp(OpCode::kMaximum, DataType::kInt8, Q(0.1f, 0), Q(0.2f, 0), Q(0.1f, 0), NoOptions{}));
  EXPECT_NE(why.find("quantization"), std::string::npos) << why;
  // SUB with a fused TANH (TFLite's converter never writes it; the kernels do not take it).
  why = reason(OneOp(OpCode::kSub, DataType::kFloat32, {}, {}, {}, AddOptions{Activation::kTanh}));
  EXPECT_NE(why.find("TANH"), std::string::npos) << why;
  // DIV on int16 (TensorFlow Lite's int16 DIV is not implemented here).
  why = reason(
      OneOp(OpCode::kDiv, DataType::kInt16, Q(0.1f, 0), Q(0.1f, 0), Q(0.1f, 0), AddOptions{}));
  EXPECT_NE(why.find("int16"), std::string::npos) << why;
  // HARD_SWISH whose input scale is 200 times the output's.
  why = reason(
      OneOp(OpCode::kHardSwish, DataType::kInt8, Q(1.0f, 0), {}, Q(0.005f, 0), NoOptions{}, 1));
  EXPECT_NE(why.find("HARD_SWISH"), std::string::npos) << why;
}

}  // namespace
}  // namespace coralpi::testing

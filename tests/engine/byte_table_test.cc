// Byte tables (engine/byte_table.h): runs of elementwise operators from an 8-bit tensor to an
// 8-bit tensor fold into one lookup that equals the reference kernels bit for bit, on every
// byte value in every channel; runs that are not such a function (a tensor read twice, a
// constant that varies along an outer dimension, a float result) are left as they were.
#include "engine/byte_table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "engine/cpu_engine.h"
#include "engine_test_util.h"
#include "model/builder.h"
#include "model/model.h"

namespace coralpi::testing {
namespace {

struct Run {
  std::vector<std::vector<uint8_t>> outputs;
  int table_nodes = 0;
};

// Input element i of pixel p, channel c, holds (p + 37 c) mod 256: with 256 pixels, every byte
// value in every channel.
void FillEveryByte(const TensorView& t) {
  const int32_t c = t.shape.empty() ? 1 : t.shape.back();
  auto* d = static_cast<uint8_t*>(t.data);
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    const int64_t p = i / c, ch = i % c;
    d[i] = static_cast<uint8_t>((p + 37 * ch) % 256);
  }
}

Run RunModel(const std::vector<uint8_t>& bytes, bool fast, int threads = 1) {
  CpuEngineOptions options;
  options.threads = threads;
  options.use_xnnpack = fast;
  auto engine = InvokedEngine(bytes, options, [](CpuEngine& e) {
    for (size_t i = 0; i < e.input_count(); ++i) FillEveryByte(e.input(i));
  });
  Run r;
  if (!engine) return r;
  r.table_nodes = engine->table_node_count();
  for (size_t i = 0; i < engine->output_count(); ++i) r.outputs.push_back(OutputBytes(*engine, i));
  return r;
}

// The fast engine against the reference kernels; returns how many operators it folded.
int ExpectSameAsReference(const std::vector<uint8_t>& bytes, const std::string& what,
                          int threads = 1) {
  const Run fast = RunModel(bytes, true, threads);
  const Run ref = RunModel(bytes, false);
  // arm64-known-difference (scripts/test-arm64.sh): unfolded int8 LOGISTIC/MUL on arm64 XNNPACK
  EXPECT_EQ(fast.outputs, ref.outputs) << what;
  EXPECT_EQ(ref.table_nodes, 0) << "the reference path never folds";
  return fast.table_nodes;
}

// MoveNet's opening: uint8 image -> CAST float32 -> QUANTIZE int8 (scale 1, zero point -128)
// -> SUB a per-channel constant of scale 1e-6 -> MUL a scalar -> SUB a scalar.
std::vector<uint8_t> MoveNetOpening(const Shape& shape, bool also_output_quantized = false) {
  ModelBuilder b;
  const int32_t in = b.AddTensor({"image", DataType::kUInt8, shape, {}, {}});
  const int32_t f = b.AddTensor({"float", DataType::kFloat32, shape, {}, {}});
  const int32_t q = b.AddTensor({"q", DataType::kInt8, shape, Q(1.0f, -128), {}});
  const int32_t zero =
      b.AddConstant<int8_t>("zero", DataType::kInt8, {1, 1, 1, 3}, {0, 1, -2}, Q(1e-6f, 0));
  const int32_t centred = b.AddTensor({"centred", DataType::kInt8, shape, Q(1.0f, -128), {}});
  const int32_t k = b.AddConstant<int8_t>("k", DataType::kInt8, {}, {127}, Q(3.1e-5f, -128));
  const int32_t scaled = b.AddTensor({"scaled", DataType::kInt8, shape, Q(0.007843f, -128), {}});
  const int32_t one = b.AddConstant<int8_t>("one", DataType::kInt8, {1}, {-1}, Q(0.0078f, -128));
  const int32_t out = b.AddTensor({"out", DataType::kInt8, shape, Q(0.0156f, 0), {}});
  b.AddOperator(OpCode::kCast, {in}, {f});
  b.AddOperator(OpCode::kQuantize, {f}, {q});
  b.AddOperator(OpCode::kSub, {q, zero}, {centred}, AddOptions{});
  b.AddOperator(OpCode::kMul, {centred, k}, {scaled}, AddOptions{});
  b.AddOperator(OpCode::kSub, {scaled, one}, {out}, AddOptions{Activation::kRelu6});
  b.SetInputs({in});
  b.SetOutputs(also_output_quantized ? std::vector<int32_t>{out, q} : std::vector<int32_t>{out});
  return b.Finish();
}

TEST(ByteTable, MoveNetOpeningFoldsAndEqualsTheReference) {
  EXPECT_EQ(ExpectSameAsReference(MoveNetOpening({1, 16, 16, 3}), "MoveNet opening"), 5);
  EXPECT_EQ(ExpectSameAsReference(MoveNetOpening({1, 16, 16, 3}), "2 threads", 2), 5);
  EXPECT_EQ(ExpectSameAsReference(MoveNetOpening({2, 17, 9, 3}), "batch 2"), 5);
}

TEST(ByteTable, AnIntermediateTheGraphOutputsEndsTheChain) {
  // QUANTIZE's output is also a graph output: CAST -> QUANTIZE folds (it ends on int8), the rest
  // (SUB, MUL, SUB) starts a chain of its own.
  EXPECT_EQ(ExpectSameAsReference(MoveNetOpening({1, 16, 16, 3}, true), "split"), 5);
  auto model = Model::FromBytes(MoveNetOpening({1, 16, 16, 3}, true), "chain.tflite");
  ASSERT_TRUE(model.ok());
  std::vector<NodePlacement> p = PlanPlacement(**model);
  ASSERT_EQ(p.size(), 5u);
  EXPECT_NE(p[0].reason.find("operators 0 to 1"), std::string::npos) << p[0].reason;
  EXPECT_NE(p[2].reason.find("operators 2 to 4"), std::string::npos) << p[2].reason;
}

TEST(ByteTable, ATensorReadTwiceIsNotFolded) {
  // x -> QUANTIZE -> a; a -> ADD const -> out1; a is read twice (ADD and a second output), so
  // no chain longer than one operator exists.
  ModelBuilder b;
  const Shape s{1, 16, 16, 2};
  const int32_t x = b.AddTensor({"x", DataType::kUInt8, s, Q(0.5f, 10), {}});
  const int32_t a = b.AddTensor({"a", DataType::kInt8, s, Q(0.25f, 3), {}});
  const int32_t c = b.AddConstant<int8_t>("c", DataType::kInt8, {2}, {5, -7}, Q(0.1f, 0));
  const int32_t o1 = b.AddTensor({"o1", DataType::kInt8, s, Q(0.3f, -1), {}});
  const int32_t o2 = b.AddTensor({"o2", DataType::kInt8, s, Q(0.3f, -1), {}});
  b.AddOperator(OpCode::kQuantize, {x}, {a});
  b.AddOperator(OpCode::kAdd, {a, c}, {o1}, AddOptions{});
  b.AddOperator(OpCode::kMul, {a, c}, {o2}, AddOptions{});
  b.SetInputs({x});
  b.SetOutputs({o1, o2});
  EXPECT_EQ(ExpectSameAsReference(b.Finish(), "read twice"), 0);
}

// SiLU as TensorFlow Lite's converter leaves it in 8-bit YOLO models: y = LOGISTIC(x),
// out = MUL(x, y) (or MUL(y, x)): both inputs of MUL are functions of x's byte (a diamond).
std::vector<uint8_t> Silu(DataType t, const Shape& s, float in_scale, int32_t in_zp,
                          const Quantization& sigmoid_q, float out_scale, int32_t out_zp,
                          bool swap = false, Activation act = Activation::kNone) {
  ModelBuilder b;
  const int32_t x = b.AddTensor({"x", t, s, Q(in_scale, in_zp), {}});
  const int32_t y = b.AddTensor({"sigmoid", t, s, sigmoid_q, {}});
  const int32_t out = b.AddTensor({"silu", t, s, Q(out_scale, out_zp), {}});
  b.AddOperator(OpCode::kLogistic, {x}, {y});
  b.AddOperator(OpCode::kMul, swap ? std::vector<int32_t>{y, x} : std::vector<int32_t>{x, y}, {out},
                AddOptions{act});
  b.SetInputs({x});
  b.SetOutputs({out});
  return b.Finish();
}

TEST(ByteTable, SiluDiamondFoldsAndEqualsTheReference) {
  const Shape s{1, 16, 16, 3};
  // yolov8n's int8 SiLU: LOGISTIC to scale 1/256, zero point -128 (XNNPACK's quantization).
  const Quantization int8_sigmoid = Q(1.0f / 256, -128), uint8_sigmoid = Q(1.0f / 256, 0);
  for (int threads : {1, 2}) {
    EXPECT_EQ(
        ExpectSameAsReference(Silu(DataType::kInt8, s, 0.0911f, -3, int8_sigmoid, 0.0467f, -123),
                              "int8 SiLU", threads),
        2);
    EXPECT_EQ(ExpectSameAsReference(Silu(DataType::kUInt8, s, 0.05f, 131, uint8_sigmoid, 0.03f, 9,
                                         true, Activation::kRelu6),
                                    "uint8 SiLU, MUL(y, x), RELU6", threads),
              2);
    // An element count that is no multiple of the 64 bytes of a vector lookup (273).
    EXPECT_EQ(ExpectSameAsReference(
                  Silu(DataType::kInt8, {1, 7, 13, 3}, 0.0911f, -3, int8_sigmoid, 0.0467f, -123),
                  "int8 SiLU, 7 x 13 x 3", threads),
              2);
    // A sigmoid quantization XNNPACK does not take (TFLite's arithmetic on the reference path).
    EXPECT_EQ(ExpectSameAsReference(Silu(DataType::kInt8, {2, 9, 7, 4}, 0.2f, 10,
                                         Q(1.0f / 256, -128), 0.11f, 5, true),
                                    "int8 SiLU, batch 2", threads),
              2);
  }
}

TEST(ByteTable, ASquareFolds) {
  // x -> QUANTIZE -> a; MUL(a, a): one tensor as both inputs.
  ModelBuilder b;
  const Shape s{1, 16, 16, 2};
  const int32_t x = b.AddTensor({"x", DataType::kUInt8, s, Q(0.5f, 10), {}});
  const int32_t a = b.AddTensor({"a", DataType::kInt8, s, Q(0.05f, 3), {}});
  const int32_t sq = b.AddTensor({"sq", DataType::kInt8, s, Q(0.3f, -100), {}});
  b.AddOperator(OpCode::kQuantize, {x}, {a});
  b.AddOperator(OpCode::kMul, {a, a}, {sq}, AddOptions{});
  b.SetInputs({x});
  b.SetOutputs({sq});
  EXPECT_EQ(ExpectSameAsReference(b.Finish(), "square"), 2);
}

TEST(ByteTable, ADiamondWithAnOutsideReaderOrInputIsNotFolded) {
  const Shape s{1, 16, 16, 2};
  {
    // The sigmoid is also a graph output: the fold would never write it.
    ModelBuilder b;
    const int32_t x = b.AddTensor({"x", DataType::kInt8, s, Q(0.1f, 0), {}});
    const int32_t y = b.AddTensor({"y", DataType::kInt8, s, Q(1.0f / 256, -128), {}});
    const int32_t out = b.AddTensor({"out", DataType::kInt8, s, Q(0.05f, -120), {}});
    b.AddOperator(OpCode::kLogistic, {x}, {y});
    b.AddOperator(OpCode::kMul, {x, y}, {out}, AddOptions{});
    b.SetInputs({x});
    b.SetOutputs({out, y});
    EXPECT_EQ(ExpectSameAsReference(b.Finish(), "sigmoid read outside"), 0);
  }
  {
    // MUL's other input is a second graph input: not a function of x alone.
    ModelBuilder b;
    const int32_t x = b.AddTensor({"x", DataType::kInt8, s, Q(0.1f, 0), {}});
    const int32_t z = b.AddTensor({"z", DataType::kInt8, s, Q(0.1f, 0), {}});
    const int32_t y = b.AddTensor({"y", DataType::kInt8, s, Q(1.0f / 256, -128), {}});
    const int32_t out = b.AddTensor({"out", DataType::kInt8, s, Q(0.05f, -120), {}});
    b.AddOperator(OpCode::kLogistic, {x}, {y});
    b.AddOperator(OpCode::kMul, {z, y}, {out}, AddOptions{});
    b.SetInputs({x, z});
    b.SetOutputs({out});
    EXPECT_EQ(ExpectSameAsReference(b.Finish(), "other input"), 0);
  }
}

// Random diamonds: x -> LOGISTIC or QUANTIZE -> y, then MUL, ADD or SUB of x and y in either
// order, with random scales, zero points and activations, uint8 or int8.
TEST(ByteTable, RandomDiamondsEqualTheReference) {
  ParamGen r(1717);
  int folded = 0;
  for (int i = 0; i < 40; ++i) {
    const DataType t = r.Int(0, 1) ? DataType::kUInt8 : DataType::kInt8;
    const int32_t lo = t == DataType::kUInt8 ? 0 : -128;
    const Shape s{1, 16, 16, r.Int(1, 4)};
    ModelBuilder b;
    const int32_t x = b.AddTensor({"x", t, s, Q(r.Real(0.005f, 0.3f), r.Int(lo, lo + 255)), {}});
    const bool logistic = r.Int(0, 1) == 1;
    // LOGISTIC: scale 1/256, the zero point XNNPACK takes or another (TFLite's arithmetic).
    const int32_t y_zp = r.Int(0, 1) ? lo : r.Int(lo, lo + 255);
    const Quantization yq = logistic ? Q(1.0f / 256, y_zp) : Q(r.Real(0.005f, 0.3f), y_zp);
    const int32_t y = b.AddTensor({"y", t, s, yq, {}});
    const int32_t out =
        b.AddTensor({"out", t, s, Q(r.Real(0.005f, 0.3f), r.Int(lo, lo + 255)), {}});
    b.AddOperator(logistic ? OpCode::kLogistic : OpCode::kQuantize, {x}, {y});
    const OpCode op = std::vector<OpCode>{OpCode::kMul, OpCode::kAdd,
                                          OpCode::kSub}[static_cast<size_t>(r.Int(0, 2))];
    const bool swap = r.Int(0, 1) == 1;
    const Activation act = r.Int(0, 2) == 0 ? Activation::kRelu : Activation::kNone;
    b.AddOperator(op, swap ? std::vector<int32_t>{y, x} : std::vector<int32_t>{x, y}, {out},
                  AddOptions{act});
    b.SetInputs({x});
    b.SetOutputs({out});
    const std::vector<uint8_t> bytes = b.Finish();
    const std::string what = std::string(DataTypeName(t)) +
                             (logistic ? " LOGISTIC " : " QUANTIZE ") +
                             OpCodeName(static_cast<int32_t>(op)) + (swap ? " (y, x)" : " (x, y)");
    SCOPED_TRACE(what);
    folded += ExpectSameAsReference(bytes, what, 1 + i % 2) == 2 ? 1 : 0;
  }
  EXPECT_GE(folded, 35) << "most random diamonds fold";
}

// x -> QUANTIZE -> ADD constant of `const_shape` -> out, uint8 throughout.
std::vector<uint8_t> QuantizeThenAdd(const Shape& s, const Shape& const_shape, DataType out_type) {
  ModelBuilder b;
  const int32_t x = b.AddTensor({"x", DataType::kUInt8, s, Q(0.5f, 10), {}});
  const int32_t a = b.AddTensor({"a", DataType::kUInt8, s, Q(0.25f, 3), {}});
  std::vector<uint8_t> values(static_cast<size_t>(NumElements(const_shape)));
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<uint8_t>(40 * i + 1);
  const int32_t c = b.AddConstant("c", DataType::kUInt8, const_shape, values, Q(0.1f, 0));
  const int32_t out = b.AddTensor(
      {"out", out_type, s, out_type == DataType::kFloat32 ? Quantization{} : Q(0.3f, 7), {}});
  b.AddOperator(OpCode::kQuantize, {x}, {a});
  if (out_type == DataType::kFloat32) {
    const int32_t sum = b.AddTensor({"sum", DataType::kUInt8, s, Q(0.3f, 7), {}});
    b.AddOperator(OpCode::kAdd, {a, c}, {sum}, AddOptions{});
    b.AddOperator(OpCode::kDequantize, {sum}, {out});
  } else {
    b.AddOperator(OpCode::kAdd, {a, c}, {out}, AddOptions{});
  }
  b.SetInputs({x});
  b.SetOutputs({out});
  return b.Finish();
}

TEST(ByteTable, ConstantsAlongTheInnermostDimensionFold) {
  const Shape s{1, 16, 16, 4};
  for (const Shape& c : {Shape{}, Shape{1}, Shape{4}, Shape{1, 4}, Shape{1, 1, 1, 4}}) {
    EXPECT_EQ(ExpectSameAsReference(QuantizeThenAdd(s, c, DataType::kUInt8), ShapeToString(c)), 2)
        << ShapeToString(c);
  }
}

TEST(ByteTable, OtherChainsAreLeftAlone) {
  const Shape s{1, 16, 16, 4};
  // The constant varies along an outer dimension: not a function of the value and channel.
  EXPECT_EQ(ExpectSameAsReference(QuantizeThenAdd(s, {1, 16, 1, 1}, DataType::kUInt8), "outer"), 0);
  EXPECT_EQ(ExpectSameAsReference(QuantizeThenAdd(s, {1, 1, 16, 4}, DataType::kUInt8), "rows"), 0);
  // A tensor smaller than its table (16 pixels of 3 channels against 3 x 256 entries).
  EXPECT_EQ(ExpectSameAsReference(MoveNetOpening({1, 4, 4, 3}), "small"), 0);
  // The run ends on float32: the table holds bytes. Its 8-bit part (QUANTIZE, ADD) folds.
  EXPECT_EQ(ExpectSameAsReference(QuantizeThenAdd(s, {4}, DataType::kFloat32), "float end"), 2);
}

// Random chains: from uint8 or int8, operators chosen by the current type, back to 8 bits.
class ChainGen : public ParamGen {
 public:
  using ParamGen::ParamGen;

  std::vector<uint8_t> Chain(std::string* what) {
    const int32_t channels = Int(1, 5);
    shape_ = {1, 16, 16, channels};
    b_ = ModelBuilder();
    std::ostringstream o;
    DataType t = Int(0, 1) ? DataType::kUInt8 : DataType::kInt8;
    int32_t cur = Tensor(t);
    const int32_t input = cur;
    o << DataTypeName(t) << " [" << channels << "]";
    const int links = Int(2, 6);
    for (int i = 0; i < links || !Byte(t); ++i) {
      if (i >= links) {  // back to 8 bits
        cur = Link(i, cur, t, t == DataType::kFloat32 ? OpCode::kQuantize : OpCode::kCast, o);
      } else {
        cur = Link(i, cur, t, Pick(t), o);
      }
      t = type_;
    }
    b_.SetInputs({input});
    b_.SetOutputs({cur});
    *what = o.str();
    return b_.Finish();
  }

 private:
  static bool Byte(DataType t) { return t == DataType::kUInt8 || t == DataType::kInt8; }

  OpCode Pick(DataType t) {
    const std::vector<OpCode> from_byte = {OpCode::kCast,    OpCode::kQuantize, OpCode::kDequantize,
                                           OpCode::kAdd,     OpCode::kSub,      OpCode::kMul,
                                           OpCode::kMaximum, OpCode::kMinimum,  OpCode::kRelu};
    const std::vector<OpCode> from_float = {OpCode::kQuantize, OpCode::kAdd, OpCode::kMul,
                                            OpCode::kCast, OpCode::kRelu6};
    const std::vector<OpCode> from_int = {OpCode::kCast, OpCode::kSub, OpCode::kMul};
    const auto& v = Byte(t) ? from_byte : t == DataType::kFloat32 ? from_float : from_int;
    return v[static_cast<size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }

  // A constant for a binary operator on `t`: a scalar, per channel, or all-1 dimensions.
  int32_t Constant(DataType t, const Quantization* same = nullptr) {
    const int32_t c = shape_.back();
    const std::vector<Shape> shapes = {{}, {1}, {c}, {1, 1, c}, {1, 1, 1, c}};
    const Shape s = shapes[static_cast<size_t>(Int(0, 4))];
    const size_t n = static_cast<size_t>(NumElements(s));
    if (t == DataType::kFloat32) {
      std::vector<float> v(n);
      for (auto& x : v) x = Real(-3.0f, 3.0f);
      return b_.AddConstant("k", t, s, v);
    }
    if (t == DataType::kInt32) {
      std::vector<int32_t> v(n);
      for (auto& x : v) x = Int(-300, 300);
      return b_.AddConstant("k", t, s, v);
    }
    std::vector<uint8_t> v(n);
    for (auto& x : v) x = static_cast<uint8_t>(Int(0, 255));
    return b_.AddConstant("k", t, s, v, same ? *same : Q(Scale(0.01f, 1.0f), Zp(t)));
  }

  // A new tensor of type t; quantized as `same` when given.
  int32_t Tensor(DataType t, const Quantization* same = nullptr) {
    type_ = t;
    Quantization q = Byte(t) ? Q(Scale(0.01f, 1.0f), Zp(t)) : Quantization{};
    if (same) q = *same;
    quant_ = q;
    return b_.AddTensor({"t", t, shape_, q, {}});
  }

  int32_t Link(int i, int32_t cur, DataType t, OpCode code, std::ostringstream& o) {
    o << " -> " << OpCodeName(static_cast<int32_t>(code));
    int32_t out = -1;
    switch (code) {
      case OpCode::kCast: {
        DataType to = Byte(t) ? (Int(0, 1) ? DataType::kFloat32 : DataType::kInt32)
                      : t == DataType::kFloat32
                          ? DataType::kUInt8
                          : (Int(0, 1) ? DataType::kInt8 : DataType::kFloat32);
        out = Tensor(to);
        b_.AddOperator(code, {cur}, {out});
        break;
      }
      case OpCode::kQuantize:
        out = Tensor(Int(0, 1) ? DataType::kUInt8 : DataType::kInt8);
        b_.AddOperator(code, {cur}, {out});
        break;
      case OpCode::kDequantize:
        out = Tensor(DataType::kFloat32);
        b_.AddOperator(code, {cur}, {out});
        break;
      case OpCode::kRelu:
      case OpCode::kRelu6:
        out = Tensor(t);
        b_.AddOperator(code, {cur}, {out});
        break;
      default: {  // binary with a constant, the constant first now and then
        // MAXIMUM and MINIMUM: one quantization for the inputs and the output.
        const Quantization in_q = quant_;
        const bool minmax = code == OpCode::kMaximum || code == OpCode::kMinimum;
        const int32_t k = Constant(t, minmax ? &in_q : nullptr);
        out = Tensor(t, minmax ? &in_q : nullptr);
        const bool swap = code != OpCode::kSub && Int(0, 3) == 0;
        const Activation act = Byte(t) && i % 2 == 0 && !minmax ? Act() : Activation::kNone;
        if (minmax) {
          b_.AddOperator(code, swap ? std::vector<int32_t>{k, cur} : std::vector<int32_t>{cur, k},
                         {out});
        } else {
          b_.AddOperator(code, swap ? std::vector<int32_t>{k, cur} : std::vector<int32_t>{cur, k},
                         {out}, AddOptions{act});
        }
        o << "(" << ActivationName(act) << ")";
      }
    }
    o << " " << DataTypeName(type_);
    return out;
  }

  Shape shape_;
  ModelBuilder b_;
  DataType type_ = DataType::kUInt8;
  Quantization quant_;  // of the last tensor made
};

TEST(ByteTable, RandomChainsEqualTheReference) {
  ChainGen g(4242);
  int folded = 0;
  for (int i = 0; i < 60; ++i) {
    std::string what;
    const std::vector<uint8_t> bytes = g.Chain(&what);
    SCOPED_TRACE(what);
    folded += ExpectSameAsReference(bytes, what) > 0 ? 1 : 0;
  }
  EXPECT_GE(folded, 50) << "most random chains fold";
}

}  // namespace
}  // namespace coralpi::testing

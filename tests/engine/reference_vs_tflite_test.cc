// The reference kernels against TensorFlow Lite itself, where they follow TensorFlow Lite's
// arithmetic rather than XNNPACK's (reference.h): random one-operator models run through the
// CPU engine's reference kernels and through TensorFlow Lite's built-in kernels (no delegate)
// on the same inputs must agree bit for bit. Needs the real TensorFlow Lite C library from
// ../shared/anchors/tflite-x86_64 (or CORALPI_TFLITE_LIB); skips without it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <sstream>

#include "backend/tflite_backend.h"
#include "engine/cpu_engine.h"
#include "engine_test_util.h"
#include "model/builder.h"
#include "testutil/testdata.h"

namespace coralpi {
namespace {

std::string TfLiteLibrary() {
  const char* env = std::getenv("CORALPI_TFLITE_LIB");
  if (env && *env) return env;
#if defined(__x86_64__)
  return std::string(CORALPI_TESTDATA_DIR) + "/../anchors/tflite-x86_64/libtensorflowlite_c.so";
#else
  return "";  // the anchor is an x86-64 build: another machine needs CORALPI_TFLITE_LIB
#endif
}

#define REQUIRE_TFLITE()                                                                    \
  do {                                                                                      \
    if (TfLiteLibrary().empty() || !::coralpi::testing::FileExists(TfLiteLibrary()))        \
      GTEST_SKIP() << "no TensorFlow Lite C library for this machine: '" << TfLiteLibrary() \
                   << "' (CORALPI_TFLITE_LIB names one)";                                   \
  } while (0)

using testing::ParamGen;
using testing::Q;

// Fills one input: random bytes, or values from `real` for float and int32/int64/int16 tensors.
using Filler = std::function<double(std::mt19937&)>;

void Fill(const TensorView& t, std::mt19937& rng, const Filler& real) {
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    switch (t.type) {
      case DataType::kFloat32:
        t.as<float>()[i] = static_cast<float>(real(rng));
        break;
      case DataType::kInt32:
        t.as<int32_t>()[i] = static_cast<int32_t>(real(rng));
        break;
      case DataType::kInt64:
        t.as<int64_t>()[i] = static_cast<int64_t>(real(rng));
        break;
      case DataType::kInt16:
        t.as<int16_t>()[i] = static_cast<int16_t>(real(rng));
        break;
      case DataType::kBool:
        static_cast<uint8_t*>(t.data)[i] = static_cast<uint8_t>(rng() % 2);
        break;
      default:
        static_cast<uint8_t*>(t.data)[i] = static_cast<uint8_t>(rng());
        break;
    }
  }
}

struct Outcome {
  std::string failure;  // empty when both ran and agreed
  int xnnpack_nodes = -1;
};

// Runs the model on the reference kernels and on TensorFlow Lite's built-in kernels with the
// same inputs and compares every output byte.
Outcome RunAndCompare(std::vector<uint8_t> bytes, uint32_t seed, const Filler& real) {
  Outcome o;
  auto source = ModelSourceFromBytes(std::move(bytes), "generated.tflite");
  if (!source.ok()) return {source.error().message};
  auto engine = CpuEngine::Create(source->model, {1, false});
  if (!engine.ok()) return {"cpu engine: " + engine.error().message};
  auto tfl = CreateTfLiteBackend(*source, {1, TfLiteLibrary(), false});
  if (!tfl.ok()) return {"tflite: " + tfl.error().message};
  auto with_xnnpack = CpuEngine::Create(source->model, {1, true});
  if (with_xnnpack.ok()) o.xnnpack_nodes = (*with_xnnpack)->xnnpack_node_count();
  std::mt19937 rng(seed);
  for (size_t i = 0; i < (*engine)->input_count(); ++i) {
    TensorView ours = (*engine)->input(i);
    TensorView theirs = (*tfl)->input(i);
    Fill(ours, rng, real);
    std::memcpy(theirs.data, ours.data,
                static_cast<size_t>(ours.num_elements()) * ElementSize(ours.type));
  }
  Status a = (*engine)->Invoke();
  Status b = (*tfl)->Invoke();
  if (!a.ok() || !b.ok()) {
    return {"invoke: cpu " + (a.ok() ? std::string("ok") : a.error().message) + "; tflite " +
            (b.ok() ? std::string("ok") : b.error().message)};
  }
  for (size_t i = 0; i < (*engine)->output_count(); ++i) {
    TensorView x = (*engine)->output(i);
    TensorView y = (*tfl)->output(i);
    const size_t n = static_cast<size_t>(x.num_elements()) * ElementSize(x.type);
    const auto* px = static_cast<const uint8_t*>(x.data);
    const auto* py = static_cast<const uint8_t*>(y.data);
    size_t differ = 0, first = n;
    for (size_t k = 0; k < n; ++k) {
      if (px[k] != py[k]) {
        ++differ;
        first = std::min(first, k);
      }
    }
    if (differ) {
      std::ostringstream s;
      s << "output " << i << ": " << differ << " of " << n << " bytes differ, first at byte "
        << first << " (reference " << int{px[first]} << ", tflite " << int{py[first]} << ")";
      o.failure = s.str();
      return o;
    }
  }
  return o;
}

double Uniform(std::mt19937& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}
const Filler kUnitFloats = [](std::mt19937& r) { return Uniform(r, -1, 1); };

// One quantized binary-operator model: inputs a (shape sa) and b (sb), output of the broadcast
// shape, with the given scales and random zero points.
std::vector<uint8_t> BinaryModel(OpCode code, DataType type, const Shape& sa, const Shape& sb,
                                 const Shape& so, float a_s, float b_s, float o_s, ParamGen& g,
                                 const OpOptions& options) {
  ModelBuilder b;
  const bool quantized = type == DataType::kUInt8 || type == DataType::kInt8;
  auto q = [&](float s) { return quantized ? Q(s, g.Zp(type)) : Quantization{}; };
  int32_t ta = b.AddTensor({"a", type, sa, q(a_s), {}});
  int32_t tb = b.AddTensor({"b", type, sb, q(b_s), {}});
  int32_t out = b.AddTensor({"out", type, so, q(o_s), {}});
  b.AddOperator(code, {ta, tb}, {out}, options);
  b.SetInputs({ta, tb});
  b.SetOutputs({out});
  return b.Finish();
}

std::vector<uint8_t> UnaryModel(OpCode code, DataType in_type, DataType out_type, const Shape& s,
                                const Quantization& qi, const Quantization& qo,
                                const OpOptions& options = NoOptions{}) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", in_type, s, qi, {}});
  int32_t out = b.AddTensor({"out", out_type, s, qo, {}});
  b.AddOperator(code, {in}, {out}, options);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Finish();
}

struct Shapes {
  Shape a, b, out;
};
Shapes RandomBroadcast(ParamGen& g) {
  Shape a = {1, g.Int(1, 5), g.Int(1, 5), g.Int(1, 6)};
  Shape b = a;
  const int broadcast = g.Int(0, 3);
  if (broadcast) b[static_cast<size_t>(broadcast)] = 1;
  if (g.Int(0, 1)) std::swap(a, b);
  Shape out(4);
  for (size_t i = 0; i < 4; ++i) out[i] = std::max(a[i], b[i]);
  return {a, b, out};
}

const char* TypeName(DataType t) { return DataTypeName(t); }

// SUB and MUL with scales XNNPACK rejects: TensorFlow Lite's rescaling.
void RunQuantizedArithmetic(OpCode code, DataType type, uint32_t seed) {
  ParamGen g(seed);
  for (int i = 0; i < 25; ++i) {
    Shapes s = RandomBroadcast(g);
    float a_s = g.Scale(0.005f, 0.2f), b_s = g.Scale(0.005f, 0.2f), o_s;
    if (code == OpCode::kSub) {
      // One input's ratio below 2^-10 or above 2^8 (but the output multiplier below 1).
      if (g.Int(0, 1)) {
        b_s = a_s * g.Scale(1e-6f, 5e-4f);
        o_s = a_s * g.Scale(0.5f, 4.0f);
      } else {
        o_s = std::max(a_s, b_s) * g.Scale(2e-4f, 8e-4f);
      }
    } else {
      // The product ratio outside [2^-16, 2^8).
      o_s = g.Int(0, 1) ? a_s * b_s * g.Scale(7e4f, 1e6f) : a_s * b_s * g.Scale(1e-4f, 3e-3f);
    }
    const Activation act = g.Act();
    auto bytes = BinaryModel(code, type, s.a, s.b, s.out, a_s, b_s, o_s, g, AddOptions{act});
    std::string what = OpCodeName(static_cast<int32_t>(code)) + " " + TypeName(type) + " " +
                       ShapeToString(s.a) + " " + ShapeToString(s.b) + " scales " +
                       std::to_string(a_s) + " " + std::to_string(b_s) + " " + std::to_string(o_s) +
                       " " + ActivationName(act);
    Outcome o = RunAndCompare(bytes, seed + i, kUnitFloats);
    EXPECT_EQ(o.failure, "") << what;
    EXPECT_EQ(o.xnnpack_nodes, 0) << "XNNPACK should reject " << what;
  }
}

TEST(ReferenceVsTfLite, SubUInt8OutsideXnnpackScales) {
  REQUIRE_TFLITE();
  RunQuantizedArithmetic(OpCode::kSub, DataType::kUInt8, 100);
}
TEST(ReferenceVsTfLite, SubInt8OutsideXnnpackScales) {
  REQUIRE_TFLITE();
  RunQuantizedArithmetic(OpCode::kSub, DataType::kInt8, 200);
}
TEST(ReferenceVsTfLite, MulUInt8OutsideXnnpackScales) {
  REQUIRE_TFLITE();
  RunQuantizedArithmetic(OpCode::kMul, DataType::kUInt8, 300);
}
TEST(ReferenceVsTfLite, MulInt8OutsideXnnpackScales) {
  REQUIRE_TFLITE();
  RunQuantizedArithmetic(OpCode::kMul, DataType::kInt8, 400);
}

// Integer and float arithmetic XNNPACK does not run: SUB/MUL/DIV int32 (and int64),
// FLOOR_DIV on every type it takes, MAXIMUM/MINIMUM on integers.
void RunPlainBinary(OpCode code, DataType type, const Filler& values, uint32_t seed,
                    bool with_activation = true) {
  ParamGen g(seed);
  for (int i = 0; i < 15; ++i) {
    Shapes s = RandomBroadcast(g);
    const Activation act = with_activation ? g.Act() : Activation::kNone;
    const OpOptions options = with_activation ? OpOptions{AddOptions{act}} : OpOptions{NoOptions{}};
    auto bytes = BinaryModel(code, type, s.a, s.b, s.out, 0.05f, 0.05f, 0.05f, g, options);
    std::string what = OpCodeName(static_cast<int32_t>(code)) + " " + TypeName(type) + " " +
                       ShapeToString(s.a) + " " + ShapeToString(s.b) + " " + ActivationName(act);
    Outcome o = RunAndCompare(bytes, seed + i, values);
    EXPECT_EQ(o.failure, "") << what;
  }
}

// Nonzero integers in [-range, range].
Filler NonZero(int range) {
  return [range](std::mt19937& r) {
    int v = std::uniform_int_distribution<int>(-range, range - 1)(r);
    return static_cast<double>(v >= 0 ? v + 1 : v);
  };
}

TEST(ReferenceVsTfLite, IntegerSubMulDiv) {
  REQUIRE_TFLITE();
  RunPlainBinary(OpCode::kSub, DataType::kInt32, NonZero(5000), 500);
  RunPlainBinary(OpCode::kMul, DataType::kInt32, NonZero(5000), 510);
  RunPlainBinary(OpCode::kSub, DataType::kInt64, NonZero(5000), 520);
  RunPlainBinary(OpCode::kMul, DataType::kInt64, NonZero(5000), 530);
  RunPlainBinary(OpCode::kDiv, DataType::kInt32, NonZero(100), 540);
}

TEST(ReferenceVsTfLite, DivQuantized) {
  REQUIRE_TFLITE();
  ParamGen g(550);
  for (DataType t : {DataType::kUInt8, DataType::kInt8}) {
    for (int i = 0; i < 20; ++i) {
      Shapes s = RandomBroadcast(g);
      // The divisor is a constant without 0 (TFLite rejects a stored 0) or its zero point.
      const int64_t b_zp = g.Zp(t);
      std::vector<uint8_t> divisor(static_cast<size_t>(NumElements(s.b)));
      for (auto& v : divisor) {
        do {
          v = static_cast<uint8_t>(g.Int(0, 255));
        } while (v == 0 || static_cast<int64_t>(t == DataType::kInt8 ? int8_t(v) : v) == b_zp);
      }
      const float a_s = g.Scale(0.01f, 0.5f), b_s = g.Scale(0.01f, 0.5f);
      const Activation act = g.Act();
      ModelBuilder b;
      int32_t ta = b.AddTensor({"a", t, s.a, Q(a_s, g.Zp(t)), {}});
      int32_t tb = b.AddConstant("b", t, s.b, divisor, Q(b_s, b_zp));
      // A multiplier a_s / (b_s * out_s) of at least 80 keeps TFLite's final right shift within
      // 31 bits; below, for quotients within about one output step of zero, TFLite's shift is
      // undefined (on x86 its results are then 0 or 255) while the reference stays exact.
      int32_t out =
          b.AddTensor({"out", t, s.out, Q(a_s / b_s / g.Scale(80.0f, 1000.0f), g.Zp(t)), {}});
      b.AddOperator(OpCode::kDiv, {ta, tb}, {out}, AddOptions{act});
      b.SetInputs({ta});
      b.SetOutputs({out});
      Outcome o = RunAndCompare(b.Finish(), 550 + static_cast<uint32_t>(i), kUnitFloats);
      EXPECT_EQ(o.failure, "") << "DIV " << TypeName(t) << " " << ShapeToString(s.a) << " / "
                               << ShapeToString(s.b) << " " << ActivationName(act);
    }
  }
}

TEST(ReferenceVsTfLite, FloorDiv) {
  REQUIRE_TFLITE();
  RunPlainBinary(OpCode::kFloorDiv, DataType::kInt32, NonZero(100), 600, false);
  RunPlainBinary(OpCode::kFloorDiv, DataType::kInt16, NonZero(100), 610, false);
  RunPlainBinary(
      OpCode::kFloorDiv, DataType::kFloat32,
      [](std::mt19937& r) { return Uniform(r, 0.25, 9) * (r() % 2 ? 1 : -1); }, 620, false);
}

TEST(ReferenceVsTfLite, MaximumMinimumIntegers) {
  REQUIRE_TFLITE();
  const Filler any = [](std::mt19937& r) { return Uniform(r, -1e6, 1e6); };
  for (OpCode code : {OpCode::kMaximum, OpCode::kMinimum}) {
    RunPlainBinary(code, DataType::kInt32, any, 700, false);
    RunPlainBinary(code, DataType::kInt64, any, 710, false);
  }
}

// Quantized unary operators on TensorFlow Lite's rules: shapes [1, h, w, c], random scales.
using UnaryCase = std::function<std::vector<uint8_t>(ParamGen&, DataType, const Shape&)>;

void RunQuantizedUnary(const char* name, DataType type, const UnaryCase& make, uint32_t seed,
                       int expected_xnnpack_nodes = 0) {
  ParamGen g(seed);
  for (int i = 0; i < 25; ++i) {
    Shape s = {1, g.Int(1, 6), g.Int(1, 6), g.Int(1, 12)};
    auto bytes = make(g, type, s);
    Outcome o = RunAndCompare(bytes, seed + i, kUnitFloats);
    EXPECT_EQ(o.failure, "") << name << " " << TypeName(type) << " case " << i;
    EXPECT_EQ(o.xnnpack_nodes, expected_xnnpack_nodes) << name << " case " << i;
  }
}

TEST(ReferenceVsTfLite, HardSwishQuantized) {
  REQUIRE_TFLITE();
  UnaryCase make = [](ParamGen& g, DataType t, const Shape& s) {
    const float in_s = g.Scale(0.005f, 0.2f);
    return UnaryModel(OpCode::kHardSwish, t, t, s, Q(in_s, g.Zp(t)),
                      Q(in_s * g.Scale(0.05f, 4.0f), g.Zp(t)));
  };
  RunQuantizedUnary("HARD_SWISH", DataType::kUInt8, make, 800);
  RunQuantizedUnary("HARD_SWISH", DataType::kInt8, make, 810);
}

TEST(ReferenceVsTfLite, LeakyReluQuantized) {
  REQUIRE_TFLITE();
  UnaryCase make = [](ParamGen& g, DataType t, const Shape& s) {
    const float in_s = g.Scale(0.005f, 0.2f);
    return UnaryModel(OpCode::kLeakyRelu, t, t, s, Q(in_s, g.Zp(t)),
                      Q(in_s * g.Scale(0.3f, 3.0f), g.Zp(t)),
                      LeakyReluOptions{g.Real(0.01f, 0.5f)});
  };
  RunQuantizedUnary("LEAKY_RELU", DataType::kUInt8, make, 900);
  RunQuantizedUnary("LEAKY_RELU", DataType::kInt8, make, 910);
}

TEST(ReferenceVsTfLite, ReluFamilyRescaling) {
  REQUIRE_TFLITE();
  for (OpCode code : {OpCode::kRelu, OpCode::kRelu6, OpCode::kReluN1To1}) {
    UnaryCase make = [code](ParamGen& g, DataType t, const Shape& s) {
      const float in_s = g.Scale(0.005f, 0.2f);
      return UnaryModel(code, t, t, s, Q(in_s, g.Zp(t)), Q(in_s * g.Scale(0.3f, 3.0f), g.Zp(t)));
    };
    RunQuantizedUnary(OpCodeName(static_cast<int32_t>(code)).c_str(), DataType::kUInt8, make,
                      1000 + static_cast<uint32_t>(code));
    RunQuantizedUnary(OpCodeName(static_cast<int32_t>(code)).c_str(), DataType::kInt8, make,
                      1100 + static_cast<uint32_t>(code));
  }
}

TEST(ReferenceVsTfLite, TanhQuantized) {
  REQUIRE_TFLITE();
  UnaryCase make = [](ParamGen& g, DataType t, const Shape& s) {
    const int64_t out_zp = t == DataType::kUInt8 ? 128 : 0;
    return UnaryModel(OpCode::kTanh, t, t, s, Q(g.Scale(0.005f, 0.2f), g.Zp(t)),
                      Q(1.0f / 128, out_zp));
  };
  RunQuantizedUnary("TANH", DataType::kUInt8, make, 1200);
  RunQuantizedUnary("TANH", DataType::kInt8, make, 1210);
}

TEST(ReferenceVsTfLite, LogisticWithOtherOutputZeroPoint) {
  REQUIRE_TFLITE();
  UnaryCase make = [](ParamGen& g, DataType t, const Shape& s) {
    return UnaryModel(OpCode::kLogistic, t, t, s, Q(g.Scale(0.005f, 0.2f), g.Zp(t)),
                      Q(1.0f / 256, g.Int(-20, 20) + (t == DataType::kUInt8 ? 30 : -100)));
  };
  RunQuantizedUnary("LOGISTIC", DataType::kUInt8, make, 1300);
  RunQuantizedUnary("LOGISTIC", DataType::kInt8, make, 1310);
}

TEST(ReferenceVsTfLite, SqrtInt8) {
  REQUIRE_TFLITE();
  // Input zero point -128: every input is >= 0.
  UnaryCase make = [](ParamGen& g, DataType t, const Shape& s) {
    return UnaryModel(OpCode::kSqrt, t, t, s, Q(g.Scale(0.005f, 0.2f), -128),
                      Q(g.Scale(0.005f, 0.1f), g.Zp(t)));
  };
  RunQuantizedUnary("SQRT", DataType::kInt8, make, 1400);
}

TEST(ReferenceVsTfLite, Cast) {
  REQUIRE_TFLITE();
  const DataType types[] = {DataType::kFloat32, DataType::kInt32, DataType::kInt64,
                            DataType::kInt16,   DataType::kUInt8, DataType::kInt8,
                            DataType::kBool};
  // Values inside every integer type's range, with fractions, so that each cast is defined in
  // TensorFlow Lite too (it leaves out-of-range float to int8/int64 undefined).
  const Filler values = [](std::mt19937& r) { return Uniform(r, -127.9, 127.9); };
  for (DataType from : types) {
    for (DataType to : types) {
      if (from == to) continue;
      // Floats into uint8: only the non-negative ones are defined in both.
      const Filler f = to == DataType::kUInt8
                           ? Filler([](std::mt19937& r) { return Uniform(r, 0, 255.9); })
                           : values;
      auto bytes = UnaryModel(OpCode::kCast, from, to, {2, 3, 5}, {}, {});
      Outcome o = RunAndCompare(bytes, 1500, f);
      EXPECT_EQ(o.failure, "") << "CAST " << TypeName(from) << " -> " << TypeName(to);
    }
  }
}

}  // namespace
}  // namespace coralpi

// Per-operator conformance: on generated one-operator models with random inputs, shapes,
// strides, paddings, zero points and activations, the XNNPACK path equals the reference
// kernels bit for bit on integer types, and within 1e-4 (relative to the output's magnitude)
// on float32, where XNNPACK's summation order and FMA differ from the plain loops.
#include <cmath>
#include <sstream>

#include "engine_test_util.h"
#include "reference_conv_shapes.h"

namespace coralpi::testing {
namespace {

enum class Kind { kFloat, kUInt8, kInt8PerChannel, kInt8PerTensor };
const char* KindName(Kind k) {
  switch (k) {
    case Kind::kFloat:
      return "float32";
    case Kind::kUInt8:
      return "uint8";
    case Kind::kInt8PerChannel:
      return "int8/per-channel";
    case Kind::kInt8PerTensor:
      return "int8/per-tensor";
  }
  return "?";
}
DataType TypeOf(Kind k) {
  return k == Kind::kFloat   ? DataType::kFloat32
         : k == Kind::kUInt8 ? DataType::kUInt8
                             : DataType::kInt8;
}

class Gen : public ParamGen {
 public:
  using ParamGen::ParamGen;
  int64_t Zp(Kind k) {
    return k == Kind::kUInt8 ? Int(0, 255) : k == Kind::kFloat ? 0 : Int(-128, 127);
  }

  // An activation tensor of kind k.
  int32_t Activation4(ModelBuilder& b, const std::string& name, Kind k, Shape shape, float scale) {
    Quantization q = k == Kind::kFloat ? Quantization{} : Q(scale, Zp(k));
    return b.AddTensor({name, TypeOf(k), std::move(shape), q, {}});
  }

  // Random weights of kind k; per-channel along `axis` for kInt8PerChannel. `scale_out` is the
  // base scale, `quant_out` (optional) the weights' quantization.
  int32_t Weights(ModelBuilder& b, Kind k, Shape shape, int axis, float* scale_out,
                  Quantization* quant_out = nullptr) {
    int64_t n = NumElements(shape);
    float scale = Real(0.002f, 0.03f);
    *scale_out = scale;
    if (k == Kind::kFloat) {
      std::vector<float> w(static_cast<size_t>(n));
      for (auto& v : w) v = Real(-0.5f, 0.5f);
      return b.AddConstant("w", DataType::kFloat32, shape, w);
    }
    std::vector<uint8_t> w(static_cast<size_t>(n));
    // int8 weights are symmetric in TFLite: -127..127.
    for (auto& v : w) v = static_cast<uint8_t>(k == Kind::kUInt8 ? Int(0, 255) : Int(-127, 127));
    Quantization q = Q(scale, k == Kind::kUInt8 ? Int(0, 255) : 0);
    if (k == Kind::kInt8PerChannel) {
      int channels = shape[static_cast<size_t>(axis)];
      q.scale.clear();
      for (int c = 0; c < channels; ++c) q.scale.push_back(scale * Real(0.5f, 2.0f));
      q.zero_point.assign(static_cast<size_t>(channels), 0);
      q.axis = axis;
    }
    if (quant_out) *quant_out = q;
    return b.AddConstant("w", TypeOf(k), shape, w, q);
  }

  // Bias scales follow the weights': input_scale * weight_scale (per channel when they are).
  int32_t Bias(ModelBuilder& b, Kind k, int channels, float in_scale, float w_scale,
               const Quantization* w_quant = nullptr) {
    if (k == Kind::kFloat) {
      std::vector<float> v(static_cast<size_t>(channels));
      for (auto& x : v) x = Real(-1.0f, 1.0f);
      return b.AddConstant("bias", DataType::kFloat32, {channels}, v);
    }
    std::vector<int32_t> v(static_cast<size_t>(channels));
    for (auto& x : v) x = Int(-3000, 3000);
    Quantization q = Q(in_scale * w_scale, 0);
    if (w_quant && w_quant->per_channel()) {
      q.scale.clear();
      for (float s : w_quant->scale) q.scale.push_back(in_scale * s);
      q.zero_point.assign(q.scale.size(), 0);
    }
    return b.AddConstant("bias", DataType::kInt32, {channels}, v, q);
  }
};

struct ConvCase {
  Kind kind;
  bool depthwise;
  int h, w, c, out_c, kh, kw, stride, dilation;
  Padding padding;
  Activation act;
  std::string Describe() const {
    std::ostringstream s;
    s << (depthwise ? "DEPTHWISE_CONV_2D " : "CONV_2D ") << KindName(kind) << " in 1x" << h << "x"
      << w << "x" << c << " out_c " << out_c << " k " << kh << "x" << kw << " stride " << stride
      << " dilation " << dilation << (padding == Padding::kSame ? " SAME " : " VALID ")
      << ActivationName(act);
    return s.str();
  }
};

std::vector<uint8_t> BuildConv(const ConvCase& cc, Gen& g) {
  ModelBuilder b;
  float in_scale = g.Real(0.01f, 0.1f);
  int32_t in = g.Activation4(b, "in", cc.kind, {1, cc.h, cc.w, cc.c}, in_scale);
  float w_scale = 0;
  Quantization w_quant;
  Shape w_shape =
      cc.depthwise ? Shape{1, cc.kh, cc.kw, cc.out_c} : Shape{cc.out_c, cc.kh, cc.kw, cc.c};
  int32_t w = g.Weights(b, cc.kind, w_shape, cc.depthwise ? 3 : 0, &w_scale, &w_quant);
  int32_t bias = g.Bias(b, cc.kind, cc.out_c, in_scale, w_scale, &w_quant);
  int oh = OutSize(cc.padding, cc.h, cc.kh, cc.stride, cc.dilation);
  int ow = OutSize(cc.padding, cc.w, cc.kw, cc.stride, cc.dilation);
  int fan_in = cc.kh * cc.kw * (cc.depthwise ? 1 : cc.c);
  float out_scale =
      in_scale * w_scale * std::sqrt(static_cast<float>(fan_in)) * g.Real(20.0f, 120.0f);
  int32_t out = g.Activation4(b, "out", cc.kind, {1, oh, ow, cc.out_c}, out_scale);
  if (cc.depthwise) {
    b.AddOperator(OpCode::kDepthwiseConv2D, {in, w, bias}, {out},
                  DepthwiseConv2DOptions{cc.padding, cc.stride, cc.stride, cc.out_c / cc.c,
                                         cc.dilation, cc.dilation, cc.act});
  } else {
    b.AddOperator(
        OpCode::kConv2D, {in, w, bias}, {out},
        Conv2DOptions{cc.padding, cc.stride, cc.stride, cc.dilation, cc.dilation, cc.act});
  }
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Finish();
}

void RunConvCases(Kind kind, bool depthwise, uint32_t seed) {
  Gen g(seed);
  for (int i = 0; i < 40; ++i) {
    ConvCase cc;
    cc.kind = kind;
    cc.depthwise = depthwise;
    cc.h = g.Int(1, 12);
    cc.w = g.Int(1, 12);
    cc.c = g.Int(1, 9);
    cc.out_c = depthwise ? cc.c * g.Int(1, 2) : g.Int(1, 9);
    cc.kh = g.Int(1, 3);
    cc.kw = g.Int(1, 3);
    cc.stride = g.Int(1, 2);
    cc.dilation = g.Int(1, 2);
    cc.padding = g.Int(0, 1) ? Padding::kSame : Padding::kValid;
    cc.act = g.Act();
    if (OutSize(cc.padding, cc.h, cc.kh, cc.stride, cc.dilation) < 1 ||
        OutSize(cc.padding, cc.w, cc.kw, cc.stride, cc.dilation) < 1)
      continue;
    auto bytes = BuildConv(cc, g);
    BothRuns r = RunBoth(bytes, seed + static_cast<uint32_t>(i));
    ASSERT_EQ(r.xnnpack_nodes, 1) << "XNNPACK did not take " << cc.Describe();
    ExpectEqualOutputs(r, cc.Describe());
  }
}

TEST(OpConformance, Conv2DUInt8) { RunConvCases(Kind::kUInt8, false, 100); }
TEST(OpConformance, Conv2DInt8PerChannel) { RunConvCases(Kind::kInt8PerChannel, false, 200); }
TEST(OpConformance, Conv2DFloat) { RunConvCases(Kind::kFloat, false, 300); }
TEST(OpConformance, DepthwiseUInt8) { RunConvCases(Kind::kUInt8, true, 400); }
TEST(OpConformance, DepthwiseInt8PerChannel) { RunConvCases(Kind::kInt8PerChannel, true, 500); }
TEST(OpConformance, DepthwiseFloat) { RunConvCases(Kind::kFloat, true, 600); }

void RunFullyConnected(Kind kind, uint32_t seed) {
  Gen g(seed);
  for (int i = 0; i < 30; ++i) {
    int batch = g.Int(1, 4), in_f = g.Int(1, 40), out_f = g.Int(1, 20);
    Activation act = g.Act();
    ModelBuilder b;
    float in_scale = g.Real(0.01f, 0.1f);
    int32_t in = g.Activation4(b, "in", kind, {batch, in_f}, in_scale);
    float w_scale = 0;
    int32_t w = g.Weights(b, kind, {out_f, in_f}, 0, &w_scale);
    int32_t bias = g.Bias(b, kind, out_f, in_scale, w_scale);
    float out_scale =
        in_scale * w_scale * std::sqrt(static_cast<float>(in_f)) * g.Real(20.0f, 120.0f);
    int32_t out = g.Activation4(b, "out", kind, {batch, out_f}, out_scale);
    b.AddOperator(OpCode::kFullyConnected, {in, w, bias}, {out}, FullyConnectedOptions{act, false});
    b.SetInputs({in});
    b.SetOutputs({out});
    std::string what = std::string("FULLY_CONNECTED ") + KindName(kind) + " " +
                       std::to_string(batch) + "x" + std::to_string(in_f) + "->" +
                       std::to_string(out_f) + " " + ActivationName(act);
    BothRuns r = RunBoth(b.Finish(), seed + static_cast<uint32_t>(i));
    ASSERT_EQ(r.xnnpack_nodes, 1) << "XNNPACK did not take " << what;
    ExpectEqualOutputs(r, what);
  }
}

TEST(OpConformance, FullyConnectedUInt8) { RunFullyConnected(Kind::kUInt8, 700); }
TEST(OpConformance, FullyConnectedInt8PerTensor) { RunFullyConnected(Kind::kInt8PerTensor, 750); }
TEST(OpConformance, FullyConnectedFloat) { RunFullyConnected(Kind::kFloat, 800); }

void RunAdd(Kind kind, uint32_t seed) {
  Gen g(seed);
  for (int i = 0; i < 40; ++i) {
    Shape a = {1, g.Int(1, 6), g.Int(1, 6), g.Int(1, 8)};
    Shape bshape = a;
    int broadcast = g.Int(0, 3);  // 0: same shape; 1..3: a dimension of b becomes 1
    if (broadcast) bshape[static_cast<size_t>(broadcast)] = 1;
    Activation act = g.Act();
    ModelBuilder b;
    float sa = g.Real(0.01f, 0.1f), sb = g.Real(0.01f, 0.1f);
    int32_t ta = g.Activation4(b, "a", kind, a, sa);
    int32_t tb = g.Activation4(b, "b", kind, bshape, sb);
    int32_t out = g.Activation4(b, "out", kind, a, std::max(sa, sb) * g.Real(0.8f, 3.0f));
    b.AddOperator(OpCode::kAdd, {ta, tb}, {out}, AddOptions{act});
    b.SetInputs({ta, tb});
    b.SetOutputs({out});
    std::string what = std::string("ADD ") + KindName(kind) + " " + ShapeToString(a) + " + " +
                       ShapeToString(bshape) + " " + ActivationName(act);
    BothRuns r = RunBoth(b.Finish(), seed + static_cast<uint32_t>(i));
    ASSERT_EQ(r.xnnpack_nodes, 1) << "XNNPACK did not take " << what;
    ExpectEqualOutputs(r, what);
  }
}

TEST(OpConformance, AddUInt8) { RunAdd(Kind::kUInt8, 900); }
TEST(OpConformance, AddInt8) { RunAdd(Kind::kInt8PerTensor, 1000); }
TEST(OpConformance, AddFloat) { RunAdd(Kind::kFloat, 1100); }

void RunGlobalPool(Kind kind, bool mean, uint32_t seed) {
  Gen g(seed);
  for (int i = 0; i < 30; ++i) {
    int h = g.Int(1, 9), w = g.Int(1, 9), c = g.Int(1, 40);
    ModelBuilder b;
    float s = g.Real(0.01f, 0.1f);
    int32_t in = g.Activation4(b, "in", kind, {1, h, w, c}, s);
    // MEAN may change the quantization; a global AVERAGE_POOL_2D keeps it (TFLite's rule).
    int32_t out;
    if (mean) {
      out = g.Activation4(b, "out", kind, {1, 1, 1, c}, s * g.Real(0.5f, 2.0f));
      int32_t axes = b.AddConstant("axes", DataType::kInt32, {2}, std::vector<int32_t>{1, 2});
      b.AddOperator(OpCode::kMean, {in, axes}, {out}, ReducerOptions{true});
    } else {
      TensorSpec spec{"out", TypeOf(kind), {1, 1, 1, c}, {}, {}};
      // Same quantization as the input.
      out = b.AddTensor(spec);
      b.AddOperator(OpCode::kAveragePool2D, {in}, {out},
                    Pool2DOptions{Padding::kValid, 1, 1, w, h, Activation::kNone});
    }
    b.SetInputs({in});
    b.SetOutputs({out});
    auto bytes = b.Finish();
    if (!mean && kind != Kind::kFloat) {
      // Copy the input's quantization to the output through a rebuilt model.
      ModelBuilder b2;
      Quantization q = Q(s, g.Zp(kind));
      int32_t in2 = b2.AddTensor({"in", TypeOf(kind), {1, h, w, c}, q, {}});
      int32_t out2 = b2.AddTensor({"out", TypeOf(kind), {1, 1, 1, c}, q, {}});
      b2.AddOperator(OpCode::kAveragePool2D, {in2}, {out2},
                     Pool2DOptions{Padding::kValid, 1, 1, w, h, Activation::kNone});
      b2.SetInputs({in2});
      b2.SetOutputs({out2});
      bytes = b2.Finish();
    }
    std::string what = std::string(mean ? "MEAN " : "AVERAGE_POOL_2D ") + KindName(kind) + " " +
                       std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(c);
    BothRuns r = RunBoth(bytes, seed + static_cast<uint32_t>(i));
    // A quantized AVERAGE_POOL_2D keeping its quantization runs on TensorFlow Lite's rule, which
    // no XNNPACK version follows (ops/pooling.cc; tflite_agreement_spatial_test.cc checks it).
    const int xnnpack_nodes = mean || kind == Kind::kFloat ? 1 : 0;
    ASSERT_EQ(r.xnnpack_nodes, xnnpack_nodes) << what;
    ExpectEqualOutputs(r, what);
  }
}

TEST(OpConformance, GlobalAveragePoolUInt8) { RunGlobalPool(Kind::kUInt8, false, 1200); }
TEST(OpConformance, GlobalAveragePoolFloat) { RunGlobalPool(Kind::kFloat, false, 1300); }
TEST(OpConformance, MeanUInt8) { RunGlobalPool(Kind::kUInt8, true, 1400); }
TEST(OpConformance, MeanInt8) { RunGlobalPool(Kind::kInt8PerTensor, true, 1500); }
TEST(OpConformance, MeanFloat) { RunGlobalPool(Kind::kFloat, true, 1600); }

TEST(OpConformance, ReshapeUInt8) {
  ModelBuilder b;
  Quantization q = Q(0.05f, 3);
  int32_t in = b.AddTensor({"in", DataType::kUInt8, {1, 1, 1, 24}, q, {}});
  int32_t shape = b.AddConstant("shape", DataType::kInt32, {2}, std::vector<int32_t>{4, 6});
  int32_t out = b.AddTensor({"out", DataType::kUInt8, {4, 6}, q, {}});
  b.AddOperator(OpCode::kReshape, {in, shape}, {out}, ReshapeOptions{{4, 6}});
  b.SetInputs({in});
  b.SetOutputs({out});
  BothRuns r = RunBoth(b.Finish(), 7);
  ASSERT_EQ(r.xnnpack_nodes, 1);
  ExpectEqualOutputs(r, "RESHAPE");
}

}  // namespace
}  // namespace coralpi::testing

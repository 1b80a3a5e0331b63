// Dynamic-range ("hybrid") CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED (reference/hybrid.h):
// the run-time input quantizers on hand-worked rows, then generated models through the engine
// against an oracle written here: the input quantized by the rule TensorFlow Lite's runtime
// applies, then a plain loop in double over the dequantized input and weights.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "engine/cpu_engine.h"
#include "engine/reference/hybrid.h"
#include "engine_test_util.h"
#include "model/builder.h"
#include "model/model.h"

namespace coralpi {
namespace {

using reference::DynamicQuant;

// ---- The quantizers on rows worked out by hand ----

TEST(HybridQuant, XnnpackRuleOnASymmetricRange) {
  // [-1, 1]: inverse scale 255 / 2; the zero point from the max side is -0.5, rounded to even 0;
  // -127.5 rounds to even -128, 127.5 clamps to 127.
  const float x[3] = {-1.0f, 0.0f, 1.0f};
  int8_t q[3];
  const DynamicQuant p = reference::XnnpackRowQuant(x, 3, q);
  EXPECT_EQ(p.zero_point, 0);
  EXPECT_FLOAT_EQ(p.scale, 2.0f / 255.0f);
  EXPECT_EQ(q[0], -128);
  EXPECT_EQ(q[1], 0);
  EXPECT_EQ(q[2], 127);
}

TEST(HybridQuant, XnnpackRuleOnPositiveValues) {
  // [0, 2]: zero point -128; 0.5 * 127.5 = 63.75 -> 64 - 128; 2 -> 255 - 128.
  const float x[2] = {0.5f, 2.0f};
  int8_t q[2];
  const DynamicQuant p = reference::XnnpackRowQuant(x, 2, q);
  EXPECT_EQ(p.zero_point, -128);
  EXPECT_FLOAT_EQ(p.scale, 2.0f / 255.0f);
  EXPECT_EQ(q[0], -64);
  EXPECT_EQ(q[1], 127);
}

TEST(HybridQuant, XnnpackRuleOnZeros) {
  const float x[2] = {0.0f, 0.0f};
  int8_t q[2] = {5, 5};
  const DynamicQuant p = reference::XnnpackRowQuant(x, 2, q);
  EXPECT_EQ(p.scale, 1.0f);
  EXPECT_EQ(q[0] - p.zero_point, 0);
  EXPECT_EQ(q[1] - p.zero_point, 0);
}

TEST(HybridQuant, TfliteRuleOnAnAsymmetricRange) {
  // [-1, 3]: scale 4 / 255; zero point from the min side -128 + 63.75 = -64.25 (error 191.75,
  // below the max side's 318.25) rounds to -64; -1 -> -127.75 -> -128; 3 -> 127.25 -> 127.
  const float x[3] = {-1.0f, 0.0f, 3.0f};
  int8_t q[3];
  const DynamicQuant p = reference::TfliteBatchQuant(x, 3, q);
  EXPECT_EQ(p.zero_point, -64);
  EXPECT_FLOAT_EQ(p.scale, 4.0f / 255.0f);
  EXPECT_EQ(q[0], -128);
  EXPECT_EQ(q[1], -64);
  EXPECT_EQ(q[2], 127);
}

TEST(HybridQuant, TfliteRuleOnZeros) {
  const float x[2] = {0.0f, 0.0f};
  int8_t q[2] = {5, 5};
  const DynamicQuant p = reference::TfliteBatchQuant(x, 2, q);
  EXPECT_EQ(p.scale, 1.0f);
  EXPECT_EQ(p.zero_point, 0);
  EXPECT_EQ(q[0], 0);
}

// ---- The oracle: each rule written out again, plainly ----

// XNNPACK's dynamic quantization of one row (dc684a50, src/xnnpack/quantization.h and the
// f32 -> qs8 convert): real = (q - zp) / inverse.
std::vector<double> XnnpackFakeQuant(const float* x, size_t n) {
  float lo = 0.0f, hi = 0.0f;  // the range always holds 0
  for (size_t i = 0; i < n; ++i) lo = std::min(lo, x[i]), hi = std::max(hi, x[i]);
  const float inverse = lo == hi ? 1.0f : 255.0f / (hi - lo);
  const float from_min = -128.0f - lo * inverse, from_max = 127.0f - hi * inverse;
  float zp = (-128.0f + lo * inverse) + (127.0f + hi * inverse) > 0 ? from_min : from_max;
  zp = std::nearbyint(std::clamp(zp, -128.0f, 127.0f));
  const float scale = 1.0f / inverse;
  std::vector<double> real(n);
  for (size_t i = 0; i < n; ++i) {
    const float q = std::clamp(std::nearbyint(x[i] * inverse) + zp, -128.0f, 127.0f);
    real[i] = (double{q} - zp) * scale;
  }
  return real;
}

// TensorFlow Lite's AsymmetricQuantizeFloats (tensor_utils), per image.
std::vector<double> TfliteFakeQuant(const float* x, size_t n) {
  double lo = 0, hi = 0;
  for (size_t i = 0; i < n; ++i) lo = std::min<double>(lo, x[i]), hi = std::max<double>(hi, x[i]);
  std::vector<double> real(n, 0.0);
  if (lo == hi) return real;
  const double scale = (hi - lo) / 255.0;
  const double zmin = -128.0 - lo / scale, zmax = 127.0 - hi / scale;
  const double z = 128.0 + std::fabs(lo / scale) < 127.0 + std::fabs(hi / scale) ? zmin : zmax;
  const int zp = z <= -128 ? -128 : z >= 127 ? 127 : static_cast<int>(std::round(z));
  const float inverse = static_cast<float>(1.0 / static_cast<double>(static_cast<float>(scale)));
  for (size_t i = 0; i < n; ++i) {
    const float q = std::clamp(std::round(static_cast<float>(zp) + x[i] * inverse), -128.0f, 127.0f);
    real[i] = (double{q} - zp) * static_cast<float>(scale);
  }
  return real;
}

double Act(double v, Activation a) {
  switch (a) {
    case Activation::kRelu:
      return std::max(v, 0.0);
    case Activation::kRelu6:
      return std::clamp(v, 0.0, 6.0);
    case Activation::kReluN1To1:
      return std::clamp(v, -1.0, 1.0);
    default:
      return v;
  }
}

// A hybrid node's model: float input, int8 constant weights with `scales` (one, or one per
// channel along `axis`), float bias, float output.
struct HybridCase {
  Shape in_shape, w_shape, out_shape;
  std::vector<int8_t> w;
  std::vector<float> scales, bias;
  int axis = 0;
};

std::vector<int8_t> RandomWeights(size_t n, std::mt19937& rng) {
  std::vector<int8_t> w(n);
  std::uniform_int_distribution<int> d(-127, 127);
  for (auto& v : w) v = static_cast<int8_t>(d(rng));
  return w;
}
std::vector<float> RandomReals(size_t n, float lo, float hi, std::mt19937& rng) {
  std::vector<float> v(n);
  std::uniform_real_distribution<float> d(lo, hi);
  for (auto& x : v) x = d(rng);
  return v;
}

std::vector<uint8_t> HybridModel(OpCode code, const HybridCase& c, const OpOptions& options) {
  ModelBuilder mb;
  const int32_t in = mb.AddTensor({"in", DataType::kFloat32, c.in_shape, {}, {}});
  Quantization wq{c.scales, std::vector<int64_t>(c.scales.size(), 0), c.axis};
  const int32_t w = mb.AddConstant("w", DataType::kInt8, c.w_shape, c.w, wq);
  const int32_t b = mb.AddConstant("b", DataType::kFloat32,
                                   {static_cast<int32_t>(c.bias.size())}, c.bias);
  const int32_t out = mb.AddTensor({"out", DataType::kFloat32, c.out_shape, {}, {}});
  mb.AddOperator(code, {in, w, b}, {out}, options);
  mb.SetInputs({in});
  mb.SetOutputs({out});
  return mb.Finish();
}

// Runs the model on `x`, with XNNPACK (`on_xnnpack`: whether its node runs there, rewritten by
// hybrid_rewrite.h) or on the reference kernels only; returns the output.
std::vector<float> RunHybrid(const std::vector<uint8_t>& bytes, const std::vector<float>& x,
                             int threads, bool use_xnnpack, bool on_xnnpack) {
  auto model = Model::FromBytes(bytes, "hybrid");
  EXPECT_TRUE(model.ok()) << model.error().message;
  if (!model.ok()) return {};
  CpuEngineOptions options;
  options.threads = threads;
  options.use_xnnpack = use_xnnpack;
  const std::vector<NodePlacement> plan = PlanPlacement(**model, options);
  EXPECT_EQ(plan.size(), 1u);
  EXPECT_TRUE(plan[0].supported) << plan[0].reason;
  EXPECT_FALSE(plan[0].native);
  EXPECT_EQ(plan[0].xnnpack, on_xnnpack) << plan[0].reason;
  if (use_xnnpack) {
    EXPECT_NE(plan[0].reason.find("dynamic-range"), std::string::npos) << plan[0].reason;
  }
  auto engine = CpuEngine::Create(*model, options);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  if (!engine.ok()) return {};
  std::copy(x.begin(), x.end(), (*engine)->input(0).as<float>());
  EXPECT_TRUE((*engine)->Invoke().ok());
  if (engine.ok()) {
    EXPECT_EQ((*engine)->xnnpack_node_count(), on_xnnpack ? 1 : 0);
    EXPECT_EQ((*engine)->host_quantize_node_count(), on_xnnpack ? 1 : 0);
    EXPECT_EQ((*engine)->reference_node_count(), on_xnnpack ? 0 : 1);
  }
  const TensorView y = (*engine)->output(0);
  return std::vector<float>(y.as<const float>(), y.as<const float>() + y.num_elements());
}

// The node on both paths against the oracle: XNNPACK after the rewrite (float rounding of a float
// convolution) and the integer reference kernel.
void ExpectBothPaths(const std::vector<uint8_t>& bytes, const std::vector<float>& x, int threads,
                     bool on_xnnpack, const std::vector<double>& want, const std::string& what);

void ExpectClose(const std::vector<float>& got, const std::vector<double>& want,
                 const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_NEAR(got[i], want[i], 2e-5 * std::max(1.0, std::fabs(want[i]))) << what << " at " << i;
  }
}

void ExpectBothPaths(const std::vector<uint8_t>& bytes, const std::vector<float>& x, int threads,
                     bool on_xnnpack, const std::vector<double>& want, const std::string& what) {
  ExpectClose(RunHybrid(bytes, x, threads, true, on_xnnpack), want, what + ", XNNPACK");
  ExpectClose(RunHybrid(bytes, x, threads, false, false), want, what + ", reference kernels");
}

struct ConvParams {
  int batch, h, w, cin, cout, kh, kw, stride, dilation;
  Padding padding;
  Activation act;
  bool per_channel;
};

// CONV_2D with the oracle: per image, or per pixel for 1x1 stride-1 windows.
void CheckConv(const ConvParams& p, uint32_t seed, int threads = 1) {
  std::mt19937 rng(seed);
  HybridCase c;
  const auto pad = [&](int in, int k) {
    const int eff = (k - 1) * p.dilation + 1;
    const int out = p.padding == Padding::kSame ? (in + p.stride - 1) / p.stride
                                                : (in - eff + p.stride) / p.stride;
    const int total = std::max((out - 1) * p.stride + eff - in, 0);
    return std::pair<int, int>{out, p.padding == Padding::kSame ? total / 2 : 0};
  };
  const auto [oh, pad_top] = pad(p.h, p.kh);
  const auto [ow, pad_left] = pad(p.w, p.kw);
  c.in_shape = {p.batch, p.h, p.w, p.cin};
  c.w_shape = {p.cout, p.kh, p.kw, p.cin};
  c.out_shape = {p.batch, oh, ow, p.cout};
  c.w = RandomWeights(static_cast<size_t>(p.cout * p.kh * p.kw * p.cin), rng);
  c.scales = RandomReals(p.per_channel ? static_cast<size_t>(p.cout) : 1, 0.001f, 0.02f, rng);
  c.bias = RandomReals(static_cast<size_t>(p.cout), -1.0f, 1.0f, rng);
  Conv2DOptions o;
  o.padding = p.padding;
  o.stride_h = o.stride_w = p.stride;
  o.dilation_h = o.dilation_w = p.dilation;
  o.activation = p.act;
  const std::vector<float> x =
      RandomReals(static_cast<size_t>(p.batch * p.h * p.w * p.cin), -3.0f, 5.0f, rng);

  const bool per_pixel = p.kh == 1 && p.kw == 1 && p.stride == 1 && p.cin + p.cout > 2;
  std::vector<double> xr;
  const size_t row = per_pixel ? static_cast<size_t>(p.cin) : static_cast<size_t>(p.h * p.w * p.cin);
  for (size_t r = 0; r < x.size() / row; ++r) {
    std::vector<double> part = XnnpackFakeQuant(x.data() + r * row, row);
    xr.insert(xr.end(), part.begin(), part.end());
  }
  std::vector<double> want;
  for (int n = 0; n < p.batch; ++n)
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox)
        for (int oc = 0; oc < p.cout; ++oc) {
          double acc = 0;
          for (int ky = 0; ky < p.kh; ++ky)
            for (int kx = 0; kx < p.kw; ++kx) {
              const int iy = oy * p.stride - pad_top + ky * p.dilation;
              const int ix = ox * p.stride - pad_left + kx * p.dilation;
              if (iy < 0 || iy >= p.h || ix < 0 || ix >= p.w) continue;
              for (int ic = 0; ic < p.cin; ++ic) {
                const double wr = c.w[static_cast<size_t>(((oc * p.kh + ky) * p.kw + kx) * p.cin + ic)] *
                                  double{c.scales[p.per_channel ? static_cast<size_t>(oc) : 0]};
                acc += xr[static_cast<size_t>(((n * p.h + iy) * p.w + ix) * p.cin + ic)] * wr;
              }
            }
          want.push_back(Act(acc + c.bias[static_cast<size_t>(oc)], p.act));
        }
  ExpectBothPaths(HybridModel(OpCode::kConv2D, c, o), x, threads, true, want,
                  "conv seed " + std::to_string(seed));
}

TEST(HybridConv2D, ThreeByThreeStrideTwoSamePerChannelRelu6TwoImages) {
  CheckConv({2, 7, 5, 3, 5, 3, 3, 2, 1, Padding::kSame, Activation::kRelu6, true}, 1);
}
TEST(HybridConv2D, FiveByThreeValidDilatedPerTensor) {
  CheckConv({1, 9, 8, 4, 3, 3, 2, 1, 2, Padding::kValid, Activation::kNone, false}, 2);
}
TEST(HybridConv2D, OneByOneQuantizesEachPixel) {
  CheckConv({2, 4, 3, 6, 7, 1, 1, 1, 1, Padding::kSame, Activation::kRelu, true}, 3);
}
TEST(HybridConv2D, OneByOneStrideTwoQuantizesEachImage) {
  CheckConv({1, 5, 5, 4, 3, 1, 1, 2, 1, Padding::kValid, Activation::kReluN1To1, false}, 4);
}
TEST(HybridConv2D, OneInputOneOutputChannelQuantizesEachImage) {
  CheckConv({1, 3, 4, 1, 1, 1, 1, 1, 1, Padding::kSame, Activation::kNone, false}, 5);
}
TEST(HybridConv2D, SameResultOnTwoThreads) {
  CheckConv({1, 11, 9, 5, 6, 3, 3, 1, 1, Padding::kSame, Activation::kNone, true}, 6, 2);
}

// DEPTHWISE_CONV_2D with TensorFlow Lite's own per-image rule.
void CheckDepthwise(int batch, int h, int w, int cin, int mult, int k, int stride, Padding padding,
                    Activation act, bool per_channel, uint32_t seed) {
  std::mt19937 rng(seed);
  const int cout = cin * mult;
  const int oh = padding == Padding::kSame ? (h + stride - 1) / stride : (h - k + stride) / stride;
  const int ow = padding == Padding::kSame ? (w + stride - 1) / stride : (w - k + stride) / stride;
  const int pt = padding == Padding::kSame ? std::max((oh - 1) * stride + k - h, 0) / 2 : 0;
  const int pl = padding == Padding::kSame ? std::max((ow - 1) * stride + k - w, 0) / 2 : 0;
  HybridCase c;
  c.in_shape = {batch, h, w, cin};
  c.w_shape = {1, k, k, cout};
  c.out_shape = {batch, oh, ow, cout};
  c.axis = 3;
  c.w = RandomWeights(static_cast<size_t>(k * k * cout), rng);
  c.scales = RandomReals(per_channel ? static_cast<size_t>(cout) : 1, 0.001f, 0.05f, rng);
  c.bias = RandomReals(static_cast<size_t>(cout), -0.5f, 0.5f, rng);
  DepthwiseConv2DOptions o;
  o.padding = padding;
  o.stride_h = o.stride_w = stride;
  o.depth_multiplier = mult;
  o.activation = act;
  const std::vector<float> x = RandomReals(static_cast<size_t>(batch * h * w * cin), -2.0f, 1.0f, rng);
  const size_t image = static_cast<size_t>(h * w * cin);
  std::vector<double> xr;
  for (int n = 0; n < batch; ++n) {
    std::vector<double> part = TfliteFakeQuant(x.data() + n * image, image);
    xr.insert(xr.end(), part.begin(), part.end());
  }
  std::vector<double> want;
  for (int n = 0; n < batch; ++n)
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox)
        for (int oc = 0; oc < cout; ++oc) {
          double acc = 0;
          for (int ky = 0; ky < k; ++ky)
            for (int kx = 0; kx < k; ++kx) {
              const int iy = oy * stride - pt + ky, ix = ox * stride - pl + kx;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              acc += xr[n * image + static_cast<size_t>((iy * w + ix) * cin + oc / mult)] *
                     (c.w[static_cast<size_t>((ky * k + kx) * cout + oc)] *
                      double{c.scales[per_channel ? static_cast<size_t>(oc) : 0]});
            }
          want.push_back(Act(acc + c.bias[static_cast<size_t>(oc)], act));
        }
  ExpectBothPaths(HybridModel(OpCode::kDepthwiseConv2D, c, o), x, 1, false, want,
                  "depthwise seed " + std::to_string(seed));
}

TEST(HybridDepthwiseConv2D, MultiplierTwoStrideTwoSamePerChannel) {
  CheckDepthwise(2, 7, 6, 3, 2, 3, 2, Padding::kSame, Activation::kRelu6, true, 11);
}
TEST(HybridDepthwiseConv2D, FiveByFiveValidPerTensor) {
  CheckDepthwise(1, 9, 7, 4, 1, 5, 1, Padding::kValid, Activation::kNone, false, 12);
}

// FULLY_CONNECTED: one quantization per input row.
void CheckFullyConnected(Shape in_shape, int out_n, bool keep_dims, Activation act,
                         bool per_channel, uint32_t seed) {
  std::mt19937 rng(seed);
  const int in_n = in_shape.back();
  const int64_t rows = NumElements(in_shape) / in_n;
  HybridCase c;
  c.in_shape = in_shape;
  c.w_shape = {out_n, in_n};
  if (keep_dims) {
    c.out_shape = in_shape;
    c.out_shape.back() = out_n;
  } else {
    c.out_shape = {static_cast<int32_t>(rows), out_n};
  }
  c.w = RandomWeights(static_cast<size_t>(out_n * in_n), rng);
  c.scales = RandomReals(per_channel ? static_cast<size_t>(out_n) : 1, 0.002f, 0.03f, rng);
  c.bias = RandomReals(static_cast<size_t>(out_n), -1.0f, 1.0f, rng);
  FullyConnectedOptions o;
  o.activation = act;
  o.keep_num_dims = keep_dims;
  const std::vector<float> x = RandomReals(static_cast<size_t>(rows * in_n), -4.0f, 4.0f, rng);
  std::vector<double> want;
  for (int64_t r = 0; r < rows; ++r) {
    const std::vector<double> xr = XnnpackFakeQuant(x.data() + r * in_n, static_cast<size_t>(in_n));
    for (int oc = 0; oc < out_n; ++oc) {
      double acc = c.bias[static_cast<size_t>(oc)];
      for (int i = 0; i < in_n; ++i) {
        acc += xr[static_cast<size_t>(i)] * c.w[static_cast<size_t>(oc * in_n + i)] *
               double{c.scales[per_channel ? static_cast<size_t>(oc) : 0]};
      }
      want.push_back(Act(acc, act));
    }
  }
  ExpectBothPaths(HybridModel(OpCode::kFullyConnected, c, o), x, 1, true, want,
                  "fully connected seed " + std::to_string(seed));
}

TEST(HybridFullyConnected, ThreeRowsPerTensor) {
  CheckFullyConnected({3, 17}, 5, false, Activation::kNone, false, 21);
}
TEST(HybridFullyConnected, KeepNumDimsPerChannelRelu) {
  CheckFullyConnected({2, 2, 9}, 4, true, Activation::kRelu, true, 22);
}

// ---- Bad dynamic-range nodes: clear load-time errors naming the operator ----

std::string CreateError(const std::vector<uint8_t>& bytes) {
  auto model = Model::FromBytes(bytes, "bad hybrid");
  if (!model.ok()) return "model: " + model.error().message;
  auto engine = CpuEngine::Create(*model);
  return engine.ok() ? "" : engine.error().message;
}

HybridCase SmallConv() {
  HybridCase c;
  c.in_shape = {1, 4, 4, 2};
  c.w_shape = {3, 1, 1, 2};
  c.out_shape = {1, 4, 4, 3};
  c.w = {1, -2, 3, -4, 5, -6};
  c.scales = {0.01f, 0.02f, 0.03f};
  c.bias = {0, 0, 0};
  return c;
}

TEST(HybridErrors, WeightsWithoutScales) {
  HybridCase c = SmallConv();
  c.scales.clear();
  const std::string e = CreateError(HybridModel(OpCode::kConv2D, c, Conv2DOptions{}));
  EXPECT_NE(e.find("operator 0 (CONV_2D)"), std::string::npos) << e;
  EXPECT_NE(e.find("no quantization scales"), std::string::npos) << e;
}

TEST(HybridErrors, AsymmetricWeights) {
  HybridCase c = SmallConv();
  ModelBuilder mb;
  const int32_t in = mb.AddTensor({"in", DataType::kFloat32, c.in_shape, {}, {}});
  const int32_t w = mb.AddConstant("w", DataType::kInt8, c.w_shape, c.w,
                                   Quantization{c.scales, {0, 3, 0}, 0});
  const int32_t out = mb.AddTensor({"out", DataType::kFloat32, c.out_shape, {}, {}});
  mb.AddOperator(OpCode::kConv2D, {in, w}, {out}, Conv2DOptions{});
  mb.SetInputs({in});
  mb.SetOutputs({out});
  const std::string e = CreateError(mb.Finish());
  EXPECT_NE(e.find("operator 0 (CONV_2D)"), std::string::npos) << e;
  EXPECT_NE(e.find("symmetric"), std::string::npos) << e;
}

TEST(HybridErrors, IntegerBias) {
  HybridCase c = SmallConv();
  ModelBuilder mb;
  const int32_t in = mb.AddTensor({"in", DataType::kFloat32, {2, 2}, {}, {}});
  const int32_t w = mb.AddConstant("w", DataType::kInt8, {3, 2}, c.w, Quantization{{0.5f}, {0}, 0});
  const int32_t b = mb.AddConstant("b", DataType::kInt32, {3}, std::vector<int32_t>{1, 2, 3});
  const int32_t out = mb.AddTensor({"out", DataType::kFloat32, {2, 3}, {}, {}});
  mb.AddOperator(OpCode::kFullyConnected, {in, w, b}, {out}, FullyConnectedOptions{});
  mb.SetInputs({in});
  mb.SetOutputs({out});
  const std::string e = CreateError(mb.Finish());
  EXPECT_NE(e.find("operator 0 (FULLY_CONNECTED)"), std::string::npos) << e;
  EXPECT_NE(e.find("bias is int32"), std::string::npos) << e;
}

TEST(HybridErrors, DepthwiseScalesAlongTheWrongAxis) {
  ModelBuilder mb;
  const int32_t in = mb.AddTensor({"in", DataType::kFloat32, {1, 3, 3, 2}, {}, {}});
  const int32_t w = mb.AddConstant("w", DataType::kInt8, {1, 2, 2, 2},
                                   std::vector<int8_t>{1, 2, 3, 4, 5, 6, 7, 8},
                                   Quantization{{0.1f, 0.2f}, {0, 0}, 1});
  const int32_t out = mb.AddTensor({"out", DataType::kFloat32, {1, 3, 3, 2}, {}, {}});
  DepthwiseConv2DOptions o;
  mb.AddOperator(OpCode::kDepthwiseConv2D, {in, w}, {out}, o);
  mb.SetInputs({in});
  mb.SetOutputs({out});
  const std::string e = CreateError(mb.Finish());
  EXPECT_NE(e.find("DEPTHWISE_CONV_2D"), std::string::npos) << e;
  EXPECT_NE(e.find("dimension 1, expected 3"), std::string::npos) << e;
}

}  // namespace
}  // namespace coralpi

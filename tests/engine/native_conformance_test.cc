// The engine's own kernels (engine/native) against the reference kernels, bit for bit, on
// generated one-operator models: CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED in uint8 and
// int8 (per-channel and per-tensor weights), with channel counts across the kernels' 16- and
// 64-channel blocks, depths that are not multiples of 4, paddings, strides, dilations, every
// fused activation, extreme zero points (a weight zero point of 0 makes Q = 128, which takes
// two VPDPBUSD halves in the depthwise kernel), and 1 and 2 threads. Each case runs on every
// kernel set this CPU has (cpu_isa.h), so a CPU with AMX also checks the AVX-512 VNNI path.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "engine/native/cpu_isa.h"
#include "engine/native/native_node.h"
#include "engine_test_util.h"
#include "reference_conv_shapes.h"

namespace coralpi::testing {
namespace {

using native::CpuIsa;

enum class Op { kConv, kDepthwise, kFullyConnected };
enum class Kind { kUInt8, kInt8PerChannel, kInt8PerTensor };

struct Case {
  Op op = Op::kConv;
  Kind kind = Kind::kUInt8;
  int batch = 1, h = 1, w = 1, c = 1, out_c = 1, kh = 1, kw = 1, stride = 1, dilation = 1;
  Padding padding = Padding::kValid;
  Activation act = Activation::kNone;
  int64_t x_zp = 0, w_zp = 0, out_zp = 0;
  std::string Describe() const {
    static const char* ops[] = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"};
    static const char* kinds[] = {"uint8", "int8/per-channel", "int8/per-tensor"};
    std::ostringstream s;
    s << ops[static_cast<int>(op)] << " " << kinds[static_cast<int>(kind)] << " in " << batch << "x"
      << h << "x" << w << "x" << c << " out_c " << out_c << " k " << kh << "x" << kw << " stride "
      << stride << " dilation " << dilation << (padding == Padding::kSame ? " SAME " : " VALID ")
      << ActivationName(act) << " zp x " << x_zp << " w " << w_zp << " out " << out_zp;
    return s.str();
  }
};

class Random {
 public:
  explicit Random(uint32_t seed) : rng_(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  float Real(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng_); }

 private:
  std::mt19937 rng_;
};

DataType TypeOf(Kind k) { return k == Kind::kUInt8 ? DataType::kUInt8 : DataType::kInt8; }

std::vector<uint8_t> Build(const Case& c, Random& r) {
  ModelBuilder b;
  const DataType type = TypeOf(c.kind);
  const float in_scale = r.Real(0.01f, 0.1f), w_scale = r.Real(0.002f, 0.03f);
  const bool fc = c.op == Op::kFullyConnected, dw = c.op == Op::kDepthwise;
  const Shape in_shape = fc ? Shape{c.batch, c.c} : Shape{c.batch, c.h, c.w, c.c};
  const int32_t in = b.AddTensor({"in", type, in_shape, Q(in_scale, c.x_zp), {}});
  const Shape w_shape = fc   ? Shape{c.out_c, c.c}
                        : dw ? Shape{1, c.kh, c.kw, c.out_c}
                             : Shape{c.out_c, c.kh, c.kw, c.c};
  Quantization wq = Q(w_scale, c.w_zp);
  if (c.kind == Kind::kInt8PerChannel) {
    wq.scale.clear();
    for (int o = 0; o < c.out_c; ++o) wq.scale.push_back(w_scale * r.Real(0.5f, 2.0f));
    wq.zero_point.assign(static_cast<size_t>(c.out_c), 0);
    wq.axis = dw ? 3 : 0;
  }
  std::vector<uint8_t> weights(static_cast<size_t>(NumElements(w_shape)));
  for (auto& v : weights) {
    v = static_cast<uint8_t>(c.kind == Kind::kUInt8 ? r.Int(0, 255) : r.Int(-127, 127));
  }
  const int32_t w = b.AddConstant("w", type, w_shape, weights, wq);
  std::vector<int32_t> bias(static_cast<size_t>(c.out_c));
  for (auto& v : bias) v = r.Int(-5000, 5000);
  Quantization bq = Q(in_scale * w_scale, 0);
  if (wq.per_channel()) {
    bq.scale.clear();
    for (float s : wq.scale) bq.scale.push_back(in_scale * s);
    bq.zero_point.assign(bq.scale.size(), 0);
  }
  const int32_t bias_t = b.AddConstant("bias", DataType::kInt32, {c.out_c}, bias, bq);
  const int fan_in = fc ? c.c : c.kh * c.kw * (dw ? 1 : c.c);
  const float out_scale =
      in_scale * w_scale * std::sqrt(static_cast<float>(fan_in)) * r.Real(20.0f, 120.0f);
  Shape out_shape{c.batch, c.out_c};
  if (!fc) {
    out_shape = {c.batch, OutSize(c.padding, c.h, c.kh, c.stride, c.dilation),
                 OutSize(c.padding, c.w, c.kw, c.stride, c.dilation), c.out_c};
  }
  const int32_t out = b.AddTensor({"out", type, out_shape, Q(out_scale, c.out_zp), {}});
  if (fc) {
    b.AddOperator(OpCode::kFullyConnected, {in, w, bias_t}, {out},
                  FullyConnectedOptions{c.act, false});
  } else if (dw) {
    b.AddOperator(
        OpCode::kDepthwiseConv2D, {in, w, bias_t}, {out},
        DepthwiseConv2DOptions{c.padding, c.stride, c.stride, 1, c.dilation, c.dilation, c.act});
  } else {
    b.AddOperator(OpCode::kConv2D, {in, w, bias_t}, {out},
                  Conv2DOptions{c.padding, c.stride, c.stride, c.dilation, c.dilation, c.act});
  }
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Finish();
}

// The kernel sets of this CPU, lowest first.
std::vector<CpuIsa> IsaLevels() {
  std::vector<CpuIsa> levels;
  for (CpuIsa isa : {CpuIsa::kAvx512Vnni, CpuIsa::kAmx}) {
    if (native::DetectedIsa() >= isa) levels.push_back(isa);
  }
  return levels;
}

std::vector<uint8_t> RunEngine(std::shared_ptr<const Model> model, bool own, int threads,
                               uint32_t seed, int* native_nodes) {
  CpuEngineOptions options;
  options.threads = threads;
  options.use_xnnpack = own;
  options.native_kernels = own;
  auto engine = CpuEngine::Create(std::move(model), options);
  EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().message);
  if (!engine.ok()) return {};
  FillRandomInputs(**engine, seed);
  Status s = (*engine)->Invoke();
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  if (native_nodes) *native_nodes = (*engine)->native_node_count();
  TensorView o = (*engine)->output(0);
  auto* p = static_cast<const uint8_t*>(o.data);
  return {p, p + o.num_elements()};
}

class NativeConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    if (IsaLevels().empty()) GTEST_SKIP() << "this CPU has no AVX-512 VNNI: no own kernels run";
  }
  void TearDown() override {
    native::SetIsaLimit(std::nullopt);
    native::SplitEveryNode(false);
  }

  // Runs the case on every kernel set and thread count and compares with the reference.
  void Check(const Case& c, uint32_t seed) {
    Random r(seed);
    auto model = Model::FromBytes(Build(c, r), "generated.tflite");
    ASSERT_TRUE(model.ok()) << model.error().message << "\n" << c.Describe();
    const std::vector<uint8_t> expected = RunEngine(*model, false, 1, seed, nullptr);
    for (CpuIsa isa : IsaLevels()) {
      native::SetIsaLimit(isa);
      for (int threads : {1, 2}) {
        // Two threads split even these small nodes (the engine would run them on one).
        native::SplitEveryNode(threads > 1);
        int nodes = 0;
        const std::vector<uint8_t> got = RunEngine(*model, true, threads, seed, &nodes);
        ASSERT_EQ(nodes, 1) << "no own kernel took " << c.Describe();
        size_t differing = 0;
        for (size_t i = 0; i < got.size() && got.size() == expected.size(); ++i)
          differing += got[i] != expected[i];
        ASSERT_EQ(got.size(), expected.size());
        EXPECT_EQ(differing, 0u) << differing << " of " << got.size() << " outputs differ on "
                                 << native::CpuIsaName(isa) << ", " << threads
                                 << " threads: " << c.Describe();
      }
    }
  }

  // A random case of `op` and `kind`; `large` picks channel counts across the kernels' blocks.
  static Case RandomCase(Op op, Kind kind, Random& r, bool large) {
    Case c;
    c.op = op;
    c.kind = kind;
    c.batch = r.Int(1, 2);
    c.h = r.Int(1, large ? 9 : 14);
    c.w = r.Int(1, large ? 9 : 14);
    c.c = large ? r.Int(1, 150) : r.Int(1, 9);
    c.out_c = op == Op::kDepthwise ? c.c : (large ? r.Int(1, 150) : r.Int(1, 20));
    c.kh = r.Int(1, 3);
    c.kw = r.Int(1, 3);
    if (op == Op::kFullyConnected) c.kh = c.kw = 1;
    c.stride = r.Int(1, 2);
    c.dilation = r.Int(1, 2);
    c.padding = r.Int(0, 1) ? Padding::kSame : Padding::kValid;
    const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6,
                               Activation::kReluN1To1};
    c.act = acts[r.Int(0, 3)];
    const bool u8 = kind == Kind::kUInt8;
    // Zero points: random, with the extremes often (w_zp 0 is Q = 128 for uint8 weights).
    auto zp = [&](bool unsigned_type) -> int64_t {
      const int lo = unsigned_type ? 0 : -128, hi = unsigned_type ? 255 : 127;
      const int pick = r.Int(0, 3);
      return pick == 0 ? lo : pick == 1 ? hi : r.Int(lo, hi);
    };
    c.x_zp = zp(u8);
    c.out_zp = zp(u8);
    c.w_zp = kind == Kind::kInt8PerChannel ? 0 : zp(u8);
    return c;
  }

  void RandomCases(Op op, Kind kind, uint32_t seed, int count) {
    Random r(seed);
    for (int i = 0; i < count; ++i) {
      Case c = RandomCase(op, kind, r, i % 2 == 1);
      if (op != Op::kFullyConnected && (OutSize(c.padding, c.h, c.kh, c.stride, c.dilation) < 1 ||
                                        OutSize(c.padding, c.w, c.kw, c.stride, c.dilation) < 1))
        continue;
      Check(c, seed * 1000 + static_cast<uint32_t>(i));
      if (HasFatalFailure()) return;
    }
  }
};

TEST_F(NativeConformance, ConvUInt8) { RandomCases(Op::kConv, Kind::kUInt8, 11, 40); }
TEST_F(NativeConformance, ConvInt8PerChannel) {
  RandomCases(Op::kConv, Kind::kInt8PerChannel, 12, 40);
}
TEST_F(NativeConformance, ConvInt8PerTensor) {
  RandomCases(Op::kConv, Kind::kInt8PerTensor, 13, 30);
}
TEST_F(NativeConformance, DepthwiseUInt8) { RandomCases(Op::kDepthwise, Kind::kUInt8, 21, 40); }
TEST_F(NativeConformance, DepthwiseInt8PerChannel) {
  RandomCases(Op::kDepthwise, Kind::kInt8PerChannel, 22, 40);
}
TEST_F(NativeConformance, DepthwiseInt8PerTensor) {
  RandomCases(Op::kDepthwise, Kind::kInt8PerTensor, 23, 30);
}
TEST_F(NativeConformance, FullyConnectedUInt8) {
  RandomCases(Op::kFullyConnected, Kind::kUInt8, 31, 30);
}
TEST_F(NativeConformance, FullyConnectedInt8PerChannel) {
  RandomCases(Op::kFullyConnected, Kind::kInt8PerChannel, 32, 30);
}

// Depthwise over at most 32 channels packs pixels into one vector, in slots of 8, 16 or 32
// bytes; when the channels fill the slots, groups whose taps lie at one stride apart are
// loaded whole. Channel counts that fill their slots and ones that do not, widths that are
// not multiples of the group (groups across output rows, a short last group), padding on
// both sides, strides 1 to 3, dilation, batches of 2, and every zero-point case of the random
// tests.
TEST_F(NativeConformance, DepthwisePackedPixels) {
  Random r(51);
  int checked = 0;
  for (int channels : {8, 16, 32, 1, 5, 7, 9, 12, 15, 17, 24, 31}) {
    for (int i = 0; i < 12; ++i) {
      Case c = RandomCase(Op::kDepthwise, i % 3 == 0 ? Kind::kUInt8 : Kind::kInt8PerChannel, r,
                          false);
      if (i % 3 == 2) c.kind = Kind::kInt8PerTensor;
      if (c.kind == Kind::kInt8PerTensor) c.w_zp = r.Int(-128, 127);
      c.c = c.out_c = channels;
      c.h = r.Int(3, 20);
      c.w = r.Int(3, 20);
      c.kh = c.kw = i % 4 == 3 ? 5 : 3;
      c.stride = i % 6 == 5 ? 3 : 1 + i % 2;
      c.dilation = i % 5 == 4 ? 2 : 1;
      if (OutSize(c.padding, c.h, c.kh, c.stride, c.dilation) < 1 ||
          OutSize(c.padding, c.w, c.kw, c.stride, c.dilation) < 1)
        continue;
      Check(c, 5100 + static_cast<uint32_t>(channels * 100 + i));
      if (HasFatalFailure()) return;
      ++checked;
    }
  }
  EXPECT_GE(checked, 120);
}

// Convolutions that read their input in place (implicit im2col, qconv.cc): int8 with
// per-channel weights, no dilation, channels a multiple of 4 or not (filter rows padded with
// zero weights); filters 1x2 to 3x3 (and 5x5),
// strides 1 and 2, SAME and VALID, maps large enough for both inner and border pixels, and
// yolov8n's first convolution and its 3x3 stride-2 and stride-1 shapes.
TEST_F(NativeConformance, ConvInt8InPlace) {
  Random r(77);
  for (int i = 0; i < 40; ++i) {
    Case c = RandomCase(Op::kConv, Kind::kInt8PerChannel, r, i % 2 == 1);
    // Channels a multiple of 4 mostly; others (rows padded to 4 bytes with zero weights) now
    // and then.
    c.c = i % 4 == 3 ? r.Int(1, 11) : 4 * r.Int(1, i % 2 == 1 ? 24 : 4);
    c.dilation = 1;
    c.h = r.Int(3, 17);
    c.w = r.Int(3, 17);
    c.kh = r.Int(1, 3);
    c.kw = r.Int(c.kh == 1 ? 2 : 1, 3);
    if (i % 10 == 9) c.kh = c.kw = 5;
    if (OutSize(c.padding, c.h, c.kh, c.stride, 1) < 1 ||
        OutSize(c.padding, c.w, c.kw, c.stride, 1) < 1)
      continue;
    Check(c, 7000 + static_cast<uint32_t>(i));
    if (HasFatalFailure()) return;
  }
  // yolov8n's first convolution: 3 channels (9-byte filter rows), 3x3 stride 2, on its padded
  // input (VALID) and as SAME.
  for (Padding padding : {Padding::kValid, Padding::kSame}) {
    Case first;
    first.kind = Kind::kInt8PerChannel;
    first.h = first.w = 34;
    first.c = 3;
    first.out_c = 16;
    first.kh = first.kw = 3;
    first.stride = 2;
    first.padding = padding;
    first.x_zp = -14;
    first.out_zp = -100;
    Check(first, 90);
  }
  for (int stride : {1, 2}) {
    Case y;
    y.kind = Kind::kInt8PerChannel;
    y.h = y.w = 40;
    y.c = 32;
    y.out_c = 64;
    y.kh = y.kw = 3;
    y.stride = stride;
    y.padding = Padding::kSame;
    y.x_zp = -14;
    y.out_zp = -120;
    Check(y, 80 + static_cast<uint32_t>(stride));
  }
}

// The shapes MobileNet v2 runs, where the kernels' fast paths are: a 1x1 convolution over a
// 28x28x144 map, a 3x3 stride-2 depthwise over 96 channels, the first 3x3 stride-2 convolution
// with 3 input channels, and a 1280 -> 1001 classifier.
TEST_F(NativeConformance, MobileNetShapes) {
  for (Kind kind : {Kind::kUInt8, Kind::kInt8PerChannel}) {
    Case pointwise;
    pointwise.kind = kind;
    pointwise.h = pointwise.w = 28;
    pointwise.c = 144;
    pointwise.out_c = 32;
    pointwise.x_zp = kind == Kind::kUInt8 ? 0 : -128;
    pointwise.w_zp = kind == Kind::kUInt8 ? 140 : 0;
    pointwise.out_zp = kind == Kind::kUInt8 ? 129 : 3;
    Check(pointwise, 41);
    Case depthwise = pointwise;
    depthwise.op = Op::kDepthwise;
    depthwise.h = depthwise.w = 56;
    depthwise.c = depthwise.out_c = 96;
    depthwise.kh = depthwise.kw = 3;
    depthwise.stride = 2;
    depthwise.padding = Padding::kSame;
    depthwise.act = Activation::kRelu6;
    Check(depthwise, 42);
    Case first = pointwise;
    first.h = first.w = 224;
    first.c = 3;
    first.out_c = 32;
    first.kh = first.kw = 3;
    first.stride = 2;
    first.padding = Padding::kSame;
    first.act = Activation::kRelu6;
    first.x_zp = kind == Kind::kUInt8 ? 128 : -1;
    Check(first, 43);
    Case classifier = pointwise;
    classifier.op = Op::kFullyConnected;
    classifier.c = 1280;
    classifier.out_c = 1001;
    Check(classifier, 44);
  }
}

}  // namespace
}  // namespace coralpi::testing

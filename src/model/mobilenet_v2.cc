// Built-in MobileNet v2 1.0 224 uint8; see mobilenet_v2.h.
#include "model/mobilenet_v2.h"

#include <cmath>
#include <string>

#include "model/builder.h"

namespace coralpi {
namespace {

// SplitMix64: a small, fixed pseudo-random sequence (same weights on every machine).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int32_t Uniform(int32_t lo, int32_t hi) {  // inclusive
    return lo + static_cast<int32_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }

 private:
  uint64_t state_;
};

Quantization Q(float scale, int64_t zero_point) { return Quantization{{scale}, {zero_point}, 0}; }

class Net {
 public:
  explicit Net(uint64_t seed) : rng_(seed) {}

  int32_t Activation(const std::string& name, Shape shape, const Quantization& q) {
    return b_.AddTensor({name, DataType::kUInt8, std::move(shape), q, {}});
  }

  // A conv (depthwise when `depthwise`) with random uint8 weights around zero point 128 and
  // scales chosen so that outputs spread over their range instead of saturating.
  int32_t Conv(const std::string& name, int32_t input, const Shape& in_shape,
               const Quantization& in_q, int32_t out_ch, int k, int stride, bool depthwise,
               bool relu6) {
    const int32_t in_ch = in_shape[3];
    const int fan_in = depthwise ? k * k : k * k * in_ch;
    std::vector<uint8_t> w(
        static_cast<size_t>(depthwise ? k * k * out_ch : out_ch * k * k * in_ch));
    for (auto& v : w) v = static_cast<uint8_t>(rng_.Uniform(0, 255));
    const float w_scale = 2.0f / (128.0f * std::sqrt(static_cast<float>(fan_in)));
    std::vector<int32_t> bias(static_cast<size_t>(out_ch));
    for (auto& v : bias) v = rng_.Uniform(-2000, 2000);
    Shape w_shape = depthwise ? Shape{1, k, k, out_ch} : Shape{out_ch, k, k, in_ch};
    int32_t wt = b_.AddConstant(name + "/weights", DataType::kUInt8, w_shape, w, Q(w_scale, 128));
    int32_t bt = b_.AddConstant(name + "/bias", DataType::kInt32, {out_ch}, bias,
                                Q(in_q.scale[0] * w_scale, 0));
    const int32_t out_h = (in_shape[1] + stride - 1) / stride;
    const int32_t out_w = (in_shape[2] + stride - 1) / stride;
    Quantization out_q = relu6 ? Q(6.0f / 255.0f, 0) : Q(0.25f, 128);
    int32_t out = Activation(name, {1, out_h, out_w, out_ch}, out_q);
    auto act = relu6 ? coralpi::Activation::kRelu6 : coralpi::Activation::kNone;
    if (depthwise) {
      DepthwiseConv2DOptions o{Padding::kSame, stride, stride, 1, 1, 1, act};
      b_.AddOperator(OpCode::kDepthwiseConv2D, {input, wt, bt}, {out}, o);
    } else {
      Conv2DOptions o{Padding::kSame, stride, stride, 1, 1, act};
      b_.AddOperator(OpCode::kConv2D, {input, wt, bt}, {out}, o);
    }
    shape_ = {1, out_h, out_w, out_ch};
    quant_ = out_q;
    return out;
  }

  // One inverted-residual block: expand (1x1, unless t == 1), depthwise 3x3, project (1x1),
  // and a residual ADD when the shapes allow it.
  int32_t Block(int index, int32_t input, int t, int32_t out_ch, int stride) {
    const std::string name = "block" + std::to_string(index);
    const Shape in_shape = shape_;
    const Quantization in_q = quant_;
    int32_t x = input;
    if (t != 1) x = Conv(name + "/expand", x, shape_, quant_, in_shape[3] * t, 1, 1, false, true);
    x = Conv(name + "/depthwise", x, shape_, quant_, shape_[3], 3, stride, true, true);
    x = Conv(name + "/project", x, shape_, quant_, out_ch, 1, 1, false, false);
    if (stride == 1 && in_shape[3] == out_ch) {
      Quantization sum_q = Q(0.3f, 128);
      int32_t sum = Activation(name + "/add", shape_, sum_q);
      b_.AddOperator(OpCode::kAdd, {input, x}, {sum}, AddOptions{});
      quant_ = sum_q;
      x = sum;
    }
    (void)in_q;
    return x;
  }

  std::vector<uint8_t> Build() {
    shape_ = {1, 224, 224, 3};
    quant_ = Q(1.0f / 128.0f, 128);
    int32_t input = Activation("input", shape_, quant_);
    int32_t x = Conv("conv0", input, shape_, quant_, 32, 3, 2, false, true);
    struct Stage {
      int t;
      int32_t c;
      int n;
      int s;
    };
    const Stage stages[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                            {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    int block = 0;
    for (const Stage& st : stages) {
      for (int i = 0; i < st.n; ++i) x = Block(block++, x, st.t, st.c, i == 0 ? st.s : 1);
    }
    x = Conv("conv_last", x, shape_, quant_, 1280, 1, 1, false, true);
    int32_t pooled = Activation("avgpool", {1, 1, 1, 1280}, quant_);
    b_.AddOperator(OpCode::kAveragePool2D, {x}, {pooled},
                   Pool2DOptions{Padding::kValid, 1, 1, 7, 7, coralpi::Activation::kNone});
    shape_ = {1, 1, 1, 1280};
    int32_t logits = Conv("logits", pooled, shape_, quant_, 1001, 1, 1, false, false);
    int32_t new_shape =
        b_.AddConstant("reshape/shape", DataType::kInt32, {2}, std::vector<int32_t>{1, 1001});
    int32_t flat = Activation("reshape", {1, 1001}, quant_);
    b_.AddOperator(OpCode::kReshape, {logits, new_shape}, {flat}, ReshapeOptions{{1, 1001}});
    int32_t probs = Activation("softmax", {1, 1001}, Q(1.0f / 256.0f, 0));
    b_.AddOperator(OpCode::kSoftmax, {flat}, {probs}, SoftmaxOptions{1.0f});
    b_.SetInputs({input});
    b_.SetOutputs({probs});
    b_.SetDescription("coralpi built-in MobileNet v2 1.0 224 uint8 (deterministic weights)");
    return b_.Finish();
  }

 private:
  ModelBuilder b_;
  Rng rng_;
  Shape shape_;
  Quantization quant_;
};

}  // namespace

std::vector<uint8_t> BuildMobileNetV2Uint8(uint64_t seed) { return Net(seed).Build(); }

}  // namespace coralpi

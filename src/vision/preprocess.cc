// Image -> input tensor; see preprocess.h.
#include "vision/preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace coralpi {
namespace {

template <typename T>
void Quantize(const Image& img, const TensorView& input, const Normalization& n) {
  float scale = input.quant->scale[0];
  int32_t zp = static_cast<int32_t>(input.quant->zero_point[0]);
  constexpr int32_t lo = std::is_same_v<T, uint8_t> ? 0 : -128;
  constexpr int32_t hi = std::is_same_v<T, uint8_t> ? 255 : 127;
  int32_t table[256];
  for (int p = 0; p < 256; ++p) {
    float real = (static_cast<float>(p) - n.mean) / n.std;
    table[p] = std::clamp(static_cast<int32_t>(std::lround(real / scale)) + zp, lo, hi);
  }
  T* out = input.as<T>();
  for (size_t i = 0; i < img.rgb.size(); ++i) out[i] = static_cast<T>(table[img.rgb[i]]);
}

}  // namespace

DecodeOptions DecodeOptionsFor(const TensorView& input) {
  DecodeOptions opt;
  if (input.shape.size() == 4) {
    opt.raw_width = opt.min_width = input.shape[2];
    opt.raw_height = opt.min_height = input.shape[1];
  }
  return opt;
}

Status CheckImageInput(const TensorView& input) {
  if (input.shape.size() != 4 || input.shape[0] != 1 || input.shape[3] != 3) {
    return Error{"the model's input " + ShapeToString(input.shape) +
                 " is not an image tensor [1, height, width, 3]"};
  }
  if (input.type != DataType::kUInt8 && input.type != DataType::kInt8 &&
      input.type != DataType::kFloat32) {
    return Error{std::string("the model's input is ") + DataTypeName(input.type) +
                 "; images go into uint8, int8 or float32 inputs"};
  }
  if (input.type != DataType::kFloat32 && (!input.quant || input.quant->empty())) {
    return Error{"the model's quantized input has no quantization parameters"};
  }
  return OkStatus();
}

Status FillImageInput(const Image& image, const TensorView& input, const PreprocessOptions& opt) {
  CORALPI_RETURN_IF_ERROR(CheckImageInput(input));
  const int h = input.shape[1];
  const int w = input.shape[2];
  Image resized;
  if (image.width == w && image.height == h) {
    resized = image;
  } else {
    CORALPI_ASSIGN_OR_RETURN(resized, Resize(image, w, h, opt.resize));
  }
  if (input.type == DataType::kFloat32) {
    Normalization n = opt.normalization.value_or(Normalization{});
    float* out = input.as<float>();
    for (size_t i = 0; i < resized.rgb.size(); ++i) out[i] = (resized.rgb[i] - n.mean) / n.std;
  } else if (opt.normalization) {
    if (input.type == DataType::kUInt8)
      Quantize<uint8_t>(resized, input, *opt.normalization);
    else
      Quantize<int8_t>(resized, input, *opt.normalization);
  } else if (input.type == DataType::kUInt8) {
    std::memcpy(input.data, resized.rgb.data(), resized.rgb.size());
  } else {
    int8_t* out = input.as<int8_t>();
    for (size_t i = 0; i < resized.rgb.size(); ++i)
      out[i] = static_cast<int8_t>(resized.rgb[i] ^ 0x80);
  }
  return OkStatus();
}

}  // namespace coralpi

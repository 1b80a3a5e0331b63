// Image -> input tensor; see preprocess.h.
#include "vision/preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace coralpi {
namespace {

bool HasQuantization(const TensorView& t) { return t.quant && !t.quant->empty(); }

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

// Writes the real value 0 into every pixel of `input` outside `keep`.
template <typename T>
void PadOutside(const TensorView& input, const Rect& keep, T value) {
  const int h = input.shape[1];
  const int w = input.shape[2];
  T* out = input.as<T>();
  for (int y = 0; y < h; ++y) {
    bool row_inside = y >= keep.y && y < keep.y + keep.height;
    for (int x = 0; x < w; ++x) {
      if (row_inside && x >= keep.x && x < keep.x + keep.width) continue;
      T* p = out + (static_cast<size_t>(y) * w + x) * 3;
      p[0] = p[1] = p[2] = value;
    }
  }
}

void PadLetterbox(const TensorView& input, const Rect& keep) {
  if (input.type == DataType::kFloat32) return PadOutside<float>(input, keep, 0.0f);
  int32_t zp = HasQuantization(input) ? input.zero_point() : 0;
  if (input.type == DataType::kUInt8) {
    PadOutside<uint8_t>(input, keep, static_cast<uint8_t>(std::clamp(zp, 0, 255)));
  } else {
    PadOutside<int8_t>(input, keep, static_cast<int8_t>(std::clamp(zp, -128, 127)));
  }
}

}  // namespace

std::string ToString(const InputTransform& t) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "InputTransform{image %dx%d, input %dx%d, scale %.6g x %.6g, offset %.6g, %.6g}",
                t.image_width, t.image_height, t.input_width, t.input_height, t.scale_x, t.scale_y,
                t.offset_x, t.offset_y);
  return buf;
}

BoundingBox InputToImageBox(const BoundingBox& b, const InputTransform& t) {
  auto clamp = [](float v, int hi) { return std::clamp(v, 0.0f, static_cast<float>(hi)); };
  float x0 = t.ImageX(b.xmin), x1 = t.ImageX(b.xmax);
  float y0 = t.ImageY(b.ymin), y1 = t.ImageY(b.ymax);
  return {clamp(std::min(x0, x1), t.image_width), clamp(std::min(y0, y1), t.image_height),
          clamp(std::max(x0, x1), t.image_width), clamp(std::max(y0, y1), t.image_height)};
}

InputTransform MakeInputTransform(int image_w, int image_h, int input_w, int input_h,
                                  ResizeMode mode) {
  InputTransform t{image_w, image_h, input_w, input_h};
  if (image_w <= 0 || image_h <= 0 || (image_w == input_w && image_h == input_h)) return t;
  Placement p = PlaceImage(image_w, image_h, input_w, input_h, mode);
  t.scale_x = static_cast<double>(p.target.width) / p.source.width;
  t.scale_y = static_cast<double>(p.target.height) / p.source.height;
  t.offset_x = p.target.x - p.source.x * t.scale_x;
  t.offset_y = p.target.y - p.source.y * t.scale_y;
  return t;
}

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
  // A uint8 input without quantization takes raw pixels (MoveNet casts them itself).
  if (input.type == DataType::kInt8 && !HasQuantization(input)) {
    return Error{"the model's int8 input has no quantization parameters"};
  }
  return OkStatus();
}

PreprocessOptions UltralyticsPreprocess() {
  PreprocessOptions opt;
  opt.resize = ResizeMode::kLetterbox;
  opt.normalization = Normalization{0.0f, 255.0f};
  opt.pad_pixel = 114;
  return opt;
}

Result<FittedImage> FitImage(const Image& image, int width, int height,
                             const PreprocessOptions& opt) {
  FittedImage fitted;
  fitted.transform = MakeInputTransform(image.width, image.height, width, height, opt.resize);
  if (image.width == width && image.height == height) {
    fitted.image = image;
  } else {
    CORALPI_ASSIGN_OR_RETURN(fitted.image,
                             Resize(image, width, height, opt.resize, opt.pad_pixel.value_or(0)));
  }
  return fitted;
}

namespace {

// Writes an image of the input's size into it, in the input's element type.
Status WritePixels(const Image& resized, const TensorView& input, const PreprocessOptions& opt) {
  if (input.type == DataType::kFloat32) {
    Normalization n = opt.normalization.value_or(Normalization{});
    float* out = input.as<float>();
    for (size_t i = 0; i < resized.rgb.size(); ++i) out[i] = (resized.rgb[i] - n.mean) / n.std;
  } else if (opt.normalization) {
    if (!HasQuantization(input)) {
      return Error{"a normalization needs the input's quantization parameters, and it has none"};
    }
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

}  // namespace

Status FillImageInput(const Image& image, const TensorView& input, const PreprocessOptions& opt) {
  CORALPI_RETURN_IF_ERROR(CheckImageInput(input));
  const int h = input.shape[1];
  const int w = input.shape[2];
  CORALPI_ASSIGN_OR_RETURN(FittedImage fitted, FitImage(image, w, h, opt));
  CORALPI_RETURN_IF_ERROR(WritePixels(fitted.image, input, opt));
  if (opt.resize == ResizeMode::kLetterbox && !opt.pad_pixel && (image.width != w || image.height != h)) {
    PadLetterbox(input, PlaceImage(image.width, image.height, w, h, opt.resize).target);
  }
  return OkStatus();
}

Result<InputTransform> FillImageInputMapped(const Image& image, const TensorView& input,
                                            const PreprocessOptions& opt) {
  CORALPI_RETURN_IF_ERROR(FillImageInput(image, input, opt));
  return MakeInputTransform(image.width, image.height, input.shape[2], input.shape[1], opt.resize);
}

}  // namespace coralpi

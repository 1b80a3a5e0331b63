// Turning an image into a model's input tensor: resize to the input's height and width, then
// write the pixels in the tensor's element type.
//
// Quantized inputs follow the convention of TFLite's and Coral's image models: the input's own
// scale and zero point encode the normalization, so a uint8 input receives the pixel values
// as they are and an int8 input receives pixel - 128. A uint8 input without quantization
// parameters takes the pixels as they are too (models that convert them themselves). When a
// normalization is given (mean, std), the real value (pixel - mean) / std is quantized with the
// tensor's scale and zero point instead. Float inputs always use (pixel - mean) / std (default
// 127.5, 127.5: [-1, 1]).
//
// Letterbox padding is the input's real value 0 unless a pad pixel is given: the zero point of a quantized input, 0.0 of a
// float one. For the usual [-1, 1] inputs (scale 1/128 or 1/127.5, zero point 128) that is
// mid-grey, the mean the model was trained around; for [0, 1] or [0, 255] inputs (zero point 0)
// it is black. Either way the pad carries no signal, as a convolution's own zero padding.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "image/image.h"
#include "image/resize.h"
#include "vision/detection.h"

namespace coralpi {

struct Normalization {
  float mean = 127.5f;
  float std = 127.5f;
};

struct PreprocessOptions {
  ResizeMode resize = ResizeMode::kStretch;
  std::optional<Normalization> normalization;  // unset: the convention above
  // Letterbox padding as this pixel value in every channel, encoded as the image's pixels are;
  // unset: the input's real value 0.
  std::optional<uint8_t> pad_pixel;
};

// Ultralytics' preprocessing, which its YOLO models are trained with: letterbox onto gray 114,
// real value = pixel / 255 (quantized with the input's own scale and zero point).
PreprocessOptions UltralyticsPreprocess();

// Where an image landed in a model's input, to map what the model says back to the image.
// Coordinates are continuous pixel coordinates: pixel x covers [x, x + 1), so an image w
// pixels wide spans [0, w]. input = image * scale + offset, per axis.
struct InputTransform {
  int image_width = 0;
  int image_height = 0;
  int input_width = 0;
  int input_height = 0;
  double scale_x = 1.0;
  double scale_y = 1.0;
  double offset_x = 0.0;
  double offset_y = 0.0;

  float ImageX(float input_x) const { return static_cast<float>((input_x - offset_x) / scale_x); }
  float ImageY(float input_y) const { return static_cast<float>((input_y - offset_y) / scale_y); }
  float InputX(float image_x) const { return static_cast<float>(image_x * scale_x + offset_x); }
  float InputY(float image_y) const { return static_cast<float>(image_y * scale_y + offset_y); }
  // Coordinates normalized to the model's input (0..1) -> image pixels.
  float NormalizedToImageX(float nx) const { return ImageX(nx * static_cast<float>(input_width)); }
  float NormalizedToImageY(float ny) const { return ImageY(ny * static_cast<float>(input_height)); }
  bool operator==(const InputTransform&) const = default;
};
std::string ToString(const InputTransform& t);

// A box in input pixels -> image pixels, clamped to the image (a box that lay in the letterbox
// padding is left with no area).
BoundingBox InputToImageBox(const BoundingBox& input_box, const InputTransform& t);

// The transform FillImageInput applies to an image_w x image_h image for an input_w x input_h
// input under `mode`.
InputTransform MakeInputTransform(int image_w, int image_h, int input_w, int input_h,
                                  ResizeMode mode);

// How to decode an image for `input`: raw .rgb files take the input's size, and JPEGs may be
// decoded at a reduced DCT scale that still covers it.
DecodeOptions DecodeOptionsFor(const TensorView& input);

// Checks that `input` is an image tensor: [1, H, W, 3] of uint8, int8 or float32.
Status CheckImageInput(const TensorView& input);

// Resizes `image` to the input's size and writes it into `input`.
Status FillImageInput(const Image& image, const TensorView& input,
                      const PreprocessOptions& opt = {});

// An image resized (and padded) to a width x height input, with the transform from the original.
struct FittedImage {
  Image image;
  InputTransform transform;
};
// The resizing step of FillImageInput alone (the video path runs it in the capture thread):
// padding with opt.pad_pixel, or black (FillImageInput then writes the real value 0 over it).
Result<FittedImage> FitImage(const Image& image, int width, int height,
                             const PreprocessOptions& opt);

// FillImageInput, then the transform it applied (for `image` and `input`'s sizes).
Result<InputTransform> FillImageInputMapped(const Image& image, const TensorView& input,
                                            const PreprocessOptions& opt = {});

}  // namespace coralpi

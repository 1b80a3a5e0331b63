// Turning an image into a model's input tensor: resize to the input's height and width, then
// write the pixels in the tensor's element type.
//
// Quantized inputs follow the convention of TFLite's and Coral's image models: the input's own
// scale and zero point encode the normalization, so a uint8 input receives the pixel values
// as they are and an int8 input receives pixel - 128. When a normalization is given
// (mean, std), the real value (pixel - mean) / std is quantized with the tensor's scale and zero
// point instead. Float inputs always use (pixel - mean) / std (default 127.5, 127.5: [-1, 1]).
#pragma once

#include <optional>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "image/image.h"
#include "image/resize.h"

namespace coralpi {

struct Normalization {
  float mean = 127.5f;
  float std = 127.5f;
};

struct PreprocessOptions {
  ResizeMode resize = ResizeMode::kStretch;
  std::optional<Normalization> normalization;  // unset: the convention above
};

// How to decode an image for `input`: raw .rgb files take the input's size, and JPEGs may be
// decoded at a reduced DCT scale that still covers it.
DecodeOptions DecodeOptionsFor(const TensorView& input);

// Checks that `input` is an image tensor: [1, H, W, 3] of uint8, int8 or float32.
Status CheckImageInput(const TensorView& input);

// Resizes `image` to the input's size and writes it into `input`.
Status FillImageInput(const Image& image, const TensorView& input,
                      const PreprocessOptions& opt = {});

}  // namespace coralpi

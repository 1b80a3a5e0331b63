// Bilinear resizing; see resize.h for the sampling convention.
//
// Separable: each needed source row is interpolated horizontally once into a 16-bit buffer
// (values scaled by 256), then each output row blends two such buffers vertically. Column
// indices and weights are precomputed, so the inner loops have no divisions.
#include "image/resize.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace coralpi {
namespace {

constexpr int kBits = 8;
constexpr int kOne = 1 << kBits;

// For each output position: the first of the two source positions (within the region) and the
// weight of the second, in 1/256ths.
struct Taps {
  std::vector<int> first;
  std::vector<int> weight;
};

Taps ComputeTaps(int in_size, int out_size) {
  Taps taps;
  taps.first.resize(out_size);
  taps.weight.resize(out_size);
  const double scale = static_cast<double>(in_size) / out_size;
  for (int i = 0; i < out_size; ++i) {
    double src = (i + 0.5) * scale - 0.5;
    src = std::clamp(src, 0.0, static_cast<double>(in_size - 1));
    int lo = std::min(static_cast<int>(src), in_size - 2);  // in_size >= 2
    int w = static_cast<int>(std::lround((src - lo) * kOne));
    taps.first[i] = lo;
    taps.weight[i] = std::clamp(w, 0, kOne);
  }
  return taps;
}

// Interpolates one source row horizontally: out[3*x + c] = 256 * value.
void HorizontalPass(const uint8_t* row, const Taps& taps, uint16_t* out) {
  const int n = static_cast<int>(taps.first.size());
  for (int x = 0; x < n; ++x) {
    const uint8_t* p = row + 3 * taps.first[x];
    const int w1 = taps.weight[x];
    const int w0 = kOne - w1;
    out[3 * x] = static_cast<uint16_t>(p[0] * w0 + p[3] * w1);
    out[3 * x + 1] = static_cast<uint16_t>(p[1] * w0 + p[4] * w1);
    out[3 * x + 2] = static_cast<uint16_t>(p[2] * w0 + p[5] * w1);
  }
}

Image ResizeRegion(const Image& in, const Rect& r, int out_w, int out_h) {
  Image out;
  out.width = out_w;
  out.height = out_h;
  out.rgb.resize(static_cast<size_t>(out_w) * out_h * 3);
  const Taps xs = ComputeTaps(r.width, out_w);
  const Taps ys = ComputeTaps(r.height, out_h);
  const size_t in_stride = static_cast<size_t>(in.width) * 3;
  const size_t row_len = static_cast<size_t>(out_w) * 3;
  auto source_row = [&](int y) {
    return in.rgb.data() + static_cast<size_t>(r.y + y) * in_stride + static_cast<size_t>(r.x) * 3;
  };
  // Two horizontally interpolated rows, for source rows `top_y` and `top_y + 1`.
  std::vector<uint16_t> top(row_len), bottom(row_len);
  int top_y = -2;
  for (int y = 0; y < out_h; ++y) {
    const int y0 = ys.first[y];
    if (y0 != top_y) {
      if (y0 == top_y + 1) {
        std::swap(top, bottom);
      } else {
        HorizontalPass(source_row(y0), xs, top.data());
      }
      HorizontalPass(source_row(y0 + 1), xs, bottom.data());
      top_y = y0;
    }
    const uint32_t w1 = static_cast<uint32_t>(ys.weight[y]);
    const uint32_t w0 = kOne - w1;
    uint8_t* dst = out.rgb.data() + static_cast<size_t>(y) * row_len;
    constexpr uint32_t kRound = 1u << (2 * kBits - 1);
    for (size_t i = 0; i < row_len; ++i) {
      dst[i] = static_cast<uint8_t>((top[i] * w0 + bottom[i] * w1 + kRound) >> (2 * kBits));
    }
  }
  return out;
}

// The largest centred rectangle of an in_w x in_h image with the aspect ratio out_w : out_h.
Rect CenterCrop(int in_w, int in_h, int out_w, int out_h) {
  Rect r{0, 0, in_w, in_h};
  const int64_t lhs = static_cast<int64_t>(in_w) * out_h;
  const int64_t rhs = static_cast<int64_t>(in_h) * out_w;
  if (lhs > rhs) {  // wider than the target: keep the middle columns
    int64_t w = (static_cast<int64_t>(in_h) * out_w + out_h / 2) / out_h;
    r.width = static_cast<int>(std::clamp<int64_t>(w, std::min(2, in_w), in_w));
    r.x = (in_w - r.width) / 2;
  } else if (lhs < rhs) {  // taller: keep the middle rows
    int64_t h = (static_cast<int64_t>(in_w) * out_h + out_w / 2) / out_w;
    r.height = static_cast<int>(std::clamp<int64_t>(h, std::min(2, in_h), in_h));
    r.y = (in_h - r.height) / 2;
  }
  return r;
}

// The largest centred rectangle of the out_w x out_h target with the aspect ratio in_w : in_h.
Rect Fit(int in_w, int in_h, int out_w, int out_h) {
  Rect r{0, 0, out_w, out_h};
  const int64_t lhs = static_cast<int64_t>(in_w) * out_h;
  const int64_t rhs = static_cast<int64_t>(in_h) * out_w;
  if (lhs > rhs) {  // wider than the target: full width, bands above and below
    int64_t h = (static_cast<int64_t>(in_h) * out_w + in_w / 2) / in_w;
    r.height = static_cast<int>(std::clamp<int64_t>(h, 1, out_h));
    r.y = (out_h - r.height) / 2;
  } else if (lhs < rhs) {  // taller: full height, bands left and right
    int64_t w = (static_cast<int64_t>(in_w) * out_h + in_h / 2) / in_h;
    r.width = static_cast<int>(std::clamp<int64_t>(w, 1, out_w));
    r.x = (out_w - r.width) / 2;
  }
  return r;
}

}  // namespace

Placement PlaceImage(int in_w, int in_h, int out_w, int out_h, ResizeMode mode) {
  Placement p{{0, 0, in_w, in_h}, {0, 0, out_w, out_h}};
  if (in_w <= 0 || in_h <= 0 || out_w <= 0 || out_h <= 0) return p;
  if (mode == ResizeMode::kCenterCrop) p.source = CenterCrop(in_w, in_h, out_w, out_h);
  if (mode == ResizeMode::kLetterbox) p.target = Fit(in_w, in_h, out_w, out_h);
  return p;
}

Result<Image> Resize(const Image& in, int out_w, int out_h, ResizeMode mode, uint8_t pad) {
  if (in.width < 2 || in.height < 2) {  // an image too small to give a model: a bad argument
    return MakeError(ErrorKind::kBadArgument, "",
                     "image is " + std::to_string(in.width) + "x" + std::to_string(in.height) +
                         " pixels; at least 2x2 is needed");
  }
  if (in.rgb.size() != static_cast<size_t>(in.width) * in.height * 3) {
    return MakeError(ErrorKind::kBadArgument, "",
                     "image of " + std::to_string(in.width) + "x" + std::to_string(in.height) +
                         " pixels holds " + std::to_string(in.rgb.size()) +
                         " bytes, not width*height*3");
  }
  constexpr int64_t kMaxOutputPixels = 100'000'000;
  if (out_w <= 0 || out_h <= 0 || static_cast<int64_t>(out_w) * out_h > kMaxOutputPixels) {
    return MakeError(
        "", "cannot resize to " + std::to_string(out_w) + "x" + std::to_string(out_h) + " pixels");
  }
  const Placement p = PlaceImage(in.width, in.height, out_w, out_h, mode);
  if (p.target == Rect{0, 0, out_w, out_h}) {
    if (p.source == Rect{0, 0, in.width, in.height} && out_w == in.width && out_h == in.height) {
      return in;
    }
    return ResizeRegion(in, p.source, out_w, out_h);
  }
  Image fitted = ResizeRegion(in, p.source, p.target.width, p.target.height);
  Image out{out_w, out_h, std::vector<uint8_t>(static_cast<size_t>(out_w) * out_h * 3, pad)};
  const size_t row = static_cast<size_t>(fitted.width) * 3;
  for (int y = 0; y < fitted.height; ++y) {
    std::copy_n(fitted.rgb.data() + y * row, row,
                out.rgb.data() + (static_cast<size_t>(p.target.y + y) * out_w + p.target.x) * 3);
  }
  return out;
}

}  // namespace coralpi

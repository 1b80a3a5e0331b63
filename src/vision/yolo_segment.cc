// Instance masks from YOLO mask coefficients and prototypes; see yolo_segment.h.
#include "vision/yolo_segment.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace coralpi {
namespace {

// The prototypes as floats, [ph, pw, m] (dequantized once).
struct Protos {
  int height = 0, width = 0, count = 0;
  std::vector<float> values;
  const float* At(int y, int x) const {
    return &values[(static_cast<size_t>(y) * width + x) * count];
  }
};

std::string ProtoError(const TensorView& p, const std::string& want) {
  return "YOLO mask prototypes: shape " + ShapeToString(p.shape) + ", " + DataTypeName(p.type) +
         ": expected " + want;
}

Result<Protos> ReadProtos(const TensorView& p) {
  const Shape& s = p.shape;
  if (s.size() != 4 || s[0] != 1 || s[1] < 1 || s[2] < 1 || s[3] < 1)
    return Error{ProtoError(p, "[1, H, W, M]")};
  Protos out{s[1], s[2], s[3], {}};
  const size_t n = static_cast<size_t>(NumElements(s));
  out.values.resize(n);
  if (p.type == DataType::kFloat32) {
    std::copy_n(p.as<const float>(), n, out.values.begin());
    return out;
  }
  if ((p.type != DataType::kUInt8 && p.type != DataType::kInt8) || !p.quant || p.quant->empty() ||
      p.quant->per_channel() || p.quant->zero_point.empty()) {
    return Error{ProtoError(p, "float32, or uint8 / int8 with one scale and zero point")};
  }
  const float scale = p.scale();
  const int32_t zp = p.zero_point();
  for (size_t i = 0; i < n; ++i) {
    int32_t q = p.type == DataType::kUInt8 ? p.as<const uint8_t>()[i] : p.as<const int8_t>()[i];
    out.values[i] = scale * static_cast<float>(q - zp);
  }
  return out;
}

float Dot(const std::vector<float>& coeffs, const float* proto) {
  float sum = 0.0f;
  for (size_t k = 0; k < coeffs.size(); ++k) sum += coeffs[k] * proto[k];
  return sum;
}

// Logits of the prototype cells, computed only where the box's samples can reach (one cell
// around the box's extent); the rest stay 0 and are never read.
std::vector<float> BoxLogits(const Protos& p, const std::vector<float>& coeffs,
                             const BoundingBox& box, const YoloOptions& opt) {
  std::vector<float> logits(static_cast<size_t>(p.height) * p.width, 0.0f);
  const float fx = static_cast<float>(p.width) / static_cast<float>(opt.input_width);
  const float fy = static_cast<float>(p.height) / static_cast<float>(opt.input_height);
  auto lo = [](float v, int n) {
    return std::clamp(static_cast<int>(std::floor(v)) - 1, 0, n - 1);
  };
  auto hi = [](float v, int n) { return std::clamp(static_cast<int>(std::ceil(v)) + 1, 0, n - 1); };
  const int x0 = lo(box.xmin * fx, p.width), x1 = hi(box.xmax * fx, p.width);
  const int y0 = lo(box.ymin * fy, p.height), y1 = hi(box.ymax * fy, p.height);
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x)
      logits[static_cast<size_t>(y) * p.width + x] = Dot(coeffs, p.At(y, x));
  }
  return logits;
}

// Source position of output pixel i out of n over a grid of `cells`: half-pixel centres, clamped.
void Sample(int i, int n, int cells, int& a, int& b, float& t) {
  float f =
      (static_cast<float>(i) + 0.5f) * static_cast<float>(cells) / static_cast<float>(n) - 0.5f;
  f = std::clamp(f, 0.0f, static_cast<float>(cells - 1));
  a = static_cast<int>(f);
  b = std::min(a + 1, cells - 1);
  t = f - static_cast<float>(a);
}

InstanceMask DrawMask(const Protos& p, const std::vector<float>& logits, const BoundingBox& box,
                      const YoloOptions& opt, int mw, int mh) {
  InstanceMask m{mw, mh, std::vector<uint8_t>(static_cast<size_t>(mw) * mh, 0)};
  const float sx = static_cast<float>(opt.input_width) / static_cast<float>(mw);
  const float sy = static_cast<float>(opt.input_height) / static_cast<float>(mh);
  auto L = [&](int y, int x) { return logits[static_cast<size_t>(y) * p.width + x]; };
  for (int y = 0; y < mh; ++y) {
    const float cy = (static_cast<float>(y) + 0.5f) * sy;
    if (cy < box.ymin || cy >= box.ymax) continue;
    int ya = 0, yb = 0;
    float ty = 0.0f;
    Sample(y, mh, p.height, ya, yb, ty);
    for (int x = 0; x < mw; ++x) {
      const float cx = (static_cast<float>(x) + 0.5f) * sx;
      if (cx < box.xmin || cx >= box.xmax) continue;
      int xa = 0, xb = 0;
      float tx = 0.0f;
      Sample(x, mw, p.width, xa, xb, tx);
      float top = L(ya, xa) + (L(ya, xb) - L(ya, xa)) * tx;
      float bottom = L(yb, xa) + (L(yb, xb) - L(yb, xa)) * tx;
      if (top + (bottom - top) * ty > 0.0f) m.pixels[static_cast<size_t>(y) * mw + x] = 1;
    }
  }
  return m;
}

}  // namespace

Result<std::vector<InstanceSegment>> DecodeYoloSegmentation(const TensorView& output,
                                                            const TensorView& protos,
                                                            const YoloOptions& options,
                                                            const NmsOptions& nms, int mask_width,
                                                            int mask_height) {
  CORALPI_ASSIGN_OR_RETURN(Protos p, ReadProtos(protos));
  const int attrs = output.shape.size() == 3 ? output.shape[1] : 0;
  const int classes = attrs - 4 - p.count;
  if (classes < 1) {
    return Error{"YOLO segmentation output: shape " + ShapeToString(output.shape) +
                 ": expected [1, 4 + C + " + std::to_string(p.count) +
                 ", N] with C >= 1, for prototypes " + ShapeToString(protos.shape)};
  }
  if (options.input_width <= 0 || options.input_height <= 0 || mask_width <= 0 || mask_height <= 0)
    return Error{"YOLO segmentation: the input's size and the mask size must be positive"};
  CORALPI_ASSIGN_OR_RETURN(YoloCandidates c,
                           FindYoloCandidates(output, YoloLayout::kV8, classes, options));
  std::vector<InstanceSegment> out;
  for (size_t i : NonMaxSuppression(c.detections, nms)) {
    std::vector<float> coeffs(static_cast<size_t>(p.count));
    for (int k = 0; k < p.count; ++k)
      coeffs[static_cast<size_t>(k)] =
          YoloValue(output, YoloLayout::kV8, 4 + classes + k, c.anchors[i]);
    const BoundingBox& box = c.detections[i].box;
    InstanceMask mask =
        DrawMask(p, BoxLogits(p, coeffs, box, options), box, options, mask_width, mask_height);
    out.push_back(InstanceSegment{c.detections[i], std::move(mask)});
    out.back().detection.label = YoloLabel(out.back().detection.class_id, options);
  }
  return out;
}

}  // namespace coralpi

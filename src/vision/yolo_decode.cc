// YOLO candidates from raw head outputs, read in their stored type; see yolo_decode.h.
#include "vision/yolo_decode.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

namespace coralpi {
namespace {

const char* LayoutName(YoloLayout l) {
  return l == YoloLayout::kV5 ? "YOLOv5 output" : "YOLOv8 output";
}

// An output as a matrix of anchors x attributes over its stored values.
template <typename T>
struct Matrix {
  const T* data = nullptr;
  int anchors = 0, attrs = 0;
  bool attr_major = true;  // kV8: [attrs, anchors]; kV5: [anchors, attrs]
  float scale = 1.0f;
  int32_t zero_point = 0;

  T Raw(int attr, int anchor) const {
    size_t i = attr_major ? static_cast<size_t>(attr) * anchors + anchor
                          : static_cast<size_t>(anchor) * attrs + attr;
    return data[i];
  }
  float Real(T q) const {
    if constexpr (std::is_same_v<T, float>) return q;
    return scale * static_cast<float>(static_cast<int32_t>(q) - zero_point);
  }
  float Value(int attr, int anchor) const { return Real(Raw(attr, anchor)); }
  // The smallest stored value whose real value is >= t: "v >= Threshold(t)" <=> "Real(v) >= t".
  // 8-bit types: checked value by value; none reaches t: a flag in `none`.
  T Threshold(float t, bool& none) const {
    none = false;
    if constexpr (std::is_same_v<T, float>) {
      return t;
    } else {
      for (int q = std::numeric_limits<T>::min(); q <= std::numeric_limits<T>::max(); ++q) {
        if (Real(static_cast<T>(q)) >= t) return static_cast<T>(q);
      }
      none = true;
      return std::numeric_limits<T>::max();
    }
  }
  float MaxReal() const {
    if constexpr (std::is_same_v<T, float>) return std::numeric_limits<float>::infinity();
    return Real(std::numeric_limits<T>::max());
  }
};

std::string ShapeError(const TensorView& out, YoloLayout l, const char* want) {
  return std::string(LayoutName(l)) + ": shape " + ShapeToString(out.shape) + ", " +
         DataTypeName(out.type) + ": expected " + want;
}

// Checks rank, batch, type and quantization; the number of anchors and attributes.
Status CheckOutput(const TensorView& out, YoloLayout l, int& anchors, int& attrs) {
  const bool v5 = l == YoloLayout::kV5;
  const char* want = v5 ? "[1, N, 5 + C] with C >= 1" : "[1, 4 + C, N] with C >= 1";
  if (out.shape.size() != 3 || out.shape[0] != 1 || out.shape[1] < 1 || out.shape[2] < 1)
    return Error{ShapeError(out, l, want)};
  anchors = v5 ? out.shape[1] : out.shape[2];
  attrs = v5 ? out.shape[2] : out.shape[1];
  if (attrs < (v5 ? 6 : 5)) return Error{ShapeError(out, l, want)};
  if (out.type != DataType::kFloat32 && out.type != DataType::kUInt8 &&
      out.type != DataType::kInt8) {
    return Error{ShapeError(out, l, "float32, uint8 or int8 values")};
  }
  if (out.type == DataType::kFloat32) return OkStatus();
  if (!out.quant || out.quant->empty() || out.quant->per_channel() ||
      out.quant->zero_point.empty() || !(out.quant->scale[0] > 0.0f)) {
    return Error{
        ShapeError(out, l, "one positive scale and a zero point (per-tensor quantization)")};
  }
  return OkStatus();
}

template <typename T>
Matrix<T> MakeMatrix(const TensorView& out, YoloLayout l, int anchors, int attrs) {
  Matrix<T> m{static_cast<const T*>(out.data), anchors, attrs, l == YoloLayout::kV8};
  if (out.type != DataType::kFloat32) {
    m.scale = out.scale();
    m.zero_point = out.zero_point();
  }
  return m;
}

// Calls f(matrix) with the output's element type.
template <typename F>
auto WithMatrix(const TensorView& out, YoloLayout l, int anchors, int attrs, F&& f) {
  if (out.type == DataType::kUInt8) return f(MakeMatrix<uint8_t>(out, l, anchors, attrs));
  if (out.type == DataType::kInt8) return f(MakeMatrix<int8_t>(out, l, anchors, attrs));
  return f(MakeMatrix<float>(out, l, anchors, attrs));
}

template <typename T>
void AddCandidate(const Matrix<T>& m, int anchor, int cls, float score, const YoloOptions& opt,
                  YoloCandidates& out) {
  BoundingBox box =
      YoloBox(m.Value(0, anchor), m.Value(1, anchor), m.Value(2, anchor), m.Value(3, anchor), opt);
  out.detections.push_back(Detection{cls, "", score, box});
  out.anchors.push_back(anchor);
}

// kV8: class rows are streamed one by one; each anchor keeps its best stored score that
// reaches the threshold.
template <typename T>
YoloCandidates ClassScoresOnly(const Matrix<T>& m, int classes, const YoloOptions& opt) {
  YoloCandidates out;
  bool none = false;
  const T thr = m.Threshold(opt.score_threshold, none);
  if (none) return out;
  std::vector<T> best(static_cast<size_t>(m.anchors));
  std::vector<int32_t> cls(static_cast<size_t>(m.anchors), -1);
  for (int c = 0; c < classes; ++c) {
    for (int a = 0; a < m.anchors; ++a) {
      T v = m.Raw(4 + c, a);
      if (v >= thr && (cls[a] < 0 || v > best[a])) {
        best[a] = v;
        cls[a] = c;
      }
    }
  }
  for (int a = 0; a < m.anchors; ++a) {
    if (cls[a] >= 0) AddCandidate(m, a, cls[a], m.Real(best[a]), opt, out);
  }
  return out;
}

// kV5: objectness first (as stored: it must reach threshold / the largest class score), then
// the best class of the anchors left, then the exact product.
template <typename T>
YoloCandidates WithObjectness(const Matrix<T>& m, int classes, const YoloOptions& opt) {
  YoloCandidates out;
  const float t = opt.score_threshold;
  bool none = false;
  T obj_thr = std::numeric_limits<T>::lowest();
  if (t > 0.0f && m.MaxReal() > 0.0f) obj_thr = m.Threshold(t / m.MaxReal() * 0.999f, none);
  if (none || (t > 0.0f && !(m.MaxReal() > 0.0f))) return out;
  for (int a = 0; a < m.anchors; ++a) {
    T obj = m.Raw(4, a);
    if (!(obj >= obj_thr)) continue;
    int best = 0;
    for (int c = 1; c < classes; ++c) {
      if (m.Raw(5 + c, a) > m.Raw(5 + best, a)) best = c;
    }
    float score = m.Real(obj) * m.Value(5 + best, a);
    if (score >= t) AddCandidate(m, a, best, score, opt, out);
  }
  return out;
}

}  // namespace

float DefaultYoloIou(YoloLayout layout) { return layout == YoloLayout::kV5 ? 0.45f : 0.7f; }

BoundingBox YoloBox(float cx, float cy, float w, float h, const YoloOptions& opt) {
  if (opt.units == BoxUnits::kNormalized) {
    const float iw = static_cast<float>(opt.input_width), ih = static_cast<float>(opt.input_height);
    cx *= iw, w *= iw, cy *= ih, h *= ih;
  }
  return BoundingBox{cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
}

Result<YoloCandidates> FindYoloCandidates(const TensorView& output, YoloLayout layout, int classes,
                                          const YoloOptions& options) {
  int anchors = 0, attrs = 0;
  CORALPI_RETURN_IF_ERROR(CheckOutput(output, layout, anchors, attrs));
  const int first = layout == YoloLayout::kV5 ? 5 : 4;
  if (classes == 0) classes = attrs - first;
  if (classes < 1 || classes > attrs - first) {
    return Error{ShapeError(output, layout, "room for ") + std::to_string(classes) +
                 " classes after the box"};
  }
  if (options.units == BoxUnits::kNormalized &&
      (options.input_width <= 0 || options.input_height <= 0)) {
    return Error{std::string(LayoutName(layout)) + ": normalized boxes need the input's size"};
  }
  return WithMatrix(output, layout, anchors, attrs, [&](const auto& m) {
    return layout == YoloLayout::kV5 ? WithObjectness(m, classes, options)
                                     : ClassScoresOnly(m, classes, options);
  });
}

std::string YoloLabel(int32_t class_id, const YoloOptions& options) {
  return options.labels ? options.labels->Get(class_id) : "class " + std::to_string(class_id);
}

Result<std::vector<Detection>> DecodeYolo(const TensorView& output, YoloLayout layout,
                                          const YoloOptions& options, const NmsOptions& nms) {
  CORALPI_ASSIGN_OR_RETURN(YoloCandidates c,
                           FindYoloCandidates(output, layout, options.classes, options));
  std::vector<Detection> kept = SuppressOverlaps(c.detections, nms);
  for (Detection& d : kept) d.label = YoloLabel(d.class_id, options);
  return kept;
}

Result<BoxUnits> GuessBoxUnits(const TensorView& output, YoloLayout layout) {
  int anchors = 0, attrs = 0;
  CORALPI_RETURN_IF_ERROR(CheckOutput(output, layout, anchors, attrs));
  return WithMatrix(output, layout, anchors, attrs, [&](const auto& m) {
    float most = 0.0f;
    for (int a = 0; a < m.anchors; ++a) {
      for (int k = 0; k < 4; ++k) most = std::max(most, std::fabs(m.Value(k, a)));
    }
    return most > 2.0f ? BoxUnits::kInputPixels : BoxUnits::kNormalized;
  });
}

float YoloValue(const TensorView& output, YoloLayout layout, int attr, int anchor) {
  const bool v5 = layout == YoloLayout::kV5;
  const int anchors = v5 ? output.shape[1] : output.shape[2];
  const int attrs = v5 ? output.shape[2] : output.shape[1];
  return WithMatrix(output, layout, anchors, attrs,
                    [&](const auto& m) { return m.Value(attr, anchor); });
}

}  // namespace coralpi

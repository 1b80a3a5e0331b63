// The SSD post-process maths: decoding, IoU, greedy NMS and its fast and regular multi-class
// forms, following TensorFlow Lite's kernel step by step (detection_postprocess.h states how).
#include "engine/reference/detection_postprocess.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "model/custom_ops.h"

namespace coralpi::reference {
namespace {

constexpr const char* kOp = kDetectionPostProcessCode;  // errors name the operator

// Indices of the `count` largest of `values`, largest first, into out[0, count): the first
// maximum when count is 1 (no index array then), else std::partial_sort over the indices
// (TFLite's call, hence its tie order with libstdc++).
void DecreasingPartialArgSort(std::span<const float> values, size_t count, int32_t* out) {
  if (count == 1 && !values.empty()) {
    out[0] = static_cast<int32_t>(std::max_element(values.begin(), values.end()) - values.begin());
    return;
  }
  std::vector<int32_t> idx(values.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(count), idx.end(),
                    [&](int32_t a, int32_t b) { return values[a] > values[b]; });
  std::copy_n(idx.begin(), count, out);
}

Status CheckBoxes(std::span<const CornerBox> boxes) {
  for (size_t i = 0; i < boxes.size(); ++i) {
    const CornerBox& b = boxes[i];
    if (b.ymin > b.ymax || b.xmin > b.xmax) {
      return MakeError(kOp, "decoded box " + std::to_string(i) +
                                " has its minimum corner beyond its maximum (a negative anchor "
                                "size?)");
    }
  }
  return OkStatus();
}

Status CheckOptions(const DetectionOptions& o, int32_t classes_with_background) {
  if (!(o.iou_threshold > 0.0f && o.iou_threshold <= 1.0f)) {
    return MakeError(kOp,
                     "nms_iou_threshold " + std::to_string(o.iou_threshold) + " is outside (0, 1]");
  }
  if (o.max_detections < 0) return MakeError(kOp, "max_detections is negative");
  if (o.use_regular_nms ? o.detections_per_class < 1 : o.max_classes_per_detection < 1) {
    return MakeError(kOp, o.use_regular_nms ? "detections_per_class must be at least 1"
                                            : "max_classes_per_detection must be at least 1");
  }
  const int32_t offset = classes_with_background - o.num_classes;
  if (o.num_classes < 1 || offset < 0 || offset > 1) {
    return MakeError(kOp, "class predictions have " + std::to_string(classes_with_background) +
                              " columns for " + std::to_string(o.num_classes) +
                              " classes (expected num_classes, or one more for the background)");
  }
  return OkStatus();
}

Detections EmptyDetections(const DetectionOptions& o) {
  Detections d;
  const size_t slots = static_cast<size_t>(o.slots());
  d.boxes.assign(slots, CornerBox{});
  d.classes.assign(slots, 0.0f);
  d.scores.assign(slots, 0.0f);
  return d;
}

Detections FastNms(std::span<const CornerBox> boxes, std::span<const float> scores,
                   int32_t classes_with_background, const DetectionOptions& o) {
  const int32_t offset = classes_with_background - o.num_classes;
  const size_t per_box = static_cast<size_t>(std::min(o.max_classes_per_detection, o.num_classes));
  // ranked[b * per_box + k]: box b's k-th class.
  std::vector<int32_t> ranked(boxes.size() * per_box);
  std::vector<float> best(boxes.size());
  for (size_t b = 0; b < boxes.size(); ++b) {
    auto row = scores.subspan(b * static_cast<size_t>(classes_with_background) + offset,
                              static_cast<size_t>(o.num_classes));
    int32_t* top = ranked.data() + b * per_box;
    DecreasingPartialArgSort(row, per_box, top);
    best[b] = row[static_cast<size_t>(top[0])];
  }
  Detections d = EmptyDetections(o);
  const std::vector<int32_t> selected =
      NonMaxSuppression(boxes, best, o.score_threshold, o.iou_threshold, o.max_detections);
  for (int32_t b : selected) {
    auto row = scores.subspan(static_cast<size_t>(b) * classes_with_background + offset,
                              static_cast<size_t>(o.num_classes));
    for (size_t k = 0; k < per_box; ++k) {
      const size_t slot = static_cast<size_t>(d.count) * o.max_classes_per_detection + k;
      const int32_t c = ranked[static_cast<size_t>(b) * per_box + k];
      d.boxes[slot] = boxes[static_cast<size_t>(b)];
      d.classes[slot] = static_cast<float>(c);
      d.scores[slot] = row[static_cast<size_t>(c)];
    }
    ++d.count;
  }
  return d;
}

// One kept (box, class) pair of regular NMS.
struct Candidate {
  int32_t box = 0, class_id = 0;
  float score = 0.0f;
};

Detections RegularNms(std::span<const CornerBox> boxes, std::span<const float> scores,
                      int32_t classes_with_background, const DetectionOptions& o) {
  const int32_t offset = classes_with_background - o.num_classes;
  const int32_t per_class = std::min(o.detections_per_class, o.max_detections);
  std::vector<Candidate> kept;
  std::vector<float> class_scores(boxes.size());
  for (int32_t c = 0; c < o.num_classes; ++c) {
    for (size_t b = 0; b < boxes.size(); ++b) {
      class_scores[b] = scores[b * static_cast<size_t>(classes_with_background) + c + offset];
    }
    for (int32_t b :
         NonMaxSuppression(boxes, class_scores, o.score_threshold, o.iou_threshold, per_class)) {
      kept.push_back({b, c, class_scores[static_cast<size_t>(b)]});
    }
  }
  // TFLite merges each class's selections into the kept list (ties: the earlier entry first) and
  // cuts it to max_detections; a stable sort of everything, then one cut, gives the same list.
  std::stable_sort(kept.begin(), kept.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  kept.resize(std::min(kept.size(), static_cast<size_t>(o.max_detections)));
  Detections d = EmptyDetections(o);
  for (const Candidate& k : kept) {
    const size_t slot = static_cast<size_t>(d.count++);
    d.boxes[slot] = boxes[static_cast<size_t>(k.box)];
    d.classes[slot] = static_cast<float>(k.class_id);
    d.scores[slot] = k.score;
  }
  return d;
}

}  // namespace

CornerBox DecodeBox(const CenterSizeBox& e, const CenterSizeBox& anchor,
                    const CenterSizeBox& scale) {
  const double ha = anchor.h, wa = anchor.w;
  const auto yc = static_cast<float>(double{e.y} / double{scale.y} * ha + double{anchor.y});
  const auto xc = static_cast<float>(double{e.x} / double{scale.x} * wa + double{anchor.x});
  const auto hh = static_cast<float>(0.5 * std::exp(double{e.h} / double{scale.h}) * ha);
  const auto hw = static_cast<float>(0.5 * std::exp(double{e.w} / double{scale.w}) * wa);
  return {yc - hh, xc - hw, yc + hh, xc + hw};
}

float IntersectionOverUnion(const CornerBox& a, const CornerBox& b) {
  const float area_a = (a.ymax - a.ymin) * (a.xmax - a.xmin);
  const float area_b = (b.ymax - b.ymin) * (b.xmax - b.xmin);
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  const float h = std::max(std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin), 0.0f);
  const float w = std::max(std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin), 0.0f);
  const float intersection = h * w;
  return intersection / (area_a + area_b - intersection);
}

std::vector<int32_t> NonMaxSuppression(std::span<const CornerBox> boxes,
                                       std::span<const float> scores, float score_threshold,
                                       float iou_threshold, int32_t max_detections) {
  std::vector<int32_t> candidates;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] >= score_threshold) candidates.push_back(static_cast<int32_t>(i));
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](int32_t a, int32_t b) { return scores[a] > scores[b]; });
  const size_t limit =
      std::min(candidates.size(), static_cast<size_t>(std::max(max_detections, 0)));
  std::vector<int32_t> selected;
  std::vector<bool> active(candidates.size(), true);
  for (size_t i = 0; i < candidates.size() && selected.size() < limit; ++i) {
    if (!active[i]) continue;
    const CornerBox& kept = boxes[static_cast<size_t>(candidates[i])];
    selected.push_back(candidates[i]);
    for (size_t j = i + 1; j < candidates.size(); ++j) {
      if (active[j] &&
          IntersectionOverUnion(kept, boxes[static_cast<size_t>(candidates[j])]) > iou_threshold) {
        active[j] = false;
      }
    }
  }
  return selected;
}

Result<Detections> SelectDetections(std::span<const CornerBox> boxes, std::span<const float> scores,
                                    int32_t classes_with_background,
                                    const DetectionOptions& options) {
  CORALPI_RETURN_IF_ERROR(CheckOptions(options, classes_with_background));
  if (scores.size() != boxes.size() * static_cast<size_t>(classes_with_background)) {
    return MakeError(kOp, std::to_string(scores.size()) + " scores for " +
                              std::to_string(boxes.size()) + " boxes of " +
                              std::to_string(classes_with_background) + " classes");
  }
  CORALPI_RETURN_IF_ERROR(CheckBoxes(boxes));
  return options.use_regular_nms ? RegularNms(boxes, scores, classes_with_background, options)
                                 : FastNms(boxes, scores, classes_with_background, options);
}

}  // namespace coralpi::reference

// Greedy non-maximum suppression over detections; see nms.h.
#include "vision/nms.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <unordered_map>

namespace coralpi {
namespace {

// A kept box with its area, computed once.
struct Kept {
  BoundingBox box;
  float area = 0.0f;
};

float Overlap(const BoundingBox& a, float area_a, const Kept& b) {
  if (area_a <= 0.0f || b.area <= 0.0f) return 0.0f;
  float w = std::min(a.xmax, b.box.xmax) - std::max(a.xmin, b.box.xmin);
  float h = std::min(a.ymax, b.box.ymax) - std::max(a.ymin, b.box.ymin);
  if (w <= 0.0f || h <= 0.0f) return 0.0f;
  float inter = w * h;
  float uni = area_a + b.area - inter;
  return uni > 0.0f ? inter / uni : 0.0f;
}

bool Suppressed(const BoundingBox& box, float area, const std::vector<Kept>& kept, float iou) {
  for (const Kept& k : kept) {
    if (Overlap(box, area, k) > iou) return true;
  }
  return false;
}

// Candidate indices by decreasing score; equal scores (and NaNs, last) keep their order.
std::vector<size_t> ByScore(std::span<const Detection> c) {
  std::vector<size_t> order(c.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    float sa = c[a].score, sb = c[b].score;
    if (sa != sa) return false;  // NaN sorts last
    return sb != sb || sa > sb;
  });
  return order;
}

}  // namespace

float IoU(const BoundingBox& a, const BoundingBox& b) {
  return Overlap(a, a.area(), Kept{b, b.area()});
}

std::vector<size_t> NonMaxSuppression(std::span<const Detection> candidates,
                                      const NmsOptions& options) {
  const size_t limit = static_cast<size_t>(std::max(options.max_detections, 0));
  std::vector<size_t> out;
  if (limit == 0) return out;
  std::unordered_map<int32_t, std::vector<Kept>> per_class;  // key 0 only when agnostic
  for (size_t i : ByScore(candidates)) {
    const Detection& d = candidates[i];
    if (d.score != d.score) break;  // NaN scores are never kept
    std::vector<Kept>& kept = per_class[options.agnostic ? 0 : d.class_id];
    float area = d.box.area();
    if (Suppressed(d.box, area, kept, options.iou_threshold)) continue;
    kept.push_back(Kept{d.box, area});
    out.push_back(i);
    if (out.size() >= limit) break;
  }
  return out;
}

std::vector<Detection> SuppressOverlaps(std::span<const Detection> candidates,
                                        const NmsOptions& options) {
  std::vector<Detection> out;
  for (size_t i : NonMaxSuppression(candidates, options)) out.push_back(candidates[i]);
  return out;
}

}  // namespace coralpi

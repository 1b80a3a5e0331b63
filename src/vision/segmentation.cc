// Class maps from segmentation outputs; see segmentation.h.
#include "vision/segmentation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace coralpi {
namespace {

SegmentationMap EmptyMap(int height, int width) {
  SegmentationMap m;
  m.width = width;
  m.height = height;
  m.classes.resize(static_cast<size_t>(width) * static_cast<size_t>(height));
  return m;
}

// For each output pixel centre: the index of the map cell it falls in, along one axis.
std::vector<int> NearestCells(int image_size, int map_size, int input_size, double scale,
                              double offset) {
  std::vector<int> cells(static_cast<size_t>(image_size));
  for (int i = 0; i < image_size; ++i) {
    double in = (i + 0.5) * scale + offset;  // position in the model's input
    double cell = std::floor(in * map_size / input_size);
    cells[static_cast<size_t>(i)] = static_cast<int>(std::clamp(cell, 0.0, map_size - 1.0));
  }
  return cells;
}

}  // namespace

std::string ToString(const ClassCount& c) {
  return "ClassCount{" + std::to_string(c.class_id) + ": " + std::to_string(c.pixels) + "}";
}

template <typename T>
Result<SegmentationMap> ArgMaxClasses(std::span<const T> scores, int height, int width,
                                      int classes) {
  if (height < 1 || width < 1 || classes < 1 ||
      scores.size() != static_cast<size_t>(height) * width * classes) {
    return Error{"class scores: " + std::to_string(scores.size()) + " values for " +
                 std::to_string(width) + "x" + std::to_string(height) + " cells of " +
                 std::to_string(classes) + " classes"};
  }
  SegmentationMap m = EmptyMap(height, width);
  for (size_t cell = 0; cell < m.classes.size(); ++cell) {
    const T* s = scores.data() + cell * static_cast<size_t>(classes);
    m.classes[cell] = static_cast<int32_t>(std::max_element(s, s + classes) - s);
  }
  return m;
}
template Result<SegmentationMap> ArgMaxClasses<uint8_t>(std::span<const uint8_t>, int, int, int);
template Result<SegmentationMap> ArgMaxClasses<int8_t>(std::span<const int8_t>, int, int, int);
template Result<SegmentationMap> ArgMaxClasses<float>(std::span<const float>, int, int, int);

template <typename T>
Result<SegmentationMap> ClassIdMap(std::span<const T> ids, int height, int width) {
  if (height < 1 || width < 1 || ids.size() != static_cast<size_t>(height) * width) {
    return Error{"class ids: " + std::to_string(ids.size()) + " values for " +
                 std::to_string(width) + "x" + std::to_string(height) + " cells"};
  }
  SegmentationMap m = EmptyMap(height, width);
  for (size_t i = 0; i < ids.size(); ++i) {
    bool too_big = false;
    if constexpr (sizeof(T) > sizeof(int32_t))
      too_big = ids[i] > std::numeric_limits<int32_t>::max();
    if (ids[i] < 0 || too_big) {
      return Error{"class id " + std::to_string(ids[i]) + " at cell " + std::to_string(i) +
                   " is not a class"};
    }
    m.classes[i] = static_cast<int32_t>(ids[i]);
  }
  return m;
}
template Result<SegmentationMap> ClassIdMap<int32_t>(std::span<const int32_t>, int, int);
template Result<SegmentationMap> ClassIdMap<int64_t>(std::span<const int64_t>, int, int);

SegmentationMap MapToImage(const SegmentationMap& map, const InputTransform& t) {
  SegmentationMap out = EmptyMap(t.image_height, t.image_width);
  if (map.classes.empty() || out.classes.empty()) return out;
  std::vector<int> xs =
      NearestCells(t.image_width, map.width, t.input_width, t.scale_x, t.offset_x);
  std::vector<int> ys =
      NearestCells(t.image_height, map.height, t.input_height, t.scale_y, t.offset_y);
  for (int y = 0; y < t.image_height; ++y) {
    const int32_t* row =
        map.classes.data() + static_cast<size_t>(ys[static_cast<size_t>(y)]) * map.width;
    int32_t* dst = out.classes.data() + static_cast<size_t>(y) * t.image_width;
    for (int x = 0; x < t.image_width; ++x) dst[x] = row[xs[static_cast<size_t>(x)]];
  }
  return out;
}

std::vector<ClassCount> CountClasses(const SegmentationMap& map) {
  std::map<int32_t, int64_t> counts;
  for (int32_t c : map.classes) ++counts[c];
  std::vector<ClassCount> out;
  for (const auto& [id, n] : counts) out.push_back({id, n});
  std::stable_sort(out.begin(), out.end(),
                   [](const ClassCount& a, const ClassCount& b) { return a.pixels > b.pixels; });
  return out;
}

int SegmentationClassCount(const TensorView& output) {
  return output.shape.size() == 4 ? output.shape[3] : 0;
}

Result<SegmentationMap> ReadSegmentation(const TensorView& o) {
  const Shape& s = o.shape;
  const bool ids = (s.size() == 3 && s[0] == 1) || s.size() == 2;
  const bool scores = s.size() == 4 && s[0] == 1 && s[3] >= 1;
  const std::string what = std::string(DataTypeName(o.type)) + " " + ShapeToString(s);
  if (ids && o.type == DataType::kInt32) {
    const int32_t* p = o.as<const int32_t>();
    return ClassIdMap<int32_t>({p, static_cast<size_t>(o.num_elements())}, s[s.size() - 2],
                               s.back());
  }
  if (ids && o.type == DataType::kInt64) {
    const int64_t* p = o.as<const int64_t>();
    return ClassIdMap<int64_t>({p, static_cast<size_t>(o.num_elements())}, s[s.size() - 2],
                               s.back());
  }
  if (scores) {
    const size_t n = static_cast<size_t>(o.num_elements());
    switch (o.type) {
      case DataType::kUInt8:
        return ArgMaxClasses<uint8_t>({o.as<const uint8_t>(), n}, s[1], s[2], s[3]);
      case DataType::kInt8:
        return ArgMaxClasses<int8_t>({o.as<const int8_t>(), n}, s[1], s[2], s[3]);
      case DataType::kFloat32:
        return ArgMaxClasses<float>({o.as<const float>(), n}, s[1], s[2], s[3]);
      default:
        break;
    }
  }
  return Error{"the segmentation output is " + what +
               "; expected class ids [1, H, W] (int32 or int64) or class scores [1, H, W, C] "
               "(uint8, int8 or float32)"};
}

}  // namespace coralpi

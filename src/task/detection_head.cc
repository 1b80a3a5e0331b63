// Recognising a detector's head; see detection_head.h.
#include "task/detection_head.h"

#include <vector>

namespace coralpi {
namespace {

std::string ListOutputs(std::span<const OutputDesc> outputs) {
  std::string list;
  for (size_t i = 0; i < outputs.size(); ++i) {
    list += (i ? "; " : "") + std::to_string(i) + " '" + outputs[i].name + "' " +
            DataTypeName(outputs[i].type) + " " + ShapeToString(outputs[i].shape);
  }
  return list.empty() ? "none" : list;
}

// The one 3-D output [1, A, B] of a raw YOLO head; unset when there is none or several.
std::optional<size_t> RawOutput(std::span<const OutputDesc> outputs) {
  std::optional<size_t> found;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Shape& s = outputs[i].shape;
    if (s.size() != 3 || s[0] != 1) continue;
    if (found) return std::nullopt;
    found = i;
  }
  return found;
}

// The attributes per anchor beyond the box (and YOLOv5's objectness).
int AttributesAfterBox(const Shape& s, YoloLayout layout) {
  return layout == YoloLayout::kV8 ? static_cast<int>(s[1]) - 4 : static_cast<int>(s[2]) - 5;
}

// C from the metadata (checked against the rows) or the shape.
Result<int> YoloClasses(const Shape& shape, YoloLayout layout,
                        const std::optional<UltralyticsMetadata>& metadata) {
  const int after_box = AttributesAfterBox(shape, layout);
  if (after_box < 1) {
    return Error{"output " + ShapeToString(shape) + " leaves no room for class scores"};
  }
  if (!metadata || metadata->names.empty()) return after_box;
  const int named = static_cast<int>(metadata->names.size());
  const bool exact = metadata->task == UltralyticsTask::kDetect;
  if (named > after_box || (exact && named != after_box)) {
    return Error{"the model's metadata names " + std::to_string(named) + " classes but its output " +
                 ShapeToString(shape) + " holds " + std::to_string(after_box) +
                 " attributes after the box" +
                 (exact ? " (a detect model has one per class)" : "")};
  }
  return named;
}

Result<DetectionHead> YoloHead(std::span<const OutputDesc> outputs,
                               const std::optional<UltralyticsMetadata>& metadata,
                               const std::string& want) {
  std::optional<size_t> raw = RawOutput(outputs);
  if (!raw) {
    return Error{"not a detector: expected the four outputs of TFLite_Detection_PostProcess or "
                 "one raw YOLO output [1, 4 + classes, anchors] or [1, anchors, 5 + classes], "
                 "but the model's outputs are: " +
                 ListOutputs(outputs)};
  }
  const Shape& shape = outputs[*raw].shape;
  std::optional<YoloLayout> layout = YoloLayoutOfShape(shape);
  if (want == "yolov5") layout = YoloLayout::kV5;
  if (want == "yolov8") layout = YoloLayout::kV8;
  if (!layout) {
    return Error{"cannot tell the YOLO layout of output " + ShapeToString(shape) +
                 " (as many anchors as attributes): give --head yolov5 or yolov8"};
  }
  DetectionHead head;
  head.kind = *layout == YoloLayout::kV5 ? DetectionHeadKind::kYoloV5 : DetectionHeadKind::kYoloV8;
  head.output = *raw;
  auto classes = YoloClasses(shape, *layout, metadata);
  if (!classes.ok()) return classes.error();
  head.classes = *classes;
  const bool named = metadata && !metadata->names.empty();
  head.found_by = std::string(want == "auto" ? "the output's shape" : "--head " + want) +
                  (named ? ", classes from the model's metadata" : ", classes from the shape");
  return head;
}

}  // namespace

const char* DetectionHeadName(DetectionHeadKind kind) {
  switch (kind) {
    case DetectionHeadKind::kSsd: return "SSD post-process";
    case DetectionHeadKind::kYoloV5: return "YOLOv5";
    case DetectionHeadKind::kYoloV8: return "YOLOv8";
  }
  return "?";
}

std::optional<YoloLayout> YoloLayoutOfShape(const Shape& s) {
  if (s.size() != 3 || s[0] != 1 || s[1] == s[2]) return std::nullopt;
  return s[2] > s[1] ? YoloLayout::kV8 : YoloLayout::kV5;
}

Result<DetectionHead> FindDetectionHead(const Model& model,
                                        const std::optional<UltralyticsMetadata>& metadata,
                                        const std::string& want) {
  if (want != "auto" && want != "ssd" && want != "yolov5" && want != "yolov8") {
    return Error{"unknown detection head '" + want + "' (auto, ssd, yolov5, yolov8)"};
  }
  const std::vector<OutputDesc> outputs = DescribeOutputs(model);
  if (want == "auto" || want == "ssd") {
    auto ssd = FindDetectionOutputs(outputs);
    if (ssd.ok() || want == "ssd") {
      if (!ssd.ok()) return ssd.error();
      DetectionHead head;
      head.ssd = *ssd;
      head.classes = DetectorClassCount(model).value_or(0);
      head.found_by = ssd->found_by;
      return head;
    }
  }
  return YoloHead(outputs, metadata, want);
}

}  // namespace coralpi

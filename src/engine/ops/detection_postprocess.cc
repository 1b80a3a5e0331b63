// TFLite_Detection_PostProcess, the custom operator at the end of TensorFlow's SSD detectors: box
// encodings [1, N, >=4] and class scores [1, N, classes (+1 background)] (uint8 or float32), and
// anchors [N, 4] (the encodings' type), to boxes [1, D, 4], classes [1, D], scores [1, D] and a
// count [1], all float32, D = max_detections * max_classes_per_detection. The model leaves these
// output shapes unknown; `OutputShapes` gives them, as TFLite's prepare step does.
//
// This file reads the FlexBuffer custom options (every key checked for type and range),
// dequantizes the inputs and copies the result out; the maths is reference/detection_postprocess.
#include "engine/reference/detection_postprocess.h"

#include <flatbuffers/flexbuffers.h>

#include <cmath>
#include <cstring>

#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"

namespace coralpi::ops {
namespace {

using reference::CenterSizeBox;
using reference::CornerBox;
using reference::DetectionOptions;

constexpr int64_t kMaxCount = 1 << 16;  // any count option
constexpr int64_t kMaxSlots = 1 << 20;  // max_detections * max_classes_per_detection

// One key of the options map: an error names the key and what is wrong with it.
class OptionMap {
 public:
  explicit OptionMap(flexbuffers::Map map) : map_(map) {}

  // An integer key in [lo, hi]; absent: `fallback` when given, else an error.
  Result<int32_t> Int(const char* key, int64_t lo, int64_t hi, const int32_t* fallback = nullptr) {
    flexbuffers::Reference r = map_[key];
    if (r.IsNull() && fallback) return *fallback;
    if (r.IsNull()) return Missing(key);
    if (!r.IsIntOrUint()) return Error{Where(key) + "is not an integer"};
    const int64_t v = r.IsInt() ? r.AsInt64()
                                : static_cast<int64_t>(std::min<uint64_t>(
                                      r.AsUInt64(), static_cast<uint64_t>(INT64_MAX)));
    if (v < lo || v > hi) {
      return Error{Where(key) + std::to_string(v) + " is outside [" + std::to_string(lo) + ", " +
                   std::to_string(hi) + "]"};
    }
    return static_cast<int32_t>(v);
  }

  // A finite number; `positive`: above 0.
  Result<float> Number(const char* key, bool positive) {
    flexbuffers::Reference r = map_[key];
    if (r.IsNull()) return Missing(key);
    if (!r.IsNumeric()) return Error{Where(key) + "is not a number"};
    const double v = r.AsDouble();
    if (!std::isfinite(v) || std::fabs(v) > 3.0e38 || (positive && !(v > 0))) {
      return Error{Where(key) + std::to_string(v) +
                   (positive ? " must be a positive number" : " must be a finite number")};
    }
    return static_cast<float>(v);
  }

  // A boolean (or 0/1); absent: false.
  Result<bool> Bool(const char* key) {
    flexbuffers::Reference r = map_[key];
    if (r.IsNull()) return false;
    if (r.IsBool()) return r.AsBool();
    if (r.IsIntOrUint() && (r.AsUInt64() == 0 || r.AsUInt64() == 1)) return r.AsUInt64() == 1;
    return Error{Where(key) + "is not a boolean"};
  }

 private:
  static std::string Where(const char* key) { return std::string("custom option ") + key + ": "; }
  static Error Missing(const char* key) { return Error{Where(key) + "is missing"}; }
  flexbuffers::Map map_;
};

Result<DetectionOptions> ReadOptions(OptionMap& m) {
  DetectionOptions o;
  const int32_t kDefaultPerClass = 100;
  CORALPI_ASSIGN_OR_RETURN(o.max_detections, m.Int("max_detections", 0, kMaxCount));
  CORALPI_ASSIGN_OR_RETURN(o.max_classes_per_detection,
                           m.Int("max_classes_per_detection", 1, kMaxCount));
  CORALPI_ASSIGN_OR_RETURN(o.detections_per_class,
                           m.Int("detections_per_class", 1, kMaxCount, &kDefaultPerClass));
  CORALPI_ASSIGN_OR_RETURN(o.use_regular_nms, m.Bool("use_regular_nms"));
  CORALPI_ASSIGN_OR_RETURN(o.score_threshold, m.Number("nms_score_threshold", false));
  CORALPI_ASSIGN_OR_RETURN(o.iou_threshold, m.Number("nms_iou_threshold", true));
  CORALPI_ASSIGN_OR_RETURN(o.num_classes, m.Int("num_classes", 1, kMaxCount));
  CORALPI_ASSIGN_OR_RETURN(o.scale.y, m.Number("y_scale", true));
  CORALPI_ASSIGN_OR_RETURN(o.scale.x, m.Number("x_scale", true));
  CORALPI_ASSIGN_OR_RETURN(o.scale.h, m.Number("h_scale", true));
  CORALPI_ASSIGN_OR_RETURN(o.scale.w, m.Number("w_scale", true));
  if (o.iou_threshold > 1.0f) {
    return Error{"custom option nms_iou_threshold: " + std::to_string(o.iou_threshold) +
                 " is above 1"};
  }
  if (o.slots() > kMaxSlots) {
    return Error{"custom options: max_detections * max_classes_per_detection = " +
                 std::to_string(o.slots()) + " is above " + std::to_string(kMaxSlots)};
  }
  return o;
}

// The options map of real models is a few hundred bytes; the bound also tells GCC 14 that the
// copy's size cannot wrap (its -Wstringop-overflow otherwise warns).
constexpr size_t kMaxOptionBytes = 1 << 20;

// Verifies the FlexBuffer and reads the options map. The bytes are copied to 8-byte aligned
// memory first: FlexBuffers aligns values relative to the buffer's start, and the verifier checks
// that alignment.
Result<DetectionOptions> ParseOptions(std::span<const uint8_t> bytes) {
  const auto invalid = [&] {
    return Error{"custom options (" + std::to_string(bytes.size()) +
                 " bytes) are not a valid FlexBuffer"};
  };
  if (bytes.size() < 3 || bytes.size() > kMaxOptionBytes) return invalid();
  std::vector<uint64_t> aligned((bytes.size() + 7) / 8);
  std::memcpy(aligned.data(), bytes.data(), bytes.size());
  const auto* data = reinterpret_cast<const uint8_t*>(aligned.data());
  if (!flexbuffers::VerifyBuffer(data, bytes.size())) return invalid();
  flexbuffers::Reference root = flexbuffers::GetRoot(data, bytes.size());
  if (!root.IsMap()) return Error{"custom options are not a FlexBuffer map"};
  OptionMap map(root.AsMap());
  return ReadOptions(map);
}

Status CheckBoxTensors(const TensorInfo& boxes, const TensorInfo& scores, const TensorInfo& anchors,
                       int32_t num_classes) {
  CORALPI_RETURN_IF_ERROR(
      ExpectType(boxes, {DataType::kUInt8, DataType::kFloat32}, "box encodings"));
  CORALPI_RETURN_IF_ERROR(
      ExpectType(scores, {DataType::kUInt8, DataType::kFloat32}, "class predictions"));
  CORALPI_RETURN_IF_ERROR(ExpectType(anchors, {boxes.type}, "anchors"));
  CORALPI_RETURN_IF_ERROR(ExpectRank(boxes, 3, "box encodings"));
  CORALPI_RETURN_IF_ERROR(ExpectRank(scores, 3, "class predictions"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(boxes, "box encodings"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(scores, "class predictions"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(anchors, "anchors"));
  const int32_t n = boxes.shape[1];
  if (boxes.shape[0] != 1 || boxes.shape[2] < 4) {
    return Error{"box encodings have shape " + ShapeToString(boxes.shape) +
                 ", expected [1, boxes, 4 or more]"};
  }
  const int32_t columns = scores.shape[2];
  if (scores.shape[0] != 1 || scores.shape[1] != n || columns < num_classes ||
      columns > num_classes + 1) {
    return Error{"class predictions have shape " + ShapeToString(scores.shape) + ", expected [1, " +
                 std::to_string(n) + ", " + std::to_string(num_classes) + " or " +
                 std::to_string(num_classes + 1) + "]"};
  }
  return ExpectShape(anchors, {n, 4}, "anchors");
}

Status Check(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 3, 3, 4));
  CORALPI_ASSIGN_OR_RETURN(DetectionOptions o, ParseOptions(op.custom_options));
  CORALPI_RETURN_IF_ERROR(
      CheckBoxTensors(Input(op, g, 0), Input(op, g, 1), Input(op, g, 2), o.num_classes));
  const char* roles[] = {"output boxes", "output classes", "output scores", "output count"};
  for (size_t i = 0; i < 4; ++i) {
    CORALPI_RETURN_IF_ERROR(ExpectType(Output(op, g, i), {DataType::kFloat32}, roles[i]));
  }
  return OkStatus();
}

Result<std::vector<Shape>> OutputShapes(const OperatorInfo& op, const Subgraph&) {
  CORALPI_ASSIGN_OR_RETURN(DetectionOptions o, ParseOptions(op.custom_options));
  const auto slots = static_cast<int32_t>(o.slots());
  return std::vector<Shape>{{1, slots, 4}, {1, slots}, {1, slots}, {1}};
}

// Element i of a float32 or uint8 tensor, dequantized as TFLite does: (q - zp) * scale in float.
float ReadValue(const TensorView& t, int64_t i) {
  if (t.type == DataType::kFloat32) return t.as<const float>()[i];
  return (static_cast<float>(t.as<const uint8_t>()[i]) - static_cast<float>(t.zero_point())) *
         t.scale();
}

// The four values from element `at` as (y, x, h, w).
CenterSizeBox ReadBox(const TensorView& t, int64_t at) {
  return {ReadValue(t, at), ReadValue(t, at + 1), ReadValue(t, at + 2), ReadValue(t, at + 3)};
}

std::vector<float> ReadScores(const TensorView& t) {
  std::vector<float> s(static_cast<size_t>(t.num_elements()));
  if (t.type == DataType::kFloat32) {
    std::copy_n(t.as<const float>(), s.size(), s.begin());
    return s;
  }
  // ReadValue's arithmetic in a loop the compiler vectorizes (SSD: 1917 boxes x 38 classes).
  const uint8_t* q = t.as<const uint8_t>();
  const float zp = static_cast<float>(t.zero_point()), scale = t.scale();
  for (size_t i = 0; i < s.size(); ++i) s[i] = (static_cast<float>(q[i]) - zp) * scale;
  return s;
}

Status Run(const OperatorInfo& op, std::span<const TensorView> in,
           std::span<const TensorView> out) {
  CORALPI_ASSIGN_OR_RETURN(DetectionOptions o, ParseOptions(op.custom_options));
  const int32_t n = in[0].dim(1);
  std::vector<CornerBox> boxes(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) {
    boxes[static_cast<size_t>(i)] =
        reference::DecodeBox(ReadBox(in[0], static_cast<int64_t>(i) * in[0].dim(2)),
                             ReadBox(in[2], static_cast<int64_t>(i) * 4), o.scale);
  }
  const std::vector<float> scores = ReadScores(in[1]);
  CORALPI_ASSIGN_OR_RETURN(reference::Detections d,
                           reference::SelectDetections(boxes, scores, in[1].dim(2), o));
  static_assert(sizeof(CornerBox) == 4 * sizeof(float));
  if (out[0].num_elements() != o.slots() * 4 || out[1].num_elements() != o.slots() ||
      out[2].num_elements() != o.slots() || out[3].num_elements() != 1) {
    return Error{"outputs are not sized for " + std::to_string(o.slots()) + " detections"};
  }
  if (o.slots() > 0) {  // memcpy from an empty vector's null data() is undefined
    std::memcpy(out[0].data, d.boxes.data(), d.boxes.size() * sizeof(CornerBox));
    std::memcpy(out[1].data, d.classes.data(), d.classes.size() * sizeof(float));
    std::memcpy(out[2].data, d.scores.data(), d.scores.size() * sizeof(float));
  }
  out[3].as<float>()[0] = static_cast<float>(d.count);
  return OkStatus();
}

std::string XnnRejection(const OperatorInfo&, const Subgraph&) {
  return "a TensorFlow Lite custom operator; XNNPACK has no such node";
}

}  // namespace

// Designated: the trailing optional entries of OpKernel are named, whatever else is added.
const OpKernel kDetectionPostProcess = {.code = static_cast<int32_t>(OpCode::kCustom),
                                        .check = Check,
                                        .run = Run,
                                        .xnn_rejection = XnnRejection,
                                        .output_shapes = OutputShapes};

}  // namespace coralpi::ops

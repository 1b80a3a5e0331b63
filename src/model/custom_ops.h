// The custom operators coralpi knows by name: an operator's custom code in a .tflite model
// (OperatorInfo::custom_code). Spelled once here, in the lowest layer that reads models, for the
// engine (placement, its operator table), the Edge TPU backend and the vision tasks alike.
#pragma once

namespace coralpi {

// libedgetpu's operator: a segment of the graph compiled for the Edge TPU by edgetpu_compiler.
inline constexpr char kEdgeTpuCustomOpCode[] = "edgetpu-custom-op";

// TensorFlow Lite's SSD post-processing (box decoding and non-maximum suppression).
inline constexpr char kDetectionPostProcessCode[] = "TFLite_Detection_PostProcess";

}  // namespace coralpi

// Builtin options -> OpOptions; see options_reader.h.
#include "model/options_reader.h"

namespace coralpi {
namespace {

Result<Activation> ReadActivation(tfl::ActivationFunctionType a, const std::string& where) {
  int v = static_cast<int>(a);
  if (v < 0 || v > static_cast<int>(Activation::kTanh)) {
    return MakeError(where, "unknown fused activation " + std::to_string(v));
  }
  return static_cast<Activation>(v);
}

Result<Padding> ReadPadding(tfl::Padding p, const std::string& where) {
  if (p != tfl::Padding::SAME && p != tfl::Padding::VALID) {
    return MakeError(where, "unknown padding " + std::to_string(static_cast<int>(p)));
  }
  return p == tfl::Padding::SAME ? Padding::kSame : Padding::kValid;
}

Status CheckPositive(std::initializer_list<std::pair<const char*, int32_t>> values,
                     const std::string& where) {
  for (const auto& [name, v] : values) {
    if (v < 1)
      return MakeError(where,
                       std::string(name) + " is " + std::to_string(v) + ", must be at least 1");
  }
  return OkStatus();
}

// Fetches the options table of type T, or fails when the operator carries another type.
// Absent options yield nullptr (callers decide whether defaults are acceptable).
template <typename T>
Result<const T*> Get(const tfl::Operator& op, const std::string& where) {
  if (op.builtin_options_type() == tfl::BuiltinOptions::NONE) return static_cast<const T*>(nullptr);
  const T* t = op.builtin_options_as<T>();
  if (!t) {
    return MakeError(where,
                     std::string("has options of type ") +
                         tfl::EnumNameBuiltinOptions(op.builtin_options_type()) + ", expected " +
                         tfl::EnumNameBuiltinOptions(tfl::BuiltinOptionsTraits<T>::enum_value));
  }
  return t;
}

template <typename T>
Result<const T*> GetRequired(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const T* t, Get<T>(op, where));
  if (!t) return MakeError(where, "has no options");
  return t;
}

Result<OpOptions> ReadConv(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::Conv2DOptions* o, GetRequired<tfl::Conv2DOptions>(op, where));
  Conv2DOptions out;
  CORALPI_ASSIGN_OR_RETURN(out.padding, ReadPadding(o->padding(), where));
  CORALPI_ASSIGN_OR_RETURN(out.activation, ReadActivation(o->fused_activation_function(), where));
  out.stride_w = o->stride_w();
  out.stride_h = o->stride_h();
  out.dilation_w = o->dilation_w_factor();
  out.dilation_h = o->dilation_h_factor();
  CORALPI_RETURN_IF_ERROR(CheckPositive({{"stride_w", out.stride_w},
                                         {"stride_h", out.stride_h},
                                         {"dilation_w", out.dilation_w},
                                         {"dilation_h", out.dilation_h}},
                                        where));
  return OpOptions{out};
}

Result<OpOptions> ReadDepthwise(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::DepthwiseConv2DOptions* o,
                           GetRequired<tfl::DepthwiseConv2DOptions>(op, where));
  DepthwiseConv2DOptions out;
  CORALPI_ASSIGN_OR_RETURN(out.padding, ReadPadding(o->padding(), where));
  CORALPI_ASSIGN_OR_RETURN(out.activation, ReadActivation(o->fused_activation_function(), where));
  out.stride_w = o->stride_w();
  out.stride_h = o->stride_h();
  out.depth_multiplier = o->depth_multiplier();
  out.dilation_w = o->dilation_w_factor();
  out.dilation_h = o->dilation_h_factor();
  CORALPI_RETURN_IF_ERROR(CheckPositive({{"stride_w", out.stride_w},
                                         {"stride_h", out.stride_h},
                                         {"dilation_w", out.dilation_w},
                                         {"dilation_h", out.dilation_h}},
                                        where));
  return OpOptions{out};
}

Result<OpOptions> ReadPool(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::Pool2DOptions* o, GetRequired<tfl::Pool2DOptions>(op, where));
  Pool2DOptions out;
  CORALPI_ASSIGN_OR_RETURN(out.padding, ReadPadding(o->padding(), where));
  CORALPI_ASSIGN_OR_RETURN(out.activation, ReadActivation(o->fused_activation_function(), where));
  out.stride_w = o->stride_w();
  out.stride_h = o->stride_h();
  out.filter_w = o->filter_width();
  out.filter_h = o->filter_height();
  CORALPI_RETURN_IF_ERROR(CheckPositive({{"stride_w", out.stride_w},
                                         {"stride_h", out.stride_h},
                                         {"filter_width", out.filter_w},
                                         {"filter_height", out.filter_h}},
                                        where));
  return OpOptions{out};
}

Result<OpOptions> ReadFullyConnected(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::FullyConnectedOptions* o,
                           Get<tfl::FullyConnectedOptions>(op, where));
  FullyConnectedOptions out;
  if (o) {
    CORALPI_ASSIGN_OR_RETURN(out.activation, ReadActivation(o->fused_activation_function(), where));
    if (o->weights_format() != 0) return MakeError(where, "shuffled weights are not supported");
    out.keep_num_dims = o->keep_num_dims();
  }
  return OpOptions{out};
}

template <typename T>
Result<OpOptions> ReadActivationOnly(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const T* o, Get<T>(op, where));
  AddOptions out;
  if (o) {
    CORALPI_ASSIGN_OR_RETURN(out.activation, ReadActivation(o->fused_activation_function(), where));
  }
  return OpOptions{out};
}

Result<OpOptions> ReadSoftmax(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::SoftmaxOptions* o, Get<tfl::SoftmaxOptions>(op, where));
  SoftmaxOptions out;
  if (o) out.beta = o->beta();
  if (!(out.beta > 0.0f)) return MakeError(where, "softmax beta must be positive");
  return OpOptions{out};
}

Result<OpOptions> ReadConcatenation(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::ConcatenationOptions* o,
                           Get<tfl::ConcatenationOptions>(op, where));
  ConcatenationOptions out;
  if (o) {
    out.axis = o->axis();
    CORALPI_ASSIGN_OR_RETURN(out.activation, ReadActivation(o->fused_activation_function(), where));
  }
  return OpOptions{out};
}

Result<OpOptions> ReadReshape(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::ReshapeOptions* o, Get<tfl::ReshapeOptions>(op, where));
  ReshapeOptions out;
  if (o && o->new_shape()) out.new_shape.assign(o->new_shape()->begin(), o->new_shape()->end());
  return OpOptions{out};
}

Result<OpOptions> ReadReducer(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::ReducerOptions* o, Get<tfl::ReducerOptions>(op, where));
  ReducerOptions out;
  if (o) out.keep_dims = o->keep_dims();
  return OpOptions{out};
}

Result<OpOptions> ReadSqueeze(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::SqueezeOptions* o, Get<tfl::SqueezeOptions>(op, where));
  SqueezeOptions out;
  if (o && o->squeeze_dims())
    out.squeeze_dims.assign(o->squeeze_dims()->begin(), o->squeeze_dims()->end());
  return OpOptions{out};
}

Result<OpOptions> ReadResizeBilinear(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::ResizeBilinearOptions* o,
                           Get<tfl::ResizeBilinearOptions>(op, where));
  ResizeOptions out;
  if (o) {
    out.align_corners = o->align_corners();
    out.half_pixel_centers = o->half_pixel_centers();
  }
  return OpOptions{out};
}

Result<OpOptions> ReadResizeNearest(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::ResizeNearestNeighborOptions* o,
                           Get<tfl::ResizeNearestNeighborOptions>(op, where));
  ResizeOptions out;
  if (o) {
    out.align_corners = o->align_corners();
    out.half_pixel_centers = o->half_pixel_centers();
  }
  return OpOptions{out};
}

Result<OpOptions> ReadStridedSlice(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::StridedSliceOptions* o,
                           Get<tfl::StridedSliceOptions>(op, where));
  StridedSliceOptions out;
  if (o) {
    out.begin_mask = o->begin_mask();
    out.end_mask = o->end_mask();
    out.ellipsis_mask = o->ellipsis_mask();
    out.new_axis_mask = o->new_axis_mask();
    out.shrink_axis_mask = o->shrink_axis_mask();
    out.offset = o->offset();
  }
  return OpOptions{out};
}

Result<OpOptions> ReadArgMax(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::ArgMaxOptions* o, Get<tfl::ArgMaxOptions>(op, where));
  ArgMaxOptions out;
  if (o) out.output_type = static_cast<DataType>(o->output_type());
  return OpOptions{out};
}

Result<OpOptions> ReadPack(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::PackOptions* o, Get<tfl::PackOptions>(op, where));
  PackOptions out;
  if (o) {
    out.count = o->values_count();
    out.axis = o->axis();
  }
  return OpOptions{out};
}

Result<OpOptions> ReadUnpack(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::UnpackOptions* o, Get<tfl::UnpackOptions>(op, where));
  PackOptions out;
  if (o) {
    out.count = o->num();
    out.axis = o->axis();
  }
  return OpOptions{out};
}

template <typename T>
Result<OpOptions> ReadSplit(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const T* o, Get<T>(op, where));
  SplitOptions out;
  if (o) out.num_splits = o->num_splits();
  return OpOptions{out};
}

Result<OpOptions> ReadGather(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::GatherOptions* o, Get<tfl::GatherOptions>(op, where));
  GatherOptions out;
  if (o) {
    out.axis = o->axis();
    out.batch_dims = o->batch_dims();
  }
  return OpOptions{out};
}

Result<OpOptions> ReadLeakyRelu(const tfl::Operator& op, const std::string& where) {
  CORALPI_ASSIGN_OR_RETURN(const tfl::LeakyReluOptions* o, Get<tfl::LeakyReluOptions>(op, where));
  LeakyReluOptions out;
  if (o) out.alpha = o->alpha();
  return OpOptions{out};
}

}  // namespace

Result<OpOptions> ReadOptions(const tfl::Operator& op, int32_t code, const std::string& where) {
  switch (static_cast<OpCode>(code)) {
    case OpCode::kConv2D:
      return ReadConv(op, where);
    case OpCode::kDepthwiseConv2D:
      return ReadDepthwise(op, where);
    case OpCode::kAveragePool2D:
    case OpCode::kMaxPool2D:
      return ReadPool(op, where);
    case OpCode::kFullyConnected:
      return ReadFullyConnected(op, where);
    case OpCode::kAdd:
      return ReadActivationOnly<tfl::AddOptions>(op, where);
    case OpCode::kMul:
      return ReadActivationOnly<tfl::MulOptions>(op, where);
    case OpCode::kSub:
      return ReadActivationOnly<tfl::SubOptions>(op, where);
    case OpCode::kSoftmax:
      return ReadSoftmax(op, where);
    case OpCode::kConcatenation:
      return ReadConcatenation(op, where);
    case OpCode::kReshape:
      return ReadReshape(op, where);
    case OpCode::kMean:
      return ReadReducer(op, where);
    case OpCode::kSqueeze:
      return ReadSqueeze(op, where);
    case OpCode::kDiv:
      return ReadActivationOnly<tfl::DivOptions>(op, where);
    case OpCode::kResizeBilinear:
      return ReadResizeBilinear(op, where);
    case OpCode::kResizeNearestNeighbor:
      return ReadResizeNearest(op, where);
    case OpCode::kStridedSlice:
      return ReadStridedSlice(op, where);
    case OpCode::kArgMax:
      return ReadArgMax(op, where);
    case OpCode::kPack:
      return ReadPack(op, where);
    case OpCode::kUnpack:
      return ReadUnpack(op, where);
    case OpCode::kSplit:
      return ReadSplit<tfl::SplitOptions>(op, where);
    case OpCode::kSplitV:
      return ReadSplit<tfl::SplitVOptions>(op, where);
    case OpCode::kGather:
      return ReadGather(op, where);
    case OpCode::kLeakyRelu:
      return ReadLeakyRelu(op, where);
    default:
      return OpOptions{NoOptions{}};
  }
}

}  // namespace coralpi

// ModelBuilder over the FlatBuffers object API generated from schema/tflite.fbs.
#include "model/builder.h"

#include <map>

#include "tflite_generated.h"

namespace coralpi {
namespace {

tfl::ActivationFunctionType Act(Activation a) {
  return static_cast<tfl::ActivationFunctionType>(a);
}
tfl::Padding Pad(Padding p) {
  return p == Padding::kSame ? tfl::Padding::SAME : tfl::Padding::VALID;
}

tfl::BuiltinOptionsUnion ToUnion(int32_t code, const OpOptions& options) {
  tfl::BuiltinOptionsUnion u;
  if (auto* o = std::get_if<Conv2DOptions>(&options)) {
    tfl::Conv2DOptionsT t;
    t.padding = Pad(o->padding);
    t.stride_w = o->stride_w;
    t.stride_h = o->stride_h;
    t.dilation_w_factor = o->dilation_w;
    t.dilation_h_factor = o->dilation_h;
    t.fused_activation_function = Act(o->activation);
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<DepthwiseConv2DOptions>(&options)) {
    tfl::DepthwiseConv2DOptionsT t;
    t.padding = Pad(o->padding);
    t.stride_w = o->stride_w;
    t.stride_h = o->stride_h;
    t.depth_multiplier = o->depth_multiplier;
    t.dilation_w_factor = o->dilation_w;
    t.dilation_h_factor = o->dilation_h;
    t.fused_activation_function = Act(o->activation);
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<Pool2DOptions>(&options)) {
    tfl::Pool2DOptionsT t;
    t.padding = Pad(o->padding);
    t.stride_w = o->stride_w;
    t.stride_h = o->stride_h;
    t.filter_width = o->filter_w;
    t.filter_height = o->filter_h;
    t.fused_activation_function = Act(o->activation);
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<FullyConnectedOptions>(&options)) {
    tfl::FullyConnectedOptionsT t;
    t.fused_activation_function = Act(o->activation);
    t.keep_num_dims = o->keep_num_dims;
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<AddOptions>(&options)) {
    // ADD, MUL and SUB share the plain "activation only" options shape.
    if (code == static_cast<int32_t>(OpCode::kMul)) {
      tfl::MulOptionsT t;
      t.fused_activation_function = Act(o->activation);
      u.Set(std::move(t));
    } else if (code == static_cast<int32_t>(OpCode::kSub)) {
      tfl::SubOptionsT t;
      t.fused_activation_function = Act(o->activation);
      u.Set(std::move(t));
    } else if (code == static_cast<int32_t>(OpCode::kDiv)) {
      tfl::DivOptionsT t;
      t.fused_activation_function = Act(o->activation);
      u.Set(std::move(t));
    } else {
      tfl::AddOptionsT t;
      t.fused_activation_function = Act(o->activation);
      u.Set(std::move(t));
    }
  } else if (auto* o = std::get_if<SoftmaxOptions>(&options)) {
    tfl::SoftmaxOptionsT t;
    t.beta = o->beta;
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<ConcatenationOptions>(&options)) {
    tfl::ConcatenationOptionsT t;
    t.axis = o->axis;
    t.fused_activation_function = Act(o->activation);
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<ReshapeOptions>(&options)) {
    tfl::ReshapeOptionsT t;
    t.new_shape = o->new_shape;
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<ReducerOptions>(&options)) {
    tfl::ReducerOptionsT t;
    t.keep_dims = o->keep_dims;
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<SqueezeOptions>(&options)) {
    tfl::SqueezeOptionsT t;
    t.squeeze_dims = o->squeeze_dims;
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<ResizeOptions>(&options)) {
    if (code == static_cast<int32_t>(OpCode::kResizeNearestNeighbor)) {
      tfl::ResizeNearestNeighborOptionsT t;
      t.align_corners = o->align_corners;
      t.half_pixel_centers = o->half_pixel_centers;
      u.Set(std::move(t));
    } else {
      tfl::ResizeBilinearOptionsT t;
      t.align_corners = o->align_corners;
      t.half_pixel_centers = o->half_pixel_centers;
      u.Set(std::move(t));
    }
  } else if (auto* o = std::get_if<StridedSliceOptions>(&options)) {
    tfl::StridedSliceOptionsT t;
    t.begin_mask = o->begin_mask;
    t.end_mask = o->end_mask;
    t.ellipsis_mask = o->ellipsis_mask;
    t.new_axis_mask = o->new_axis_mask;
    t.shrink_axis_mask = o->shrink_axis_mask;
    t.offset = o->offset;
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<ArgMaxOptions>(&options)) {
    tfl::ArgMaxOptionsT t;
    t.output_type = static_cast<tfl::TensorType>(o->output_type);
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<PackOptions>(&options)) {
    if (code == static_cast<int32_t>(OpCode::kUnpack)) {
      tfl::UnpackOptionsT t;
      t.num = o->count;
      t.axis = o->axis;
      u.Set(std::move(t));
    } else {
      tfl::PackOptionsT t;
      t.values_count = o->count;
      t.axis = o->axis;
      u.Set(std::move(t));
    }
  } else if (auto* o = std::get_if<SplitOptions>(&options)) {
    if (code == static_cast<int32_t>(OpCode::kSplitV)) {
      tfl::SplitVOptionsT t;
      t.num_splits = o->num_splits;
      u.Set(std::move(t));
    } else {
      tfl::SplitOptionsT t;
      t.num_splits = o->num_splits;
      u.Set(std::move(t));
    }
  } else if (auto* o = std::get_if<GatherOptions>(&options)) {
    tfl::GatherOptionsT t;
    t.axis = o->axis;
    t.batch_dims = o->batch_dims;
    u.Set(std::move(t));
  } else if (auto* o = std::get_if<LeakyReluOptions>(&options)) {
    tfl::LeakyReluOptionsT t;
    t.alpha = o->alpha;
    u.Set(std::move(t));
  }
  return u;
}

}  // namespace

int32_t ModelBuilder::AddTensor(TensorSpec spec) {
  tensors_.push_back(std::move(spec));
  return static_cast<int32_t>(tensors_.size() - 1);
}

void ModelBuilder::AddOperator(OpCode code, std::vector<int32_t> inputs,
                               std::vector<int32_t> outputs, const OpOptions& options) {
  ops_.push_back(
      {static_cast<int32_t>(code), "", std::move(inputs), std::move(outputs), options, {}});
}

void ModelBuilder::AddCustomOperator(const std::string& custom_code, std::vector<int32_t> inputs,
                                     std::vector<int32_t> outputs,
                                     std::vector<uint8_t> custom_options) {
  ops_.push_back({static_cast<int32_t>(OpCode::kCustom), custom_code, std::move(inputs),
                  std::move(outputs), NoOptions{}, std::move(custom_options)});
}

void ModelBuilder::AddMetadata(std::string name, std::vector<uint8_t> data) {
  metadata_.emplace_back(std::move(name), std::move(data));
}

std::vector<uint8_t> ModelBuilder::Finish() const {
  tfl::ModelT model;
  model.version = 3;
  model.description = description_;
  model.buffers.push_back(std::make_unique<tfl::BufferT>());  // buffer 0: the empty sentinel
  auto sg = std::make_unique<tfl::SubGraphT>();
  sg->name = "main";
  for (const TensorSpec& spec : tensors_) {
    auto t = std::make_unique<tfl::TensorT>();
    t->name = spec.name;
    t->type = static_cast<tfl::TensorType>(spec.type);
    t->shape = spec.shape;
    if (!spec.quant.empty()) {
      t->quantization = std::make_unique<tfl::QuantizationParametersT>();
      t->quantization->scale = spec.quant.scale;
      t->quantization->zero_point = spec.quant.zero_point;
      t->quantization->quantized_dimension = spec.quant.axis;
    }
    if (!spec.data.empty()) {
      auto b = std::make_unique<tfl::BufferT>();
      b->data = spec.data;
      t->buffer = static_cast<uint32_t>(model.buffers.size());
      model.buffers.push_back(std::move(b));
    }
    sg->tensors.push_back(std::move(t));
  }
  std::map<std::pair<int32_t, std::string>, uint32_t> code_index;
  for (const Op& op : ops_) {
    auto key = std::make_pair(op.code, op.custom_code);
    if (!code_index.count(key)) {
      auto c = std::make_unique<tfl::OperatorCodeT>();
      c->builtin_code = op.code;
      c->deprecated_builtin_code = static_cast<int8_t>(std::min(op.code, 127));
      c->custom_code = op.custom_code;
      code_index[key] = static_cast<uint32_t>(model.operator_codes.size());
      model.operator_codes.push_back(std::move(c));
    }
    auto o = std::make_unique<tfl::OperatorT>();
    o->opcode_index = code_index[key];
    o->inputs = op.inputs;
    o->outputs = op.outputs;
    o->builtin_options = ToUnion(op.code, op.options);
    o->custom_options = op.custom_options;
    sg->operators.push_back(std::move(o));
  }
  sg->inputs = inputs_;
  sg->outputs = outputs_;
  model.subgraphs.push_back(std::move(sg));
  for (const auto& [name, data] : metadata_) {
    auto b = std::make_unique<tfl::BufferT>();
    b->data = data;
    auto m = std::make_unique<tfl::MetadataT>();
    m->name = name;
    m->buffer = static_cast<uint32_t>(model.buffers.size());
    model.buffers.push_back(std::move(b));
    model.metadata.push_back(std::move(m));
  }
  flatbuffers::FlatBufferBuilder fbb;
  tfl::FinishModelBuffer(fbb, tfl::Model::Pack(fbb, &model));
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

Result<std::vector<uint8_t>> ReplaceOutputs(std::span<const uint8_t> model_bytes,
                                            const std::vector<int32_t>& outputs) {
  flatbuffers::Verifier verifier(model_bytes.data(), model_bytes.size());
  if (!tfl::VerifyModelBuffer(verifier)) return Error{"not a valid model"};
  std::unique_ptr<tfl::ModelT> model(tfl::GetModel(model_bytes.data())->UnPack());
  if (model->subgraphs.empty()) return Error{"the model has no subgraph"};
  model->subgraphs[0]->outputs = outputs;
  flatbuffers::FlatBufferBuilder fbb;
  tfl::FinishModelBuffer(fbb, tfl::Model::Pack(fbb, model.get()));
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

}  // namespace coralpi

// Model loading: FlatBuffers verification, then a semantic check of every index and size,
// then a copy into plain structs (spans keep pointing into the owned file bytes).
#include "model/model.h"

#include <cstring>
#include <type_traits>

#include "core/file.h"
#include "model/options_reader.h"
#include "tflite_generated.h"

namespace coralpi {
namespace {

constexpr size_t kMaxModelBytes = size_t{2} << 30;  // FlatBuffers' own 2 GiB limit

std::string TensorWhere(size_t sg, size_t t) {
  return (sg ? "subgraph " + std::to_string(sg) + ": " : "") + "tensor " + std::to_string(t);
}

// A copy of a FlatBuffers vector of scalars, through memcpy: the verifier checks that a vector's
// length is 4-byte aligned but not its elements, so an int64 vector (zero points) may start
// where no int64 load may read (fuzz_model found it; UBSan stops there). FlatBuffers scalars are
// little-endian, as every machine coralpi builds for.
template <typename T>
std::vector<T> ToVector(const flatbuffers::Vector<T>* v) {
  static_assert(std::is_arithmetic_v<T>);
  if (v == nullptr) return {};
  std::vector<T> out(v->size());
  if (!out.empty()) std::memcpy(out.data(), v->Data(), out.size() * sizeof(T));
  return out;
}

Status CheckIndexList(const std::vector<int32_t>& list, size_t count, bool allow_omitted,
                      const std::string& where) {
  for (int32_t idx : list) {
    if (idx == -1 && allow_omitted) continue;
    if (idx < 0 || static_cast<size_t>(idx) >= count) {
      return MakeError(where, "tensor index " + std::to_string(idx) + " is out of range (" +
                                  std::to_string(count) + " tensors)");
    }
  }
  return OkStatus();
}

Result<Quantization> ReadQuantization(const tfl::QuantizationParameters* q, const Shape& shape,
                                      const std::string& where) {
  Quantization out;
  if (!q) return out;
  if (q->details_type() != tfl::QuantizationDetails::NONE) {
    return MakeError(ErrorKind::kUnsupported, where,
                     "custom quantization details are not supported");
  }
  out.scale = ToVector(q->scale());
  out.zero_point = ToVector(q->zero_point());
  out.axis = q->quantized_dimension();
  if (out.scale.empty()) {
    out.zero_point.clear();
    return out;
  }
  if (out.zero_point.empty()) out.zero_point.assign(out.scale.size(), 0);
  if (out.zero_point.size() != out.scale.size()) {
    return MakeError(where, std::to_string(out.scale.size()) + " scales but " +
                                std::to_string(out.zero_point.size()) + " zero points");
  }
  for (float s : out.scale) {
    if (!(s > 0.0f) || s > 1e30f) {
      return MakeError(where, "quantization scale " + std::to_string(s) + " is not positive");
    }
  }
  if (out.per_channel()) {
    if (out.axis < 0 || static_cast<size_t>(out.axis) >= shape.size()) {
      return MakeError(where, "quantized dimension " + std::to_string(out.axis) +
                                  " is outside the tensor's rank " + std::to_string(shape.size()));
    }
    if (static_cast<size_t>(shape[static_cast<size_t>(out.axis)]) != out.scale.size()) {
      return MakeError(where, std::to_string(out.scale.size()) +
                                  " per-channel scales for dimension " + std::to_string(out.axis) +
                                  " of size " + std::to_string(shape[out.axis]));
    }
  }
  return out;
}

}  // namespace

std::string OperatorInfo::name() const {
  if (code == static_cast<int32_t>(OpCode::kCustom)) return custom_code;
  return OpCodeName(code);
}

Result<std::shared_ptr<const Model>> Model::Load(const std::string& path) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return FromBytes(std::move(bytes), path);
}

Result<std::shared_ptr<const Model>> Model::FromBytes(std::vector<uint8_t> bytes,
                                                      const std::string& name) {
  std::shared_ptr<Model> model(new Model());
  model->name_ = name;
  model->bytes_ = std::move(bytes);
  Status status = model->Parse();
  if (!status.ok()) {
    // Anything Parse rejects, unless it named the kind (kUnsupported), is a corrupt model.
    const Error& e = status.error();
    return WithContext(name, e.kind == ErrorKind::kInternal ? WithKind(ErrorKind::kBadFile, e) : e);
  }
  return std::shared_ptr<const Model>(std::move(model));
}

Status Model::Parse() {
  if (bytes_.empty()) return Error{"the file is empty"};
  if (bytes_.size() < 8) return Error{"the file is too short to be a model"};
  if (bytes_.size() >= kMaxModelBytes) {
    return Error{"models of 2 GiB or more are not supported", ErrorKind::kUnsupported};
  }
  if (!flatbuffers::BufferHasIdentifier(bytes_.data(), tfl::ModelIdentifier())) {
    return Error{"not a TensorFlow Lite model (no \"TFL3\" file identifier)"};
  }
  flatbuffers::Verifier verifier(bytes_.data(), bytes_.size());
  if (!tfl::VerifyModelBuffer(verifier)) {
    return Error{"the model is corrupt or truncated (FlatBuffers verification failed)"};
  }
  const tfl::Model* m = tfl::GetModel(bytes_.data());
  schema_version_ = m->version();
  if (m->description()) description_ = m->description()->str();

  // Buffers: resolve each to a span of the file.
  std::vector<std::span<const uint8_t>> buffers;
  if (m->buffers()) {
    for (const tfl::Buffer* b : *m->buffers()) {
      if (b->offset() > 1 || b->size() > 0) {
        return Error{"buffers stored outside the FlatBuffer (models over 2 GB) are not supported",
                     ErrorKind::kUnsupported};
      }
      buffers.push_back(b->data() ? std::span<const uint8_t>(b->data()->data(), b->data()->size())
                                  : std::span<const uint8_t>());
    }
  }

  // Operator codes.
  struct Code {
    int32_t builtin;
    std::string custom;
    int32_t version;
  };
  std::vector<Code> codes;
  if (m->operator_codes()) {
    for (const tfl::OperatorCode* c : *m->operator_codes()) {
      Code code{std::max<int32_t>(c->deprecated_builtin_code(), c->builtin_code()),
                c->custom_code() ? c->custom_code()->str() : "", c->version()};
      if (code.builtin < 0) return Error{"negative operator code " + std::to_string(code.builtin)};
      if (code.builtin == static_cast<int32_t>(OpCode::kCustom) && code.custom.empty()) {
        return Error{"a custom operator code has no name"};
      }
      codes.push_back(std::move(code));
    }
  }

  if (!m->subgraphs() || m->subgraphs()->size() == 0) return Error{"the model has no subgraph"};
  for (size_t sg = 0; sg < m->subgraphs()->size(); ++sg) {
    const tfl::SubGraph* g = m->subgraphs()->Get(static_cast<flatbuffers::uoffset_t>(sg));
    Subgraph out;
    if (g->name()) out.name = g->name()->str();
    if (g->tensors()) {
      for (size_t t = 0; t < g->tensors()->size(); ++t) {
        const tfl::Tensor* src = g->tensors()->Get(static_cast<flatbuffers::uoffset_t>(t));
        std::string where = TensorWhere(sg, t);
        TensorInfo info;
        if (src->name()) info.name = src->name()->str();
        int8_t type = static_cast<int8_t>(src->type());
        if (type < 0 || type > static_cast<int8_t>(DataType::kFloat64)) {
          return MakeError(where, "unknown element type " + std::to_string(type));
        }
        info.type = static_cast<DataType>(type);
        info.shape = ToVector(src->shape());
        for (int32_t d : info.shape) {
          if (d < 0)
            return MakeError(where, "negative dimension in shape " + ShapeToString(info.shape));
        }
        if (src->sparsity()) {
          return MakeError(ErrorKind::kUnsupported, where, "sparse tensors are not supported");
        }
        info.buffer = src->buffer();
        info.is_variable = src->is_variable();
        if (info.buffer >= buffers.size() && !(info.buffer == 0 && buffers.empty())) {
          return MakeError(where, "buffer index " + std::to_string(info.buffer) +
                                      " is out of range (" + std::to_string(buffers.size()) +
                                      " buffers)");
        }
        if (!buffers.empty()) info.data = buffers[info.buffer];
        CORALPI_ASSIGN_OR_RETURN(info.quant,
                                 ReadQuantization(src->quantization(), info.shape, where));
        if (info.is_constant() && ElementSize(info.type) != 0) {
          int64_t need = info.num_bytes();
          if (need < 0)
            return MakeError(where, "shape " + ShapeToString(info.shape) + " is too large");
          if (static_cast<int64_t>(info.data.size()) != need) {
            return MakeError(where, "buffer " + std::to_string(info.buffer) + " holds " +
                                        std::to_string(info.data.size()) + " bytes but shape " +
                                        ShapeToString(info.shape) + " of " +
                                        DataTypeName(info.type) + " needs " + std::to_string(need));
          }
        }
        out.tensors.push_back(std::move(info));
      }
    }
    out.inputs = ToVector(g->inputs());
    out.outputs = ToVector(g->outputs());
    std::string sg_where = sg ? "subgraph " + std::to_string(sg) + ": " : "";
    CORALPI_RETURN_IF_ERROR(
        CheckIndexList(out.inputs, out.tensors.size(), false, sg_where + "inputs"));
    CORALPI_RETURN_IF_ERROR(
        CheckIndexList(out.outputs, out.tensors.size(), false, sg_where + "outputs"));
    if (g->operators()) {
      for (size_t o = 0; o < g->operators()->size(); ++o) {
        const tfl::Operator* src = g->operators()->Get(static_cast<flatbuffers::uoffset_t>(o));
        std::string where = sg_where + "operator " + std::to_string(o);
        if (src->opcode_index() >= codes.size()) {
          return MakeError(where, "operator code index " + std::to_string(src->opcode_index()) +
                                      " is out of range (" + std::to_string(codes.size()) +
                                      " codes)");
        }
        const Code& code = codes[src->opcode_index()];
        OperatorInfo op;
        op.index = static_cast<int32_t>(o);
        op.code = code.builtin;
        op.custom_code = code.custom;
        op.version = code.version;
        op.inputs = ToVector(src->inputs());
        op.outputs = ToVector(src->outputs());
        where += " (" + op.name() + ")";
        CORALPI_RETURN_IF_ERROR(
            CheckIndexList(op.inputs, out.tensors.size(), true, where + ": inputs"));
        CORALPI_RETURN_IF_ERROR(
            CheckIndexList(op.outputs, out.tensors.size(), false, where + ": outputs"));
        if (src->custom_options()) {
          op.custom_options = {src->custom_options()->data(), src->custom_options()->size()};
        }
        if (src->large_custom_options_offset() > 1) {
          return MakeError(ErrorKind::kUnsupported, where,
                           "custom options stored outside the FlatBuffer are not supported");
        }
        CORALPI_ASSIGN_OR_RETURN(op.options, ReadOptions(*src, op.code, where));
        out.operators.push_back(std::move(op));
      }
    }
    subgraphs_.push_back(std::move(out));
  }

  if (m->metadata()) {
    for (const tfl::Metadata* md : *m->metadata()) {
      MetadataEntry entry;
      if (md->name()) entry.name = md->name()->str();
      if (md->buffer() >= buffers.size()) {
        return MakeError("metadata \"" + entry.name + "\"",
                         "buffer index " + std::to_string(md->buffer()) + " is out of range");
      }
      entry.data = buffers[md->buffer()];
      metadata_.push_back(std::move(entry));
    }
  }
  return OkStatus();
}

size_t Model::parameter_bytes() const {
  size_t total = 0;
  for (const TensorInfo& t : main_graph().tensors) total += t.data.size();
  for (const OperatorInfo& op : main_graph().operators) total += op.custom_options.size();
  return total;
}

bool Model::HasCustomOp(const std::string& code) const {
  for (const Subgraph& g : subgraphs_) {
    for (const OperatorInfo& op : g.operators) {
      if (op.code == static_cast<int32_t>(OpCode::kCustom) && op.custom_code == code) return true;
    }
  }
  return false;
}

}  // namespace coralpi

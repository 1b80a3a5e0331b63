// Edge TPU custom-op payloads: reading and verifying; see edgetpu_executable.h.
#include "backend/edgetpu_executable.h"

#include <flatbuffers/flexbuffers.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>

#include "edgetpu_package_generated.h"

namespace coralpi {
namespace {

namespace fmt = edgetpu_format;

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();
// libedgetpu walks every (y, x) of a tiled output layer; more than this is no real model.
constexpr int64_t kMaxTiledPositions = int64_t{1} << 22;
// At most this many dimensions in a layer's shape (batch, ?, y, x, z: libedgetpu's tensor_util).
constexpr size_t kMaxShapeDims = 5;

// FlatBuffers nested in strings are not aligned; the verifier and the accessors want the
// buffer aligned as it was written, so each one is copied to fresh (max-aligned) memory.
class AlignedCopy {
 public:
  AlignedCopy(const uint8_t* data, size_t size)
      : bytes_(new uint64_t[(size + 7) / 8 + 1]), size_(size) {
    if (size > 0) std::memcpy(bytes_.get(), data, size);
  }
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(bytes_.get()); }
  size_t size() const { return size_; }

 private:
  std::unique_ptr<uint64_t[]> bytes_;
  size_t size_;
};

std::string TypeName(fmt::ExecutableType t) {
  switch (t) {
    case fmt::ExecutableType::STAND_ALONE:
      return "STAND_ALONE";
    case fmt::ExecutableType::PARAMETER_CACHING:
      return "PARAMETER_CACHING";
    case fmt::ExecutableType::EXECUTION_ONLY:
      return "EXECUTION_ONLY";
  }
  return "type " + std::to_string(static_cast<int>(t));
}

// Bytes per value of a layer type (libedgetpu's TensorDataTypeSize), 0 for unknown types.
int LayerTypeBytes(fmt::LayerDataType t) {
  switch (t) {
    case fmt::LayerDataType::FIXED_POINT8:
    case fmt::LayerDataType::SIGNED_FIXED_POINT8:
      return 1;
    case fmt::LayerDataType::FIXED_POINT16:
    case fmt::LayerDataType::SIGNED_FIXED_POINT16:
    case fmt::LayerDataType::BFLOAT:
    case fmt::LayerDataType::HALF:
      return 2;
    case fmt::LayerDataType::SIGNED_FIXED_POINT32:
    case fmt::LayerDataType::SINGLE:
      return 4;
  }
  return 0;
}

template <typename T>
size_t Length(const flatbuffers::Vector<T>* v) {
  return v ? v->size() : 0;
}

// The number of values in a shape, or an error; every range must be non-empty.
Result<int64_t> ShapeValues(const fmt::TensorShape* shape, const std::string& what) {
  if (!shape || Length(shape->dimension()) == 0 || Length(shape->dimension()) > kMaxShapeDims) {
    return Error{what + " must have 1 to " + std::to_string(kMaxShapeDims) + " dimensions"};
  }
  int64_t n = 1;
  for (const fmt::Range* r : *shape->dimension()) {
    int64_t length = int64_t{r->end()} - r->start() + 1;
    if (length < 1) return Error{what + " has an empty range"};
    n *= length;
    if (n > kIntMax) return Error{what + " is too large"};
  }
  return n;
}

// A tiled output (no shape information): every (y, x) must map into the TPU's buffer.
Status CheckTiledLayout(const fmt::OutputLayout* layout, const EdgeTpuLayerInfo& l) {
  if (l.y * l.x == 1) return OkStatus();  // copied as one run of z values
  if (!layout) return Error{"has no output layout"};
  const auto* ytile = layout->y_coordinate_to_linear_tile_id_map();
  const auto* ylocal = layout->y_coordinate_to_local_y_offset();
  const auto* xtile = layout->x_coordinate_to_linear_tile_id_map();
  const auto* xbyte = layout->x_coordinate_to_local_byte_offset();
  const auto* xrow = layout->x_coordinate_to_local_y_row_size();
  const auto* tiles = layout->linearized_tile_byte_offset();
  const size_t y = static_cast<size_t>(l.y), x = static_cast<size_t>(l.x);
  if (Length(ytile) < y || Length(ylocal) < y || Length(xtile) < x || Length(xbyte) < x ||
      Length(xrow) < x || Length(tiles) == 0) {
    return Error{"its output layout does not cover its " + std::to_string(l.y) + " x " +
                 std::to_string(l.x) + " positions"};
  }
  if (int64_t{l.y} * l.x > kMaxTiledPositions) return Error{"has too many output positions"};
  for (size_t yi = 0; yi < y; ++yi) {
    for (size_t xi = 0; xi < x; ++xi) {
      int64_t tile = int64_t{ytile->Get(yi)} + xtile->Get(xi);
      if (tile < 0 || tile >= static_cast<int64_t>(tiles->size())) {
        return Error{"its output layout names tile " + std::to_string(tile) + " of " +
                     std::to_string(tiles->size())};
      }
      int64_t first = int64_t{tiles->Get(static_cast<flatbuffers::uoffset_t>(tile))} +
                      int64_t{ylocal->Get(yi)} * xrow->Get(xi) + xbyte->Get(xi);
      int64_t end = (first + l.z) * l.element_bytes;
      if (first < 0 || end > l.padded_bytes) {
        return Error{"its output layout points outside its " + std::to_string(l.padded_bytes) +
                     "-byte buffer"};
      }
    }
  }
  return OkStatus();
}

// An output described as slices of the host tensor: every slice must lie inside the host
// shape and inside the TPU's buffer.
Status CheckSlicedLayout(const fmt::OutputShapeInfo* info, const fmt::TensorShape* host,
                         const EdgeTpuLayerInfo& l) {
  if (l.executions != 1) return Error{"has sliced output with several executions"};
  CORALPI_ASSIGN_OR_RETURN(int64_t host_values, ShapeValues(host, "its shape"));
  // The slices are copied into the node's tensor laid out as the shape: it must not hold more
  // than the layer (inferred from libedgetpu's relayout; no test model has a sliced output).
  if (host_values > l.values) {
    return Error{"has a shape of " + std::to_string(host_values) + " values for " +
                 std::to_string(l.values) + " in the layer"};
  }
  const auto* layouts = info->slice_layout();
  const auto* offsets = info->slice_offset();
  if (Length(layouts) == 0 || Length(layouts) != Length(offsets)) {
    return Error{"has " + std::to_string(Length(layouts)) + " output slices and " +
                 std::to_string(Length(offsets)) + " slice offsets"};
  }
  for (flatbuffers::uoffset_t i = 0; i < layouts->size(); ++i) {
    const std::string what = "output slice " + std::to_string(i);
    const fmt::TensorLayout* s = layouts->Get(i);
    CORALPI_RETURN_IF_ERROR(ShapeValues(s->shape(), what));
    const size_t dims = Length(host->dimension());
    if (Length(s->shape()->dimension()) != dims || Length(s->stride()) != dims) {
      return Error{what + " does not have its shape's dimensions and a stride for each"};
    }
    int64_t last = 0;
    for (flatbuffers::uoffset_t d = 0; d < dims; ++d) {
      const fmt::Range* r = s->shape()->dimension()->Get(d);
      const fmt::Range* h = host->dimension()->Get(d);
      if (r->start() < h->start() || r->end() > h->end())
        return Error{what + " is outside its shape"};
      int64_t stride = s->stride()->Get(d);
      if (stride < 1) return Error{what + " has a stride below 1"};
      last += (int64_t{r->end()} - r->start()) * stride;
    }
    int64_t offset = offsets->Get(i);
    if (offset < 0 || offset % l.element_bytes != 0 ||
        offset + (last + 1) * l.element_bytes > l.padded_bytes) {
      return Error{what + " lies outside the " + std::to_string(l.padded_bytes) + "-byte buffer"};
    }
  }
  return OkStatus();
}

Result<EdgeTpuLayerInfo> ParseLayer(const fmt::Layer* layer, bool output) {
  EdgeTpuLayerInfo l;
  if (!layer->name()) return Error{"has no name"};
  l.name = layer->name()->str();
  if (!layer->numerics()) return Error{"has no numerics (zero point and scale)"};
  l.element_bytes = LayerTypeBytes(layer->data_type());
  if (l.element_bytes == 0) {
    return Error{"has unknown data type " + std::to_string(static_cast<int>(layer->data_type()))};
  }
  l.data_type = fmt::EnumNameLayerDataType(layer->data_type());
  l.y = layer->y_dim();
  l.x = layer->x_dim();
  l.z = layer->z_dim();
  l.executions = layer->execution_count_per_inference();
  if (l.y < 1 || l.x < 1 || l.z < 1 || l.executions < 1 || layer->size_bytes() < 0) {
    return Error{"has a dimension, execution count or size below 1"};
  }
  // Each factor is below 2^31, so two products of two fit; their product or the byte count may
  // not (fuzz_edgetpu_payload): checked multiplications.
  int64_t value_bytes = 0;
  if (__builtin_mul_overflow(int64_t{l.y} * l.x, int64_t{l.z} * l.executions, &l.values) ||
      __builtin_mul_overflow(l.values, int64_t{l.element_bytes}, &value_bytes) ||
      value_bytes > kIntMax) {
    return Error{"is too large"};
  }
  l.padded_bytes = int64_t{layer->size_bytes()} * l.executions;
  if (l.padded_bytes > kIntMax) return Error{"is too large"};
  if (l.padded_bytes < l.values * l.element_bytes) {
    return Error{"holds " + std::to_string(l.values * l.element_bytes) + " bytes in a " +
                 std::to_string(l.padded_bytes) + "-byte buffer"};
  }
  l.variable_output = l.name.size() >= 16 && l.name.ends_with("_variable_output");
  if (layer->shape()) CORALPI_RETURN_IF_ERROR(ShapeValues(layer->shape(), "its shape"));
  if (!output) return l;
  const fmt::OutputLayer* out = layer->any_layer_as_OutputLayer();
  if (!out) return Error{"is not described as an output layer"};
  if (out->shape_info()) {
    CORALPI_RETURN_IF_ERROR(CheckSlicedLayout(out->shape_info(), layer->shape(), l));
  } else {
    CORALPI_RETURN_IF_ERROR(CheckTiledLayout(out->layout(), l));
  }
  return l;
}

Status ParseLayers(const flatbuffers::Vector<flatbuffers::Offset<fmt::Layer>>* layers, bool output,
                   std::vector<EdgeTpuLayerInfo>& into) {
  for (flatbuffers::uoffset_t i = 0; i < Length(layers); ++i) {
    auto l = ParseLayer(layers->Get(i), output);
    if (!l.ok()) {
      return Error{std::string(output ? "output" : "input") + " layer " + std::to_string(i) + " " +
                   l.error().message};
    }
    into.push_back(std::move(*l));
  }
  return OkStatus();
}

Result<EdgeTpuExecutableInfo> ParseExecutable(const uint8_t* data, size_t size,
                                              const std::string& where) {
  AlignedCopy copy(data, size);
  flatbuffers::Verifier verifier(copy.data(), copy.size());
  if (!verifier.VerifyBuffer<fmt::Executable>(nullptr)) {
    return MakeError(where, "the executable is not a valid Edge TPU executable");
  }
  const fmt::Executable* exe = flatbuffers::GetRoot<fmt::Executable>(copy.data());
  EdgeTpuExecutableInfo info;
  info.type = TypeName(exe->type());
  if (exe->name()) info.name = exe->name()->str();
  if (exe->chip()) info.chip = exe->chip()->str();
  info.serialized_bytes = size;
  if (exe->parameters()) info.parameter_bytes = exe->parameters()->size();
  if (exe->instruction_bitstreams()) {
    for (const fmt::InstructionBitstream* b : *exe->instruction_bitstreams()) {
      if (b && b->bitstream()) info.instruction_bytes += b->bitstream()->size();
    }
  }
  info.estimated_cycles =
      exe->estimated_cycles_64bit() != 0 ? exe->estimated_cycles_64bit() : exe->estimated_cycles();
  info.parameters_in_tpu_dram = exe->use_tpu_dram_for_parameters();
  info.parameter_caching_token = exe->parameter_caching_token();
  info.batch_size = exe->batch_size();
  if (info.batch_size < 1) return MakeError(where, "batch size below 1");
  Status layers = ParseLayers(exe->input_layers(), false, info.inputs);
  if (layers.ok()) layers = ParseLayers(exe->output_layers(), true, info.outputs);
  if (!layers.ok()) return MakeError(where, layers.error().message);
  return info;
}

// libedgetpu accepts one executable of any type, or PARAMETER_CACHING + EXECUTION_ONLY, or
// those two + STAND_ALONE, each type once.
Status CheckExecutableTypes(const std::vector<EdgeTpuExecutableInfo>& exes) {
  std::vector<std::string> types;
  for (const EdgeTpuExecutableInfo& e : exes) {
    if (std::find(types.begin(), types.end(), e.type) != types.end()) {
      return Error{"two executables of type " + e.type};
    }
    types.push_back(e.type);
  }
  auto has = [&](const char* t) { return std::find(types.begin(), types.end(), t) != types.end(); };
  bool ok = types.size() == 1 ||
            (types.size() == 2 && has("PARAMETER_CACHING") && has("EXECUTION_ONLY")) ||
            (types.size() == 3 && has("PARAMETER_CACHING") && has("EXECUTION_ONLY") &&
             has("STAND_ALONE"));
  return ok ? OkStatus() : Error{"an executable combination libedgetpu does not run"};
}

Result<EdgeTpuPackageInfo> ParsePackage(const uint8_t* data, size_t size,
                                        const std::string& where) {
  AlignedCopy copy(data, size);
  flatbuffers::Verifier verifier(copy.data(), copy.size());
  if (size < 8 || !verifier.VerifyBuffer<fmt::Package>(nullptr)) {
    return MakeError(where, "not a valid Edge TPU executable package");
  }
  const fmt::Package* package = flatbuffers::GetRoot<fmt::Package>(copy.data());
  EdgeTpuPackageInfo info;
  info.serialized_bytes = size;
  info.has_identifier = flatbuffers::BufferHasIdentifier(copy.data(), fmt::PackageIdentifier());
  info.min_runtime_version = package->min_runtime_version();
  if (package->compiler_version()) info.compiler_version = package->compiler_version()->str();
  if (package->model_identifier()) info.model_identifier = package->model_identifier()->str();
  const flatbuffers::Vector<uint8_t>* multi = package->serialized_multi_executable();
  if (!multi || multi->size() == 0) return MakeError(where, "the package holds no executables");
  AlignedCopy multi_copy(multi->data(), multi->size());
  flatbuffers::Verifier multi_verifier(multi_copy.data(), multi_copy.size());
  if (!multi_verifier.VerifyBuffer<fmt::MultiExecutable>(nullptr)) {
    return MakeError(where, "the package's executable list is malformed");
  }
  const fmt::MultiExecutable* list = flatbuffers::GetRoot<fmt::MultiExecutable>(multi_copy.data());
  if (!list->serialized_executables() || list->serialized_executables()->size() == 0) {
    return MakeError(where, "the package holds no executables");
  }
  for (flatbuffers::uoffset_t i = 0; i < list->serialized_executables()->size(); ++i) {
    const flatbuffers::String* s = list->serialized_executables()->Get(i);
    CORALPI_ASSIGN_OR_RETURN(EdgeTpuExecutableInfo exe,
                             ParseExecutable(reinterpret_cast<const uint8_t*>(s->data()), s->size(),
                                             where + ": executable " + std::to_string(i)));
    info.executables.push_back(std::move(exe));
  }
  Status types = CheckExecutableTypes(info.executables);
  if (!types.ok()) return MakeError(where, types.error().message);
  return info;
}

// The packages of the FlexBuffer map and their chips, read as libedgetpu reads them: key "4";
// when key "6" (one integer chip per package) is present, also the packages of key "7".
struct Packages {
  std::vector<std::span<const uint8_t>> blobs;
  std::vector<int32_t> chips;
};
Result<Packages> PackageBlobs(const flexbuffers::Map& map) {
  auto bytes = [](const flexbuffers::String& s) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.c_str()), s.length());
  };
  auto is_vector = [](const flexbuffers::Reference& r) { return r.IsVector() && !r.IsMap(); };
  Packages p;
  flexbuffers::Reference first = map["4"];
  if (!first.IsString()) return Error{"key \"4\" (the serialized executable package) is missing"};
  p.blobs.push_back(bytes(first.AsString()));
  flexbuffers::Reference chips = map["6"];
  if (chips.IsNull()) return p;  // an older layout: one package, key "7" unread
  if (!is_vector(chips)) return Error{"key \"6\" (the chips) is not a vector"};
  flexbuffers::Reference more = map["7"];
  if (!more.IsNull() && !is_vector(more)) return Error{"key \"7\" is not a vector"};
  flexbuffers::Vector rest = more.AsVector();
  for (size_t i = 0; i < rest.size(); ++i) {
    if (!rest[i].IsString()) return Error{"key \"7\" holds a non-string entry"};
    p.blobs.push_back(bytes(rest[i].AsString()));
  }
  flexbuffers::Vector v = chips.AsVector();
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].IsInt()) return Error{"key \"6\" holds a non-integer chip"};
    p.chips.push_back(v[i].AsInt32());
  }
  if (p.chips.size() != p.blobs.size()) {
    return Error{"key \"6\" names " + std::to_string(p.chips.size()) + " chips for " +
                 std::to_string(p.blobs.size()) + " packages"};
  }
  return p;
}

// ---- the node's tensors against the layers ----

// Bytes per element libedgetpu handles for a node tensor, 0 for other types.
int NodeTypeBytes(DataType t) {
  switch (t) {
    case DataType::kUInt8:
    case DataType::kInt8:
      return 1;
    case DataType::kInt16:
    case DataType::kFloat16:
      return 2;
    case DataType::kInt32:
    case DataType::kFloat32:
      return 4;
    default:
      return 0;
  }
}

// libedgetpu's ValidateDataType: which tensor type each layer type feeds or fills.
bool TypesMatch(DataType tensor, const EdgeTpuLayerInfo& l, bool output) {
  bool classifier = output && l.y == 1 && l.x == 1 && tensor == DataType::kUInt8;
  const std::string& t = l.data_type;
  if (t == "FIXED_POINT8") return tensor == DataType::kUInt8;
  if (t == "SIGNED_FIXED_POINT8") return tensor == DataType::kInt8;
  if (t == "FIXED_POINT16") return tensor == DataType::kInt16 || classifier;
  if (t == "SIGNED_FIXED_POINT16") return tensor == DataType::kInt16;
  if (t == "SIGNED_FIXED_POINT32") return tensor == DataType::kInt32;
  if (t == "SINGLE") return tensor == DataType::kFloat32 || classifier;
  if (t == "HALF") return tensor == DataType::kFloat16;
  return false;
}

std::string Describe(const TensorView& v) {
  return std::string(DataTypeName(v.type)) + " " + ShapeToString(v.shape);
}

// The batches a tensor holds of a layer (its first dimension when that accounts for all its
// bytes, else 1), and its bytes; an error when the types do not match.
struct Batched {
  int64_t batches = 1;
  int64_t bytes = 0;
  int64_t single = 0;  // bytes of one batch
};
Result<Batched> Batches(const TensorView& t, const EdgeTpuLayerInfo& l, bool output) {
  int size = NodeTypeBytes(t.type);
  if (size == 0 || !TypesMatch(t.type, l, output)) {
    return Error{"is " + Describe(t) + ", but the Edge TPU layer \"" + l.name + "\" is " +
                 l.data_type};
  }
  Batched b;
  b.single = l.values * size;
  b.bytes = t.num_elements() * size;
  if (!t.shape.empty() && int64_t{t.shape[0]} * b.single == b.bytes) b.batches = t.shape[0];
  return b;
}

Status CheckExecutable(const EdgeTpuExecutableInfo& exe, std::span<const TensorView> inputs,
                       std::span<const TensorView> outputs) {
  if (exe.inputs.size() != inputs.size()) {
    return Error{"the executable reads " + std::to_string(exe.inputs.size()) +
                 " inputs, the node has " + std::to_string(inputs.size())};
  }
  int64_t batches = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string what = "input " + std::to_string(i) + " ";
    auto b = Batches(inputs[i], exe.inputs[i], false);
    if (!b.ok()) return Error{what + b.error().message};
    if (batches == 0) batches = b->batches;
    if (b->batches != batches || batches * b->single != b->bytes) {
      return Error{what + Describe(inputs[i]) + " holds " + std::to_string(b->bytes) +
                   " bytes; the Edge TPU layer \"" + exe.inputs[i].name + "\" reads " +
                   std::to_string(b->single) + " per batch" +
                   (batches > 1 ? " for " + std::to_string(batches) + " batches" : "")};
    }
  }
  if (batches == 0) batches = 1;
  // libedgetpu (tflite/custom_op.cc, edgetpu_context_direct.cc) writes output layer i into
  // node->outputs[i]: the layer's own index, variable-output layers included in the count. A
  // variable-output layer named after an input layer ("<input>_variable_output") is written into
  // that input instead, unchecked by libedgetpu's prepare; one named after no input is written
  // into node->outputs[i] like any other.
  for (size_t i = 0; i < exe.outputs.size(); ++i) {
    const EdgeTpuLayerInfo& layer = exe.outputs[i];
    const TensorView* tensor = nullptr;
    std::string what;
    if (layer.variable_output) {
      for (size_t in = 0; in < exe.inputs.size() && !tensor; ++in) {
        if (exe.inputs[in].name + "_variable_output" == layer.name) {
          tensor = &inputs[in];
          what = "input " + std::to_string(in) + " (written back by output layer " +
                 std::to_string(i) + ") ";
        }
      }
    }
    if (!tensor) {
      if (i >= outputs.size()) {
        return Error{"the executable writes output layer " + std::to_string(i) +
                     " into node output " + std::to_string(i) + ", but the node has " +
                     std::to_string(outputs.size()) + " outputs"};
      }
      tensor = &outputs[i];
      what = "output " + std::to_string(i) + " ";
    }
    auto b = Batches(*tensor, layer, true);
    if (!b.ok()) return Error{what + b.error().message};
    if (batches * b->single != b->bytes) {
      return Error{what + Describe(*tensor) + " holds " + std::to_string(b->bytes) +
                   " bytes; the Edge TPU layer \"" + layer.name + "\" writes " +
                   std::to_string(b->single) + " per batch for " + std::to_string(batches) +
                   " batch" + (batches == 1 ? "" : "es")};
    }
  }
  return OkStatus();
}

}  // namespace

bool EdgeTpuTakes(DataType type) { return NodeTypeBytes(type) != 0; }

size_t EdgeTpuPackageInfo::parameter_bytes() const {
  size_t n = 0;
  for (const EdgeTpuExecutableInfo& e : executables) n += e.parameter_bytes;
  return n;
}

const EdgeTpuExecutableInfo& EdgeTpuPackageInfo::main_executable() const {
  const char* main = executables.size() == 2 ? "EXECUTION_ONLY" : "STAND_ALONE";
  for (const EdgeTpuExecutableInfo& e : executables) {
    if (executables.size() == 1 || e.type == main) return e;
  }
  return executables.front();  // unreachable for parsed packages
}

size_t EdgeTpuCustomOpInfo::parameter_bytes() const {
  size_t n = 0;
  for (const EdgeTpuPackageInfo& p : packages) n += p.parameter_bytes();
  return n;
}

namespace {

Result<EdgeTpuCustomOpInfo> ParseOptions(std::span<const uint8_t> options) {
  const std::string where = "edgetpu-custom-op options";
  if (options.empty())
    return MakeError(where, "empty (the model was not compiled for the Edge TPU)");
  if (!flexbuffers::VerifyBuffer(options.data(), options.size())) {
    return MakeError(where, "not a valid FlexBuffer");
  }
  flexbuffers::Reference root = flexbuffers::GetRoot(options.data(), options.size());
  if (!root.IsMap()) return MakeError(where, "not a FlexBuffer map");
  flexbuffers::Map map = root.AsMap();
  EdgeTpuCustomOpInfo info;
  info.options_bytes = options.size();
  if (!map["1"].IsNull() && !map["1"].IsInt()) {
    return MakeError(where, "key \"1\" (the format version) is not an integer");
  }
  info.format_version = map["1"].AsInt32();
  auto packages = PackageBlobs(map);
  if (!packages.ok()) return MakeError(where, packages.error().message);
  for (size_t i = 0; i < packages->blobs.size(); ++i) {
    std::span<const uint8_t> blob = packages->blobs[i];
    CORALPI_ASSIGN_OR_RETURN(
        EdgeTpuPackageInfo package,
        ParsePackage(blob.data(), blob.size(), where + ": package " + std::to_string(i)));
    if (!packages->chips.empty()) package.chip = packages->chips[i];
    info.packages.push_back(std::move(package));
  }
  return info;
}

}  // namespace

// A payload that does not parse, or does not fit its node, is a model file that cannot be used.
Result<EdgeTpuCustomOpInfo> ParseEdgeTpuCustomOptions(std::span<const uint8_t> options) {
  Result<EdgeTpuCustomOpInfo> info = ParseOptions(options);
  if (!info.ok()) return WithKind(ErrorKind::kBadFile, info.error());
  return info;
}

Status CheckEdgeTpuLayers(const EdgeTpuCustomOpInfo& info, std::span<const TensorView> inputs,
                          std::span<const TensorView> outputs) {
  for (size_t p = 0; p < info.packages.size(); ++p) {
    Status s = CheckExecutable(info.packages[p].main_executable(), inputs, outputs);
    if (!s.ok()) {
      return MakeError(ErrorKind::kBadFile, "edgetpu-custom-op options: package " + std::to_string(p),
                       s.error().message);
    }
  }
  return OkStatus();
}

Result<EdgeTpuCustomOpInfo> VerifyEdgeTpuCustomOp(std::span<const uint8_t> options,
                                                  std::span<const TensorView> inputs,
                                                  std::span<const TensorView> outputs) {
  CORALPI_ASSIGN_OR_RETURN(EdgeTpuCustomOpInfo info, ParseEdgeTpuCustomOptions(options));
  CORALPI_RETURN_IF_ERROR(CheckEdgeTpuLayers(info, inputs, outputs));
  return info;
}

}  // namespace coralpi

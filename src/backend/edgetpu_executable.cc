// Edge TPU custom-op payloads; see edgetpu_executable.h.
#include "backend/edgetpu_executable.h"

#include <flatbuffers/flexbuffers.h>

#include <cstring>
#include <memory>

#include "edgetpu_package_generated.h"

namespace coralpi {
namespace {

namespace fmt = edgetpu_format;

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
  return info;
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
  return info;
}

}  // namespace

size_t EdgeTpuPackageInfo::parameter_bytes() const {
  size_t n = 0;
  for (const EdgeTpuExecutableInfo& e : executables) n += e.parameter_bytes;
  return n;
}

size_t EdgeTpuCustomOpInfo::parameter_bytes() const {
  size_t n = 0;
  for (const EdgeTpuPackageInfo& p : packages) n += p.parameter_bytes();
  return n;
}

Result<EdgeTpuCustomOpInfo> ParseEdgeTpuCustomOptions(std::span<const uint8_t> options) {
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
  info.format_version = map["1"].AsInt32();
  flexbuffers::Reference first = map["4"];
  if (!first.IsString() && !first.IsBlob()) {
    return MakeError(where, "key \"4\" (the serialized executable package) is missing");
  }
  std::vector<std::pair<const uint8_t*, size_t>> blobs;
  flexbuffers::String s = first.AsString();
  blobs.emplace_back(reinterpret_cast<const uint8_t*>(s.c_str()), s.length());
  flexbuffers::Reference more = map["7"];
  if (more.IsVector()) {
    flexbuffers::Vector v = more.AsVector();
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].IsString()) return MakeError(where, "key \"7\" holds a non-string entry");
      flexbuffers::String e = v[i].AsString();
      blobs.emplace_back(reinterpret_cast<const uint8_t*>(e.c_str()), e.length());
    }
  }
  std::vector<int32_t> chips;
  flexbuffers::Reference chip_ref = map["6"];
  if (chip_ref.IsVector()) {
    flexbuffers::Vector v = chip_ref.AsVector();
    for (size_t i = 0; i < v.size(); ++i) chips.push_back(v[i].AsInt32());
    if (chips.size() != blobs.size()) {
      return MakeError(where, "key \"6\" names " + std::to_string(chips.size()) + " chips for " +
                                  std::to_string(blobs.size()) + " packages");
    }
  }
  for (size_t i = 0; i < blobs.size(); ++i) {
    CORALPI_ASSIGN_OR_RETURN(
        EdgeTpuPackageInfo package,
        ParsePackage(blobs[i].first, blobs[i].second, where + ": package " + std::to_string(i)));
    if (!chips.empty()) package.chip = chips[i];
    info.packages.push_back(std::move(package));
  }
  return info;
}

}  // namespace coralpi

#include "fake_host.h"

#include <flatbuffers/flexbuffers.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/file.h"
#include "edgetpu_package_generated.h"
#include "model/builder.h"
#include "model/custom_ops.h"

namespace coralpi::testing {

namespace fs = std::filesystem;

ScopedEnv::ScopedEnv(const char* name, const char* value) : name_(name) {
  if (const char* old = std::getenv(name)) old_ = old, had_ = true;
  if (value)
    ::setenv(name, value, 1);
  else
    ::unsetenv(name);
}

ScopedEnv::~ScopedEnv() {
  if (had_)
    ::setenv(name_, old_.c_str(), 1);
  else
    ::unsetenv(name_);
}

FakeHost::FakeHost() {
  char dir[] = "/tmp/coralpi-host-XXXXXX";
  if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
  root_ = dir;
  fs::create_directories(Path("sys/bus/pci/devices"));
  fs::create_directories(Path("sys/bus/usb/devices"));
  fs::create_directories(Path("dev"));
  Write("etc/group", "root:x:0:\napex:x:4242:\nplugdev:x:4343:\n");
}

FakeHost::~FakeHost() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

void FakeHost::Write(const std::string& rel, const std::string& content) {
  fs::create_directories(fs::path(Path(rel)).parent_path());
  std::ofstream(Path(rel), std::ios::binary) << content;
}

void FakeHost::Symlink(const std::string& rel, const std::string& target) {
  fs::create_directories(fs::path(Path(rel)).parent_path());
  fs::create_symlink(target, Path(rel));
}

void FakeHost::Remove(const std::string& rel) { fs::remove_all(Path(rel)); }

void FakeHost::AddPcie(const Pcie& t) {
  const std::string dir = "sys/bus/pci/devices/" + t.address;
  Write(dir + "/vendor", "0x1ac1\n");
  Write(dir + "/device", "0x089a\n");
  Write(dir + "/current_link_speed", "5.0 GT/s PCIe\n");
  Write(dir + "/current_link_width", "1\n");
  Write(dir + "/max_link_speed", "5.0 GT/s PCIe\n");
  Write(dir + "/max_link_width", "1\n");
  if (!t.driver.empty()) Symlink(dir + "/driver", "../../../bus/pci/drivers/" + t.driver);
  if (t.apex.empty()) return;
  fs::create_directories(Path(dir + "/apex/" + t.apex));
  const std::string cls = "sys/class/apex/" + t.apex;
  Write(cls + "/status", t.status + "\n");
  Write(cls + "/temp", std::to_string(t.temp_millic) + "\n");
  Write(cls + "/trip_point0_temp", "85000\n");
  Write(cls + "/trip_point1_temp", "90000\n");
  Write(cls + "/trip_point2_temp", "95000\n");
  if (t.status == "ALIVE") Write(cls + "/interrupt_counts", "0x00: 0\n");
  if (t.dev_node) {
    Write("dev/" + t.apex, "");
    ::chmod(Path("dev/" + t.apex).c_str(), t.dev_mode);
    if (::chown(Path("dev/" + t.apex).c_str(), 0, t.dev_gid) != 0) {
      // Not root: the owner stays the test's user; the tests that need a group skip.
    }
  }
}

void FakeHost::AddUsb(const Usb& t) {
  const std::string dir = "sys/bus/usb/devices/" + t.name;
  Write(dir + "/idVendor", t.firmware_loaded ? "18d1\n" : "1a6e\n");
  Write(dir + "/idProduct", t.firmware_loaded ? "9302\n" : "089a\n");
  Write(dir + "/speed", "5000\n");
  Write(dir + "/busnum", std::to_string(t.busnum) + "\n");
  Write(dir + "/devnum", std::to_string(t.devnum) + "\n");
  if (t.dev_node) {
    char rel[64];
    std::snprintf(rel, sizeof rel, "dev/bus/usb/%03d/%03d", t.busnum, t.devnum);
    Write(rel, "");
    ::chmod(Path(rel).c_str(), t.dev_mode);
    if (::chown(Path(rel).c_str(), 0, t.dev_gid) != 0) {
    }
  }
}

namespace {

std::vector<uint8_t> Serialize(flatbuffers::FlatBufferBuilder& b) {
  return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

namespace f = edgetpu_format;

f::LayerDataType LayerType(DataType t) {
  switch (t) {
    case DataType::kInt8:
      return f::LayerDataType::SIGNED_FIXED_POINT8;
    case DataType::kInt16:
      return f::LayerDataType::SIGNED_FIXED_POINT16;
    case DataType::kInt32:
      return f::LayerDataType::SIGNED_FIXED_POINT32;
    case DataType::kFloat32:
      return f::LayerDataType::SINGLE;
    case DataType::kFloat16:
      return f::LayerDataType::HALF;
    default:
      return f::LayerDataType::FIXED_POINT8;
  }
}

flatbuffers::Offset<f::Layer> Layer(flatbuffers::FlatBufferBuilder& b, const PayloadTensor& t,
                                    const std::string& name, bool output) {
  int y = 1, x = 1, z = 1;
  if (t.shape.size() == 4) {
    y = t.shape[1], x = t.shape[2], z = t.shape[3];
  } else {
    for (size_t i = 1; i < t.shape.size(); ++i) z *= t.shape[i];
  }
  int bytes = y * x * z * static_cast<int>(ElementSize(t.type));
  flatbuffers::Offset<f::OutputLayout> layout;
  if (output) {  // one tile, rows of x * z values
    std::vector<int> zeros_y(static_cast<size_t>(y), 0), zeros_x(static_cast<size_t>(x), 0);
    std::vector<int> y_offset, x_offset, row(static_cast<size_t>(x), x * z);
    for (int i = 0; i < y; ++i) y_offset.push_back(i);
    for (int i = 0; i < x; ++i) x_offset.push_back(i * z);
    layout = f::CreateOutputLayout(b, b.CreateVector(zeros_y), b.CreateVector(zeros_x),
                                   b.CreateVector(std::vector<int>{0}), b.CreateVector(x_offset),
                                   b.CreateVector(y_offset), b.CreateVector(row));
  }
  auto numerics = f::CreateNumericsConstants(b, 0, 1.0f);
  auto any = output ? f::CreateOutputLayer(b, layout).Union() : f::CreateInputLayer(b).Union();
  return f::CreateLayer(b, b.CreateString(name), bytes, y, x, z, numerics, LayerType(t.type),
                        output ? f::AnyLayer::OutputLayer : f::AnyLayer::InputLayer, any);
}

std::vector<uint8_t> Executable(f::ExecutableType type, size_t instructions, size_t parameters,
                                const std::vector<PayloadTensor>& inputs,
                                const std::vector<PayloadTensor>& outputs) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<uint8_t> bits(instructions, 0xA5), params(parameters, 0x5A);
  auto stream = f::CreateInstructionBitstream(b, b.CreateVector(bits));
  std::vector<flatbuffers::Offset<f::InstructionBitstream>> streams{stream};
  std::vector<flatbuffers::Offset<f::Layer>> in, out;
  for (size_t i = 0; i < inputs.size(); ++i)
    in.push_back(Layer(b, inputs[i], "in" + std::to_string(i), false));
  for (size_t i = 0; i < outputs.size(); ++i)
    out.push_back(Layer(b, outputs[i], "out" + std::to_string(i), true));
  auto exe = f::CreateExecutable(b, 0, b.CreateString("test"), 1, 0, b.CreateVector(streams),
                                 b.CreateVector(params), b.CreateVector(in), b.CreateVector(out),
                                 b.CreateString("beagle"), 0, 0, type);
  b.Finish(exe);
  return Serialize(b);
}

}  // namespace

std::vector<uint8_t> MakeEdgeTpuPayload(size_t instruction_bytes, size_t parameter_bytes,
                                        const std::vector<PayloadTensor>& inputs,
                                        const std::vector<PayloadTensor>& outputs) {
  const std::vector<PayloadTensor> default_in{{DataType::kUInt8, {1, 8, 8, 3}}};
  const std::vector<PayloadTensor> default_out{{DataType::kUInt8, {1, 16}}};
  const bool defaults = inputs.empty() && outputs.empty();
  std::vector<uint8_t> run =
      Executable(f::ExecutableType::EXECUTION_ONLY, instruction_bytes, 0,
                 defaults ? default_in : inputs, defaults ? default_out : outputs);
  std::vector<uint8_t> cache =
      Executable(f::ExecutableType::PARAMETER_CACHING, 16, parameter_bytes, {}, {});
  flatbuffers::FlatBufferBuilder mb;
  std::vector<flatbuffers::Offset<flatbuffers::String>> list{
      mb.CreateString(reinterpret_cast<const char*>(run.data()), run.size()),
      mb.CreateString(reinterpret_cast<const char*>(cache.data()), cache.size())};
  mb.Finish(f::CreateMultiExecutable(mb, mb.CreateVector(list)));
  std::vector<uint8_t> multi = Serialize(mb);
  flatbuffers::FlatBufferBuilder pb;
  auto package =
      f::CreatePackage(pb, 14, pb.CreateVector(multi), 0, pb.CreateString("test-compiler"));
  pb.Finish(package, f::PackageIdentifier());
  std::vector<uint8_t> pkg = Serialize(pb);
  flexbuffers::Builder fb;
  fb.Map([&] {
    fb.Int("1", 0);
    fb.Key("4");
    // Through std::string: Builder::String(const char*, size_t) also copies a terminator.
    fb.String(std::string(pkg.begin(), pkg.end()));
    fb.Int("5", -1);
    fb.Vector("6", [&] { fb.Int(18); });
    fb.Vector("7", [] {});
  });
  fb.Finish();
  return fb.GetBuffer();
}

std::vector<uint8_t> BuildEdgeTpuModel(int cpu_ops) {
  ModelBuilder b;
  Quantization in_q{{1.0f / 128}, {128}, 0};
  Quantization out_q{{1.0f / 256}, {0}, 0};
  int32_t in = b.AddTensor({"input", DataType::kUInt8, {1, 8, 8, 3}, in_q, {}});
  int32_t prev = b.AddTensor({"tpu_out", DataType::kUInt8, {1, 16}, out_q, {}});
  b.AddCustomOperator("edgetpu-custom-op", {in}, {prev}, MakeEdgeTpuPayload(1000, 3000));
  for (int i = 0; i < cpu_ops; ++i) {
    int32_t shape =
        b.AddConstant<int32_t>("shape" + std::to_string(i), DataType::kInt32, {2}, {1, 16});
    int32_t out = b.AddTensor({"out" + std::to_string(i), DataType::kUInt8, {1, 16}, out_q, {}});
    b.AddOperator(OpCode::kReshape, {prev, shape}, {out}, ReshapeOptions{{1, 16}});
    prev = out;
  }
  b.SetInputs({in});
  b.SetOutputs({prev});
  return b.Finish();
}

Status WriteTpuPartTwin(const Model& compiled, const std::string& plain_path,
                        const std::string& path) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(plain_path));
  CORALPI_ASSIGN_OR_RETURN(std::shared_ptr<const Model> plain, Model::FromBytes(bytes, plain_path));
  const Subgraph& c = compiled.main_graph();
  const Subgraph& p = plain->main_graph();
  const OperatorInfo* node = nullptr;
  for (const OperatorInfo& op : c.operators) {
    if (op.custom_code == kEdgeTpuCustomOpCode) {
      if (node) return Error{compiled.name() + ": more than one edgetpu-custom-op node"};
      node = &op;
    }
  }
  if (!node) return Error{compiled.name() + ": no edgetpu-custom-op node"};
  auto find = [&](int32_t index) -> Result<int32_t> {
    const TensorInfo& t = c.tensors[static_cast<size_t>(index)];
    for (size_t i = 0; i < p.tensors.size(); ++i) {
      const TensorInfo& u = p.tensors[i];
      if (u.name == t.name && u.type == t.type && u.shape == t.shape) {
        return static_cast<int32_t>(i);
      }
    }
    return Error{plain_path + ": no tensor " + t.name + " " + ShapeToString(t.shape)};
  };
  std::vector<int32_t> inputs, outputs;
  for (int32_t t : node->inputs) {
    CORALPI_ASSIGN_OR_RETURN(int32_t i, find(t));
    inputs.push_back(i);
  }
  for (int32_t t : node->outputs) {
    CORALPI_ASSIGN_OR_RETURN(int32_t o, find(t));
    outputs.push_back(o);
  }
  if (inputs != p.inputs) {
    return Error{compiled.name() + ": the TPU part does not start at " + plain_path + "'s inputs"};
  }
  CORALPI_ASSIGN_OR_RETURN(std::vector<uint8_t> twin, ReplaceOutputs(bytes, outputs));
  return WriteFileAtomic(path, std::string(twin.begin(), twin.end()));
}

}  // namespace coralpi::testing

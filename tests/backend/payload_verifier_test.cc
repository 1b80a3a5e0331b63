// The Edge TPU payload verifier on hand-broken payloads: each defect that would make libedgetpu
// read out of bounds, dereference a missing field, abort, or run an executable on tensors of
// the wrong size is a clear error naming the part, never a crash. Payloads are built here with
// the FlatBuffers/FlexBuffers builders from the project's schema.
#include <flatbuffers/flexbuffers.h>
#include <gtest/gtest.h>

#include "backend/edgetpu_executable.h"
#include "edgetpu_package_generated.h"
#include "fake_host.h"

namespace coralpi {
namespace {

namespace f = edgetpu_format;

struct LayerDef {
  std::string name = "layer";
  bool has_name = true;
  bool numerics = true;
  f::LayerDataType type = f::LayerDataType::FIXED_POINT8;
  int y = 1, x = 1, z = 16, executions = 1;
  int size_bytes = -1;    // -1: y * x * z * type size
  bool as_output = true;  // outputs: described as OutputLayer
  // Outputs with y * x > 1: a one-tile layout, its tile offset shifted by this many values.
  bool layout = true;
  int tile_offset = 0;
  int tile_id = 0;
  // Outputs described as one slice of a [1, 1, 1, 1, z] shape instead of tiles: the shape's
  // last range ends at host_z_end, the slice's at slice_z_end, the slice starts at slice_offset.
  bool sliced = false;
  int host_z_end = -1, slice_z_end = -1;  // -1: z - 1
  int slice_offset = 0;
};

struct ExeDef {
  f::ExecutableType type = f::ExecutableType::STAND_ALONE;
  int batch = 1;
  std::vector<LayerDef> inputs, outputs;
};

int TypeBytes(f::LayerDataType t) {
  return t == f::LayerDataType::SINGLE || t == f::LayerDataType::SIGNED_FIXED_POINT32        ? 4
         : t == f::LayerDataType::FIXED_POINT8 || t == f::LayerDataType::SIGNED_FIXED_POINT8 ? 1
                                                                                             : 2;
}

flatbuffers::Offset<f::Layer> BuildLayer(flatbuffers::FlatBufferBuilder& b, const LayerDef& l,
                                         bool output) {
  flatbuffers::Offset<f::OutputLayout> layout;
  if (output && l.layout && l.y * l.x > 1) {
    std::vector<int> ytile(static_cast<size_t>(l.y), l.tile_id), xtile(static_cast<size_t>(l.x), 0);
    std::vector<int> ylocal, xbyte, row(static_cast<size_t>(l.x), l.x * l.z);
    for (int i = 0; i < l.y; ++i) ylocal.push_back(i);
    for (int i = 0; i < l.x; ++i) xbyte.push_back(i * l.z);
    layout =
        f::CreateOutputLayout(b, b.CreateVector(ytile), b.CreateVector(xtile),
                              b.CreateVector(std::vector<int>{l.tile_offset}),
                              b.CreateVector(xbyte), b.CreateVector(ylocal), b.CreateVector(row));
  }
  flatbuffers::Offset<f::OutputShapeInfo> slices;
  flatbuffers::Offset<f::TensorShape> host;
  if (l.sliced) {
    auto shape = [&](int z_end) {
      std::vector<f::Range> r(4, f::Range(0, 0));
      r.emplace_back(0, z_end < 0 ? l.z - 1 : z_end);
      return f::CreateTensorShape(b, b.CreateVectorOfStructs(r));
    };
    host = shape(l.host_z_end);
    auto slice = f::CreateTensorLayout(b, shape(l.slice_z_end),
                                       b.CreateVector(std::vector<int>{l.z, l.z, l.z, l.z, 1}));
    slices = f::CreateOutputShapeInfo(
        b, b.CreateVector(std::vector<flatbuffers::Offset<f::TensorLayout>>{slice}),
        b.CreateVector(std::vector<int>{l.slice_offset}));
  }
  auto name = l.has_name ? b.CreateString(l.name) : 0;
  auto numerics = l.numerics ? f::CreateNumericsConstants(b, 0, 1.0f) : 0;
  bool as_output = output && l.as_output;
  auto any =
      as_output ? f::CreateOutputLayer(b, layout, slices).Union() : f::CreateInputLayer(b).Union();
  // In 64 bits, then wrapped to the field's 32 (a huge layer's product overflows an int).
  int size = l.size_bytes >= 0 ? l.size_bytes
                               : static_cast<int>(int64_t{l.y} * l.x * l.z * TypeBytes(l.type));
  return f::CreateLayer(b, name, size, l.y, l.x, l.z, numerics, l.type,
                        as_output ? f::AnyLayer::OutputLayer : f::AnyLayer::InputLayer, any,
                        l.executions, false, host);
}

std::string Executable(const ExeDef& e) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<flatbuffers::Offset<f::Layer>> in, out;
  for (const LayerDef& l : e.inputs) in.push_back(BuildLayer(b, l, false));
  for (const LayerDef& l : e.outputs) out.push_back(BuildLayer(b, l, true));
  b.Finish(f::CreateExecutable(b, 0, 0, e.batch, 0, 0, 0, b.CreateVector(in), b.CreateVector(out),
                               0, 0, 0, e.type));
  return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

std::string Package(const std::vector<ExeDef>& exes) {
  flatbuffers::FlatBufferBuilder mb;
  std::vector<flatbuffers::Offset<flatbuffers::String>> list;
  for (const ExeDef& e : exes) list.push_back(mb.CreateString(Executable(e)));
  mb.Finish(f::CreateMultiExecutable(mb, mb.CreateVector(list)));
  std::vector<uint8_t> multi(mb.GetBufferPointer(), mb.GetBufferPointer() + mb.GetSize());
  flatbuffers::FlatBufferBuilder pb;
  pb.Finish(f::CreatePackage(pb, 14, pb.CreateVector(multi)), f::PackageIdentifier());
  return {reinterpret_cast<const char*>(pb.GetBufferPointer()), pb.GetSize()};
}

std::vector<uint8_t> Payload(const std::vector<ExeDef>& exes) {
  flexbuffers::Builder fb;
  fb.Map([&] {
    fb.Int("1", 1);
    fb.Key("4");
    fb.String(Package(exes));
  });
  fb.Finish();
  return fb.GetBuffer();
}

// uint8 [1, 16] in, uint8 [1, 16] out.
ExeDef Simple() {
  ExeDef e;
  e.inputs = {LayerDef{}};
  e.outputs = {LayerDef{}};
  return e;
}

TensorView View(DataType type, Shape shape) {
  return TensorView{type, std::move(shape), nullptr, nullptr};
}

std::string ErrorOf(const std::vector<uint8_t>& payload, const std::vector<TensorView>& in = {},
                    const std::vector<TensorView>& out = {}) {
  auto r = in.empty() && out.empty() ? ParseEdgeTpuCustomOptions(payload)
                                     : VerifyEdgeTpuCustomOp(payload, in, out);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.error().message.rfind("edgetpu-custom-op options: ", 0), 0u) << r.error().message;
  return r.error().message;
}

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

bool Fits(const std::vector<uint8_t>& payload, const std::vector<TensorView>& in,
          const std::vector<TensorView>& out) {
  auto r = VerifyEdgeTpuCustomOp(payload, in, out);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok();
}

const std::vector<TensorView> kIn16{View(DataType::kUInt8, {1, 16})};
const std::vector<TensorView> kOut16{View(DataType::kUInt8, {1, 16})};

TEST(PayloadVerifier, AWellFormedPayloadFitsItsNode) {
  auto info = VerifyEdgeTpuCustomOp(Payload({Simple()}), kIn16, kOut16);
  ASSERT_TRUE(info.ok()) << info.error().message;
  const EdgeTpuExecutableInfo& e = info->packages[0].main_executable();
  ASSERT_EQ(e.inputs.size(), 1u);
  EXPECT_EQ(e.inputs[0].values, 16);
  EXPECT_EQ(e.outputs[0].data_type, "FIXED_POINT8");
}

TEST(PayloadVerifier, EveryTruncationIsAnError) {
  std::vector<uint8_t> good = testing::MakeEdgeTpuPayload(64, 64);
  for (size_t n = 0; n < good.size(); ++n) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<long>(n));
    auto r = ParseEdgeTpuCustomOptions(cut);
    ASSERT_FALSE(r.ok()) << "cut at " << n;
    EXPECT_EQ(r.error().kind, ErrorKind::kBadFile) << "cut at " << n << ": " << r.error().message;
  }
}

TEST(PayloadVerifier, WrongTypesInTheMap) {
  std::string package = Package({Simple()});
  auto map = [&](const std::function<void(flexbuffers::Builder&)>& fill) {
    flexbuffers::Builder fb;
    fb.Map([&] { fill(fb); });
    fb.Finish();
    return fb.GetBuffer();
  };
  EXPECT_TRUE(Has(ErrorOf(map([](auto& fb) { fb.Int("4", 7); })), "key \"4\"")) << "4 an int";
  EXPECT_TRUE(Has(ErrorOf(map([&](auto& fb) {
                    fb.String("1", "one");
                    fb.String("4", package);
                  })),
                  "key \"1\" (the format version) is not an integer"));
  EXPECT_TRUE(Has(ErrorOf(map([&](auto& fb) {
                    fb.String("4", package);
                    fb.String("6", "chips");
                  })),
                  "key \"6\" (the chips) is not a vector"));
  EXPECT_TRUE(Has(ErrorOf(map([&](auto& fb) {
                    fb.String("4", package);
                    fb.Vector("6", [&] { fb.String("x"); });
                  })),
                  "key \"6\" holds a non-integer chip"));
  EXPECT_TRUE(Has(ErrorOf(map([&](auto& fb) {
                    fb.String("4", package);
                    fb.Vector("6", [&] { fb.Int(1); });
                    fb.Int("7", 3);
                  })),
                  "key \"7\" is not a vector"));
  EXPECT_TRUE(Has(ErrorOf(map([&](auto& fb) {
                    fb.String("4", package);
                    fb.Vector("6", [&] { fb.Int(1); });
                    fb.Vector("7", [&] { fb.Int(3); });
                  })),
                  "key \"7\" holds a non-string entry"));
}

TEST(PayloadVerifier, ExecutablesLibedgetpuWouldRefuseOrMisread) {
  ExeDef run = Simple(), cache;
  run.type = f::ExecutableType::EXECUTION_ONLY;
  cache.type = f::ExecutableType::PARAMETER_CACHING;
  EXPECT_TRUE(Payload({run, cache}).size() > 0);
  EXPECT_TRUE(ParseEdgeTpuCustomOptions(Payload({run, cache})).ok());
  EXPECT_TRUE(Has(ErrorOf(Payload({run, run})), "two executables of type EXECUTION_ONLY"));
  ExeDef alone = Simple();
  EXPECT_TRUE(
      Has(ErrorOf(Payload({alone, cache})), "an executable combination libedgetpu does not run"));
  ExeDef no_batch = Simple();
  no_batch.batch = 0;
  EXPECT_TRUE(Has(ErrorOf(Payload({no_batch})), "executable 0: batch size below 1"));
}

TEST(PayloadVerifier, LayersWithMissingOrImpossibleFields) {
  struct Case {
    const char* why;
    std::function<void(ExeDef&)> breakit;
    const char* message;
  } cases[] = {
      {"no name", [](ExeDef& e) { e.inputs[0].has_name = false; }, "input layer 0 has no name"},
      {"no numerics", [](ExeDef& e) { e.outputs[0].numerics = false; },
       "output layer 0 has no numerics"},
      {"unknown type", [](ExeDef& e) { e.inputs[0].type = static_cast<f::LayerDataType>(6); },
       "input layer 0 has unknown data type 6"},
      {"zero dimension", [](ExeDef& e) { e.inputs[0].x = 0; }, "has a dimension"},
      {"no executions", [](ExeDef& e) { e.outputs[0].executions = 0; }, "has a dimension"},
      {"buffer too small", [](ExeDef& e) { e.outputs[0].size_bytes = 8; },
       "output layer 0 holds 16 bytes in a 8-byte buffer"},
      {"huge", [](ExeDef& e) { e.inputs[0].z = 1 << 30, e.inputs[0].y = 4; }, "is too large"},
      {"output described as input", [](ExeDef& e) { e.outputs[0].as_output = false; },
       "output layer 0 is not described as an output layer"},
      {"tiled output without layout",
       [](ExeDef& e) { e.outputs[0] = {.y = 4, .x = 4, .z = 1, .layout = false}; },
       "output layer 0 has no output layout"},
      {"tile id out of range",
       [](ExeDef& e) { e.outputs[0] = {.y = 4, .x = 4, .z = 1, .tile_id = 3}; },
       "its output layout names tile 3 of 1"},
      {"layout outside the buffer",
       [](ExeDef& e) { e.outputs[0] = {.y = 4, .x = 4, .z = 1, .tile_offset = 5}; },
       "its output layout points outside its 16-byte buffer"},
      {"negative offset",
       [](ExeDef& e) { e.outputs[0] = {.y = 4, .x = 4, .z = 1, .tile_offset = -1}; },
       "points outside"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    ExeDef e = Simple();
    c.breakit(e);
    std::string m = ErrorOf(Payload({e}));
    EXPECT_TRUE(Has(m, "package 0: executable 0: ")) << m;
    EXPECT_TRUE(Has(m, c.message)) << m;
  }
  // The same shapes, well formed, pass: the checks above are about the defects.
  ExeDef tiled = Simple();
  tiled.outputs[0] = {.y = 4, .x = 4, .z = 1};
  EXPECT_TRUE(ParseEdgeTpuCustomOptions(Payload({tiled})).ok());
}

TEST(PayloadVerifier, SlicedOutputsStayInsideTheShapeAndTheBuffer) {
  ExeDef e = Simple();
  e.outputs[0].sliced = true;
  auto ok = ParseEdgeTpuCustomOptions(Payload({e}));
  EXPECT_TRUE(ok.ok()) << ok.error().message;
  e.outputs[0].slice_z_end = 16;  // one past the shape
  EXPECT_TRUE(Has(ErrorOf(Payload({e})), "output layer 0 output slice 0 is outside its shape"));
  e = Simple();
  e.outputs[0].sliced = true;
  e.outputs[0].slice_offset = 4;
  EXPECT_TRUE(Has(ErrorOf(Payload({e})), "output slice 0 lies outside the 16-byte buffer"));
  e = Simple();
  e.outputs[0].sliced = true;
  e.outputs[0].host_z_end = 31;
  EXPECT_TRUE(Has(ErrorOf(Payload({e})), "has a shape of 32 values for 16 in the layer"));
  e = Simple();
  e.outputs[0].sliced = true;
  e.outputs[0].executions = 2;
  e.outputs[0].size_bytes = 16;
  EXPECT_TRUE(Has(ErrorOf(Payload({e})), "has sliced output with several executions"));
}

TEST(PayloadVerifier, SizesThatDoNotMatchTheNodesTensors) {
  std::vector<uint8_t> p = Payload({Simple()});
  EXPECT_TRUE(Has(ErrorOf(p, {}, kOut16), "the executable reads 1 inputs, the node has 0"));
  EXPECT_TRUE(Has(ErrorOf(p, {View(DataType::kUInt8, {1, 12})}, kOut16),
                  "input 0 uint8 [1, 12] holds 12 bytes; the Edge TPU layer \"layer\" reads 16 "
                  "per batch"));
  EXPECT_TRUE(Has(ErrorOf(p, {View(DataType::kInt8, {1, 16})}, kOut16),
                  "input 0 is int8 [1, 16], but the Edge TPU layer \"layer\" is FIXED_POINT8"));
  EXPECT_TRUE(Has(ErrorOf(p, kIn16, {}),
                  "writes output layer 0 into node output 0, but the node "
                  "has 0 outputs"));
  EXPECT_TRUE(Has(ErrorOf(p, kIn16, {View(DataType::kUInt8, {1, 32})}),
                  "output 0 uint8 [1, 32] holds 32 bytes; the Edge TPU layer \"layer\" writes 16 "
                  "per batch for 1 batch"));
  EXPECT_TRUE(Has(ErrorOf(p, kIn16, {View(DataType::kString, {1, 16})}), "output 0 is string"));
  // Batches: the first dimension, the same for every input, and the outputs follow.
  EXPECT_TRUE(Fits(p, {View(DataType::kUInt8, {2, 16})}, {View(DataType::kUInt8, {2, 16})}));
  EXPECT_TRUE(Has(ErrorOf(p, {View(DataType::kUInt8, {2, 16})}, kOut16),
                  "writes 16 per batch for 2 batches"));
  // A payload that does not fit its node is a model file that cannot be used.
  auto misfit = VerifyEdgeTpuCustomOp(p, {}, kOut16);
  ASSERT_FALSE(misfit.ok());
  EXPECT_EQ(misfit.error().kind, ErrorKind::kBadFile);
}

TEST(PayloadVerifier, TypeRulesFollowLibedgetpu) {
  // A float or 16-bit classifier output (1 x 1 x N) may fill a uint8 tensor; an input may not.
  ExeDef e = Simple();
  e.outputs[0].type = f::LayerDataType::SINGLE;
  EXPECT_TRUE(Fits(Payload({e}), kIn16, {View(DataType::kUInt8, {1, 16})}));
  EXPECT_TRUE(Fits(Payload({e}), kIn16, {View(DataType::kFloat32, {1, 16})}));
  e = Simple();
  e.inputs[0].type = f::LayerDataType::SINGLE;
  EXPECT_TRUE(Has(ErrorOf(Payload({e}), kIn16, kOut16), "is SINGLE"));
  e = Simple();
  e.inputs[0].type = f::LayerDataType::SIGNED_FIXED_POINT8;
  EXPECT_TRUE(Fits(Payload({e}), {View(DataType::kInt8, {1, 16})}, kOut16));
}

// libedgetpu writes output layer i into node->outputs[i] (tflite/custom_op.cc's prepare checks
// it there, edgetpu_context_direct.cc's invoke writes it there), counting variable-output layers
// too; an LSTM's "<input>_variable_output" layer is written back into that input instead.
ExeDef WithStateBeforeLogits(int state_z) {
  ExeDef e;
  LayerDef in;
  in.name = "lstm/state";
  LayerDef state;
  state.name = "lstm/state_variable_output";
  state.z = state_z;
  LayerDef logits;
  logits.name = "logits";
  logits.z = 32;
  e.inputs = {in};
  e.outputs = {state, logits};
  return e;
}

TEST(PayloadVerifier, OutputsAreNumberedByTheLayersOwnIndex) {
  const std::vector<uint8_t> p = Payload({WithStateBeforeLogits(16)});
  // Node output 0 stands for the variable layer and is never written; logits go to output 1.
  EXPECT_TRUE(Fits(p, kIn16, {View(DataType::kUInt8, {1, 7}), View(DataType::kUInt8, {1, 32})}));
  // Numbered after skipping the variable layer, logits would be output 0: libedgetpu reads
  // node->outputs[1], which this node does not have.
  EXPECT_TRUE(Has(ErrorOf(p, kIn16, {View(DataType::kUInt8, {1, 32})}),
                  "writes output layer 1 into node output 1, but the node has 1 outputs"));
  // ... or checks (and fills) the 16-byte output 1 with 32 bytes.
  EXPECT_TRUE(
      Has(ErrorOf(p, kIn16, {View(DataType::kUInt8, {1, 32}), View(DataType::kUInt8, {1, 16})}),
          "output 1 uint8 [1, 16] holds 16 bytes; the Edge TPU layer \"logits\" writes 32"));
}

TEST(PayloadVerifier, VariableOutputsFitTheInputTheyWriteBack) {
  const std::vector<TensorView> out{View(DataType::kUInt8, {1, 7}),
                                    View(DataType::kUInt8, {1, 32})};
  EXPECT_TRUE(Has(ErrorOf(Payload({WithStateBeforeLogits(8)}), kIn16, out),
                  "input 0 (written back by output layer 0) uint8 [1, 16] holds 16 bytes; the "
                  "Edge TPU layer \"lstm/state_variable_output\" writes 8"));
  // Named after no input layer: libedgetpu writes it into node output 0 like any other.
  ExeDef e = WithStateBeforeLogits(16);
  e.outputs[0].name = "other_variable_output";
  EXPECT_TRUE(Has(ErrorOf(Payload({e}), kIn16, out),
                  "output 0 uint8 [1, 7] holds 7 bytes; the Edge TPU layer "
                  "\"other_variable_output\" writes 16"));
  EXPECT_TRUE(Fits(Payload({e}), kIn16,
                   {View(DataType::kUInt8, {1, 16}), View(DataType::kUInt8, {1, 32})}));
}

}  // namespace
}  // namespace coralpi

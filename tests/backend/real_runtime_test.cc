// The real libedgetpu of ../shared/testdata/runtimes (built from Coral's sources, never run on a
// TPU) on a machine without an Edge TPU: coralpi loads it, reads and accepts its version, lists
// no device, and its custom op's init accepts the payload of every *_edgetpu model in testdata
// through coralpi's own TfLiteContext; prepare and invoke then fail with coralpi's clear
// "no Edge TPU" error, free works, nothing leaks or aborts (run under ASan too). What needs a
// real TPU (registering the executable, tensor checks, invoke) is not exercised here.
#include <gtest/gtest.h>

#include "backend/edgetpu_backend.h"
#include "backend/edgetpu_custom_op.h"
#include "testutil/testdata.h"

namespace coralpi {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

const char* const kCompiledModels[] = {
    "models/mobilenet_v1_0.25_128_quant_edgetpu.tflite",
    "models/deeplabv3_mnv2_dm05_pascal_quant_edgetpu.tflite",
    "models/movenet_single_pose_lightning_ptq_edgetpu.tflite",
    // The YOLO exports: one node with three outputs, then a CPU tail.
    "models/yolov8n_320_full_integer_quant_edgetpu.tflite",
    "models/yolov5n_640_int8_edgetpu.tflite",
};

// The real libedgetpu for this architecture (testutil/testdata.h: CORALPI_EDGETPU_LIB, else
// ../shared/testdata/runtimes), or the test skips naming the file.
std::string RealEdgeTpuPath() {
  return testing::RealLibraryPath("CORALPI_EDGETPU_LIB", CORALPI_EDGETPU_TEST_LIB);
}
#define REQUIRE_REAL_LIBEDGETPU()                \
  do {                                           \
    std::string path;                            \
    CORALPI_REQUIRE_REAL_LIBRARY(path, EDGETPU); \
  } while (0)

const EdgeTpuLibrary& RealLibrary() {
  auto lib = LoadEdgeTpuLibrary(RealEdgeTpuPath());
  EXPECT_TRUE(lib.ok()) << lib.error().message;
  return **lib;
}

TEST(RealLibedgetpu, VersionIsReadAndAccepted) {
  REQUIRE_REAL_LIBEDGETPU();
  const EdgeTpuLibrary& lib = RealLibrary();
  EXPECT_TRUE(Contains(lib.version, "RuntimeVersion(14)")) << lib.version;
  EXPECT_EQ(lib.runtime_version, 14);
  EXPECT_NE(lib.api.RegisterCustomOp, nullptr);
  EXPECT_TRUE(CheckDirectEdgeTpuRuntime(lib).ok());
}

TEST(RealLibedgetpu, ListsNoDeviceAndOpensNone) {
  REQUIRE_REAL_LIBEDGETPU();
  const EdgeTpuLibrary& lib = RealLibrary();
  EXPECT_TRUE(ListRuntimeEdgeTpus(lib).empty());
  for (auto bus : {EdgeTpuDeviceSpec::Bus::kPci, EdgeTpuDeviceSpec::Bus::kUsb}) {
    auto device = OpenEdgeTpuDevice(lib, {bus, ""});
    ASSERT_FALSE(device.ok());
    EXPECT_TRUE(Contains(device.error().message, "edgetpu_create_delegate returned null"))
        << device.error().message;
  }
}

// Memory for each tensor of the model's edgetpu-custom-op node, and views of it.
struct NodeTensors {
  std::vector<std::vector<uint8_t>> memory;
  std::vector<TensorView> inputs, outputs;
};
NodeTensors TensorsOf(const Subgraph& g, const OperatorInfo& op) {
  NodeTensors n;
  n.memory.reserve(op.inputs.size() + op.outputs.size());
  auto view = [&](int32_t index) {
    const TensorInfo& t = g.tensors[static_cast<size_t>(index)];
    n.memory.emplace_back(static_cast<size_t>(t.num_bytes()));
    return TensorView{t.type, t.shape, &t.quant, n.memory.back().data()};
  };
  for (int32_t t : op.inputs) n.inputs.push_back(view(t));
  for (int32_t t : op.outputs) n.outputs.push_back(view(t));
  return n;
}

TEST(RealLibedgetpu, InitTakesEveryRealPayloadAndPrepareSaysThereIsNoTpu) {
  REQUIRE_REAL_LIBEDGETPU();
  const EdgeTpuLibrary& lib = RealLibrary();
  for (const char* name : kCompiledModels) {
    SCOPED_TRACE(name);
    CORALPI_REQUIRE_TESTDATA(name);
    auto model = Model::Load(testing::TestDataPath(name));
    ASSERT_TRUE(model.ok()) << model.error().message;
    auto ops = EdgeTpuCustomOps::Create(lib, *model, nullptr);
    ASSERT_TRUE(ops.ok()) << ops.error().message;
    const Subgraph& g = (*model)->main_graph();
    int nodes = 0;
    for (const OperatorInfo& op : g.operators) {
      if (op.custom_code != kEdgeTpuCustomOpCode) continue;
      ++nodes;
      NodeTensors t = TensorsOf(g, op);
      auto node = (*ops)->Init(op, t.inputs, t.outputs);
      ASSERT_TRUE(node.ok()) << node.error().message;
      Status prepared = (*node)->Prepare();
      ASSERT_FALSE(prepared.ok());
      EXPECT_EQ(prepared.error().message,
                "no Edge TPU is open to run it (libedgetpu's prepare: Failed to retrieve TPU "
                "context.)");
      Status ran = (*node)->Run();
      ASSERT_FALSE(ran.ok());
      EXPECT_TRUE(Contains(ran.error().message, "Failed to retrieve TPU context."))
          << ran.error().message;
    }  // free
    EXPECT_EQ(nodes, 1);
  }
}

TEST(RealLibedgetpu, TheEngineNamesTheModelAndTheNode) {
  REQUIRE_REAL_LIBEDGETPU();
  const char* name = kCompiledModels[0];
  CORALPI_REQUIRE_TESTDATA(name);
  auto model = Model::Load(testing::TestDataPath(name));
  ASSERT_TRUE(model.ok());
  auto ops = EdgeTpuCustomOps::Create(RealLibrary(), *model, nullptr);
  ASSERT_TRUE(ops.ok());
  CpuEngineOptions o;
  o.external.push_back((*ops)->Nodes());
  auto engine = CpuEngine::Create(*model, o);
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.error().message,
            testing::TestDataPath(name) +
                ": operator 0 (edgetpu-custom-op): no Edge TPU is open to run it (libedgetpu's "
                "prepare: Failed to retrieve TPU context.)");
}

TEST(RealLibedgetpu, TheBackendSaysNoEdgeTpuWasFoundWithoutTensorFlowLite) {
  REQUIRE_REAL_LIBEDGETPU();
  const char* name = kCompiledModels[0];
  CORALPI_REQUIRE_TESTDATA(name);
  auto model = LoadModelSource(testing::TestDataPath(name));
  ASSERT_TRUE(model.ok());
  EdgeTpuBackendOptions o;
  o.edgetpu_lib = RealEdgeTpuPath();
  o.root = "/nonexistent-root";  // no sysfs: only the runtime's view counts
  auto b = CreateEdgeTpuBackend(*model, o);
  ASSERT_FALSE(b.ok());
  const std::string& m = b.error().message;
  EXPECT_TRUE(Contains(m, "finds no Edge TPU (it lists: none)")) << m;
  EXPECT_TRUE(Contains(m, "RuntimeVersion(14)")) << m;
  EXPECT_FALSE(Contains(m, "TensorFlow Lite")) << m;
}

}  // namespace
}  // namespace coralpi

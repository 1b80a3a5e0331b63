// The direct `edgetpu` backend hosting the fake libedgetpu's custom op (fakes/fake_edgetpu.c):
// coralpi's engine runs the CPU operators before, between and after the edgetpu-custom-op
// nodes and the fake runs the nodes through coralpi's own TfLiteContext. The fake checks what
// the real library checks (device context, tensor types, exact bytes, buffer handles,
// quantization, the payload kept alive) and aborts on what the real one aborts on (a device
// opened twice or released before its nodes). With the twin runner, the fake TPU runs a real
// compiled model's CPU twin: classify gives macaw for parrot.jpg end to end (realdata), and the
// YOLO exports' Edge TPU twins (TPU part, then a CPU tail) give their CPU models' outputs.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <set>

#include "backend/edgetpu_backend.h"
#include "backend/edgetpu_custom_op.h"
#include "fake_host.h"
#include "image/image.h"
#include "model/builder.h"
#include "testutil/testdata.h"
#include "vision/classification.h"
#include "vision/preprocess.h"

namespace coralpi {
namespace {

using testing::FakeHost;
using testing::MakeEdgeTpuPayload;
using testing::PayloadTensor;
using testing::ScopedEnv;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

const Quantization kQ8{{1.0f}, {0}, 0};

// What the fake's invoke writes: output j, byte k = 255 - input (j % n) byte k (wrapping) + j.
uint8_t FakeTpuByte(const std::vector<std::vector<uint8_t>>& inputs, size_t j, size_t k) {
  const std::vector<uint8_t>& in = inputs[j % inputs.size()];
  return static_cast<uint8_t>(255 - in[k % in.size()] + j);
}

std::vector<uint8_t> Bytes(const TensorView& v) {
  const auto* p = static_cast<const uint8_t*>(v.data);
  return {p, p + v.num_elements() * static_cast<int64_t>(ElementSize(v.type))};
}

void AddTpuNode(ModelBuilder& b, const std::vector<int32_t>& in, const std::vector<int32_t>& out,
                const std::vector<PayloadTensor>& in_specs,
                const std::vector<PayloadTensor>& out_specs) {
  b.AddCustomOperator("edgetpu-custom-op", in, out,
                      MakeEdgeTpuPayload(100, 200, in_specs, out_specs));
}

// float [1, 16] -> QUANTIZE (uint8, scale 1/16) -> TPU -> uint8 (scale 0.5, zero point 10)
// -> DEQUANTIZE -> float [1, 16]: CPU operators on both sides of the TPU node.
std::vector<uint8_t> ModelAroundTheTpu() {
  ModelBuilder b;
  int32_t x = b.AddTensor({"x", DataType::kFloat32, {1, 16}, {}, {}});
  int32_t q = b.AddTensor({"q", DataType::kUInt8, {1, 16}, {{1.0f / 16}, {0}, 0}, {}});
  int32_t t = b.AddTensor({"t", DataType::kUInt8, {1, 16}, {{0.5f}, {10}, 0}, {}});
  int32_t y = b.AddTensor({"y", DataType::kFloat32, {1, 16}, {}, {}});
  b.AddOperator(OpCode::kQuantize, {x}, {q});
  AddTpuNode(b, {q}, {t}, {{DataType::kUInt8, {1, 16}}}, {{DataType::kUInt8, {1, 16}}});
  b.AddOperator(OpCode::kDequantize, {t}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

// Two inputs (uint8 [1, 4, 4, 2], int8 [1, 6]) and three outputs straight from one TPU node.
std::vector<uint8_t> ModelWithSeveralInputsAndOutputs() {
  ModelBuilder b;
  int32_t a = b.AddTensor({"a", DataType::kUInt8, {1, 4, 4, 2}, kQ8, {}});
  int32_t c = b.AddTensor({"c", DataType::kInt8, {1, 6}, kQ8, {}});
  int32_t o0 = b.AddTensor({"o0", DataType::kUInt8, {1, 10}, kQ8, {}});
  int32_t o1 = b.AddTensor({"o1", DataType::kInt8, {1, 6}, kQ8, {}});
  int32_t o2 = b.AddTensor({"o2", DataType::kUInt8, {1, 4, 4, 2}, kQ8, {}});
  AddTpuNode(
      b, {a, c}, {o0, o1, o2}, {{DataType::kUInt8, {1, 4, 4, 2}}, {DataType::kInt8, {1, 6}}},
      {{DataType::kUInt8, {1, 10}}, {DataType::kInt8, {1, 6}}, {DataType::kUInt8, {1, 4, 4, 2}}});
  b.SetInputs({a, c});
  b.SetOutputs({o0, o1, o2});
  return b.Finish();
}

// uint8 [1, 16] -> TPU -> [1, 16] -> RESHAPE [1, 4, 4, 1] -> TPU -> [1, 16] -> RESHAPE [16]:
// two TPU nodes with CPU operators between and after them.
std::vector<uint8_t> ModelWithTwoTpuNodes() {
  ModelBuilder b;
  int32_t x = b.AddTensor({"x", DataType::kUInt8, {1, 16}, kQ8, {}});
  int32_t m = b.AddTensor({"m", DataType::kUInt8, {1, 16}, kQ8, {}});
  int32_t m4 = b.AddTensor({"m4", DataType::kUInt8, {1, 4, 4, 1}, kQ8, {}});
  int32_t z = b.AddTensor({"z", DataType::kUInt8, {1, 16}, kQ8, {}});
  int32_t y = b.AddTensor({"y", DataType::kUInt8, {16}, kQ8, {}});
  int32_t shape4 = b.AddConstant<int32_t>("shape4", DataType::kInt32, {4}, {1, 4, 4, 1});
  int32_t shape1 = b.AddConstant<int32_t>("shape1", DataType::kInt32, {1}, {16});
  AddTpuNode(b, {x}, {m}, {{DataType::kUInt8, {1, 16}}}, {{DataType::kUInt8, {1, 16}}});
  b.AddOperator(OpCode::kReshape, {m, shape4}, {m4}, ReshapeOptions{{1, 4, 4, 1}});
  AddTpuNode(b, {m4}, {z}, {{DataType::kUInt8, {1, 4, 4, 1}}}, {{DataType::kUInt8, {1, 16}}});
  b.AddOperator(OpCode::kReshape, {z, shape1}, {y}, ReshapeOptions{{16}});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

ModelSource Source(std::vector<uint8_t> bytes, const std::string& name = "m_edgetpu.tflite") {
  auto m = ModelSourceFromBytes(std::move(bytes), name);
  EXPECT_TRUE(m.ok()) << m.error().message;
  return *m;
}

class FakeTpu : public ::testing::Test {
 protected:
  EdgeTpuBackendOptions Options(const std::string& device = "") const {
    EdgeTpuBackendOptions o;
    o.device = device;
    o.edgetpu_lib = FAKE_EDGETPU;
    o.tflite_lib = "/nonexistent/libtensorflowlite_c.so";  // never needed
    o.root = host_.root();
    o.identity = ProcessIdentity{1000, {1000}};
    return o;
  }
  Result<std::unique_ptr<Backend>> Create(std::vector<uint8_t> model,
                                          const EdgeTpuBackendOptions& o) {
    return CreateEdgeTpuBackend(Source(std::move(model)), o);
  }
  std::string ErrorOf(std::vector<uint8_t> model, const EdgeTpuBackendOptions& o) {
    auto b = Create(std::move(model), o);
    EXPECT_FALSE(b.ok());
    return b.ok() ? "" : b.error().message;
  }
  FakeHost host_;  // no TPU in sysfs: the runtime's list decides
  ScopedEnv devices_{"FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0"};
};

TEST_F(FakeTpu, CpuOperatorsBeforeAndAfterTheTpuNode) {
  auto b = Create(ModelAroundTheTpu(), Options());
  ASSERT_TRUE(b.ok()) << b.error().message;
  Backend& e = **b;
  EXPECT_EQ(e.name(), "edgetpu");
  EXPECT_TRUE(Contains(e.details(),
                       "Edge TPU pci /dev/apex_0 through libedgetpu "
                       "BuildLabel(fake), RuntimeVersion(14)"))
      << e.details();
  EXPECT_TRUE(Contains(e.details(),
                       "1 edgetpu-custom-op node on the TPU, 2 operators on the CPU "
                       "engine"))
      << e.details();
  EXPECT_TRUE(Contains(e.details(), "no TensorFlow Lite")) << e.details();
  for (int run = 0; run < 2; ++run) {
    float* x = e.input(0).as<float>();
    for (int i = 0; i < 16; ++i) x[i] = static_cast<float>(i + run) * 0.75f;
    ASSERT_TRUE(e.Invoke().ok());
    for (int i = 0; i < 16; ++i) {
      int q = static_cast<int>(std::lround(x[i] * 16));            // QUANTIZE, scale 1/16
      float expected = static_cast<float>((255 - q) - 10) * 0.5f;  // TPU, then DEQUANTIZE
      EXPECT_FLOAT_EQ(e.output(0).as<float>()[i], expected) << "run " << run << " element " << i;
    }
  }
}

TEST_F(FakeTpu, SeveralInputsAndOutputs) {
  auto b = Create(ModelWithSeveralInputsAndOutputs(), Options());
  ASSERT_TRUE(b.ok()) << b.error().message;
  Backend& e = **b;
  ASSERT_EQ(e.input_count(), 2u);
  ASSERT_EQ(e.output_count(), 3u);
  std::vector<std::vector<uint8_t>> in(2);
  for (size_t i = 0; i < 2; ++i) {
    TensorView v = e.input(i);
    for (int64_t k = 0; k < v.num_elements(); ++k)
      v.as<uint8_t>()[k] = static_cast<uint8_t>(k * 7 + i * 50);
    in[i] = Bytes(v);
  }
  ASSERT_TRUE(e.Invoke().ok());
  for (size_t j = 0; j < 3; ++j) {
    std::vector<uint8_t> out = Bytes(e.output(j));
    for (size_t k = 0; k < out.size(); ++k)
      EXPECT_EQ(out[k], FakeTpuByte(in, j, k)) << j << "," << k;
  }
}

TEST_F(FakeTpu, TwoTpuNodesWithCpuOperatorsBetweenAndAfter) {
  auto b = Create(ModelWithTwoTpuNodes(), Options());
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_TRUE(Contains((**b).details(), "2 edgetpu-custom-op nodes on the TPU, 2 operators"))
      << (**b).details();
  TensorView x = (**b).input(0);
  for (int i = 0; i < 16; ++i) x.as<uint8_t>()[i] = static_cast<uint8_t>(3 * i + 1);
  ASSERT_TRUE((**b).Invoke().ok());
  // Each node writes 255 - its input: two of them give the input back.
  TensorView y = (**b).output(0);
  EXPECT_EQ(y.shape, (Shape{16}));
  for (int i = 0; i < 16; ++i) EXPECT_EQ(y.as<uint8_t>()[i], 3 * i + 1) << i;
}

TEST_F(FakeTpu, PlacementShowsTheTpuNodes) {
  ModelSource m = Source(ModelWithTwoTpuNodes());
  CpuEngineOptions o;
  o.external.push_back({"edgetpu-custom-op", "Edge TPU", nullptr});
  std::vector<NodePlacement> p = PlanPlacement(*m.model, o);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].external, "Edge TPU");
  EXPECT_TRUE(p[0].supported);
  EXPECT_EQ(p[1].external, "");
  EXPECT_EQ(p[2].external, "Edge TPU");
  // Without a provider the CPU engine refuses the node, saying why.
  std::vector<NodePlacement> plain = PlanPlacement(*m.model);
  EXPECT_FALSE(plain[0].supported);
  EXPECT_TRUE(Contains(plain[0].reason, "compiled for the Edge TPU")) << plain[0].reason;
  // Planning only: an engine cannot be built without a way to make the steps.
  auto engine = CpuEngine::Create(m.model, o);
  ASSERT_FALSE(engine.ok());
  EXPECT_TRUE(Contains(engine.error().message, "operator 0 (edgetpu-custom-op): no Edge TPU"))
      << engine.error().message;
}

TEST_F(FakeTpu, RuntimeVersion13IsRefused) {
  EdgeTpuBackendOptions o = Options();
  o.edgetpu_lib = FAKE_EDGETPU_V13;
  std::string m = ErrorOf(ModelAroundTheTpu(), o);
  EXPECT_TRUE(Contains(m, "\"BuildLabel(fake-2020), RuntimeVersion(13)\" is RuntimeVersion 13"))
      << m;
  EXPECT_TRUE(Contains(m, "RuntimeVersion 14 or newer")) << m;
  EXPECT_TRUE(Contains(m, "install libedgetpu1-std or libedgetpu1-max 16.0")) << m;
}

TEST_F(FakeTpu, ALibraryWithoutTheCustomOp) {
  EdgeTpuBackendOptions o = Options();
  o.edgetpu_lib = FAKE_EDGETPU_NO_CUSTOM_OP;
  std::string m = ErrorOf(ModelAroundTheTpu(), o);
  EXPECT_TRUE(Contains(m, "exports no edgetpu::RegisterCustomOp (_ZN7edgetpu16RegisterCustomOpEv)"))
      << m;
}

TEST_F(FakeTpu, NoDeviceSaysSoAndNeedsNoTensorFlowLite) {
  ScopedEnv none("FAKE_EDGETPU_DEVICES", nullptr);
  std::string m = ErrorOf(ModelAroundTheTpu(), Options());
  EXPECT_EQ(m.rfind("m_edgetpu.tflite: cannot run on an Edge TPU:\n", 0), 0u) << m;
  EXPECT_TRUE(Contains(m, "finds no Edge TPU (it lists: none)")) << m;
  EXPECT_FALSE(Contains(m, "TensorFlow Lite")) << m;
}

TEST_F(FakeTpu, TwoDevicesAndTheDeviceFlag) {
  ScopedEnv two("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0,usb:/sys/bus/usb/devices/2-1");
  struct Case {
    const char* device;
    const char* chosen;
  } cases[] = {{"", "pci /dev/apex_0"},
               {"usb", "usb /sys/bus/usb/devices/2-1"},
               {":1", "usb /sys/bus/usb/devices/2-1"},
               {"pci:0", "pci /dev/apex_0"}};
  for (const Case& c : cases) {
    auto b = Create(ModelAroundTheTpu(), Options(c.device));
    ASSERT_TRUE(b.ok()) << c.device << ": " << b.error().message;
    EXPECT_TRUE(Contains((**b).details(), std::string("Edge TPU ") + c.chosen + " through"))
        << c.device << ": " << (**b).details();
    EXPECT_TRUE((**b).Invoke().ok());
  }
  std::string m = ErrorOf(ModelAroundTheTpu(), Options("pci:1"));
  EXPECT_TRUE(Contains(m,
                       "finds no Edge TPU matching --device pci:1 (it lists: pci "
                       "/dev/apex_0, usb /sys/bus/usb/devices/2-1)"))
      << m;
}

TEST_F(FakeTpu, OneOpenPerDeviceSharedByBackends) {
  // The fake aborts when a device is opened twice: both backends use the one open device, and
  // it is released after the last of their nodes (the fake aborts otherwise, too).
  auto first = Create(ModelAroundTheTpu(), Options());
  auto second = Create(ModelWithTwoTpuNodes(), Options());
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE((**first).Invoke().ok());
  first->reset();
  EXPECT_TRUE((**second).Invoke().ok());
  second->reset();
  // Released: it opens again.
  auto third = Create(ModelAroundTheTpu(), Options());
  ASSERT_TRUE(third.ok()) << third.error().message;
  EXPECT_TRUE((**third).Invoke().ok());
}

TEST_F(FakeTpu, ErrorsFromInitPrepareAndInvokeNameTheNodeAndTheModel) {
  {
    ScopedEnv fail("FAKE_EDGETPU_FAIL", "init");
    std::string m = ErrorOf(ModelAroundTheTpu(), Options());
    EXPECT_TRUE(Contains(m,
                         "m_edgetpu.tflite: operator 1 (edgetpu-custom-op): libedgetpu's init "
                         "returned nothing: fake: init refused the "))
        << m;
  }
  {
    ScopedEnv fail("FAKE_EDGETPU_FAIL", "prepare");
    std::string m = ErrorOf(ModelAroundTheTpu(), Options());
    EXPECT_TRUE(Contains(m,
                         "m_edgetpu.tflite: operator 1 (edgetpu-custom-op): libedgetpu's "
                         "prepare failed (status 1): Failed to prepare for TPU. fake: no room "
                         "for the model on the Edge TPU pci /dev/apex_0"))
        << m;
  }
  auto b = Create(ModelAroundTheTpu(), Options());
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_TRUE((**b).Invoke().ok());
  ScopedEnv fail("FAKE_EDGETPU_FAIL", "invoke");
  Status s = (**b).Invoke();
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s.error().message,
                       "m_edgetpu.tflite: operator 1 (edgetpu-custom-op): "
                       "libedgetpu's invoke failed (status 1): fake: invoke "
                       "failed after 1 runs"))
      << s.error().message;
}

TEST_F(FakeTpu, OutputResizeKeepingTheBytesIsTakenOthersAreRefused) {
  {
    ScopedEnv resize("FAKE_EDGETPU_RESIZE", "0:16");  // [1, 16] -> [16]: same bytes
    auto b = Create(ModelAroundTheTpu(), Options());
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_TRUE((**b).Invoke().ok());
  }
  ScopedEnv resize("FAKE_EDGETPU_RESIZE", "0:2x16");  // a second batch
  std::string m = ErrorOf(ModelAroundTheTpu(), Options());
  EXPECT_TRUE(Contains(m,
                       "the Edge TPU asks to resize tensor 2 (t) from [1, 16] to [2, 16], "
                       "but coralpi keeps the model's tensor sizes"))
      << m;
}

TEST_F(FakeTpu, TheModelsQuantizationReachesTheTpu) {
  // The fake refuses 8-bit tensors without a scale, as a TPU result would be meaningless.
  ModelBuilder b;
  int32_t x = b.AddTensor({"x", DataType::kUInt8, {1, 16}, {}, {}});
  int32_t y = b.AddTensor({"y", DataType::kUInt8, {1, 16}, kQ8, {}});
  AddTpuNode(b, {x}, {y}, {{DataType::kUInt8, {1, 16}}}, {{DataType::kUInt8, {1, 16}}});
  b.SetInputs({x});
  b.SetOutputs({y});
  std::string m = ErrorOf(b.Finish(), Options());
  EXPECT_TRUE(Contains(m, "fake: tensor 0 has no quantization scale")) << m;
}

TEST_F(FakeTpu, APayloadThatDoesNotFitItsNodeNeverReachesTheLibrary) {
  ModelBuilder b;
  int32_t x = b.AddTensor({"x", DataType::kUInt8, {1, 16}, kQ8, {}});
  int32_t y = b.AddTensor({"y", DataType::kUInt8, {1, 16}, kQ8, {}});
  AddTpuNode(b, {x}, {y}, {{DataType::kUInt8, {1, 12}}}, {{DataType::kUInt8, {1, 16}}});
  b.SetInputs({x});
  b.SetOutputs({y});
  // Were init called, FAKE_EDGETPU_FAIL would make it say so.
  ScopedEnv fail("FAKE_EDGETPU_FAIL", "init");
  std::string m = ErrorOf(b.Finish(), Options());
  EXPECT_TRUE(Contains(m,
                       "operator 0 (edgetpu-custom-op): edgetpu-custom-op options: package 0: "
                       "input 0 uint8 [1, 16] holds 16 bytes; the Edge TPU layer \"in0\" "
                       "reads 12 per batch"))
      << m;
  EXPECT_FALSE(Contains(m, "fake:")) << m;
}

TEST_F(FakeTpu, TheModelsBytesOutliveTheCaller) {
  // The fake checks at every invoke that the payload init saw is still there.
  std::unique_ptr<Backend> b;
  {
    auto made = Create(ModelAroundTheTpu(), Options());
    ASSERT_TRUE(made.ok()) << made.error().message;
    b = std::move(*made);
  }  // the ModelSource is gone
  EXPECT_TRUE(b->Invoke().ok());
}

TEST(FakeTpuOrder, TheFakeAbortsWhenTheDeviceIsReleasedBeforeItsNodes) {
  // What coralpi's ownership rules prevent, done by hand: the fake dies as the real one does.
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0");
  ModelSource m = Source(ModelWithSeveralInputsAndOutputs());
  EXPECT_DEATH(
      {
        auto lib = LoadEdgeTpuLibrary(FAKE_EDGETPU);
        auto device = OpenEdgeTpuDevice(**lib, {EdgeTpuDeviceSpec::Bus::kPci, "/dev/apex_0"});
        auto ops = EdgeTpuCustomOps::Create(**lib, m.model, *device);
        CpuEngineOptions o;
        o.external.push_back((*ops)->Nodes());
        auto engine = CpuEngine::Create(m.model, o);
        if (engine.ok()) (**lib).api.edgetpu_free_delegate((*device)->delegate());
      },
      "device released while custom-op nodes still use it");
}

// ---- the fake TPU runs the compiled model's CPU twin (real models and images) ----

// Whether this process can start the twin runner: under qemu-user without binfmt_misc, an
// arm64 process cannot exec another arm64 program.
bool CanRun(const char* program) {
  pid_t pid = fork();
  if (pid == 0) {
    execl(program, program, static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) != 127;
}

TEST(FakeTpuTwin, ClassifyParrotGivesMacaw) {
  const char* compiled = "models/mobilenet_v1_0.25_128_quant_edgetpu.tflite";
  const char* plain = "models/mobilenet_v1_0.25_128_quant.tflite";
  for (const char* f : {compiled, plain, "images/parrot.jpg", "labels/imagenet_labels.txt"}) {
    CORALPI_REQUIRE_TESTDATA(f);
  }
  if (!CanRun(FAKE_EDGETPU_TWIN_RUNNER)) {
    GTEST_SKIP() << "cannot start " << FAKE_EDGETPU_TWIN_RUNNER
                 << " from here (under qemu-user, it needs binfmt_misc)";
  }
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "usb:/sys/bus/usb/devices/2-1");
  ScopedEnv twin("FAKE_EDGETPU_TWIN", testing::TestDataPath(plain).c_str());
  ScopedEnv runner("FAKE_EDGETPU_TWIN_RUNNER", FAKE_EDGETPU_TWIN_RUNNER);
  auto model = LoadModelSource(testing::TestDataPath(compiled));
  ASSERT_TRUE(model.ok()) << model.error().message;
  FakeHost host;
  EdgeTpuBackendOptions o;
  o.edgetpu_lib = FAKE_EDGETPU;
  o.root = host.root();
  auto b = CreateEdgeTpuBackend(*model, o);
  ASSERT_TRUE(b.ok()) << b.error().message;
  auto image = ReadImageFile(testing::TestDataPath("images/parrot.jpg"));
  auto labels = Labels::Load(testing::TestDataPath("labels/imagenet_labels.txt"));
  ASSERT_TRUE(image.ok() && labels.ok());
  ASSERT_TRUE(FillImageInput(*image, (**b).input(0)).ok());
  ASSERT_TRUE((**b).Invoke().ok());
  auto scores = OutputScores((**b).output(0));
  ASSERT_TRUE(scores.ok());
  std::vector<Class> top = TopK(*scores, 1, 0.0f);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(labels->Get(top[0].id), "macaw");  // Coral's published result for parrot.jpg
}

// The YOLO exports' Edge TPU twins: libedgetpu's custom op (the fake, running the TPU part on
// the CPU engine) then the CPU tail on the engine, against the plain model on the engine alone,
// on bus.jpg. The fake computes the TPU part with the same engine and kernels as the plain model
// does, and the tail is the plain model's own operators on the same tensors, so the outputs must
// be the same bytes: any difference is the host's doing (tensors bound or ordered wrongly, the
// tail fed the wrong node output, quantization lost on the way).
TEST(FakeTpuTwin, YoloTwinsGiveTheirCpuModelsOutputsOnBus) {
  struct Case {
    const char* compiled;
    const char* plain;
  } cases[] = {{"models/yolov8n_320_full_integer_quant_edgetpu.tflite",
                "models/yolov8n_320_full_integer_quant.tflite"},
               {"models/yolov5n_640_int8_edgetpu.tflite", "models/yolov5n_640_int8.tflite"}};
  CORALPI_REQUIRE_TESTDATA("images/bus.jpg");
  for (const Case& c : cases) {
    CORALPI_REQUIRE_TESTDATA(c.compiled);
    CORALPI_REQUIRE_TESTDATA(c.plain);
  }
  if (!CanRun(FAKE_EDGETPU_TWIN_RUNNER)) {
    GTEST_SKIP() << "cannot start " << FAKE_EDGETPU_TWIN_RUNNER
                 << " from here (under qemu-user, it needs binfmt_misc)";
  }
  auto image = ReadImageFile(testing::TestDataPath("images/bus.jpg"));
  ASSERT_TRUE(image.ok()) << image.error().message;
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0");
  ScopedEnv runner("FAKE_EDGETPU_TWIN_RUNNER", FAKE_EDGETPU_TWIN_RUNNER);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.compiled);
    auto compiled = LoadModelSource(testing::TestDataPath(c.compiled));
    ASSERT_TRUE(compiled.ok()) << compiled.error().message;
    const std::string twin =
        ::testing::TempDir() + "coralpi-tpu-part-" + std::to_string(::getpid()) + ".tflite";
    Status written =
        testing::WriteTpuPartTwin(*compiled->model, testing::TestDataPath(c.plain), twin);
    ASSERT_TRUE(written.ok()) << written.error().message;
    ScopedEnv twin_env("FAKE_EDGETPU_TWIN", twin.c_str());
    FakeHost host;
    EdgeTpuBackendOptions o;
    o.edgetpu_lib = FAKE_EDGETPU;
    o.root = host.root();
    auto tpu = CreateEdgeTpuBackend(*compiled, o);
    ASSERT_TRUE(tpu.ok()) << tpu.error().message;
    EXPECT_TRUE(Contains((**tpu).details(), "1 edgetpu-custom-op node on the TPU"))
        << (**tpu).details();
    auto plain = Model::Load(testing::TestDataPath(c.plain));
    ASSERT_TRUE(plain.ok()) << plain.error().message;
    auto cpu = CreateCpuBackend(*plain, {});
    ASSERT_TRUE(cpu.ok()) << cpu.error().message;

    ASSERT_EQ((**tpu).input_count(), 1u);
    ASSERT_TRUE(FillImageInput(*image, (**cpu).input(0)).ok());
    const std::vector<uint8_t> in = Bytes((**cpu).input(0));
    ASSERT_EQ(Bytes((**tpu).input(0)).size(), in.size());
    std::copy(in.begin(), in.end(), static_cast<uint8_t*>((**tpu).input(0).data));
    ASSERT_TRUE((**cpu).Invoke().ok());
    Status ran = (**tpu).Invoke();
    ASSERT_TRUE(ran.ok()) << ran.error().message;
    ASSERT_EQ((**tpu).output_count(), (**cpu).output_count());
    for (size_t i = 0; i < (**cpu).output_count(); ++i) {
      TensorView want = (**cpu).output(i), got = (**tpu).output(i);
      EXPECT_EQ(got.type, want.type);
      EXPECT_EQ(got.shape, want.shape);
      const std::vector<uint8_t> a = Bytes(got), b = Bytes(want);
      ASSERT_EQ(a.size(), b.size());
      size_t differ = 0;
      for (size_t k = 0; k < a.size(); ++k) differ += a[k] != b[k];
      EXPECT_EQ(differ, 0u) << "output " << i << ": " << differ << " of " << a.size()
                            << " bytes differ";
      // Not trivially equal: the detector's output varies over the picture.
      EXPECT_GT(std::set<uint8_t>(b.begin(), b.end()).size(), 16u);
    }
    std::remove(twin.c_str());
  }
}

}  // namespace
}  // namespace coralpi

// The run-time loader and the tflite/edgetpu backends against small fake libraries built by
// these tests (fakes/fake_tflite.c, fakes/fake_edgetpu.c): every failure has its own message,
// the first missing piece first; a working fake TPU runs the model through the delegate.
// Nothing here touches a real TPU or a real TensorFlow Lite.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "backend/backend_factory.h"
#include "backend/edgetpu_backend.h"
#include "backend/runtime_loader.h"
#include "backend/tflite_backend.h"
#include "fake_host.h"
#include "model/builder.h"

namespace coralpi {
namespace {

using testing::FakeHost;
using testing::ScopedEnv;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A plain (CPU) model: uint8 [1, 16] -> RESHAPE -> uint8 [1, 16].
std::vector<uint8_t> PlainModel() {
  ModelBuilder b;
  Quantization q{{1.0f / 256}, {0}, 0};
  int32_t in = b.AddTensor({"in", DataType::kUInt8, {1, 16}, q, {}});
  int32_t shape = b.AddConstant<int32_t>("shape", DataType::kInt32, {2}, {1, 16});
  int32_t out = b.AddTensor({"out", DataType::kUInt8, {1, 16}, q, {}});
  b.AddOperator(OpCode::kReshape, {in, shape}, {out}, ReshapeOptions{{1, 16}});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Finish();
}

ModelSource Source(std::vector<uint8_t> bytes, const std::string& name) {
  auto m = ModelSourceFromBytes(std::move(bytes), name);
  EXPECT_TRUE(m.ok()) << m.error().message;
  return *m;
}

// ---- the loader ----

TEST(Loader, AbsentLibraryNamesFileSourceAndFix) {
  auto t = LoadTfLiteLibrary("/nonexistent/libtensorflowlite_c.so");
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(
      Contains(t.error().message, "/nonexistent/libtensorflowlite_c.so (--tflite-lib): not found"))
      << t.error().message;
  EXPECT_TRUE(Contains(t.error().message, "CORALPI_TFLITE_LIB"));
  auto e = LoadEdgeTpuLibrary("/nonexistent/libedgetpu.so.1");
  ASSERT_FALSE(e.ok());
  EXPECT_TRUE(
      Contains(e.error().message, "/nonexistent/libedgetpu.so.1 (--edgetpu-lib): not found"))
      << e.error().message;
  EXPECT_TRUE(Contains(e.error().message, "libedgetpu1-std"));
}

TEST(Loader, MissingSymbolsAreNamed) {
  auto t = LoadTfLiteLibrary(FAKE_TFLITE_NO_INVOKE);
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(Contains(t.error().message, "missing symbol(s) TfLiteInterpreterInvoke:"))
      << t.error().message;
  EXPECT_TRUE(Contains(t.error().message, FAKE_TFLITE_NO_INVOKE));
  auto e = LoadEdgeTpuLibrary(FAKE_EDGETPU_NO_DELEGATE);
  ASSERT_FALSE(e.ok());
  EXPECT_TRUE(Contains(e.error().message, "missing symbol(s) edgetpu_create_delegate:"))
      << e.error().message;
  // TensorFlow Lite's library is not the Edge TPU runtime: every edgetpu_* symbol is missing.
  auto swapped = LoadEdgeTpuLibrary(FAKE_TFLITE);
  ASSERT_FALSE(swapped.ok());
  EXPECT_TRUE(Contains(swapped.error().message, "edgetpu_list_devices, edgetpu_free_devices"))
      << swapped.error().message;
}

TEST(Loader, AFileThatIsNoLibrary) {
  FakeHost dir;
  dir.Write("libjunk.so", "not an ELF file\n");
  auto t = LoadTfLiteLibrary(dir.Path("libjunk.so"));
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(Contains(t.error().message, "cannot be loaded (")) << t.error().message;
}

TEST(Loader, FlagThenEnvironmentThenDefault) {
  {
    ScopedEnv env(kTfLiteLibEnv, nullptr);
    LibraryChoice c = ChooseLibrary("", "--tflite-lib", kTfLiteLibEnv, kTfLiteLibName);
    EXPECT_EQ(c.path, "libtensorflowlite_c.so");
    EXPECT_EQ(c.source, "the default library path");
  }
  ScopedEnv env(kTfLiteLibEnv, "/from/env.so");
  LibraryChoice c = ChooseLibrary("", "--tflite-lib", kTfLiteLibEnv, kTfLiteLibName);
  EXPECT_EQ(c.path, "/from/env.so");
  EXPECT_EQ(c.source, "CORALPI_TFLITE_LIB");
  c = ChooseLibrary("/from/flag.so", "--tflite-lib", kTfLiteLibEnv, kTfLiteLibName);
  EXPECT_EQ(c.path, "/from/flag.so");
  EXPECT_EQ(c.source, "--tflite-lib");
  ScopedEnv fake(kTfLiteLibEnv, FAKE_TFLITE);
  auto lib = LoadTfLiteLibrary("");
  ASSERT_TRUE(lib.ok()) << lib.error().message;
  EXPECT_EQ((*lib)->path, FAKE_TFLITE);
}

TEST(Loader, VersionsAndXnnpackPresence) {
  auto t = LoadTfLiteLibrary(FAKE_TFLITE);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ((*t)->version, "2.99.0-fake");
  EXPECT_TRUE((*t)->has_xnnpack);
  auto again = LoadTfLiteLibrary(FAKE_TFLITE);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *t);  // loaded once
  auto plain = LoadTfLiteLibrary(FAKE_TFLITE_NO_XNNPACK);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_FALSE((*plain)->has_xnnpack);
  auto e = LoadEdgeTpuLibrary(FAKE_EDGETPU);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ((*e)->version, "BuildLabel(fake), RuntimeVersion(14)");
}

TEST(Loader, RuntimeDeviceList) {
  auto e = LoadEdgeTpuLibrary(FAKE_EDGETPU);
  ASSERT_TRUE(e.ok());
  {
    ScopedEnv none("FAKE_EDGETPU_DEVICES", nullptr);
    EXPECT_TRUE(ListRuntimeEdgeTpus(**e).empty());
  }
  ScopedEnv two("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0,usb:/sys/bus/usb/devices/2-1");
  std::vector<RuntimeEdgeTpu> d = ListRuntimeEdgeTpus(**e);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].bus, EdgeTpuDeviceSpec::Bus::kPci);
  EXPECT_EQ(d[0].path, "/dev/apex_0");
  EXPECT_EQ(d[1].bus, EdgeTpuDeviceSpec::Bus::kUsb);
  EXPECT_EQ(d[1].path, "/sys/bus/usb/devices/2-1");
}

// ---- the tflite backend ----

TEST(TfLiteBackend, TensorViewsComeFromTheCApi) {
  auto b = CreateTfLiteBackend(Source(PlainModel(), "plain.tflite"), {2, FAKE_TFLITE, true});
  ASSERT_TRUE(b.ok()) << b.error().message;
  Backend& e = **b;
  EXPECT_EQ(e.name(), "tflite");
  EXPECT_TRUE(Contains(e.details(), "TensorFlow Lite 2.99.0-fake")) << e.details();
  EXPECT_TRUE(Contains(e.details(), "XNNPACK delegate")) << e.details();
  EXPECT_TRUE(Contains(e.details(), "2 threads")) << e.details();
  ASSERT_EQ(e.input_count(), 1u);
  ASSERT_EQ(e.output_count(), 1u);
  // The fake's tensors, not the model's: the views must come from the C API.
  TensorView in = e.input(0);
  EXPECT_EQ(in.type, DataType::kUInt8);
  EXPECT_EQ(in.shape, (Shape{1, 8, 8, 3}));
  ASSERT_TRUE(in.quant && !in.quant->empty());
  EXPECT_FLOAT_EQ(in.scale(), 1.0f / 128);
  EXPECT_EQ(in.zero_point(), 128);
  TensorView out = e.output(0);
  EXPECT_EQ(out.shape, (Shape{1, 16}));
  EXPECT_FLOAT_EQ(out.scale(), 1.0f / 256);
  for (int i = 0; i < 192; ++i) in.as<uint8_t>()[i] = static_cast<uint8_t>(i * 7);
  ASSERT_TRUE(e.Invoke().ok());
  for (int i = 0; i < 16; ++i)
    EXPECT_EQ(e.output(0).as<uint8_t>()[i], static_cast<uint8_t>(i * 7)) << i;
}

TEST(TfLiteBackend, XnnpackDelegateGetsTheThreadCount) {
  auto two = CreateTfLiteBackend(Source(PlainModel(), "plain.tflite"), {2, FAKE_TFLITE, true});
  ASSERT_TRUE(two.ok()) << two.error().message;
  // Read back from the fake's delegate, which refuses options not made by its OptionsDefault.
  EXPECT_TRUE(Contains((*two)->details(), "XNNPACK delegate (num_threads 2, with a thread pool)"))
      << (*two)->details();
  auto one = CreateTfLiteBackend(Source(PlainModel(), "plain.tflite"), {1, FAKE_TFLITE, true});
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_TRUE(Contains((*one)->details(), "XNNPACK delegate (num_threads 0, no thread pool)"))
      << (*one)->details();
}

TEST(TfLiteBackend, XnnpackDefaultsWhenItsThreadsCannotBeSet) {
  auto lib = LoadTfLiteLibrary(FAKE_TFLITE_XNNPACK_DEFAULTS);
  ASSERT_TRUE(lib.ok()) << lib.error().message;
  EXPECT_TRUE((*lib)->has_xnnpack);
  EXPECT_FALSE((*lib)->xnnpack_threads);
  auto b = CreateTfLiteBackend(Source(PlainModel(), "plain.tflite"),
                               {2, FAKE_TFLITE_XNNPACK_DEFAULTS, true});
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_TRUE(Contains((*b)->details(), "XNNPACK delegate (its default options, no thread pool"))
      << (*b)->details();
}

TEST(TfLiteBackend, SaysWhenThereIsNoXnnpack) {
  auto b =
      CreateTfLiteBackend(Source(PlainModel(), "plain.tflite"), {1, FAKE_TFLITE_NO_XNNPACK, true});
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_TRUE(Contains((*b)->details(), "built-in kernels only")) << (*b)->details();
  EXPECT_TRUE(Contains((*b)->details(), "no TfLiteXNNPackDelegateCreate")) << (*b)->details();
}

TEST(TfLiteBackend, InvokeFailureCarriesTensorFlowLitesMessage) {
  auto b = CreateTfLiteBackend(Source(PlainModel(), "plain.tflite"), {1, FAKE_TFLITE, true});
  ASSERT_TRUE(b.ok());
  ScopedEnv fail("FAKE_TFLITE_FAIL_INVOKE", "1");
  Status s = (*b)->Invoke();
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s.error().message,
                       "plain.tflite: tflite backend: Invoke failed (TfLiteStatus 1): "
                       "fake: node 3 failed to invoke"))
      << s.error().message;
}

TEST(TfLiteBackend, EdgeTpuModelWithoutTheDelegate) {
  auto b = CreateTfLiteBackend(Source(testing::BuildEdgeTpuModel(), "m_edgetpu.tflite"),
                               {1, FAKE_TFLITE, true});
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(Contains(b.error().message, "Encountered unresolved custom op: edgetpu-custom-op"))
      << b.error().message;
}

// ---- the tflite-edgetpu backend (TensorFlow Lite with libedgetpu's delegate) ----

class EdgeTpuBackendTest : public ::testing::Test {
 protected:
  EdgeTpuBackendOptions Options() const {
    EdgeTpuBackendOptions o;
    o.edgetpu_lib = FAKE_EDGETPU;
    o.tflite_lib = FAKE_TFLITE;
    o.root = host_.root();
    o.identity = ProcessIdentity{1000, {1000, 4242}};
    return o;
  }
  Result<std::unique_ptr<Backend>> Create(const EdgeTpuBackendOptions& o) {
    return CreateTfLiteEdgeTpuBackend(Source(testing::BuildEdgeTpuModel(2), "m_edgetpu.tflite"), o);
  }
  // The error message, failing the test when creation succeeded.
  std::string ErrorOf(const EdgeTpuBackendOptions& o) {
    auto b = Create(o);
    EXPECT_FALSE(b.ok());
    return b.ok() ? "" : b.error().message;
  }
  FakeHost host_;
};

TEST_F(EdgeTpuBackendTest, RunsThroughTheDelegate) {
  host_.AddPcie({});
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0");
  auto b = Create(Options());
  ASSERT_TRUE(b.ok()) << b.error().message;
  Backend& e = **b;
  EXPECT_EQ(e.name(), "tflite-edgetpu");
  EXPECT_TRUE(
      Contains(e.details(),
               "Edge TPU pci /dev/apex_0 through libedgetpu BuildLabel(fake), RuntimeVersion(14)"))
      << e.details();
  EXPECT_TRUE(Contains(e.details(), "as TensorFlow Lite's delegate")) << e.details();
  EXPECT_TRUE(
      Contains(e.details(),
               "1 edgetpu-custom-op node on the TPU, 2 operators on TensorFlow Lite 2.99.0-fake"))
      << e.details();
  for (int i = 0; i < 192; ++i) e.input(0).as<uint8_t>()[i] = static_cast<uint8_t>(i);
  ASSERT_TRUE(e.Invoke().ok());
  for (int i = 0; i < 16; ++i)
    EXPECT_EQ(e.output(0).as<uint8_t>()[i], 255 - i) << i;  // the fake TPU ran
}

TEST_F(EdgeTpuBackendTest, NothingAnywhere) {
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", nullptr);
  std::string m = ErrorOf(Options());
  EXPECT_EQ(
      m.rfind("m_edgetpu.tflite: cannot run on an Edge TPU:\n  - no Edge TPU on the PCIe bus", 0),
      0u)
      << m;
  EXPECT_TRUE(Contains(
      m, "libedgetpu BuildLabel(fake), RuntimeVersion(14) finds no Edge TPU (it lists: none)"))
      << m;
  EXPECT_TRUE(Contains(m, "Run `coralpi doctor`")) << m;
}

TEST_F(EdgeTpuBackendTest, DriverNotBoundComesFirst) {
  FakeHost::Pcie t;
  t.driver = "";
  t.apex = "";
  host_.AddPcie(t);
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", nullptr);
  std::string m = ErrorOf(Options());
  size_t driver = m.find("0000:01:00.0: no driver bound"), runtime = m.find("finds no Edge TPU");
  ASSERT_NE(driver, std::string::npos) << m;
  ASSERT_NE(runtime, std::string::npos) << m;
  EXPECT_LT(driver, runtime);
}

TEST_F(EdgeTpuBackendTest, NoPermissionOnDevApex) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the fake /dev/apex_0 the apex group";
  host_.AddPcie({});
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0");
  ScopedEnv refuse("FAKE_EDGETPU_REFUSE", "1");  // what libedgetpu does when it cannot open it
  EdgeTpuBackendOptions o = Options();
  o.identity = ProcessIdentity{1000, {1000}};
  std::string m = ErrorOf(o);
  size_t perm =
      m.find("no permission to open /dev/apex_0 (group apex, mode 0660): join the group apex");
  size_t refused = m.find("libedgetpu refused to open the Edge TPU pci /dev/apex_0");
  ASSERT_NE(perm, std::string::npos) << m;
  ASSERT_NE(refused, std::string::npos) << m;
  EXPECT_LT(perm, refused);
}

TEST_F(EdgeTpuBackendTest, EdgeTpuLibraryMissing) {
  host_.AddPcie({});
  EdgeTpuBackendOptions o = Options();
  o.edgetpu_lib = "/nonexistent/libedgetpu.so.1";
  std::string m = ErrorOf(o);
  EXPECT_TRUE(
      Contains(m, "  - libedgetpu: /nonexistent/libedgetpu.so.1 (--edgetpu-lib): not found"))
      << m;
  EXPECT_FALSE(Contains(m, "TensorFlow Lite:")) << m;  // that one loads
}

TEST_F(EdgeTpuBackendTest, EdgeTpuLibraryMissingASymbol) {
  host_.AddPcie({});
  EdgeTpuBackendOptions o = Options();
  o.edgetpu_lib = FAKE_EDGETPU_NO_DELEGATE;
  std::string m = ErrorOf(o);
  EXPECT_TRUE(Contains(m, "missing symbol(s) edgetpu_create_delegate")) << m;
}

TEST_F(EdgeTpuBackendTest, TfLiteLibraryMissingOrIncomplete) {
  host_.AddPcie({});
  EdgeTpuBackendOptions o = Options();
  o.tflite_lib = "/nonexistent/libtensorflowlite_c.so";
  std::string m = ErrorOf(o);
  EXPECT_TRUE(Contains(
      m, "  - TensorFlow Lite: /nonexistent/libtensorflowlite_c.so (--tflite-lib): not found"))
      << m;
  o.tflite_lib = FAKE_TFLITE_NO_INVOKE;
  m = ErrorOf(o);
  EXPECT_TRUE(Contains(m, "  - TensorFlow Lite: ")) << m;
  EXPECT_TRUE(Contains(m, "missing symbol(s) TfLiteInterpreterInvoke")) << m;
}

TEST_F(EdgeTpuBackendTest, DelegateRefusedByTheRuntime) {
  host_.AddPcie({});
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0");
  ScopedEnv refuse("FAKE_EDGETPU_REFUSE", "1");
  std::string m = ErrorOf(Options());
  EXPECT_TRUE(
      Contains(m,
               "libedgetpu refused to open the Edge TPU pci /dev/apex_0 (edgetpu_create_delegate "
               "returned null)"))
      << m;
}

TEST_F(EdgeTpuBackendTest, DelegateRefusedByTensorFlowLite) {
  host_.AddPcie({});
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0");
  ScopedEnv refuse("FAKE_TFLITE_REFUSE_DELEGATE", "1");
  std::string m = ErrorOf(Options());
  EXPECT_TRUE(Contains(m, "the Edge TPU delegate was refused")) << m;
  EXPECT_TRUE(Contains(m, "fake: failed to apply the EdgeTpu delegate")) << m;
  EXPECT_TRUE(Contains(m, "same TensorFlow version")) << m;
}

TEST_F(EdgeTpuBackendTest, DeviceStringSelectsTheBus) {
  host_.AddPcie({});
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0");
  EdgeTpuBackendOptions o = Options();
  o.device = "usb:0";
  std::string m = ErrorOf(o);
  EXPECT_TRUE(Contains(m, "no USB Accelerator")) << m;
  EXPECT_TRUE(Contains(m, "finds no Edge TPU matching --device usb:0 (it lists: pci /dev/apex_0)"))
      << m;
  o.device = "pci:0";
  EXPECT_TRUE(Create(o).ok());
  o.device = "bogus";
  EXPECT_TRUE(Contains(ErrorOf(o), "--device bogus"));
}

TEST_F(EdgeTpuBackendTest, TheRuntimeWinsOverTheHostScan) {
  // sysfs shows nothing (a container without /sys), but libedgetpu opens the TPU: it runs.
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "usb:/sys/bus/usb/devices/2-1");
  auto b = Create(Options());
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_TRUE(Contains((*b)->details(), "usb /sys/bus/usb/devices/2-1")) << (*b)->details();
}

TEST_F(EdgeTpuBackendTest, PlainModelIsRefused) {
  host_.AddPcie({});
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0");
  for (auto create : {CreateEdgeTpuBackend, CreateTfLiteEdgeTpuBackend}) {
    auto b = create(Source(PlainModel(), "plain.tflite"), Options());
    ASSERT_FALSE(b.ok());
    EXPECT_TRUE(Contains(b.error().message, "plain.tflite: has no edgetpu-custom-op"))
        << b.error().message;
    EXPECT_TRUE(Contains(b.error().message, "edgetpu_compiler"));
  }
}

// ---- auto ----

class AutoBackendTest : public EdgeTpuBackendTest {
 protected:
  BackendRequest Request() const {
    BackendRequest r;
    r.kind = BackendKind::kAuto;
    r.edgetpu_lib = FAKE_EDGETPU;
    r.tflite_lib = FAKE_TFLITE;
    r.root = host_.root();
    r.identity = ProcessIdentity{1000, {1000, 4242}};
    return r;
  }
};

TEST_F(AutoBackendTest, CompiledModelGoesToTheTpu) {
  host_.AddPcie({});
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0");
  auto c = CreateBackend(Source(testing::BuildEdgeTpuModel(), "m_edgetpu.tflite"), Request());
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->backend->name(), "edgetpu");  // the direct path: no TensorFlow Lite
  EXPECT_TRUE(Contains(c->reason, "auto: the model holds 1 edgetpu-custom-op node")) << c->reason;
  EXPECT_TRUE(Contains(c->backend->details(), "no TensorFlow Lite")) << c->backend->details();
}

TEST_F(AutoBackendTest, CompiledModelWithoutTpuPointsToThePlainModel) {
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", nullptr);
  host_.Write("models/net_edgetpu.tflite", "");
  host_.Write("models/net.tflite", "");
  auto c = CreateBackend(
      Source(testing::BuildEdgeTpuModel(), host_.Path("models/net_edgetpu.tflite")), Request());
  ASSERT_FALSE(c.ok());
  const std::string& m = c.error().message;
  EXPECT_TRUE(Contains(m, "cannot run on an Edge TPU")) << m;
  EXPECT_TRUE(Contains(m, "the CPU engine cannot run its edgetpu-custom-op")) << m;
  EXPECT_TRUE(Contains(m, "Its CPU version is " + host_.Path("models/net.tflite"))) << m;
}

TEST_F(AutoBackendTest, PlainModelRunsOnTheCpuWithAHintWhenATpuIsThere) {
  auto quiet = CreateBackend(Source(PlainModel(), "plain.tflite"), Request());
  ASSERT_TRUE(quiet.ok()) << quiet.error().message;
  EXPECT_EQ(quiet->backend->name(), "cpu");
  EXPECT_TRUE(quiet->notes.empty());
  host_.AddUsb({});
  auto hinted = CreateBackend(Source(PlainModel(), "plain.tflite"), Request());
  ASSERT_TRUE(hinted.ok()) << hinted.error().message;
  EXPECT_EQ(hinted->backend->name(), "cpu");
  ASSERT_EQ(hinted->notes.size(), 1u);
  EXPECT_TRUE(Contains(hinted->notes[0], "compile it with the Edge TPU compiler"))
      << hinted->notes[0];
}

TEST_F(AutoBackendTest, ModelNamedAsCompiledWithoutCustomOpIsWarnedAbout) {
  host_.AddUsb({});  // a TPU is there: the warning replaces the hint to compile
  const std::string warning =
      "float_edgetpu.tflite is named as compiled for the Edge TPU but holds no "
      "edgetpu-custom-op: nothing of it will run on the TPU";
  for (BackendKind kind : {BackendKind::kAuto, BackendKind::kCpu}) {
    BackendRequest r = Request();
    r.kind = kind;
    auto c = CreateBackend(Source(PlainModel(), "float_edgetpu.tflite"), r);
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->backend->name(), "cpu");
    ASSERT_EQ(c->notes.size(), 1u) << BackendKindName(kind);
    EXPECT_EQ(c->notes[0], warning);
  }
  // A compiled model of that name, and an uncompiled one named as such, get no warning.
  ScopedEnv devices("FAKE_EDGETPU_DEVICES", "usb:/sys/bus/usb/devices/2-1");
  auto compiled =
      CreateBackend(Source(testing::BuildEdgeTpuModel(), "m_edgetpu.tflite"), Request());
  ASSERT_TRUE(compiled.ok()) << compiled.error().message;
  EXPECT_TRUE(compiled->notes.empty());
  BackendRequest cpu = Request();
  cpu.kind = BackendKind::kCpu;
  auto plain = CreateBackend(Source(PlainModel(), "plain.tflite"), cpu);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_TRUE(plain->notes.empty());
}

TEST(PlainModelBeside, OnlyForEdgeTpuNamesWhoseTwinExists) {
  FakeHost dir;
  dir.Write("a_edgetpu.tflite", "");
  dir.Write("a.tflite", "");
  dir.Write("b_edgetpu.tflite", "");
  EXPECT_EQ(PlainModelBeside(dir.Path("a_edgetpu.tflite")), dir.Path("a.tflite"));
  EXPECT_EQ(PlainModelBeside(dir.Path("b_edgetpu.tflite")), "");
  EXPECT_EQ(PlainModelBeside(dir.Path("a.tflite")), "");
  EXPECT_EQ(PlainModelBeside("_edgetpu.tflite"), "");
}

}  // namespace
}  // namespace coralpi

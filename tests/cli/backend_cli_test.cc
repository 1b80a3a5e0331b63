// classify, bench and compare with --backend, as a user runs them, against the fake runtimes
// of tests/backend (no real TPU or TensorFlow Lite): the error names every missing piece,
// auto picks the CPU for plain models, the fake TPU runs compiled ones, bench puts backends
// side by side and skips the unavailable ones with the reason, compare reports differences.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "fake_host.h"
#include "image/test_images.h"
#include "model/builder.h"
#include "model/mobilenet_v2.h"

namespace coralpi::testing {
namespace {

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// cli/command.h's exit code for an Edge TPU or runtime absent or failing.
constexpr int kExitDevice = 6;

class BackendCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    edgetpu_model_ = dir_ + "/tiny_edgetpu.tflite";
    WriteBytes(edgetpu_model_, BuildEdgeTpuModel());
    plain_model_ = dir_ + "/mobilenet.tflite";
    WriteBytes(plain_model_, BuildMobileNetV2Uint8());
    // 8x8 raw RGB, the fake interpreter's input size: byte i of the first 16 is 10 * i.
    std::vector<uint8_t> pixels(8 * 8 * 3, 200);
    for (int i = 0; i < 16; ++i) pixels[static_cast<size_t>(i)] = static_cast<uint8_t>(10 * i);
    image_ = dir_ + "/ramp.rgb";
    WriteBytes(image_, pixels);
    ::unsetenv("FAKE_EDGETPU_DEVICES");
  }
  void TearDown() override { ::unsetenv("FAKE_EDGETPU_DEVICES"); }
  std::string dir_, edgetpu_model_, plain_model_, image_;
};

TEST_F(BackendCli, EdgeTpuWithNothingInstalledNamesTheMissingPieces) {
  CliResult r = RunCoralpi({"classify", "--backend", "edgetpu", "--model", edgetpu_model_,
                            "--edgetpu-lib", "/nonexistent/libedgetpu.so.1", "--tflite-lib",
                            "/nonexistent/libtensorflowlite_c.so", image_});
  EXPECT_EQ(r.exit_code, kExitDevice) << r.err;
  EXPECT_TRUE(Has(r.err, "coralpi: error: " + edgetpu_model_ + ": cannot run on an Edge TPU:"))
      << r.err;
  EXPECT_TRUE(Has(r.err, "  - libedgetpu: /nonexistent/libedgetpu.so.1 (--edgetpu-lib): not found"))
      << r.err;
  EXPECT_FALSE(Has(r.err, "TensorFlow Lite")) << r.err;  // the direct path needs none
  EXPECT_TRUE(Has(r.err, "coralpi doctor")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  // Through TensorFlow Lite, both libraries are missing pieces.
  r = RunCoralpi({"classify", "--backend", "tflite-edgetpu", "--model", edgetpu_model_,
                  "--edgetpu-lib", "/nonexistent/libedgetpu.so.1", "--tflite-lib",
                  "/nonexistent/libtensorflowlite_c.so", image_});
  EXPECT_EQ(r.exit_code, kExitDevice) << r.err;
  EXPECT_TRUE(Has(r.err, "  - libedgetpu: /nonexistent/libedgetpu.so.1 (--edgetpu-lib): not found"))
      << r.err;
  EXPECT_TRUE(Has(
      r.err, "  - TensorFlow Lite: /nonexistent/libtensorflowlite_c.so (--tflite-lib): not found"))
      << r.err;
}

TEST_F(BackendCli, EnvironmentVariablesChooseTheLibraries) {
  ::setenv("CORALPI_EDGETPU_LIB", FAKE_EDGETPU_NO_DELEGATE, 1);
  ::setenv("CORALPI_TFLITE_LIB", FAKE_TFLITE_NO_INVOKE, 1);
  CliResult r =
      RunCoralpi({"classify", "--backend", "tflite-edgetpu", "--model", edgetpu_model_, image_});
  ::unsetenv("CORALPI_EDGETPU_LIB");
  ::unsetenv("CORALPI_TFLITE_LIB");
  EXPECT_EQ(r.exit_code, kExitDevice) << r.err;
  EXPECT_TRUE(Has(r.err, std::string(FAKE_EDGETPU_NO_DELEGATE) +
                             " (CORALPI_EDGETPU_LIB): missing symbol(s) "
                             "edgetpu_create_delegate"))
      << r.err;
  EXPECT_TRUE(Has(r.err, std::string(FAKE_TFLITE_NO_INVOKE) +
                             " (CORALPI_TFLITE_LIB): missing symbol(s) "
                             "TfLiteInterpreterInvoke"))
      << r.err;
}

TEST_F(BackendCli, EdgeTpuThroughTheFakeRuntime) {
  ::setenv("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0", 1);
  CliResult r = RunCoralpi({"classify", "--backend", "edgetpu", "--device", "pci:0", "--model",
                            edgetpu_model_, "--edgetpu-lib", FAKE_EDGETPU, "--tflite-lib",
                            FAKE_TFLITE, "--top-k", "2", image_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "backend: edgetpu (--backend edgetpu: libedgetpu run by coralpi"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "Edge TPU pci /dev/apex_0 through libedgetpu BuildLabel(fake)")) << r.out;
  // The fake TPU outputs 255 - input: class 0 (255/256) first, class 1 (245/256) second.
  EXPECT_TRUE(Has(r.out, "1. class 0")) << r.out;
  EXPECT_TRUE(Has(r.out, "0.99609  (id 0)")) << r.out;
  EXPECT_TRUE(Has(r.out, "2. class 1")) << r.out;
  EXPECT_TRUE(Has(r.out, "no TensorFlow Lite")) << r.out;
  // The same through TensorFlow Lite with libedgetpu's delegate.
  r = RunCoralpi({"classify", "--backend", "tflite-edgetpu", "--model", edgetpu_model_,
                  "--edgetpu-lib", FAKE_EDGETPU, "--tflite-lib", FAKE_TFLITE, "--top-k", "2",
                  image_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "backend: tflite-edgetpu (--backend tflite-edgetpu")) << r.out;
  EXPECT_TRUE(Has(r.out, "as TensorFlow Lite's delegate")) << r.out;
  EXPECT_TRUE(Has(r.out, "0.99609  (id 0)")) << r.out;
}

TEST_F(BackendCli, AutoRunsAPlainModelOnTheCpu) {
  std::vector<uint8_t> grey(32 * 32 * 3, 90);
  WriteBytes(dir_ + "/grey.png", EncodePng(32, 32, 2, 8, grey));
  CliResult r = RunCoralpi({"classify", "--model", plain_model_, dir_ + "/grey.png"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(
      r.out, "backend: cpu (auto: the model has no edgetpu-custom-op, so the CPU engine runs it)"))
      << r.out;
}

TEST_F(BackendCli, AModelNamedAsCompiledWithoutCustomOpIsWarnedAbout) {
  // A plain model under an Edge TPU model's name (what the compiler leaves when it maps nothing).
  const std::string named = dir_ + "/mobilenet_edgetpu.tflite";
  WriteBytes(named, BuildMobileNetV2Uint8());
  std::vector<uint8_t> grey(32 * 32 * 3, 90);
  WriteBytes(dir_ + "/grey.png", EncodePng(32, 32, 2, 8, grey));
  // --backend cpu: the note is for every backend, and a TPU on this machine adds no hint.
  CliResult r = RunCoralpi({"classify", "--backend", "cpu", "--model", named, dir_ + "/grey.png"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "backend: cpu")) << r.out;
  EXPECT_EQ(r.err, "coralpi: note: " + named +
                       " is named as compiled for the Edge TPU but holds no edgetpu-custom-op: "
                       "nothing of it will run on the TPU\n");
  // The same model under its own name: no note.
  r = RunCoralpi({"classify", "--backend", "cpu", "--model", plain_model_, dir_ + "/grey.png"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  // bench and compare say it once, however many backends run it.
  const std::string note = "coralpi: note: " + named + " is named as compiled";
  r = RunCoralpi({"bench", "--model", named, "--backend", "cpu,tflite", "--runs", "1", "--warmup",
                  "0", "--tflite-lib", FAKE_TFLITE});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find(note), 0u) << r.err;
  EXPECT_EQ(r.err.find(note, 1), std::string::npos) << r.err;
  r = RunCoralpi(
      {"compare", "--model", named, "--backends", "cpu,tflite", "--tflite-lib", FAKE_TFLITE});
  EXPECT_EQ(r.err.find(note), 0u) << r.err;
  EXPECT_EQ(r.err.find(note, 1), std::string::npos) << r.err;
}

TEST_F(BackendCli, AutoWithACompiledModelAndNoTpu) {
  CliResult r = RunCoralpi({"classify", "--model", edgetpu_model_, "--edgetpu-lib",
                            "/nonexistent/libedgetpu.so.1", image_});
  EXPECT_EQ(r.exit_code, kExitDevice) << r.err;
  EXPECT_TRUE(Has(r.err, "cannot run on an Edge TPU")) << r.err;
  EXPECT_TRUE(Has(r.err, "the CPU engine cannot run its edgetpu-custom-op")) << r.err;
}

TEST_F(BackendCli, BadBackendOrDeviceIsAUsageError) {
  EXPECT_EQ(RunCoralpi({"classify", "--backend", "tpu", "--model", plain_model_, image_}).exit_code,
            2);
  EXPECT_EQ(RunCoralpi({"classify", "--backend", "cpu,tflite", "--model", plain_model_, image_})
                .exit_code,
            2);
  CliResult r = RunCoralpi({"classify", "--device", "pcie:0", "--model", plain_model_, image_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "--device pcie:0")) << r.err;
  EXPECT_EQ(RunCoralpi({"bench", "--backend", "cpu,cpu"}).exit_code, 2);
}

TEST_F(BackendCli, BenchSideBySideSkipsWhatCannotRun) {
  CliResult r = RunCoralpi({"bench", "--model", plain_model_, "--backend", "cpu,tflite,edgetpu",
                            "--runs", "3", "--warmup", "0", "--tflite-lib", FAKE_TFLITE,
                            "--edgetpu-lib", FAKE_EDGETPU});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "cpu        tflite")) << r.out;  // two columns
  EXPECT_TRUE(Has(r.out, "median")) << r.out;
  EXPECT_TRUE(Has(r.out, "tflite: TensorFlow Lite 2.99.0-fake")) << r.out;
  EXPECT_TRUE(Has(r.out, "skipped edgetpu: " + plain_model_ + ": has no edgetpu-custom-op"))
      << r.out;
  CliResult j =
      RunCoralpi({"bench", "--json", "--model", plain_model_, "--backends", "cpu,tflite", "--runs",
                  "2", "--warmup", "0", "--tflite-lib", "/nonexistent/libtensorflowlite_c.so"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  nlohmann::json all = nlohmann::json::parse(j.out);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["backend"], "cpu");
  EXPECT_EQ(all[0]["invoke_ms"]["runs"], 2);
  EXPECT_EQ(all[1]["backend"], "tflite");
  EXPECT_TRUE(Has(all[1]["skipped"].get<std::string>(), "not found"));
}

TEST_F(BackendCli, BenchWithNoUsableBackendFails) {
  CliResult r = RunCoralpi({"bench", "--model", edgetpu_model_, "--backend", "cpu,edgetpu",
                            "--runs", "1", "--edgetpu-lib", "/nonexistent/libedgetpu.so.1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "no backend could run")) << r.err;
  EXPECT_TRUE(Has(r.err, "  cpu: ")) << r.err;
  EXPECT_TRUE(Has(r.err, "  edgetpu: ")) << r.err;
}

// A CPU model shaped like the fake interpreter: uint8 [1, 8, 8, 3] -> FULLY_CONNECTED whose
// output i copies input element i (weight 1, same scale and zero point), except output 0,
// whose weights are all 0, so it holds the zero point 128.
std::vector<uint8_t> FakeShapedModel() {
  ModelBuilder b;
  Quantization q{{1.0f / 128}, {128}, 0};
  Quantization wq{{1.0f}, {0}, 0};
  std::vector<uint8_t> w(16 * 192, 0);
  for (int i = 1; i < 16; ++i) w[static_cast<size_t>(i * 192 + i)] = 1;
  int32_t in = b.AddTensor({"in", DataType::kUInt8, {1, 8, 8, 3}, q, {}});
  int32_t weights = b.AddConstant<uint8_t>("w", DataType::kUInt8, {16, 192}, w, wq);
  int32_t out = b.AddTensor({"out", DataType::kUInt8, {1, 16}, q, {}});
  b.AddOperator(OpCode::kFullyConnected, {in, weights}, {out}, FullyConnectedOptions{});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Finish();
}

TEST_F(BackendCli, CompareReportsTheLargestDifferenceAndTopK) {
  const std::string model = dir_ + "/fc.tflite";
  WriteBytes(model, FakeShapedModel());
  CliResult r = RunCoralpi({"compare", "--model", model, "--backends", "cpu,tflite", "--tflite-lib",
                            FAKE_TFLITE, image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // cpu: [128, 10, 20, ..., 150]; the fake tflite echoes the input: [0, 10, ..., 150].
  EXPECT_TRUE(Has(r.out, "output 0, uint8 [1, 16]:")) << r.out;
  EXPECT_TRUE(Has(r.out, "cpu top-5: 15, 14, 13, 0, 12")) << r.out;
  EXPECT_TRUE(Has(
      r.out, "tflite vs cpu: max |difference| 128 steps (element 0: 0 vs 128), 1 element differ"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "top-5 differ (tflite: 15, 14, 13, 12, 11)")) << r.out;
  EXPECT_TRUE(Has(r.out, "different quantization")) << r.out;
  CliResult j = RunCoralpi(
      {"compare", "--json", "--model", model, "--tflite-lib", FAKE_TFLITE, "--top-k", "3", image_});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  nlohmann::json doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["outputs"][0]["differences"][0]["max_abs_difference"], 128);
  EXPECT_EQ(doc["outputs"][0]["differences"][0]["top_k"], "agree");  // 15, 14, 13 both
}

TEST_F(BackendCli, CompareNeedsTwoBackendsThatRun) {
  EXPECT_EQ(RunCoralpi({"compare", "--model", plain_model_, "--backends", "cpu"}).exit_code, 1);
  CliResult r = RunCoralpi(
      {"compare", "--model", plain_model_, "--tflite-lib", "/nonexistent/libtensorflowlite_c.so"});
  EXPECT_EQ(r.exit_code, 4);  // TensorFlow Lite's library not found: cli/command.h's kExitFile
  EXPECT_TRUE(
      Has(r.err, "backend tflite: /nonexistent/libtensorflowlite_c.so (--tflite-lib): not found"))
      << r.err;
  r = RunCoralpi({"compare", "--model", plain_model_, "--tflite-lib", FAKE_TFLITE});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(
      r.err, "compare: input 0: cpu sees uint8 [1, 224, 224, 3], tflite sees uint8 [1, 8, 8, 3]"))
      << r.err;
}

}  // namespace
}  // namespace coralpi::testing

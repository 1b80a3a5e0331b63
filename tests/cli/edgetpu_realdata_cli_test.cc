// The acceptance runs of issues 4 and 9 on the real models of ../shared/testdata: inspect shows
// what runs on the TPU and on the CPU for every *_edgetpu model; classify --backend edgetpu fails
// with the missing pieces when the runtime is absent; auto classifies the plain model on the CPU.
// With the real libedgetpu (no TPU): devices and doctor show its RuntimeVersion and no device,
// classify says no Edge TPU was found without a word of TensorFlow Lite. With the fake TPU
// running the compiled model's CPU twin: classify gives macaw, compare finds no difference; for
// the YOLOv8n twin (TPU part on the fake, CPU tail on the engine) too.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <span>

#include "cli_runner.h"
#include "fake_host.h"
#include "testutil/testdata.h"

namespace coralpi::testing {
namespace {

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(EdgeTpuRealData, InspectShowsTpuAndCpuParts) {
  struct Case {
    const char* model;
    const char* cpu_line;
  } cases[] = {
      {"models/mobilenet_v1_0.25_128_quant_edgetpu.tflite",
       "on the CPU:  nothing; the whole graph runs on the TPU"},
      {"models/deeplabv3_mnv2_dm05_pascal_quant_edgetpu.tflite", "ARG_MAX x1"},
      {"models/movenet_single_pose_lightning_ptq_edgetpu.tflite", "ARG_MAX x2"},
      // The YOLO exports' heads stay on the CPU after the one TPU node (counted from the
      // models' operator lists: operators 1-23 and 1-24).
      {"models/yolov8n_320_full_integer_quant_edgetpu.tflite",
       "23 operators, 0 before the TPU, 23 after:\n    TRANSPOSE x3, RESHAPE x4, CONCATENATION x2, "
       "STRIDED_SLICE x4, SOFTMAX x1, CONV_2D x1, MUL x2, SUB x2, ADD x2, LOGISTIC x1, "
       "QUANTIZE x1"},
      {"models/yolov5n_640_int8_edgetpu.tflite",
       "24 operators, 0 before the TPU, 24 after:\n    RESHAPE x3, STRIDED_SLICE x3, LOGISTIC x3, "
       "MUL x6, ADD x1, QUANTIZE x6, CONCATENATION x2"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.model);
    CORALPI_REQUIRE_TESTDATA(c.model);
    CliResult r = RunCoralpi({"inspect", TestDataPath(c.model)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(Has(r.out, "Edge TPU:    1 edgetpu-custom-op node")) << r.out;
    EXPECT_TRUE(Has(r.out, "PARAMETER_CACHING")) << r.out;
    EXPECT_TRUE(Has(r.out, "of the TPU's 8 MiB on-chip memory: they fit")) << r.out;
    EXPECT_TRUE(Has(r.out, c.cpu_line)) << r.out;
  }
}

TEST(EdgeTpuRealData, ClassifyEdgeTpuWithoutRuntimeAndAutoOnThePlainModel) {
  const char* compiled = "models/mobilenet_v1_0.25_128_quant_edgetpu.tflite";
  const char* plain = "models/mobilenet_v1_0.25_128_quant.tflite";
  CORALPI_REQUIRE_TESTDATA(compiled);
  CORALPI_REQUIRE_TESTDATA(plain);
  CORALPI_REQUIRE_TESTDATA("images/parrot.jpg");
  CliResult r =
      RunCoralpi({"classify", "--backend", "edgetpu", "--model", TestDataPath(compiled),
                  "--edgetpu-lib", "/nonexistent/libedgetpu.so.1", "--tflite-lib",
                  "/nonexistent/libtensorflowlite_c.so", TestDataPath("images/parrot.jpg")});
  EXPECT_EQ(r.exit_code, 6);  // the Edge TPU (cli/command.h's kExitDevice)
  EXPECT_TRUE(Has(r.err, "cannot run on an Edge TPU")) << r.err;
  EXPECT_TRUE(Has(r.err, "libedgetpu: /nonexistent/libedgetpu.so.1 (--edgetpu-lib): not found"))
      << r.err;
  r = RunCoralpi({"classify", "--backend", "auto", "--model", TestDataPath(plain), "--labels",
                  TestDataPath("labels/imagenet_labels.txt"), TestDataPath("images/parrot.jpg")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "backend: cpu (auto:")) << r.out;
  EXPECT_TRUE(Has(r.out, "1. macaw")) << r.out;  // Coral's published result for parrot.jpg
}

const char* const kCompiled = "models/mobilenet_v1_0.25_128_quant_edgetpu.tflite";
const char* const kPlain = "models/mobilenet_v1_0.25_128_quant.tflite";

#define REQUIRE_REAL_LIBEDGETPU()                                                               \
  do {                                                                                          \
    if (!FileExists(CORALPI_REAL_EDGETPU_LIB)) {                                                \
      GTEST_SKIP() << "no real libedgetpu for this architecture: " << CORALPI_REAL_EDGETPU_LIB; \
    }                                                                                           \
  } while (0)

TEST(RealLibedgetpuCli, DevicesShowsTheRuntimeVersionAndNoDevice) {
  REQUIRE_REAL_LIBEDGETPU();
  FakeHost host;
  CliResult r = RunCoralpi({"devices", "--root", host.root(), "--edgetpu-lib",
                            CORALPI_REAL_EDGETPU_LIB, "--tflite-lib", "/nonexistent/libtflite.so"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out,
                  "version BuildLabel(COMPILER=12.2.0,DATE=Sep 17 2025,TIME=21:31:50), "
                  "RuntimeVersion(14)"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "RuntimeVersion 14: coralpi runs the Edge TPU with it alone")) << r.out;
  EXPECT_TRUE(Has(r.out, "TensorFlow Lite: not required")) << r.out;
  EXPECT_TRUE(Has(r.out, "libedgetpu lists 0 Edge TPUs.")) << r.out;
}

TEST(RealLibedgetpuCli, ClassifySaysNoEdgeTpuWithoutTensorFlowLite) {
  REQUIRE_REAL_LIBEDGETPU();
  CORALPI_REQUIRE_TESTDATA(kCompiled);
  CORALPI_REQUIRE_TESTDATA("images/parrot.jpg");
  CliResult r =
      RunCoralpi({"classify", "--backend", "edgetpu", "--edgetpu-lib", CORALPI_REAL_EDGETPU_LIB,
                  "--model", TestDataPath(kCompiled), TestDataPath("images/parrot.jpg")});
  EXPECT_EQ(r.exit_code, 6);  // the Edge TPU (cli/command.h's kExitDevice)
  EXPECT_TRUE(Has(r.err, "cannot run on an Edge TPU")) << r.err;
  EXPECT_TRUE(Has(r.err, "finds no Edge TPU (it lists: none)")) << r.err;
  EXPECT_FALSE(Has(r.err + r.out, "TensorFlow Lite")) << r.err;
}

TEST(RealLibedgetpuCli, DoctorAsksTheLibrary) {
  REQUIRE_REAL_LIBEDGETPU();
  FakeHost host;
  CliResult r = RunCoralpi(
      {"doctor", "--json", "--root", host.root(), "--edgetpu-lib", CORALPI_REAL_EDGETPU_LIB});
  EXPECT_TRUE(Has(r.out,
                  "RuntimeVersion 14: coralpi runs it directly, TensorFlow Lite is not "
                  "needed; it lists 0 Edge TPUs."))
      << r.out;
}

class FakeTpuTwinCli : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* f : {kCompiled, kPlain, "images/parrot.jpg", "labels/imagenet_labels.txt"}) {
      CORALPI_REQUIRE_TESTDATA(f);
    }
  }
  ScopedEnv devices_{"FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0"};
  ScopedEnv twin_{"FAKE_EDGETPU_TWIN", TestDataPath(kPlain).c_str()};
  ScopedEnv runner_{"FAKE_EDGETPU_TWIN_RUNNER", FAKE_EDGETPU_TWIN_RUNNER};
};

TEST_F(FakeTpuTwinCli, ClassifyParrotGivesMacaw) {
  CliResult r =
      RunCoralpi({"classify", "--backend", "edgetpu", "--edgetpu-lib", FAKE_EDGETPU, "--model",
                  TestDataPath(kCompiled), "--labels", TestDataPath("labels/imagenet_labels.txt"),
                  TestDataPath("images/parrot.jpg")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "backend: edgetpu")) << r.out;
  EXPECT_TRUE(Has(r.out, "1. macaw")) << r.out;  // Coral's published result for parrot.jpg
}

TEST_F(FakeTpuTwinCli, CompareTheTpuWithTheCpuTwin) {
  CliResult r = RunCoralpi({"compare", "--backends", "edgetpu,cpu", "--edgetpu-lib", FAKE_EDGETPU,
                            "--model", TestDataPath(kCompiled), TestDataPath("images/parrot.jpg")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "         model " + TestDataPath(kPlain))) << r.out;  // cpu's twin
  EXPECT_TRUE(Has(r.out, "cpu vs edgetpu: max |difference| 0 steps, 0 elements differ")) << r.out;
  EXPECT_TRUE(Has(r.out, "top-5 agree")) << r.out;
}

// The YOLO exports' Edge TPU twins end to end with the fake TPU running their TPU part (the CPU
// model cut where the compiled node ends) and the engine their CPU tail.
const char* const kYoloCompiled = "models/yolov8n_320_full_integer_quant_edgetpu.tflite";
const char* const kYoloPlain = "models/yolov8n_320_full_integer_quant.tflite";
const char* const kYolo5Compiled = "models/yolov5n_640_int8_edgetpu.tflite";
const char* const kYolo5Plain = "models/yolov5n_640_int8.tflite";

class FakeTpuYoloCli : public ::testing::Test {
 protected:
  void SetUp() override {
    CORALPI_REQUIRE_TESTDATA("images/bus.jpg");
    CORALPI_REQUIRE_TESTDATA("labels/coco80_labels.txt");
  }
  void TearDown() override { std::remove(twin_path_.c_str()); }
  // The fake TPU runs `compiled`'s TPU part, cut from `plain`.
  void UseTwin(const char* compiled, const char* plain) {
    for (const char* f : {compiled, plain}) {
      if (!FileExists(TestDataPath(f))) GTEST_SKIP() << "test data missing: " << TestDataPath(f);
    }
    auto model = Model::Load(TestDataPath(compiled));
    ASSERT_TRUE(model.ok()) << model.error().message;
    Status written = WriteTpuPartTwin(**model, TestDataPath(plain), twin_path_);
    ASSERT_TRUE(written.ok()) << written.error().message;
  }

  const std::string twin_path_ =
      ::testing::TempDir() + "coralpi-yolo-tpu-part-" + std::to_string(::getpid()) + ".tflite";
  ScopedEnv devices_{"FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0"};
  ScopedEnv twin_{"FAKE_EDGETPU_TWIN", twin_path_.c_str()};
  ScopedEnv runner_{"FAKE_EDGETPU_TWIN_RUNNER", FAKE_EDGETPU_TWIN_RUNNER};
};

TEST_F(FakeTpuYoloCli, CompareTheTpuAndTailWithTheCpuModel) {
  UseTwin(kYoloCompiled, kYoloPlain);
  if (IsSkipped() || HasFatalFailure()) return;
  CliResult r =
      RunCoralpi({"compare", "--backends", "edgetpu,cpu", "--edgetpu-lib", FAKE_EDGETPU, "--model",
                  TestDataPath(kYoloCompiled), TestDataPath("images/bus.jpg")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "         model " + TestDataPath(kYoloPlain))) << r.out;  // cpu's twin
  EXPECT_TRUE(Has(r.out, "1 edgetpu-custom-op node on the TPU, 23 operators on the CPU engine"))
      << r.out;
  // The fake computes the TPU part with the engine that runs the CPU model: the same bytes.
  EXPECT_TRUE(Has(r.out, "cpu vs edgetpu: max |difference| 0 steps, 0 elements differ")) << r.out;
}

// IoU of two [x0, y0, x1, y1] boxes.
double IoU(const std::array<double, 4>& a, const std::array<double, 4>& b) {
  const double w = std::min(a[2], b[2]) - std::max(a[0], b[0]);
  const double h = std::min(a[3], b[3]) - std::max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const double inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

struct Expected {
  const char* label;
  std::array<double, 4> box;
};

// `detect --json`'s output for one image holds each expected detection: its label and a box of
// IoU >= 0.8 with the expected one.
void ExpectFound(const CliResult& r, std::span<const Expected> expected) {
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto json = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(json.is_array() && json.size() == 1) << r.out;
  const nlohmann::json& detections = json[0]["detections"];
  ASSERT_TRUE(detections.is_array()) << r.out;
  for (const Expected& e : expected) {
    double best = 0;
    for (const nlohmann::json& d : detections) {
      if (d.value("label", "") != e.label) continue;
      const nlohmann::json& b = d["box"];
      best = std::max(best, IoU({b.value("xmin", 0.0), b.value("ymin", 0.0), b.value("xmax", 0.0),
                                 b.value("ymax", 0.0)},
                                e.box));
    }
    EXPECT_GE(best, 0.8) << e.label << " [" << e.box[0] << " " << e.box[1] << " " << e.box[2] << " "
                         << e.box[3] << "]: " << r.out;
  }
}

// The expected detections: TensorFlow Lite's with score >= 0.4 on the CPU models
// (../shared/testdata/README.md, "YOLO models").
TEST_F(FakeTpuYoloCli, DetectFindsTheBusAndThePeople) {
  UseTwin(kYoloCompiled, kYoloPlain);
  if (IsSkipped() || HasFatalFailure()) return;
  // Labels from the model's Ultralytics metadata.
  CliResult r =
      RunCoralpi({"detect", "--backend", "edgetpu", "--edgetpu-lib", FAKE_EDGETPU, "--model",
                  TestDataPath(kYoloCompiled), TestDataPath("images/bus.jpg"), "--json"});
  const Expected expected[] = {{"bus", {11, 236, 792, 730}},
                               {"person", {43, 390, 228, 905}},
                               {"person", {664, 422, 807, 873}},
                               {"person", {228, 409, 351, 865}}};
  ExpectFound(r, expected);
}

TEST_F(FakeTpuYoloCli, DetectWithTheYolov5TwinFindsTheBusAndThePeople) {
  UseTwin(kYolo5Compiled, kYolo5Plain);
  if (IsSkipped() || HasFatalFailure()) return;
  // YOLOv5's exporter appends no metadata: the labels come from --labels.
  CliResult r = RunCoralpi({"detect", "--backend", "edgetpu", "--edgetpu-lib", FAKE_EDGETPU,
                            "--model", TestDataPath(kYolo5Compiled), "--labels",
                            TestDataPath("labels/coco80_labels.txt"),
                            TestDataPath("images/bus.jpg"), "--json"});
  const Expected expected[] = {{"person", {216, 404, 356, 874}},
                               {"person", {53, 421, 208, 905}},
                               {"person", {676, 377, 806, 871}},
                               {"bus", {22, 254, 810, 753}}};
  ExpectFound(r, expected);
}

}  // namespace
}  // namespace coralpi::testing

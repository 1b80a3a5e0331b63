// The acceptance runs of issue 4 on the real models of ../shared/testdata: inspect shows what
// runs on the TPU and on the CPU for every *_edgetpu model; classify --backend edgetpu fails
// with the missing pieces when the runtime is absent; auto classifies the plain model on the CPU.
#include <gtest/gtest.h>

#include "cli_runner.h"
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
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "cannot run on an Edge TPU")) << r.err;
  EXPECT_TRUE(Has(r.err, "libedgetpu: /nonexistent/libedgetpu.so.1 (--edgetpu-lib): not found"))
      << r.err;
  r = RunCoralpi({"classify", "--backend", "auto", "--model", TestDataPath(plain), "--labels",
                  TestDataPath("labels/imagenet_labels.txt"), TestDataPath("images/parrot.jpg")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "backend: cpu (auto:")) << r.out;
  EXPECT_TRUE(Has(r.out, "1. macaw")) << r.out;  // Coral's published result for parrot.jpg
}

}  // namespace
}  // namespace coralpi::testing

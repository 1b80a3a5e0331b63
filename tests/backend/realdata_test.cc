// The real Edge TPU models of ../shared/testdata: their custom-op payloads read, their sizes
// cross-checked against the plain models they were compiled from, and the operators the Edge
// TPU compiler left to the CPU.
#include <gtest/gtest.h>

#include <algorithm>

#include "backend/backend_factory.h"
#include "testutil/testdata.h"
#include "vision/model_report.h"

namespace coralpi {
namespace {

using ::coralpi::testing::TestDataPath;

struct CompiledModel {
  const char* edgetpu;
  const char* plain;
};
const CompiledModel kModels[] = {
    {"models/mobilenet_v1_0.25_128_quant_edgetpu.tflite",
     "models/mobilenet_v1_0.25_128_quant.tflite"},
    {"models/deeplabv3_mnv2_dm05_pascal_quant_edgetpu.tflite",
     "models/deeplabv3_mnv2_dm05_pascal_quant.tflite"},
    {"models/movenet_single_pose_lightning_ptq_edgetpu.tflite",
     "models/movenet_single_pose_lightning_ptq.tflite"},
    {"models/yolov8n_320_full_integer_quant_edgetpu.tflite",
     "models/yolov8n_320_full_integer_quant.tflite"},
    {"models/yolov5n_640_int8_edgetpu.tflite", "models/yolov5n_640_int8.tflite"},
};

bool HasCpuOp(const EdgeTpuSummary& e, const std::string& name) {
  return std::any_of(e.cpu_operators.begin(), e.cpu_operators.end(),
                     [&](const auto& op) { return op.second == name; });
}

TEST(EdgeTpuModels, PayloadsReadAndSizesAgreeWithThePlainModels) {
  for (const CompiledModel& m : kModels) {
    SCOPED_TRACE(m.edgetpu);
    CORALPI_REQUIRE_TESTDATA(m.edgetpu);
    CORALPI_REQUIRE_TESTDATA(m.plain);
    auto compiled = Model::Load(TestDataPath(m.edgetpu));
    auto plain = Model::Load(TestDataPath(m.plain));
    ASSERT_TRUE(compiled.ok() && plain.ok());
    ModelReport r = BuildModelReport(**compiled);
    ASSERT_TRUE(r.edgetpu.has_value());
    const EdgeTpuSummary& e = *r.edgetpu;
    ASSERT_EQ(e.segments.size(), 1u);
    ASSERT_TRUE(e.all_parsed) << e.segments[0].parse_error;
    const EdgeTpuSegment& seg = e.segments[0];
    ASSERT_EQ(seg.info->packages.size(), 1u);
    const EdgeTpuPackageInfo& p = seg.info->packages[0];
    EXPECT_TRUE(p.has_identifier);  // "DWN1"
    EXPECT_GT(p.min_runtime_version, 0);
    // Each executable lies inside its package, which lies inside the custom options.
    size_t sum = 0;
    for (const EdgeTpuExecutableInfo& x : p.executables) {
      EXPECT_LE(x.parameter_bytes + x.instruction_bytes, x.serialized_bytes);
      EXPECT_EQ(x.chip, "beagle");  // the Edge TPU's internal name
      sum += x.serialized_bytes;
    }
    EXPECT_LE(sum, p.serialized_bytes);
    EXPECT_LT(p.serialized_bytes, seg.options_bytes);
    // Compiled weights are the plain model's weights, re-laid out for the chip: within
    // 0.8x..1.5x of the plain model's constant bytes (measured: 1.05x (YOLOv5n) to 1.20x).
    double ratio =
        static_cast<double>(e.parameter_bytes) / static_cast<double>((*plain)->parameter_bytes());
    EXPECT_GT(ratio, 0.8);
    EXPECT_LT(ratio, 1.5);
    EXPECT_TRUE(e.fits_on_chip());  // all are well under 8 MiB (YOLOv8n: 3.35 MiB)
    EXPECT_FALSE(r.cpu_engine_runs_all);
  }
}

TEST(EdgeTpuModels, OperatorsLeftToTheCpu) {
  CORALPI_REQUIRE_TESTDATA(kModels[0].edgetpu);
  CORALPI_REQUIRE_TESTDATA(kModels[1].edgetpu);
  CORALPI_REQUIRE_TESTDATA(kModels[2].edgetpu);
  // MobileNet v1 compiles whole; the Edge TPU has no ARG_MAX, so DeepLab's and MoveNet's
  // post-processing stays on the CPU, and MoveNet's CAST before the TPU segment too.
  auto mobilenet = Model::Load(TestDataPath(kModels[0].edgetpu));
  auto deeplab = Model::Load(TestDataPath(kModels[1].edgetpu));
  auto movenet = Model::Load(TestDataPath(kModels[2].edgetpu));
  ASSERT_TRUE(mobilenet.ok() && deeplab.ok() && movenet.ok());
  EXPECT_TRUE(BuildModelReport(**mobilenet).edgetpu->cpu_operators.empty());
  EdgeTpuSummary d = *BuildModelReport(**deeplab).edgetpu;
  EXPECT_TRUE(HasCpuOp(d, "ARG_MAX"));
  EdgeTpuSummary mv = *BuildModelReport(**movenet).edgetpu;
  EXPECT_TRUE(HasCpuOp(mv, "ARG_MAX"));
  EXPECT_GT(mv.segments[0].op_index, 0);  // something runs before the TPU
}

}  // namespace
}  // namespace coralpi

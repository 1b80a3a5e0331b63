// Profile mode (`bench --profile`): one timed step per node, the same outputs as a normal run,
// and summaries that account for every node.
#include "engine/engine_profile.h"

#include <gtest/gtest.h>

#include <map>

#include "engine/native/native_node.h"
#include "engine_test_util.h"
#include "model/mobilenet_v2.h"

namespace coralpi::testing {
namespace {

std::shared_ptr<const Model> MobileNet() {
  auto model = Model::FromBytes(BuildMobileNetV2Uint8(), "mobilenet.tflite");
  EXPECT_TRUE(model.ok());
  return model.ok() ? *model : nullptr;
}

std::vector<uint8_t> OutputBytes(const CpuEngine& e) {
  TensorView o = e.output(0);
  auto* p = static_cast<const uint8_t*>(o.data);
  return {p, p + o.num_elements()};
}

std::unique_ptr<CpuEngine> Create(std::shared_ptr<const Model> model, bool profile) {
  CpuEngineOptions options;
  options.threads = 2;
  options.profile = profile;
  auto engine = CpuEngine::Create(std::move(model), options);
  EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().message);
  return engine.ok() ? std::move(*engine) : nullptr;
}

TEST(EngineProfileTest, EveryNodeIsItsOwnTimedStepWithTheSameOutputs) {
  auto model = MobileNet();
  ASSERT_TRUE(model);
  auto normal = Create(model, false);
  auto profiled = Create(model, true);
  ASSERT_TRUE(normal && profiled);
  FillRandomInputs(*normal, 7);
  FillRandomInputs(*profiled, 7);
  ASSERT_TRUE(normal->Invoke().ok());
  ASSERT_TRUE(profiled->Invoke().ok());
  ASSERT_TRUE(profiled->Invoke().ok());
  EXPECT_EQ(OutputBytes(*normal), OutputBytes(*profiled));
  EXPECT_TRUE(normal->step_timings().empty());
  EXPECT_EQ(profiled->timed_invokes(), 2);

  const Subgraph& g = model->main_graph();
  std::vector<StepTiming> steps = profiled->step_timings();
  std::vector<NodePlacement> placement = PlanPlacement(*model);
  ASSERT_EQ(steps.size(), g.operators.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].first_node, static_cast<int32_t>(i));
    EXPECT_EQ(steps[i].last_node, static_cast<int32_t>(i));
    EXPECT_GE(steps[i].total_ms, 0.0);
    // SOFTMAX (unless an own kernel takes it) and the uint8 AVERAGE_POOL_2D (TensorFlow Lite's
    // rounding) on reference kernels.
    const int32_t code = g.operators[i].code;
    const bool reference =
        !placement[i].native && (code == static_cast<int32_t>(OpCode::kSoftmax) ||
                                 code == static_cast<int32_t>(OpCode::kAveragePool2D));
    const std::string fast = placement[i].native ? native::RunnerName() : "xnnpack";
    EXPECT_EQ(steps[i].runner, reference ? "reference" : fast) << "node " << i;
  }
  profiled->ResetStepTimings();
  EXPECT_EQ(profiled->timed_invokes(), 0);
  for (const StepTiming& s : profiled->step_timings()) EXPECT_EQ(s.total_ms, 0.0);
}

TEST(EngineProfileTest, SummaryAccountsForEveryNode) {
  auto model = MobileNet();
  ASSERT_TRUE(model);
  auto engine = Create(model, true);
  ASSERT_TRUE(engine);
  FillRandomInputs(*engine, 3);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(engine->Invoke().ok());
  EngineProfile p = SummarizeProfile(*engine);
  EXPECT_EQ(p.invokes, 3);
  EXPECT_GT(p.total_ms, 0.0);

  // The published operator counts of MobileNet v2 (see mobilenet_v2.h).
  std::map<std::string, int> counts;
  for (const OpTypeTime& t : p.by_type) counts[t.type] = t.nodes;
  EXPECT_EQ(counts, (std::map<std::string, int>{{"CONV_2D", 36},
                                                {"DEPTHWISE_CONV_2D", 17},
                                                {"ADD", 10},
                                                {"AVERAGE_POOL_2D", 1},
                                                {"RESHAPE", 1},
                                                {"SOFTMAX", 1}}));
  ASSERT_EQ(p.nodes.size(), 66u);
  double node_ms = 0, type_share = 0, runner_share = 0;
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    node_ms += p.nodes[i].ms;
    if (i > 0) {
      EXPECT_LE(p.nodes[i].ms, p.nodes[i - 1].ms) << "slowest first";
    }
  }
  for (const OpTypeTime& t : p.by_type) type_share += t.share;
  for (const RunnerTime& r : p.by_runner) runner_share += r.share;
  EXPECT_NEAR(node_ms, p.total_ms, 1e-9 * p.total_ms + 1e-12);
  EXPECT_NEAR(type_share, 1.0, 1e-9);
  EXPECT_NEAR(runner_share, 1.0, 1e-9);
  // SOFTMAX (unless an own kernel takes it) and AVERAGE_POOL_2D on reference kernels.
  int reference_nodes = 0;
  for (const NodePlacement& n : PlanPlacement(*model)) {
    reference_nodes += n.xnnpack || n.native || n.table ? 0 : 1;
  }
  EXPECT_EQ(reference_nodes, native::RunnerName() == "none" ? 2 : 1);
  int runner_nodes = 0;
  for (const RunnerTime& r : p.by_runner) {
    runner_nodes += r.nodes;
    if (r.runner == "reference") {
      EXPECT_EQ(r.nodes, reference_nodes);
    }
  }
  EXPECT_EQ(runner_nodes, 66);
}

TEST(EngineProfileTest, NothingTimedIsAnEmptyProfile) {
  auto engine = Create(MobileNet(), true);
  ASSERT_TRUE(engine);
  EngineProfile p = SummarizeProfile(*engine);
  EXPECT_EQ(p.invokes, 0);
  EXPECT_TRUE(p.nodes.empty());
  EXPECT_TRUE(p.by_type.empty());
}

}  // namespace
}  // namespace coralpi::testing

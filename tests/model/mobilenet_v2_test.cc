// The built-in MobileNet v2: the published network's operator sequence, and it runs.
#include "model/mobilenet_v2.h"

#include <gtest/gtest.h>

#include <map>

#include "engine/cpu_engine.h"
#include "engine/engine_test_util.h"
#include "model/builder.h"
#include "model/model.h"
#include "testutil/testdata.h"

namespace coralpi {
namespace {

std::vector<std::string> OpSequence(const Model& m) {
  std::vector<std::string> seq;
  for (const OperatorInfo& op : m.main_graph().operators) seq.push_back(op.name());
  return seq;
}

TEST(BuiltinMobileNetV2, HasThePublishedOperatorCounts) {
  auto m = Model::FromBytes(BuildMobileNetV2Uint8(), "builtin");
  ASSERT_TRUE(m.ok()) << m.error().message;
  std::map<std::string, int> counts;
  for (const std::string& op : OpSequence(**m)) counts[op]++;
  // MobileNet v2 1.0: 1 + 16 expansion + 17 projection + 1 final + 1 logits convolutions,
  // 17 depthwise, 10 residual additions (Sandler et al., Table 2).
  EXPECT_EQ(counts["CONV_2D"], 36);
  EXPECT_EQ(counts["DEPTHWISE_CONV_2D"], 17);
  EXPECT_EQ(counts["ADD"], 10);
  EXPECT_EQ(counts["AVERAGE_POOL_2D"], 1);
  EXPECT_EQ(counts["RESHAPE"], 1);
  EXPECT_EQ(counts["SOFTMAX"], 1);
  const TensorInfo& in = (*m)->main_graph().tensors[(*m)->main_graph().inputs[0]];
  EXPECT_EQ(in.shape, (Shape{1, 224, 224, 3}));
  EXPECT_EQ(in.type, DataType::kUInt8);
}

TEST(BuiltinMobileNetV2, IsDeterministic) {
  EXPECT_EQ(BuildMobileNetV2Uint8(), BuildMobileNetV2Uint8());
}

TEST(BuiltinMobileNetV2, RunsOnXnnpackExactlyLikeTheReferenceKernels) {
  // Expose the pooled features and the logits too: the uint8 probabilities alone hide a lot.
  auto m = Model::FromBytes(BuildMobileNetV2Uint8(), "builtin");
  ASSERT_TRUE(m.ok());
  std::vector<int32_t> outputs = (*m)->main_graph().outputs;
  const auto& ops = (*m)->main_graph().operators;
  outputs.push_back(ops[ops.size() - 4].outputs[0]);  // AVERAGE_POOL_2D
  outputs.push_back(ops[ops.size() - 3].outputs[0]);  // logits CONV_2D
  auto bytes = ReplaceOutputs(BuildMobileNetV2Uint8(), outputs);
  ASSERT_TRUE(bytes.ok());
  testing::BothRuns r = testing::RunBoth(*bytes, 5, 2);
  // All but the softmax and the uint8 AVERAGE_POOL_2D (TensorFlow Lite's rounding, ops/pooling.cc).
  EXPECT_EQ(r.xnnpack_nodes, 64);
  ASSERT_EQ(r.xnnpack.size(), 3u);
  // arm64-known-difference: the next line (scripts/test-arm64.sh finds it by this marker)
  for (size_t o = 0; o < 3; ++o) EXPECT_EQ(r.xnnpack[o], r.reference[o]) << "output " << o;
}

TEST(BuiltinMobileNetV2, MatchesTheRealModelsOperatorSequence) {
  const char* real = "models/mobilenet_v2_1.0_224_quant.tflite";
  CORALPI_REQUIRE_TESTDATA(real);
  auto r = Model::Load(testing::TestDataPath(real));
  ASSERT_TRUE(r.ok());
  auto m = Model::FromBytes(BuildMobileNetV2Uint8(), "builtin");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(OpSequence(**m), OpSequence(**r));
  // Same shapes flowing between the operators.
  const auto& ro = (*r)->main_graph().operators;
  const auto& mo = (*m)->main_graph().operators;
  for (size_t i = 0; i < ro.size() && i < mo.size(); ++i) {
    EXPECT_EQ((*m)->main_graph().tensors[mo[i].outputs[0]].shape,
              (*r)->main_graph().tensors[ro[i].outputs[0]].shape)
        << "operator " << i;
  }
}

}  // namespace
}  // namespace coralpi

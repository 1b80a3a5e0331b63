// The data-movement and index operators inside the whole engine: small generated models that
// chain them (an ARG_MAX -> RESHAPE -> PACK -> GATHER_ND -> UNPACK -> CONCATENATION pose head;
// an SSD-like CONCATENATION of differently quantized boxes, then STRIDED_SLICE, TRANSPOSE and
// PAD) against hand-computed outputs, with and without XNNPACK; load-time and run-time errors
// for bad indices; and every such node of the real detection, segmentation and pose models
// accepted by the load-time checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "engine/cpu_engine.h"
#include "engine_test_util.h"
#include "testutil/testdata.h"

namespace coralpi::testing {
namespace {

std::shared_ptr<const Model> Load(const std::vector<uint8_t>& bytes) {
  auto model = Model::FromBytes(bytes, "m.tflite");
  EXPECT_TRUE(model.ok()) << model.error().message;
  return model.ok() ? *model : nullptr;
}

std::unique_ptr<CpuEngine> Engine(const std::vector<uint8_t>& bytes, bool xnnpack) {
  auto engine = CpuEngine::Create(Load(bytes), {1, xnnpack});
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return engine.ok() ? std::move(*engine) : nullptr;
}

std::string CreateError(const std::vector<uint8_t>& bytes) {
  auto engine = CpuEngine::Create(Load(bytes), {1, true});
  return engine.ok() ? "" : engine.error().message;
}

template <typename T>
void SetInput(CpuEngine& e, size_t i, const std::vector<T>& values) {
  ASSERT_EQ(e.input(i).num_elements(), static_cast<int64_t>(values.size()));
  std::memcpy(e.input(i).data, values.data(), values.size() * sizeof(T));
}

template <typename T>
std::vector<int64_t> Output(const CpuEngine& e, size_t i) {
  const TensorView o = e.output(i);
  std::vector<int64_t> v;
  for (int64_t k = 0; k < o.num_elements(); ++k) v.push_back(o.as<const T>()[k]);
  return v;
}

// heat int8 [1,3,3,1] -> RESHAPE [1,9,1] -> ARG_MAX axis 1 -> int32 [1,1] -> RESHAPE [-1] ->
// PACK({0}, idx) axis 1 -> [1,2] -> GATHER_ND(feats [1,9,2]) -> [1,2] -> UNPACK axis 1 ->
// CONCATENATION(second, first) -> [2].
std::vector<uint8_t> PoseHead() {
  ModelBuilder b;
  const Quantization hq = Q(0.01f, -128), fq = Q(0.5f, 3);
  int32_t heat = b.AddTensor({"heat", DataType::kInt8, {1, 3, 3, 1}, hq, {}});
  int32_t feats = b.AddTensor({"feats", DataType::kInt8, {1, 9, 2}, fq, {}});
  int32_t flat_shape = b.AddConstant("flat", DataType::kInt32, {3}, std::vector<int32_t>{1, -1, 1});
  int32_t flat = b.AddTensor({"flat", DataType::kInt8, {1, 9, 1}, hq, {}});
  b.AddOperator(OpCode::kReshape, {heat, flat_shape}, {flat}, ReshapeOptions{});
  int32_t axis = b.AddConstant("axis", DataType::kInt32, {}, std::vector<int32_t>{1});
  int32_t am = b.AddTensor({"argmax", DataType::kInt32, {1, 1}, {}, {}});
  b.AddOperator(OpCode::kArgMax, {flat, axis}, {am}, ArgMaxOptions{DataType::kInt32});
  int32_t minus_one = b.AddConstant("minus_one", DataType::kInt32, {1}, std::vector<int32_t>{-1});
  int32_t idx = b.AddTensor({"idx", DataType::kInt32, {1}, {}, {}});
  b.AddOperator(OpCode::kReshape, {am, minus_one}, {idx}, ReshapeOptions{});
  int32_t zero = b.AddConstant("zero", DataType::kInt32, {1}, std::vector<int32_t>{0});
  int32_t ind = b.AddTensor({"indices", DataType::kInt32, {1, 2}, {}, {}});
  b.AddOperator(OpCode::kPack, {zero, idx}, {ind}, PackOptions{2, 1});
  int32_t picked = b.AddTensor({"picked", DataType::kInt8, {1, 2}, fq, {}});
  b.AddOperator(OpCode::kGatherNd, {feats, ind}, {picked});
  int32_t first = b.AddTensor({"first", DataType::kInt8, {1}, fq, {}});
  int32_t second = b.AddTensor({"second", DataType::kInt8, {1}, fq, {}});
  b.AddOperator(OpCode::kUnpack, {picked}, {first, second}, PackOptions{2, 1});
  int32_t swapped = b.AddTensor({"swapped", DataType::kInt8, {2}, fq, {}});
  b.AddOperator(OpCode::kConcatenation, {second, first}, {swapped},
                ConcatenationOptions{0, Activation::kNone});
  b.SetInputs({heat, feats});
  b.SetOutputs({am, swapped});
  return b.Finish();
}

TEST(CpuEngineData, PoseHeadFindsThePeakAndGathersItsFeatures) {
  for (bool xnnpack : {true, false}) {
    auto e = Engine(PoseHead(), xnnpack);
    ASSERT_TRUE(e);
    // The peak 90 appears at flat positions 4 and 5: the tie goes to 4.
    SetInput<int8_t>(*e, 0, {10, 50, 50, 20, 90, 90, -5, 0, 1});
    std::vector<int8_t> feats(18);
    for (int k = 0; k < 18; ++k) feats[static_cast<size_t>(k)] = static_cast<int8_t>(k);
    SetInput(*e, 1, feats);
    ASSERT_TRUE(e->Invoke().ok());
    EXPECT_EQ(Output<int32_t>(*e, 0), (std::vector<int64_t>{4})) << xnnpack;
    // feats[0][4] = (8, 9), swapped by UNPACK + CONCATENATION.
    EXPECT_EQ(Output<int8_t>(*e, 1), (std::vector<int64_t>{9, 8})) << xnnpack;
  }
}

// box0 uint8 [1,2,2,2] (0.5, 10) and box1 [1,1,1,4] (0.25, 0) -> RESHAPE [1,4,2] / [1,2,2] ->
// CONCATENATION axis -2 into (1.0, 5) -> [1,6,2] -> STRIDED_SLICE [:, 1::2, ::-1] -> [1,3,2]
// -> TRANSPOSE (0,2,1) -> [1,2,3] -> PAD one before on the last axis -> [1,2,4].
std::vector<uint8_t> BoxHead() {
  ModelBuilder b;
  const Quantization q0 = Q(0.5f, 10), q1 = Q(0.25f, 0), qo = Q(1.0f, 5);
  int32_t box0 = b.AddTensor({"box0", DataType::kUInt8, {1, 2, 2, 2}, q0, {}});
  int32_t box1 = b.AddTensor({"box1", DataType::kUInt8, {1, 1, 1, 4}, q1, {}});
  int32_t shape = b.AddConstant("shape", DataType::kInt32, {3}, std::vector<int32_t>{1, -1, 2});
  int32_t r0 = b.AddTensor({"r0", DataType::kUInt8, {1, 4, 2}, q0, {}});
  int32_t r1 = b.AddTensor({"r1", DataType::kUInt8, {1, 2, 2}, q1, {}});
  b.AddOperator(OpCode::kReshape, {box0, shape}, {r0}, ReshapeOptions{{1, -1, 2}});
  b.AddOperator(OpCode::kReshape, {box1, shape}, {r1}, ReshapeOptions{{1, -1, 2}});
  int32_t boxes = b.AddTensor({"boxes", DataType::kUInt8, {1, 6, 2}, qo, {}});
  b.AddOperator(OpCode::kConcatenation, {r0, r1}, {boxes},
                ConcatenationOptions{-2, Activation::kNone});
  int32_t begin = b.AddConstant("begin", DataType::kInt32, {3}, std::vector<int32_t>{0, 1, 0});
  int32_t end = b.AddConstant("end", DataType::kInt32, {3}, std::vector<int32_t>{0, 0, 0});
  int32_t strides = b.AddConstant("strides", DataType::kInt32, {3}, std::vector<int32_t>{1, 2, -1});
  int32_t odd = b.AddTensor({"odd", DataType::kUInt8, {1, 3, 2}, qo, {}});
  b.AddOperator(OpCode::kStridedSlice, {boxes, begin, end, strides}, {odd},
                StridedSliceOptions{0b101, 0b111, 0, 0, 0, false});
  int32_t perm = b.AddConstant("perm", DataType::kInt32, {3}, std::vector<int32_t>{0, 2, 1});
  int32_t t = b.AddTensor({"t", DataType::kUInt8, {1, 2, 3}, qo, {}});
  b.AddOperator(OpCode::kTranspose, {odd, perm}, {t});
  int32_t pads =
      b.AddConstant("pads", DataType::kInt32, {3, 2}, std::vector<int32_t>{0, 0, 0, 0, 1, 0});
  int32_t out = b.AddTensor({"out", DataType::kUInt8, {1, 2, 4}, qo, {}});
  b.AddOperator(OpCode::kPad, {t, pads}, {out});
  b.SetInputs({box0, box1});
  b.SetOutputs({boxes, out});
  return b.Finish();
}

TEST(CpuEngineData, BoxHeadRequantizesSlicesTransposesAndPads) {
  auto model = Load(BoxHead());
  // RESHAPE (uint8, constant shape) runs on XNNPACK, PAD on XNNPACK or an own kernel, the rest
  // on reference kernels (TRANSPOSE maybe on an own kernel).
  std::vector<NodePlacement> placement = PlanPlacement(*model, true);
  ASSERT_EQ(placement.size(), 6u);
  EXPECT_TRUE(placement[0].xnnpack && placement[1].xnnpack);
  EXPECT_TRUE(placement[5].xnnpack || placement[5].native);
  EXPECT_FALSE(placement[2].xnnpack || placement[3].xnnpack || placement[4].xnnpack);
  for (bool xnnpack : {true, false}) {
    auto e = Engine(BoxHead(), xnnpack);
    ASSERT_TRUE(e);
    SetInput<uint8_t>(*e, 0, {10, 11, 12, 13, 20, 30, 255, 0});
    SetInput<uint8_t>(*e, 1, {2, 6, 10, 255});
    ASSERT_TRUE(e->Invoke().ok());
    // box0: (q - 10) * 0.5 = 0, .5, 1, 1.5, 5, 10, 122.5, -5 -> half away from zero, + 5.
    // box1: q * 0.25 = .5, 1.5, 2.5, 63.75 -> 1, 2, 3, 64, + 5.
    EXPECT_EQ(Output<uint8_t>(*e, 0),
              (std::vector<int64_t>{5, 6, 6, 7, 10, 15, 128, 0, 6, 7, 8, 69}))
        << xnnpack;
    // Rows 1, 3, 5 reversed: (7, 6), (0, 128), (69, 8); transposed; a zero point 5 in front.
    EXPECT_EQ(Output<uint8_t>(*e, 1), (std::vector<int64_t>{5, 7, 0, 69, 5, 6, 128, 8})) << xnnpack;
  }
}

// GATHER_ND with indices from the graph's input, and RESHAPE with a shape from another input.
std::vector<uint8_t> RuntimeIndices() {
  ModelBuilder b;
  int32_t params = b.AddTensor({"params", DataType::kFloat32, {2, 3}, {}, {}});
  int32_t idx = b.AddTensor({"idx", DataType::kInt32, {1, 2}, {}, {}});
  int32_t shape = b.AddTensor({"shape", DataType::kInt32, {2}, {}, {}});
  int32_t picked = b.AddTensor({"picked", DataType::kFloat32, {1}, {}, {}});
  b.AddOperator(OpCode::kGatherNd, {params, idx}, {picked});
  int32_t reshaped = b.AddTensor({"reshaped", DataType::kFloat32, {3, 2}, {}, {}});
  b.AddOperator(OpCode::kReshape, {params, shape}, {reshaped}, ReshapeOptions{});
  b.SetInputs({params, idx, shape});
  b.SetOutputs({picked, reshaped});
  return b.Finish();
}

TEST(CpuEngineData, IndicesComputedAtRunTimeAreCheckedWhenTheNodeRuns) {
  auto e = Engine(RuntimeIndices(), true);
  ASSERT_TRUE(e);
  SetInput<float>(*e, 0, {0, 1, 2, 3, 4, 5});
  SetInput<int32_t>(*e, 1, {1, 2});
  SetInput<int32_t>(*e, 2, {-1, 2});
  ASSERT_TRUE(e->Invoke().ok());
  EXPECT_EQ(e->output(0).as<const float>()[0], 5.0f);
  SetInput<int32_t>(*e, 1, {1, 3});
  Status s = e->Invoke();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            "m.tflite: operator 0 (GATHER_ND): GATHER_ND: index 3 at position 1 is outside [0, 3)");
  SetInput<int32_t>(*e, 1, {1, 2});
  SetInput<int32_t>(*e, 2, {2, 3});
  s = e->Invoke();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            "m.tflite: operator 1 (RESHAPE): RESHAPE: output: shape [3, 2], expected [2, 3]");
}

// One node `code` over a float [2, 3] input with 1-D constant index inputs.
std::vector<uint8_t> OneNode(OpCode code, const std::vector<std::vector<int32_t>>& index_inputs,
                             Shape out_shape, const OpOptions& options,
                             DataType out_type = DataType::kFloat32) {
  std::vector<IndexInput> index;
  for (const auto& values : index_inputs) {
    index.push_back({{static_cast<int32_t>(values.size())}, values});
  }
  return OneNodeModel(code, {2, 3}, index, out_shape, options, out_type);
}

TEST(CpuEngineData, ConstantIndexInputsAreCheckedWhenTheModelLoads) {
  // GATHER_ND's index vector (0, 5) into [2, 3]: 5 is past the second axis.
  EXPECT_EQ(CreateError(OneNode(OpCode::kGatherNd, {{0, 5}}, {}, NoOptions{})),
            "m.tflite: operator 0 (GATHER_ND): index 5 at position 1 is outside [0, 3)");
  EXPECT_EQ(CreateError(OneNode(OpCode::kGatherNd, {{1, 2}}, {}, NoOptions{})), "");
  EXPECT_EQ(CreateError(OneNode(OpCode::kGather, {{0, 3}}, {2, 2}, GatherOptions{1, 0})),
            "m.tflite: operator 0 (GATHER): index 3 at position 1 is outside [0, 3)");
  EXPECT_EQ(CreateError(OneNode(OpCode::kGather, {{0, 2}}, {2, 2}, GatherOptions{1, 0})), "");
  EXPECT_EQ(CreateError(OneNode(OpCode::kStridedSlice, {{0, 0}, {2, 2}, {1, 1}}, {2, 3},
                                StridedSliceOptions{})),
            "m.tflite: operator 0 (STRIDED_SLICE): output has shape [2, 3], expected [2, 2]");
  EXPECT_EQ(CreateError(OneNode(OpCode::kTranspose, {{0, 0}}, {2, 3}, NoOptions{})),
            "m.tflite: operator 0 (TRANSPOSE): perm is not a permutation of the input's 2 axes");
  EXPECT_EQ(CreateError(OneNode(OpCode::kArgMax, {{1}}, {2}, ArgMaxOptions{DataType::kInt64},
                                DataType::kInt32)),
            "m.tflite: operator 0 (ARG_MAX): output is int32, the options ask for int64");
  EXPECT_EQ(CreateError(OneNode(OpCode::kExpandDims, {{3}}, {2, 3, 1}, NoOptions{})),
            "m.tflite: operator 0 (EXPAND_DIMS): axis 3 is outside [-3, 2]");
  EXPECT_EQ(CreateError(OneNode(OpCode::kReshape, {{4, -1}}, {3, 2}, ReshapeOptions{})),
            "m.tflite: operator 0 (RESHAPE): cannot reshape [2, 3] (6 elements) to the requested "
            "shape");
  EXPECT_EQ(CreateError(OneNode(OpCode::kConcatenation, {}, {2, 3},
                                ConcatenationOptions{0, Activation::kRelu})),
            "m.tflite: operator 0 (CONCATENATION): fused activation RELU is not supported "
            "(TensorFlow Lite allows none)");
}

// Every data-movement or index node of the real models passes the load-time checks.
TEST(CpuEngineData, RealModelsNodesAreSupported) {
  const char* models[] = {"models/movenet_single_pose_lightning_ptq.tflite",
                          "models/movenet_single_pose_lightning_ptq_edgetpu.tflite",
                          "models/ssd_mobilenet_pets_quant_postprocess.tflite",
                          "models/deeplabv3_mnv2_dm05_pascal_quant.tflite",
                          "models/deeplabv3_mnv2_dm05_pascal_quant_edgetpu.tflite"};
  const OpCode mine[] = {OpCode::kConcatenation, OpCode::kPack,       OpCode::kUnpack,
                         OpCode::kSplit,         OpCode::kSplitV,     OpCode::kStridedSlice,
                         OpCode::kSlice,         OpCode::kTranspose,  OpCode::kPad,
                         OpCode::kPadV2,         OpCode::kGather,     OpCode::kGatherNd,
                         OpCode::kArgMax,        OpCode::kExpandDims, OpCode::kReshape};
  for (const char* name : models) {
    CORALPI_REQUIRE_TESTDATA(name);
    auto model = Model::Load(TestDataPath(name));
    ASSERT_TRUE(model.ok()) << model.error().message;
    std::vector<NodePlacement> placement = PlanPlacement(**model, true);
    int checked = 0;
    for (const OperatorInfo& op : (*model)->main_graph().operators) {
      if (std::find(std::begin(mine), std::end(mine), static_cast<OpCode>(op.code)) ==
          std::end(mine))
        continue;
      ++checked;
      EXPECT_TRUE(placement[static_cast<size_t>(op.index)].supported)
          << name << " operator " << op.index << " (" << op.name()
          << "): " << placement[static_cast<size_t>(op.index)].reason;
    }
    EXPECT_GT(checked, 0) << name;
  }
}

}  // namespace
}  // namespace coralpi::testing

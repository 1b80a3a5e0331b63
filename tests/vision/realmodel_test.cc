// Real models from ../shared/testdata on real images (skipped when the data is absent):
// the published classifiers put the images on their known classes, and the XNNPACK path
// computes exactly what the reference kernels compute on whole models.
#include <gtest/gtest.h>

#include <optional>

#include "core/file.h"
#include "engine/cpu_engine.h"
#include "engine/native/cpu_isa.h"
#include "image/image.h"
#include "model/builder.h"
#include "model/model.h"
#include "testutil/testdata.h"
#include "vision/classification.h"
#include "vision/preprocess.h"

namespace coralpi::testing {
namespace {

const char* kV2Quant = "models/mobilenet_v2_1.0_224_quant.tflite";
const char* kV2Tf2 = "models/tf2_mobilenet_v2_1.0_224_ptq.tflite";
const char* kV1Small = "models/mobilenet_v1_0.25_128_quant.tflite";
const char* kLabels = "labels/imagenet_labels.txt";

struct Top1 {
  std::string label;
  float score;
};

Top1 Classify(const char* model_file, const char* image_file, int threads = 1) {
  auto model = Model::Load(TestDataPath(model_file));
  EXPECT_TRUE(model.ok()) << model.error().message;
  auto engine = CpuEngine::Create(*model, {threads, true});
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  auto image = ReadImageFile(TestDataPath(image_file), DecodeOptionsFor((*engine)->input(0)));
  EXPECT_TRUE(image.ok()) << image.error().message;
  EXPECT_TRUE(FillImageInput(*image, (*engine)->input(0)).ok());
  EXPECT_TRUE((*engine)->Invoke().ok());
  auto scores = OutputScores((*engine)->output(0));
  EXPECT_TRUE(scores.ok());
  auto labels = Labels::Load(TestDataPath(kLabels));
  EXPECT_TRUE(labels.ok());
  std::vector<Class> top = TopK(*scores, 1, 0.0f);
  return {labels->Get(top.at(0).id), top.at(0).score};
}

TEST(RealModels, MobileNetV2QuantParrotIsMacaw) {
  CORALPI_REQUIRE_TESTDATA(kV2Quant);
  CORALPI_REQUIRE_TESTDATA("images/parrot.jpg");
  Top1 t = Classify(kV2Quant, "images/parrot.jpg");
  EXPECT_EQ(t.label, "macaw");
  EXPECT_GT(t.score, 0.5f);
}

TEST(RealModels, MobileNetV2QuantCatIsEgyptianCat) {
  CORALPI_REQUIRE_TESTDATA(kV2Quant);
  CORALPI_REQUIRE_TESTDATA("images/cat.bmp");
  Top1 t = Classify(kV2Quant, "images/cat.bmp", 2);
  EXPECT_EQ(t.label, "Egyptian cat");
  EXPECT_GT(t.score, 0.5f);
}

TEST(RealModels, MobileNetV2QuantGraceHopperIsMilitaryUniform) {
  CORALPI_REQUIRE_TESTDATA(kV2Quant);
  CORALPI_REQUIRE_TESTDATA("images/grace_hopper.bmp");
  EXPECT_EQ(Classify(kV2Quant, "images/grace_hopper.bmp").label, "military uniform");
}

TEST(RealModels, Tf2MobileNetV2ParrotIsMacaw) {
  CORALPI_REQUIRE_TESTDATA(kV2Tf2);
  CORALPI_REQUIRE_TESTDATA("images/parrot.jpg");
  Top1 t = Classify(kV2Tf2, "images/parrot.jpg", 2);
  EXPECT_EQ(t.label, "macaw");
  EXPECT_GT(t.score, 0.5f);
}

TEST(RealModels, Tf2MobileNetV2CatIsEgyptianCat) {
  CORALPI_REQUIRE_TESTDATA(kV2Tf2);
  CORALPI_REQUIRE_TESTDATA("images/cat.bmp");
  Top1 t = Classify(kV2Tf2, "images/cat.bmp");
  EXPECT_EQ(t.label, "Egyptian cat");
  EXPECT_GT(t.score, 0.5f);
}

TEST(RealModels, MobileNetV1SmallRuns) {
  CORALPI_REQUIRE_TESTDATA(kV1Small);
  CORALPI_REQUIRE_TESTDATA("images/parrot.jpg");
  Top1 t = Classify(kV1Small, "images/parrot.jpg");
  EXPECT_EQ(t.label, "macaw");
}

// Runs `model_file` through XNNPACK, through the engine's own kernels on every kernel set this
// CPU has (engine/native), and through the reference kernels on the same image, and expects
// identical bytes in every output.
// Besides the model's output, the pooled features and the logits (the last CONV_2D's output)
// are exposed as outputs: they are far more sensitive than the probabilities.
void ExpectXnnpackEqualsReference(const char* model_file) {
  auto bytes = ReadFileBytes(TestDataPath(model_file));
  ASSERT_TRUE(bytes.ok());
  auto model = Model::FromBytes(*bytes, model_file);
  ASSERT_TRUE(model.ok()) << model.error().message;
  std::vector<int32_t> outputs = (*model)->main_graph().outputs;
  int32_t last_conv = -1;
  for (const OperatorInfo& op : (*model)->main_graph().operators) {
    if (op.code == static_cast<int32_t>(OpCode::kAveragePool2D) ||
        op.code == static_cast<int32_t>(OpCode::kMean)) {
      outputs.push_back(op.outputs[0]);
    }
    if (op.code == static_cast<int32_t>(OpCode::kConv2D)) last_conv = op.outputs[0];
  }
  outputs.push_back(last_conv);
  ASSERT_EQ(outputs.size(), 3u);
  auto rewritten = ReplaceOutputs(*bytes, outputs);
  ASSERT_TRUE(rewritten.ok());
  auto exposed = Model::FromBytes(*rewritten, model_file);
  ASSERT_TRUE(exposed.ok()) << exposed.error().message;
  auto image = ReadImageFile(TestDataPath("images/cat.bmp"));
  ASSERT_TRUE(image.ok());

  auto run = [&](const CpuEngineOptions& options, std::vector<std::vector<uint8_t>>* results) {
    auto engine = CpuEngine::Create(*exposed, options);
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    ASSERT_TRUE(FillImageInput(*image, (*engine)->input(0)).ok());
    ASSERT_TRUE((*engine)->Invoke().ok());
    for (size_t o = 0; o < (*engine)->output_count(); ++o) {
      TensorView v = (*engine)->output(o);
      auto* p = static_cast<const uint8_t*>(v.data);
      results->emplace_back(p, p + v.num_elements() * static_cast<int64_t>(ElementSize(v.type)));
    }
  };
  std::vector<std::vector<uint8_t>> reference;
  run({1, false}, &reference);
  struct Path {
    std::string name;
    std::optional<native::CpuIsa> isa;  // unset: XNNPACK alone
  };
  std::vector<Path> paths = {{"XNNPACK", std::nullopt}};
  for (native::CpuIsa isa : {native::CpuIsa::kAvx512Vnni, native::CpuIsa::kAmx}) {
    if (native::DetectedIsa() >= isa) paths.push_back({native::CpuIsaName(isa), isa});
  }
  for (const Path& path : paths) {
    CpuEngineOptions options{2, true};
    options.native_kernels = path.isa.has_value();
    native::SetIsaLimit(path.isa);
    std::vector<std::vector<uint8_t>> fast;
    run(options, &fast);
    native::SetIsaLimit(std::nullopt);
    ASSERT_EQ(fast.size(), reference.size());
    for (size_t o = 0; o < fast.size(); ++o) {
      size_t differing = 0;
      for (size_t k = 0; k < fast[o].size(); ++k) differing += fast[o][k] != reference[o][k];
      EXPECT_EQ(differing, 0u) << "output " << o << ": " << differing << " of " << fast[o].size()
                               << " bytes differ between " << path.name
                               << " and the reference kernels";
    }
  }
}

TEST(RealModels, MobileNetV2QuantXnnpackEqualsReferenceOnWholeModel) {
  CORALPI_REQUIRE_TESTDATA(kV2Quant);
  CORALPI_REQUIRE_TESTDATA("images/cat.bmp");
  ExpectXnnpackEqualsReference(kV2Quant);
}

TEST(RealModels, Tf2MobileNetV2XnnpackEqualsReferenceOnWholeModel) {
  CORALPI_REQUIRE_TESTDATA(kV2Tf2);
  CORALPI_REQUIRE_TESTDATA("images/cat.bmp");
  ExpectXnnpackEqualsReference(kV2Tf2);
}

TEST(RealModels, MobileNetV1SmallXnnpackEqualsReferenceOnWholeModel) {
  CORALPI_REQUIRE_TESTDATA(kV1Small);
  CORALPI_REQUIRE_TESTDATA("images/cat.bmp");
  ExpectXnnpackEqualsReference(kV1Small);
}

}  // namespace
}  // namespace coralpi::testing

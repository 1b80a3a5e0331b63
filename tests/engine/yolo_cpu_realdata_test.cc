// The two shared YOLO exports the CPU engine used to refuse (issue 17, item 6), against
// TensorFlow Lite's C library with its XNNPACK delegate (../shared/anchors/tflite-x86_64, or
// CORALPI_TFLITE_LIB) on bus.jpg: yolov5n_640_fp16 (float16 weights behind DEQUANTIZE) and
// yolov8n_640_dynamic_range_int8 (int8 weights on float activations). Input: bus.jpg resized to
// 640 x 640 (nearest pixel), pixel / 255. Skips, naming the file, without the library or the data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "backend/backend_factory.h"
#include "backend/tflite_backend.h"
#include "image/image.h"
#include "model/builder.h"
#include "testutil/testdata.h"

namespace coralpi {
namespace {

using ::coralpi::testing::TestDataPath;

void FillPixelsOver255(const Image& image, const TensorView& input) {
  ASSERT_EQ(input.type, DataType::kFloat32);
  ASSERT_EQ(input.shape.size(), 4u);
  const int h = input.dim(1), w = input.dim(2);
  ASSERT_EQ(input.dim(3), 3);
  float* x = input.as<float>();
  for (int y = 0; y < h; ++y) {
    const int sy = static_cast<int>(static_cast<int64_t>(y) * image.height / h);
    for (int c = 0; c < w; ++c) {
      const int sx = static_cast<int>(static_cast<int64_t>(c) * image.width / w);
      for (int k = 0; k < 3; ++k) {
        x[(y * w + c) * 3 + k] = image.rgb[static_cast<size_t>((sy * image.width + sx) * 3 + k)] / 255.0f;
      }
    }
  }
}

struct Difference {
  double max_abs = -1;  // -1: the outputs do not compare
  double max_ref = 0;   // largest |TensorFlow Lite output|
  int64_t above_001 = 0;  // values more than 0.01 apart
  int64_t count = 0;
};

Difference Compare(const TensorView& a, const TensorView& b) {
  Difference d;
  if (a.type != DataType::kFloat32 || b.type != DataType::kFloat32 || a.shape != b.shape) return d;
  d.max_abs = 0;
  for (int64_t i = 0; i < a.num_elements(); ++i) {
    d.max_abs = std::max(d.max_abs, std::fabs(double{a.as<float>()[i]} - b.as<float>()[i]));
    d.max_ref = std::max(d.max_ref, std::fabs(double{a.as<float>()[i]}));
    if (std::fabs(double{a.as<float>()[i]} - b.as<float>()[i]) > 0.01) ++d.above_001;
  }
  d.count = a.num_elements();
  return d;
}

// Runs `model` on both and checks the CPU engine's output against TensorFlow Lite's: the largest
// difference at most `tolerance`, and at most `share_above_001` of the values more than 0.01 apart.
void CompareWithTfLite(const char* model, int threads, double tolerance, double share_above_001) {
  std::string lib;
  CORALPI_REQUIRE_REAL_LIBRARY(lib, TFLITE);
  CORALPI_REQUIRE_TESTDATA(model);
  CORALPI_REQUIRE_TESTDATA("images/bus.jpg");
  auto source = LoadModelSource(TestDataPath(model));
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto tflite = CreateTfLiteBackend(*source, {threads, lib, true});
  ASSERT_TRUE(tflite.ok()) << tflite.error().message;
  ASSERT_EQ((*tflite)->details().find("2.99.0-fake"), std::string::npos) << "the test fake";
  auto cpu = CreateCpuBackend(source->model, {threads, false});
  ASSERT_TRUE(cpu.ok()) << "the CPU engine refuses " << model << ": " << cpu.error().message;
  auto image = ReadImageFile(TestDataPath("images/bus.jpg"), {});
  ASSERT_TRUE(image.ok()) << image.error().message;
  for (Backend* b : {tflite->get(), cpu->get()}) {
    ASSERT_EQ(b->input_count(), 1u);
    FillPixelsOver255(*image, b->input(0));
    ASSERT_TRUE(b->Invoke().ok()) << b->name();
  }
  ASSERT_EQ((*tflite)->output_count(), (*cpu)->output_count());
  const Difference d = Compare((*tflite)->output(0), (*cpu)->output(0));
  std::printf(
      "%s, %d thread%s: max |coralpi - TensorFlow Lite| = %g (outputs up to %g), %lld of %lld "
      "values more than 0.01 apart; %s\n",
      model, threads, threads == 1 ? "" : "s", d.max_abs, d.max_ref,
      static_cast<long long>(d.above_001), static_cast<long long>(d.count),
      (*cpu)->details().c_str());
  ::testing::Test::RecordProperty(std::string(model) + " threads " + std::to_string(threads), std::to_string(d.max_abs));
  ASSERT_GE(d.max_abs, 0) << "outputs of different types or shapes";
  EXPECT_LE(d.max_abs, tolerance);
  EXPECT_LE(static_cast<double>(d.above_001), share_above_001 * static_cast<double>(d.count));
}

// float16 weights become the same float32 weights TensorFlow Lite's delegate unpacks; both run
// float convolutions, so only summation order differs. Measured: 3.6e-6 on [1, 25200, 85]
// (values up to 1.02).
TEST(YoloCpuRealData, Float16ExportMatchesTensorFlowLite) {
  CompareWithTfLite("models/yolov5n_640_fp16.tflite", 1, 1e-4, 0.0);
}

// The same quantization of every convolution's input as TensorFlow Lite's XNNPACK path (the
// test below checks each layer to float rounding), but 62 layers requantize their inputs, per
// image, so a last-bit difference upstream (XNNPACK 2022's sigmoid against 2025's, summation
// order) moves a few values across a rounding edge, by one step of a coarse scale. Measured on
// [1, 84, 8400] (values up to 1): largest difference 0.085, 204 of 705600 values more than 0.01
// apart (0.132 and 95 with every hybrid node on the integer reference kernel); TensorFlow Lite's
// own hybrid kernels (no delegate) differ from its XNNPACK path by 0.344, 3579 values.
// Rounding-edge effects are chaotic, hence the margin.
TEST(YoloCpuRealData, DynamicRangeExportMatchesTensorFlowLite) {
  CompareWithTfLite("models/yolov8n_640_dynamic_range_int8.tflite", 1, 0.25, 0.001);
}

TEST(YoloCpuRealData, DynamicRangeExportOnTwoThreads) {
  CompareWithTfLite("models/yolov8n_640_dynamic_range_int8.tflite", 2, 0.25, 0.001);
}

// Each of the first twelve CONV_2D nodes of the dynamic-range model (one float, eleven hybrid:
// 3x3 stride 1 and 2, quantized per image, and 1x1, quantized per pixel), alone in a model with
// its real weights, on a random input: the same output as TensorFlow Lite's up to float rounding,
// on the engine's XNNPACK path (the input quantized on the host, then a float convolution over the
// dequantized weights: float accumulation, measured within 7e-7 of the largest output) and on the
// integer reference kernel (measured within 1e-7). This pins the arithmetic; the whole model
// differs more (above) because every layer requantizes its input, so a last-bit difference
// upstream can move a value across a rounding edge.
TEST(YoloCpuRealData, EachConvolutionOfTheDynamicRangeExportMatchesTensorFlowLite) {
  std::string lib;
  CORALPI_REQUIRE_REAL_LIBRARY(lib, TFLITE);
  const char* model = "models/yolov8n_640_dynamic_range_int8.tflite";
  CORALPI_REQUIRE_TESTDATA(model);
  auto source = LoadModelSource(TestDataPath(model));
  ASSERT_TRUE(source.ok()) << source.error().message;
  const Subgraph& g = source->model->main_graph();
  std::mt19937 rng(5);
  int seen = 0;
  for (const OperatorInfo& op : g.operators) {
    if (op.code != 3) continue;
    if (++seen > 12) break;
    ASSERT_EQ(op.inputs.size(), 3u);
    const TensorInfo& in = g.tensors[static_cast<size_t>(op.inputs[0])];
    const TensorInfo& w = g.tensors[static_cast<size_t>(op.inputs[1])];
    const TensorInfo& b = g.tensors[static_cast<size_t>(op.inputs[2])];
    const TensorInfo& out = g.tensors[static_cast<size_t>(op.outputs[0])];
    ModelBuilder mb;
    const int32_t ti = mb.AddTensor({"in", DataType::kFloat32, in.shape, {}, {}});
    const int32_t tw = mb.AddTensor({"w", w.type, w.shape, w.quant, std::vector<uint8_t>(w.data.begin(), w.data.end())});
    const int32_t tb = mb.AddTensor({"b", b.type, b.shape, b.quant, std::vector<uint8_t>(b.data.begin(), b.data.end())});
    const int32_t to = mb.AddTensor({"out", DataType::kFloat32, out.shape, {}, {}});
    mb.AddOperator(OpCode::kConv2D, {ti, tw, tb}, {to}, op.options);
    mb.SetInputs({ti});
    mb.SetOutputs({to});
    auto s2 = ModelSourceFromBytes(mb.Finish(), "one conv");
    ASSERT_TRUE(s2.ok()) << s2.error().message;
    auto tx = CreateTfLiteBackend(*s2, {1, lib, true});
    ASSERT_TRUE(tx.ok()) << tx.error().message;
    auto cpu = CreateCpuBackend(s2->model, {1, false});
    ASSERT_TRUE(cpu.ok()) << cpu.error().message;
    auto ref = CreateCpuBackend(s2->model, {1, true});
    ASSERT_TRUE(ref.ok()) << ref.error().message;
    std::uniform_real_distribution<float> d(-0.3f, 6.0f);
    std::vector<float> x(static_cast<size_t>(NumElements(in.shape)));
    for (float& v : x) v = d(rng);
    for (Backend* bk : {tx->get(), cpu->get(), ref->get()}) {
      std::copy(x.begin(), x.end(), bk->input(0).as<float>());
      ASSERT_TRUE(bk->Invoke().ok());
    }
    const Difference df = Compare((*tx)->output(0), (*cpu)->output(0));
    const Difference dr = Compare((*tx)->output(0), (*ref)->output(0));
    const auto& o = std::get<Conv2DOptions>(op.options);
    std::printf(
        "operator %d: %s weights %s, stride %d: max difference %g (XNNPACK path), %g (reference "
        "kernel), outputs up to %g\n",
        op.index, DataTypeName(w.type), ShapeToString(w.shape).c_str(), o.stride_h, df.max_abs,
        dr.max_abs, df.max_ref);
    EXPECT_GE(df.max_abs, 0) << "operator " << op.index;
    EXPECT_LE(df.max_abs, 4e-6 * std::max(1.0, df.max_ref)) << "operator " << op.index;
    EXPECT_GE(dr.max_abs, 0) << "operator " << op.index;
    EXPECT_LE(dr.max_abs, 1e-6 * std::max(1.0, dr.max_ref)) << "operator " << op.index;
  }
}
}  // namespace
}  // namespace coralpi

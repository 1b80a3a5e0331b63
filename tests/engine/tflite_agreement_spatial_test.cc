// The reference kernels that follow TensorFlow Lite's own arithmetic (RESIZE_NEAREST_NEIGHBOR,
// quantized AVERAGE_POOL_2D and MAX_POOL_2D, TFLite_Detection_PostProcess) against TensorFlow
// Lite's C library itself, built-in kernels without a delegate, on random generated one-operator
// models: outputs must be equal bit for bit (and, for the global average pool, the engine as it
// runs against TensorFlow Lite with its XNNPACK delegate). The library is CORALPI_TFLITE_LIB, or the x86-64
// build in ../shared/anchors; the test skips, saying so, when neither is there.
#include <flatbuffers/flexbuffers.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>

#include "backend/backend.h"
#include "backend/tflite_backend.h"
#include "engine_test_util.h"
#include "model/builder.h"
#include "testutil/testdata.h"

namespace coralpi {
namespace {

using coralpi::testing::FileExists;
using coralpi::testing::TestDataPath;

Quantization Q(float scale, int64_t zp) { return Quantization{{scale}, {zp}, 0}; }

// The real TensorFlow Lite C library in `lib`, or the test skips (fails where CI requires it).
#define REQUIRE_TFLITE(lib) \
  std::string lib;          \
  CORALPI_REQUIRE_REAL_LIBRARY(lib, TFLITE)

struct Random : coralpi::testing::ParamGen {
  using ParamGen::ParamGen;
  uint32_t Seed() { return static_cast<uint32_t>(engine()()); }
};

// Fills every input of both backends with the same random values (floats in [-1, 1]).
void FillSame(Backend& a, Backend& b, uint32_t seed) {
  std::mt19937 rng(seed);
  for (size_t i = 0; i < a.input_count(); ++i) {
    const TensorView x = a.input(i);
    coralpi::testing::FillRandom(x, rng);
    std::memcpy(b.input(i).data, x.data,
                static_cast<size_t>(x.num_elements()) * ElementSize(x.type));
  }
}

struct Runs {
  std::unique_ptr<Backend> cpu, tflite;
};

// Runs the model on coralpi's reference kernels and on TensorFlow Lite with the same inputs.
// `as_deployed`: the CPU engine with XNNPACK and TensorFlow Lite with its XNNPACK delegate, as
// the cpu and tflite backends run by default; otherwise the reference kernels and TensorFlow
// Lite's built-in kernels.
Runs RunBoth(const std::string& lib, std::vector<uint8_t> bytes, uint32_t seed,
             bool as_deployed = false) {
  Runs r;
  auto source = ModelSourceFromBytes(std::move(bytes), "generated.tflite");
  EXPECT_TRUE(source.ok());
  if (!source.ok()) return r;
  auto tfl = CreateTfLiteBackend(*source, {1, lib, as_deployed});
  EXPECT_TRUE(tfl.ok()) << tfl.error().message;
  auto cpu = CreateCpuBackend(source->model, {1, !as_deployed});
  EXPECT_TRUE(cpu.ok()) << cpu.error().message;
  if (!tfl.ok() || !cpu.ok()) return r;
  r.cpu = std::move(*cpu);
  r.tflite = std::move(*tfl);
  FillSame(*r.cpu, *r.tflite, seed);
  Status a = r.cpu->Invoke(), b = r.tflite->Invoke();
  EXPECT_TRUE(a.ok()) << a.error().message;
  EXPECT_TRUE(b.ok()) << b.error().message;
  return r;
}

// Output i of both runs, byte for byte.
void ExpectSameOutput(const Runs& r, size_t i, const std::string& what) {
  if (!r.cpu) return;
  TensorView a = r.cpu->output(i), b = r.tflite->output(i);
  ASSERT_EQ(a.shape, b.shape) << what;
  const size_t n = static_cast<size_t>(a.num_elements()) * ElementSize(a.type);
  EXPECT_EQ(std::memcmp(a.data, b.data, n), 0) << what;
}

std::vector<uint8_t> BuildResize(OpCode code, DataType type, ResizeOptions mode, Shape in_shape,
                                 int oh, int ow, Quantization q) {
  ModelBuilder b;
  Shape out_shape = {in_shape[0], oh, ow, in_shape[3]};
  int32_t in = b.AddTensor({"in", type, std::move(in_shape), q, {}});
  int32_t size = b.AddConstant("size", DataType::kInt32, {2}, std::vector<int32_t>{oh, ow});
  int32_t out = b.AddTensor({"out", type, std::move(out_shape), q, {}});
  b.AddOperator(code, {in, size}, {out}, mode);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Finish();
}

std::vector<uint8_t> BuildNearest(DataType type, ResizeOptions mode, Shape in_shape, int oh,
                                  int ow) {
  const Quantization q = type == DataType::kFloat32 ? Quantization{} : Q(0.1f, 3);
  return BuildResize(OpCode::kResizeNearestNeighbor, type, mode, std::move(in_shape), oh, ow, q);
}

std::string DescribeNearest(DataType type, ResizeOptions mode, int h, int w, int oh, int ow) {
  std::ostringstream what;
  what << "RESIZE_NEAREST_NEIGHBOR " << DataTypeName(type) << " " << h << "x" << w << " -> " << oh
       << "x" << ow << " align_corners " << mode.align_corners << " half_pixel_centers "
       << mode.half_pixel_centers;
  return what.str();
}

TEST(TfLiteAgreement, ResizeNearestNeighbor) {
  REQUIRE_TFLITE(lib);
  Random r(11);
  const DataType types[] = {DataType::kUInt8, DataType::kInt8, DataType::kFloat32};
  for (int i = 0; i < 180; ++i) {
    const DataType type = types[i % 3];
    const ResizeOptions mode{(i / 3) % 3 == 1, (i / 3) % 3 == 2};
    const int h = r.Int(1, 20), w = r.Int(1, 20), c = r.Int(1, 4);
    const int oh = r.Int(1, 40), ow = r.Int(1, 40);
    ExpectSameOutput(RunBoth(lib, BuildNearest(type, mode, {1, h, w, c}, oh, ow), r.Seed()), 0,
                     DescribeNearest(type, mode, h, w, oh, ow));
  }
}

// Long rows in every mode and type: uint8 without flags runs TensorFlow Lite's 16.16 fixed-point
// kernel, whose source index parts from the float rule's now and then (a few percent of long
// rows).
TEST(TfLiteAgreement, ResizeNearestNeighborLongRows) {
  REQUIRE_TFLITE(lib);
  Random r(12);
  const DataType types[] = {DataType::kUInt8, DataType::kInt8, DataType::kFloat32};
  for (int i = 0; i < 450; ++i) {
    const DataType type = i < 270 ? DataType::kUInt8 : types[i % 3];
    const ResizeOptions mode =
        i < 200 ? ResizeOptions{false, false} : ResizeOptions{i % 3 == 1, i % 3 == 2};
    const int w = r.Int(1, 700), ow = r.Int(1, 1000);
    ExpectSameOutput(RunBoth(lib, BuildNearest(type, mode, {1, 1, w, 1}, 1, ow), r.Seed()), 0,
                     DescribeNearest(type, mode, 1, w, 1, ow));
  }
}

std::vector<uint8_t> BuildBilinear(ResizeOptions mode, Shape in_shape, int oh, int ow,
                                   Quantization q) {
  return BuildResize(OpCode::kResizeBilinear, DataType::kUInt8, mode, std::move(in_shape), oh, ow,
                     std::move(q));
}

std::string DescribeBilinear(ResizeOptions mode, Shape in, int oh, int ow) {
  std::ostringstream what;
  what << "RESIZE_BILINEAR uint8 " << ShapeToString(in) << " -> " << oh << "x" << ow
       << " align_corners " << mode.align_corners << " half_pixel_centers "
       << mode.half_pixel_centers;
  return what.str();
}

// uint8 bilinear resizing in every mode, on TensorFlow Lite's generic kernel (its 8x
// half-pixel special case for channels in multiples of 8 is left out, see reference.h).
TEST(TfLiteAgreement, ResizeBilinearUInt8) {
  REQUIRE_TFLITE(lib);
  Random r(13);
  for (int i = 0; i < 240; ++i) {
    const ResizeOptions mode{i % 3 == 1, i % 3 == 2};
    const int h = r.Int(1, 12), w = r.Int(1, 12), c = r.Int(1, 5);
    const int oh = r.Int(1, 40), ow = r.Int(1, 40);
    const Quantization q = Q(r.Real(0.01f, 0.5f), r.Int(0, 255));
    ExpectSameOutput(RunBoth(lib, BuildBilinear(mode, {1, h, w, c}, oh, ow, q), r.Seed()), 0,
                     DescribeBilinear(mode, {1, h, w, c}, oh, ow));
  }
}

// DeepLab's last resize: its 33x33 logits of the 21 classes to the 513x513 input, align_corners.
TEST(TfLiteAgreement, ResizeBilinearUInt8DeepLabLogits) {
  REQUIRE_TFLITE(lib);
  const ResizeOptions mode{true, false};
  ExpectSameOutput(RunBoth(lib, BuildBilinear(mode, {1, 33, 33, 21}, 513, 513, Q(0.1f, 120)), 1300),
                   0, DescribeBilinear(mode, {1, 33, 33, 21}, 513, 513));
}

void RunQuantizedPools(const std::string& lib, OpCode code, uint32_t seed) {
  Random r(seed);
  const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6,
                             Activation::kReluN1To1};
  for (int i = 0; i < 120; ++i) {
    const DataType type = i % 2 ? DataType::kUInt8 : DataType::kInt8;
    const int h = r.Int(1, 12), w = r.Int(1, 12), c = r.Int(1, 6);
    const int kh = r.Int(1, 4), kw = r.Int(1, 4), s = r.Int(1, 3);
    const Padding p = r.Int(0, 1) ? Padding::kSame : Padding::kValid;
    auto out_size = [&](int in, int k) {
      return p == Padding::kSame ? (in + s - 1) / s : (in >= k ? (in - k + s) / s : 0);
    };
    const int oh = out_size(h, kh), ow = out_size(w, kw);
    if (oh < 1 || ow < 1) continue;
    const Activation act = acts[r.Int(0, 3)];
    const Quantization q =
        Q(r.Real(0.01f, 0.1f), type == DataType::kUInt8 ? r.Int(0, 254) : r.Int(-128, 126));
    ModelBuilder b;
    int32_t in = b.AddTensor({"in", type, {1, h, w, c}, q, {}});
    int32_t out = b.AddTensor({"out", type, {1, oh, ow, c}, q, {}});
    b.AddOperator(code, {in}, {out}, Pool2DOptions{p, s, s, kw, kh, act});
    b.SetInputs({in});
    b.SetOutputs({out});
    std::ostringstream what;
    what << OpCodeName(static_cast<int32_t>(code)) << " " << DataTypeName(type) << " " << h << "x"
         << w << " window " << kh << "x" << kw << " stride " << s
         << (p == Padding::kSame ? " SAME " : " VALID ") << ActivationName(act);
    ExpectSameOutput(RunBoth(lib, b.Finish(), r.Seed()), 0, what.str());
  }
}

TEST(TfLiteAgreement, QuantizedAveragePool) {
  REQUIRE_TFLITE(lib);
  RunQuantizedPools(lib, OpCode::kAveragePool2D, 21);
}

// A quantized global AVERAGE_POOL_2D keeping its quantization (MobileNet's last pool) as both run
// by default: TensorFlow Lite's XNNPACK delegate leaves it on TensorFlow Lite's kernel, so the
// engine must give that kernel's bytes whatever its XNNPACK version. Even windows give averages
// ending in .5, which XNNPACK rounds otherwise.
TEST(TfLiteAgreement, QuantizedGlobalAveragePoolAsDeployed) {
  REQUIRE_TFLITE(lib);
  Random r(41);
  for (int i = 0; i < 60; ++i) {
    const DataType type = i % 2 ? DataType::kUInt8 : DataType::kInt8;
    const int h = r.Int(1, 8), w = 2 * r.Int(1, 4), c = r.Int(1, 40);
    const Quantization q =
        Q(r.Real(0.01f, 0.1f), type == DataType::kUInt8 ? r.Int(0, 255) : r.Int(-128, 127));
    ModelBuilder b;
    int32_t in = b.AddTensor({"in", type, {1, h, w, c}, q, {}});
    int32_t out = b.AddTensor({"out", type, {1, 1, 1, c}, q, {}});
    b.AddOperator(OpCode::kAveragePool2D, {in}, {out},
                  Pool2DOptions{Padding::kValid, 1, 1, w, h, Activation::kNone});
    b.SetInputs({in});
    b.SetOutputs({out});
    std::ostringstream what;
    what << "global AVERAGE_POOL_2D " << DataTypeName(type) << " " << h << "x" << w << "x" << c;
    ExpectSameOutput(RunBoth(lib, b.Finish(), r.Seed(), true), 0, what.str());
  }
}

// A quantized MEAN over height and width with its own output quantization, as both run by
// default: the engine's XNNPACK global average pooling against TensorFlow Lite's XNNPACK delegate.
TEST(TfLiteAgreement, QuantizedMeanAsDeployed) {
  REQUIRE_TFLITE(lib);
  Random r(51);
  for (int i = 0; i < 60; ++i) {
    const DataType type = i % 2 ? DataType::kUInt8 : DataType::kInt8;
    const int h = r.Int(1, 9), w = r.Int(1, 9), c = r.Int(1, 40);
    auto zp = [&] { return type == DataType::kUInt8 ? r.Int(0, 255) : r.Int(-128, 127); };
    const float scale = r.Real(0.01f, 0.1f);
    const Quantization in_q = Q(scale, zp()), out_q = Q(scale * r.Real(0.5f, 2.0f), zp());
    ModelBuilder b;
    int32_t in = b.AddTensor({"in", type, {1, h, w, c}, in_q, {}});
    int32_t axes = b.AddConstant("axes", DataType::kInt32, {2}, std::vector<int32_t>{1, 2});
    int32_t out = b.AddTensor({"out", type, {1, 1, 1, c}, out_q, {}});
    b.AddOperator(OpCode::kMean, {in, axes}, {out}, ReducerOptions{true});
    b.SetInputs({in});
    b.SetOutputs({out});
    std::ostringstream what;
    what << "MEAN " << DataTypeName(type) << " " << h << "x" << w << "x" << c;
    ExpectSameOutput(RunBoth(lib, b.Finish(), r.Seed(), true), 0, what.str());
  }
}

TEST(TfLiteAgreement, QuantizedMaxPool) {
  REQUIRE_TFLITE(lib);
  RunQuantizedPools(lib, OpCode::kMaxPool2D, 31);
}

struct PostProcessCase {
  int boxes, classes, background, max_detections, classes_per_detection, per_class;
  bool regular, float_inputs;
  float score_threshold, iou_threshold;
  std::string Describe() const {
    std::ostringstream s;
    s << "TFLite_Detection_PostProcess " << (float_inputs ? "float32" : "uint8") << " boxes "
      << boxes << " classes " << classes << (background ? " + background" : "")
      << (regular ? " regular" : " fast") << " max_detections " << max_detections
      << " max_classes_per_detection " << classes_per_detection << " detections_per_class "
      << per_class << " thresholds " << score_threshold << " " << iou_threshold;
    return s.str();
  }
};

std::vector<uint8_t> PostProcessOptions(const PostProcessCase& c) {
  flexbuffers::Builder fbb;
  fbb.Map([&] {
    fbb.Int("max_detections", c.max_detections);
    fbb.Int("max_classes_per_detection", c.classes_per_detection);
    fbb.Int("detections_per_class", c.per_class);
    fbb.Bool("use_regular_nms", c.regular);
    fbb.Float("nms_score_threshold", c.score_threshold);
    fbb.Float("nms_iou_threshold", c.iou_threshold);
    fbb.Int("num_classes", c.classes);
    fbb.Float("y_scale", 10.0f);
    fbb.Float("x_scale", 10.0f);
    fbb.Float("h_scale", 5.0f);
    fbb.Float("w_scale", 5.0f);
  });
  fbb.Finish();
  return fbb.GetBuffer();
}

std::vector<uint8_t> BuildPostProcess(const PostProcessCase& c, Random& r) {
  ModelBuilder b;
  const DataType type = c.float_inputs ? DataType::kFloat32 : DataType::kUInt8;
  const int n = c.boxes;
  int32_t boxes =
      b.AddTensor({"boxes", type, {1, n, 4}, c.float_inputs ? Quantization{} : Q(0.05f, 128), {}});
  int32_t scores = b.AddTensor({"scores",
                                type,
                                {1, n, c.classes + c.background},
                                c.float_inputs ? Quantization{} : Q(1.0f / 256, 0),
                                {}});
  int32_t anchors;
  if (c.float_inputs) {
    std::vector<float> a(static_cast<size_t>(n) * 4);
    for (size_t i = 0; i < a.size(); ++i)
      a[i] = r.Int(i % 4 < 2 ? 0 : 1, i % 4 < 2 ? 100 : 50) / 100.0f;
    anchors = b.AddConstant("anchors", DataType::kFloat32, {n, 4}, a);
  } else {
    std::vector<uint8_t> a(static_cast<size_t>(n) * 4);
    for (size_t i = 0; i < a.size(); ++i)
      a[i] = static_cast<uint8_t>(r.Int(i % 4 < 2 ? 0 : 1, i % 4 < 2 ? 255 : 128));
    anchors = b.AddConstant("anchors", DataType::kUInt8, {n, 4}, a, Q(1.0f / 256, 0));
  }
  std::vector<int32_t> outs;
  for (const char* name : {"boxes_out", "classes", "scores_out", "count"}) {
    outs.push_back(b.AddTensor({name, DataType::kFloat32, {}, {}, {}}));
  }
  b.AddCustomOperator("TFLite_Detection_PostProcess", {boxes, scores, anchors}, outs,
                      PostProcessOptions(c));
  b.SetInputs({boxes, scores});
  b.SetOutputs(outs);
  return b.Finish();
}

// Float scores drawn from 21 levels so that many are equal, as uint8 ones are.
void CoarsenFloatScores(const Runs& r) {
  for (Backend* b : {r.cpu.get(), r.tflite.get()}) {
    TensorView s = b->input(1);
    if (s.type != DataType::kFloat32) continue;
    for (int64_t k = 0; k < s.num_elements(); ++k) {
      s.as<float>()[k] = std::round((s.as<float>()[k] + 1.0f) * 10.0f) / 20.0f;
    }
  }
}

// The slots TensorFlow Lite writes: fast NMS fills min(max_classes_per_detection, classes) of
// each detection's max_classes_per_detection slots and leaves the rest as they were.
void ExpectSameDetections(const Runs& r, const PostProcessCase& c) {
  if (!r.cpu) return;
  ASSERT_EQ(r.cpu->output(3).as<float>()[0], r.tflite->output(3).as<float>()[0]) << c.Describe();
  const int count = static_cast<int>(r.cpu->output(3).as<float>()[0]);
  const int slots = c.regular ? c.max_detections : count * c.classes_per_detection;
  for (size_t o = 0; o < 3; ++o) {
    ASSERT_EQ(r.cpu->output(o).shape, r.tflite->output(o).shape) << c.Describe();
    const int per_slot = o == 0 ? 4 : 1;
    for (int slot = 0; slot < slots; ++slot) {
      if (!c.regular &&
          slot % c.classes_per_detection >= std::min(c.classes_per_detection, c.classes))
        continue;
      for (int k = 0; k < per_slot; ++k) {
        const int at = slot * per_slot + k;
        ASSERT_EQ(r.cpu->output(o).as<float>()[at], r.tflite->output(o).as<float>()[at])
            << c.Describe() << ": output " << o << " element " << at;
      }
    }
  }
}

TEST(TfLiteAgreement, DetectionPostProcess) {
  REQUIRE_TFLITE(lib);
  Random r(41);
  for (int i = 0; i < 160; ++i) {
    PostProcessCase c{r.Int(1, 300),      r.Int(1, 12),      r.Int(0, 1), r.Int(1, 20),
                      r.Int(1, 3),        r.Int(1, 10),      i % 2 == 1,  i % 4 >= 2,
                      r.Real(0.0f, 0.9f), r.Real(0.1f, 1.0f)};
    Runs runs = RunBoth(lib, BuildPostProcess(c, r), r.Seed());
    if (!runs.cpu) continue;
    CoarsenFloatScores(runs);
    ASSERT_TRUE(runs.cpu->Invoke().ok());
    ASSERT_TRUE(runs.tflite->Invoke().ok());
    ExpectSameDetections(runs, c);
  }
}

}  // namespace
}  // namespace coralpi

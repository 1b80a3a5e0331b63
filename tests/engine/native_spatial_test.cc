// The own kernels of uint8 RESIZE_BILINEAR and 8-bit ARG_MAX (engine/native/spatial.cc) against
// the reference kernels, bit for bit, on generated one-operator models: resize with channel
// counts around the 16-lane blocks, every coordinate mode, up- and downscaling; ARG_MAX over
// every row length from 1 to 64 with many ties, uint8 and int8, int32 and int64 indices; 1 and
// 2 threads. On a CPU without AVX-512 VNNI the own kernels do not run and the tests skip.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "engine/cpu_engine.h"
#include "engine/native/cpu_isa.h"
#include "engine/native/native_node.h"
#include "engine_test_util.h"
#include "model/builder.h"

namespace coralpi::testing {
namespace {

struct Output {
  std::vector<uint8_t> bytes;
  int native_nodes = 0;
};

// Runs the model with the own kernels (`own`) or on the reference kernels, inputs from `fill`.
Output RunModel(const std::vector<uint8_t>& bytes, bool own, int threads,
                const std::function<void(const TensorView&)>& fill) {
  CpuEngineOptions options;
  options.threads = threads;
  options.use_xnnpack = own;
  options.native_kernels = own;
  auto engine = InvokedEngine(bytes, options, [&](CpuEngine& e) { fill(e.input(0)); });
  Output r;
  if (!engine) return r;
  r.native_nodes = engine->native_node_count();
  r.bytes = OutputBytes(*engine, 0);
  return r;
}

class NativeSpatial : public ::testing::Test {
 protected:
  void SetUp() override {
    if (native::DetectedIsa() < native::CpuIsa::kAvx512Vnni)
      GTEST_SKIP() << "this CPU has no AVX-512 VNNI: no own kernels run";
  }
  void TearDown() override { native::SplitEveryNode(false); }

  // The own kernel equals the reference on 1 and 2 threads; `native` says whether one must run.
  void Check(const std::vector<uint8_t>& bytes, const std::function<void(const TensorView&)>& fill,
             bool native, const std::string& what) {
    const Output expected = RunModel(bytes, false, 1, fill);
    for (int threads : {1, 2}) {
      native::SplitEveryNode(threads > 1);
      const Output got = RunModel(bytes, true, threads, fill);
      EXPECT_EQ(got.native_nodes, native ? 1 : 0) << what;
      ASSERT_EQ(got.bytes.size(), expected.bytes.size()) << what;
      size_t differing = 0;
      for (size_t i = 0; i < got.bytes.size(); ++i) differing += got.bytes[i] != expected.bytes[i];
      EXPECT_EQ(differing, 0u) << differing << " of " << got.bytes.size() << " bytes differ, "
                               << threads << " threads: " << what;
    }
  }
};

std::vector<uint8_t> ResizeModel(const Shape& in, int32_t out_h, int32_t out_w,
                                 const ResizeOptions& opt) {
  ModelBuilder b;
  const int32_t x = b.AddTensor({"x", DataType::kUInt8, in, Q(0.1f, 7), {}});
  const int32_t size =
      b.AddConstant<int32_t>("size", DataType::kInt32, {2}, std::vector<int32_t>{out_h, out_w});
  const int32_t y =
      b.AddTensor({"y", DataType::kUInt8, {in[0], out_h, out_w, in[3]}, Q(0.1f, 7), {}});
  b.AddOperator(OpCode::kResizeBilinear, {x, size}, {y}, opt);
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

TEST_F(NativeSpatial, ResizeBilinearUInt8) {
  std::mt19937 rng(77);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const ResizeOptions modes[] = {{false, false}, {true, false}, {false, true}};
  for (int channels : {1, 3, 15, 16, 17, 21, 31, 32, 33, 64, 70}) {
    for (int i = 0; i < 6; ++i) {
      const Shape in{pick(1, 2), pick(1, 9), pick(1, 9), channels};
      const int32_t out_h = pick(1, 40), out_w = pick(1, 40);
      const ResizeOptions& opt = modes[static_cast<size_t>(pick(0, 2))];
      std::ostringstream what;
      what << "RESIZE_BILINEAR " << ShapeToString(in) << " to " << out_h << "x" << out_w
           << (opt.align_corners ? " align_corners" : "")
           << (opt.half_pixel_centers ? " half_pixel_centers" : "");
      // Random bytes, with the extremes 0 and 255 often (the rounding at the top of the range).
      auto fill = [seed = rng()](const TensorView& t) {
        std::mt19937 r(seed);
        auto* d = static_cast<uint8_t*>(t.data);
        for (int64_t k = 0; k < t.num_elements(); ++k) {
          const uint32_t v = r();
          d[k] = v % 4 == 0 ? 255 : v % 4 == 1 ? 0 : static_cast<uint8_t>(v >> 8);
        }
      };
      Check(ResizeModel(in, out_h, out_w, opt), fill, true, what.str());
    }
  }
}

std::vector<uint8_t> ArgMaxModel(DataType type, const Shape& in, DataType index_type,
                                 DataType axis_type, int64_t axis) {
  ModelBuilder b;
  const int32_t x = b.AddTensor({"x", type, in, Q(0.5f, type == DataType::kUInt8 ? 3 : -3), {}});
  const int32_t a =
      axis_type == DataType::kInt32
          ? b.AddConstant<int32_t>("axis", axis_type, {1},
                                   std::vector<int32_t>{static_cast<int32_t>(axis)})
          : b.AddConstant<int64_t>("axis", axis_type, {1}, std::vector<int64_t>{axis});
  Shape out_shape = in;
  out_shape.erase(out_shape.begin() + (axis < 0 ? axis + static_cast<int64_t>(in.size()) : axis));
  const int32_t y = b.AddTensor({"y", index_type, out_shape, {}, {}});
  b.AddOperator(OpCode::kArgMax, {x, a}, {y}, ArgMaxOptions{index_type});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

TEST_F(NativeSpatial, ArgMaxEveryRowLength) {
  std::mt19937 rng(91);
  for (DataType type : {DataType::kUInt8, DataType::kInt8}) {
    for (int size = 1; size <= 65; ++size) {
      const Shape in{1, 1 + static_cast<int32_t>(rng() % 7), 1 + static_cast<int32_t>(rng() % 40),
                     size};
      const DataType index = size % 2 ? DataType::kInt32 : DataType::kInt64;
      const DataType axis_type = size % 3 ? DataType::kInt32 : DataType::kInt64;
      const int64_t axis = size % 5 ? 3 : -1;
      std::ostringstream what;
      what << "ARG_MAX " << DataTypeName(type) << " " << ShapeToString(in) << " axis " << axis;
      // Few distinct values, so most rows have ties; the byte values at both ends of each
      // type's order (0, 127, 128, 255).
      auto fill = [seed = rng()](const TensorView& t) {
        std::mt19937 r(seed);
        const uint8_t values[] = {0, 1, 127, 128, 129, 254, 255};
        auto* d = static_cast<uint8_t*>(t.data);
        for (int64_t k = 0; k < t.num_elements(); ++k) d[k] = values[r() % 7];
      };
      // Rows longer than 64 stay on the reference kernel.
      Check(ArgMaxModel(type, in, index, axis_type, axis), fill, size <= 64, what.str());
    }
  }
}

TEST_F(NativeSpatial, ArgMaxAlongAnotherAxisStaysOnTheReference) {
  auto fill = [](const TensorView& t) {
    auto* d = static_cast<uint8_t*>(t.data);
    for (int64_t k = 0; k < t.num_elements(); ++k) d[k] = static_cast<uint8_t>(k * 37);
  };
  Check(ArgMaxModel(DataType::kUInt8, {1, 5, 6, 7}, DataType::kInt32, DataType::kInt32, 2), fill,
        false, "ARG_MAX axis 2");
}

}  // namespace
}  // namespace coralpi::testing

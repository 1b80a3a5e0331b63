// Per-operator conformance of the spatial operators (MAX_POOL_2D, windowed AVERAGE_POOL_2D,
// RESIZE_BILINEAR): on generated one-operator models with random shapes, windows, strides,
// paddings, coordinate modes, zero points and activations, the XNNPACK path equals the reference
// kernels bit for bit on uint8 and int8, and within 1e-4 (relative to the output's magnitude) on
// float32. RESIZE_NEAREST_NEIGHBOR and quantized windowed average pooling have no XNNPACK node,
// and uint8 RESIZE_BILINEAR is kept off XNNPACK (it rounds differently from TensorFlow Lite);
// the test checks that they are placed on the reference kernels.
#include <sstream>
#include <string>

#include "engine/xnnpack/version.h"
#include "engine_test_util.h"
#include "reference_conv_shapes.h"

namespace coralpi::testing {
namespace {

class Random : public ParamGen {
 public:
  using ParamGen::ParamGen;
  // Per-tensor quantization for `type` (none for float32). The zero point stays below the type's
  // maximum, where RELU and RELU6 would leave a single output value (see
  // MaxPoolSingleValueRangeStaysOnReference).
  Quantization Quant(DataType type) {
    if (type == DataType::kFloat32) return {};
    return Q(Real(0.01f, 0.1f), type == DataType::kUInt8 ? Int(0, 254) : Int(-128, 126));
  }
};

// One input and one output of `type` sharing `q` (pools and resizes do not requantize).
struct OneOpModel {
  ModelBuilder b;
  int32_t in, out;
  OneOpModel(DataType type, const Quantization& q, Shape in_shape, Shape out_shape) {
    in = b.AddTensor({"in", type, std::move(in_shape), q, {}});
    out = b.AddTensor({"out", type, std::move(out_shape), q, {}});
    b.SetInputs({in});
    b.SetOutputs({out});
  }
};

struct PoolCase {
  OpCode code;
  DataType type;
  int batch, h, w, c, kh, kw, stride_h, stride_w;
  Padding padding;
  Activation act;
  std::string Describe() const {
    std::ostringstream s;
    s << OpCodeName(static_cast<int32_t>(code)) << " " << DataTypeName(type) << " in " << batch
      << "x" << h << "x" << w << "x" << c << " window " << kh << "x" << kw << " stride " << stride_h
      << "x" << stride_w << (padding == Padding::kSame ? " SAME " : " VALID ")
      << ActivationName(act);
    return s.str();
  }
};

// A random pool whose output is not empty.
PoolCase RandomPool(Random& r, OpCode code, DataType type) {
  for (;;) {
    PoolCase p{code,
               type,
               r.Int(1, 2),
               r.Int(1, 12),
               r.Int(1, 12),
               r.Int(1, 10),
               r.Int(1, 4),
               r.Int(1, 4),
               r.Int(1, 3),
               r.Int(1, 3),
               r.Int(0, 1) ? Padding::kSame : Padding::kValid,
               r.Act()};
    if (p.kh * p.kw == 1) continue;  // XNNPACK refuses 1x1 windows; the engine keeps them
    if (OutSize(p.padding, p.h, p.kh, p.stride_h, 1) < 1 ||
        OutSize(p.padding, p.w, p.kw, p.stride_w, 1) < 1)
      continue;
    return p;
  }
}

std::vector<uint8_t> BuildPool(const PoolCase& p, Random& r) {
  const int oh = OutSize(p.padding, p.h, p.kh, p.stride_h, 1);
  const int ow = OutSize(p.padding, p.w, p.kw, p.stride_w, 1);
  OneOpModel m(p.type, r.Quant(p.type), {p.batch, p.h, p.w, p.c}, {p.batch, oh, ow, p.c});
  m.b.AddOperator(p.code, {m.in}, {m.out},
                  Pool2DOptions{p.padding, p.stride_w, p.stride_h, p.kw, p.kh, p.act});
  return m.b.Finish();
}

// XNNPACK 2024's max pooling refuses a stride above the window in either dimension (2022 pooled
// those windows); the engine runs them on the reference kernel.
bool ThisXnnpackRefuses(const PoolCase& p) {
  return p.code == OpCode::kMaxPool2D && std::string(xnnpack::ApiName()) == "2024" &&
         (p.stride_h > p.kh || p.stride_w > p.kw);
}

void RunPools(OpCode code, DataType type, uint32_t seed, int expected_xnnpack_nodes) {
  Random r(seed);
  for (int i = 0; i < 40; ++i) {
    const PoolCase p = RandomPool(r, code, type);
    BothRuns runs = RunBoth(BuildPool(p, r), seed + static_cast<uint32_t>(i), 1 + i % 2);
    const int expected = ThisXnnpackRefuses(p) ? 0 : expected_xnnpack_nodes;
    ASSERT_EQ(runs.xnnpack_nodes, expected) << p.Describe() << " (XNNPACK " << xnnpack::ApiName()
                                            << ")";
    ExpectEqualOutputs(runs, p.Describe());
  }
}

TEST(OpConformanceSpatial, MaxPoolUInt8) { RunPools(OpCode::kMaxPool2D, DataType::kUInt8, 100, 1); }
TEST(OpConformanceSpatial, MaxPoolInt8) { RunPools(OpCode::kMaxPool2D, DataType::kInt8, 200, 1); }
TEST(OpConformanceSpatial, MaxPoolFloat) {
  RunPools(OpCode::kMaxPool2D, DataType::kFloat32, 300, 1);
}
TEST(OpConformanceSpatial, AveragePoolFloat) {
  RunPools(OpCode::kAveragePool2D, DataType::kFloat32, 400, 1);
}
// Quantized windowed average pooling runs on the reference kernel both times (TFLite's
// rounding; covered by the reference tests): the engine must not hand it to XNNPACK.
TEST(OpConformanceSpatial, AveragePoolQuantizedStaysOnReference) {
  RunPools(OpCode::kAveragePool2D, DataType::kUInt8, 500, 0);
  RunPools(OpCode::kAveragePool2D, DataType::kInt8, 600, 0);
}

// RELU6 on an int8 output with zero point 127 allows one value, 127. XNNPACK refuses such a range,
// so the engine keeps the node on the reference kernel, which outputs that value everywhere.
TEST(OpConformanceSpatial, MaxPoolSingleValueRangeStaysOnReference) {
  OneOpModel m(DataType::kInt8, Q(0.05f, 127), {1, 4, 4, 3}, {1, 2, 2, 3});
  m.b.AddOperator(OpCode::kMaxPool2D, {m.in}, {m.out},
                  Pool2DOptions{Padding::kValid, 2, 2, 2, 2, Activation::kRelu6});
  BothRuns runs = RunBoth(m.b.Finish(), 7);
  EXPECT_EQ(runs.xnnpack_nodes, 0);
  ASSERT_EQ(runs.reference.size(), 1u);
  EXPECT_EQ(runs.reference[0], std::vector<uint8_t>(12, 127));
  ExpectEqualOutputs(runs, "MAX_POOL_2D int8 RELU6 zero point 127");
}

struct ResizeCase {
  OpCode code;
  DataType type;
  int batch, h, w, c, out_h, out_w;
  ResizeOptions mode;
  std::string Describe() const {
    std::ostringstream s;
    s << OpCodeName(static_cast<int32_t>(code)) << " " << DataTypeName(type) << " " << batch << "x"
      << h << "x" << w << "x" << c << " -> " << out_h << "x" << out_w
      << (mode.align_corners ? " align_corners" : "")
      << (mode.half_pixel_centers ? " half_pixel_centers" : "");
    return s.str();
  }
};

std::vector<uint8_t> BuildResize(const ResizeCase& rc, Random& r) {
  OneOpModel m(rc.type, r.Quant(rc.type), {rc.batch, rc.h, rc.w, rc.c},
               {rc.batch, rc.out_h, rc.out_w, rc.c});
  int32_t size =
      m.b.AddConstant("size", DataType::kInt32, {2}, std::vector<int32_t>{rc.out_h, rc.out_w});
  m.b.AddOperator(rc.code, {m.in, size}, {m.out}, rc.mode);
  return m.b.Finish();
}

void RunResizes(OpCode code, DataType type, uint32_t seed, int expected_xnnpack_nodes) {
  Random r(seed);
  const ResizeOptions modes[] = {{false, false}, {true, false}, {false, true}};
  for (int i = 0; i < 45; ++i) {
    ResizeCase rc{code,         type,         r.Int(1, 2),  r.Int(1, 9), r.Int(1, 9),
                  r.Int(1, 20), r.Int(1, 17), r.Int(1, 17), modes[i % 3]};
    BothRuns runs = RunBoth(BuildResize(rc, r), seed + static_cast<uint32_t>(i), 1 + i % 2);
    ASSERT_EQ(runs.xnnpack_nodes, expected_xnnpack_nodes) << rc.Describe();
    ExpectEqualOutputs(runs, rc.Describe());
  }
}

TEST(OpConformanceSpatial, ResizeBilinearInt8) {
  RunResizes(OpCode::kResizeBilinear, DataType::kInt8, 800, 1);
}
TEST(OpConformanceSpatial, ResizeBilinearFloat) {
  RunResizes(OpCode::kResizeBilinear, DataType::kFloat32, 900, 1);
}
TEST(OpConformanceSpatial, ResizeNearestNeighborStaysOnReference) {
  RunResizes(OpCode::kResizeNearestNeighbor, DataType::kUInt8, 1000, 0);
}
TEST(OpConformanceSpatial, ResizeBilinearUInt8StaysOnReference) {
  RunResizes(OpCode::kResizeBilinear, DataType::kUInt8, 700, 0);
}

// DeepLab's shape: 33x33 -> 513x513, a large upscale with align_corners (in int8: XNNPACK does
// not take uint8, see ResizeBilinearUInt8StaysOnReference).
TEST(OpConformanceSpatial, ResizeBilinearLargeUpscale) {
  Random r(1100);
  ResizeCase rc{OpCode::kResizeBilinear, DataType::kInt8, 1, 33, 33, 21, 513, 513, {true, false}};
  BothRuns runs = RunBoth(BuildResize(rc, r), 1100, 2);
  ASSERT_EQ(runs.xnnpack_nodes, 1);
  ExpectEqualOutputs(runs, rc.Describe());
}

// Where XNNPACK does not take a node, placement (and so `inspect`) says why.
std::string PlacementReason(std::vector<uint8_t> bytes) {
  auto model = Model::FromBytes(std::move(bytes), "generated.tflite");
  EXPECT_TRUE(model.ok());
  if (!model.ok()) return "";
  // Why XNNPACK does not take it (the own kernels, where the CPU has them, may run it instead).
  std::vector<NodePlacement> p = PlanPlacement(**model, true, /*native_kernels=*/false);
  EXPECT_TRUE(p.at(0).supported) << p.at(0).reason;
  EXPECT_FALSE(p.at(0).xnnpack);
  return p.at(0).reason;
}

TEST(OpConformanceSpatial, PlacementSaysWhyXnnpackDoesNotTakeANode) {
  Random r(1200);
  PoolCase avg{OpCode::kAveragePool2D, DataType::kUInt8, 1, 5, 5, 3, 3, 3, 1, 1,
               Padding::kValid,        Activation::kNone};
  EXPECT_NE(PlacementReason(BuildPool(avg, r)).find("no quantized windowed average pooling"),
            std::string::npos);
  PoolCase one{OpCode::kMaxPool2D, DataType::kFloat32, 1, 5, 5, 3, 1, 1, 2, 2,
               Padding::kValid,    Activation::kNone};
  EXPECT_NE(PlacementReason(BuildPool(one, r)).find("1x1 window"), std::string::npos);
  ResizeCase nearest{OpCode::kResizeNearestNeighbor, DataType::kInt8, 1, 4, 4, 2, 8, 8, {}};
  EXPECT_NE(PlacementReason(BuildResize(nearest, r)).find("no nearest-neighbour resize"),
            std::string::npos);
  ResizeCase bilinear{OpCode::kResizeBilinear, DataType::kUInt8, 1, 4, 4, 2, 8, 8, {true, false}};
  EXPECT_NE(PlacementReason(BuildResize(bilinear, r)).find("rounds quantized bilinear resizing"),
            std::string::npos);
}

}  // namespace
}  // namespace coralpi::testing

#include "engine_test_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace coralpi::testing {

void FillRandomInputs(CpuEngine& engine, uint32_t seed) {
  std::mt19937 rng(seed);
  for (size_t i = 0; i < engine.input_count(); ++i) FillRandom(engine.input(i), rng);
}

static std::vector<std::vector<uint8_t>> RunOnce(std::shared_ptr<const Model> model, bool xnnpack,
                                                 int threads, const InputFill& fill,
                                                 int* xnn_nodes) {
  CpuEngineOptions options{threads, xnnpack};
  options.native_kernels = false;  // XNNPACK itself against the reference kernels
  auto engine = CpuEngine::Create(model, options);
  EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().message);
  if (!engine.ok()) return {};
  fill(**engine);
  Status s = (*engine)->Invoke();
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  if (xnn_nodes) *xnn_nodes = (*engine)->xnnpack_node_count();
  std::vector<std::vector<uint8_t>> outs;
  for (size_t i = 0; i < (*engine)->output_count(); ++i) {
    TensorView o = (*engine)->output(i);
    auto* p = static_cast<const uint8_t*>(o.data);
    outs.emplace_back(p, p + o.num_elements() * static_cast<int64_t>(ElementSize(o.type)));
  }
  return outs;
}

std::unique_ptr<CpuEngine> InvokedEngine(const std::vector<uint8_t>& bytes,
                                         const CpuEngineOptions& options, const InputFill& fill) {
  auto model = Model::FromBytes(bytes, "generated.tflite");
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().message);
  if (!model.ok()) return nullptr;
  auto engine = CpuEngine::Create(std::move(*model), options);
  EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().message);
  if (!engine.ok()) return nullptr;
  fill(**engine);
  Status s = (*engine)->Invoke();
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  if (!s.ok()) return nullptr;
  return std::move(*engine);
}

std::vector<uint8_t> OutputBytes(const CpuEngine& engine, size_t i) {
  TensorView o = engine.output(i);
  auto* p = static_cast<const uint8_t*>(o.data);
  return {p, p + o.num_elements() * static_cast<int64_t>(ElementSize(o.type))};
}

BothRuns RunBoth(const std::vector<uint8_t>& model_bytes, uint32_t seed, int threads) {
  return RunBoth(
      model_bytes, [seed](CpuEngine& e) { FillRandomInputs(e, seed); }, threads);
}

double MaxAbsDiff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, DataType type) {
  double worst = 0;
  size_t n = a.size() / std::max<size_t>(ElementSize(type), 1);
  for (size_t i = 0; i < n && a.size() == b.size(); ++i) {
    double x = 0, y = 0;
    switch (type) {
      case DataType::kFloat32: {
        float fx, fy;
        std::memcpy(&fx, &a[i * 4], 4);
        std::memcpy(&fy, &b[i * 4], 4);
        x = fx;
        y = fy;
        break;
      }
      case DataType::kUInt8:
        x = a[i];
        y = b[i];
        break;
      case DataType::kInt8:
        x = static_cast<int8_t>(a[i]);
        y = static_cast<int8_t>(b[i]);
        break;
      default:
        x = a[i];
        y = b[i];
        break;
    }
    worst = std::max(worst, std::fabs(x - y));
  }
  return worst;
}

BothRuns RunBoth(const std::vector<uint8_t>& model_bytes, const InputFill& fill, int threads) {
  BothRuns r;
  auto model = Model::FromBytes(model_bytes, "generated.tflite");
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().message);
  if (!model.ok()) return r;
  r.xnnpack = RunOnce(*model, true, threads, fill, &r.xnnpack_nodes);
  r.reference = RunOnce(*model, false, 1, fill, nullptr);
  for (int32_t o : (*model)->main_graph().outputs)
    r.types.push_back((*model)->main_graph().tensors[o].type);
  return r;
}

InputFill FillUniform(float lo, float hi, uint32_t seed) {
  return [=](CpuEngine& engine) {
    FillRandomInputs(engine, seed);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(lo, hi);
    for (size_t i = 0; i < engine.input_count(); ++i) {
      TensorView in = engine.input(i);
      if (in.type != DataType::kFloat32) continue;
      for (int64_t k = 0; k < in.num_elements(); ++k) in.as<float>()[k] = d(rng);
    }
  };
}

void ExpectEqualOutputs(const BothRuns& r, const std::string& what) {
  ASSERT_EQ(r.xnnpack.size(), r.reference.size()) << what;
  for (size_t i = 0; i < r.xnnpack.size(); ++i) {
    if (r.types[i] == DataType::kFloat32) {
      double scale = 1.0;
      for (size_t k = 0; k + 4 <= r.reference[i].size(); k += 4) {
        float v;
        std::memcpy(&v, &r.reference[i][k], 4);
        scale = std::max(scale, static_cast<double>(std::fabs(v)));
      }
      EXPECT_LE(MaxAbsDiff(r.xnnpack[i], r.reference[i], r.types[i]), 1e-4 * scale) << what;
    } else {
      EXPECT_EQ(MaxAbsDiff(r.xnnpack[i], r.reference[i], r.types[i]), 0.0) << what;
    }
  }
}

float ParamGen::Scale(float lo, float hi) { return std::exp(Real(std::log(lo), std::log(hi))); }

int64_t ParamGen::Zp(DataType t) {
  return t == DataType::kUInt8 ? Int(0, 255) : t == DataType::kInt8 ? Int(-128, 127) : 0;
}

Activation ParamGen::Act() {
  const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6,
                             Activation::kReluN1To1};
  return acts[Int(0, 3)];
}

}  // namespace coralpi::testing

namespace coralpi::testing {

std::vector<uint8_t> OneNodeModel(OpCode code, const Shape& in_shape,
                                  const std::vector<IndexInput>& index_inputs,
                                  const Shape& out_shape, const OpOptions& options,
                                  DataType out_type) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, in_shape, {}, {}});
  std::vector<int32_t> inputs = {in};
  for (const IndexInput& index : index_inputs) {
    inputs.push_back(b.AddConstant("index", DataType::kInt32, index.shape, index.values));
  }
  int32_t out = b.AddTensor({"out", out_type, out_shape, {}, {}});
  b.AddOperator(code, inputs, {out}, options);
  b.SetInputs({in});
  b.SetOutputs({out});
  return b.Finish();
}

}  // namespace coralpi::testing

namespace coralpi::testing {

void FillRandom(const TensorView& t, std::mt19937& rng) {
  if (t.type == DataType::kFloat32) {
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    for (int64_t k = 0; k < t.num_elements(); ++k) t.as<float>()[k] = d(rng);
    return;
  }
  const size_t bytes = static_cast<size_t>(t.num_elements()) * ElementSize(t.type);
  for (size_t k = 0; k < bytes; ++k) static_cast<uint8_t*>(t.data)[k] = static_cast<uint8_t>(rng());
}

}  // namespace coralpi::testing

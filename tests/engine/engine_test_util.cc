#include "engine_test_util.h"

#include <cmath>
#include <cstring>

namespace coralpi::testing {

void FillRandomInputs(CpuEngine& engine, uint32_t seed) {
  std::mt19937 rng(seed);
  for (size_t i = 0; i < engine.input_count(); ++i) {
    TensorView in = engine.input(i);
    if (in.type == DataType::kFloat32) {
      std::uniform_real_distribution<float> d(-1.0f, 1.0f);
      for (int64_t k = 0; k < in.num_elements(); ++k) in.as<float>()[k] = d(rng);
    } else {
      size_t bytes = static_cast<size_t>(in.num_elements()) * ElementSize(in.type);
      for (size_t k = 0; k < bytes; ++k)
        static_cast<uint8_t*>(in.data)[k] = static_cast<uint8_t>(rng());
    }
  }
}

static std::vector<std::vector<uint8_t>> RunOnce(std::shared_ptr<const Model> model, bool xnnpack,
                                                 int threads, uint32_t seed, int* xnn_nodes) {
  CpuEngineOptions options{threads, xnnpack};
  options.native_kernels = false;  // XNNPACK itself against the reference kernels
  auto engine = CpuEngine::Create(model, options);
  EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().message);
  if (!engine.ok()) return {};
  FillRandomInputs(**engine, seed);
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

BothRuns RunBoth(const std::vector<uint8_t>& model_bytes, uint32_t seed, int threads) {
  BothRuns r;
  auto model = Model::FromBytes(model_bytes, "generated.tflite");
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().message);
  if (!model.ok()) return r;
  r.xnnpack = RunOnce(*model, true, threads, seed, &r.xnnpack_nodes);
  r.reference = RunOnce(*model, false, 1, seed, nullptr);
  for (int32_t o : (*model)->main_graph().outputs)
    r.types.push_back((*model)->main_graph().tensors[o].type);
  return r;
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

}  // namespace coralpi::testing

// The CPU engine behind the Backend interface.
#include "backend/backend.h"
#include "engine/cpu_engine.h"
#include "engine/native/native_node.h"

namespace coralpi {
namespace {

class CpuBackend : public Backend {
 public:
  CpuBackend(std::unique_ptr<CpuEngine> engine, std::string name, std::string details,
             std::shared_ptr<const void> keep)
      : keep_(std::move(keep)),
        engine_(std::move(engine)),
        name_(std::move(name)),
        details_(std::move(details)) {}
  std::string name() const override { return name_; }
  std::string details() const override { return details_; }
  size_t input_count() const override { return engine_->input_count(); }
  size_t output_count() const override { return engine_->output_count(); }
  TensorView input(size_t i) override { return engine_->input(i); }
  TensorView output(size_t i) override { return engine_->output(i); }
  Status Invoke() override { return engine_->Invoke(); }

 private:
  std::shared_ptr<const void> keep_;  // declared first: released after the engine
  std::unique_ptr<CpuEngine> engine_;
  std::string name_, details_;
};

}  // namespace

std::unique_ptr<Backend> WrapCpuEngine(std::unique_ptr<CpuEngine> engine, std::string name,
                                       std::string details, std::shared_ptr<const void> keep) {
  return std::make_unique<CpuBackend>(std::move(engine), std::move(name), std::move(details),
                                      std::move(keep));
}

Result<std::unique_ptr<Backend>> CreateCpuBackend(std::shared_ptr<const Model> model,
                                                  const CpuBackendOptions& options) {
  CpuEngineOptions engine_options;
  engine_options.threads = options.threads;
  engine_options.use_xnnpack = !options.reference_kernels;
  CORALPI_ASSIGN_OR_RETURN(auto engine, CpuEngine::Create(std::move(model), engine_options));
  std::string details;
  if (engine->native_node_count() > 0) {
    details = std::to_string(engine->native_node_count()) + " on own " + native::RunnerName() +
              " kernels, ";
  }
  details += std::to_string(engine->xnnpack_node_count()) + " operators on XNNPACK, " +
             std::to_string(engine->reference_node_count()) + " on reference kernels" +
             engine->folded_summary();
  return WrapCpuEngine(std::move(engine), "cpu", std::move(details));
}

}  // namespace coralpi

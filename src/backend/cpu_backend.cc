// The CPU engine behind the Backend interface.
#include "backend/backend.h"
#include "engine/cpu_engine.h"
#include "engine/native/native_node.h"

namespace coralpi {
namespace {

class CpuBackend : public Backend {
 public:
  explicit CpuBackend(std::unique_ptr<CpuEngine> engine) : engine_(std::move(engine)) {}
  std::string name() const override { return "cpu"; }
  std::string details() const override {
    std::string own;
    if (engine_->native_node_count() > 0) {
      own = std::to_string(engine_->native_node_count()) + " on own " + native::RunnerName() +
            " kernels, ";
    }
    return own + std::to_string(engine_->xnnpack_node_count()) + " operators on XNNPACK, " +
           std::to_string(engine_->reference_node_count()) + " on reference kernels";
  }
  size_t input_count() const override { return engine_->input_count(); }
  size_t output_count() const override { return engine_->output_count(); }
  TensorView input(size_t i) override { return engine_->input(i); }
  TensorView output(size_t i) override { return engine_->output(i); }
  Status Invoke() override { return engine_->Invoke(); }

 private:
  std::unique_ptr<CpuEngine> engine_;
};

}  // namespace

Result<std::unique_ptr<Backend>> CreateCpuBackend(std::shared_ptr<const Model> model,
                                                  const CpuBackendOptions& options) {
  CORALPI_ASSIGN_OR_RETURN(auto engine,
                           CpuEngine::Create(std::move(model), {options.threads, !options.reference_kernels}));
  return std::unique_ptr<Backend>(new CpuBackend(std::move(engine)));
}

}  // namespace coralpi

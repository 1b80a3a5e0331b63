// The TensorFlow Lite C-API interpreter as a Backend; see tflite_interpreter.h.
#include "backend/tflite_interpreter.h"

#include <cstdarg>
#include <cstdio>

namespace coralpi {
namespace {

// Collects what TensorFlow Lite reports through its error reporter.
struct ErrorLog {
  std::string text;

  static void Report(void* user_data, const char* format, va_list args) {
    auto* log = static_cast<ErrorLog*>(user_data);
    char buf[1024];
    int n = std::vsnprintf(buf, sizeof buf, format, args);
    if (n < 0) return;
    if (!log->text.empty()) log->text += "; ";
    log->text += buf;
    if (log->text.size() > 4096) log->text.resize(4096);
  }
  std::string Take() {
    std::string t = text.empty() ? "no message from TensorFlow Lite" : text;
    text.clear();
    return t;
  }
};

struct TensorSlot {
  const capi::TfLiteTensor* tensor = nullptr;
  std::unique_ptr<Quantization> quant;  // kept alive for the TensorView
  TensorView view;
};

class InterpreterBackend : public Backend {
 public:
  InterpreterBackend(InterpreterSpec spec) : spec_(std::move(spec)), log_(new ErrorLog) {}
  ~InterpreterBackend() override {
    const capi::TfLiteApi& a = spec_.lib->api;
    if (interpreter_) a.TfLiteInterpreterDelete(interpreter_);
    spec_.delegates.clear();  // after the interpreter that uses them
    if (model_) a.TfLiteModelDelete(model_);
  }

  Status Init();

  std::string name() const override { return spec_.name; }
  std::string details() const override { return spec_.details; }
  size_t input_count() const override { return inputs_.size(); }
  size_t output_count() const override { return outputs_.size(); }
  TensorView input(size_t i) override { return Refresh(inputs_[i]); }
  TensorView output(size_t i) override { return Refresh(outputs_[i]); }
  Status Invoke() override {
    capi::TfLiteStatus s = spec_.lib->api.TfLiteInterpreterInvoke(interpreter_);
    if (s != capi::kTfLiteOk) {
      return MakeError(spec_.model.model->name(),
                       spec_.name + " backend: Invoke failed (TfLiteStatus " +
                           std::to_string(static_cast<int>(s)) + "): " + log_->Take());
    }
    return OkStatus();
  }

 private:
  // Tensor memory belongs to TensorFlow Lite and may move when it reallocates.
  TensorView Refresh(TensorSlot& slot) {
    slot.view.data = spec_.lib->api.TfLiteTensorData(slot.tensor);
    return slot.view;
  }
  Result<TensorSlot> Describe(const capi::TfLiteTensor* t, const std::string& what);

  InterpreterSpec spec_;
  std::unique_ptr<ErrorLog> log_;
  capi::TfLiteModel* model_ = nullptr;
  capi::TfLiteInterpreter* interpreter_ = nullptr;
  std::vector<TensorSlot> inputs_, outputs_;
};

Result<TensorSlot> InterpreterBackend::Describe(const capi::TfLiteTensor* t,
                                                const std::string& what) {
  const capi::TfLiteApi& a = spec_.lib->api;
  const std::string where = spec_.model.model->name() + ": " + what;
  if (!t) return MakeError(where, "TensorFlow Lite returned no tensor");
  TensorSlot slot;
  slot.tensor = t;
  CORALPI_ASSIGN_OR_RETURN(slot.view.type, FromTfLiteType(a.TfLiteTensorType(t)));
  int32_t dims = a.TfLiteTensorNumDims(t);
  if (dims < 0 || dims > 8) return MakeError(where, "has " + std::to_string(dims) + " dimensions");
  for (int32_t d = 0; d < dims; ++d) slot.view.shape.push_back(a.TfLiteTensorDim(t, d));
  int64_t elements = NumElements(slot.view.shape);
  size_t expected = elements < 0 ? 0 : static_cast<size_t>(elements) * ElementSize(slot.view.type);
  size_t bytes = a.TfLiteTensorByteSize(t);
  if (elements < 0 || bytes != expected) {
    return MakeError(where, "TensorFlow Lite reports " + std::to_string(bytes) +
                                " bytes for shape " + ShapeToString(slot.view.shape));
  }
  if (bytes > 0 && !a.TfLiteTensorData(t)) return MakeError(where, "has no memory allocated");
  capi::TfLiteQuantizationParams q = a.TfLiteTensorQuantizationParams(t);
  slot.quant = std::make_unique<Quantization>();
  if (q.scale != 0.0f) {
    slot.quant->scale = {q.scale};
    slot.quant->zero_point = {q.zero_point};
  }
  slot.view.quant = slot.quant.get();
  slot.view.data = a.TfLiteTensorData(t);
  return slot;
}

Status InterpreterBackend::Init() {
  const capi::TfLiteApi& a = spec_.lib->api;
  const std::string where = spec_.model.model->name();
  const std::span<const uint8_t> bytes = spec_.model.bytes();
  model_ = a.TfLiteModelCreate(bytes.data(), bytes.size());
  if (!model_) {
    return MakeError(where, "TensorFlow Lite " + spec_.lib->version + " cannot read the model");
  }
  capi::TfLiteInterpreterOptions* options = a.TfLiteInterpreterOptionsCreate();
  if (!options) return MakeError(where, "TensorFlow Lite could not create interpreter options");
  a.TfLiteInterpreterOptionsSetNumThreads(options, spec_.threads);
  a.TfLiteInterpreterOptionsSetErrorReporter(options, &ErrorLog::Report, log_.get());
  for (const DelegateHandle& d : spec_.delegates) {
    a.TfLiteInterpreterOptionsAddDelegate(options, d.get());
  }
  interpreter_ = a.TfLiteInterpreterCreate(model_, options);
  a.TfLiteInterpreterOptionsDelete(options);
  if (!interpreter_) {
    return MakeError(
        where, "TensorFlow Lite " + spec_.lib->version + " could not build an interpreter" +
                   (spec_.delegates.empty() ? "" : " with the delegate(s)") + ": " + log_->Take());
  }
  if (a.TfLiteInterpreterAllocateTensors(interpreter_) != capi::kTfLiteOk) {
    return MakeError(where, "TensorFlow Lite could not allocate tensors: " + log_->Take());
  }
  int32_t n_in = a.TfLiteInterpreterGetInputTensorCount(interpreter_);
  int32_t n_out = a.TfLiteInterpreterGetOutputTensorCount(interpreter_);
  if (n_in < 0 || n_out < 0) return MakeError(where, "TensorFlow Lite reports no tensors");
  for (int32_t i = 0; i < n_in; ++i) {
    CORALPI_ASSIGN_OR_RETURN(
        TensorSlot s,
        Describe(a.TfLiteInterpreterGetInputTensor(interpreter_, i), "input " + std::to_string(i)));
    inputs_.push_back(std::move(s));
  }
  for (int32_t i = 0; i < n_out; ++i) {
    CORALPI_ASSIGN_OR_RETURN(TensorSlot s,
                             Describe(a.TfLiteInterpreterGetOutputTensor(interpreter_, i),
                                      "output " + std::to_string(i)));
    outputs_.push_back(std::move(s));
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<Backend>> CreateInterpreterBackend(InterpreterSpec spec) {
  if (!spec.lib || !spec.model.model) {
    return Error{"interpreter backend: no library or model given"};
  }
  auto backend = std::make_unique<InterpreterBackend>(std::move(spec));
  CORALPI_RETURN_IF_ERROR(backend->Init());
  return std::unique_ptr<Backend>(std::move(backend));
}

}  // namespace coralpi

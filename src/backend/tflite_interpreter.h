// A TensorFlow Lite C-API interpreter behind the Backend interface; the `tflite` and
// `tflite-edgetpu` backends differ only in the delegates they hand it. Internal to src/backend.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/runtime_loader.h"
#include "backend/tflite_host_context.h"  // FromTfLiteType

namespace coralpi {

// Owns one TfLiteDelegate and the function that frees it (null: only uses it).
class DelegateHandle {
 public:
  DelegateHandle() = default;
  DelegateHandle(capi::TfLiteDelegate* d, void (*free_fn)(capi::TfLiteDelegate*))
      : d_(d), free_(free_fn) {}
  DelegateHandle(DelegateHandle&& o) noexcept : d_(o.d_), free_(o.free_) { o.d_ = nullptr; }
  DelegateHandle& operator=(DelegateHandle&& o) noexcept {
    if (this != &o) {
      Reset();
      d_ = o.d_;
      free_ = o.free_;
      o.d_ = nullptr;
    }
    return *this;
  }
  DelegateHandle(const DelegateHandle&) = delete;
  DelegateHandle& operator=(const DelegateHandle&) = delete;
  ~DelegateHandle() { Reset(); }

  capi::TfLiteDelegate* get() const { return d_; }
  void Reset() {
    if (d_ && free_) free_(d_);
    d_ = nullptr;
  }

 private:
  capi::TfLiteDelegate* d_ = nullptr;
  void (*free_)(capi::TfLiteDelegate*) = nullptr;
};

struct InterpreterSpec {
  const TfLiteLibrary* lib = nullptr;
  ModelSource model;
  int threads = 1;
  std::vector<DelegateHandle> delegates;   // applied in order; freed after the interpreter
  std::string name;                        // Backend::name()
  std::string details;                     // Backend::details()
  std::shared_ptr<const void> keep_alive;  // released after the interpreter and delegates
};

// Builds the interpreter and allocates its tensors. Errors carry what TensorFlow Lite reported.
Result<std::unique_ptr<Backend>> CreateInterpreterBackend(InterpreterSpec spec);

}  // namespace coralpi

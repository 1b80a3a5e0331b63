// The Python Interpreter: any model on a backend, its inputs and outputs addressed by their
// tensor index in the model's main subgraph, as TensorFlow Lite's Python Interpreter addresses
// them (the compat package's tflite_runtime wraps it). Unlike Model it needs no image input.
// Only the inputs and outputs are kept: the backends free or fuse the intermediate tensors.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "backend/backend_factory.h"

namespace coralpi::python {

namespace py = pybind11;

struct InterpreterArgs {
  std::optional<std::string> path;     // the .tflite file, or
  std::optional<py::bytes> content;    // the file's bytes
  std::string backend = "cpu";
  std::string device;
  std::string edgetpu_lib;             // empty: $CORALPI_EDGETPU_LIB, else the library path
  int threads = 1;
};

class PyInterpreter {
 public:
  explicit PyInterpreter(const InterpreterArgs& args);

  std::string backend_name() const { return choice_.backend->name(); }
  // [(name, index, shape, dtype, scales, zero_points, quantized_dimension)] of the inputs or
  // outputs, in the subgraph's order.
  py::list Details(bool inputs);
  // Copies `value` into the input with this tensor index (ValueError: not an input, wrong
  // type or size).
  void SetTensor(int index, const py::array& value);
  // The input or output with this tensor index: a copy, or a view of the backend's memory
  // that keeps `self` alive (valid until the next invoke).
  py::array GetTensor(const py::object& self, int index, bool copy);
  // Runs the model with the GIL released.
  void Invoke();

 private:
  struct Slot {
    bool input = false;
    size_t position = 0;  // among the inputs or the outputs
  };
  Slot Find(int index) const;  // ValueError for any other tensor
  TensorView View(const Slot& slot);

  ModelSource source_;
  BackendChoice choice_;
  std::mutex mutex_;  // one invoke at a time
};

// Registers _coralpi.Interpreter (module.cc calls it).
void BindInterpreter(py::module_& m);

}  // namespace coralpi::python

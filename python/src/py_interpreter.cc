// The Python Interpreter; see py_interpreter.h.
#include "py_interpreter.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

#include "py_errors.h"
#include "py_model.h"

namespace coralpi::python {

namespace {

ModelSource LoadSource(const InterpreterArgs& args) {
  Result<ModelSource> source = Error{};
  if (args.content) {
    const std::string_view bytes = *args.content;
    std::vector<uint8_t> copy(bytes.begin(), bytes.end());
    py::gil_scoped_release release;
    source = ModelSourceFromBytes(std::move(copy), "model_content");
  } else {
    py::gil_scoped_release release;
    source = LoadModelSource(*args.path);
  }
  return ValueOrThrow(std::move(source));
}

BackendRequest MakeRequest(const InterpreterArgs& args) {
  auto kind = ParseBackendKind(args.backend);
  if (!kind.ok()) throw py::value_error(kind.error().message);
  if (args.threads < 1 || args.threads > 256) {
    throw py::value_error("num_threads: " + std::to_string(args.threads) + " is not in 1..256");
  }
  BackendRequest request;
  request.kind = *kind;
  request.threads = args.threads;
  request.device = args.device;
  request.edgetpu_lib = args.edgetpu_lib;
  return request;
}

py::array_t<int32_t> ShapeArray(const Shape& shape) {
  py::array_t<int32_t> a(static_cast<py::ssize_t>(shape.size()));
  std::copy(shape.begin(), shape.end(), a.mutable_data());
  return a;
}

// The quantization as TensorFlow Lite's Python API gives it: every scale and zero point (none
// for float tensors) and the axis.
py::tuple QuantizationParams(const Quantization* q) {
  py::list scales, zero_points;
  int axis = 0;
  if (q != nullptr) {
    for (float s : q->scale) scales.append(s);
    for (int64_t z : q->zero_point) zero_points.append(z);
    axis = q->axis;
  }
  return py::make_tuple(scales, zero_points, axis);
}

std::string DTypeName(const py::dtype& dtype) { return dtype.attr("name").cast<std::string>(); }

std::vector<py::ssize_t> Dims(const Shape& shape) {
  return std::vector<py::ssize_t>(shape.begin(), shape.end());
}

}  // namespace

PyInterpreter::PyInterpreter(const InterpreterArgs& args) {
  if (args.path.has_value() == args.content.has_value()) {
    throw py::value_error("give either model_path or model_content");
  }
  const BackendRequest request = MakeRequest(args);
  source_ = LoadSource(args);
  Result<BackendChoice> choice = Error{};
  {
    py::gil_scoped_release release;
    choice = CreateBackend(source_, request);
  }
  choice_ = ValueOrThrow(std::move(choice));
}

PyInterpreter::Slot PyInterpreter::Find(int index) const {
  const Subgraph& graph = source_.model->main_graph();
  for (size_t i = 0; i < graph.inputs.size(); ++i) {
    if (graph.inputs[i] == index) return {true, i};
  }
  for (size_t i = 0; i < graph.outputs.size(); ++i) {
    if (graph.outputs[i] == index) return {false, i};
  }
  if (index >= 0 && static_cast<size_t>(index) < graph.tensors.size()) {
    throw py::value_error("coralpi keeps only input and output tensors; tensor " +
                          std::to_string(index) + " is an intermediate");
  }
  throw py::value_error("tensor index " + std::to_string(index) + " is out of range (the model has " +
                        std::to_string(graph.tensors.size()) + " tensors)");
}

TensorView PyInterpreter::View(const Slot& slot) {
  Backend& b = *choice_.backend;
  return slot.input ? b.input(slot.position) : b.output(slot.position);
}

py::list PyInterpreter::Details(bool inputs) {
  const Subgraph& graph = source_.model->main_graph();
  const std::vector<int32_t>& ids = inputs ? graph.inputs : graph.outputs;
  py::list list;
  for (size_t i = 0; i < ids.size(); ++i) {
    const TensorView t = View({inputs, i});
    const TensorInfo& info = graph.tensors[static_cast<size_t>(ids[i])];
    const py::tuple q = QuantizationParams(t.quant);
    list.append(py::make_tuple(info.name, ids[i], ShapeArray(t.shape), NumpyType(t.type), q[0],
                               q[1], q[2]));
  }
  return list;
}

void PyInterpreter::SetTensor(int index, const py::array& value) {
  const Slot slot = Find(index);
  if (!slot.input) {
    throw py::value_error("tensor " + std::to_string(index) + " is an output, not an input");
  }
  const TensorView t = View(slot);
  const py::dtype dtype = NumpyType(t.type);
  const std::string where = "tensor " + std::to_string(index);
  if (!value.dtype().equal(dtype)) {
    throw py::value_error(where + " takes " + DTypeName(dtype) + ", not " +
                          DTypeName(value.dtype()));
  }
  if (value.size() != t.num_elements()) {
    throw py::value_error(where + " takes shape " + ShapeToString(t.shape) + " (" +
                          std::to_string(t.num_elements()) + " elements), not " +
                          std::to_string(value.size()) + " elements");
  }
  const py::array c = py::array::ensure(value, py::array::c_style);
  std::lock_guard lock(mutex_);
  std::memcpy(t.data, c.data(), static_cast<size_t>(c.nbytes()));
}

py::array PyInterpreter::GetTensor(const py::object& self, int index, bool copy) {
  const TensorView t = View(Find(index));
  const py::dtype dtype = NumpyType(t.type);
  if (copy) return py::array(dtype, Dims(t.shape), {}, t.data);  // no base: numpy copies
  return py::array(dtype, Dims(t.shape), {}, t.data, self);     // keeps the interpreter alive
}

void PyInterpreter::Invoke() {
  Status invoked = OkStatus();
  {
    py::gil_scoped_release release;
    std::lock_guard lock(mutex_);
    invoked = choice_.backend->Invoke();
  }
  if (!invoked.ok()) throw LibraryError(WithContext(source_.model->name(), invoked.error()).message);
}

void BindInterpreter(py::module_& m) {
  py::class_<PyInterpreter>(m, "Interpreter")
      .def(py::init([](std::optional<std::string> path, std::optional<py::bytes> content,
                       const std::string& backend, const std::string& device,
                       const std::string& edgetpu_lib, int threads) {
             return std::make_unique<PyInterpreter>(InterpreterArgs{
                 std::move(path), std::move(content), backend, device, edgetpu_lib, threads});
           }),
           py::arg("path") = py::none(), py::arg("content") = py::none(),
           py::arg("backend") = "cpu", py::arg("device") = "", py::arg("edgetpu_lib") = "",
           py::arg("threads") = 1)
      .def_property_readonly("backend", &PyInterpreter::backend_name)
      .def("input_details", [](PyInterpreter& i) { return i.Details(true); })
      .def("output_details", [](PyInterpreter& i) { return i.Details(false); })
      .def("set_tensor", &PyInterpreter::SetTensor, py::arg("index"), py::arg("value"))
      .def(
          "get_tensor",
          [](py::object self, int index, bool copy) {
            return self.cast<PyInterpreter&>().GetTensor(self, index, copy);
          },
          py::arg("index"), py::arg("copy") = true)
      .def("invoke", &PyInterpreter::Invoke);
}

}  // namespace coralpi::python

// The extension module coralpi._coralpi: the Model class and the Error exception. The package
// coralpi (coralpi/__init__.py) wraps it with the result types; import that, not this.
#include <pybind11/stl.h>

#include "py_interpreter.h"
#include "py_model.h"

namespace py = pybind11;
using coralpi::python::ModelArgs;
using coralpi::python::PyModel;

namespace coralpi::python {
void BindSystem(py::module_& m);  // py_system.cc: devices() and doctor()
}  // namespace coralpi::python

PYBIND11_MODULE(_coralpi, m) {
  m.doc() = "coralpi's C++ library: models on its CPU engine or a Coral Edge TPU";
  coralpi::python::BindErrors(m);  // Error and its subclasses by kind (py_errors.h)
  coralpi::python::BindSystem(m);
  coralpi::python::BindInterpreter(m);  // the compat package's tflite_runtime.Interpreter

  py::class_<PyModel>(m, "Model")
      .def(py::init([](const std::string& path, const std::string& backend,
                       std::optional<std::string> device, std::optional<int> threads,
                       std::optional<std::string> labels) {
             ModelArgs args;
             args.path = path;
             args.backend = backend;
             args.device = std::move(device);
             args.threads = threads;
             args.labels = std::move(labels);
             return std::make_unique<PyModel>(args);
           }),
           py::arg("path"), py::arg("backend") = "auto", py::arg("device") = py::none(),
           py::arg("threads") = py::none(), py::arg("labels") = py::none())
      .def_property_readonly("path", &PyModel::path)
      .def_property_readonly("backend", &PyModel::backend_name)
      .def_property_readonly("inputs", &PyModel::Inputs)
      .def_property_readonly("outputs", &PyModel::Outputs)
      .def(
          "run",
          [](py::object self, const py::object& arrays, bool copy) {
            return self.cast<PyModel&>().Run(self, arrays, copy);
          },
          py::arg("arrays"), py::arg("copy") = true)
      .def("classify", &PyModel::Classify, py::arg("image"), py::arg("top_k") = 5,
           py::arg("threshold") = 0.0f, py::arg("rgb") = true)
      .def("detect", &PyModel::Detect, py::arg("image"), py::arg("threshold") = py::none(),
           py::arg("max") = 100, py::arg("iou") = py::none(), py::arg("rgb") = true)
      .def("segment", &PyModel::Segment, py::arg("image"), py::arg("rgb") = true)
      .def("pose", &PyModel::Pose, py::arg("image"), py::arg("rgb") = true);
}

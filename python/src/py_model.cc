// Opening a model from Python, its tensors, and run(); see py_model.h.
#include "py_model.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace coralpi::python {

namespace {

// The CLI's default (cli/flags.cc): every online CPU.
int OnlineCpus() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return static_cast<int>(std::clamp<long>(n, 1, 256));
}

SessionOptions MakeSessionOptions(const ModelArgs& args) {
  auto kind = ParseBackendKind(args.backend);
  if (!kind.ok()) throw py::value_error(kind.error().message);
  const int threads = args.threads.value_or(OnlineCpus());
  if (threads < 1 || threads > 256) {
    throw py::value_error("threads: " + std::to_string(threads) + " is not in 1..256");
  }
  SessionOptions options;
  options.model = args.path;
  options.labels = args.labels.value_or("");
  options.backend.kind = *kind;
  options.backend.threads = threads;
  options.backend.device = args.device.value_or("");
  return options;
}

std::vector<py::ssize_t> Dims(const Shape& shape) {
  return std::vector<py::ssize_t>(shape.begin(), shape.end());
}

py::tuple ShapeTuple(const Shape& shape) {
  py::tuple t(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) t[i] = py::int_(shape[i]);
  return t;
}

// (scale, zero_point) as TensorFlow Lite's Python API gives it: (0.0, 0) for float tensors, the
// first pair for per-channel ones.
py::tuple QuantizationTuple(const TensorView& t) {
  if (t.quant == nullptr || t.quant->empty()) return py::make_tuple(0.0, 0);
  return py::make_tuple(static_cast<double>(t.scale(0)), t.zero_point(0));
}

// Whether `array` holds elements of `dtype` (numpy's equivalence: int32 and intc agree).
bool SameType(const py::array& array, const py::dtype& dtype) {
  return array.dtype().equal(dtype);
}

std::string DTypeName(const py::dtype& dtype) { return dtype.attr("name").cast<std::string>(); }

std::string ShapeText(const py::array& array) {
  Shape shape;
  for (py::ssize_t i = 0; i < array.ndim(); ++i) shape.push_back(static_cast<int32_t>(array.shape(i)));
  return ShapeToString(shape);
}

}  // namespace

py::dtype NumpyType(DataType type) {
  switch (type) {
    case DataType::kFloat32: return py::dtype::of<float>();
    case DataType::kFloat16: return py::dtype("float16");
    case DataType::kFloat64: return py::dtype::of<double>();
    case DataType::kInt8: return py::dtype::of<int8_t>();
    case DataType::kUInt8: return py::dtype::of<uint8_t>();
    case DataType::kInt16: return py::dtype::of<int16_t>();
    case DataType::kInt32: return py::dtype::of<int32_t>();
    case DataType::kInt64: return py::dtype::of<int64_t>();
    case DataType::kBool: return py::dtype::of<bool>();
    default: break;
  }
  throw py::value_error(std::string("tensors of ") + DataTypeName(type) +
                        " have no numpy dtype here");
}

PyModel::PyModel(const ModelArgs& args) {
  const SessionOptions options = MakeSessionOptions(args);
  Result<std::unique_ptr<TaskSession>> session = Error{};
  {
    py::gil_scoped_release release;
    session = TaskSession::Open(options);
  }
  session_ = ValueOrThrow(std::move(session));
  initial_preprocess_ = session_->preprocess();
}

py::list PyModel::Tensors(bool inputs) {
  Backend& b = session_->backend();
  const Subgraph& graph = session_->model().main_graph();
  const std::vector<int32_t>& ids = inputs ? graph.inputs : graph.outputs;
  const size_t count = inputs ? b.input_count() : b.output_count();
  py::list list;
  for (size_t i = 0; i < count; ++i) {
    const TensorView t = inputs ? b.input(i) : b.output(i);
    std::string name;
    if (i < ids.size() && ids[i] >= 0 && static_cast<size_t>(ids[i]) < graph.tensors.size()) {
      name = graph.tensors[static_cast<size_t>(ids[i])].name;
    }
    list.append(py::make_tuple(name, ShapeTuple(t.shape), NumpyType(t.type), QuantizationTuple(t)));
  }
  return list;
}

py::list PyModel::Inputs() { return Tensors(true); }
py::list PyModel::Outputs() { return Tensors(false); }

std::vector<py::array> PyModel::CheckInputs(const py::object& arrays) {
  Backend& b = session_->backend();
  std::vector<py::object> given;
  if (py::isinstance<py::list>(arrays) || py::isinstance<py::tuple>(arrays)) {
    for (py::handle a : arrays) given.push_back(py::reinterpret_borrow<py::object>(a));
  } else {
    given.push_back(arrays);
  }
  if (given.size() != b.input_count()) {
    throw py::value_error(path() + ": the model has " + std::to_string(b.input_count()) +
                          " input(s), " + std::to_string(given.size()) + " array(s) given");
  }
  std::vector<py::array> checked;
  for (size_t i = 0; i < given.size(); ++i) {
    const TensorView t = b.input(i);
    const std::string where = path() + ": input " + std::to_string(i);
    if (!py::isinstance<py::array>(given[i])) {
      throw py::value_error(where + ": a numpy array is needed");
    }
    py::array a = given[i].cast<py::array>();
    const py::dtype dtype = NumpyType(t.type);
    if (!SameType(a, dtype)) {
      throw py::value_error(where + ": takes " + DTypeName(dtype) + ", not " +
                            DTypeName(a.dtype()));
    }
    if (a.size() != t.num_elements()) {
      throw py::value_error(where + ": takes shape " + ShapeToString(t.shape) + " (" +
                            std::to_string(t.num_elements()) + " elements), not " + ShapeText(a));
    }
    checked.push_back(py::array::ensure(a, py::array::c_style));
  }
  return checked;
}

py::list PyModel::OutputArrays(const py::object& self, bool copy) {
  Backend& b = session_->backend();
  py::list outputs;
  for (size_t i = 0; i < b.output_count(); ++i) {
    const TensorView t = b.output(i);
    const py::dtype dtype = NumpyType(t.type);
    if (copy) {
      outputs.append(py::array(dtype, Dims(t.shape), {}, t.data));  // no base: numpy copies
    } else {
      py::array view(dtype, Dims(t.shape), {}, t.data, self);  // keeps the model alive
      view.attr("setflags")(py::arg("write") = false);
      outputs.append(view);
    }
  }
  return outputs;
}

py::list PyModel::Run(const py::object& self, const py::object& arrays, bool copy) {
  const std::vector<py::array> inputs = CheckInputs(arrays);
  Backend& b = session_->backend();
  std::unique_lock lock(mutex_, std::defer_lock);
  {
    py::gil_scoped_release release;
    lock.lock();  // waiting for another thread's run without holding the GIL
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::memcpy(b.input(i).data, inputs[i].data(), static_cast<size_t>(inputs[i].nbytes()));
  }
  Status invoked = OkStatus();
  {
    py::gil_scoped_release release;
    invoked = b.Invoke();
  }
  if (!invoked.ok()) throw LibraryError(WithContext(path(), invoked.error()));
  return OutputArrays(self, copy);  // under the lock: no other run changes the outputs meanwhile
}

}  // namespace coralpi::python

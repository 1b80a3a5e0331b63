// Errors from Python's side: the library's errors become coralpi.Error (a RuntimeError) with the
// library's message and its kind, as a subclass by kind (BindErrors); bad arguments checked here
// are pybind11::value_error (ValueError).
#pragma once

#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "core/result.h"

namespace coralpi::python {

// Raised as coralpi.Error, or its subclass for the kind, with the library's message.
class LibraryError : public std::runtime_error {
 public:
  explicit LibraryError(const Error& e) : std::runtime_error(e.message), kind_(e.kind) {}
  explicit LibraryError(const std::string& message, ErrorKind kind = ErrorKind::kInternal)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// The value of a Result, or LibraryError with its error.
template <typename T>
T ValueOrThrow(Result<T> r) {
  if (!r.ok()) throw LibraryError(r.error());
  return std::move(r).value();
}

inline void OkOrThrow(const Status& s) {
  if (!s.ok()) throw LibraryError(s.error());
}

// Adds the exception classes to `m` and raises LibraryError as the one for its kind, with the
// kind's name (ErrorKindName) as its `kind` attribute:
//   Error(RuntimeError)                      internal, bad file
//   BadArgumentError(Error, ValueError)      bad argument
//   NotFoundError(Error, FileNotFoundError)  not found
//   UnsupportedError(Error, NotImplementedError)  unsupported
//   DeviceError(Error, OSError)              device
inline void BindErrors(pybind11::module_& m) {
  namespace py = pybind11;
  // Kept for the life of the process: the translator may run until the interpreter ends.
  static PyObject* classes[6] = {};
  const std::string module = py::str(m.attr("__name__"));
  auto add = [&](const char* name, py::tuple bases) {
    PyObject* type = PyErr_NewException((module + "." + name).c_str(), bases.ptr(), nullptr);
    if (!type) throw py::error_already_set();
    m.attr(name) = py::handle(type);
    return type;
  };
  PyObject* error = add("Error", py::make_tuple(py::handle(PyExc_RuntimeError)));
  auto sub = [&](const char* name, PyObject* also) {
    return add(name, py::make_tuple(py::handle(error), py::handle(also)));
  };
  classes[static_cast<int>(ErrorKind::kInternal)] = error;
  classes[static_cast<int>(ErrorKind::kBadFile)] = error;
  classes[static_cast<int>(ErrorKind::kBadArgument)] = sub("BadArgumentError", PyExc_ValueError);
  classes[static_cast<int>(ErrorKind::kNotFound)] = sub("NotFoundError", PyExc_FileNotFoundError);
  classes[static_cast<int>(ErrorKind::kUnsupported)] =
      sub("UnsupportedError", PyExc_NotImplementedError);
  classes[static_cast<int>(ErrorKind::kDevice)] = sub("DeviceError", PyExc_OSError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const LibraryError& e) {
      PyObject* type = classes[static_cast<int>(e.kind())];
      py::object exception = py::handle(type)(e.what());
      exception.attr("kind") = ErrorKindName(e.kind());
      PyErr_SetObject(type, exception.ptr());
    }
  });
}

}  // namespace coralpi::python

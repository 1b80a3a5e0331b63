// The Python Model: a TaskSession opened from Python's arguments, its tensors as numpy arrays,
// and the task helpers, each returning plain tuples that coralpi/__init__.py turns into its
// result types. One lock per model: the GIL is released while it runs, so two Python threads
// may share a model (they take turns) or run two models at once.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "py_errors.h"
#include "task/task_session.h"

namespace coralpi::python {

namespace py = pybind11;

struct ModelArgs {
  std::string path;
  std::string backend = "auto";
  std::optional<std::string> device;
  std::optional<int> threads;
  std::optional<std::string> labels;
};

class PyModel {
 public:
  explicit PyModel(const ModelArgs& args);

  const std::string& path() const { return session_->model_path(); }
  std::string backend_name() const { return session_->backend().name(); }
  // [(name, shape, dtype, (scale, zero_point))] of the inputs or outputs.
  py::list Inputs();
  py::list Outputs();

  // Copies `arrays` (one array, or a list with one per input) into the inputs, invokes with the
  // GIL released, and returns the outputs: copies, or views of the backend's memory owned by
  // `self` (copy=False), valid until the next run.
  py::list Run(const py::object& self, const py::object& arrays, bool copy);

  // The task helpers (py_tasks.cc); `image` is an HxWx3 uint8 array or a file path.
  py::list Classify(const py::object& image, int top_k, float threshold, bool rgb);
  py::list Detect(const py::object& image, std::optional<float> threshold, int max,
                  std::optional<float> iou, bool rgb);
  py::tuple Segment(const py::object& image, bool rgb);
  py::list Pose(const py::object& image, bool rgb);

 private:
  py::list Tensors(bool inputs);
  // The arrays given to run(), checked against the inputs (ValueError) and C-contiguous.
  std::vector<py::array> CheckInputs(const py::object& arrays);
  py::list OutputArrays(const py::object& self, bool copy);
  // The session's preprocessing as opened, before a task sets its own.
  void ResetPreprocess() { session_->set_preprocess(initial_preprocess_); }

  std::unique_ptr<TaskSession> session_;
  PreprocessOptions initial_preprocess_;
  std::mutex mutex_;  // one run at a time
};

// Numpy's dtype for an element type; ValueError for one numpy has no match for.
py::dtype NumpyType(DataType type);

}  // namespace coralpi::python

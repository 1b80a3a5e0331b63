// Numpy arrays and paths to Images; see py_image.h.
#include "py_image.h"

#include <pybind11/numpy.h>

#include <cstring>

#include "py_errors.h"

namespace coralpi::python {

namespace py = pybind11;

namespace {

Image FromArray(const py::array& array, bool rgb) {
  if (array.ndim() != 3 || array.shape(2) != 3) {
    std::string shape;
    for (py::ssize_t i = 0; i < array.ndim(); ++i) {
      shape += (i ? ", " : "") + std::to_string(array.shape(i));
    }
    throw py::value_error("image: an HxWx3 array is needed, this one has shape (" + shape + ")");
  }
  if (!py::isinstance<py::array_t<uint8_t>>(array)) {
    throw py::value_error("image: a uint8 array is needed, this one holds " +
                          array.dtype().attr("name").cast<std::string>());
  }
  if (array.shape(0) < 1 || array.shape(1) < 1 || array.shape(0) > 65535 ||
      array.shape(1) > 65535) {
    throw py::value_error("image: " + std::to_string(array.shape(1)) + "x" +
                          std::to_string(array.shape(0)) +
                          " pixels; each side must be 1 to 65535 pixels");
  }
  auto pixels = py::array_t<uint8_t, py::array::c_style>::ensure(array);
  Image image;
  image.height = static_cast<int>(pixels.shape(0));
  image.width = static_cast<int>(pixels.shape(1));
  const size_t bytes = static_cast<size_t>(pixels.size());
  image.rgb.resize(bytes);
  const uint8_t* src = pixels.data();
  if (rgb) {
    std::memcpy(image.rgb.data(), src, bytes);
  } else {
    for (size_t i = 0; i < bytes; i += 3) {
      image.rgb[i] = src[i + 2];
      image.rgb[i + 1] = src[i + 1];
      image.rgb[i + 2] = src[i];
    }
  }
  return image;
}

}  // namespace

PyImage ToImage(const py::object& image, bool rgb, const DecodeOptions& decode) {
  if (py::isinstance<py::array>(image)) return {FromArray(image.cast<py::array>(), rgb), "image"};
  if (py::isinstance<py::str>(image) || py::hasattr(image, "__fspath__")) {
    py::object path = py::module_::import("os").attr("fspath")(image);
    if (!py::isinstance<py::str>(path)) throw py::value_error("image: a str path is needed");
    PyImage out;
    out.name = path.cast<std::string>();
    Result<Image> decoded = Error{};
    {
      py::gil_scoped_release release;
      decoded = ReadImageFile(out.name, decode);
    }
    out.image = ValueOrThrow(std::move(decoded));
    return out;
  }
  throw py::value_error("image: an HxWx3 uint8 numpy array or a file path is needed, not " +
                        std::string(Py_TYPE(image.ptr())->tp_name));
}

}  // namespace coralpi::python

// Images from Python: an HxWx3 uint8 numpy array (RGB, or BGR as OpenCV gives with rgb=False)
// or a file path (str or os.PathLike), decoded by the library as the CLI decodes it.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "image/image.h"

namespace coralpi::python {

struct PyImage {
  Image image;
  std::string name;  // the path, or "image" for an array; names it in errors
};

// ValueError for an array of another rank, channel count or dtype, or an object that is
// neither; coralpi.Error when the file cannot be read or decoded. Decoding runs without the
// GIL. `decode` is used for files only.
PyImage ToImage(const pybind11::object& image, bool rgb, const DecodeOptions& decode = {});

}  // namespace coralpi::python

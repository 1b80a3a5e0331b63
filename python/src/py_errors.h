// Errors from Python's side: the library's errors become coralpi.Error (a RuntimeError, see
// module.cc) with the library's message; bad arguments are pybind11::value_error (ValueError).
#pragma once

#include <stdexcept>
#include <utility>

#include "core/result.h"

namespace coralpi::python {

// Raised as coralpi.Error (a RuntimeError) with the library's message.
class LibraryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The value of a Result, or LibraryError with its message.
template <typename T>
T ValueOrThrow(Result<T> r) {
  if (!r.ok()) throw LibraryError(r.error().message);
  return std::move(r).value();
}

inline void OkOrThrow(const Status& s) {
  if (!s.ok()) throw LibraryError(s.error().message);
}

}  // namespace coralpi::python

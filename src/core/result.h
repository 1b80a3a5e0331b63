// Result<T>: a value or an error, shaped like std::expected (C++23), which GCC 12 lacks in C++20.
// Library code returns these; no exception crosses the public API. Messages read
// "where: what" (for example "model.tflite: tensor 3: buffer holds 12 bytes, shape needs 48").
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace coralpi {

// What went wrong, in the terms a caller branches on (the CLI's exit code, the Python exception
// class, whether serve retries). Set where the error is first seen at a boundary (a file, a model,
// an image, an operator table, a device, an option); layers above pass it on unchanged.
enum class ErrorKind {
  kInternal,     // unclassified: a bug, or a failure no boundary named (the default)
  kBadArgument,  // the caller's input is invalid: a flag, an option value, a shape, a threshold
  kBadFile,      // a file exists but cannot be used: unreadable, corrupt, truncated, wrong format
  kNotFound,     // a file, directory, library or named item does not exist
  kUnsupported,  // valid input this build cannot handle: an operator, a type, a feature
  kDevice,       // an Edge TPU (or its runtime library) is absent, busy or failing
};

// "internal", "bad argument", "bad file", "not found", "unsupported", "device".
inline const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInternal:
      return "internal";
    case ErrorKind::kBadArgument:
      return "bad argument";
    case ErrorKind::kBadFile:
      return "bad file";
    case ErrorKind::kNotFound:
      return "not found";
    case ErrorKind::kUnsupported:
      return "unsupported";
    case ErrorKind::kDevice:
      return "device";
  }
  return "internal";
}

// Members in this order so that the many `Error{"text"}` stay valid (kind kInternal).
struct Error {
  std::string message;  // the whole text: "where: what"
  ErrorKind kind = ErrorKind::kInternal;
  // The outermost "where" the message begins with (message == where + ": " + rest), or empty:
  // lets a layer that names the place itself take the rest without parsing (ops::FromKernel).
  std::string where = {};

  // The message without its outermost "where: ".
  std::string what() const { return where.empty() ? message : message.substr(where.size() + 2); }
};

// Builds an error whose message is "where: what".
inline Error MakeError(ErrorKind kind, const std::string& where, const std::string& what) {
  if (where.empty()) return Error{what, kind};
  return Error{where + ": " + what, kind, where};
}
// The same, of kind kInternal (unclassified).
inline Error MakeError(const std::string& where, const std::string& what) {
  return MakeError(ErrorKind::kInternal, where, what);
}

// `e` with its kind set to `kind`: for a boundary that knows what an error from below means.
inline Error WithKind(ErrorKind kind, Error e) {
  e.kind = kind;
  return e;
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Status is a Result with no value.
struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

// Prefixes an error's message with more context: "where: <old message>", unless the message
// already starts with that context (an error passed up through two layers that both name it).
// The kind is kept.
inline Error WithContext(const std::string& where, const Error& e) {
  if (!where.empty() && e.message.compare(0, where.size() + 2, where + ": ") == 0) return e;
  return MakeError(e.kind, where, e.message);
}

}  // namespace coralpi

// Returns early from the enclosing function when `expr` (a Result or Status) holds an error.
#define CORALPI_RETURN_IF_ERROR(expr)                          \
  do {                                                         \
    auto coralpi_status_ = (expr);                             \
    if (!coralpi_status_.ok()) return coralpi_status_.error(); \
  } while (0)

#define CORALPI_CONCAT_INNER(a, b) a##b
#define CORALPI_CONCAT(a, b) CORALPI_CONCAT_INNER(a, b)
// Declares `lhs` from a Result's value, or returns its error.
#define CORALPI_ASSIGN_OR_RETURN(lhs, expr) \
  CORALPI_ASSIGN_OR_RETURN_IMPL(CORALPI_CONCAT(coralpi_result_, __COUNTER__), lhs, expr)
#define CORALPI_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.error();                  \
  lhs = std::move(tmp).value()

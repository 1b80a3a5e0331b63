// Locating ../shared/testdata for the tests that use real models and images.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>

namespace coralpi::testing {

inline std::string TestDataPath(const std::string& relative) {
  return std::string(CORALPI_TESTDATA_DIR) + "/" + relative;
}

inline bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// A real runtime library for the tests: `env_var`'s value when set, else the path CMake gave
// (CORALPI_TFLITE_TEST_LIB / CORALPI_EDGETPU_TEST_LIB: only a build for the target's
// architecture, and empty when ../shared has none).
inline std::string RealLibraryPath(const char* env_var, const char* default_path) {
  const char* env = std::getenv(env_var);
  return env && *env ? env : default_path;
}

// True when CORALPI_REAL_LIBS_REQUIRED names `kind` (e.g. "TFLITE EDGETPU"): scripts/test.sh
// sets it for the libraries it found, so a test cannot skip for a path gone wrong.
inline bool RealLibraryRequired(const std::string& kind) {
  const char* required = std::getenv("CORALPI_REAL_LIBS_REQUIRED");
  return required && std::string(required).find(kind) != std::string::npos;
}

}  // namespace coralpi::testing

// Sets `path` to a real runtime library (`kind` is TFLITE or EDGETPU), or skips the current
// test, naming the file, when there is none for this architecture or it is absent; fails
// instead when CORALPI_REAL_LIBS_REQUIRED names `kind`.
#define CORALPI_REQUIRE_REAL_LIBRARY(path, kind)                                                 \
  do {                                                                                           \
    path =                                                                                       \
        ::coralpi::testing::RealLibraryPath("CORALPI_" #kind "_LIB", CORALPI_##kind##_TEST_LIB); \
    if (path.empty() || !::coralpi::testing::FileExists(path)) {                                 \
      if (::coralpi::testing::RealLibraryRequired(#kind)) FAIL() << "missing: '" << path << "'"; \
      GTEST_SKIP() << "no real " #kind " library for this machine: '" << path                    \
                   << "' (CORALPI_" #kind "_LIB names one)";                                     \
    }                                                                                            \
  } while (0)

// Skips the current test, naming the file, when a test-data file is absent.
#define CORALPI_REQUIRE_TESTDATA(relative)                                                 \
  do {                                                                                     \
    if (!::coralpi::testing::FileExists(::coralpi::testing::TestDataPath(relative))) {     \
      GTEST_SKIP() << "test data missing: " << ::coralpi::testing::TestDataPath(relative); \
    }                                                                                      \
  } while (0)

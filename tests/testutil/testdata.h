// Locating ../shared/testdata for the tests that use real models and images.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

namespace coralpi::testing {

inline std::string TestDataPath(const std::string& relative) {
  return std::string(CORALPI_TESTDATA_DIR) + "/" + relative;
}

inline bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace coralpi::testing

// Skips the current test, naming the file, when a test-data file is absent.
#define CORALPI_REQUIRE_TESTDATA(relative)                                                 \
  do {                                                                                     \
    if (!::coralpi::testing::FileExists(::coralpi::testing::TestDataPath(relative))) {     \
      GTEST_SKIP() << "test data missing: " << ::coralpi::testing::TestDataPath(relative); \
    }                                                                                      \
  } while (0)

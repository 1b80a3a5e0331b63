// Reading coralpi watch's output in the tests: one JSON object per line, picked by "type".
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace coralpi::testing {

inline std::vector<nlohmann::json> Lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << line;
    lines.push_back(j);
  }
  return lines;
}

inline std::vector<nlohmann::json> OfType(const std::vector<nlohmann::json>& lines,
                                          const std::string& type) {
  std::vector<nlohmann::json> out;
  for (const auto& j : lines) {
    if (j.value("type", "") == type) out.push_back(j);
  }
  return out;
}

}  // namespace coralpi::testing

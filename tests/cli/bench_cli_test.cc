// `coralpi bench --profile` and the default thread count, as a user runs them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace coralpi::testing {
namespace {

nlohmann::json ParseJson(const CliResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << r.out;
  return j;
}

TEST(BenchProfileCli, ThreadsDefaultToTheOnlineCpus) {
  nlohmann::json j = ParseJson(RunCoralpi({"bench", "--runs", "1", "--warmup", "0", "--json"}));
  EXPECT_EQ(j.value("threads", -1), sysconf(_SC_NPROCESSORS_ONLN));
}

TEST(BenchProfileCli, ProfileTimesEveryOperatorOfTheBuiltInNetwork) {
  nlohmann::json j = ParseJson(RunCoralpi(
      {"bench", "--runs", "2", "--warmup", "1", "--threads", "1", "--profile", "--json"}));
  ASSERT_TRUE(j.contains("profile")) << j.dump(1);
  const nlohmann::json& p = j["profile"];
  EXPECT_EQ(p.value("runs", 0), 2);
  ASSERT_EQ(p["nodes"].size(), 66u);  // the operators of MobileNet v2
  int conv = 0;
  for (const auto& t : p["by_type"]) {
    if (t.value("type", "") == "CONV_2D") conv = t.value("nodes", 0);
  }
  EXPECT_EQ(conv, 36);
  double share = 0;
  for (const auto& r : p["by_runner"]) share += r.value("share", 0.0);
  EXPECT_NEAR(share, 1.0, 1e-6);
}

TEST(BenchProfileCli, ProfileTextNamesTypesRunnersAndSlowestNodes) {
  CliResult r = RunCoralpi({"bench", "--runs", "1", "--warmup", "0", "--profile", "--top", "3"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* key : {"profile:", "approximation", "operator type", "DEPTHWISE_CONV_2D",
                          "reference", "xnnpack", "slowest nodes"}) {
    EXPECT_NE(r.out.find(key), std::string::npos) << key << " missing from:\n" << r.out;
  }
}

}  // namespace
}  // namespace coralpi::testing

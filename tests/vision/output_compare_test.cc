// Comparing backends' outputs, on small fake backends whose outputs the test writes; the same
// pseudo-random inputs for each of them.
#include "vision/output_compare.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "backend/random_inputs.h"

namespace coralpi {
namespace {

// A backend over vectors: one uint8 input, one uint8 [1, N] scores output.
class FakeBackend : public Backend {
 public:
  FakeBackend(std::string name, std::vector<uint8_t> scores, Shape input_shape = {1, 4})
      : name_(std::move(name)), scores_(std::move(scores)), input_(NumElements(input_shape)) {
    quant_.scale = {1.0f / 256};
    quant_.zero_point = {0};
    in_ = {DataType::kUInt8, input_shape, &quant_, input_.data()};
    out_ = {DataType::kUInt8, {1, static_cast<int32_t>(scores_.size())}, &quant_, scores_.data()};
  }
  std::string name() const override { return name_; }
  std::string details() const override { return "fake"; }
  size_t input_count() const override { return 1; }
  size_t output_count() const override { return 1; }
  TensorView input(size_t) override { return in_; }
  TensorView output(size_t) override { return out_; }
  Status Invoke() override { return OkStatus(); }

 private:
  std::string name_;
  std::vector<uint8_t> scores_, input_;
  Quantization quant_;
  TensorView in_, out_;
};

std::vector<std::unique_ptr<Backend>> Two(std::vector<uint8_t> a, std::vector<uint8_t> b) {
  std::vector<std::unique_ptr<Backend>> v;
  v.push_back(std::make_unique<FakeBackend>("ref", std::move(a)));
  v.push_back(std::make_unique<FakeBackend>("other", std::move(b)));
  return v;
}

TEST(OutputCompareTest, LargestDifferenceInStepsAndTopK) {
  auto backends = Two({10, 200, 30, 40, 50}, {10, 197, 30, 41, 50});
  auto result = CompareOutputs(backends, 2);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->size(), 1u);
  const OutputComparison& c = (*result)[0];
  EXPECT_EQ(c.description, "uint8 [1, 5]");
  EXPECT_TRUE(c.integer);
  ASSERT_EQ(c.diffs.size(), 1u);
  const OutputDifference& d = c.diffs[0];
  EXPECT_EQ(d.backend, "other");
  EXPECT_DOUBLE_EQ(d.max_abs, 3);
  EXPECT_EQ(d.where, 1);
  EXPECT_DOUBLE_EQ(d.ours, 197);
  EXPECT_DOUBLE_EQ(d.reference, 200);
  EXPECT_EQ(d.differing, 2);
  EXPECT_EQ(d.top_k, "agree");  // 1 then 4 in both
}

TEST(OutputCompareTest, TopKOrderAndMembership) {
  auto swapped = Two({10, 200, 30, 190}, {10, 190, 30, 200});
  EXPECT_EQ((*CompareOutputs(swapped, 2))[0].diffs[0].top_k, "same classes, different order");
  auto other = Two({10, 200, 30, 190}, {250, 200, 30, 190});
  EXPECT_EQ((*CompareOutputs(other, 2))[0].diffs[0].top_k, "differ");
}

TEST(OutputCompareTest, InputsMustMatch) {
  std::vector<std::unique_ptr<Backend>> v;
  v.push_back(std::make_unique<FakeBackend>("ref", std::vector<uint8_t>{1, 2}, Shape{1, 4}));
  v.push_back(std::make_unique<FakeBackend>("other", std::vector<uint8_t>{1, 2}, Shape{1, 5}));
  Status s = CheckSameInputs(v);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "input 0: ref sees uint8 [1, 4], other sees uint8 [1, 5]");
  v.pop_back();
  v.push_back(std::make_unique<FakeBackend>("same", std::vector<uint8_t>{1, 2}, Shape{1, 4}));
  EXPECT_TRUE(CheckSameInputs(v).ok());
}

TEST(OutputCompareTest, SameSeedSameInputs) {
  FakeBackend a("a", {1}, Shape{1, 64}), b("b", {1}, Shape{1, 64}), c("c", {1}, Shape{1, 64});
  FillRandomInputs(a);
  FillRandomInputs(b);
  FillRandomInputs(c, 43);
  EXPECT_EQ(std::memcmp(a.input(0).data, b.input(0).data, 64), 0);
  EXPECT_NE(std::memcmp(a.input(0).data, c.input(0).data, 64), 0);
  const auto* bytes = a.input(0).as<uint8_t>();
  EXPECT_FALSE(std::all_of(bytes, bytes + 64, [&](uint8_t v) { return v == bytes[0]; }));
}

}  // namespace
}  // namespace coralpi

// STRIDED_SLICE and SLICE reference kernels, on x = 0..23 as [2, 3, 4] (x[i][j][k] = 12i + 4j
// + k) and y = 0..9 as [10]; expected values written out as numpy would give them.
#include <gtest/gtest.h>

#include <numeric>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Make;
using testing::Message;
using testing::Output;
using testing::Tensor;

Tensor<float> Iota(Shape shape) {
  std::vector<float> v(static_cast<size_t>(NumElements(shape)));
  std::iota(v.begin(), v.end(), 0.0f);
  return Make<float>(std::move(shape), v);
}

struct Spec {
  std::vector<int32_t> begin, end, strides;
  StridedSliceOptions opt;
};

// Runs STRIDED_SLICE into an output of `out_shape`; "ok" or the error.
std::string RunSpec(const Spec& s, Tensor<float>& in, Tensor<float>& out) {
  const int32_t n = static_cast<int32_t>(s.begin.size());
  auto b = Make<int32_t>({n}, s.begin);
  auto e = Make<int32_t>({static_cast<int32_t>(s.end.size())}, s.end);
  auto st = Make<int32_t>({static_cast<int32_t>(s.strides.size())}, s.strides);
  return Message(StridedSlice(s.opt, in.view(), b.view(), e.view(), st.view(), out.view()));
}

StridedSliceOptions Masks(int32_t begin, int32_t end, int32_t shrink = 0, int32_t ellipsis = 0,
                          int32_t new_axis = 0, bool offset = false) {
  return StridedSliceOptions{begin, end, ellipsis, new_axis, shrink, offset};
}

TEST(ReferenceStridedSlice, MasksAndSteps) {
  auto x = Iota({2, 3, 4});
  // x[:, 1:3, ::2]
  auto out = Output<float>({2, 2, 2});
  ASSERT_EQ(RunSpec({{0, 1, 0}, {0, 3, 0}, {1, 1, 2}, Masks(0b101, 0b101)}, x, out), "ok");
  EXPECT_EQ(out.data, (std::vector<float>{4, 6, 8, 10, 16, 18, 20, 22}));
  // x[-1, ::-1, -1]: shrunk axes 0 and 2, reversed axis 1.
  auto rev = Output<float>({3});
  ASSERT_EQ(RunSpec({{-1, 0, -1}, {0, 0, 0}, {1, -1, 1}, Masks(0b010, 0b010, 0b101)}, x, rev),
            "ok");
  EXPECT_EQ(rev.data, (std::vector<float>{23, 19, 15}));
  // Fewer specs than axes: x[1] takes the rest whole.
  auto row = Output<float>({3, 4});
  ASSERT_EQ(RunSpec({{1}, {2}, {1}, Masks(0, 0, 0b1)}, x, row), "ok");
  EXPECT_EQ(row.data[0], 12);
  EXPECT_EQ(row.data[11], 23);
}

TEST(ReferenceStridedSlice, NegativeIndicesStridesAndClamping) {
  auto y = Iota({10});
  auto a = Output<float>({3});  // y[8:2:-2]
  ASSERT_EQ(RunSpec({{8}, {2}, {-2}, {}}, y, a), "ok");
  EXPECT_EQ(a.data, (std::vector<float>{8, 6, 4}));
  auto b = Output<float>({2});  // y[-2:-8:-3]
  ASSERT_EQ(RunSpec({{-2}, {-8}, {-3}, {}}, y, b), "ok");
  EXPECT_EQ(b.data, (std::vector<float>{8, 5}));
  auto c = Output<float>({10});  // y[-100:100]
  ASSERT_EQ(RunSpec({{-100}, {100}, {1}, {}}, y, c), "ok");
  EXPECT_EQ(c.data, y.data);
  auto d = Output<float>({4});  // y[::-3]
  ASSERT_EQ(RunSpec({{0}, {0}, {-3}, Masks(1, 1)}, y, d), "ok");
  EXPECT_EQ(d.data, (std::vector<float>{9, 6, 3, 0}));
  auto empty = Output<float>({0});  // y[5:2]
  ASSERT_EQ(RunSpec({{5}, {2}, {1}, {}}, y, empty), "ok");
  auto none = Output<float>({0});  // y[2:5:-1]
  ASSERT_EQ(RunSpec({{2}, {5}, {-1}, {}}, y, none), "ok");
}

TEST(ReferenceStridedSlice, EllipsisAndNewAxis) {
  auto x = Iota({2, 3, 4});
  // x[..., 1]
  auto last = Output<float>({2, 3});
  ASSERT_EQ(RunSpec({{0, 1}, {0, 2}, {1, 1}, Masks(0, 0, 0b10, 0b01)}, x, last), "ok");
  EXPECT_EQ(last.data, (std::vector<float>{1, 5, 9, 13, 17, 21}));
  // x[1, ...]
  auto first = Output<float>({3, 4});
  ASSERT_EQ(RunSpec({{1, 0}, {2, 0}, {1, 1}, Masks(0, 0, 0b01, 0b10)}, x, first), "ok");
  EXPECT_EQ(first.data[0], 12);
  // x[:, newaxis, 0]: the spec after the new axis applies to input axis 1.
  auto added = Output<float>({2, 1, 4});
  ASSERT_EQ(
      RunSpec({{0, 0, 0}, {0, 0, 1}, {1, 1, 1}, Masks(0b001, 0b001, 0b100, 0, 0b010)}, x, added),
      "ok");
  EXPECT_EQ(added.data, (std::vector<float>{0, 1, 2, 3, 12, 13, 14, 15}));
}

TEST(ReferenceStridedSlice, OffsetModeTakesEndAsALength) {
  auto y = Iota({10});
  Spec s{{3}, {4}, {1}, Masks(0, 0, 0, 0, 0, true)};
  auto four = Output<float>({4});  // y[3:3+4]
  ASSERT_EQ(RunSpec(s, y, four), "ok");
  EXPECT_EQ(four.data, (std::vector<float>{3, 4, 5, 6}));
  s.begin = {-3};  // starts at 7; 7 + 4 is clamped to 10
  auto three = Output<float>({3});
  ASSERT_EQ(RunSpec(s, y, three), "ok");
  EXPECT_EQ(three.data, (std::vector<float>{7, 8, 9}));
}

TEST(ReferenceStridedSlice, Errors) {
  auto y = Iota({10});
  auto one = Output<float>({1});
  EXPECT_EQ(RunSpec({{0}, {1}, {0}, {}}, y, one), "STRIDED_SLICE: axis 0: stride is 0");
  auto scalar = Output<float>({});
  EXPECT_EQ(RunSpec({{12}, {13}, {1}, Masks(0, 0, 1)}, y, scalar),
            "STRIDED_SLICE: shrunk axis 0 selects index 12 outside size 10");
  EXPECT_EQ(RunSpec({{0, 0}, {1}, {1}, {}}, y, one), "STRIDED_SLICE: end: shape [1], expected [2]");
  auto wrong = Output<float>({2});
  EXPECT_EQ(RunSpec({{0}, {3}, {1}, {}}, y, wrong),
            "STRIDED_SLICE: output: shape [2], expected [3]");
  EXPECT_EQ(RunSpec({{0, 0}, {1, 1}, {1, 1}, Masks(0, 0, 0, 0b11)}, y, one),
            "STRIDED_SLICE: ellipsis_mask has more than one bit set");
  EXPECT_EQ(RunSpec({{0, 0}, {1, 1}, {1, 1}, {}}, y, one),
            "STRIDED_SLICE: 2 slice specs do not fit input [10]");
}

TEST(ReferenceSlice, BeginAndSize) {
  auto x = Iota({2, 3, 4});
  auto begin = Make<int32_t>({3}, {1, 0, 1});
  auto size = Make<int64_t>({3}, {1, -1, 2});
  auto out = Output<float>({1, 3, 2});
  ASSERT_EQ(Message(Slice(x.view(), begin.view(), size.view(), out.view())), "ok");
  EXPECT_EQ(out.data, (std::vector<float>{13, 14, 17, 18, 21, 22}));
  auto zero = Make<int32_t>({3}, {0, 3, 0});
  auto empty_size = Make<int32_t>({3}, {2, 0, 4});
  auto empty = Output<float>({2, 0, 4});
  EXPECT_EQ(Message(Slice(x.view(), zero.view(), empty_size.view(), empty.view())), "ok");
}

TEST(ReferenceSlice, Errors) {
  auto x = Iota({2, 3, 4});
  auto out = Output<float>({1, 3, 2});
  auto size = Make<int32_t>({3}, {1, 3, 2});
  auto past = Make<int32_t>({3}, {1, 1, 0});
  EXPECT_EQ(Message(Slice(x.view(), past.view(), size.view(), out.view())),
            "SLICE: axis 1: begin 1 size 3 is outside size 3");
  auto negative = Make<int32_t>({3}, {-1, 0, 0});
  EXPECT_EQ(Message(Slice(x.view(), negative.view(), size.view(), out.view())),
            "SLICE: axis 0: begin -1 size 1 is outside size 2");
  auto bad_size = Make<int32_t>({3}, {1, -2, 2});
  EXPECT_EQ(Message(Slice(x.view(), past.view(), bad_size.view(), out.view())),
            "SLICE: axis 1: begin 1 size -2 is outside size 3");
  auto short_begin = Make<int32_t>({2}, {0, 0});
  EXPECT_EQ(Message(Slice(x.view(), short_begin.view(), size.view(), out.view())),
            "SLICE: begin: shape [2], expected [3]");
  auto floats = Make<float>({3}, {0, 0, 0});
  EXPECT_EQ(Message(Slice(x.view(), floats.view(), size.view(), out.view())),
            "SLICE: begin: expected int32 or int64, got float32");
}

}  // namespace
}  // namespace coralpi::reference

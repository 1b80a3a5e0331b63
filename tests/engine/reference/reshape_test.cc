// RESHAPE (new shape from the shape input or the options, one -1) and EXPAND_DIMS.
#include <gtest/gtest.h>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Make;
using testing::Message;
using testing::Output;

TEST(ReferenceReshape, ShapeInputWithMinusOne) {
  auto in = Make<int32_t>({1, 6}, {1, 2, 3, 4, 5, 6});
  auto shape = Make<int32_t>({2}, {-1, 2});
  auto out = Output<int32_t>({3, 2});
  TensorView s = shape.view();
  ASSERT_EQ(Message(Reshape(ReshapeOptions{}, in.view(), &s, out.view())), "ok");
  EXPECT_EQ(out.data, in.data);
  // MoveNet's [1, 1] -> [-1] -> [1].
  auto flat = Make<int32_t>({1}, {-1});
  auto one = Make<int32_t>({1, 1}, {42});
  auto vec = Output<int32_t>({1});
  TensorView f = flat.view();
  ASSERT_EQ(Message(Reshape(ReshapeOptions{}, one.view(), &f, vec.view())), "ok");
  EXPECT_EQ(vec.data, (std::vector<int32_t>{42}));
}

TEST(ReferenceReshape, OptionsWhenTheShapeInputIsAbsentOrNotAVector) {
  // SSD: [1, 19, 19, 12] -> new_shape [1, -1, 1, 4] = [1, 1083, 1, 4]; here [1, 2, 2, 4].
  EXPECT_EQ(*ReshapeShape(ReshapeOptions{{1, -1, 1, 4}}, {1, 2, 2, 4}, nullptr),
            (Shape{1, 4, 1, 4}));
  auto scalar_shape = Make<int32_t>({}, {7});
  TensorView s = scalar_shape.view();
  EXPECT_EQ(*ReshapeShape(ReshapeOptions{{2, 3}}, {6}, &s), (Shape{2, 3}));
  EXPECT_EQ(*ReshapeShape(ReshapeOptions{{0}}, {1, 1}, nullptr), (Shape{}));
}

TEST(ReferenceReshape, Errors) {
  auto in = Make<float>({6}, {1, 2, 3, 4, 5, 6});
  auto out = Output<float>({3, 2});
  auto two_unknown = Make<int32_t>({2}, {-1, -1});
  TensorView s = two_unknown.view();
  EXPECT_EQ(Message(Reshape(ReshapeOptions{}, in.view(), &s, out.view())),
            "RESHAPE: new shape has dimension -1 (one -1 and sizes >= 0 are allowed)");
  auto uneven = Make<int32_t>({2}, {-1, 4});
  s = uneven.view();
  EXPECT_EQ(Message(Reshape(ReshapeOptions{}, in.view(), &s, out.view())),
            "RESHAPE: cannot reshape [6] (6 elements) to the requested shape");
  auto other = Make<int32_t>({2}, {2, 3});
  s = other.view();
  EXPECT_EQ(Message(Reshape(ReshapeOptions{}, in.view(), &s, out.view())),
            "RESHAPE: output: shape [3, 2], expected [2, 3]");
  EXPECT_FALSE(ReshapeShape(ReshapeOptions{{5}}, {6}, nullptr).ok());
}

TEST(ReferenceExpandDims, InsertsAOne) {
  auto in = Make<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  for (int32_t a : {2, -1}) {
    auto axis = Make<int32_t>({}, {a});
    auto out = Output<float>({2, 3, 1});
    ASSERT_EQ(Message(ExpandDims(in.view(), axis.view(), out.view())), "ok") << a;
    EXPECT_EQ(out.data, in.data);
  }
  auto front = Make<int64_t>({1}, {-3});
  EXPECT_EQ(*ExpandDimsShape({2, 3}, front.view()), (Shape{1, 2, 3}));
  auto far = Make<int32_t>({}, {3});
  auto out = Output<float>({2, 3, 1});
  EXPECT_EQ(Message(ExpandDims(in.view(), far.view(), out.view())),
            "EXPAND_DIMS: axis 3 is outside [-3, 2]");
}

}  // namespace
}  // namespace coralpi::reference

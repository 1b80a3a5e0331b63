// Numpy broadcasting of two tensors into a 4-D output; see broadcast.h.
#include "engine/reference/broadcast.h"

#include <algorithm>
#include <string>

namespace coralpi::reference::internal {
namespace {

// A shape right-aligned into 4 dimensions, leading ones.
std::array<int32_t, 4> Pad4(const Shape& s) {
  std::array<int32_t, 4> d{1, 1, 1, 1};
  for (size_t i = 0; i < s.size(); ++i) d[4 - s.size() + i] = s[i];
  return d;
}

// Element strides of a padded input against the output: 0 along broadcast dimensions.
std::array<int64_t, 4> Strides(const std::array<int32_t, 4>& in) {
  std::array<int64_t, 4> stride{};
  int64_t s = 1;
  for (int i = 3; i >= 0; --i) {
    stride[i] = in[i] == 1 ? 0 : s;
    s *= in[i];
  }
  return stride;
}

}  // namespace

Result<Broadcast4D> MakeBroadcast4D(const char* op, const TensorView& a, const TensorView& b,
                                    const TensorView& output) {
  const std::string shapes = ShapeToString(a.shape) + " and " + ShapeToString(b.shape);
  if (a.shape.size() > 4 || b.shape.size() > 4) {
    return MakeError(op, "inputs " + shapes + ": more than 4 dimensions");
  }
  const std::array<int32_t, 4> da = Pad4(a.shape), db = Pad4(b.shape);
  Broadcast4D bc;
  for (int i = 0; i < 4; ++i) {
    if (da[i] != db[i] && da[i] != 1 && db[i] != 1) {
      return MakeError(op, "shapes " + shapes + " do not broadcast");
    }
    bc.out[i] = da[i] == 1 ? db[i] : da[i];
  }
  Shape expected(std::max(a.shape.size(), b.shape.size()));
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = bc.out[4 - expected.size() + i];
  if (output.shape != expected) {
    return MakeError(op, "output: shape " + ShapeToString(output.shape) + ", expected " +
                             ShapeToString(expected));
  }
  bc.a_stride = Strides(da);
  bc.b_stride = Strides(db);
  return bc;
}

}  // namespace coralpi::reference::internal

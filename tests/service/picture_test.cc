// The live view's pictures (service/picture.h) against `coralpi detect --out`'s
// (vision/drawing.h): a class's box has the same colour in both.
#include "service/picture.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "image/image.h"
#include "vision/drawing.h"

namespace coralpi {
namespace {

const uint8_t* At(const Image& im, int x, int y) {
  return im.rgb.data() + 3 * (static_cast<size_t>(y) * im.width + x);
}

int Distance(const uint8_t* a, const uint8_t* b) {
  return std::abs(a[0] - b[0]) + std::abs(a[1] - b[1]) + std::abs(a[2] - b[2]);
}

TEST(PictureTest, AClassHasTheSameColourAsInDetectsPictures) {
  // A grey 960x960 frame (both pictures draw 6-pixel lines at this size) with one box per class,
  // left edges at even columns so that the JPEG's 2x2 colour blocks sit inside the line.
  Image frame{960, 960, std::vector<uint8_t>(960 * 960 * 3, 128)};
  std::vector<Detection> detections;
  for (int32_t id = 0; id < 4; ++id) {
    const float x0 = 100.0f + 200.0f * static_cast<float>(id);
    detections.push_back({id, "class", 0.9f, {x0, 200.0f, x0 + 150.0f, 800.0f}});
  }
  auto jpeg = DetectionsJpeg(frame, detections, 0, 100);
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().message;
  auto live = DecodeImage(*jpeg, "live.jpg");
  ASSERT_TRUE(live.ok()) << live.error().message;
  auto detect = DrawDetections(frame, detections);
  ASSERT_TRUE(detect.ok()) << detect.error().message;
  const uint8_t grey[3] = {128, 128, 128};
  for (const Detection& d : detections) {
    // On the left edge, halfway down: covered by the line in both pictures.
    const int x = static_cast<int>(d.box.xmin) + 2, y = 500;
    const uint8_t* expected = At(*detect, x, y);
    ASSERT_GT(Distance(expected, grey), 100) << "class " << d.class_id << ": no line there";
    // JPEG at quality 100 moves a flat colour by a few steps; other classes' colours (and the
    // live view's old palette) are tens of steps away.
    EXPECT_LE(Distance(At(*live, x, y), expected), 12)
        << "class " << d.class_id << ": live " << int{At(*live, x, y)[0]} << ","
        << int{At(*live, x, y)[1]} << "," << int{At(*live, x, y)[2]} << " detect "
        << int{expected[0]} << "," << int{expected[1]} << "," << int{expected[2]};
  }
}

}  // namespace
}  // namespace coralpi

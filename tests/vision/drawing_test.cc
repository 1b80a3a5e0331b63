// Pictures: each drawing is written as PNG, decoded again and compared with the input. Pixels
// must differ where boxes, masks, skeletons and text were drawn, and nowhere else (outside a
// margin of a few pixels for antialiasing and line width).
#include "vision/drawing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>

#include "image/encode.h"
#include "image/image.h"
#include "image/test_images.h"

namespace coralpi {
namespace {

constexpr int kW = 400, kH = 300;

// Mid-grey noise: every colour drawn on it changes the pixels it covers.
Image Noise() {
  std::mt19937 rng(5);
  Image im{kW, kH, std::vector<uint8_t>(kW * kH * 3)};
  for (auto& v : im.rgb) v = static_cast<uint8_t>(100 + rng() % 40);
  return im;
}

// Writes `image` as PNG and reads it back: the pictures are checked as users get them.
Image ThroughPng(const Image& image) {
  std::string path = testing::MakeTempDir() + "/picture.png";
  Status s = WriteImageFile(path, image);
  EXPECT_TRUE(s.ok()) << s.error().message;
  auto back = ReadImageFile(path);
  EXPECT_TRUE(back.ok()) << back.error().message;
  return back.ok() ? *back : Image{};
}

bool Differs(const Image& a, const Image& b, int x, int y) {
  size_t i = 3 * (static_cast<size_t>(y) * a.width + x);
  size_t j = 3 * (static_cast<size_t>(y) * b.width + x);
  return a.rgb[i] != b.rgb[j] || a.rgb[i + 1] != b.rgb[j + 1] || a.rgb[i + 2] != b.rgb[j + 2];
}

// Pixels of the input's area that changed although `allowed` says they should not have.
int ChangedOutside(const Image& in, const Image& out,
                   const std::function<bool(double x, double y)>& allowed) {
  int n = 0;
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x)
      if (Differs(in, out, x, y) && !allowed(x + 0.5, y + 0.5)) ++n;
  return n;
}

bool NearRect(double x, double y, double x0, double y0, double x1, double y1, double m) {
  return x >= x0 - m && x <= x1 + m && y >= y0 - m && y <= y1 + m;
}

double SegmentDistance(double px, double py, double ax, double ay, double bx, double by) {
  double dx = bx - ax, dy = by - ay;
  double t = std::clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy + 1e-12), 0.0, 1.0);
  return std::hypot(px - (ax + t * dx), py - (ay + t * dy));
}

TEST(Font, DejaVuIsFoundAndAMissingFontIsAClearError) {
  auto found = FindFontFile();
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_NE(found->find("DejaVuSans"), std::string::npos) << *found;
  FontSearch none{/*use_fontconfig=*/false, {"/nonexistent/DejaVuSans-Bold.ttf"}};
  auto missing = FindFontFile(none);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "no DejaVu Sans font for the text in pictures (/nonexistent/DejaVuSans-Bold.ttf is "
            "missing): install the Debian package fonts-dejavu-core");
  auto canvas = Canvas::Create(Noise(), none);
  EXPECT_FALSE(canvas.ok());
  // A file that is not a font.
  std::string junk = testing::MakeTempDir() + "/DejaVuSans-Bold.ttf";
  ASSERT_TRUE(WriteImageFile(junk + ".png", Noise()).ok());
  ASSERT_EQ(std::rename((junk + ".png").c_str(), junk.c_str()), 0);
  canvas = Canvas::Create(Noise(), FontSearch{false, {junk}});
  ASSERT_FALSE(canvas.ok());
  EXPECT_NE(canvas.error().message.find(junk + ": cannot load the font"), std::string::npos)
      << canvas.error().message;
}

TEST(Canvas, TextIsDrawnWithTheFontWhereAsked) {
  Image white{200, 60, std::vector<uint8_t>(200 * 60 * 3, 255)};
  auto canvas = Canvas::Create(white);
  ASSERT_TRUE(canvas.ok()) << canvas.error().message;
  TextExtent e = canvas->MeasureText("Hg 0.58", 20);
  // DejaVu Sans Bold at 20 px: ascent ~19, descent ~5, 7 glyphs ~ 80 px wide.
  EXPECT_GT(e.width, 50);
  EXPECT_LT(e.width, 120);
  EXPECT_GT(e.ascent, 12);
  canvas->Text(10, 40, "Hg 0.58", 20, Color{0, 0, 0});
  auto out = canvas->Finish();
  ASSERT_TRUE(out.ok());
  int dark = 0;
  for (int y = 0; y < 60; ++y)
    for (int x = 0; x < 200; ++x)
      if (Differs(white, *out, x, y)) {
        EXPECT_TRUE(NearRect(x, y, 10, 40 - e.ascent, 10 + e.width, 40 + e.descent, 2))
            << x << "," << y;
        ++dark;
      }
  EXPECT_GT(dark, 200);  // glyphs, not a dot
}

TEST(Drawing, DetectionsChangeOnlyTheBoxesAndTheirTags) {
  Image in = Noise();
  std::vector<Detection> dets = {
      {1, "dog", 0.58f, {150, 60, 250, 150}},
      {2, "cat", 0.29f, {20, 5, 140, 280}}};  // no room above: tag inside
  auto drawn = DrawDetections(in, dets);
  ASSERT_TRUE(drawn.ok()) << drawn.error().message;
  Image out = ThroughPng(*drawn);
  ASSERT_EQ(out.width, kW);
  ASSERT_EQ(out.height, kH);
  const double m = 4, tag = 30;  // antialiasing; a tag's height at this size
  auto allowed = [&](double x, double y) {
    for (const Detection& d : dets) {
      const BoundingBox& b = d.box;
      bool on_edge =
          NearRect(x, y, b.xmin, b.ymin, b.xmax, b.ymax, m) &&
          !NearRect(x, y, b.xmin + m + 4, b.ymin + m + 4, b.xmax - m - 4, b.ymax - m - 4, 0);
      bool on_tag = NearRect(x, y, b.xmin, std::max(0.0f, b.ymin - static_cast<float>(tag)),
                             b.xmin + 120, b.ymin + tag, m);
      if (on_edge || on_tag) return true;
    }
    return false;
  };
  EXPECT_EQ(ChangedOutside(in, out, allowed), 0);
  // Every edge of both boxes is drawn, the middle of each box is not.
  for (const Detection& d : dets) {
    const BoundingBox& b = d.box;
    int cx = static_cast<int>((b.xmin + b.xmax) / 2), cy = static_cast<int>((b.ymin + b.ymax) / 2);
    EXPECT_TRUE(Differs(in, out, static_cast<int>(b.xmin) + 1, cy));
    EXPECT_TRUE(Differs(in, out, static_cast<int>(b.xmax) - 2, cy));
    EXPECT_TRUE(Differs(in, out, cx, static_cast<int>(b.ymax) - 2));
    EXPECT_FALSE(Differs(in, out, cx, cy));
  }
  // The first box's tag sits above it; the second's inside its top edge.
  EXPECT_TRUE(Differs(in, out, 152, 50));
  EXPECT_TRUE(Differs(in, out, 22, 15));
  // Nothing to draw: the same picture.
  auto none = DrawDetections(in, {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, in);
}

TEST(Drawing, SegmentationOverlayAndLegend) {
  Image in = Noise();
  SegmentationMap map{kW, kH, std::vector<int32_t>(kW * kH, 0)};
  auto in_bird = [](int x, int y) { return x >= 100 && x < 220 && y >= 50 && y < 170; };
  auto in_cat = [](int x, int y) { return x >= 300 && y >= 200; };
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x)
      map.classes[static_cast<size_t>(y * kW + x)] = in_bird(x, y) ? 3 : in_cat(x, y) ? 8 : 0;
  std::vector<LegendEntry> legend = {{3, "bird 12.0%"}, {8, "cat 8.3%"}};
  auto drawn = DrawSegmentation(in, map, legend, /*background=*/0);
  ASSERT_TRUE(drawn.ok()) << drawn.error().message;
  Image out = ThroughPng(*drawn);
  ASSERT_EQ(out.width, kW);
  ASSERT_GT(out.height, kH);  // the legend's band
  // Inside the image: exactly the masked pixels changed (the overlay is per pixel, no margin).
  int changed_mask = 0, mask = 0;
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      bool masked = in_bird(x, y) || in_cat(x, y);
      mask += masked;
      if (Differs(in, out, x, y)) {
        EXPECT_TRUE(masked) << x << "," << y;
        changed_mask += masked;
      }
    }
  EXPECT_EQ(changed_mask, mask);
  // Half way between the image and the class colour.
  Color bird = ClassColor(3);
  size_t i = 3 * (100 * kW + 150);
  EXPECT_NEAR(out.rgb[i], (in.rgb[i] + bird.r) / 2.0, 1.0);
  // The band holds both swatches' colours and dark text.
  int swatch3 = 0, swatch8 = 0, dark = 0;
  Color cat = ClassColor(8);
  for (int y = kH; y < out.height; ++y)
    for (int x = 0; x < kW; ++x) {
      const uint8_t* p = &out.rgb[3 * (static_cast<size_t>(y) * kW + x)];
      swatch3 += p[0] == bird.r && p[1] == bird.g && p[2] == bird.b;
      swatch8 += p[0] == cat.r && p[1] == cat.g && p[2] == cat.b;
      dark += p[0] < 60 && p[1] < 60 && p[2] < 60;
    }
  EXPECT_GT(swatch3, 50);
  EXPECT_GT(swatch8, 50);
  EXPECT_GT(dark, 100);
  // A map of another size is an error.
  EXPECT_FALSE(DrawSegmentation(in, SegmentationMap{2, 2, {0, 0, 0, 0}}, legend, 0).ok());
}

TEST(Drawing, SkeletonOnlyBetweenConfidentKeypoints) {
  Image in = Noise();
  std::vector<Keypoint> kps;
  for (int i = 0; i < kPoseKeypoints; ++i)
    kps.push_back({KeypointNames()[static_cast<size_t>(i)], 50.0f + 18 * i, 40.0f + 12 * i, 0.1f});
  // Confident: left shoulder, elbow, wrist (5, 7, 9) and right shoulder (6).
  for (int i : {5, 7, 9, 6}) kps[static_cast<size_t>(i)].score = 0.9f;
  kps[7] = {"left_elbow", 300, 60, 0.9f};
  auto drawn = DrawPose(in, kps, 0.3f);
  ASSERT_TRUE(drawn.ok()) << drawn.error().message;
  Image out = ThroughPng(*drawn);
  const std::pair<int, int> bones[] = {{5, 7}, {7, 9}, {5, 6}};
  const double m = 10;  // dot radius and line width at this size, plus antialiasing
  auto allowed = [&](double x, double y) {
    for (auto [a, b] : bones) {
      const Keypoint &p = kps[static_cast<size_t>(a)], &q = kps[static_cast<size_t>(b)];
      if (SegmentDistance(x, y, p.x, p.y, q.x, q.y) <= m) return true;
    }
    return false;
  };
  EXPECT_EQ(ChangedOutside(in, out, allowed), 0);
  for (int i : {5, 6, 7, 9}) {
    const Keypoint& k = kps[static_cast<size_t>(i)];
    EXPECT_TRUE(Differs(in, out, static_cast<int>(k.x), static_cast<int>(k.y))) << k.name;
  }
  // Half way along the elbow-wrist bone.
  EXPECT_TRUE(Differs(in, out, static_cast<int>((kps[7].x + kps[9].x) / 2),
                      static_cast<int>((kps[7].y + kps[9].y) / 2)));
  // A low-score keypoint gets no dot.
  EXPECT_FALSE(Differs(in, out, static_cast<int>(kps[15].x), static_cast<int>(kps[15].y)));
}

TEST(Drawing, TextBandBelowKeepsTheImage) {
  Image in = Noise();
  std::vector<std::string> lines = {"1. macaw 0.982", "2. toucan 0.004"};
  auto drawn = DrawTextBand(in, lines);
  ASSERT_TRUE(drawn.ok()) << drawn.error().message;
  Image out = ThroughPng(*drawn);
  ASSERT_EQ(out.width, kW);
  ASSERT_GT(out.height, kH + 30);
  EXPECT_EQ(ChangedOutside(in, out, [](double, double) { return false; }), 0);
  int dark = 0;
  for (size_t i = 3 * kW * kH; i < out.rgb.size(); i += 3) dark += out.rgb[i] < 60;
  EXPECT_GT(dark, 100);
}

TEST(Drawing, ColoursAndScale) {
  EXPECT_NE(ClassColor(0), ClassColor(1));
  EXPECT_EQ(ClassColor(3), ClassColor(23));
  EXPECT_EQ(ClassColor(-1), ClassColor(19));
  PictureScale small = ScaleFor(100, 80), big = ScaleFor(4000, 3000);
  EXPECT_LT(small.font_size, big.font_size);
  EXPECT_LE(small.line_width, big.line_width);
  EXPECT_GE(small.font_size, 11);
}

}  // namespace
}  // namespace coralpi

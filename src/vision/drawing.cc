// Pictures of detection, segmentation, pose and classification results; see drawing.h.
#include "vision/drawing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace coralpi {
namespace {

constexpr Color kWhite{255, 255, 255};
constexpr Color kBlack{0, 0, 0};
constexpr Color kGrey{110, 110, 110};
constexpr Color kLeft{255, 140, 0};     // orange
constexpr Color kRight{0, 170, 255};    // sky blue
constexpr Color kMiddle{250, 250, 60};  // yellow

// Black or white, whichever reads better on `c`.
Color TextOn(Color c) {
  double luma = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
  return luma > 150 ? kBlack : kWhite;
}

// `image` with `band` white rows added below.
Image WithBand(const Image& image, int band) {
  Image out{image.width, image.height + band, image.rgb};
  out.rgb.resize(static_cast<size_t>(out.width) * out.height * 3, 255);
  return out;
}

// A text line's height for `font_size`.
double LineHeight(double font_size) { return std::ceil(font_size * 1.45); }

// Keypoint i's side: 1 left, 2 right, 0 the nose (odd indices are left in COCO's order).
int Side(int i) { return i == 0 ? 0 : (i % 2 == 1 ? 1 : 2); }

Color SideColor(int side) { return side == 1 ? kLeft : side == 2 ? kRight : kMiddle; }

void DrawBox(Canvas& c, const Detection& d, const PictureScale& s) {
  const Color color = ClassColor(d.class_id);
  c.StrokeRect(d.box.xmin, d.box.ymin, d.box.xmax, d.box.ymax, color, s.line_width);
  char score[32];
  std::snprintf(score, sizeof score, " %.2f", d.score);
  const std::string tag = d.label + score;
  const double pad = std::ceil(s.font_size * 0.25);
  TextExtent e = c.MeasureText(tag, s.font_size);
  const double tag_w = std::ceil(e.width) + 2 * pad;
  const double tag_h = std::ceil(e.ascent + e.descent) + pad;
  double x = std::clamp<double>(d.box.xmin, 0, std::max(0.0, c.width() - tag_w));
  double y = d.box.ymin - tag_h >= 0 ? d.box.ymin - tag_h : d.box.ymin;
  c.FillRect(x, y, x + tag_w, y + tag_h, color);
  c.Text(x + pad, y + pad / 2 + e.ascent, tag, s.font_size, TextOn(color));
}

// Blends each pixel's class colour over the image.
Image BlendClasses(const Image& image, const SegmentationMap& map, int32_t background,
                   float opacity) {
  Image out = image;
  const int a = static_cast<int>(std::lround(std::clamp(opacity, 0.0f, 1.0f) * 256));
  for (size_t i = 0; i < map.classes.size(); ++i) {
    if (map.classes[i] == background) continue;
    const Color c = ClassColor(map.classes[i]);
    uint8_t* p = &out.rgb[3 * i];
    const int rgb[3] = {c.r, c.g, c.b};
    for (int k = 0; k < 3; ++k)
      p[k] = static_cast<uint8_t>((p[k] * (256 - a) + rgb[k] * a + 128) >> 8);
  }
  return out;
}

}  // namespace

Color ClassColor(int32_t class_id) {
  static constexpr Color kPalette[20] = {
      {230, 25, 75},   {60, 180, 75},   {255, 225, 25},  {0, 130, 200},   {245, 130, 48},
      {145, 30, 180},  {70, 240, 240},  {240, 50, 230},  {210, 245, 60},  {250, 190, 212},
      {0, 128, 128},   {220, 190, 255}, {170, 110, 40},  {255, 250, 200}, {128, 0, 0},
      {170, 255, 195}, {128, 128, 0},   {255, 215, 180}, {0, 0, 128},     {128, 128, 128}};
  const int32_t n = 20;
  return kPalette[((class_id % n) + n) % n];
}

PictureScale ScaleFor(int width, int height) {
  const double side = std::max(1, std::min(width, height));
  return {std::clamp(std::round(side / 170), 2.0, 8.0),
          std::clamp(std::round(side / 28), 11.0, 48.0)};
}

Result<Image> DrawDetections(const Image& image, std::span<const Detection> detections) {
  CORALPI_ASSIGN_OR_RETURN(Canvas canvas, Canvas::Create(image));
  const PictureScale s = ScaleFor(image.width, image.height);
  std::vector<const Detection*> order;
  for (const Detection& d : detections) order.push_back(&d);
  std::stable_sort(order.begin(), order.end(),
                   [](const Detection* a, const Detection* b) { return a->score < b->score; });
  for (const Detection* d : order) DrawBox(canvas, *d, s);
  return canvas.Finish();
}

Result<Image> DrawSegmentation(const Image& image, const SegmentationMap& map,
                               std::span<const LegendEntry> legend, int32_t background,
                               float opacity) {
  if (map.width != image.width || map.height != image.height ||
      map.classes.size() != static_cast<size_t>(map.width) * map.height) {
    return Error{"the class map is " + std::to_string(map.width) + "x" +
                 std::to_string(map.height) + " but the image is " + std::to_string(image.width) +
                 "x" + std::to_string(image.height)};
  }
  const PictureScale s = ScaleFor(image.width, image.height);
  const double line = LineHeight(s.font_size);
  const double gap = s.font_size;
  // Entries flow left to right in columns as wide as the widest entry.
  CORALPI_ASSIGN_OR_RETURN(Canvas probe, Canvas::Create(Image{1, 1, {0, 0, 0}}));
  double widest = 0;
  for (const LegendEntry& e : legend)
    widest = std::max(widest, probe.MeasureText(e.text, s.font_size).width);
  const double column = line + gap / 2 + widest + gap;
  const int per_row = std::max(1, static_cast<int>((image.width - gap) / column));
  const int rows = legend.empty() ? 0 : static_cast<int>((legend.size() + per_row - 1) / per_row);
  const int band = rows == 0 ? 0 : static_cast<int>(rows * line + gap);
  CORALPI_ASSIGN_OR_RETURN(
      Canvas canvas, Canvas::Create(WithBand(BlendClasses(image, map, background, opacity), band)));
  for (size_t i = 0; i < legend.size(); ++i) {
    const double x = gap + static_cast<double>(i % per_row) * column;
    const double y = image.height + gap / 2 + static_cast<double>(i / per_row) * line;
    const double sw = line * 0.8;
    canvas.FillRect(x, y + (line - sw) / 2, x + sw, y + (line + sw) / 2,
                    ClassColor(legend[i].class_id));
    // A thin outline, so pale colours stand out from the white band.
    canvas.StrokeRect(x, y + (line - sw) / 2, x + sw, y + (line + sw) / 2, kGrey, 1.0);
    canvas.Text(x + line + gap / 2, y + line * 0.72, legend[i].text, s.font_size, kBlack);
  }
  return canvas.Finish();
}

Result<Image> DrawPose(const Image& image, std::span<const Keypoint> keypoints, float threshold) {
  CORALPI_ASSIGN_OR_RETURN(Canvas canvas, Canvas::Create(image));
  const PictureScale s = ScaleFor(image.width, image.height);
  auto shown = [&](int i) {
    return i >= 0 && static_cast<size_t>(i) < keypoints.size() &&
           keypoints[static_cast<size_t>(i)].score >= threshold;
  };
  for (auto [a, b] : SkeletonEdges()) {
    if (!shown(a) || !shown(b)) continue;
    const Keypoint& p = keypoints[static_cast<size_t>(a)];
    const Keypoint& q = keypoints[static_cast<size_t>(b)];
    const int side = Side(a) == Side(b) ? Side(a) : 0;
    canvas.Line(p.x, p.y, q.x, q.y, SideColor(side), s.line_width * 1.5);
  }
  for (size_t i = 0; i < keypoints.size(); ++i) {
    if (!shown(static_cast<int>(i))) continue;
    canvas.Disc(keypoints[i].x, keypoints[i].y, s.line_width * 2,
                SideColor(Side(static_cast<int>(i))), kBlack, 1.0);
  }
  return canvas.Finish();
}

Result<Image> DrawTextBand(const Image& image, std::span<const std::string> lines) {
  const PictureScale s = ScaleFor(image.width, image.height);
  const double line = LineHeight(s.font_size);
  const int band = lines.empty() ? 0 : static_cast<int>(lines.size() * line + s.font_size);
  CORALPI_ASSIGN_OR_RETURN(Canvas canvas, Canvas::Create(WithBand(image, band)));
  for (size_t i = 0; i < lines.size(); ++i) {
    canvas.Text(s.font_size,
                image.height + s.font_size / 2 + static_cast<double>(i) * line + line * 0.72,
                lines[i], s.font_size, kBlack);
  }
  return canvas.Finish();
}

}  // namespace coralpi

// Canvas: an Image drawn on with Cairo (lines, rectangles, circles, text in the DejaVu Sans
// font), for the pictures the commands write. Cairo renders and antialiases; text goes through
// FreeType with a real font, found and loaded once per process (FindFontFile).
//
// Coordinates are continuous pixel coordinates (pixel x covers [x, x + 1)), as in the rest of
// src/vision. Any drawing outside the image is clipped.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "image/image.h"

namespace coralpi {

struct Color {
  uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Color&) const = default;
};

// Where the font is looked for: the given paths in order (Debian's fonts-dejavu-core), then
// fontconfig's best match for "DejaVu Sans:bold", accepted only when it is a DejaVu Sans file.
struct FontSearch {
  bool use_fontconfig = true;
  std::vector<std::string> paths = {"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                                    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"};
};
// The font file's path, or an error that says what to install.
Result<std::string> FindFontFile(const FontSearch& search = {});

struct TextExtent {
  double width = 0;
  double ascent = 0;   // above the baseline
  double descent = 0;  // below it
};

class Canvas {
 public:
  // A canvas holding a copy of `image` (at least 1x1), with the font of `search`.
  static Result<Canvas> Create(const Image& image, const FontSearch& search = {});
  ~Canvas();
  Canvas(Canvas&&) noexcept;
  Canvas& operator=(Canvas&&) noexcept;

  int width() const;
  int height() const;

  void StrokeRect(double x0, double y0, double x1, double y1, Color color, double line_width);
  void FillRect(double x0, double y0, double x1, double y1, Color color, double alpha = 1.0);
  void Line(double x0, double y0, double x1, double y1, Color color, double line_width);
  // A filled disc with an outline of `outline_width` (0: none).
  void Disc(double cx, double cy, double radius, Color fill, Color outline, double outline_width);
  TextExtent MeasureText(const std::string& text, double size);
  // Text whose baseline starts at (x, y).
  void Text(double x, double y, const std::string& text, double size, Color color);

  // The drawn pixels, or the error Cairo met while drawing (a font it could not load, ...).
  Result<Image> Finish();

 private:
  struct State;
  explicit Canvas(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace coralpi

// Cairo drawing over an Image; see canvas.h.
//
// The image is copied into a Cairo RGB24 surface (one native-endian uint32 0x00RRGGBB per
// pixel), drawn on, and copied back. The font file is opened with FreeType and handed to Cairo
// (cairo-ft), once per process, so the file found is the file used and fontconfig is only
// asked when the font is not at its Debian path. (fontconfig 2.14 loses a few hundred bytes
// while parsing its configuration, which LeakSanitizer reports; the common path avoids it.)
#include "vision/canvas.h"

#include <cairo-ft.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <sys/stat.h>

#include <cmath>
#include <map>
#include <mutex>
#include <optional>

namespace coralpi {
namespace {

bool IsFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// fontconfig's best match for DejaVu Sans Bold, when it really is a DejaVu Sans file.
std::string FontconfigMatch(std::string* seen) {
  FcPattern* want = FcNameParse(reinterpret_cast<const FcChar8*>("DejaVu Sans:bold"));
  if (want == nullptr) return "";
  FcConfigSubstitute(nullptr, want, FcMatchPattern);
  FcDefaultSubstitute(want);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, want, &result);
  std::string path;
  if (match != nullptr) {
    FcChar8* file = nullptr;
    FcChar8* family = nullptr;
    if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetString(match, FC_FAMILY, 0, &family) == FcResultMatch) {
      std::string f = reinterpret_cast<const char*>(file);
      *seen = reinterpret_cast<const char*>(family);
      if (*seen == "DejaVu Sans" && IsFile(f)) path = f;
    }
    FcPatternDestroy(match);
  }
  FcPatternDestroy(want);
  return path;
}

void SetColor(cairo_t* cr, Color c, double alpha = 1.0) {
  cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, alpha);
}

// The Cairo font face of a font file, made once per file and kept for the process (Cairo and
// FreeType lock the face while they use it). Errors name the file.
Result<cairo_font_face_t*> FontFace(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, cairo_font_face_t*> faces;
  static FT_Library library = nullptr;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = faces.find(path); it != faces.end()) return it->second;
  if (library == nullptr && FT_Init_FreeType(&library) != 0) {
    library = nullptr;
    return Error{"cannot start FreeType"};
  }
  FT_Face face = nullptr;
  if (FT_Error e = FT_New_Face(library, path.c_str(), 0, &face); e != 0) {
    return MakeError(path, "cannot load the font (FreeType error " + std::to_string(e) + ")");
  }
  cairo_font_face_t* font = cairo_ft_font_face_create_for_ft_face(face, 0);
  static cairo_user_data_key_t key;
  cairo_font_face_set_user_data(font, &key, face,
                                [](void* f) { FT_Done_Face(static_cast<FT_Face>(f)); });
  if (cairo_font_face_status(font) != CAIRO_STATUS_SUCCESS) {
    Error error = MakeError(path, std::string("cannot load the font: ") +
                                      cairo_status_to_string(cairo_font_face_status(font)));
    cairo_font_face_destroy(font);
    return error;
  }
  faces[path] = font;
  return font;
}

}  // namespace

Result<std::string> FindFontFile(const FontSearch& search) {
  for (const std::string& p : search.paths) {
    if (IsFile(p)) return p;
  }
  std::string fontconfig_found;
  if (search.use_fontconfig) {
    std::string path = FontconfigMatch(&fontconfig_found);
    if (!path.empty()) return path;
  }
  std::string looked =
      search.use_fontconfig
          ? "fontconfig offers " + (fontconfig_found.empty() ? std::string("no match")
                                                             : "\"" + fontconfig_found + "\"")
          : std::string();
  for (const std::string& p : search.paths)
    looked += (looked.empty() ? "" : ", ") + p + " is missing";
  return Error{"no DejaVu Sans font for the text in pictures (" + looked +
               "): install the Debian package fonts-dejavu-core"};
}

struct Canvas::State {
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  int width = 0, height = 0;

  ~State() {
    if (cr) cairo_destroy(cr);
    if (surface) cairo_surface_destroy(surface);
  }
};

Canvas::Canvas(std::unique_ptr<State> state) : state_(std::move(state)) {}
Canvas::~Canvas() = default;
Canvas::Canvas(Canvas&&) noexcept = default;
Canvas& Canvas::operator=(Canvas&&) noexcept = default;

Result<Canvas> Canvas::Create(const Image& image, const FontSearch& search) {
  if (image.width < 1 || image.height < 1 ||
      image.rgb.size() != static_cast<size_t>(image.width) * image.height * 3) {
    return Error{"cannot draw on a " + std::to_string(image.width) + "x" +
                 std::to_string(image.height) + " image"};
  }
  static std::mutex mu;
  static std::optional<Result<std::string>> default_font;
  Result<std::string> font_path = Error{""};
  {
    std::lock_guard<std::mutex> lock(mu);
    bool is_default = search.use_fontconfig && search.paths == FontSearch{}.paths;
    if (is_default && !default_font) default_font = FindFontFile(search);
    font_path = is_default ? *default_font : FindFontFile(search);
  }
  if (!font_path.ok()) return font_path.error();
  CORALPI_ASSIGN_OR_RETURN(cairo_font_face_t * font, FontFace(*font_path));

  auto s = std::make_unique<State>();
  s->width = image.width;
  s->height = image.height;
  s->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, image.width, image.height);
  if (cairo_surface_status(s->surface) != CAIRO_STATUS_SUCCESS) {
    return Error{std::string("cannot make a drawing surface: ") +
                 cairo_status_to_string(cairo_surface_status(s->surface))};
  }
  cairo_surface_flush(s->surface);
  unsigned char* data = cairo_image_surface_get_data(s->surface);
  const int stride = cairo_image_surface_get_stride(s->surface);
  for (int y = 0; y < image.height; ++y) {
    auto* row = reinterpret_cast<uint32_t*>(data + static_cast<size_t>(y) * stride);
    const uint8_t* src = image.rgb.data() + static_cast<size_t>(y) * image.width * 3;
    for (int x = 0; x < image.width; ++x, src += 3) {
      row[x] = (uint32_t{src[0]} << 16) | (uint32_t{src[1]} << 8) | src[2];
    }
  }
  cairo_surface_mark_dirty(s->surface);
  s->cr = cairo_create(s->surface);

  cairo_set_font_face(s->cr, font);
  return Canvas(std::move(s));
}

int Canvas::width() const { return state_->width; }
int Canvas::height() const { return state_->height; }

void Canvas::StrokeRect(double x0, double y0, double x1, double y1, Color color, double lw) {
  cairo_t* cr = state_->cr;
  // Inside the given rectangle: the stroke is centred on a path inset by half its width.
  cairo_rectangle(cr, x0 + lw / 2, y0 + lw / 2, std::max(0.0, x1 - x0 - lw),
                  std::max(0.0, y1 - y0 - lw));
  SetColor(cr, color);
  cairo_set_line_width(cr, lw);
  cairo_stroke(cr);
}

void Canvas::FillRect(double x0, double y0, double x1, double y1, Color color, double alpha) {
  cairo_t* cr = state_->cr;
  cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
  SetColor(cr, color, alpha);
  cairo_fill(cr);
}

void Canvas::Line(double x0, double y0, double x1, double y1, Color color, double lw) {
  cairo_t* cr = state_->cr;
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1, y1);
  SetColor(cr, color);
  cairo_set_line_width(cr, lw);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke(cr);
}

void Canvas::Disc(double cx, double cy, double r, Color fill, Color outline, double ow) {
  cairo_t* cr = state_->cr;
  cairo_new_path(cr);
  cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
  SetColor(cr, fill);
  if (ow <= 0) {
    cairo_fill(cr);
    return;
  }
  cairo_fill_preserve(cr);
  SetColor(cr, outline);
  cairo_set_line_width(cr, ow);
  cairo_stroke(cr);
}

TextExtent Canvas::MeasureText(const std::string& text, double size) {
  cairo_t* cr = state_->cr;
  cairo_set_font_size(cr, size);
  cairo_font_extents_t fe{};
  cairo_font_extents(cr, &fe);
  cairo_text_extents_t te{};
  cairo_text_extents(cr, text.c_str(), &te);
  return {te.x_advance, fe.ascent, fe.descent};
}

void Canvas::Text(double x, double y, const std::string& text, double size, Color color) {
  cairo_t* cr = state_->cr;
  cairo_set_font_size(cr, size);
  SetColor(cr, color);
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, text.c_str());
  cairo_new_path(cr);
}

Result<Image> Canvas::Finish() {
  if (cairo_status(state_->cr) != CAIRO_STATUS_SUCCESS) {
    return Error{std::string("drawing failed: ") +
                 cairo_status_to_string(cairo_status(state_->cr))};
  }
  cairo_surface_flush(state_->surface);
  const unsigned char* data = cairo_image_surface_get_data(state_->surface);
  const int stride = cairo_image_surface_get_stride(state_->surface);
  Image out{state_->width, state_->height,
            std::vector<uint8_t>(static_cast<size_t>(state_->width) * state_->height * 3)};
  for (int y = 0; y < out.height; ++y) {
    auto* row = reinterpret_cast<const uint32_t*>(data + static_cast<size_t>(y) * stride);
    uint8_t* dst = out.rgb.data() + static_cast<size_t>(y) * out.width * 3;
    for (int x = 0; x < out.width; ++x, dst += 3) {
      dst[0] = static_cast<uint8_t>(row[x] >> 16);
      dst[1] = static_cast<uint8_t>(row[x] >> 8);
      dst[2] = static_cast<uint8_t>(row[x]);
    }
  }
  return out;
}

}  // namespace coralpi

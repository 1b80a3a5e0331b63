// Frames with boxes as JPEG; see picture.h. The box drawing and the libjpeg encoder below are
// the stopgap that picture.h mentions.
#include "service/picture.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
// jpeglib.h needs size_t and FILE declared before it.
#include <jpeglib.h>

#include <algorithm>
#include <cmath>

#include "image/resize.h"

namespace coralpi {
namespace {

struct Rgb {
  uint8_t r, g, b;
};

// Saturated colours, one per class id, repeating.
Rgb ClassRgb(int32_t class_id) {
  static const Rgb kColors[] = {{255, 56, 56},  {56, 255, 56},  {255, 180, 0},  {0, 200, 255},
                                {255, 56, 255}, {255, 255, 56}, {120, 90, 255}, {0, 255, 180}};
  return kColors[static_cast<uint32_t>(class_id) % (sizeof kColors / sizeof kColors[0])];
}

void FillRect(Image& im, int x0, int y0, int x1, int y1, Rgb c) {
  x0 = std::clamp(x0, 0, im.width), x1 = std::clamp(x1, 0, im.width);
  y0 = std::clamp(y0, 0, im.height), y1 = std::clamp(y1, 0, im.height);
  for (int y = y0; y < y1; ++y) {
    uint8_t* p = im.rgb.data() + 3 * (static_cast<size_t>(y) * im.width + x0);
    for (int x = x0; x < x1; ++x, p += 3) p[0] = c.r, p[1] = c.g, p[2] = c.b;
  }
}

// The outline of `b` (already in `im`'s pixels), `line` pixels wide, inside the box.
void DrawBox(Image& im, const BoundingBox& b, int line, Rgb c) {
  int x0 = static_cast<int>(std::lround(b.xmin)), y0 = static_cast<int>(std::lround(b.ymin));
  int x1 = static_cast<int>(std::lround(b.xmax)), y1 = static_cast<int>(std::lround(b.ymax));
  if (x1 <= x0 || y1 <= y0) return;
  FillRect(im, x0, y0, x1, y0 + line, c);
  FillRect(im, x0, y1 - line, x1, y1, c);
  FillRect(im, x0, y0, x0 + line, y1, c);
  FillRect(im, x1 - line, y0, x1, y1, c);
}

struct JpegError {
  jpeg_error_mgr pub;  // first, so the library's pointer can be cast to this
  jmp_buf jump;
};

[[noreturn]] void OnJpegError(j_common_ptr cinfo) {
  std::longjmp(reinterpret_cast<JpegError*>(cinfo->err)->jump, 1);
}

// Owns no C++ object across the setjmp: the buffer is libjpeg's (malloc), copied out after.
bool CompressJpeg(const Image& image, int quality, unsigned char** out, unsigned long* size) {
  jpeg_compress_struct cinfo;
  JpegError err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnJpegError;
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, out, size);
  cinfo.image_width = static_cast<JDIMENSION>(image.width);
  cinfo.image_height = static_cast<JDIMENSION>(image.height);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  cinfo.dct_method = JDCT_IFAST;
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(image.rgb.data() +
                                        3 * static_cast<size_t>(cinfo.next_scanline) * image.width);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

Result<std::vector<uint8_t>> EncodeJpeg(const Image& image, int quality) {
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  bool ok = CompressJpeg(image, quality, &buffer, &size);
  std::vector<uint8_t> bytes;
  if (ok) bytes.assign(buffer, buffer + size);
  std::free(buffer);
  if (!ok) return Error{"JPEG encoding failed"};
  return bytes;
}

}  // namespace

Result<std::vector<uint8_t>> DetectionsJpeg(const Image& frame,
                                            std::span<const Detection> detections, int height,
                                            int quality) {
  if (frame.width < 2 || frame.height < 2) return Error{"no picture to encode"};
  Image scaled;
  const Image* picture = &frame;
  float scale = 1.0f;
  if (height > 0 && height < frame.height) {
    scale = static_cast<float>(height) / static_cast<float>(frame.height);
    int width = std::max(2, static_cast<int>(std::lround(frame.width * scale)));
    CORALPI_ASSIGN_OR_RETURN(scaled,
                             Resize(frame, width, std::max(2, height), ResizeMode::kStretch));
    picture = &scaled;
  }
  if (!detections.empty()) {
    if (picture == &frame) scaled = frame;
    int line = std::max(2, std::min(scaled.width, scaled.height) / 160);
    for (const Detection& d : detections) {
      BoundingBox b{d.box.xmin * scale, d.box.ymin * scale, d.box.xmax * scale, d.box.ymax * scale};
      DrawBox(scaled, b, line, ClassRgb(d.class_id));
    }
    picture = &scaled;
  }
  return EncodeJpeg(*picture, quality);
}

}  // namespace coralpi

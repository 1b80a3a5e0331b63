// JPEG decoding and encoding with libjpeg-turbo.
//
// libjpeg reports errors by calling error_exit, which by default calls exit(). Here it
// longjmps back to a setjmp in a small function that owns no C++ objects, so no destructor is
// skipped. libjpeg treats data that ends early as a warning and pads the image with grey; here
// that warning is an error, so a truncated file never decodes to a half-grey picture.
#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>

// jpeglib.h needs size_t and FILE declared before it, and jerror.h needs jpeglib.h.
#include <jpeglib.h>
// (keep this order)
#include <jerror.h>

#include "image/formats.h"

namespace coralpi::image_internal {
namespace {

// A progressive JPEG can hold thousands of tiny scans that cost time but add nothing.
constexpr int kMaxScans = 1000;

struct JpegErrorManager {
  jpeg_error_mgr pub;  // first, so a j_common_ptr's err can be cast to this
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void Fail(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  std::longjmp(err->jump, 1);
}

[[noreturn]] void OnError(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  Fail(cinfo);
}

void OnMessage(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace messages
  int code = cinfo->err->msg_code;
  if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER) {
    auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, err->message);
    std::strncat(err->message, " (the file is truncated or corrupt)",
                 sizeof err->message - std::strlen(err->message) - 1);
    Fail(cinfo);
  }
  // Other warnings (such as extraneous bytes between markers) still give a usable image.
}

void OnProgress(j_common_ptr cinfo) {
  if (!cinfo->is_decompressor) return;
  auto* dinfo = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (dinfo->input_scan_number > kMaxScans) {
    auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
    std::snprintf(err->message, sizeof err->message, "more than %d scans", kMaxScans);
    Fail(cinfo);
  }
}

struct JpegReader {
  jpeg_decompress_struct cinfo;
  JpegErrorManager err;
  jpeg_progress_mgr progress;
  bool created = false;

  JpegReader() {
    std::memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = OnError;
    err.pub.emit_message = OnMessage;
    err.message[0] = '\0';
    progress.progress_monitor = OnProgress;
  }
  ~JpegReader() {
    if (created) jpeg_destroy_decompress(&cinfo);
  }
  JpegReader(const JpegReader&) = delete;
  JpegReader& operator=(const JpegReader&) = delete;
};

// Reads the header and chooses the output colour space. False on error (message in err).
bool ReadHeader(JpegReader* r, const uint8_t* data, size_t size, const DecodeOptions& opt) {
  if (setjmp(r->err.jump)) return false;
  jpeg_create_decompress(&r->cinfo);
  r->created = true;
  r->cinfo.progress = &r->progress;
  jpeg_mem_src(&r->cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&r->cinfo, TRUE);
  J_COLOR_SPACE in = r->cinfo.jpeg_color_space;
  r->cinfo.out_color_space = (in == JCS_CMYK || in == JCS_YCCK) ? JCS_CMYK : JCS_RGB;
  if (opt.min_width > 0 && opt.min_height > 0) {
    // The largest DCT downscale whose result still covers the requested size.
    for (unsigned denom : {8u, 4u, 2u}) {
      if ((r->cinfo.image_width + denom - 1) / denom >= static_cast<unsigned>(opt.min_width) &&
          (r->cinfo.image_height + denom - 1) / denom >= static_cast<unsigned>(opt.min_height)) {
        r->cinfo.scale_num = 1;
        r->cinfo.scale_denom = denom;
        break;
      }
    }
  }
  jpeg_calc_output_dimensions(&r->cinfo);
  return true;
}

// Decodes every scanline into `out` (output_components bytes per pixel, rows packed).
bool ReadPixels(JpegReader* r, uint8_t* out) {
  if (setjmp(r->err.jump)) return false;
  jpeg_start_decompress(&r->cinfo);
  size_t row_bytes = static_cast<size_t>(r->cinfo.output_width) * r->cinfo.output_components;
  while (r->cinfo.output_scanline < r->cinfo.output_height) {
    JSAMPROW row = out + row_bytes * r->cinfo.output_scanline;
    if (jpeg_read_scanlines(&r->cinfo, &row, 1) != 1) {
      std::snprintf(r->err.message, sizeof r->err.message, "no data for scanline %u",
                    r->cinfo.output_scanline);
      return false;
    }
  }
  jpeg_finish_decompress(&r->cinfo);
  return true;
}

// Adobe CMYK JPEGs store inverted ink amounts: 255 means no ink, so R = C * K / 255.
void CmykToRgb(const std::vector<uint8_t>& cmyk, Image& image) {
  size_t pixels = cmyk.size() / 4;
  for (size_t i = 0; i < pixels; ++i) {
    unsigned k = cmyk[4 * i + 3];
    for (int c = 0; c < 3; ++c) {
      image.rgb[3 * i + c] = static_cast<uint8_t>((cmyk[4 * i + c] * k + 127) / 255);
    }
  }
}

void Quiet(j_common_ptr, int) {}

struct JpegWriter {
  jpeg_compress_struct cinfo;
  JpegErrorManager err;
  bool created = false;
  unsigned char* buffer = nullptr;  // malloc'ed by jpeg_mem_dest
  unsigned long size = 0;

  JpegWriter() {
    std::memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = OnError;
    err.pub.emit_message = Quiet;
    err.message[0] = '\0';
  }
  ~JpegWriter() {
    if (created) jpeg_destroy_compress(&cinfo);
    std::free(buffer);
  }
  JpegWriter(const JpegWriter&) = delete;
  JpegWriter& operator=(const JpegWriter&) = delete;
};

// Compresses `image` into w->buffer. False on error (message in err).
bool Compress(JpegWriter* w, const Image& image, int quality) {
  if (setjmp(w->err.jump)) return false;
  jpeg_create_compress(&w->cinfo);
  w->created = true;
  jpeg_mem_dest(&w->cinfo, &w->buffer, &w->size);
  w->cinfo.image_width = static_cast<JDIMENSION>(image.width);
  w->cinfo.image_height = static_cast<JDIMENSION>(image.height);
  w->cinfo.input_components = 3;
  w->cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&w->cinfo);
  jpeg_set_quality(&w->cinfo, quality, TRUE);
  jpeg_start_compress(&w->cinfo, TRUE);
  const size_t row_bytes = static_cast<size_t>(image.width) * 3;
  while (w->cinfo.next_scanline < w->cinfo.image_height) {
    // libjpeg's API takes non-const rows but only reads them.
    JSAMPROW row = const_cast<uint8_t*>(image.rgb.data()) + row_bytes * w->cinfo.next_scanline;
    jpeg_write_scanlines(&w->cinfo, &row, 1);
  }
  jpeg_finish_compress(&w->cinfo);
  return true;
}

}  // namespace

Result<std::vector<uint8_t>> EncodeJpeg(const Image& image, int quality) {
  JpegWriter writer;
  if (!Compress(&writer, image, quality)) {
    return Error{std::string("cannot encode JPEG: ") + writer.err.message};
  }
  return std::vector<uint8_t>(writer.buffer, writer.buffer + writer.size);
}

Result<Image> DecodeJpeg(std::span<const uint8_t> bytes, const std::string& name,
                         const DecodeOptions& opt) {
  JpegReader reader;
  if (!ReadHeader(&reader, bytes.data(), bytes.size(), opt)) {
    return MakeError(name, std::string("bad JPEG header: ") + reader.err.message);
  }
  const jpeg_decompress_struct& cinfo = reader.cinfo;
  CORALPI_RETURN_IF_ERROR(CheckPixelCount(cinfo.output_width, cinfo.output_height, name, opt));
  Image image;
  image.width = static_cast<int>(cinfo.output_width);
  image.height = static_cast<int>(cinfo.output_height);
  size_t pixels = static_cast<size_t>(image.width) * image.height;
  image.rgb.resize(pixels * 3);
  bool cmyk = cinfo.out_color_space == JCS_CMYK;
  std::vector<uint8_t> cmyk_pixels(cmyk ? pixels * 4 : 0);
  if (!ReadPixels(&reader, cmyk ? cmyk_pixels.data() : image.rgb.data())) {
    return MakeError(name, std::string("cannot decode JPEG: ") + reader.err.message);
  }
  if (cmyk) CmykToRgb(cmyk_pixels, image);
  return image;
}

}  // namespace coralpi::image_internal

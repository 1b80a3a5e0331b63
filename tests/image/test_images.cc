#include "test_images.h"

#include <spng.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <stdexcept>

// jpeglib.h needs size_t and FILE declared before it.
#include <jpeglib.h>

namespace coralpi::testing {

namespace {

// Removes every directory MakeTempDir made when the test program exits, so test runs do not
// pile directories up under /tmp (thousands of runs filled a CI disk once).
class TempDirs {
 public:
  ~TempDirs() {
    if (::getpid() != owner_) return;  // a forked child exiting leaves its parent's directories
    for (const std::string& dir : dirs_) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  }
  std::string Make() {
    char tmpl[] = "/tmp/coralpi-image-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    std::lock_guard<std::mutex> lock(mutex_);
    dirs_.emplace_back(tmpl);
    return tmpl;
  }

 private:
  pid_t owner_ = ::getpid();
  std::mutex mutex_;
  std::vector<std::string> dirs_;
};

}  // namespace

std::string MakeTempDir() {
  static TempDirs dirs;
  return dirs.Make();
}

void WriteBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write " + path);
  if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

std::vector<uint8_t> EncodePng(int width, int height, int color_type, int bit_depth,
                               const std::vector<uint8_t>& samples,
                               const std::vector<uint8_t>& palette) {
  spng_ctx* ctx = spng_ctx_new(SPNG_CTX_ENCODER);
  spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1);
  spng_ihdr ihdr{};
  ihdr.width = static_cast<uint32_t>(width);
  ihdr.height = static_cast<uint32_t>(height);
  ihdr.color_type = static_cast<uint8_t>(color_type);
  ihdr.bit_depth = static_cast<uint8_t>(bit_depth);
  spng_set_ihdr(ctx, &ihdr);
  if (color_type == SPNG_COLOR_TYPE_INDEXED) {
    spng_plte plte{};
    plte.n_entries = static_cast<uint32_t>(palette.size() / 3);
    for (uint32_t i = 0; i < plte.n_entries; ++i) {
      plte.entries[i].red = palette[3 * i];
      plte.entries[i].green = palette[3 * i + 1];
      plte.entries[i].blue = palette[3 * i + 2];
    }
    spng_set_plte(ctx, &plte);
  }
  int rc =
      spng_encode_image(ctx, samples.data(), samples.size(), SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE);
  if (rc != 0) {
    spng_ctx_free(ctx);
    throw std::runtime_error(std::string("spng_encode_image: ") + spng_strerror(rc));
  }
  size_t len = 0;
  int error = 0;
  void* buf = spng_get_png_buffer(ctx, &len, &error);
  spng_ctx_free(ctx);
  if (buf == nullptr) throw std::runtime_error("spng_get_png_buffer failed");
  std::vector<uint8_t> out(static_cast<uint8_t*>(buf), static_cast<uint8_t*>(buf) + len);
  std::free(buf);
  return out;
}

std::vector<uint8_t> EncodeJpeg(int width, int height, int components,
                                const std::vector<uint8_t>& samples, int quality,
                                bool progressive) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* buf = nullptr;
  unsigned long len = 0;
  jpeg_mem_dest(&cinfo, &buf, &len);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = components;
  cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  if (components == 3) {  // no chroma subsampling, so solid colours survive exactly-ish
    for (int i = 0; i < 3; ++i) {
      cinfo.comp_info[i].h_samp_factor = 1;
      cinfo.comp_info[i].v_samp_factor = 1;
    }
  }
  if (progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  const size_t row_bytes = static_cast<size_t>(width) * components;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(samples.data()) + cinfo.next_scanline * row_bytes;
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::vector<uint8_t> out(buf, buf + len);
  std::free(buf);
  return out;
}

namespace {
void PutU16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v);
  b[at + 1] = static_cast<uint8_t>(v >> 8);
}
}  // namespace

void PutU32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

std::vector<uint8_t> EncodeBmp(const BmpSpec& spec) {
  const size_t stride = (static_cast<size_t>(spec.width) * spec.bpp + 31) / 32 * 4;
  const size_t masks = spec.masks.size() * 4;
  const size_t palette = spec.palette.size() / 3 * 4;
  const size_t offset = 14 + 40 + masks + palette;
  std::vector<uint8_t> b(offset + stride * spec.height, 0);
  b[0] = 'B';
  b[1] = 'M';
  PutU32(b, 2, static_cast<uint32_t>(b.size()));
  PutU32(b, 10, static_cast<uint32_t>(offset));
  PutU32(b, 14, 40);
  PutU32(b, 18, static_cast<uint32_t>(spec.width));
  PutU32(b, 22, static_cast<uint32_t>(spec.top_down ? -spec.height : spec.height));
  PutU16(b, 26, 1);
  PutU16(b, 28, static_cast<uint16_t>(spec.bpp));
  PutU32(b, 30, spec.compression);
  PutU32(b, 34, static_cast<uint32_t>(stride * spec.height));
  PutU32(b, 46, static_cast<uint32_t>(spec.palette.size() / 3));
  for (size_t i = 0; i < spec.masks.size(); ++i) PutU32(b, 54 + 4 * i, spec.masks[i]);
  for (size_t i = 0; i < spec.palette.size() / 3; ++i) {
    std::memcpy(&b[54 + masks + 4 * i], &spec.palette[3 * i], 3);
  }
  for (int y = 0; y < spec.height; ++y) {
    int stored = spec.top_down ? y : spec.height - 1 - y;
    const auto& row = spec.rows[y];
    std::memcpy(&b[offset + stored * stride], row.data(), row.size());
  }
  return b;
}

}  // namespace coralpi::testing

// PNG decoding with libspng.
//
// Every PNG colour type and bit depth becomes 8-bit RGB: 16-bit samples keep their high byte,
// palettes are expanded, grey is copied to R, G and B, and alpha (an alpha channel or a tRNS
// chunk) is dropped without compositing. Gamma chunks are not applied.
#include <spng.h>

#include <memory>

#include "image/formats.h"

namespace coralpi::image_internal {
namespace {

struct SpngFree {
  void operator()(spng_ctx* ctx) const { spng_ctx_free(ctx); }
};

std::string SpngMessage(int code) {
  if (code == SPNG_IO_EOF) return "the file is truncated";
  return spng_strerror(code);
}

}  // namespace

Result<Image> DecodePng(std::span<const uint8_t> bytes, const std::string& name,
                        const DecodeOptions& opt) {
  std::unique_ptr<spng_ctx, SpngFree> ctx(spng_ctx_new(0));
  if (!ctx) return MakeError(name, "cannot create a PNG decoder");
  // Ancillary chunks (text, ICC profiles) are not used: cap what a hostile file can make us keep.
  spng_set_chunk_limits(ctx.get(), 1 << 24, 1 << 26);
  if (int rc = spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size()); rc != 0) {
    return MakeError(name, "bad PNG: " + SpngMessage(rc));
  }
  spng_ihdr ihdr{};
  if (int rc = spng_get_ihdr(ctx.get(), &ihdr); rc != 0) {
    return MakeError(name, "bad PNG header: " + SpngMessage(rc));
  }
  CORALPI_RETURN_IF_ERROR(CheckPixelCount(ihdr.width, ihdr.height, name, opt));

  // RGB8 directly where libspng can produce it, otherwise RGBA8 and drop the alpha.
  int fmt = SPNG_FMT_RGB8;
  size_t size = 0;
  if (spng_decoded_image_size(ctx.get(), fmt, &size) != 0) {
    fmt = SPNG_FMT_RGBA8;
    if (int rc = spng_decoded_image_size(ctx.get(), fmt, &size); rc != 0) {
      return MakeError(name, "cannot decode PNG: " + SpngMessage(rc));
    }
  }
  size_t pixels = static_cast<size_t>(ihdr.width) * ihdr.height;
  size_t channels = fmt == SPNG_FMT_RGB8 ? 3 : 4;
  if (size != pixels * channels) {
    return MakeError(name, "cannot decode PNG: unexpected decoded size " + std::to_string(size));
  }
  Image image;
  image.width = static_cast<int>(ihdr.width);
  image.height = static_cast<int>(ihdr.height);
  std::vector<uint8_t> decoded(size);
  if (int rc = spng_decode_image(ctx.get(), decoded.data(), size, fmt, 0); rc != 0) {
    return MakeError(name, "cannot decode PNG: " + SpngMessage(rc));
  }
  if (channels == 3) {
    image.rgb = std::move(decoded);
  } else {
    image.rgb.resize(pixels * 3);
    for (size_t i = 0; i < pixels; ++i) {
      image.rgb[3 * i] = decoded[4 * i];
      image.rgb[3 * i + 1] = decoded[4 * i + 1];
      image.rgb[3 * i + 2] = decoded[4 * i + 2];
    }
  }
  return image;
}

}  // namespace coralpi::image_internal

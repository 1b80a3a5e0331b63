// PNG decoding and encoding with libspng.
//
// Every PNG colour type and bit depth becomes 8-bit RGB: 16-bit samples keep their high byte,
// palettes are expanded, grey is copied to R, G and B, and alpha (an alpha channel or a tRNS
// chunk) is dropped without compositing. Gamma chunks are not applied.
#include <spng.h>

#include <cstdlib>
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

Result<std::vector<uint8_t>> EncodePng(const Image& image) {
  std::unique_ptr<spng_ctx, SpngFree> ctx(spng_ctx_new(SPNG_CTX_ENCODER));
  if (!ctx) return Error{"cannot create a PNG encoder"};
  spng_set_option(ctx.get(), SPNG_ENCODE_TO_BUFFER, 1);
  spng_ihdr ihdr{};
  ihdr.width = static_cast<uint32_t>(image.width);
  ihdr.height = static_cast<uint32_t>(image.height);
  ihdr.color_type = SPNG_COLOR_TYPE_TRUECOLOR;
  ihdr.bit_depth = 8;
  if (int rc = spng_set_ihdr(ctx.get(), &ihdr); rc != 0) {
    return Error{std::string("cannot encode PNG: ") + spng_strerror(rc)};
  }
  if (int rc = spng_encode_image(ctx.get(), image.rgb.data(), image.rgb.size(), SPNG_FMT_PNG,
                                 SPNG_ENCODE_FINALIZE);
      rc != 0) {
    return Error{std::string("cannot encode PNG: ") + spng_strerror(rc)};
  }
  size_t len = 0;
  int error = 0;
  void* buf = spng_get_png_buffer(ctx.get(), &len, &error);
  if (buf == nullptr) return Error{std::string("cannot encode PNG: ") + spng_strerror(error)};
  std::vector<uint8_t> out(static_cast<uint8_t*>(buf), static_cast<uint8_t*>(buf) + len);
  std::free(buf);
  return out;
}

}  // namespace coralpi::image_internal

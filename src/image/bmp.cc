// BMP decoding, by hand.
//
// Supported: BITMAPINFOHEADER (40 bytes) and the later V2..V5 headers, plus the old 12-byte
// BITMAPCOREHEADER; uncompressed 1, 4, 8 (palette), 16, 24 and 32 bits per pixel; BI_BITFIELDS
// and BI_ALPHABITFIELDS masks for 16 and 32 bits; bottom-up and top-down rows. RLE and embedded
// JPEG/PNG are refused with a message saying so. Every offset and size read from the file is
// checked against the file's length (in 64-bit arithmetic) before it is used. Palette indices
// beyond the palette give black; alpha is dropped.
#include <array>
#include <bit>
#include <cstring>

#include "image/formats.h"

namespace coralpi::image_internal {
namespace {

constexpr uint32_t kBiRgb = 0;
constexpr uint32_t kBiRle8 = 1;
constexpr uint32_t kBiRle4 = 2;
constexpr uint32_t kBiBitfields = 3;
constexpr uint32_t kBiJpeg = 4;
constexpr uint32_t kBiPng = 5;
constexpr uint32_t kBiAlphaBitfields = 6;

uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t U32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

// One colour channel of a 16- or 32-bit pixel: (pixel & mask) >> shift, scaled to 8 bits.
struct Channel {
  uint32_t mask = 0;
  int shift = 0;
  int bits = 0;
  std::array<uint8_t, 256> scale{};  // for bits < 8: value -> 0..255

  uint8_t Get(uint32_t pixel) const {
    if (bits == 0) return 0;
    uint32_t v = (pixel & mask) >> shift;
    return bits >= 8 ? static_cast<uint8_t>(v >> (bits - 8)) : scale[v];
  }
};

Result<Channel> MakeChannel(uint32_t mask, int bpp, const char* which, const std::string& name) {
  Channel c;
  c.mask = mask;
  if (mask == 0) return c;
  if (bpp < 32 && (mask >> bpp) != 0) {
    return MakeError(name, std::string("BMP ") + which + " mask uses bits beyond the pixel's " +
                               std::to_string(bpp));
  }
  c.shift = std::countr_zero(mask);
  uint32_t shifted = mask >> c.shift;
  if ((shifted & (shifted + 1)) != 0) {
    return MakeError(name, std::string("BMP ") + which + " mask is not one run of bits");
  }
  c.bits = std::popcount(shifted);
  if (c.bits < 8) {
    uint32_t max = (1u << c.bits) - 1;
    for (uint32_t v = 0; v <= max; ++v)
      c.scale[v] = static_cast<uint8_t>((v * 255 + max / 2) / max);
  }
  return c;
}

struct BmpInfo {
  int64_t width = 0;
  int64_t height = 0;  // positive; top_down says the row order
  bool top_down = false;
  int bpp = 0;
  uint32_t compression = kBiRgb;
  uint64_t pixel_offset = 0;
  uint64_t palette_offset = 0;
  uint32_t palette_entry_size = 4;
  uint32_t colors_used = 0;
  uint32_t masks[3] = {0, 0, 0};
};

Result<BmpInfo> ReadHeader(std::span<const uint8_t> bytes, const std::string& name) {
  const uint64_t size = bytes.size();
  const uint8_t* d = bytes.data();
  if (size < 18) {
    return MakeError(name, "BMP file of " + std::to_string(size) + " bytes is too short");
  }
  BmpInfo info;
  info.pixel_offset = U32(d + 10);
  uint64_t header_size = U32(d + 14);
  if (header_size != 12 && header_size < 40) {
    return MakeError(name, "unsupported BMP header size " + std::to_string(header_size));
  }
  if (14 + header_size > size) {
    return MakeError(name, "BMP header of " + std::to_string(header_size) +
                               " bytes runs past the end of the file (" + std::to_string(size) +
                               " bytes)");
  }
  const uint8_t* h = d + 14;
  if (header_size == 12) {  // BITMAPCOREHEADER: 16-bit sizes, 3-byte palette entries
    info.width = U16(h + 4);
    info.height = U16(h + 6);
    info.bpp = U16(h + 10);
    info.palette_entry_size = 3;
  } else {
    info.width = static_cast<int32_t>(U32(h + 4));
    int64_t height = static_cast<int32_t>(U32(h + 8));
    info.top_down = height < 0;
    info.height = height < 0 ? -height : height;
    info.bpp = U16(h + 14);
    info.compression = U32(h + 16);
    info.colors_used = U32(h + 32);
  }
  info.palette_offset = 14 + header_size;
  switch (info.compression) {
    case kBiRgb:
      break;
    case kBiRle8:
    case kBiRle4:
      return MakeError(name, "RLE-compressed BMP is not supported (save it uncompressed)");
    case kBiJpeg:
    case kBiPng:
      return MakeError(name, "BMP holding an embedded JPEG or PNG is not supported");
    case kBiBitfields:
    case kBiAlphaBitfields: {
      if (info.bpp != 16 && info.bpp != 32) {
        return MakeError(name, "BMP bit-field masks need 16 or 32 bits per pixel, not " +
                                   std::to_string(info.bpp));
      }
      // The masks follow a 40-byte header, or are its V2+ fields at the same place.
      uint64_t masks_at = 14 + 40;
      if (masks_at + 12 > size) {
        return MakeError(name, "BMP colour masks run past the end of the file");
      }
      for (int i = 0; i < 3; ++i) info.masks[i] = U32(d + masks_at + 4 * i);
      if (header_size == 40) {
        info.palette_offset += info.compression == kBiBitfields ? 12 : 16;
      }
      break;
    }
    default:
      return MakeError(name, "unknown BMP compression " + std::to_string(info.compression));
  }
  return info;
}

Result<std::array<uint8_t, 3 * 256>> ReadPalette(std::span<const uint8_t> bytes,
                                                 const BmpInfo& info, const std::string& name) {
  std::array<uint8_t, 3 * 256> palette{};  // RGB; missing entries stay black
  uint64_t max_colors = uint64_t{1} << info.bpp;
  uint64_t colors = info.colors_used == 0 ? max_colors : info.colors_used;
  if (colors > max_colors) colors = max_colors;
  uint64_t end = info.palette_offset + colors * info.palette_entry_size;
  if (end > bytes.size()) {
    return MakeError(name, "BMP palette of " + std::to_string(colors) +
                               " colours runs past the end of the file (" +
                               std::to_string(bytes.size()) + " bytes)");
  }
  for (uint64_t i = 0; i < colors; ++i) {
    const uint8_t* e = bytes.data() + info.palette_offset + i * info.palette_entry_size;
    palette[3 * i] = e[2];  // stored as B, G, R
    palette[3 * i + 1] = e[1];
    palette[3 * i + 2] = e[0];
  }
  return palette;
}

}  // namespace

Result<Image> DecodeBmp(std::span<const uint8_t> bytes, const std::string& name,
                        const DecodeOptions& opt) {
  CORALPI_ASSIGN_OR_RETURN(BmpInfo info, ReadHeader(bytes, name));
  const int bpp = info.bpp;
  if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
    return MakeError(name, "unsupported BMP depth of " + std::to_string(bpp) + " bits per pixel");
  }
  CORALPI_RETURN_IF_ERROR(CheckPixelCount(info.width, info.height, name, opt));
  const uint64_t stride = (static_cast<uint64_t>(info.width) * bpp + 31) / 32 * 4;
  const uint64_t need = stride * static_cast<uint64_t>(info.height);
  if (info.pixel_offset > bytes.size() || need > bytes.size() - info.pixel_offset) {
    return MakeError(
        name, "BMP pixel data (" + std::to_string(info.height) + " rows of " +
                  std::to_string(stride) + " bytes at offset " + std::to_string(info.pixel_offset) +
                  ") runs past the end of the file (" + std::to_string(bytes.size()) + " bytes)");
  }

  std::array<uint8_t, 3 * 256> palette{};
  if (bpp <= 8) {
    CORALPI_ASSIGN_OR_RETURN(palette, ReadPalette(bytes, info, name));
  }
  Channel channels[3];
  if (bpp == 16 || bpp == 32) {
    uint32_t defaults16[3] = {0x7c00, 0x03e0, 0x001f};
    uint32_t defaults32[3] = {0xff0000, 0xff00, 0xff};
    static const char* kNames[3] = {"red", "green", "blue"};
    for (int c = 0; c < 3; ++c) {
      uint32_t mask =
          info.compression == kBiRgb ? (bpp == 16 ? defaults16[c] : defaults32[c]) : info.masks[c];
      CORALPI_ASSIGN_OR_RETURN(channels[c], MakeChannel(mask, bpp, kNames[c], name));
    }
  }

  Image image;
  image.width = static_cast<int>(info.width);
  image.height = static_cast<int>(info.height);
  const size_t w = static_cast<size_t>(image.width);
  image.rgb.resize(w * image.height * 3);
  for (int64_t y = 0; y < info.height; ++y) {
    int64_t file_row = info.top_down ? y : info.height - 1 - y;
    const uint8_t* src = bytes.data() + info.pixel_offset + file_row * stride;
    uint8_t* dst = image.rgb.data() + static_cast<size_t>(y) * w * 3;
    switch (bpp) {
      case 24:
        for (size_t x = 0; x < w; ++x) {
          dst[3 * x] = src[3 * x + 2];
          dst[3 * x + 1] = src[3 * x + 1];
          dst[3 * x + 2] = src[3 * x];
        }
        break;
      case 16:
      case 32:
        for (size_t x = 0; x < w; ++x) {
          uint32_t p = bpp == 16 ? U16(src + 2 * x) : U32(src + 4 * x);
          for (int c = 0; c < 3; ++c) dst[3 * x + c] = channels[c].Get(p);
        }
        break;
      default: {  // 1, 4 or 8 bits per palette index, most significant bits first
        const int per_byte = 8 / bpp;
        const unsigned index_mask = (1u << bpp) - 1;
        for (size_t x = 0; x < w; ++x) {
          int shift = 8 - bpp * (static_cast<int>(x % per_byte) + 1);
          unsigned index = (src[x / per_byte] >> shift) & index_mask;
          std::memcpy(dst + 3 * x, palette.data() + 3 * index, 3);
        }
        break;
      }
    }
  }
  return image;
}

}  // namespace coralpi::image_internal

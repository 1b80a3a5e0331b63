// Choosing the encoder by extension and writing atomically; see encode.h.
#include "image/encode.h"

#include "core/file.h"
#include "image/formats.h"

namespace coralpi {
namespace {

Status CheckImage(const Image& image) {
  if (image.width < 1 || image.height < 1 ||
      image.rgb.size() != static_cast<size_t>(image.width) * image.height * 3) {
    return Error{"cannot encode a " + std::to_string(image.width) + "x" +
                 std::to_string(image.height) + " image of " + std::to_string(image.rgb.size()) +
                 " bytes"};
  }
  return OkStatus();
}

}  // namespace

Result<std::vector<uint8_t>> EncodeAsPng(const Image& image) {
  CORALPI_RETURN_IF_ERROR(CheckImage(image));
  return image_internal::EncodePng(image);
}

Result<std::vector<uint8_t>> EncodeAsJpeg(const Image& image, int quality) {
  CORALPI_RETURN_IF_ERROR(CheckImage(image));
  if (quality < 1 || quality > 100) {
    return Error{"JPEG quality " + std::to_string(quality) + " is not in 1..100"};
  }
  return image_internal::EncodeJpeg(image, quality);
}

Result<ImageFormat> OutputImageFormat(const std::string& path) {
  ImageFormat f = ImageFormatFromName(path);
  if (f == ImageFormat::kPng || f == ImageFormat::kJpeg) return f;
  return MakeError(path, "pictures are written as PNG or JPEG: name the file .png or .jpg");
}

Status WriteImageFile(const std::string& path, const Image& image, int jpeg_quality) {
  CORALPI_ASSIGN_OR_RETURN(ImageFormat format, OutputImageFormat(path));
  auto bytes = format == ImageFormat::kPng ? EncodeAsPng(image) : EncodeAsJpeg(image, jpeg_quality);
  if (!bytes.ok()) return WithContext(path, bytes.error());
  return WriteFileAtomic(path, std::string(bytes->begin(), bytes->end()));
}

}  // namespace coralpi

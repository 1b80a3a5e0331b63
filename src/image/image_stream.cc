// Reading images one ahead on a worker thread; see image_stream.h.
#include "image/image_stream.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "core/timer.h"

namespace coralpi {
namespace {

namespace fs = std::filesystem;

DecodedImage Decode(const std::string& path, const DecodeOptions& options) {
  Stopwatch watch;
  Result<Image> image = ReadImageFile(path, options);
  return {path, std::move(image), watch.ElapsedMs()};
}

Result<std::vector<std::string>> ImagesInFolder(const std::string& folder) {
  std::error_code ec;
  std::vector<std::string> found;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().string();
    if (ImageFormatFromName(name) != ImageFormat::kUnknown && it->is_regular_file(ec)) {
      found.push_back(name);
    }
  }
  if (ec) return MakeError(folder, "cannot list the folder: " + ec.message());
  if (found.empty()) {
    return MakeError(folder, "no image file (.jpg, .jpeg, .png, .bmp, .rgb) in the folder");
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

Result<std::vector<std::string>> ExpandImagePaths(const std::vector<std::string>& paths) {
  std::vector<std::string> all;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      all.push_back(path);  // ReadImageFile says what is wrong with it, if anything
      continue;
    }
    CORALPI_ASSIGN_OR_RETURN(std::vector<std::string> found, ImagesInFolder(path));
    all.insert(all.end(), found.begin(), found.end());
  }
  return all;
}

ImageStream::ImageStream(std::vector<std::string> paths, const DecodeOptions& options)
    : paths_(std::move(paths)), options_(options) {
  StartNext();
}

ImageStream::~ImageStream() {
  if (ahead_.valid()) ahead_.wait();
}

void ImageStream::StartNext() {
  if (done()) return;
  try {
    ahead_ = std::async(std::launch::async, Decode, paths_[next_], options_);
  } catch (const std::system_error&) {  // no thread to spare: decode when asked
    ahead_ = std::async(std::launch::deferred, Decode, paths_[next_], options_);
  }
}

DecodedImage ImageStream::Next() {
  if (done()) return {"", MakeError("image stream", "no image left"), 0};
  DecodedImage image = ahead_.get();
  ++next_;
  StartNext();
  return image;
}

}  // namespace coralpi

// ImageStream: the images of a run over many files, read one ahead. While the caller runs the
// model on one image, a worker thread reads and decodes the next, so the decode of a photo
// (2-5 ms, more than a small model's invoke) overlaps the invoke instead of adding to it.
// ExpandImagePaths turns a folder among the paths into the image files in it.
#pragma once

#include <future>
#include <string>
#include <vector>

#include "core/result.h"
#include "image/image.h"

namespace coralpi {

// The paths with every folder replaced by the image files in it (the extensions
// ImageFormatFromName knows: .jpg, .jpeg, .png, .bmp, .rgb, ..., any case), in name order;
// other paths are kept as given. A folder that cannot be listed or holds no image file is an
// error naming it.
Result<std::vector<std::string>> ExpandImagePaths(const std::vector<std::string>& paths);

struct DecodedImage {
  std::string path;
  Result<Image> image;   // an error names the path
  double decode_ms = 0;  // spent in the worker thread, beside the caller's work
};

class ImageStream {
 public:
  // Starts decoding the first image.
  ImageStream(std::vector<std::string> paths, const DecodeOptions& options);
  ~ImageStream();  // waits for the decode in flight
  ImageStream(const ImageStream&) = delete;
  ImageStream& operator=(const ImageStream&) = delete;

  bool done() const { return next_ >= paths_.size(); }
  // The next image in order (an error once done()); starts decoding the one after it.
  DecodedImage Next();

 private:
  void StartNext();
  std::vector<std::string> paths_;
  DecodeOptions options_;
  size_t next_ = 0;  // the image `ahead_` decodes
  std::future<DecodedImage> ahead_;
};

}  // namespace coralpi

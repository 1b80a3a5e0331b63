// Seeds for fuzz_ultralytics_metadata: small files ending in zips written with the metadata
// tests' zip writer (tests/model/test_zip.cc), stored and deflated, both entry names, both ways
// of counting offsets, and the two text forms on their own. With ../shared/testdata present,
// the real temp_meta.txt of yolov8n_320 (taken out of the model's zip by the reader itself), as
// text and in a small zip: the model is 3 MB, beyond the fuzz runs' -max_len.
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "core/file.h"
#include "model/appended_zip.h"
#include "model/test_zip.h"
#include "seeds.h"

namespace coralpi::fuzz {
namespace {

using testing::ZipFileSpec;

const char kTempMeta[] =
    "{'description': 'Ultralytics YOLOv8n-seg model', 'author': 'Ultralytics', 'version': "
    "'8.1.0', 'stride': 32, 'task': 'segment', 'batch': 1, 'imgsz': [320, 256], 'names': "
    "{0: 'person', 1: 'bi\\'cycle', 2: \"car\", 3: '\\u4eba'}, 'extra': (1.5, None, True)}";

const char kPoseJson[] =
    "{\"version\": \"8.3.27\", \"stride\": 32, \"task\": \"pose\", \"batch\": 1, \"imgsz\": "
    "[640, 640], \"names\": {\"0\": \"person\"}, \"kpt_shape\": [17, 3], \"args\": {\"int8\": "
    "true, \"nms\": false}}";

// A few bytes standing in for the FlatBuffer in front of the zip.
std::vector<uint8_t> Prefix() {
  // Sized up front: GCC 12 reports a false -Warray-bounds when an 8-byte vector is resized.
  std::vector<uint8_t> p(48, 0xA5);
  const uint8_t head[] = {0x1c, 0, 0, 0, 'T', 'F', 'L', '3'};
  std::copy(std::begin(head), std::end(head), p.begin());
  return p;
}

Seed ZipSeed(std::string name, const std::vector<ZipFileSpec>& files) {
  return {std::move(name), testing::AppendZip(Prefix(), files)};
}

void AddRealTempMeta(const std::string& testdata, std::vector<Seed>& out) {
  if (testdata.empty()) return;
  auto bytes = ReadFileBytes(testdata + "/models/yolov8n_320_full_integer_quant.tflite");
  if (!bytes.ok()) return;
  constexpr std::string_view kName[] = {"temp_meta.txt"};
  auto entry = ReadAppendedZipEntry(*bytes, kName, 1 << 20);
  if (!entry.ok() || !entry->has_value()) return;
  out.push_back(TextSeed("testdata_yolov8n_temp_meta.txt", (*entry)->data));
  out.push_back(ZipSeed("testdata_yolov8n_zip.bin", {{"temp_meta.txt", (*entry)->data, false}}));
}

}  // namespace

std::vector<Seed> UltralyticsMetadataSeeds(const std::string& testdata) {
  std::vector<Seed> out = {
      TextSeed("temp_meta.txt", kTempMeta),
      TextSeed("metadata.json", kPoseJson),
      ZipSeed("temp_meta_stored.bin", {{"temp_meta.txt", kTempMeta, false}}),
      ZipSeed("temp_meta_deflated.bin", {{"temp_meta.txt", kTempMeta, true}}),
      ZipSeed("metadata_json_deflated.bin", {{"metadata.json", kPoseJson, true}}),
      ZipSeed("both.bin", {{"labels.txt", "a\nb\n", false},
                           {"temp_meta.txt", kTempMeta, true},
                           {"metadata.json", kPoseJson, false}}),
      ZipSeed("other_files.bin", {{"imagenet_labels.txt", "background\ntench\n", true}}),
  };
  std::vector<uint8_t> relative = Prefix();
  std::vector<uint8_t> zip = testing::MakeZip({{"metadata.json", kPoseJson, true}}, 0);
  relative.insert(relative.end(), zip.begin(), zip.end());
  out.push_back({"relative_offsets.bin", std::move(relative)});
  AddRealTempMeta(testdata, out);
  return out;
}

}  // namespace coralpi::fuzz

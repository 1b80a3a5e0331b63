// Ultralytics metadata on models the builder writes, with zips this test writes byte by byte:
// both text forms, both ways of counting offsets, and broken, hostile and wrong content.
#include "model/ultralytics_metadata.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/builder.h"
#include "model/model.h"
#include "model/test_zip.h"
#include "model/tiny_model.h"

namespace coralpi {
namespace {

using testing::AppendZip;
using testing::ZipFileSpec;

std::vector<uint8_t> TinyModel() { return testing::TinyReluModel(); }

// What Ultralytics 8.3 writes (json.dumps(..., indent=2)) for a pose model.
const char kPoseJson[] = R"json({
  "description": "Ultralytics YOLOv8n-pose model trained on coco-pose.yaml",
  "author": "Ultralytics",
  "date": "2024-11-02T10:00:00",
  "version": "8.3.27",
  "license": "AGPL-3.0 License (https://ultralytics.com/license)",
  "docs": "https://docs.ultralytics.com",
  "stride": 32,
  "task": "pose",
  "batch": 1,
  "imgsz": [
    256,
    320
  ],
  "names": {
    "0": "person"
  },
  "kpt_shape": [
    17,
    3
  ],
  "args": {
    "batch": 1,
    "int8": true
  }
})json";

// What older versions write (str(dict)) for a three-class detector.
const char kDetectTempMeta[] =
    "{'description': 'Ultralytics YOLOv8n model trained on a.yaml', 'author': 'Ultralytics', "
    "'version': '8.1.11', 'stride': 32, 'task': 'detect', 'batch': 1, 'imgsz': [320, 320], "
    "'names': {0: 'person', 1: \"it's\", 2: 'traffic light'}}";

Result<std::optional<UltralyticsMetadata>> ReadAppended(const std::vector<ZipFileSpec>& files) {
  return ReadUltralyticsMetadata(AppendZip(TinyModel(), files));
}

// The error of a reader that must fail.
std::string ReadError(const std::vector<uint8_t>& bytes) {
  auto m = ReadUltralyticsMetadata(bytes);
  if (!m.ok()) return m.error().message;
  return m->has_value() ? "(metadata)" : "(no metadata)";
}

std::string JsonError(const std::string& text) {
  auto m = ParseUltralyticsMetadataJson(text);
  return m.ok() ? "(parsed)" : m.error().message;
}

std::string TempMetaError(const std::string& text) {
  auto m = ParseUltralyticsTempMeta(text);
  return m.ok() ? "(parsed)" : m.error().message;
}

TEST(UltralyticsMetadataTest, NoZipIsNoMetadata) {
  auto m = ReadUltralyticsMetadata(TinyModel());
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_FALSE(m->has_value());
  auto empty = ReadUltralyticsMetadata({});
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());
}

TEST(UltralyticsMetadataTest, MetadataJsonDeflated) {
  auto m = ReadAppended({{"metadata.json", kPoseJson}});
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_TRUE(m->has_value());
  const UltralyticsMetadata& md = **m;
  EXPECT_EQ(md.source, "metadata.json");
  EXPECT_EQ(md.task, UltralyticsTask::kPose);
  EXPECT_EQ(md.names, std::vector<std::string>{"person"});
  EXPECT_EQ(md.input_height, 256);
  EXPECT_EQ(md.input_width, 320);
  EXPECT_EQ(md.stride, 32);
  ASSERT_TRUE(md.kpt_shape.has_value());
  EXPECT_EQ(md.kpt_shape->count, 17);
  EXPECT_EQ(md.kpt_shape->dims, 3);
  EXPECT_EQ(md.version, "8.3.27");
  EXPECT_EQ(md.other.at("author"), "Ultralytics");
  EXPECT_EQ(md.other.at("batch"), "1");
  EXPECT_EQ(md.other.at("args"), R"({"batch":1,"int8":true})");
  EXPECT_EQ(md.other.count("task"), 0u);
}

TEST(UltralyticsMetadataTest, TempMetaStored) {
  auto m = ReadAppended({{"temp_meta.txt", kDetectTempMeta, /*deflate=*/false}});
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_TRUE(m->has_value());
  const UltralyticsMetadata& md = **m;
  EXPECT_EQ(md.source, "temp_meta.txt");
  EXPECT_EQ(md.task, UltralyticsTask::kDetect);
  EXPECT_EQ(md.names, (std::vector<std::string>{"person", "it's", "traffic light"}));
  EXPECT_EQ(md.input_height, 320);
  EXPECT_EQ(md.input_width, 320);
  EXPECT_EQ(md.stride, 32);
  EXPECT_FALSE(md.kpt_shape.has_value());
  EXPECT_EQ(md.version, "8.1.11");
  EXPECT_EQ(md.other.at("description"), "Ultralytics YOLOv8n model trained on a.yaml");
}

TEST(UltralyticsMetadataTest, TheModelStillLoads) {
  std::vector<uint8_t> bytes = AppendZip(TinyModel(), {{"metadata.json", kPoseJson}});
  auto model = Model::FromBytes(bytes, "with_zip.tflite");
  EXPECT_TRUE(model.ok()) << model.error().message;
}

TEST(UltralyticsMetadataTest, OffsetsFromTheArchiveStart) {
  // Offsets counted from the zip's own start (as `cat model.tflite meta.zip` gives) work too.
  std::vector<uint8_t> bytes = TinyModel();
  std::vector<uint8_t> zip = testing::MakeZip({{"temp_meta.txt", kDetectTempMeta}}, 0);
  bytes.insert(bytes.end(), zip.begin(), zip.end());
  auto m = ReadUltralyticsMetadata(bytes);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_TRUE(m->has_value());
  EXPECT_EQ((*m)->names.size(), 3u);
}

TEST(UltralyticsMetadataTest, MetadataJsonIsPreferred) {
  auto m = ReadAppended({{"temp_meta.txt", kDetectTempMeta}, {"metadata.json", kPoseJson}});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ((*m)->source, "metadata.json");
}

TEST(UltralyticsMetadataTest, AZipOfOtherFilesIsNoMetadata) {
  // TensorFlow Lite's own metadata appends a zip of associated files (labels.txt) the same way.
  auto m = ReadAppended({{"labels.txt", "person\nbicycle\n"}, {"meta.txt", "x"}});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_FALSE(m->has_value());
}

TEST(UltralyticsMetadataTest, AnEmptyZipIsNoMetadata) {
  auto m = ReadAppended({});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_FALSE(m->has_value());
}

TEST(UltralyticsMetadataTest, TruncatedZip) {
  std::vector<uint8_t> whole = AppendZip(TinyModel(), {{"metadata.json", kPoseJson}});
  // Cut inside the end record: its signature is still there.
  std::vector<uint8_t> cut(whole.begin(), whole.end() - 5);
  EXPECT_EQ(ReadError(cut),
            "ultralytics metadata: appended zip: end of central directory record "
            "cut short");
  // Bytes lost inside the archive: the end record points past what is there.
  std::vector<uint8_t> holed = whole;
  const size_t directory = testing::CentralDirectoryOffset(whole);
  holed.erase(holed.begin() + static_cast<long>(directory) - 40,
              holed.begin() + static_cast<long>(directory) - 20);
  EXPECT_EQ(ReadError(holed),
            "ultralytics metadata: appended zip: truncated or corrupt (its "
            "central directory cannot be read)");
  // Every cut of the file: an error or no metadata, never a crash or metadata from half a zip.
  for (size_t n = 0; n < whole.size(); n += 7) {
    std::vector<uint8_t> head(whole.begin(), whole.begin() + static_cast<long>(n));
    EXPECT_NE(ReadError(head), "(metadata)") << "cut at " << n;
  }
}

TEST(UltralyticsMetadataTest, CorruptCentralDirectory) {
  std::vector<uint8_t> bytes = AppendZip(TinyModel(), {{"metadata.json", kPoseJson}});
  const size_t directory = testing::CentralDirectoryOffset(bytes);
  std::vector<uint8_t> bad_signature = bytes;
  bad_signature[directory + 2] ^= 0xFF;  // "PK\1\2" -> "PK\xfe\2"
  EXPECT_EQ(ReadError(bad_signature),
            "ultralytics metadata: appended zip: central directory entry 0 is corrupt");
  std::vector<uint8_t> bad_offset = bytes;
  bad_offset[bytes.size() - 22 + 19] = 0x7F;  // the directory's offset far past the end
  EXPECT_EQ(ReadError(bad_offset),
            "ultralytics metadata: appended zip: truncated or corrupt (its "
            "central directory cannot be read)");
}

TEST(UltralyticsMetadataTest, CorruptData) {
  std::vector<uint8_t> bytes = AppendZip(TinyModel(), {{"metadata.json", kPoseJson}});
  bytes[TinyModel().size() + 30 + 13 + 4] ^= 0x55;  // inside the deflate stream
  EXPECT_NE(ReadError(bytes).find("ultralytics metadata: appended zip: metadata.json: "),
            std::string::npos)
      << ReadError(bytes);
}

TEST(UltralyticsMetadataTest, BadCrc) {
  ZipFileSpec spec{"metadata.json", kPoseJson};
  spec.crc = 0x12345678;
  EXPECT_EQ(ReadError(AppendZip(TinyModel(), {spec})),
            "ultralytics metadata: appended zip: metadata.json: CRC mismatch");
  spec.deflate = false;
  EXPECT_EQ(ReadError(AppendZip(TinyModel(), {spec})),
            "ultralytics metadata: appended zip: metadata.json: CRC mismatch");
}

TEST(UltralyticsMetadataTest, ZipBombs) {
  // 16 MiB of spaces deflate to about 16 KiB.
  const std::string bomb(16 << 20, ' ');
  // Declared honestly: refused from the headers, before anything is inflated.
  EXPECT_EQ(ReadError(AppendZip(TinyModel(), {{"metadata.json", bomb}})),
            "ultralytics metadata: appended zip: metadata.json: declares 16777216 bytes "
            "uncompressed, more than the limit of 1048576");
  // Declared small: inflating stops at the declared size, which then fails the CRC.
  ZipFileSpec liar{"metadata.json", bomb};
  liar.uncompressed_size = 1000;
  EXPECT_EQ(ReadError(AppendZip(TinyModel(), {liar})),
            "ultralytics metadata: appended zip: metadata.json: CRC mismatch");
  // Declared larger than the data: the size check catches it.
  ZipFileSpec short_data{"temp_meta.txt", kDetectTempMeta};
  short_data.uncompressed_size = 5000;
  EXPECT_EQ(ReadError(AppendZip(TinyModel(), {short_data})),
            "ultralytics metadata: appended zip: temp_meta.txt: holds 228 bytes, its header "
            "says 5000");
}

TEST(UltralyticsMetadataTest, EncryptedAndUnknownMethod) {
  ZipFileSpec encrypted{"metadata.json", kPoseJson};
  encrypted.flags = 1;
  EXPECT_EQ(ReadError(AppendZip(TinyModel(), {encrypted})),
            "ultralytics metadata: appended zip: metadata.json: encrypted");
  ZipFileSpec bzip2{"metadata.json", kPoseJson};
  bzip2.method = 12;
  EXPECT_EQ(ReadError(AppendZip(TinyModel(), {bzip2})),
            "ultralytics metadata: appended zip: metadata.json: compression method 12 (only "
            "stored and deflate are read)");
}

TEST(UltralyticsMetadataTest, BadContentInTheZip) {
  EXPECT_EQ(ReadError(AppendZip(TinyModel(), {{"metadata.json", "{'task': 'detect'}"}})),
            "ultralytics metadata: metadata.json: parse error at line 1, column 2: syntax error "
            "while parsing object key - invalid literal; last read: '{''; expected string "
            "literal");
  EXPECT_EQ(ReadError(AppendZip(TinyModel(), {{"temp_meta.txt", "{'task': 'detect',"}})),
            "ultralytics metadata: temp_meta.txt: line 1, column 19: expected a value, found "
            "the end of the text");
}

TEST(UltralyticsMetadataTest, JsonErrors) {
  EXPECT_EQ(JsonError("not json"),
            "metadata.json: parse error at line 1, column 2: syntax error while parsing value - "
            "invalid literal; last read: 'no'");
  EXPECT_EQ(JsonError("[1, 2]"), "metadata.json: a array, not a dict of keys");
  EXPECT_EQ(JsonError(std::string(100, '[')), "metadata.json: offset 64: nested more than 64 deep");
  EXPECT_EQ(JsonError(R"({"names": {"0": "a"}, "imgsz": [32, 32]})"),
            "metadata.json: no 'task' key");
  EXPECT_EQ(JsonError(R"({"task": "detect", "imgsz": [32, 32]})"), "metadata.json: no 'names' key");
  EXPECT_EQ(JsonError(R"({"task": "detect", "names": ["a"]})"), "metadata.json: no 'imgsz' key");
}

// A metadata.json of a detector with `key` set to `value` (JSON text).
std::string DetectJsonWith(const std::string& key, const std::string& value) {
  std::string base = R"({"task": "detect", "names": {"0": "a", "1": "b"}, "imgsz": [32, 32])";
  return base + ", \"" + key + "\": " + value + "}";
}

TEST(UltralyticsMetadataTest, WrongTypes) {
  EXPECT_EQ(JsonError(DetectJsonWith("task", "5")), "metadata.json: task: a number, not a string");
  EXPECT_EQ(JsonError(DetectJsonWith("task", "\"track\"")),
            "metadata.json: task: 'track' is not one of detect, segment, pose, classify, obb");
  EXPECT_EQ(JsonError(DetectJsonWith("imgsz", "\"big\"")),
            "metadata.json: imgsz: expected 2 integers in 1..65536");
  EXPECT_EQ(JsonError(DetectJsonWith("imgsz", "[320, -1]")),
            "metadata.json: imgsz: expected 2 integers in 1..65536, found [320,-1]");
  EXPECT_EQ(JsonError(DetectJsonWith("imgsz", "[320.5, 320]")),
            "metadata.json: imgsz: expected 2 integers in 1..65536, found [320.5,320]");
  EXPECT_EQ(JsonError(DetectJsonWith("imgsz", "[1, 2, 3]")),
            "metadata.json: imgsz: expected 2 integers in 1..65536");
  EXPECT_EQ(JsonError(DetectJsonWith("stride", "0")),
            "metadata.json: stride: expected a positive integer, found 0");
  EXPECT_EQ(JsonError(DetectJsonWith("kpt_shape", "[17, 4]")),
            "metadata.json: kpt_shape: [17,4]: each keypoint must have 2 or 3 values");
  EXPECT_EQ(JsonError(DetectJsonWith("version", "8")),
            "metadata.json: version: a number, not a string");
  EXPECT_EQ(JsonError(DetectJsonWith("names", "[\"a\", 7]")),
            "metadata.json: names[1]: not a string");
  EXPECT_EQ(JsonError(DetectJsonWith("names", "{\"0\": null}")),
            "metadata.json: names: 0: a null, not a string");
  EXPECT_EQ(JsonError(DetectJsonWith("names", "\"person\"")),
            "metadata.json: names: a string, not a dict of class names");
  EXPECT_EQ(JsonError(DetectJsonWith("names", "{\"x\": \"a\"}")),
            "metadata.json: names: key 'x' is not a class id");
  EXPECT_EQ(JsonError(DetectJsonWith("names", "{\"-1\": \"a\"}")),
            "metadata.json: names: key '-1' is not a class id");
  EXPECT_EQ(JsonError(DetectJsonWith("names", "{}")), "metadata.json: names: no classes");
  EXPECT_EQ(JsonError(R"({"task": "pose", "names": ["p"], "imgsz": [64, 64]})"),
            "metadata.json: task pose without kpt_shape");
  EXPECT_EQ(TempMetaError("{'task': 'detect', 'names': {0.5: 'a'}, 'imgsz': [8, 8]}"),
            "temp_meta.txt: a dict key is a float, not an int or str");
  EXPECT_EQ(TempMetaError("['task', 'detect']"), "temp_meta.txt: a array, not a dict of keys");
}

TEST(UltralyticsMetadataTest, NamesMustBeContiguous) {
  EXPECT_EQ(TempMetaError("{'task': 'detect', 'imgsz': [8, 8], 'names': {0: 'a', 2: 'c'}}"),
            "temp_meta.txt: names: ids must be 0..1 without gaps: id 1 is missing");
  EXPECT_EQ(TempMetaError("{'task': 'detect', 'imgsz': [8, 8], 'names': {1: 'a', 2: 'b'}}"),
            "temp_meta.txt: names: ids must be 0..1 without gaps: id 0 is missing");
  EXPECT_EQ(TempMetaError("{'task': 'detect', 'imgsz': [8, 8], 'names': {0: 'a', '0': 'b'}}"),
            "temp_meta.txt: the dict key 0 appears twice");
  EXPECT_EQ(JsonError(DetectJsonWith("names", R"({"0": "a", "00": "b"})")),
            "metadata.json: names: key '00' is not a class id");
  // Keys in any order are fine; names come out in id order.
  auto m = ParseUltralyticsTempMeta(
      "{'task': 'classify', 'imgsz': 224, 'names': {2: 'c', 0: 'a', 1: 'b'}}");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(m->task, UltralyticsTask::kClassify);
  EXPECT_EQ(m->input_height, 224);
  EXPECT_EQ(m->input_width, 224);
  EXPECT_FALSE(m->stride.has_value());
}

TEST(UltralyticsMetadataTest, EveryTaskName) {
  for (const char* task : {"detect", "segment", "classify", "obb"}) {
    auto m = ParseUltralyticsMetadataJson(std::string(R"({"task": ")") + task +
                                          R"(", "names": ["a"], "imgsz": [8, 8]})");
    ASSERT_TRUE(m.ok()) << task << ": " << m.error().message;
    EXPECT_EQ(UltralyticsTaskName(m->task), task);
  }
}

}  // namespace
}  // namespace coralpi

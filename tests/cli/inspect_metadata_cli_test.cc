// `coralpi inspect` shows Ultralytics' metadata appended to a YOLO .tflite (issue 17): on a model
// the builder writes with a zip this test writes, in text and --json, and a broken zip as a line
// that says why (inspect itself still succeeds). The shared models: inspect_metadata_realdata_*.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "image/test_images.h"
#include "model/builder.h"
#include "model/test_zip.h"
#include "model/tiny_model.h"

namespace coralpi::testing {
namespace {

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

std::vector<uint8_t> TinyModel() { return testing::TinyReluModel(); }

const char kPoseJson[] =
    R"({"version": "8.3.27", "stride": 32, "task": "pose", "imgsz": [256, 320],
        "names": {"0": "person", "1": "dog", "2": "cat", "3": "horse", "4": "cow", "5": "yak"},
        "kpt_shape": [17, 3]})";

class InspectMetadataCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir(); }
  std::string Write(const std::string& name, const std::vector<uint8_t>& bytes) {
    WriteBytes(dir_ + "/" + name, bytes);
    return dir_ + "/" + name;
  }
  std::string dir_;
};

TEST_F(InspectMetadataCli, TextAndJson) {
  std::string model = Write("pose.tflite", AppendZip(TinyModel(), {{"metadata.json", kPoseJson}}));
  CliResult r = RunCoralpi({"inspect", model});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "ultralytics: metadata.json appended to the file, version 8.3.27\n"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "  task:      pose\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "  classes:   6 (person, dog, cat, horse, cow, ...)\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "  imgsz:     256x320 (height x width), stride 32\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "  keypoints: 17 x 3\n")) << r.out;

  r = RunCoralpi({"inspect", "--json", model});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  const nlohmann::json& u = j["ultralytics"];
  EXPECT_EQ(u["task"], "pose");
  EXPECT_EQ(u["classes"], 6);
  EXPECT_EQ(u["names"][5], "yak");
  EXPECT_EQ(u["imgsz"], nlohmann::json({256, 320}));
  EXPECT_EQ(u["stride"], 32);
  EXPECT_EQ(u["kpt_shape"], nlohmann::json({17, 3}));
  EXPECT_EQ(u["version"], "8.3.27");
  EXPECT_EQ(u["source"], "metadata.json");
}

TEST_F(InspectMetadataCli, NoneAndBroken) {
  CliResult r = RunCoralpi({"inspect", "--json", Write("plain.tflite", TinyModel())});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_TRUE(j["ultralytics"].is_null()) << r.out;
  EXPECT_FALSE(j.contains("ultralytics_error")) << r.out;

  ZipFileSpec bad{"temp_meta.txt", "{'task': 'detect'}"};
  bad.crc = 1;
  std::string broken = Write("broken.tflite", AppendZip(TinyModel(), {bad}));
  r = RunCoralpi({"inspect", broken});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out,
                  "ultralytics: cannot be read: ultralytics metadata: appended zip: "
                  "temp_meta.txt: CRC mismatch\n"))
      << r.out;
}

}  // namespace
}  // namespace coralpi::testing

// `coralpi classify`, `inspect` and `bench` as a user runs them: bad input gives a clear
// "coralpi: error: <file>: <reason>" and the exit code of its kind (2 usage, 4 a missing or
// unusable file, 5 an unsupported operator), never a crash.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "cli_runner.h"
#include "image/test_images.h"
#include "model/builder.h"
#include "model/mobilenet_v2.h"
#include "testutil/testdata.h"

namespace coralpi::testing {
namespace {

class ClassifyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    model_ = dir_ + "/mobilenet.tflite";
    WriteBytes(model_, BuildMobileNetV2Uint8());
    std::vector<uint8_t> grey(32 * 32 * 3, 90);
    image_ = dir_ + "/grey.png";
    WriteBytes(image_, EncodePng(32, 32, 2, 8, grey));
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string dir_, model_, image_;
};

// The exit codes of cli/command.h.
constexpr int kExitError = 1, kExitUsage = 2, kExitFile = 4, kExitUnsupported = 5;

// The error line names the file and says why; the exit code is `code`.
void ExpectError(const CliResult& r, const std::string& file, const std::string& reason,
                 int code = kExitFile) {
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_NE(r.err.find("coralpi: error: " + file), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(reason), std::string::npos) << r.err;
}

TEST_F(ClassifyCli, ClassifiesAGeneratedImageWithTheBuiltInNetwork) {
  CliResult r = RunCoralpi({"classify", "--model", model_, "--top-k", "3", image_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("grey.png"), std::string::npos);
  EXPECT_NE(r.out.find("time: decode"), std::string::npos);
}

// A folder is its image files by name; a bad one is reported and the others still run; the
// rate counts the images classified.
TEST_F(ClassifyCli, AFolderRunsEveryImageInNameOrderAndReportsTheRate) {
  std::vector<uint8_t> light(32 * 32 * 3, 200);
  WriteBytes(Path("b.png"), EncodePng(32, 32, 2, 8, light));
  WriteBytes(Path("c.jpg"), {1, 2, 3, 4});
  CliResult r = RunCoralpi({"classify", "--model", model_, "--top-k", "1", dir_});
  ExpectError(r, Path("c.jpg"), "");  // exit 4, the error names the file
  const size_t b = r.out.find(Path("b.png"));
  const size_t grey = r.out.find(Path("grey.png"));
  ASSERT_NE(b, std::string::npos) << r.out;
  ASSERT_NE(grey, std::string::npos) << r.out;
  EXPECT_LT(b, grey) << "name order";
  EXPECT_NE(r.out.find("2 images in "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("images per second"), std::string::npos) << r.out;
}

TEST_F(ClassifyCli, JsonOutputHasOneEntryPerImage) {
  CliResult r = RunCoralpi({"classify", "--json", "--model", model_, image_, image_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.front(), '[');
  size_t count = 0;
  for (size_t p = r.out.find("\"image\""); p != std::string::npos; p = r.out.find("\"image\"", p + 1)) ++count;
  EXPECT_EQ(count, 2u);
}

TEST_F(ClassifyCli, ZeroLengthModel) {
  WriteBytes(Path("empty.tflite"), {});
  ExpectError(RunCoralpi({"classify", "--model", Path("empty.tflite"), image_}), Path("empty.tflite"),
              "the file is empty");
}

TEST_F(ClassifyCli, RandomBytesModel) {
  std::mt19937 rng(9);
  std::vector<uint8_t> junk(5000);
  for (auto& b : junk) b = static_cast<uint8_t>(rng());
  WriteBytes(Path("junk.tflite"), junk);
  ExpectError(RunCoralpi({"classify", "--model", Path("junk.tflite"), image_}), Path("junk.tflite"),
              "not a TensorFlow Lite model");
}

TEST_F(ClassifyCli, TruncatedModel) {
  std::vector<uint8_t> bytes = BuildMobileNetV2Uint8();
  bytes.resize(bytes.size() / 2);
  WriteBytes(Path("half.tflite"), bytes);
  ExpectError(RunCoralpi({"classify", "--model", Path("half.tflite"), image_}), Path("half.tflite"),
              "corrupt or truncated");
}

TEST_F(ClassifyCli, BufferShorterThanTensor) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 8, 8, 3}, {}, {}});
  int32_t w = b.AddConstant("w", DataType::kFloat32, {4, 1, 1, 3}, std::vector<float>(3, 1.0f));
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {1, 8, 8, 4}, {}, {}});
  b.AddOperator(OpCode::kConv2D, {in, w}, {out}, Conv2DOptions{});
  b.SetInputs({in});
  b.SetOutputs({out});
  WriteBytes(Path("short.tflite"), b.Finish());
  ExpectError(RunCoralpi({"classify", "--model", Path("short.tflite"), image_}), Path("short.tflite"),
              "holds 12 bytes but shape [4, 1, 1, 3] of float32 needs 48");
}

TEST_F(ClassifyCli, UnsupportedOperatorIsNamedWithItsIndex) {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 4}, {}, {}});
  int32_t mid = b.AddTensor({"mid", DataType::kFloat32, {1, 4}, {}, {}});
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {1, 4}, {}, {}});
  b.AddOperator(OpCode::kReshape, {in}, {mid}, ReshapeOptions{{1, 4}});
  // LSH_PROJECTION (builtin 15): an operator no backend of coralpi runs.
  b.AddOperator(static_cast<OpCode>(15), {mid}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  WriteBytes(Path("lsh.tflite"), b.Finish());
  ExpectError(RunCoralpi({"classify", "--model", Path("lsh.tflite"), image_}), Path("lsh.tflite"),
              "operator 1 (LSH_PROJECTION): LSH_PROJECTION is not supported by the CPU engine",
              kExitUnsupported);
}

TEST_F(ClassifyCli, InspectSaysWhyAnOperatorRunsOnTheReferenceKernel) {
  // SUB with MoveNet's scales (1e-6 relative to the output: below XNNPACK's 2^-10), then CAST.
  ModelBuilder b;
  Quantization q{{1.0f}, {-128}, 0};
  int32_t in = b.AddTensor({"in", DataType::kInt8, {1, 4}, q, {}});
  int32_t zero = b.AddConstant("zero", DataType::kInt8, {1}, std::vector<int8_t>{0},
                               Quantization{{1e-6f}, {0}, 0});
  int32_t mid = b.AddTensor({"mid", DataType::kInt8, {1, 4}, q, {}});
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {1, 4}, {}, {}});
  b.AddOperator(OpCode::kSub, {in, zero}, {mid}, AddOptions{});
  b.AddOperator(OpCode::kCast, {mid}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  WriteBytes(Path("sub_cast.tflite"), b.Finish());
  CliResult r = RunCoralpi({"inspect", "--operators", Path("sub_cast.tflite")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 SUB                        cpu (reference kernel: scales 1 and 1e-06 to 1 "
                       "outside XNNPACK's limits"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("CAST                       x1    1 on reference kernels (XNNPACK has no "
                       "value conversion"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("cpu engine:  runs every operator"), std::string::npos) << r.out;
}

TEST_F(ClassifyCli, ModelInvokingError) {
  const char* broken = "models/model_invoking_error.tflite";
  CORALPI_REQUIRE_TESTDATA(broken);
  ExpectError(RunCoralpi({"classify", "--model", TestDataPath(broken), image_}), TestDataPath(broken),
              "operator 0 (fake-op-double): custom operator \"fake-op-double\" is not supported",
              kExitUnsupported);
}

TEST_F(ClassifyCli, PngRenamedJpg) {
  WriteBytes(Path("photo.jpg"), EncodePng(8, 8, 2, 8, std::vector<uint8_t>(8 * 8 * 3, 1)));
  ExpectError(RunCoralpi({"classify", "--model", model_, Path("photo.jpg")}), Path("photo.jpg"),
              "content is a PNG image but the name says JPEG");
}

TEST_F(ClassifyCli, TruncatedJpeg) {
  std::vector<uint8_t> rgb(64 * 64 * 3);
  for (size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<uint8_t>(i * 31);
  std::vector<uint8_t> jpeg = EncodeJpeg(64, 64, 3, rgb, 90);
  jpeg.resize(jpeg.size() * 2 / 3);
  WriteBytes(Path("cut.jpg"), jpeg);
  CliResult r = RunCoralpi({"classify", "--model", model_, Path("cut.jpg")});
  EXPECT_EQ(r.exit_code, kExitFile) << r.err;
  EXPECT_NE(r.err.find("coralpi: error: " + Path("cut.jpg")), std::string::npos) << r.err;
}

TEST_F(ClassifyCli, OnePixelImage) {
  WriteBytes(Path("dot.png"), EncodePng(1, 1, 2, 8, {200, 10, 10}));
  ExpectError(RunCoralpi({"classify", "--model", model_, Path("dot.png")}), Path("dot.png"), "1x1",
              kExitUsage);  // too small to give a model: a bad argument
}

TEST_F(ClassifyCli, MissingImage) {
  ExpectError(RunCoralpi({"classify", "--model", model_, Path("nothere.jpg")}), Path("nothere.jpg"),
              "No such file");
}

TEST_F(ClassifyCli, MissingModel) {
  ExpectError(RunCoralpi({"classify", "--model", Path("nothere.tflite"), image_}), Path("nothere.tflite"),
              "No such file");
}

TEST_F(ClassifyCli, LabelFileShorterThanTheClasses) {
  std::ofstream(Path("labels.txt")) << "background\ncat\ndog\n";
  ExpectError(RunCoralpi({"classify", "--model", model_, "--labels", Path("labels.txt"), image_}),
              Path("labels.txt"), "has labels for 3 classes but the model has 1001");
}

TEST_F(ClassifyCli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunCoralpi({"classify", image_}).exit_code, kExitUsage);  // no --model
  EXPECT_EQ(RunCoralpi({"classify", "--model", model_, "--top-k", "0", image_}).exit_code,
            kExitUsage);
  EXPECT_EQ(RunCoralpi({"no-such-command"}).exit_code, kExitUsage);
  EXPECT_EQ(RunCoralpi({}).exit_code, kExitUsage);
  EXPECT_EQ(RunCoralpi({"classify", "--model", model_, "--threads", "0", image_}).exit_code,
            kExitUsage);
}

// A missing model and a few garbage bytes share the file code; an error no boundary names keeps 1.
TEST_F(ClassifyCli, MissingAndGarbageModelsExitWithTheFileCode) {
  EXPECT_EQ(RunCoralpi({"classify", "--model", Path("nothere.tflite"), image_}).exit_code,
            kExitFile);
  WriteBytes(Path("garbage.tflite"), {'n', 'o', 't', ' ', 'a', ' ', 'm', 'o', 'd', 'e', 'l'});
  CliResult r = RunCoralpi({"classify", "--model", Path("garbage.tflite"), image_});
  EXPECT_EQ(r.exit_code, kExitFile) << r.err;
  EXPECT_NE(r.exit_code, kExitError);
}

TEST_F(ClassifyCli, RealParrotIsMacaw) {
  const char* model = "models/mobilenet_v2_1.0_224_quant.tflite";
  CORALPI_REQUIRE_TESTDATA(model);
  CORALPI_REQUIRE_TESTDATA("images/parrot.jpg");
  CliResult r = RunCoralpi({"classify", "--model", TestDataPath(model), "--labels",
                            TestDataPath("labels/imagenet_labels.txt"), TestDataPath("images/parrot.jpg")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1. macaw"), std::string::npos) << r.out;
}

TEST(BenchCli, BuiltInNetworkPrintsEveryStatistic) {
  CliResult r = RunCoralpi({"bench", "--runs", "3", "--warmup", "1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* key : {"load:", "init:", "min", "median", "mean", "p90", "p99", "max", "std", "peak resident"}) {
    EXPECT_NE(r.out.find(key), std::string::npos) << key << " missing from:\n" << r.out;
  }
}

TEST(BenchCli, JsonHasTheStatistics) {
  CliResult r = RunCoralpi({"bench", "--runs", "2", "--warmup", "0", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* key : {"\"median\"", "\"p99\"", "\"init_ms\"", "\"peak_resident_kib\""}) {
    EXPECT_NE(r.out.find(key), std::string::npos) << key;
  }
}

TEST(BenchCli, RunsAndMinSecondsExcludeEachOther) {
  EXPECT_EQ(RunCoralpi({"bench", "--runs", "2", "--min-seconds", "1"}).exit_code, 2);
}

}  // namespace
}  // namespace coralpi::testing

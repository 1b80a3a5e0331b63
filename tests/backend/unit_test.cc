// Pure backend code: Edge TPU device strings, device-node permissions, backend names and
// lists, TfLiteType numbering, and reading Edge TPU custom-op payloads (well-formed ones
// built here with the FlatBuffers/FlexBuffers builders, and broken ones).
#include <flatbuffers/flexbuffers.h>
#include <gtest/gtest.h>

#include <random>

#include "backend/backend_factory.h"
#include "backend/edgetpu_executable.h"
#include "backend/edgetpu_host.h"
#include "backend/tflite_interpreter.h"
#include "fake_host.h"

namespace coralpi {
namespace {

using Bus = EdgeTpuDeviceSpec::Bus;

TEST(DeviceSpec, AcceptsTheStringsLibcoralAccepts) {
  struct Case {
    const char* text;
    Bus bus;
    int index;
  } cases[] = {{"", Bus::kAny, -1},     {"pci", Bus::kPci, -1},   {"usb", Bus::kUsb, -1},
               {":0", Bus::kAny, 0},    {":2", Bus::kAny, 2},     {"pci:0", Bus::kPci, 0},
               {"usb:1", Bus::kUsb, 1}, {"pci:10", Bus::kPci, 10}};
  for (const Case& c : cases) {
    auto spec = ParseEdgeTpuDeviceSpec(c.text);
    ASSERT_TRUE(spec.ok()) << c.text << ": " << spec.error().message;
    EXPECT_EQ(spec->bus, c.bus) << c.text;
    EXPECT_EQ(spec->index, c.index) << c.text;
  }
}

TEST(DeviceSpec, RejectsOthersNamingTheFlag) {
  for (const char* bad :
       {"pcie", "usb:", "pci:x", ":", "pci:-1", "usb:0:1", "PCI", "tpu:0", "pci:1234"}) {
    auto spec = ParseEdgeTpuDeviceSpec(bad);
    ASSERT_FALSE(spec.ok()) << bad;
    EXPECT_NE(spec.error().message.find(std::string("--device ") + bad), std::string::npos)
        << spec.error().message;
  }
}

board::FileInfo File(uid_t uid, gid_t gid, mode_t mode) {
  board::FileInfo f;
  f.exists = true;
  f.uid = uid;
  f.gid = gid;
  f.mode = mode;
  return f;
}

TEST(Permissions, OwnerGroupOtherAndRoot) {
  ProcessIdentity user{1000, {1000, 27}};
  ProcessIdentity in_apex{1000, {1000, 999}};
  ProcessIdentity root{0, {0}};
  board::FileInfo apex = File(0, 999, 0660);  // root:apex rw-rw----
  EXPECT_FALSE(CanReadWrite(apex, user));
  EXPECT_TRUE(CanReadWrite(apex, in_apex));
  EXPECT_TRUE(CanReadWrite(apex, root));
  EXPECT_TRUE(CanReadWrite(File(0, 0, 0666), user));
  EXPECT_FALSE(CanReadWrite(File(0, 999, 0640), in_apex));  // group may read only
  EXPECT_TRUE(CanReadWrite(File(1000, 0, 0600), user));
  EXPECT_FALSE(CanReadWrite(File(1000, 999, 0460), in_apex));  // owner bits decide for the owner
  board::FileInfo missing;
  EXPECT_FALSE(CanReadWrite(missing, root));
}

TEST(BackendNames, SingleAndLists) {
  EXPECT_EQ(*ParseBackendKind("edgetpu"), BackendKind::kEdgeTpu);
  EXPECT_EQ(*ParseBackendKind("tflite"), BackendKind::kTfLite);
  EXPECT_FALSE(ParseBackendKind("tpu").ok());
  EXPECT_FALSE(ParseBackendKind("").ok());
  auto list = ParseBackendList("cpu,tflite,edgetpu");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<BackendKind>{BackendKind::kCpu, BackendKind::kTfLite,
                                             BackendKind::kEdgeTpu}));
  EXPECT_FALSE(ParseBackendList("cpu,,tflite").ok());
  EXPECT_FALSE(ParseBackendList("cpu,").ok());
  auto twice = ParseBackendList("cpu,cpu");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("twice"), std::string::npos);
  EXPECT_STREQ(BackendKindName(BackendKind::kAuto), "auto");
}

TEST(TfLiteTypes, CApiNumberingIsNotTheSchemaNumbering) {
  // c_api_types.h: kTfLiteFloat32 = 1, kTfLiteUInt8 = 3, kTfLiteInt8 = 9, kTfLiteFloat16 = 10.
  EXPECT_EQ(*FromTfLiteType(1), DataType::kFloat32);
  EXPECT_EQ(*FromTfLiteType(2), DataType::kInt32);
  EXPECT_EQ(*FromTfLiteType(3), DataType::kUInt8);
  EXPECT_EQ(*FromTfLiteType(7), DataType::kInt16);
  EXPECT_EQ(*FromTfLiteType(9), DataType::kInt8);
  EXPECT_EQ(*FromTfLiteType(10), DataType::kFloat16);
  EXPECT_EQ(*FromTfLiteType(11), DataType::kFloat64);
  EXPECT_FALSE(FromTfLiteType(0).ok());  // no type
  EXPECT_FALSE(FromTfLiteType(5).ok());  // string
  EXPECT_FALSE(FromTfLiteType(-1).ok());
}

TEST(EdgeTpuPayload, ReadsExecutablesAndParameterSizes) {
  std::vector<uint8_t> payload = testing::MakeEdgeTpuPayload(1234, 56789);
  auto info = ParseEdgeTpuCustomOptions(payload);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->options_bytes, payload.size());
  ASSERT_EQ(info->packages.size(), 1u);
  const EdgeTpuPackageInfo& p = info->packages[0];
  EXPECT_TRUE(p.has_identifier);
  EXPECT_EQ(p.min_runtime_version, 14);
  EXPECT_EQ(p.compiler_version, "test-compiler");
  EXPECT_EQ(p.chip, 18);
  ASSERT_EQ(p.executables.size(), 2u);
  EXPECT_EQ(p.executables[0].type, "EXECUTION_ONLY");
  EXPECT_EQ(p.executables[0].instruction_bytes, 1234u);
  EXPECT_EQ(p.executables[0].parameter_bytes, 0u);
  EXPECT_EQ(p.executables[1].type, "PARAMETER_CACHING");
  EXPECT_EQ(p.executables[1].parameter_bytes, 56789u);
  EXPECT_EQ(p.executables[1].instruction_bytes, 16u);
  EXPECT_EQ(p.executables[1].chip, "beagle");
  EXPECT_GT(p.executables[1].serialized_bytes, 56789u);
  EXPECT_EQ(info->parameter_bytes(), 56789u);
  EXPECT_LT(p.serialized_bytes, payload.size());
}

void ExpectRejected(const std::vector<uint8_t>& bytes, const std::string& why) {
  auto info = ParseEdgeTpuCustomOptions(bytes);
  ASSERT_FALSE(info.ok()) << why;
  EXPECT_EQ(info.error().message.rfind("edgetpu-custom-op options: ", 0), 0u)
      << info.error().message;
}

TEST(EdgeTpuPayload, MalformedPayloadsAreErrorsNotCrashes) {
  ExpectRejected({}, "empty");
  ExpectRejected({1, 2, 3}, "three bytes");
  std::vector<uint8_t> good = testing::MakeEdgeTpuPayload(100, 200);
  // Every truncation and a sample of single-byte corruptions.
  for (size_t n = 0; n < good.size(); n += 7) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<long>(n));
    auto r = ParseEdgeTpuCustomOptions(cut);
    (void)r;
  }
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> bad = good;
    bad[rng() % bad.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
    auto r = ParseEdgeTpuCustomOptions(bad);
    (void)r;
  }
  // A map without key "4", and one whose "4" is not a package.
  flexbuffers::Builder no_exe;
  no_exe.Map([&] { no_exe.Int("1", 0); });
  no_exe.Finish();
  ExpectRejected(no_exe.GetBuffer(), "no key 4");
  flexbuffers::Builder junk;
  junk.Map([&] {
    junk.Int("1", 0);
    junk.String("4", "this is not a package, just text");
  });
  junk.Finish();
  ExpectRejected(junk.GetBuffer(), "junk package");
  flexbuffers::Builder not_map;
  not_map.Int(42);
  not_map.Finish();
  ExpectRejected(not_map.GetBuffer(), "not a map");
}

TEST(EdgeTpuPayload, ChipListMustMatchThePackages) {
  std::vector<uint8_t> good = testing::MakeEdgeTpuPayload(10, 20);
  auto root = flexbuffers::GetRoot(good).AsMap();
  std::string pkg = root["4"].AsString().str();
  flexbuffers::Builder b;
  b.Map([&] {
    b.Int("1", 0);
    b.Key("4");
    b.String(pkg);
    b.Vector("6", [&] {
      b.Int(18);
      b.Int(19);
    });  // two chips, one package
    b.Vector("7", [] {});
  });
  b.Finish();
  auto info = ParseEdgeTpuCustomOptions(b.GetBuffer());
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.error().message.find("2 chips for 1 packages"), std::string::npos)
      << info.error().message;
}

TEST(EdgeTpuPayload, SecondPackageUnderKeySeven) {
  std::vector<uint8_t> a = testing::MakeEdgeTpuPayload(10, 100),
                       c = testing::MakeEdgeTpuPayload(10, 300);
  std::string pa = flexbuffers::GetRoot(a).AsMap()["4"].AsString().str();
  std::string pc = flexbuffers::GetRoot(c).AsMap()["4"].AsString().str();
  flexbuffers::Builder b;
  b.Map([&] {
    b.Int("1", 0);
    b.Key("4");
    b.String(pa);
    b.Vector("6", [&] {
      b.Int(18);
      b.Int(20);
    });
    b.Vector("7", [&] { b.String(pc); });
  });
  b.Finish();
  auto info = ParseEdgeTpuCustomOptions(b.GetBuffer());
  ASSERT_TRUE(info.ok()) << info.error().message;
  ASSERT_EQ(info->packages.size(), 2u);
  EXPECT_EQ(info->packages[1].chip, 20);
  EXPECT_EQ(info->parameter_bytes(), 400u);
}

}  // namespace
}  // namespace coralpi

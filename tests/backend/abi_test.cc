// coralpi's declarations of TensorFlow Lite's C structs (tflite_abi.h) against the documented
// byte offsets (edgetpu-abi-facts.md), read and written as raw bytes the way libedgetpu's code
// sees them, and coralpi's TfLiteContext (tflite_host_context.h): tensors bound to the model's
// types, shapes, quantization and memory, ResizeTensor taking ownership of the array, variadic
// ReportError, the Edge TPU context slot, an empty execution plan.
#include <gtest/gtest.h>

#include <cstring>

#include "backend/tflite_abi.h"
#include "backend/tflite_host_context.h"
#include "host/edgetpu_runtime.h"

namespace coralpi {
namespace {

template <typename T>
T At(const void* base, size_t offset) {
  T v;
  std::memcpy(&v, static_cast<const uint8_t*>(base) + offset, sizeof v);
  return v;
}

template <typename T>
void Put(void* base, size_t offset, T v) {
  std::memcpy(static_cast<uint8_t*>(base) + offset, &v, sizeof v);
}

TEST(TfLiteAbi, TensorFieldsSitAtTheDocumentedOffsets) {
  auto dims = NewIntArray(std::vector<int32_t>{1, 224, 224, 3});
  char name[] = "input";
  uint8_t memory[4];
  abi::TfLiteTensor t;
  std::memset(&t, 0, sizeof t);
  t.type = abi::kTfLiteUInt8;
  t.data = memory;
  t.dims = dims.get();
  t.params = {0.0078125f, 128};
  t.bytes = 150528;
  t.name = name;
  t.buffer_handle = -1;
  ASSERT_EQ(sizeof t, 112u);
  EXPECT_EQ(At<int>(&t, 0), 3);
  EXPECT_EQ(At<void*>(&t, 8), memory);
  EXPECT_EQ(At<abi::TfLiteIntArray*>(&t, 16), dims.get());
  EXPECT_EQ(At<float>(&t, 24), 0.0078125f);
  EXPECT_EQ(At<int32_t>(&t, 28), 128);
  EXPECT_EQ(At<size_t>(&t, 40), 150528u);
  EXPECT_EQ(At<const char*>(&t, 56), name);
  EXPECT_EQ(At<int>(&t, 72), -1);
  // And the other way: bytes written at the offsets read back through the fields.
  Put<int>(&t, 0, 9);
  Put<size_t>(&t, 40, 7);
  Put<int>(&t, 72, 5);
  EXPECT_EQ(t.type, abi::kTfLiteInt8);
  EXPECT_EQ(t.bytes, 7u);
  EXPECT_EQ(t.buffer_handle, 5);
  // TfLiteIntArray: {int size; int data[];}.
  EXPECT_EQ(At<int>(dims.get(), 0), 4);
  EXPECT_EQ(At<int>(dims.get(), 4), 1);
  EXPECT_EQ(At<int>(dims.get(), 16), 3);
}

TEST(TfLiteAbi, NodeContextRegistrationAndDelegateOffsets) {
  abi::TfLiteNode n;
  std::memset(&n, 0, sizeof n);
  int user = 0;
  uint8_t options[3];
  n.user_data = &user;
  n.custom_initial_data = options;
  n.custom_initial_data_size = 3;
  EXPECT_EQ(sizeof n, 80u);
  EXPECT_EQ(At<void*>(&n, 32), &user);
  EXPECT_EQ(At<const void*>(&n, 48), options);
  EXPECT_EQ(At<int>(&n, 56), 3);

  TfLiteHostContext host(3);
  abi::TfLiteContext* c = host.get();
  EXPECT_EQ(At<size_t>(c, 0), 3u);
  EXPECT_EQ(At<abi::TfLiteTensor*>(c, 16), &host.tensor(0));
  EXPECT_EQ(At<void*>(c, 32), reinterpret_cast<void*>(c->ResizeTensor));
  EXPECT_EQ(At<void*>(c, 40), reinterpret_cast<void*>(c->ReportError));
  EXPECT_EQ(At<void*>(c, 80), reinterpret_cast<void*>(c->GetExternalContext));
  EXPECT_EQ(At<void*>(c, 88), reinterpret_cast<void*>(c->SetExternalContext));
  // Everything a newer library might read beyond the named fields is zero.
  for (size_t off = 96; off < 200; off += 8) EXPECT_EQ(At<void*>(c, off), nullptr) << off;
  // Tensor i of the context is 112 * i bytes after the first, as the library indexes them.
  EXPECT_EQ(reinterpret_cast<const uint8_t*>(&host.tensor(2)) -
                reinterpret_cast<const uint8_t*>(&host.tensor(0)),
            224);

  abi::TfLiteRegistration r{};
  r.custom_name = "edgetpu-custom-op";
  EXPECT_EQ(At<const char*>(&r, 48), r.custom_name);
  abi::TfLiteDelegate d{};
  d.flags = 3;
  EXPECT_EQ(At<int64_t>(&d, 40), 3);
}

// The enum values as TensorFlow Lite's public headers number them (tensorflow/lite/core/c/
// common.h and c_api_types.h, unchanged from 2.5 to 2.19) and libedgetpu's edgetpu_c.h; written
// down from those headers, not from coralpi's declarations.
TEST(TfLiteAbi, EnumValuesAreThoseOfThePublicHeaders) {
  // TfLiteAllocationType: kTfLiteMemNone, kTfLiteMmapRo, kTfLiteArenaRw,
  // kTfLiteArenaRwPersistent, kTfLiteDynamic, kTfLitePersistentRo, kTfLiteCustom.
  EXPECT_EQ(abi::kTfLiteCustom, 6);
  // TfLiteExternalContextType: kTfLiteEigenContext, kTfLiteGemmLowpContext, kTfLiteEdgeTpuContext.
  EXPECT_EQ(abi::kTfLiteEdgeTpuContext, 2);
  EXPECT_EQ(abi::kTfLiteOk, 0);
  EXPECT_EQ(abi::kTfLiteError, 1);
  EXPECT_EQ(capi::kTfLiteDelegateError, 2);
  EXPECT_EQ(capi::kTfLiteApplicationError, 3);
  EXPECT_EQ(abi::kTfLiteNoType, 0);
  EXPECT_EQ(abi::kTfLiteFloat32, 1);
  EXPECT_EQ(abi::kTfLiteInt32, 2);
  EXPECT_EQ(abi::kTfLiteUInt8, 3);
  EXPECT_EQ(abi::kTfLiteInt64, 4);
  EXPECT_EQ(abi::kTfLiteString, 5);
  EXPECT_EQ(abi::kTfLiteBool, 6);
  EXPECT_EQ(abi::kTfLiteInt16, 7);
  EXPECT_EQ(abi::kTfLiteComplex64, 8);
  EXPECT_EQ(abi::kTfLiteInt8, 9);
  EXPECT_EQ(abi::kTfLiteFloat16, 10);
  EXPECT_EQ(abi::kTfLiteFloat64, 11);
  EXPECT_EQ(capi::EDGETPU_APEX_PCI, 0);
  EXPECT_EQ(capi::EDGETPU_APEX_USB, 1);
}

TEST(TfLiteHostContext, BindsTheModelsTensor) {
  TfLiteHostContext host(2);
  Quantization q{{0.5f}, {7}, 0};
  uint8_t memory[24];
  ASSERT_TRUE(host.Bind(1, TensorView{DataType::kInt8, {2, 3, 4}, &q, memory}, "t").ok());
  const abi::TfLiteTensor& t = host.tensor(1);
  EXPECT_EQ(t.type, abi::kTfLiteInt8);
  EXPECT_EQ(t.data, memory);
  ASSERT_EQ(t.dims->size, 3);
  EXPECT_EQ(t.dims->data[2], 4);
  EXPECT_EQ(t.bytes, 24u);
  EXPECT_EQ(t.params.scale, 0.5f);
  EXPECT_EQ(t.params.zero_point, 7);
  EXPECT_EQ(t.buffer_handle, -1);
  // kTfLiteCustom, as libedgetpu's common.h numbers it, at the documented offset.
  EXPECT_EQ(At<int>(&t, 32), 6);
  EXPECT_STREQ(t.name, "t");
  EXPECT_EQ(host.tensor(0).buffer_handle, -1);  // unbound ones too
  Quantization per_channel{{0.5f, 0.25f}, {0, 0}, 0};
  EXPECT_FALSE(host.Bind(0, TensorView{DataType::kInt8, {2}, &per_channel, memory}, "w").ok());
  EXPECT_FALSE(host.Bind(0, TensorView{DataType::kInt64, {2}, nullptr, memory}, "i").ok());
  EXPECT_FALSE(host.Bind(5, TensorView{DataType::kUInt8, {2}, nullptr, memory}, "x").ok());
}

TEST(TfLiteHostContext, ResizeTensorOwnsTheArrayAndKeepsTheBytes) {
  TfLiteHostContext host(1);
  Quantization q{{1.0f}, {0}, 0};
  float memory[16];
  ASSERT_TRUE(host.Bind(0, TensorView{DataType::kFloat32, {1, 16}, &q, memory}, "t").ok());
  abi::TfLiteContext* c = host.get();
  abi::TfLiteTensor* t = c->tensors;
  // The callee owns the malloc'ed array (ASan reports a leak or double free otherwise).
  EXPECT_EQ(c->ResizeTensor(c, t, NewIntArray(std::vector<int32_t>{4, 4}).release()),
            abi::kTfLiteOk);
  ASSERT_EQ(t->dims->size, 2);
  EXPECT_EQ(t->dims->data[0], 4);
  EXPECT_EQ(t->bytes, 64u);
  EXPECT_EQ(c->ResizeTensor(c, t, NewIntArray(std::vector<int32_t>{2, 16}).release()),
            abi::kTfLiteError);
  EXPECT_EQ(t->dims->data[0], 4);  // unchanged
  EXPECT_NE(host.TakeErrors().find("from [4, 4] to [2, 16]"), std::string::npos);
  EXPECT_EQ(c->ResizeTensor(c, t, NewIntArray(std::vector<int32_t>{-1, 16}).release()),
            abi::kTfLiteError);
  host.TakeErrors();
}

TEST(TfLiteHostContext, ReportErrorIsVariadicAndCollected) {
  TfLiteHostContext host;
  abi::TfLiteContext* c = host.get();
  c->ReportError(c, "Failed to prepare for TPU. %s", "no room");
  c->ReportError(c, "node %d of %zu", 3, size_t{7});
  EXPECT_EQ(host.TakeErrors(), "Failed to prepare for TPU. no room; node 3 of 7");
  EXPECT_EQ(host.TakeErrors(), "");
}

TEST(TfLiteHostContext, EdgeTpuContextSlotAndEmptyPlan) {
  TfLiteHostContext host;
  abi::TfLiteContext* c = host.get();
  EXPECT_EQ(c->GetExternalContext(c, abi::kTfLiteEdgeTpuContext), nullptr);
  auto* device = reinterpret_cast<abi::TfLiteExternalContext*>(&host);
  c->SetExternalContext(c, 1, device);  // another kind: not kept
  EXPECT_EQ(c->GetExternalContext(c, 1), nullptr);
  c->SetExternalContext(c, abi::kTfLiteEdgeTpuContext, device);
  EXPECT_EQ(c->GetExternalContext(c, abi::kTfLiteEdgeTpuContext), device);
  EXPECT_EQ(host.edgetpu_context(), device);
  abi::TfLiteIntArray* plan = nullptr;
  ASSERT_EQ(c->GetExecutionPlan(c, &plan), abi::kTfLiteOk);
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->size, 0);
}

TEST(RuntimeVersion, FromTheVersionString) {
  EXPECT_EQ(board::ParseRuntimeVersion(
                "BuildLabel(COMPILER=12.2.0,DATE=Sep 17 2025,TIME=21:31:50), RuntimeVersion(14)"),
            14);
  EXPECT_EQ(board::ParseRuntimeVersion("BuildLabel(x), RuntimeVersion(13)"), 13);
  EXPECT_EQ(board::ParseRuntimeVersion("BuildLabel(x)"), 0);
  EXPECT_EQ(board::ParseRuntimeVersion("RuntimeVersion(1x)"), 0);
  EXPECT_EQ(board::ParseRuntimeVersion("RuntimeVersion(14"), 0);
  EXPECT_EQ(board::ParseRuntimeVersion("RuntimeVersion()"), 0);
}

}  // namespace
}  // namespace coralpi

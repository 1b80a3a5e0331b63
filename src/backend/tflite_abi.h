// TensorFlow Lite's C structs as libedgetpu's `edgetpu-custom-op` reads and calls them, declared
// by coralpi so that it can host the custom op without any TensorFlow Lite library.
//
// libedgetpu compiles TensorFlow Lite's common.h into itself and imports no TensorFlow Lite
// symbol: its custom op only needs a TfLiteContext, TfLiteNode and TfLiteTensor laid out the way
// that header lays them out. The layouts below are those of the RuntimeVersion 14 builds
// (libedgetpu 16.0 and later, TensorFlow 2.5 to 2.19; TensorFlow Lite only appended fields to
// these structs in that time) on LP64 targets (x86-64 and aarch64). Every offset the library
// reads is checked with a static_assert against the values in docs (edgetpu-abi-facts.md).
// RuntimeVersion 13 builds use a 104-byte tensor and are refused before anything here is used.
// Only the fields coralpi sets or libedgetpu reads are named; the rest are placeholders.
#pragma once

#include <cstddef>
#include <cstdint>

#include "backend/tflite_c_api.h"

namespace coralpi::abi {

// The enums and the quantization pair the C API declares too (tflite_c_api.h).
using capi::TfLiteQuantizationParams;
using capi::TfLiteStatus;
using capi::TfLiteType;
using enum capi::TfLiteStatus;
using enum capi::TfLiteType;

// TfLiteExternalContextType: the slot of the Edge TPU's device context.
inline constexpr int kTfLiteEdgeTpuContext = 2;
// TfLiteAllocationType (common.h): kTfLiteMemNone 0, kTfLiteMmapRo 1, kTfLiteArenaRw 2,
// kTfLiteArenaRwPersistent 3, kTfLiteDynamic 4, kTfLitePersistentRo 5, kTfLiteCustom 6.
// coralpi's tensors are kTfLiteCustom: memory the host owns and keeps in place.
inline constexpr int kTfLiteCustom = 6;

// `int size; int data[];`, always malloc'ed, as TfLiteIntArrayCreate makes them: libedgetpu
// hands ResizeTensor one of these and the callee frees it.
struct TfLiteIntArray {
  int size;
  int data[];  // `size` entries (a flexible array member, as in C)
};

struct TfLiteQuantization {
  int type;
  void* params;
};

struct TfLiteTensor {
  TfLiteType type;
  void* data;  // TfLitePtrUnion: the custom op reads and writes `raw`
  TfLiteIntArray* dims;
  TfLiteQuantizationParams params;
  int allocation_type;
  size_t bytes;
  const void* allocation;
  const char* name;
  void* delegate;
  int buffer_handle;  // -1: none; otherwise the custom op takes it as a dma-buf descriptor
  bool data_is_stale;
  bool is_variable;
  TfLiteQuantization quantization;
  void* sparsity;
  const TfLiteIntArray* dims_signature;
};

struct TfLiteNode {
  TfLiteIntArray* inputs;
  TfLiteIntArray* outputs;
  TfLiteIntArray* intermediates;
  TfLiteIntArray* temporaries;
  void* user_data;  // what the registration's init returned
  void* builtin_data;
  const void* custom_initial_data;  // the node's custom options
  int custom_initial_data_size;
  void* delegate;
  bool might_have_side_effect;
};

struct TfLiteExternalContext;  // libedgetpu's device context; opaque to coralpi
struct TfLiteContext;
struct TfLiteDelegate;

struct TfLiteContext {
  size_t tensors_size;
  TfLiteStatus (*GetExecutionPlan)(TfLiteContext* context, TfLiteIntArray** plan);
  TfLiteTensor* tensors;
  void* impl_;  // the host's own pointer; libedgetpu never reads it
  TfLiteStatus (*ResizeTensor)(TfLiteContext* context, TfLiteTensor* tensor,
                               TfLiteIntArray* new_size);
  void (*ReportError)(TfLiteContext* context, const char* format, ...);
  void* AddTensors;                             // never called by the custom op
  void* GetNodeAndRegistration;                 // only called by a delegate over a non-empty plan
  void* ReplaceNodeSubsetsWithDelegateKernels;  // idem (takes a registration by value)
  int recommended_num_threads;
  TfLiteExternalContext* (*GetExternalContext)(TfLiteContext* context, int type);
  void (*SetExternalContext)(TfLiteContext* context, int type, TfLiteExternalContext* value);
  // Fields appended by later TensorFlow versions, zeroed (200 bytes in 2.19; room to spare).
  void* appended[20];
};

struct TfLiteRegistration {
  void* (*init)(TfLiteContext* context, const char* buffer, size_t length);
  void (*free)(TfLiteContext* context, void* buffer);
  TfLiteStatus (*prepare)(TfLiteContext* context, TfLiteNode* node);
  TfLiteStatus (*invoke)(TfLiteContext* context, TfLiteNode* node);
  const char* (*profiling_string)(const TfLiteContext* context, const TfLiteNode* node);
  int32_t builtin_code;
  const char* custom_name;
  int version;
  // Later versions append fields; coralpi only reads the library's own registration.
};

struct TfLiteDelegate {
  void* data_;
  TfLiteStatus (*Prepare)(TfLiteContext* context, TfLiteDelegate* delegate);
  void* CopyFromBufferHandle;
  void* CopyToBufferHandle;
  void* FreeBufferHandle;
  int64_t flags;
};

// The offsets libedgetpu reads (edgetpu-abi-facts.md, "Layouts").
static_assert(sizeof(void*) == 8 && sizeof(size_t) == 8, "LP64 targets only");
static_assert(sizeof(TfLiteTensor) == 112);
static_assert(offsetof(TfLiteTensor, type) == 0);
static_assert(offsetof(TfLiteTensor, data) == 8);
static_assert(offsetof(TfLiteTensor, dims) == 16);
static_assert(offsetof(TfLiteTensor, params) == 24);
static_assert(offsetof(TfLiteTensor, params.zero_point) == 28);
static_assert(offsetof(TfLiteTensor, allocation_type) == 32);
static_assert(offsetof(TfLiteTensor, bytes) == 40);
static_assert(offsetof(TfLiteTensor, allocation) == 48);
static_assert(offsetof(TfLiteTensor, name) == 56);
static_assert(offsetof(TfLiteTensor, delegate) == 64);
static_assert(offsetof(TfLiteTensor, buffer_handle) == 72);
static_assert(offsetof(TfLiteTensor, dims_signature) == 104);
static_assert(offsetof(TfLiteIntArray, data) == 4);

static_assert(sizeof(TfLiteNode) == 80);
static_assert(offsetof(TfLiteNode, inputs) == 0);
static_assert(offsetof(TfLiteNode, outputs) == 8);
static_assert(offsetof(TfLiteNode, intermediates) == 16);
static_assert(offsetof(TfLiteNode, temporaries) == 24);
static_assert(offsetof(TfLiteNode, user_data) == 32);
static_assert(offsetof(TfLiteNode, builtin_data) == 40);
static_assert(offsetof(TfLiteNode, custom_initial_data) == 48);
static_assert(offsetof(TfLiteNode, custom_initial_data_size) == 56);
static_assert(offsetof(TfLiteNode, delegate) == 64);

static_assert(sizeof(TfLiteContext) >= 200);
static_assert(offsetof(TfLiteContext, tensors_size) == 0);
static_assert(offsetof(TfLiteContext, GetExecutionPlan) == 8);
static_assert(offsetof(TfLiteContext, tensors) == 16);
static_assert(offsetof(TfLiteContext, impl_) == 24);
static_assert(offsetof(TfLiteContext, ResizeTensor) == 32);
static_assert(offsetof(TfLiteContext, ReportError) == 40);
static_assert(offsetof(TfLiteContext, AddTensors) == 48);
static_assert(offsetof(TfLiteContext, GetNodeAndRegistration) == 56);
static_assert(offsetof(TfLiteContext, ReplaceNodeSubsetsWithDelegateKernels) == 64);
static_assert(offsetof(TfLiteContext, recommended_num_threads) == 72);
static_assert(offsetof(TfLiteContext, GetExternalContext) == 80);
static_assert(offsetof(TfLiteContext, SetExternalContext) == 88);

static_assert(offsetof(TfLiteRegistration, init) == 0);
static_assert(offsetof(TfLiteRegistration, free) == 8);
static_assert(offsetof(TfLiteRegistration, prepare) == 16);
static_assert(offsetof(TfLiteRegistration, invoke) == 24);
static_assert(offsetof(TfLiteRegistration, custom_name) == 48);
static_assert(offsetof(TfLiteRegistration, version) == 56);

static_assert(offsetof(TfLiteDelegate, data_) == 0);
static_assert(offsetof(TfLiteDelegate, Prepare) == 8);
static_assert(offsetof(TfLiteDelegate, flags) == 40);

}  // namespace coralpi::abi

/* A stand-in for TensorFlow Lite's C library (libtensorflowlite_c.so), built by the tests so
 * that coralpi's run-time loader and its tflite/edgetpu backends can be exercised on machines
 * without TensorFlow Lite. It exports the C API functions coralpi resolves, with the documented
 * signatures, and a tiny interpreter double:
 *
 *   - TfLiteModelCreate accepts any buffer with the .tflite identifier "TFL3" at byte 4 and
 *     notes whether the bytes mention "edgetpu-custom-op".
 *   - Every interpreter has one input, uint8 [1, 8, 8, 3] (scale 1/128, zero point 128), and one
 *     output, uint8 [1, 16] (scale 1/256, zero point 0).
 *   - Invoke copies the first 16 input bytes to the output; with the fake Edge TPU delegate
 *     applied it writes 255 minus them instead, so tests can tell the delegate ran.
 *   - A model that mentions edgetpu-custom-op cannot be built without that delegate
 *     ("Encountered unresolved custom op"), as with the real library.
 *   - FAKE_TFLITE_REFUSE_DELEGATE=1 makes any Edge TPU delegate fail to apply.
 *
 * Compile-time variants: FAKE_NO_XNNPACK leaves out the XNNPACK delegate functions,
 * FAKE_XNNPACK_DEFAULTS_ONLY keeps only its create/delete (whose options cannot be set),
 * FAKE_NO_INVOKE leaves out TfLiteInterpreterInvoke (a library missing a symbol). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_EXPORT __attribute__((visibility("default")))

typedef struct TfLiteDelegate TfLiteDelegate;
typedef void (*Reporter)(void*, const char*, va_list);

typedef struct {
  float scale;
  int32_t zero_point;
} TfLiteQuantizationParams;

typedef struct TfLiteTensor {
  int type;
  int dims[4];
  int num_dims;
  size_t bytes;
  void* data;
  const char* name;
  TfLiteQuantizationParams q;
} TfLiteTensor;

typedef struct TfLiteModel {
  int needs_edgetpu;
} TfLiteModel;

typedef struct TfLiteInterpreterOptions {
  int threads;
  TfLiteDelegate* delegates[4];
  int num_delegates;
  Reporter reporter;
  void* reporter_data;
} TfLiteInterpreterOptions;

typedef struct TfLiteInterpreter {
  TfLiteTensor input, output;
  uint8_t in_data[8 * 8 * 3];
  uint8_t out_data[16];
  int on_edgetpu;
  Reporter reporter;
  void* reporter_data;
} TfLiteInterpreter;

/* The fake Edge TPU delegate (fake_edgetpu.c): its data_ (the first field of TfLiteDelegate)
 * points at a device context that starts with this magic. */
static const char kEdgeTpuMagic[] = "FAKE-EDGETPU-DELEGATE";
/* The fake XNNPACK delegate. */
static char xnnpack_delegate[] = "FAKE-XNNPACK-DELEGATE";

static void Report(Reporter r, void* data, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  if (r) r(data, fmt, args);
  va_end(args);
}

FAKE_EXPORT const char* TfLiteVersion(void) { return "2.99.0-fake"; }

FAKE_EXPORT TfLiteModel* TfLiteModelCreate(const void* data, size_t size) {
  if (!data || size < 8 || memcmp((const char*)data + 4, "TFL3", 4) != 0) return NULL;
  TfLiteModel* m = calloc(1, sizeof *m);
  const char* needle = "edgetpu-custom-op";
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= size; ++i) {
    if (memcmp((const char*)data + i, needle, n) == 0) {
      m->needs_edgetpu = 1;
      break;
    }
  }
  return m;
}

FAKE_EXPORT void TfLiteModelDelete(TfLiteModel* m) { free(m); }

FAKE_EXPORT TfLiteInterpreterOptions* TfLiteInterpreterOptionsCreate(void) {
  return calloc(1, sizeof(TfLiteInterpreterOptions));
}
FAKE_EXPORT void TfLiteInterpreterOptionsDelete(TfLiteInterpreterOptions* o) { free(o); }
FAKE_EXPORT void TfLiteInterpreterOptionsSetNumThreads(TfLiteInterpreterOptions* o, int32_t n) {
  o->threads = n;
}
FAKE_EXPORT void TfLiteInterpreterOptionsAddDelegate(TfLiteInterpreterOptions* o,
                                                     TfLiteDelegate* d) {
  if (o->num_delegates < 4) o->delegates[o->num_delegates++] = d;
}
FAKE_EXPORT void TfLiteInterpreterOptionsSetErrorReporter(TfLiteInterpreterOptions* o, Reporter r,
                                                          void* data) {
  o->reporter = r;
  o->reporter_data = data;
}

static int IsEdgeTpu(TfLiteDelegate* d) {
  const char* data = d ? *(const char* const*)d : NULL;
  return data && memcmp(data, kEdgeTpuMagic, sizeof kEdgeTpuMagic) == 0;
}

FAKE_EXPORT TfLiteInterpreter* TfLiteInterpreterCreate(const TfLiteModel* m,
                                                       const TfLiteInterpreterOptions* o) {
  int edgetpu = 0;
  for (int i = 0; o && i < o->num_delegates; ++i) {
    if ((char*)o->delegates[i] == xnnpack_delegate) continue;
    if (IsEdgeTpu(o->delegates[i])) {
      const char* refuse = getenv("FAKE_TFLITE_REFUSE_DELEGATE");
      if (refuse && *refuse == '1') {
        Report(o->reporter, o->reporter_data, "fake: failed to apply the %s delegate", "EdgeTpu");
        return NULL;
      }
      edgetpu = 1;
    } else {
      Report(o->reporter, o->reporter_data, "fake: unknown delegate %p", (void*)o->delegates[i]);
      return NULL;
    }
  }
  if (m->needs_edgetpu && !edgetpu) {
    Report(o ? o->reporter : NULL, o ? o->reporter_data : NULL,
           "Encountered unresolved custom op: %s.", "edgetpu-custom-op");
    return NULL;
  }
  TfLiteInterpreter* t = calloc(1, sizeof *t);
  t->on_edgetpu = edgetpu;
  t->reporter = o ? o->reporter : NULL;
  t->reporter_data = o ? o->reporter_data : NULL;
  TfLiteTensor in = {3, {1, 8, 8, 3}, 4, sizeof t->in_data, NULL, "fake_input", {1.0f / 128, 128}};
  TfLiteTensor out = {
      3, {1, 16, 0, 0}, 2, sizeof t->out_data, NULL, "fake_output", {1.0f / 256, 0}};
  t->input = in;
  t->output = out;
  return t;
}

FAKE_EXPORT void TfLiteInterpreterDelete(TfLiteInterpreter* t) { free(t); }

FAKE_EXPORT int TfLiteInterpreterAllocateTensors(TfLiteInterpreter* t) {
  t->input.data = t->in_data;
  t->output.data = t->out_data;
  return 0;
}

FAKE_EXPORT int32_t TfLiteInterpreterGetInputTensorCount(const TfLiteInterpreter* t) {
  (void)t;
  return 1;
}
FAKE_EXPORT TfLiteTensor* TfLiteInterpreterGetInputTensor(const TfLiteInterpreter* t, int32_t i) {
  return i == 0 ? (TfLiteTensor*)&t->input : NULL;
}
FAKE_EXPORT int32_t TfLiteInterpreterGetOutputTensorCount(const TfLiteInterpreter* t) {
  (void)t;
  return 1;
}
FAKE_EXPORT const TfLiteTensor* TfLiteInterpreterGetOutputTensor(const TfLiteInterpreter* t,
                                                                 int32_t i) {
  return i == 0 ? &t->output : NULL;
}

#ifndef FAKE_NO_INVOKE
FAKE_EXPORT int TfLiteInterpreterInvoke(TfLiteInterpreter* t) {
  const char* fail = getenv("FAKE_TFLITE_FAIL_INVOKE");
  if (fail && *fail == '1') {
    Report(t->reporter, t->reporter_data, "fake: node %d failed to invoke", 3);
    return 1;
  }
  for (int i = 0; i < 16; ++i) {
    t->out_data[i] = t->on_edgetpu ? (uint8_t)(255 - t->in_data[i]) : t->in_data[i];
  }
  return 0;
}
#endif

FAKE_EXPORT int TfLiteTensorType(const TfLiteTensor* t) { return t->type; }
FAKE_EXPORT int32_t TfLiteTensorNumDims(const TfLiteTensor* t) { return t->num_dims; }
FAKE_EXPORT int32_t TfLiteTensorDim(const TfLiteTensor* t, int32_t i) { return t->dims[i]; }
FAKE_EXPORT size_t TfLiteTensorByteSize(const TfLiteTensor* t) { return t->bytes; }
FAKE_EXPORT void* TfLiteTensorData(const TfLiteTensor* t) { return t->data; }
FAKE_EXPORT const char* TfLiteTensorName(const TfLiteTensor* t) { return t->name; }
FAKE_EXPORT TfLiteQuantizationParams TfLiteTensorQuantizationParams(const TfLiteTensor* t) {
  return t->q;
}

#if !defined(FAKE_NO_XNNPACK) && defined(FAKE_XNNPACK_DEFAULTS_ONLY)
/* A library whose XNNPACK options coralpi cannot set: it must pass nullptr. */
FAKE_EXPORT TfLiteDelegate* TfLiteXNNPackDelegateCreate(const void* options) {
  return options ? NULL : (TfLiteDelegate*)xnnpack_delegate;
}
FAKE_EXPORT void TfLiteXNNPackDelegateDelete(TfLiteDelegate* d) { (void)d; }
#elif !defined(FAKE_NO_XNNPACK)
/* The layout of TensorFlow 2.19's TfLiteXNNPackDelegateOptions (56 bytes on 64-bit machines),
 * with its defaults: quantized operators on (flags 3), no weight cache file (descriptor -1). */
typedef struct {
  int32_t num_threads;
  uint32_t runtime_flags;
  uint32_t flags;
  void* weights_cache;
  _Bool handle_variable_ops;
  const char* weight_cache_file_path;
  int weight_cache_file_descriptor;
  void* weight_cache_provider;
} XnnpackOptions;

static XnnpackOptions xnnpack_options; /* what the delegate was created with */

FAKE_EXPORT XnnpackOptions TfLiteXNNPackDelegateOptionsDefault(void) {
  XnnpackOptions o = {0};
  o.flags = 3;
  o.weight_cache_file_descriptor = -1;
  return o;
}
/* Options not made from TfLiteXNNPackDelegateOptionsDefault are refused. */
FAKE_EXPORT TfLiteDelegate* TfLiteXNNPackDelegateCreate(const XnnpackOptions* options) {
  XnnpackOptions o = options ? *options : TfLiteXNNPackDelegateOptionsDefault();
  if (o.flags != 3 || o.weight_cache_file_descriptor != -1) return NULL;
  xnnpack_options = o;
  return (TfLiteDelegate*)xnnpack_delegate;
}
FAKE_EXPORT void TfLiteXNNPackDelegateDelete(TfLiteDelegate* d) { (void)d; }
FAKE_EXPORT const XnnpackOptions* TfLiteXNNPackDelegateGetOptions(TfLiteDelegate* d) {
  return d ? &xnnpack_options : NULL;
}
FAKE_EXPORT void* TfLiteXNNPackDelegateGetThreadPool(TfLiteDelegate* d) {
  return d && xnnpack_options.num_threads > 1 ? &xnnpack_options : NULL;
}
#endif

/* A stand-in for the Edge TPU runtime (libedgetpu.so.1), built by the tests. It exports what
 * the real library exports and coralpi uses: edgetpu_c.h's functions with their documented
 * signatures, and edgetpu::RegisterCustomOp() (as its mangled C name) returning the
 * registration of an edgetpu-custom-op kernel that does checkable work. TensorFlow Lite's structs
 * are declared here from the documented layout, independently of coralpi's tflite_abi.h.
 *
 * Devices and the library:
 *   - FAKE_EDGETPU_DEVICES lists the devices edgetpu_list_devices reports, comma-separated
 *     "pci:/dev/apex_0" or "usb:/sys/bus/usb/devices/2-1" items; unset or empty: none
 *     (the real function then returns NULL and sets *num_devices to 0).
 *   - FAKE_EDGETPU_REFUSE=1 makes edgetpu_create_delegate return NULL (device busy or broken).
 *   - The delegate's data_ points at a device context that starts with a magic fake_tflite.c
 *     recognises; its Prepare hands that context over with SetExternalContext(2, ...).
 * The custom op:
 *   - init keeps a pointer into the payload and a checksum of it; prepare and invoke check that
 *     the payload is still there (the host must keep the model's bytes alive).
 *   - prepare asks for the device context (GetExternalContext(2)) and checks every tensor of the
 *     node as libedgetpu would: known type, dims, bytes exactly dims x type size, memory,
 *     buffer_handle -1, and a quantization scale for 8-bit tensors.
 *   - invoke writes, for output j, byte k: 255 - (byte k of input j % inputs, wrapping) + j.
 *     With FAKE_EDGETPU_TWIN=<model.tflite> and FAKE_EDGETPU_TWIN_RUNNER=<program>, it runs the
 *     model's CPU twin instead: the inputs go to a file, the program (twin_runner.cc) runs the
 *     twin on coralpi's CPU engine and writes the outputs to another file.
 *   - FAKE_EDGETPU_FAIL=init|prepare|invoke makes that step fail through ReportError.
 *   - FAKE_EDGETPU_RESIZE=<output>:<d0>x<d1>... makes prepare resize that output tensor with
 *     ResizeTensor (a malloc'ed array the host must free).
 * Order rules, as the real library enforces them with LOG(FATAL): opening a device that is open,
 * or freeing a delegate twice or while prepared nodes still use its device, aborts.
 *
 * Compile-time variants: FAKE_NO_CREATE_DELEGATE leaves out edgetpu_create_delegate,
 * FAKE_NO_CUSTOM_OP leaves out RegisterCustomOp, FAKE_RUNTIME_VERSION_13 reports an old
 * runtime (RuntimeVersion 13, 104-byte tensors). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAKE_EXPORT __attribute__((visibility("default")))

enum edgetpu_device_type { EDGETPU_APEX_PCI = 0, EDGETPU_APEX_USB = 1 };
struct edgetpu_device {
  enum edgetpu_device_type type;
  const char* path;
};
struct edgetpu_option {
  const char* name;
  const char* value;
};

/* ---- TensorFlow Lite's C structs (common.h, TensorFlow 2.5+ layout) ---- */
typedef struct {
  int size;
  int data[];
} TfLiteIntArray;
typedef struct {
  float scale;
  int32_t zero_point;
} TfLiteQuantizationParams;
typedef struct {
  int type;
  void* data;
  TfLiteIntArray* dims;
  TfLiteQuantizationParams params;
  int allocation_type;
  size_t bytes;
  const void* allocation;
  const char* name;
  void* delegate;
  int buffer_handle;
  char data_is_stale, is_variable;
  int quantization_type;
  void* quantization_params;
  void* sparsity;
  const TfLiteIntArray* dims_signature;
} TfLiteTensor;
typedef struct {
  TfLiteIntArray *inputs, *outputs, *intermediates, *temporaries;
  void* user_data;
  void* builtin_data;
  const void* custom_initial_data;
  int custom_initial_data_size;
  void* delegate;
  char might_have_side_effect;
} TfLiteNode;
typedef struct TfLiteContext TfLiteContext;
struct TfLiteContext {
  size_t tensors_size;
  int (*GetExecutionPlan)(TfLiteContext*, TfLiteIntArray**);
  TfLiteTensor* tensors;
  void* impl_;
  int (*ResizeTensor)(TfLiteContext*, TfLiteTensor*, TfLiteIntArray*);
  void (*ReportError)(TfLiteContext*, const char*, ...);
  void* AddTensors;
  void* GetNodeAndRegistration;
  void* ReplaceNodeSubsetsWithDelegateKernels;
  int recommended_num_threads;
  void* (*GetExternalContext)(TfLiteContext*, int);
  void (*SetExternalContext)(TfLiteContext*, int, void*);
};
typedef struct TfLiteDelegate TfLiteDelegate;
struct TfLiteDelegate {
  void* data_;
  int (*Prepare)(TfLiteContext*, TfLiteDelegate*);
  void *copy_from, *copy_to, *free_handle;
  int64_t flags;
};
typedef struct {
  void* (*init)(TfLiteContext*, const char*, size_t);
  void (*free)(TfLiteContext*, void*);
  int (*prepare)(TfLiteContext*, TfLiteNode*);
  int (*invoke)(TfLiteContext*, TfLiteNode*);
  const char* (*profiling_string)(const TfLiteContext*, const TfLiteNode*);
  int32_t builtin_code;
  const char* custom_name;
  int version;
} TfLiteRegistration;

_Static_assert(sizeof(TfLiteTensor) == 112, "TfLiteTensor is 112 bytes");
_Static_assert(sizeof(TfLiteNode) == 80, "TfLiteNode is 80 bytes");

/* ---- devices ---- */

/* The context a delegate hands over. fake_tflite.c recognises it by its magic. */
typedef struct {
  char magic[24];
  char path[256];
  int open;
  int nodes; /* prepared nodes using it */
} FakeDevice;

static const char kMagic[] = "FAKE-EDGETPU-DELEGATE";
enum { kMaxDevices = 8 };
static struct {
  TfLiteDelegate delegate;
  FakeDevice device;
} devices[kMaxDevices];
static int verbosity;

static void Die(const char* what, const char* detail) {
  fprintf(stderr, "fake libedgetpu: fatal: %s %s\n", what, detail);
  abort();
}

FAKE_EXPORT const char* edgetpu_version(void) {
#ifdef FAKE_RUNTIME_VERSION_13
  return "BuildLabel(fake-2020), RuntimeVersion(13)";
#else
  return "BuildLabel(fake), RuntimeVersion(14)";
#endif
}

FAKE_EXPORT void edgetpu_verbosity(int v) { verbosity = v; }

FAKE_EXPORT struct edgetpu_device* edgetpu_list_devices(size_t* num_devices) {
  *num_devices = 0;
  const char* env = getenv("FAKE_EDGETPU_DEVICES");
  if (!env || !*env) return NULL;
  size_t n = 1;
  for (const char* p = env; *p; ++p) n += *p == ',';
  /* One block: the array, then a copy of the text the paths point into. */
  struct edgetpu_device* devs = calloc(1, n * sizeof *devs + strlen(env) + 1);
  char* text = (char*)(devs + n);
  strcpy(text, env);
  size_t count = 0;
  for (char* item = strtok(text, ","); item; item = strtok(NULL, ",")) {
    char* colon = strchr(item, ':');
    if (!colon) continue;
    *colon = '\0';
    devs[count].type = strcmp(item, "usb") == 0 ? EDGETPU_APEX_USB : EDGETPU_APEX_PCI;
    devs[count].path = colon + 1;
    ++count;
  }
  *num_devices = count;
  return devs;
}

FAKE_EXPORT void edgetpu_free_devices(struct edgetpu_device* dev) { free(dev); }

static int DelegatePrepare(TfLiteContext* context, TfLiteDelegate* delegate) {
  context->SetExternalContext(context, 2, delegate->data_);
  TfLiteIntArray* plan = NULL;
  if (context->GetExecutionPlan(context, &plan) != 0 || !plan) return 1;
  /* A plan with nodes would need GetNodeAndRegistration, which coralpi never provides. */
  if (plan->size != 0) Die("delegate Prepare over a non-empty plan", "");
  return 0;
}

#ifndef FAKE_NO_CREATE_DELEGATE
FAKE_EXPORT TfLiteDelegate* edgetpu_create_delegate(enum edgetpu_device_type type, const char* name,
                                                    const struct edgetpu_option* options,
                                                    size_t num_options) {
  (void)type;
  (void)options;
  (void)num_options;
  const char* refuse = getenv("FAKE_EDGETPU_REFUSE");
  if ((refuse && *refuse == '1') || !name) return NULL;
  int free_slot = -1;
  for (int i = 0; i < kMaxDevices; ++i) {
    if (devices[i].device.open && strcmp(devices[i].device.path, name) == 0) {
      Die("device opened twice:", name);
    }
    if (!devices[i].device.open && free_slot < 0) free_slot = i;
  }
  if (free_slot < 0) return NULL;
  FakeDevice* d = &devices[free_slot].device;
  memset(d, 0, sizeof *d);
  strcpy(d->magic, kMagic);
  snprintf(d->path, sizeof d->path, "%s", name);
  d->open = 1;
  TfLiteDelegate* delegate = &devices[free_slot].delegate;
  memset(delegate, 0, sizeof *delegate);
  delegate->data_ = d;
  delegate->Prepare = DelegatePrepare;
  return delegate;
}
#endif

FAKE_EXPORT void edgetpu_free_delegate(TfLiteDelegate* delegate) {
  if (!delegate) return;
  FakeDevice* d = delegate->data_;
  if (!d || !d->open) Die("delegate freed twice", "");
  if (d->nodes > 0) Die("device released while custom-op nodes still use it:", d->path);
  d->open = 0;
}

/* ---- the custom op ---- */

typedef struct {
  const uint8_t* payload;
  size_t length;
  uint32_t checksum;
  FakeDevice* device; /* set by prepare */
  int runs;
} FakeNode;

static uint32_t Checksum(const uint8_t* p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

static int Fails(const char* step) {
  const char* f = getenv("FAKE_EDGETPU_FAIL");
  return f && strcmp(f, step) == 0;
}

static size_t TypeSize(int type) {
  switch (type) {
    case 3: /* uint8 */
    case 9: /* int8 */
      return 1;
    case 7:  /* int16 */
    case 10: /* float16 */
      return 2;
    case 1: /* float32 */
    case 2: /* int32 */
      return 4;
    default:
      return 0;
  }
}

static void* Init(TfLiteContext* context, const char* buffer, size_t length) {
  if (Fails("init")) {
    context->ReportError(context, "fake: init refused the %zu-byte payload", length);
    return NULL;
  }
  FakeNode* n = calloc(1, sizeof *n);
  n->payload = (const uint8_t*)buffer;
  n->length = length;
  n->checksum = Checksum(n->payload, length);
  return n;
}

static void Free(TfLiteContext* context, void* user_data) {
  (void)context;
  FakeNode* n = user_data;
  if (!n) Die("free of null user data", "");
  if (n->device) --n->device->nodes;
  free(n);
}

/* The node's data and its device context, or NULL after reporting why not. */
static FakeNode* Attach(TfLiteContext* context, TfLiteNode* node) {
  FakeNode* n = node->user_data;
  if (!n) {
    context->ReportError(context, "Null custom op data.");
    return NULL;
  }
  FakeDevice* d = context->GetExternalContext(context, 2);
  if (!d) {
    context->ReportError(context, "Failed to retrieve TPU context.");
    return NULL;
  }
  if (memcmp(d->magic, kMagic, sizeof kMagic) != 0 || !d->open) Die("bad device context", "");
  if (Checksum(n->payload, n->length) != n->checksum) {
    context->ReportError(context, "fake: the payload changed since init");
    return NULL;
  }
  return n;
}

static TfLiteTensor* Tensor(TfLiteContext* context, int index) {
  if (index < 0 || (size_t)index >= context->tensors_size) return NULL;
  return &context->tensors[index];
}

static int CheckTensor(TfLiteContext* context, int index) {
  TfLiteTensor* t = Tensor(context, index);
  if (!t) {
    context->ReportError(context, "fake: tensor %d is outside the context", index);
    return 1;
  }
  size_t bytes = TypeSize(t->type);
  if (bytes == 0) {
    context->ReportError(context, "Unsupported data type in custom op handler: %d", t->type);
    return 1;
  }
  if (!t->dims) {
    context->ReportError(context, "fake: tensor %d has no dims", index);
    return 1;
  }
  for (int i = 0; i < t->dims->size; ++i) bytes *= (size_t)t->dims->data[i];
  if (bytes != t->bytes || !t->data || t->buffer_handle != -1) {
    context->ReportError(context, "fake: tensor %d: %zu bytes for its dims, %zu given, buffer %d",
                         index, bytes, t->bytes, t->buffer_handle);
    return 1;
  }
  if ((t->type == 3 || t->type == 9) && !(t->params.scale > 0)) {
    context->ReportError(context, "fake: tensor %d has no quantization scale", index);
    return 1;
  }
  return 0;
}

/* FAKE_EDGETPU_RESIZE=<output>:<d0>x<d1>...: resize that output through the host. */
static int ResizeAsAsked(TfLiteContext* context, TfLiteNode* node) {
  const char* spec = getenv("FAKE_EDGETPU_RESIZE");
  if (!spec || !*spec) return 0;
  int output = atoi(spec);
  const char* dims = strchr(spec, ':');
  if (!dims || output < 0 || output >= node->outputs->size) return 0;
  int n = 1;
  for (const char* p = dims + 1; *p; ++p) n += *p == 'x';
  TfLiteIntArray* a = malloc(sizeof(int) * (size_t)(n + 1));
  a->size = n;
  const char* p = dims + 1;
  for (int i = 0; i < n; ++i) {
    a->data[i] = atoi(p);
    p = strchr(p, 'x');
    if (p) ++p;
  }
  TfLiteTensor* t = Tensor(context, node->outputs->data[output]);
  size_t wanted = TypeSize(t->type);
  for (int i = 0; i < n; ++i) wanted *= (size_t)a->data[i];
  /* As libedgetpu: the status is not looked at (the host owns and frees the array); the tensor's
   * bytes are checked against the new shape afterwards. */
  context->ResizeTensor(context, t, a);
  if (t->bytes != wanted) {
    context->ReportError(context, "fake: output %d holds %zu bytes, not the %zu of its new shape",
                         output, t->bytes, wanted);
    return 1;
  }
  return CheckTensor(context, node->outputs->data[output]);
}

static int Prepare(TfLiteContext* context, TfLiteNode* node) {
  FakeNode* n = Attach(context, node);
  if (!n) return 1;
  if (Fails("prepare")) {
    context->ReportError(context, "Failed to prepare for TPU. %s", "fake: no room for the model");
    return 1;
  }
  for (int i = 0; i < node->inputs->size; ++i) {
    if (CheckTensor(context, node->inputs->data[i])) return 1;
  }
  for (int i = 0; i < node->outputs->size; ++i) {
    if (CheckTensor(context, node->outputs->data[i])) return 1;
  }
  if (ResizeAsAsked(context, node)) return 1;
  if (!n->device) {
    n->device = context->GetExternalContext(context, 2);
    ++n->device->nodes;
  }
  return 0;
}

static int WriteFile(const char* path, const void* data, size_t n, const char* mode) {
  FILE* f = fopen(path, mode);
  if (!f) return 1;
  size_t w = fwrite(data, 1, n, f);
  return fclose(f) != 0 || w != n;
}

/* The model's CPU twin, through the runner program and two files. */
static int RunTwin(TfLiteContext* context, TfLiteNode* node, const char* twin) {
  const char* runner = getenv("FAKE_EDGETPU_TWIN_RUNNER");
  char in_path[] = "/tmp/fake-edgetpu-in-XXXXXX", out_path[] = "/tmp/fake-edgetpu-out-XXXXXX";
  int in_fd = mkstemp(in_path), out_fd = mkstemp(out_path);
  if (!runner || in_fd < 0 || out_fd < 0) {
    context->ReportError(context, "fake: no twin runner (FAKE_EDGETPU_TWIN_RUNNER)");
    return 1;
  }
  close(in_fd);
  close(out_fd);
  int failed = 0;
  for (int i = 0; i < node->inputs->size && !failed; ++i) {
    TfLiteTensor* t = Tensor(context, node->inputs->data[i]);
    failed = WriteFile(in_path, t->data, t->bytes, i == 0 ? "wb" : "ab");
  }
  pid_t pid = failed ? -1 : fork();
  if (pid == 0) {
    // The runner is a program of its own: a sanitizer runtime preloaded into the host process
    // (the Python tests under ASan) is not for it, which carries its own.
    unsetenv("LD_PRELOAD");
    execl(runner, runner, twin, in_path, out_path, (char*)NULL);
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    context->ReportError(context, "fake: the twin runner failed (status %d)", status);
    failed = 1;
  }
  FILE* f = failed ? NULL : fopen(out_path, "rb");
  for (int i = 0; f && i < node->outputs->size; ++i) {
    TfLiteTensor* t = Tensor(context, node->outputs->data[i]);
    if (fread(t->data, 1, t->bytes, f) != t->bytes) failed = 1;
  }
  if (f) fclose(f);
  unlink(in_path);
  unlink(out_path);
  if (failed) context->ReportError(context, "fake: the twin gave no outputs for %s", twin);
  return failed;
}

static int Invoke(TfLiteContext* context, TfLiteNode* node) {
  FakeNode* n = Attach(context, node);
  if (!n) return 1;
  if (Fails("invoke")) {
    context->ReportError(context, "fake: invoke failed after %d runs", n->runs);
    return 1;
  }
  ++n->runs;
  const char* twin = getenv("FAKE_EDGETPU_TWIN");
  if (twin && *twin) return RunTwin(context, node, twin);
  int inputs = node->inputs->size;
  for (int j = 0; j < node->outputs->size; ++j) {
    TfLiteTensor* out = Tensor(context, node->outputs->data[j]);
    TfLiteTensor* in = inputs > 0 ? Tensor(context, node->inputs->data[j % inputs]) : NULL;
    uint8_t* o = out->data;
    const uint8_t* x = in ? in->data : NULL;
    for (size_t k = 0; k < out->bytes; ++k) {
      o[k] = (uint8_t)(255 - (x && in->bytes ? x[k % in->bytes] : 0) + j);
    }
  }
  return 0;
}

#ifndef FAKE_NO_CUSTOM_OP
/* edgetpu::RegisterCustomOp(), by its mangled name. */
FAKE_EXPORT TfLiteRegistration* _ZN7edgetpu16RegisterCustomOpEv(void) {
  static TfLiteRegistration r = {Init, Free, Prepare, Invoke, NULL, 32, "edgetpu-custom-op", 1};
  return &r;
}
#endif

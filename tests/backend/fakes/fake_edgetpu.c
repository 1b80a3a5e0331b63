/* A stand-in for the Edge TPU runtime (libedgetpu.so.1) exporting edgetpu_c.h's functions
 * with their documented signatures, built by the tests.
 *
 *   - FAKE_EDGETPU_DEVICES lists the devices edgetpu_list_devices reports, comma-separated
 *     "pci:/dev/apex_0" or "usb:/sys/bus/usb/devices/2-1" items; unset or empty: none
 *     (the real function then returns NULL and sets *num_devices to 0).
 *   - FAKE_EDGETPU_REFUSE=1 makes edgetpu_create_delegate return NULL (device busy or broken).
 *   - The delegate it returns starts with a magic that fake_tflite.c recognises.
 *
 * Compile-time variant: FAKE_NO_CREATE_DELEGATE leaves out edgetpu_create_delegate. */
#include <stdlib.h>
#include <string.h>

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
typedef struct TfLiteDelegate TfLiteDelegate;

static char delegate_magic[] = "FAKE-EDGETPU-DELEGATE";
static int verbosity;

FAKE_EXPORT const char* edgetpu_version(void) {
  return "BuildLabel(fake), RuntimeVersion(14)";
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

#ifndef FAKE_NO_CREATE_DELEGATE
FAKE_EXPORT TfLiteDelegate* edgetpu_create_delegate(enum edgetpu_device_type type, const char* name,
                                                    const struct edgetpu_option* options,
                                                    size_t num_options) {
  (void)type;
  (void)options;
  (void)num_options;
  const char* refuse = getenv("FAKE_EDGETPU_REFUSE");
  if ((refuse && *refuse == '1') || !name) return NULL;
  return (TfLiteDelegate*)delegate_magic;
}
#endif

FAKE_EXPORT void edgetpu_free_delegate(TfLiteDelegate* d) { (void)d; }

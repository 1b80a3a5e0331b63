#include "system/doctor_run.h"

#include <sys/klog.h>

#include <optional>
#include <vector>

#include "backend/edgetpu_device.h"
#include "backend/runtime_loader.h"
#include "core/file.h"
#include "host/edgetpu_runtime.h"

namespace coralpi {
namespace {

// The running kernel's log buffer, when this process may read it.
std::optional<std::string> ReadKernelRing() {
  constexpr int kReadAll = 3, kSizeBuffer = 10;
  int size = ::klogctl(kSizeBuffer, nullptr, 0);
  if (size <= 0) return std::nullopt;
  std::string buf(static_cast<size_t>(size), '\0');
  int n = ::klogctl(kReadAll, buf.data(), size);
  if (n < 0) return std::nullopt;
  buf.resize(static_cast<size_t>(n));
  return buf;
}

Status AddKernelLog(const DoctorRequest& request, const board::RootFs& fs,
                    board::DoctorOptions& options) {
  if (!request.dmesg.empty()) {
    Result<std::string> log = ReadFileText(request.dmesg);
    if (!log.ok()) return WithContext("--dmesg", log.error());
    options.kernel_log = *log;
    options.kernel_log_source = request.dmesg;
  } else if (fs.IsRealRoot()) {
    options.kernel_log = ReadKernelRing();
    options.kernel_log_source = "the kernel ring buffer";
  }
  return OkStatus();
}

// On this machine, when its files say libedgetpu is installed (or with an explicit library),
// asks the library itself for its version and devices. A load failure leaves the file-based
// report, unless the library was named.
Status AddRuntimeAnswers(const DoctorRequest& request, const board::RootFs& fs,
                         board::DoctorOptions& options) {
  const bool named = !request.edgetpu_lib.empty();
  if (!named && !(fs.IsRealRoot() && board::DetectEdgeTpuRuntime(fs).installed())) {
    return OkStatus();
  }
  Result<const EdgeTpuLibrary*> lib = LoadEdgeTpuLibrary(request.edgetpu_lib);
  if (!lib.ok()) return named ? Status(lib.error()) : OkStatus();
  options.edgetpu_runtime_version = (*lib)->version;
  std::vector<std::string> listed;
  for (const RuntimeEdgeTpu& d : ListRuntimeEdgeTpus(**lib)) listed.push_back(DeviceName(d));
  options.edgetpu_runtime_devices = listed;
  return OkStatus();
}

}  // namespace

Result<board::Report> RunDoctorRequest(const DoctorRequest& request) {
  board::RootFs fs(request.root);
  if (!fs.IsDir("")) return MakeError("--root " + request.root, "is not a directory");
  board::DoctorOptions options;
  options.user = request.user.empty() ? board::DefaultTargetUser() : request.user;
  if (!request.dtb.empty()) options.dtb_file = request.dtb;
  CORALPI_RETURN_IF_ERROR(AddKernelLog(request, fs, options));
  CORALPI_RETURN_IF_ERROR(AddRuntimeAnswers(request, fs, options));
  return board::RunDoctor(fs, options);
}

}  // namespace coralpi

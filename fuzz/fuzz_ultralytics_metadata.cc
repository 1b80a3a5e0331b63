// libFuzzer target for Ultralytics' metadata: any bytes must give metadata, no metadata or an
// error from the appended-zip reader (minizip over memory, bounded inflating), and the same bytes
// as text must give metadata or an error from both text forms' parsers (temp_meta.txt's Python
// literal and metadata.json), never a crash, a leak or a deep recursion. Metadata that comes
// out holds what the header promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "model/python_literal.h"
#include "model/ultralytics_metadata.h"

namespace {

void Check(const coralpi::UltralyticsMetadata& m) {
  if (m.names.empty() || m.input_height < 1 || m.input_width < 1) std::abort();
  if (m.stride && *m.stride < 1) std::abort();
  if (m.task == coralpi::UltralyticsTask::kPose && !m.kpt_shape) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto zip = coralpi::ReadUltralyticsMetadata(std::span<const uint8_t>(data, size));
  if (zip.ok() && zip->has_value()) Check(**zip);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)coralpi::ParsePythonLiteral(text);
  auto temp_meta = coralpi::ParseUltralyticsTempMeta(text);
  if (temp_meta.ok()) Check(*temp_meta);
  auto json = coralpi::ParseUltralyticsMetadataJson(text);
  if (json.ok()) Check(*json);
  return 0;
}

// libFuzzer target for the config.txt parser and editor: any bytes must parse without a crash,
// and appending lines must keep every original byte and make the new lines effective.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "board/config_txt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto model : {coralpi::board::PiModel::kPi5, coralpi::board::PiModel::kCm5}) {
    coralpi::board::ConfigTxt cfg = coralpi::board::ConfigTxt::Parse(text, model);
    (void)cfg.EffectiveKernel();
    (void)cfg.EffectiveDtparams();
    (void)cfg.EffectiveOverlays();
    (void)cfg.LastSection();
  }
  std::string out = coralpi::board::AppendConfigLines(text, {"kernel=kernel8.img"});
  if (out.compare(0, text.size(), text) != 0) std::abort();
  // The appended kernel= line comes last and applies to a Pi 5, unless a stray '\r' or an
  // overlong last line changes how the original text ends; check the common case.
  if (text.find('\r') == std::string_view::npos) {
    coralpi::board::ConfigTxt parsed = coralpi::board::ConfigTxt::Parse(out);
    const coralpi::board::ConfigLine* k = parsed.EffectiveKernel();
    if (k == nullptr || k->value != "kernel8.img") std::abort();
  }
  return 0;
}

// config.txt: the Raspberry Pi firmware's boot configuration, read the way the firmware reads it.
// Conditional sections ([all], [pi5], [cm5], [pi4], [none], ...) decide which lines apply to a
// board; `kernel=` is last-wins; `dtparam=` lines after a `dtoverlay=` belong to that overlay's
// scope until the next `dtoverlay=` (a bare `dtoverlay=` returns to the base device tree).
// Pure functions over text: no file access here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coralpi::board {

// The BCM2712 boards that share config.txt's [pi5] filter.
enum class PiModel { kPi5, kCm5, kPi500 };

struct ConfigLine {
  enum class Kind { kBlank, kComment, kSection, kSetting, kInclude, kOther };
  int number = 0;      // 1-based
  std::string text;    // as written, without the line ending
  std::string ending;  // "\n", "\r\n", or "" for a last line without one
  Kind kind = Kind::kBlank;
  std::string key;            // setting name, or the section filter ("pi5", "all", ...)
  std::string value;          // setting value (text after the first '=')
  bool applies = false;       // the filter state at this line matches the board
  std::string overlay_scope;  // the dtoverlay in scope at this line ("" = base device tree)
};

// One parameter from a dtparam= or dtoverlay= line.
struct DtParam {
  std::string name;
  std::string value;  // "" when written without '='
  bool has_value = false;
  int line = 0;
  std::string overlay_scope;  // "" = the base device tree (subject to ConfigTxt's notes)
};

struct DtOverlay {
  std::string name;
  std::vector<DtParam> params;
  int line = 0;
};

class ConfigTxt {
 public:
  static ConfigTxt Parse(std::string_view text, PiModel model = PiModel::kPi5);

  const std::vector<ConfigLine>& lines() const { return lines_; }
  // The last "[...]" header's filter, or nullopt when the file has none.
  std::optional<std::string> LastSection() const;
  // The last applying `kernel=` line, or nullptr.
  const ConfigLine* EffectiveKernel() const;
  // Every applying dtparam, in file order, with the overlay scope it was read in.
  std::vector<DtParam> EffectiveDtparams() const;
  // Every applying dtoverlay (bare `dtoverlay=` lines are not listed).
  std::vector<DtOverlay> EffectiveOverlays() const;
  // "\r\n" when most lines end that way, else "\n".
  std::string DominantEnding() const;

 private:
  std::vector<ConfigLine> lines_;
};

// Splits "a=b,c,d=e" into parameters.
std::vector<DtParam> SplitParams(std::string_view list, int line, const std::string& scope);

// Whether a dtparam value means "on": "" (written bare), "on", "true", "yes", "1", "okay".
bool ParamIsOn(const DtParam& p);

// Appends `new_lines` to config.txt text, keeping every existing byte. Writes an "[all]" line
// first when the file ends inside another section, and a line ending before the additions when
// the file's last line has none. New lines use the file's dominant line ending.
std::string AppendConfigLines(std::string_view text, const std::vector<std::string>& new_lines);

// The firmware ignores characters beyond this many on a line.
inline constexpr size_t kConfigLineLimit = 98;

}  // namespace coralpi::board

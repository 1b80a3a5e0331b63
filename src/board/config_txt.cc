// config.txt parsing with conditional sections and dtparam scoping; see config_txt.h.
#include "board/config_txt.h"

#include <cstdlib>
#include <map>

namespace coralpi::board {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The filter state while reading: one slot per filter type; a line applies when every slot
// matches this board.
class FilterState {
 public:
  explicit FilterState(PiModel model) : model_(model) {}

  void Apply(const std::string& filter) {
    if (filter == "all") {
      model_ok_ = true;
      none_ = false;
      others_.clear();
      return;
    }
    if (filter == "none") {
      none_ = true;
      return;
    }
    if (std::optional<bool> m = ModelMatch(filter)) {
      model_ok_ = *m;
      return;
    }
    // EDID=, gpioN=, HDMI:n, serial numbers, tryboot, ...: cannot be known to hold on this
    // board at boot, so lines under them are not counted as effective.
    std::string type = filter.substr(0, filter.find_first_of("=:"));
    if (!type.empty() && type.rfind("0x", 0) == 0) type = "serial";
    if (type.rfind("gpio", 0) == 0) type = "gpio";
    others_[type] = filter;
  }

  bool Applies() const { return model_ok_ && !none_ && others_.empty(); }

 private:
  std::optional<bool> ModelMatch(const std::string& f) const {
    static const char* kOtherModels[] = {"pi0",  "pi0w", "pi02",  "pi1",   "pi2",  "pi3",
                                         "pi3+", "pi4",  "pi400", "cm4",   "cm4s", "pi500+",
                                         "cm0",  "pi4b", "pi3b",  "pi3b+", "cm3",  "cm3+"};
    if (f == "pi5") return true;
    if (f == "cm5") return model_ == PiModel::kCm5;
    if (f == "pi500") return model_ == PiModel::kPi500;
    for (const char* m : kOtherModels) {
      if (f == m) return false;
    }
    if (f.rfind("board-type=", 0) == 0) {
      std::string v = f.substr(11);
      unsigned long t = std::strtoul(v.c_str(), nullptr, 0);
      switch (model_) {
        case PiModel::kPi5:
          return t == 0x17;
        case PiModel::kCm5:
          return t == 0x18;
        case PiModel::kPi500:
          return t == 0x19;
      }
    }
    return std::nullopt;
  }

  PiModel model_;
  bool model_ok_ = true;
  bool none_ = false;
  std::map<std::string, std::string> others_;
};

}  // namespace

std::vector<DtParam> SplitParams(std::string_view list, int line, const std::string& scope) {
  std::vector<DtParam> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string_view item = Trim(list.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!item.empty()) {
      DtParam p;
      size_t eq = item.find('=');
      p.name = std::string(Trim(item.substr(0, eq)));
      if (eq != std::string_view::npos) {
        p.value = std::string(Trim(item.substr(eq + 1)));
        p.has_value = true;
      }
      p.line = line;
      p.overlay_scope = scope;
      out.push_back(std::move(p));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

bool ParamIsOn(const DtParam& p) {
  if (!p.has_value) return true;
  std::string v = Lower(p.value);
  return v.empty() || v == "on" || v == "true" || v == "yes" || v == "1" || v == "okay";
}

ConfigTxt ConfigTxt::Parse(std::string_view text, PiModel model) {
  ConfigTxt cfg;
  FilterState filters(model);
  std::string scope;
  int number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    ConfigLine line;
    line.number = ++number;
    std::string_view raw =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (nl == std::string_view::npos) {
      pos = text.size();
    } else {
      pos = nl + 1;
      line.ending = "\n";
    }
    if (!raw.empty() && raw.back() == '\r') {
      raw.remove_suffix(1);
      line.ending = "\r" + line.ending;
    }
    line.text = std::string(raw);
    std::string_view s = Trim(raw.substr(0, kConfigLineLimit));
    if (s.empty()) {
      line.kind = ConfigLine::Kind::kBlank;
    } else if (s.front() == '#') {
      line.kind = ConfigLine::Kind::kComment;
    } else if (s.front() == '[') {
      size_t close = s.find(']');
      if (close == std::string_view::npos) {
        line.kind = ConfigLine::Kind::kOther;
      } else {
        line.kind = ConfigLine::Kind::kSection;
        line.key = Lower(Trim(s.substr(1, close - 1)));
        filters.Apply(line.key);
      }
    } else if (s.rfind("include", 0) == 0 && s.size() > 7 && (s[7] == ' ' || s[7] == '\t')) {
      line.kind = ConfigLine::Kind::kInclude;
      line.key = "include";
      line.value = std::string(Trim(s.substr(7)));
    } else if (size_t eq = s.find('='); eq != std::string_view::npos) {
      line.kind = ConfigLine::Kind::kSetting;
      line.key = Lower(Trim(s.substr(0, eq)));
      line.value = std::string(Trim(s.substr(eq + 1)));
      if (line.key == "device_tree_overlay") line.key = "dtoverlay";
      if (line.key == "device_tree_param") line.key = "dtparam";
    } else {
      line.kind = ConfigLine::Kind::kOther;
    }
    line.applies = filters.Applies();
    if (line.applies && line.kind == ConfigLine::Kind::kSetting && line.key == "dtoverlay") {
      std::vector<DtParam> parts = SplitParams(line.value, line.number, "");
      scope = parts.empty() ? "" : parts.front().name;
      if (!parts.empty() && parts.front().has_value) scope.clear();  // not an overlay name
    }
    line.overlay_scope = scope;
    cfg.lines_.push_back(std::move(line));
  }
  return cfg;
}

std::optional<std::string> ConfigTxt::LastSection() const {
  for (auto it = lines_.rbegin(); it != lines_.rend(); ++it) {
    if (it->kind == ConfigLine::Kind::kSection) return it->key;
  }
  return std::nullopt;
}

const ConfigLine* ConfigTxt::EffectiveKernel() const {
  const ConfigLine* last = nullptr;
  for (const ConfigLine& l : lines_) {
    if (l.applies && l.kind == ConfigLine::Kind::kSetting && l.key == "kernel") last = &l;
  }
  return last;
}

std::vector<DtParam> ConfigTxt::EffectiveDtparams() const {
  std::vector<DtParam> out;
  for (const ConfigLine& l : lines_) {
    if (!l.applies || l.kind != ConfigLine::Kind::kSetting) continue;
    if (l.key == "dtparam") {
      for (DtParam& p : SplitParams(l.value, l.number, l.overlay_scope)) out.push_back(p);
    }
  }
  return out;
}

std::vector<DtOverlay> ConfigTxt::EffectiveOverlays() const {
  std::vector<DtOverlay> out;
  for (const ConfigLine& l : lines_) {
    if (!l.applies || l.kind != ConfigLine::Kind::kSetting || l.key != "dtoverlay") continue;
    std::vector<DtParam> parts = SplitParams(l.value, l.number, "");
    if (parts.empty() || parts.front().has_value) continue;
    DtOverlay o;
    o.name = parts.front().name;
    o.line = l.number;
    for (size_t i = 1; i < parts.size(); ++i) {
      parts[i].overlay_scope = o.name;
      o.params.push_back(parts[i]);
    }
    out.push_back(std::move(o));
  }
  return out;
}

std::string ConfigTxt::DominantEnding() const {
  size_t crlf = 0, lf = 0;
  for (const ConfigLine& l : lines_) {
    if (l.ending == "\r\n") ++crlf;
    if (l.ending == "\n") ++lf;
  }
  return crlf > lf ? "\r\n" : "\n";
}

std::string AppendConfigLines(std::string_view text, const std::vector<std::string>& new_lines) {
  if (new_lines.empty()) return std::string(text);
  ConfigTxt cfg = ConfigTxt::Parse(text);
  std::string eol = cfg.DominantEnding();
  std::string out(text);
  if (!out.empty() && out.back() != '\n') out += eol;
  std::optional<std::string> last = cfg.LastSection();
  if (last && *last != "all") out += "[all]" + eol;
  for (const std::string& l : new_lines) out += l + eol;
  return out;
}

}  // namespace coralpi::board

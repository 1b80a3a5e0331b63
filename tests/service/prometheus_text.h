// A small reader of Prometheus text (exposition format 0.0.4) for the tests of /metrics, written
// from the format's description, not from coralpi's writer: `# HELP name text` and
// `# TYPE name gauge|counter|...` before a metric's samples, samples as
// `name{label="value",...} number`, label values with \\, \" and \n escaped. Anything else is
// an error naming the line, so a test fails on text a Prometheus server would reject.
#pragma once

#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace coralpi::testing {

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0.0;
};

struct PromText {
  std::map<std::string, std::string> help, type;
  std::vector<PromSample> samples;
  std::string error;  // empty when the text parsed

  // The value of `name` with exactly these labels, if there is such a sample.
  std::optional<double> Value(const std::string& name,
                              const std::map<std::string, std::string>& labels = {}) const {
    for (const PromSample& s : samples) {
      if (s.name == name && s.labels == labels) return s.value;
    }
    return std::nullopt;
  }
  // Every label set `name` has samples for, as the value of `label`.
  std::set<std::string> LabelValues(const std::string& name, const std::string& label) const {
    std::set<std::string> out;
    for (const PromSample& s : samples) {
      auto it = s.labels.find(label);
      if (s.name == name && it != s.labels.end()) out.insert(it->second);
    }
    return out;
  }
};

namespace prom_detail {

inline bool IsNameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

inline std::string ReadName(const std::string& s, size_t& i) {
  size_t start = i;
  while (i < s.size() && IsNameChar(s[i], i == start)) ++i;
  return s.substr(start, i - start);
}

// Reads `{a="x",b="y"}` at s[i] (i at '{'); false on a malformed set.
inline bool ReadLabels(const std::string& s, size_t& i, std::map<std::string, std::string>& out) {
  ++i;
  while (i < s.size() && s[i] != '}') {
    std::string key = ReadName(s, i);
    if (key.empty() || i + 1 >= s.size() || s[i] != '=' || s[i + 1] != '"') return false;
    i += 2;
    std::string value;
    for (; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] != '\\') {
        value += s[i];
        continue;
      }
      if (++i >= s.size()) return false;
      if (s[i] == 'n')
        value += '\n';
      else if (s[i] == '\\' || s[i] == '"')
        value += s[i];
      else
        return false;
    }
    if (i >= s.size() || out.count(key)) return false;
    out[key] = value;
    ++i;
    if (i < s.size() && s[i] == ',') ++i;
  }
  if (i >= s.size()) return false;
  ++i;
  return true;
}

}  // namespace prom_detail

inline PromText ParsePromText(const std::string& text) {
  using namespace prom_detail;
  PromText out;
  std::istringstream in(text);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    auto fail = [&](const std::string& why) {
      out.error = "line " + std::to_string(n) + ": " + why + ": " + line;
      return out;
    };
    if (line.empty()) continue;
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
      size_t i = 7;
      std::string name = ReadName(line, i);
      if (name.empty() || i >= line.size() || line[i] != ' ') return fail("no metric name");
      auto& table = line[2] == 'H' ? out.help : out.type;
      if (table.count(name)) return fail("given twice");
      table[name] = line.substr(i + 1);
      if (line[2] == 'T') {
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (!kTypes.count(table[name])) return fail("unknown type");
      }
      continue;
    }
    if (line[0] == '#') continue;  // a comment
    PromSample s;
    size_t i = 0;
    s.name = ReadName(line, i);
    if (s.name.empty()) return fail("no metric name");
    if (!out.type.count(s.name)) return fail("a sample before its # TYPE");
    if (i < line.size() && line[i] == '{' && !ReadLabels(line, i, s.labels))
      return fail("bad labels");
    if (i >= line.size() || line[i] != ' ') return fail("no value");
    std::string value = line.substr(i + 1);
    char* end = nullptr;
    s.value = std::strtod(value.c_str(), &end);
    if (value.empty() || (*end != '\0' && *end != ' ')) return fail("bad value");
    out.samples.push_back(std::move(s));
  }
  if (!text.empty() && text.back() != '\n') out.error = "the last line has no line feed";
  return out;
}

}  // namespace coralpi::testing

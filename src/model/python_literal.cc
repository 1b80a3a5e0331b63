// A recursive-descent parser over the text, one function per construct. Every error stops the
// parse and is reported with the line and column where it was found.
#include "model/python_literal.h"

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace coralpi {
namespace {

using Kind = PythonValue::Kind;

// The length of the valid UTF-8 sequence starting at s[i], 0 when it is not one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return 1;
  size_t n = 0;
  uint32_t cp = 0;
  if ((b & 0xE0) == 0xC0) {
    n = 2, cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3, cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    n = 4, cp = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameChar(char c) {
  return IsDigit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Result<PythonValue> ParseDocument() {
    CORALPI_RETURN_IF_ERROR(CheckUtf8());
    SkipSpace();
    CORALPI_ASSIGN_OR_RETURN(PythonValue value, ParseValue(0));
    SkipSpace();
    if (pos_ != s_.size()) return ErrorAt(pos_, "unexpected text after the value");
    return value;
  }

 private:
  Error ErrorAt(size_t at, const std::string& what) const {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < at && i < s_.size(); ++i) {
      column = s_[i] == '\n' ? 1 : column + 1;
      if (s_[i] == '\n') ++line;
    }
    return Error{"line " + std::to_string(line) + ", column " + std::to_string(column) + ": " +
                 what};
  }

  Status CheckUtf8() const {
    for (size_t i = 0; i < s_.size();) {
      size_t n = Utf8SequenceLength(s_, i);
      if (n == 0) return ErrorAt(i, "invalid UTF-8");
      i += n;
    }
    return OkStatus();
  }

  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }

  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++pos_;
    }
  }

  Result<PythonValue> ParseValue(int depth) {
    if (AtEnd()) return ErrorAt(pos_, "expected a value, found the end of the text");
    const char c = Peek();
    if (c == '[' || c == '(' || c == '{') {
      if (depth >= kMaxPythonLiteralDepth) {
        return ErrorAt(pos_,
                       "nested more than " + std::to_string(kMaxPythonLiteralDepth) + " deep");
      }
      if (c == '{') return ParseDict(depth + 1);
      return c == '[' ? ParseList(depth + 1) : ParseParenthesized(depth + 1);
    }
    if (c == '\'' || c == '"') return ParseString();
    if (IsDigit(c) || c == '-' || c == '+' || c == '.') return ParseNumber();
    if (IsNameChar(c)) return ParseName();
    return ErrorAt(pos_, std::string("unexpected character '") + c + "'");
  }

  Result<PythonValue> ParseName() {
    const size_t start = pos_;
    while (!AtEnd() && IsNameChar(Peek())) ++pos_;
    const std::string_view name = s_.substr(start, pos_ - start);
    PythonValue v;
    if (name == "None") return v;
    if (name == "True" || name == "False") {
      v.kind = Kind::kBool;
      v.boolean = name == "True";
      return v;
    }
    return ErrorAt(start, "'" + std::string(name) + "' is not a literal");
  }

  // Elements up to `close`, separated by commas, a trailing comma allowed. Returns whether a
  // comma was seen (which makes "(x,)" a tuple).
  Result<bool> ParseElements(char close, int depth, std::vector<PythonValue>& out) {
    bool comma = false;
    for (;;) {
      SkipSpace();
      if (Peek() == close) break;
      CORALPI_ASSIGN_OR_RETURN(PythonValue item, ParseValue(depth));
      out.push_back(std::move(item));
      SkipSpace();
      if (Peek() == ',') {
        ++pos_, comma = true;
        continue;
      }
      if (Peek() != close) return ErrorAt(pos_, std::string("expected ',' or '") + close + "'");
    }
    ++pos_;
    return comma;
  }

  Result<PythonValue> ParseList(int depth) {
    ++pos_;  // '['
    PythonValue v;
    v.kind = Kind::kList;
    CORALPI_RETURN_IF_ERROR(ParseElements(']', depth, v.items));
    return v;
  }

  // "()" and "(x, ...)" are tuples; "(x)" is x.
  Result<PythonValue> ParseParenthesized(int depth) {
    ++pos_;  // '('
    PythonValue v;
    v.kind = Kind::kTuple;
    CORALPI_ASSIGN_OR_RETURN(bool comma, ParseElements(')', depth, v.items));
    if (v.items.size() == 1 && !comma) return std::move(v.items[0]);
    return v;
  }

  Result<PythonValue> ParseDict(int depth) {
    ++pos_;  // '{'
    PythonValue v;
    v.kind = Kind::kDict;
    for (;;) {
      SkipSpace();
      if (Peek() == '}') break;
      CORALPI_RETURN_IF_ERROR(ParseDictEntry(depth, v));
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() != '}') return ErrorAt(pos_, "expected ',' or '}'");
    }
    ++pos_;
    return v;
  }

  Status ParseDictEntry(int depth, PythonValue& dict) {
    const size_t key_at = pos_;
    CORALPI_ASSIGN_OR_RETURN(PythonValue key, ParseValue(depth));
    if (key.kind == Kind::kList || key.kind == Kind::kDict) {
      return ErrorAt(key_at, std::string("a dict key cannot be a ") + PythonKindName(key.kind));
    }
    SkipSpace();
    if (Peek() != ':') return ErrorAt(pos_, "expected ':' after a dict key");
    ++pos_;
    SkipSpace();
    CORALPI_ASSIGN_OR_RETURN(PythonValue value, ParseValue(depth));
    dict.keys.push_back(std::move(key));
    dict.items.push_back(std::move(value));
    return OkStatus();
  }

  Result<PythonValue> ParseNumber() {
    const size_t start = pos_;
    if (Peek() == '-' || Peek() == '+') ++pos_;
    const size_t digits_at = pos_;
    const size_t int_digits = SkipDigits();
    bool is_float = false;
    size_t frac_digits = 0;
    if (Peek() == '.') ++pos_, is_float = true, frac_digits = SkipDigits();
    if (int_digits == 0 && frac_digits == 0) return ErrorAt(start, "expected a number");
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_, is_float = true;
      if (Peek() == '-' || Peek() == '+') ++pos_;
      if (SkipDigits() == 0) return ErrorAt(pos_, "expected the exponent's digits");
    }
    if (IsNameChar(Peek()) || Peek() == '.') {
      return ErrorAt(pos_, "unexpected character '" + std::string(1, Peek()) + "' in a number");
    }
    const std::string_view body = s_.substr(digits_at, pos_ - digits_at);
    const bool negative = s_[start] == '-';
    return is_float ? MakeFloat(start, body, negative) : MakeInt(start, body, negative);
  }

  size_t SkipDigits() {
    const size_t start = pos_;
    while (IsDigit(Peek())) ++pos_;
    return pos_ - start;
  }

  Result<PythonValue> MakeInt(size_t at, std::string_view digits, bool negative) const {
    if (digits.size() > 1 && digits[0] == '0' && digits.find_first_not_of('0') != digits.npos) {
      return ErrorAt(at, "leading zeros in an integer");
    }
    // Parsed with its sign so that the most negative 64-bit integer fits.
    std::string text = (negative ? "-" : "") + std::string(digits);
    PythonValue v;
    v.kind = Kind::kInt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v.integer);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return ErrorAt(at, "integer " + text + " does not fit in 64 bits");
    }
    return v;
  }

  Result<PythonValue> MakeFloat(size_t at, std::string_view body, bool negative) const {
    PythonValue v;
    v.kind = Kind::kFloat;
    auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), v.number);
    if (ec != std::errc() || end != body.data() + body.size()) {
      return ErrorAt(at, "float " + std::string(body) + " is out of range");
    }
    if (negative) v.number = -v.number;
    return v;
  }

  Result<PythonValue> ParseString() {
    const char quote = Peek();
    const size_t start = pos_++;
    PythonValue v;
    v.kind = Kind::kString;
    for (;;) {
      if (AtEnd() || Peek() == '\n') return ErrorAt(start, "unterminated string");
      const char c = s_[pos_];
      if (c == quote) break;
      if (c == '\\') {
        CORALPI_RETURN_IF_ERROR(ParseEscape(v.text));
      } else {
        v.text += c;
        ++pos_;
      }
    }
    ++pos_;
    if (Peek() == '\'' || Peek() == '"') {
      return ErrorAt(pos_, "adjacent strings are not concatenated here");
    }
    return v;
  }

  // The escape at pos_ ('\\'), appended to `out` as UTF-8.
  Status ParseEscape(std::string& out) {
    const size_t at = pos_++;
    if (AtEnd()) return ErrorAt(at, "unterminated string");
    const char c = s_[pos_++];
    // The escapes of one character: \\ \' \" \n \r \t \a \b \f \v.
    constexpr std::string_view kFrom = "\\'\"nrtabfv";
    constexpr std::string_view kTo = "\\'\"\n\r\t\a\b\f\v";
    if (const size_t k = kFrom.find(c); k != kFrom.npos) {
      out += kTo[k];
      return OkStatus();
    }
    if (c == '\n') return OkStatus();  // a line continuation
    if (c == 'x' || c == 'u' || c == 'U') {
      return ParseHexEscape(at, c == 'x' ? 2 : c == 'u' ? 4 : 8, out);
    }
    if (c >= '0' && c <= '7') {
      --pos_;
      return ParseOctalEscape(out);
    }
    return ErrorAt(at, std::string("unknown escape '\\") + c + "'");
  }

  Status ParseHexEscape(size_t at, int digits, std::string& out) {
    uint32_t cp = 0;
    for (int i = 0; i < digits; ++i) {
      const int d = HexDigit(Peek());
      if (d < 0) {
        return ErrorAt(at, "escape needs " + std::to_string(digits) + " hexadecimal digits");
      }
      cp = (cp << 4) | static_cast<uint32_t>(d);
      ++pos_;
    }
    if (cp > 0x10FFFF) return ErrorAt(at, "escape beyond U+10FFFF");
    if (cp >= 0xD800 && cp <= 0xDFFF) return ErrorAt(at, "escape names a lone surrogate");
    AppendUtf8(out, cp);
    return OkStatus();
  }

  Status ParseOctalEscape(std::string& out) {
    uint32_t cp = 0;
    for (int i = 0; i < 3 && Peek() >= '0' && Peek() <= '7'; ++i) {
      cp = cp * 8 + static_cast<uint32_t>(Peek() - '0');
      ++pos_;
    }
    AppendUtf8(out, cp);
    return OkStatus();
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

const char* PythonKindName(PythonValue::Kind kind) {
  switch (kind) {
    case Kind::kNone:
      return "None";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kString:
      return "str";
    case Kind::kList:
      return "list";
    case Kind::kTuple:
      return "tuple";
    case Kind::kDict:
      return "dict";
  }
  return "?";
}

Result<PythonValue> ParsePythonLiteral(std::string_view text) {
  return Parser(text).ParseDocument();
}

}  // namespace coralpi

// The Python-literal parser: every construct repr() writes, nesting, escapes, and errors that
// name where they are.
#include "model/python_literal.h"

#include <gtest/gtest.h>

#include <string>

namespace coralpi {
namespace {

using Kind = PythonValue::Kind;

PythonValue Parse(const std::string& text) {
  Result<PythonValue> v = ParsePythonLiteral(text);
  EXPECT_TRUE(v.ok()) << text << ": " << (v.ok() ? "" : v.error().message);
  return v.ok() ? *v : PythonValue{};
}

std::string ErrorOf(const std::string& text) {
  Result<PythonValue> v = ParsePythonLiteral(text);
  return v.ok() ? "(parsed)" : v.error().message;
}

TEST(PythonLiteralTest, Scalars) {
  EXPECT_EQ(Parse("None").kind, Kind::kNone);
  EXPECT_TRUE(Parse("True").boolean);
  EXPECT_EQ(Parse("False").kind, Kind::kBool);
  EXPECT_FALSE(Parse("False").boolean);
  EXPECT_EQ(Parse("42").integer, 42);
  EXPECT_EQ(Parse("-7").integer, -7);
  EXPECT_EQ(Parse("+7").integer, 7);
  EXPECT_EQ(Parse("0").kind, Kind::kInt);
  EXPECT_EQ(Parse("9223372036854775807").integer, INT64_MAX);
  EXPECT_EQ(Parse("-9223372036854775808").integer, INT64_MIN);
  EXPECT_EQ(Parse("1.5").kind, Kind::kFloat);
  EXPECT_DOUBLE_EQ(Parse("1.5").number, 1.5);
  EXPECT_DOUBLE_EQ(Parse("-2.5e-3").number, -0.0025);
  EXPECT_DOUBLE_EQ(Parse("1.").number, 1.0);
  EXPECT_DOUBLE_EQ(Parse(".25").number, 0.25);
  EXPECT_DOUBLE_EQ(Parse("3E2").number, 300.0);
  EXPECT_EQ(Parse("  'x'  \n").text, "x");
}

TEST(PythonLiteralTest, StringsAndEscapes) {
  EXPECT_EQ(Parse("'it\\'s'").text, "it's");
  EXPECT_EQ(Parse("\"it's\"").text, "it's");
  EXPECT_EQ(Parse("'say \"hi\"'").text, "say \"hi\"");
  EXPECT_EQ(Parse("'a\\\\b'").text, "a\\b");
  EXPECT_EQ(Parse("'\\n\\t\\r'").text, "\n\t\r");
  EXPECT_EQ(Parse("'\\x41\\x42'").text, "AB");
  EXPECT_EQ(Parse("'\\xe9'").text, "\xc3\xa9");        // U+00E9, as UTF-8
  EXPECT_EQ(Parse("'\\u4eba'").text, "\xe4\xba\xba");  // U+4EBA
  EXPECT_EQ(Parse("'\\U0001F600'").text, "\xf0\x9f\x98\x80");
  EXPECT_EQ(Parse("'\\101\\0'").text, std::string("A\0", 2));
  EXPECT_EQ(Parse("'\xe4\xba\xba'").text, "\xe4\xba\xba");  // UTF-8 as it is
  EXPECT_EQ(Parse("''").text, "");
}

TEST(PythonLiteralTest, Containers) {
  PythonValue list = Parse("[1, 'two', 3.0, None, [True]]");
  ASSERT_EQ(list.kind, Kind::kList);
  ASSERT_EQ(list.items.size(), 5u);
  EXPECT_EQ(list.items[1].text, "two");
  EXPECT_EQ(list.items[4].items[0].kind, Kind::kBool);
  EXPECT_EQ(Parse("[]").items.size(), 0u);
  EXPECT_EQ(Parse("[1, 2,]").items.size(), 2u);

  EXPECT_EQ(Parse("()").kind, Kind::kTuple);
  EXPECT_EQ(Parse("(1,)").kind, Kind::kTuple);
  EXPECT_EQ(Parse("(1, 2)").items.size(), 2u);
  EXPECT_EQ(Parse("(1)").kind, Kind::kInt);  // parentheses, not a tuple

  PythonValue dict = Parse("{0: 'person', 'k': [17, 3], (1, 2): {}}");
  ASSERT_EQ(dict.kind, Kind::kDict);
  ASSERT_EQ(dict.keys.size(), 3u);
  EXPECT_EQ(dict.keys[0].integer, 0);
  EXPECT_EQ(dict.items[0].text, "person");
  EXPECT_EQ(dict.keys[1].text, "k");
  EXPECT_EQ(dict.items[1].items[1].integer, 3);
  EXPECT_EQ(dict.keys[2].kind, Kind::kTuple);
  EXPECT_EQ(dict.items[2].kind, Kind::kDict);
}

TEST(PythonLiteralTest, Nesting) {
  std::string deep_ok(kMaxPythonLiteralDepth, '[');
  deep_ok += std::string(kMaxPythonLiteralDepth, ']');
  PythonValue v = Parse(deep_ok);
  int depth = 0;
  for (const PythonValue* p = &v; p->kind == Kind::kList; ++depth) {
    if (p->items.empty()) {
      ++depth;
      break;
    }
    p = &p->items[0];
  }
  EXPECT_EQ(depth, kMaxPythonLiteralDepth);

  std::string too_deep(kMaxPythonLiteralDepth + 1, '[');
  too_deep += std::string(kMaxPythonLiteralDepth + 1, ']');
  EXPECT_EQ(ErrorOf(too_deep), "line 1, column 65: nested more than 64 deep");
  // A million brackets: an error, not a stack overflow.
  EXPECT_NE(ErrorOf(std::string(1000000, '{')).find("nested more than 64 deep"), std::string::npos);
}

TEST(PythonLiteralTest, ErrorsNameLineAndColumn) {
  EXPECT_EQ(ErrorOf(""), "line 1, column 1: expected a value, found the end of the text");
  EXPECT_EQ(ErrorOf("{'a' 1}"), "line 1, column 6: expected ':' after a dict key");
  EXPECT_EQ(ErrorOf("{'a': 1,\n 'b': }"), "line 2, column 7: unexpected character '}'");
  EXPECT_EQ(ErrorOf("[1 2]"), "line 1, column 4: expected ',' or ']'");
  EXPECT_EQ(ErrorOf("{1: 2 3}"), "line 1, column 7: expected ',' or '}'");
  EXPECT_EQ(ErrorOf("'abc"), "line 1, column 1: unterminated string");
  EXPECT_EQ(ErrorOf("'ab\ncd'"), "line 1, column 1: unterminated string");
  EXPECT_EQ(ErrorOf("'\\q'"), "line 1, column 2: unknown escape '\\q'");
  EXPECT_EQ(ErrorOf("'\\x4'"), "line 1, column 2: escape needs 2 hexadecimal digits");
  EXPECT_EQ(ErrorOf("'\\ud800'"), "line 1, column 2: escape names a lone surrogate");
  EXPECT_EQ(ErrorOf("'\\U00110000'"), "line 1, column 2: escape beyond U+10FFFF");
  EXPECT_EQ(ErrorOf("nan"), "line 1, column 1: 'nan' is not a literal");
  EXPECT_EQ(ErrorOf("[true]"), "line 1, column 2: 'true' is not a literal");
  EXPECT_EQ(ErrorOf("007"), "line 1, column 1: leading zeros in an integer");
  EXPECT_EQ(ErrorOf("9223372036854775808"),
            "line 1, column 1: integer 9223372036854775808 does not fit in 64 bits");
  EXPECT_EQ(ErrorOf("1e999"), "line 1, column 1: float 1e999 is out of range");
  EXPECT_EQ(ErrorOf("0x10"), "line 1, column 2: unexpected character 'x' in a number");
  EXPECT_EQ(ErrorOf("1.2.3"), "line 1, column 4: unexpected character '.' in a number");
  EXPECT_EQ(ErrorOf("1e"), "line 1, column 3: expected the exponent's digits");
  EXPECT_EQ(ErrorOf("-"), "line 1, column 1: expected a number");
  EXPECT_EQ(ErrorOf("{[1]: 2}"), "line 1, column 2: a dict key cannot be a list");
  EXPECT_EQ(ErrorOf("{{}: 2}"), "line 1, column 2: a dict key cannot be a dict");
  EXPECT_EQ(ErrorOf("'a''b'"), "line 1, column 4: adjacent strings are not concatenated here");
  EXPECT_EQ(ErrorOf("['a' 'b']"), "line 1, column 6: expected ',' or ']'");
  EXPECT_EQ(ErrorOf("1 2"), "line 1, column 3: unexpected text after the value");
  EXPECT_EQ(ErrorOf("{'a': 1} x"), "line 1, column 10: unexpected text after the value");
  EXPECT_EQ(ErrorOf("['\xff']"), "line 1, column 3: invalid UTF-8");
  EXPECT_EQ(ErrorOf("'\xed\xa0\x80'"), "line 1, column 2: invalid UTF-8");  // a surrogate
  EXPECT_EQ(ErrorOf("@"), "line 1, column 1: unexpected character '@'");
}

}  // namespace
}  // namespace coralpi

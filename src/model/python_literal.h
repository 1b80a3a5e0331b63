// A strict parser for Python literals as repr() writes them, for Ultralytics' temp_meta.txt
// ({'task': 'detect', 'imgsz': [320, 320], 'names': {0: 'person', ...}}).
//
// Accepted: None, True, False; integers (64-bit, optional sign); floats (1.5, -2e-3, 1.);
// strings in '...' or "..." with Python's escapes (\\ \' \" \n \r \t \a \b \f \v \0-\777
// \xHH \uHHHH \UHHHHHHHH), kept as UTF-8; lists [..], tuples (..) and dicts {k: v}, with an
// optional trailing comma, nested at most kMaxPythonLiteralDepth deep. Nothing else: no
// expressions, names, bytes, sets, string prefixes or implicit string concatenation. Errors
// name the line and column: "line 1, column 17: expected ':' after a dict key".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace coralpi {

inline constexpr int kMaxPythonLiteralDepth = 64;

struct PythonValue {
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kList, kTuple, kDict };
  Kind kind = Kind::kNone;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  std::string text;
  std::vector<PythonValue> items;  // list and tuple elements; dict values
  std::vector<PythonValue> keys;   // dict keys, keys[i] -> items[i], in the text's order
};

// "None", "bool", "int", "float", "str", "list", "tuple", "dict".
const char* PythonKindName(PythonValue::Kind kind);

// One literal, with only white space around it.
Result<PythonValue> ParsePythonLiteral(std::string_view text);

}  // namespace coralpi

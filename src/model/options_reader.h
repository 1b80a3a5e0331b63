// Reads an operator's builtin options from the FlatBuffer into coralpi's plain option structs.
// Internal to the model layer (it includes the generated schema header).
#pragma once

#include <string>

#include "core/result.h"
#include "model/types.h"
#include "tflite_generated.h"

namespace coralpi {

// Options for `code`, checked for sane values (positive strides, dilations and filter sizes,
// a known padding and activation). Operators coralpi does not interpret get NoOptions.
Result<OpOptions> ReadOptions(const tfl::Operator& op, int32_t code, const std::string& where);

}  // namespace coralpi

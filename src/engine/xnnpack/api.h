// The XNNPACK calls whose form differs between the versions coralpi builds against, behind one
// set of functions: api_2022.cc implements them for Debian 12's XNNPACK (0.0~git20220216: one
// define call per operator, xnn_setup_runtime), api_2024.cc for Debian 13's (0.0~git20241108:
// xnn_define_binary / xnn_define_unary / xnn_define_static_reduce, xnn_reshape_runtime then
// xnn_setup_runtime_v2; the older calls are deprecated there). CMake compiles one of the two,
// by whether xnnpack.h declares xnn_define_binary. Private to engine/xnnpack.
#pragma once

#include <xnnpack.h>

#include "core/result.h"
#include "engine/xnnpack/subgraph_builder.h"

namespace coralpi::xnnpack {

// An XNNPACK call's status and the call's name, for the error message.
struct Call {
  xnn_status status;
  const char* name;
};

namespace api {

Call DefineBinary(xnn_subgraph_t sg, BinaryOp op, float lo, float hi, uint32_t a, uint32_t b,
                  uint32_t out);
Call DefineUnary(xnn_subgraph_t sg, UnaryOp op, uint32_t in, uint32_t out);
Call DefineClamp(xnn_subgraph_t sg, float lo, float hi, uint32_t in, uint32_t out);
Call DefineLeakyRelu(xnn_subgraph_t sg, float alpha, uint32_t in, uint32_t out);
// Mean over dimensions 1 and 2 of a 4-D value, into [N, 1, 1, C].
Call DefineGlobalAveragePool(xnn_subgraph_t sg, uint32_t in, uint32_t out);
// Binds the external values (and, where the version needs it, plans the runtime's memory first).
Call SetupRuntime(xnn_runtime_t runtime, size_t count, const xnn_external_value* values);

}  // namespace api

// "XNNPACK <call> failed (invalid parameter)"; OkStatus for success.
Status Check(Call call);
Error XnnError(const char* call, xnn_status status);

}  // namespace coralpi::xnnpack

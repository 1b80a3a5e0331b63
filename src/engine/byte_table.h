// Byte tables: a run of elementwise operators that starts and ends on an 8-bit tensor, each
// with its other operands constant, computes out[i] = f(in[i], channel of i) for one function f
// of 256 x channels values. The engine folds such a run into one table lookup per element.
//
// MoveNet, for one, opens with CAST (uint8 to float32), QUANTIZE (to int8), SUB (a constant)
// and MUL (a constant) over its whole input image: four passes, three of them on the reference
// kernels, become one lookup. The table is made by running the operators' own reference
// kernels once over every byte value in every channel, so the fold computes exactly what the
// operators compute.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"
#include "engine/native/byte_lookup.h"
#include "engine/tensor_view.h"
#include "model/model.h"

namespace coralpi {

// Operators [first, last] of the execution order, folded into one table.
struct ByteChain {
  size_t first = 0;
  size_t last = 0;
  int32_t channels = 1;  // the size of the innermost dimension the constants vary along, or 1
  int32_t input = -1;    // the tensor the first operator reads (its one that is not constant)
  int32_t output = -1;   // the tensor the last operator writes
};

// The chains of the graph in execution order, each the longest of at least two operators from
// where the previous one ended. Operators `usable[i]` false (unsupported, or run by the caller)
// end a chain.
// A chain's operators are elementwise (CAST, QUANTIZE, DEQUANTIZE, ADD, SUB, MUL, MAXIMUM,
// MINIMUM and the activations), each reads the previous one's output and constants that are
// scalars or vary along the innermost dimension only, its output has that input's shape, and
// nothing else reads the tensors between the operators; an operator may also read the chain's
// input or an earlier operator's output (a diamond such as SiLU's MUL(x, LOGISTIC(x)): still a
// function of one byte of the input); the first reads and the last writes
// uint8 or int8, with one quantization for the whole tensor; and the table (256 bytes per
// channel) is no larger than the input tensor.
std::vector<ByteChain> FindByteChains(const Subgraph& g, const std::vector<bool>& usable);

// The folded operators of one chain, as a table over the engine's tensor memory.
class ByteTable {
 public:
  // Builds the table by running the chain's reference kernels over every byte value.
  static Result<ByteTable> Create(const Subgraph& g, const ByteChain& chain);

  // out[i] = table[channel of i][in[i]] over `pixels` groups of channels() elements.
  void Apply(const uint8_t* in, uint8_t* out, int64_t pixels) const;
  int32_t channels() const { return channels_; }
  // The fewest pixels worth handing to another thread: about 8 us of lookups with the plain
  // loop (about 1 ns a byte), 1 MiB with the vector lookup (20-60 bytes a ns: a split of
  // less took longer on two threads than on one).
  int64_t PixelsPerPart() const;

  // The table: 256 entries per channel, channel-major.
  std::span<const uint8_t> entries() const { return table_; }

 private:
  int32_t channels_ = 1;
  std::vector<uint8_t> table_;
  native::ByteLookupFn lookup_ = nullptr;  // one channel's fast lookup (byte_lookup.h), or null
};

}  // namespace coralpi

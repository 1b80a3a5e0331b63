// Byte lookups for the byte tables (engine/byte_table.h): out[i] = table[in[i]] over one
// 256-entry table, with the widest table instructions the CPU has. A table lookup is a
// gather the scalar loop does one byte a cycle at best; SiLU alone (LOGISTIC and MUL folded,
// byte_table.h) is millions of lookups per invoke in the YOLO models.
//   x86-64 with AVX-512 VBMI (Ice Lake and later, AMD Zen 4 and later): two VPERMI2B look up
//     64 bytes in each half of the table, the input's top bit picks the half.
//   arm64: TBL/TBX over four 64-byte quarters, 16 bytes at a time (NEON is always there).
// Elsewhere, or with the x86 ISA limit at none (cpu_isa.h), there is none and the table's
// plain loop runs. Same bytes on every path: a lookup has nothing to round.
#pragma once

#include <cstdint>

namespace coralpi::native {

using ByteLookupFn = void (*)(const uint8_t* table, const uint8_t* in, uint8_t* out, int64_t n);

// The fast lookup for this CPU (and the ISA limit in force now), or null.
ByteLookupFn FastByteLookup();

// AVX-512 F/BW + VBMI (byte_lookup_avx512vbmi.cc); x86-64 only.
void ByteLookupAvx512Vbmi(const uint8_t* table, const uint8_t* in, uint8_t* out, int64_t n);

}  // namespace coralpi::native

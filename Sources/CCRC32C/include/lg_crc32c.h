#ifndef LG_CRC32C_H
#define LG_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Continues a running CRC-32C (Castagnoli) over `n` bytes at `p`; start with `crc = 0`.
/// Uses the CPU's CRC-32C instruction when it has one (SSE4.2, ARMv8 CRC), else tables.
uint32_t lg_crc32c_update(uint32_t crc, const void *p, size_t n);

/// The table-driven (slicing-by-8) path alone, whatever the CPU.
uint32_t lg_crc32c_update_portable(uint32_t crc, const void *p, size_t n);

/// Three independent CRCs, each continuing from `seed`, into out[0], out[1], out[2]: what three
/// calls of lg_crc32c_update give, with the instruction's latency hidden by running the three
/// streams side by side (a file's lines are checked three at a time).
void lg_crc32c_update3(uint32_t seed, const void *a, size_t na, const void *b, size_t nb, const void *c, size_t nc,
                       uint32_t out[3]);

/// 1 when lg_crc32c_update uses the CPU's CRC-32C instruction, else 0.
int lg_crc32c_hardware(void);

#endif

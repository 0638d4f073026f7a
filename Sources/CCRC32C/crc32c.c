// CRC-32C (Castagnoli): the CPU's instruction when there is one, slicing-by-8 tables otherwise.
#include "lg_crc32c.h"

#include <pthread.h>
#include <string.h>

// Eight 256-entry tables for slicing-by-8 over the reflected polynomial 0x82F63B78.
static uint32_t lg_table[8][256];
static pthread_once_t lg_table_once = PTHREAD_ONCE_INIT;

static void lg_build_table(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        lg_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++) {
        for (int k = 1; k < 8; k++) {
            uint32_t prev = lg_table[k - 1][i];
            lg_table[k][i] = (prev >> 8) ^ lg_table[0][prev & 0xFF];
        }
    }
}

uint32_t lg_crc32c_update_portable(uint32_t crc, const void *p, size_t n) {
    pthread_once(&lg_table_once, lg_build_table);
    const unsigned char *b = (const unsigned char *)p;
    uint32_t c = ~crc;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w = __builtin_bswap64(w);
#endif
        uint32_t lo = (uint32_t)w ^ c;
        uint32_t hi = (uint32_t)(w >> 32);
        c = lg_table[7][lo & 0xFF] ^ lg_table[6][(lo >> 8) & 0xFF] ^ lg_table[5][(lo >> 16) & 0xFF] ^ lg_table[4][lo >> 24]
            ^ lg_table[3][hi & 0xFF] ^ lg_table[2][(hi >> 8) & 0xFF] ^ lg_table[1][(hi >> 16) & 0xFF] ^ lg_table[0][hi >> 24];
        b += 8;
        n -= 8;
    }
    while (n > 0) {
        c = lg_table[0][(c ^ *b) & 0xFF] ^ (c >> 8);
        b++;
        n--;
    }
    return ~c;
}

#if defined(__x86_64__)
#include <stdint.h>

__attribute__((target("sse4.2")))
static uint32_t lg_crc32c_sse42(uint32_t crc, const void *p, size_t n) {
    const unsigned char *b = (const unsigned char *)p;
    uint64_t c = ~crc;
    // Align to 8 bytes, then eight bytes per instruction.
    while (n > 0 && ((uintptr_t)b & 7) != 0) {
        c = __builtin_ia32_crc32qi((uint32_t)c, *b);
        b++;
        n--;
    }
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        c = __builtin_ia32_crc32di(c, w);
        b += 8;
        n -= 8;
    }
    while (n > 0) {
        c = __builtin_ia32_crc32qi((uint32_t)c, *b);
        b++;
        n--;
    }
    return ~(uint32_t)c;
}

__attribute__((target("sse4.2")))
static void lg_crc32c_sse42_3(uint32_t seed, const unsigned char *a, size_t na, const unsigned char *b, size_t nb,
                              const unsigned char *c, size_t nc, uint32_t out[3]) {
    uint64_t ca = (uint32_t)~seed, cb = ca, cc = ca;
    while (na >= 8 && nb >= 8 && nc >= 8) {
        uint64_t wa, wb, wc;
        memcpy(&wa, a, 8);
        memcpy(&wb, b, 8);
        memcpy(&wc, c, 8);
        ca = __builtin_ia32_crc32di(ca, wa);
        cb = __builtin_ia32_crc32di(cb, wb);
        cc = __builtin_ia32_crc32di(cc, wc);
        a += 8, b += 8, c += 8;
        na -= 8, nb -= 8, nc -= 8;
    }
    out[0] = lg_crc32c_sse42(~(uint32_t)ca, a, na);
    out[1] = lg_crc32c_sse42(~(uint32_t)cb, b, nb);
    out[2] = lg_crc32c_sse42(~(uint32_t)cc, c, nc);
}
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>

static uint32_t lg_crc32c_arm(uint32_t crc, const void *p, size_t n) {
    const unsigned char *b = (const unsigned char *)p;
    uint32_t c = ~crc;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        c = __crc32cd(c, w);
        b += 8;
        n -= 8;
    }
    while (n > 0) {
        c = __crc32cb(c, *b);
        b++;
        n--;
    }
    return ~c;
}
#endif

// -1 until the CPU was asked; then 1 (instruction) or 0 (tables).
static int lg_hw = -1;

int lg_crc32c_hardware(void) {
    int h = __atomic_load_n(&lg_hw, __ATOMIC_RELAXED);
    if (h < 0) {
#if defined(__x86_64__)
        __builtin_cpu_init();
        h = __builtin_cpu_supports("sse4.2") ? 1 : 0;
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
        h = 1;
#else
        h = 0;
#endif
        __atomic_store_n(&lg_hw, h, __ATOMIC_RELAXED);
    }
    return h;
}

uint32_t lg_crc32c_update(uint32_t crc, const void *p, size_t n) {
#if defined(__x86_64__)
    if (lg_crc32c_hardware()) return lg_crc32c_sse42(crc, p, n);
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
    return lg_crc32c_arm(crc, p, n);
#endif
    return lg_crc32c_update_portable(crc, p, n);
}

void lg_crc32c_update3(uint32_t seed, const void *a, size_t na, const void *b, size_t nb, const void *c, size_t nc,
                       uint32_t out[3]) {
#if defined(__x86_64__)
    if (lg_crc32c_hardware()) {
        lg_crc32c_sse42_3(seed, (const unsigned char *)a, na, (const unsigned char *)b, nb, (const unsigned char *)c, nc, out);
        return;
    }
#endif
    out[0] = lg_crc32c_update(seed, a, na);
    out[1] = lg_crc32c_update(seed, b, nb);
    out[2] = lg_crc32c_update(seed, c, nc);
}

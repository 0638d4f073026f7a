#ifndef LGADMIN_CZLIB_SHIM_H
#define LGADMIN_CZLIB_SHIM_H
// zlib from Debian's zlib1g-dev: streaming inflate of gzip'd access logs, and deflate for the
// demo's rotated logs. Swift does not import the function-like macros inflateInit2 and
// deflateInit2, so they are wrapped here with the library's version and struct size.
#include <zlib.h>

static inline int lg_inflate_init_gzip(z_stream *s) {
    // 15 + 16: a gzip wrapper only (the input was recognised by its magic bytes).
    return inflateInit2_(s, 15 + 16, ZLIB_VERSION, (int)sizeof(z_stream));
}

static inline int lg_deflate_init_gzip(z_stream *s, int level) {
    return deflateInit2_(s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, (int)sizeof(z_stream));
}
#endif

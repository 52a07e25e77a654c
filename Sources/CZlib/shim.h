#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>

// deflateInit/inflateInit are macros (they pass the library version and the stream size): Swift cannot
// call them, so typed wrappers live here, prefixed CZlib_.
static inline int CZlib_deflateInit(z_streamp stream, int level) { return deflateInit(stream, level); }
static inline int CZlib_inflateInit(z_streamp stream) { return inflateInit(stream); }
#endif

#ifndef CTIFF_SHIM_H
#define CTIFF_SHIM_H
#include <tiffio.h>
// Swift cannot call C variadics such as TIFFGetField/TIFFSetField: typed wrappers live here,
// prefixed CTIFF_ so they never collide with libtiff's own names.
#endif

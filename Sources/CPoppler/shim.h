#ifndef CPOPPLER_SHIM_H
#define CPOPPLER_SHIM_H
#include <poppler.h>
#include <cairo.h>
#include <glib.h>
// GLib's cast macros (G_OBJECT and friends) are not visible to Swift: typed wrappers live here,
// prefixed CPoppler_.
#endif

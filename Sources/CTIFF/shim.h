#ifndef CTIFF_SHIM_H
#define CTIFF_SHIM_H
#include <tiffio.h>
#include <stdarg.h>
#include <stdio.h>

// Swift cannot call C variadics such as TIFFGetField/TIFFSetField, nor format a va_list: typed
// wrappers live here, prefixed CTIFF_ so they never collide with libtiff's own names.

static inline int CTIFF_GetFieldUInt32(TIFF *tif, uint32_t tag, uint32_t *value) {
    return TIFFGetField(tif, tag, value);
}
static inline int CTIFF_GetFieldUInt16(TIFF *tif, uint32_t tag, uint16_t *value) {
    return TIFFGetField(tif, tag, value);
}
static inline int CTIFF_GetFieldFloat(TIFF *tif, uint32_t tag, float *value) {
    return TIFFGetField(tif, tag, value);
}
static inline int CTIFF_GetFieldDefaultedUInt16(TIFF *tif, uint32_t tag, uint16_t *value) {
    return TIFFGetFieldDefaulted(tif, tag, value);
}
static inline int CTIFF_GetFieldDefaultedUInt32(TIFF *tif, uint32_t tag, uint32_t *value) {
    return TIFFGetFieldDefaulted(tif, tag, value);
}
// Strip offsets and byte counts are uint64 arrays owned by libtiff (valid until the next directory).
static inline int CTIFF_GetFieldUInt64Array(TIFF *tif, uint32_t tag, uint64_t **value) {
    return TIFFGetField(tif, tag, value);
}
static inline int CTIFF_GetFieldColormap(TIFF *tif, uint16_t **red, uint16_t **green, uint16_t **blue) {
    return TIFFGetField(tif, TIFFTAG_COLORMAP, red, green, blue);
}

static inline int CTIFF_SetFieldUInt32(TIFF *tif, uint32_t tag, uint32_t value) {
    return TIFFSetField(tif, tag, value);
}
// 16-bit tags are passed promoted to int through the variadic call, as libtiff expects.
static inline int CTIFF_SetFieldUInt16(TIFF *tif, uint32_t tag, uint16_t value) {
    return TIFFSetField(tif, tag, (int)value);
}
// Rational tags (resolutions) are read back as float but passed as double through varargs.
static inline int CTIFF_SetFieldDouble(TIFF *tif, uint32_t tag, double value) {
    return TIFFSetField(tif, tag, value);
}
static inline int CTIFF_SetFieldPageNumber(TIFF *tif, uint16_t page, uint16_t total) {
    return TIFFSetField(tif, TIFFTAG_PAGENUMBER, (int)page, (int)total);
}
static inline int CTIFF_SetFieldColormap(TIFF *tif, uint16_t *red, uint16_t *green, uint16_t *blue) {
    return TIFFSetField(tif, TIFFTAG_COLORMAP, red, green, blue);
}
static inline int CTIFF_SetFieldString(TIFF *tif, uint32_t tag, const char *value) {
    return TIFFSetField(tif, tag, value);
}

// A per-handle message sink: libtiff hands its error and warning handlers a printf format and a
// va_list, which Swift cannot format; these handlers format it and pass a plain string on.
typedef void (*CTIFF_MessageCallback)(void *context, int isError, const char *module, const char *message);
typedef struct CTIFF_MessageSink {
    void *context;
    CTIFF_MessageCallback callback;
} CTIFF_MessageSink;

static inline int CTIFF_forward(void *user_data, int isError, const char *module, const char *fmt, va_list ap) {
    CTIFF_MessageSink *sink = (CTIFF_MessageSink *)user_data;
    if (sink == NULL || sink->callback == NULL) return 1;
    char buffer[512];
    vsnprintf(buffer, sizeof buffer, fmt, ap);
    sink->callback(sink->context, isError, module ? module : "", buffer);
    return 1; // handled: libtiff must not also call the process-global handler
}
static inline int CTIFF_errorHandler(TIFF *tif, void *user_data, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    return CTIFF_forward(user_data, 1, module, fmt, ap);
}
static inline int CTIFF_warningHandler(TIFF *tif, void *user_data, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    return CTIFF_forward(user_data, 0, module, fmt, ap);
}
static inline void CTIFF_OpenOptionsSetSink(TIFFOpenOptions *opts, CTIFF_MessageSink *sink) {
    TIFFOpenOptionsSetErrorHandlerExtR(opts, CTIFF_errorHandler, sink);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, CTIFF_warningHandler, sink);
}
#endif

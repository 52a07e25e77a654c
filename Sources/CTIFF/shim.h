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
// An in-memory file for libtiff (TIFFClientOpenExt), so a page can be encoded with libtiff's codecs (CCITT G4,
// JPEG) without a temporary file: the encoded strip is lifted out of the buffer into a PDF image.
#include <stdlib.h>
#include <string.h>
typedef struct CTIFF_MemoryFile {
    unsigned char *data;
    uint64_t size;
    uint64_t capacity;
    uint64_t position;
    uint64_t limit;  // the buffer never grows past this many bytes: a write beyond it fails
} CTIFF_MemoryFile;

static inline tmsize_t CTIFF_memoryRead(thandle_t handle, void *buffer, tmsize_t count) {
    CTIFF_MemoryFile *file = (CTIFF_MemoryFile *)handle;
    if (count <= 0 || file->position >= file->size) return 0;
    uint64_t available = file->size - file->position;
    uint64_t n = (uint64_t)count < available ? (uint64_t)count : available;
    memcpy(buffer, file->data + file->position, n);
    file->position += n;
    return (tmsize_t)n;
}
static inline tmsize_t CTIFF_memoryWrite(thandle_t handle, void *buffer, tmsize_t count) {
    CTIFF_MemoryFile *file = (CTIFF_MemoryFile *)handle;
    if (count < 0) return -1;
    uint64_t end = file->position + (uint64_t)count;
    if (end > file->limit) return -1;
    if (end > file->capacity) {
        uint64_t capacity = file->capacity < 65536 ? 65536 : file->capacity;
        while (capacity < end) capacity *= 2;
        if (capacity > file->limit) capacity = file->limit;
        unsigned char *grown = (unsigned char *)realloc(file->data, capacity);
        if (grown == NULL) return -1;
        file->data = grown;
        file->capacity = capacity;
    }
    if (file->position > file->size) memset(file->data + file->size, 0, file->position - file->size);
    memcpy(file->data + file->position, buffer, (size_t)count);
    file->position = end;
    if (end > file->size) file->size = end;
    return count;
}
static inline toff_t CTIFF_memorySeek(thandle_t handle, toff_t offset, int whence) {
    CTIFF_MemoryFile *file = (CTIFF_MemoryFile *)handle;
    uint64_t base = whence == SEEK_CUR ? file->position : whence == SEEK_END ? file->size : 0;
    file->position = base + offset;
    return file->position;
}
static inline int CTIFF_memoryClose(thandle_t handle) { (void)handle; return 0; }
static inline toff_t CTIFF_memorySize(thandle_t handle) { return ((CTIFF_MemoryFile *)handle)->size; }
static inline int CTIFF_memoryMap(thandle_t handle, void **base, toff_t *size) {
    (void)handle; (void)base; (void)size;
    return 0;
}
static inline void CTIFF_memoryUnmap(thandle_t handle, void *base, toff_t size) {
    (void)handle; (void)base; (void)size;
}
// Opens `file` for writing a TIFF ("w"); the caller frees file->data after TIFFClose.
static inline TIFF *CTIFF_OpenMemoryWriter(CTIFF_MemoryFile *file, TIFFOpenOptions *options) {
    return TIFFClientOpenExt("memory", "w", (thandle_t)file, CTIFF_memoryRead, CTIFF_memoryWrite,
                             CTIFF_memorySeek, CTIFF_memoryClose, CTIFF_memorySize, CTIFF_memoryMap,
                             CTIFF_memoryUnmap, options);
}
// Pseudo-tags of the JPEG codec are ints through the variadic call.
static inline int CTIFF_SetFieldInt(TIFF *tif, uint32_t tag, int value) {
    return TIFFSetField(tif, tag, value);
}
#endif

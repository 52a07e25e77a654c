#ifndef CTESSERACT_SHIM_H
#define CTESSERACT_SHIM_H
#include <tesseract/capi.h>
#include <leptonica/allheaders.h>
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

// libgomp comes in through libtesseract; looking its setters up at run time keeps the link line free of
// a library whose development symlink lives in a compiler-private folder. Returns 0 when OpenMP is absent
// (tesseract built without it), which needs no guard.
// Setting both on the calling thread makes every parallel region tesseract opens there run on one thread,
// even when OMP_THREAD_LIMIT was not set in the launch environment.
static inline int CTesseract_limitOpenMPOnThisThread(void) {
    void (*setLevels)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
    void (*setThreads)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    if (setLevels) setLevels(0);
    if (setThreads) setThreads(1);
    return setLevels != NULL;
}

// Leptonica packs 8-bit pixels big-endian inside 32-bit words (GET/SET_DATA_BYTE are macros Swift
// cannot call), so copying a plain grey buffer in or out goes through these two loops.
static inline PIX *CTesseract_pixFromGrey(const uint8_t *grey, int width, int height) {
    PIX *pix = pixCreate(width, height, 8);
    if (!pix) return NULL;
    l_uint32 *data = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int y = 0; y < height; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        const uint8_t *row = grey + (size_t)y * width;
        for (int x = 0; x < width; x++) SET_DATA_BYTE(line, x, row[x]);
    }
    return pix;
}

// Writes width*height bytes; the Pix must be 8 bpp (callers convert first).
static inline void CTesseract_greyFromPix(PIX *pix, uint8_t *grey) {
    int width = pixGetWidth(pix), height = pixGetHeight(pix);
    l_uint32 *data = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int y = 0; y < height; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        uint8_t *row = grey + (size_t)y * width;
        for (int x = 0; x < width; x++) row[x] = (uint8_t)GET_DATA_BYTE(line, x);
    }
}

// The C API's cancel callback: `cancelThis` points at one byte the owning Swift code sets (atomically)
// when the page's task is cancelled.
static inline bool CTesseract_cancelRequested(void *cancelThis, int words) {
    (void)words;
    return __atomic_load_n((const uint8_t *)cancelThis, __ATOMIC_RELAXED) != 0;
}
static inline void CTesseract_requestCancel(uint8_t *flag) { __atomic_store_n(flag, 1, __ATOMIC_RELAXED); }
static inline TessCancelFunc CTesseract_cancelFunc(void) { return CTesseract_cancelRequested; }
// glibc keeps memory freed by a thread in that thread's arena; tesseract frees tens of MB after each page,
// so the OCR threads hand it back here. malloc.h is not in Swift's Glibc module.
static inline void CTesseract_releaseFreedMemory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
// Leptonica prints its warnings and errors straight to stderr, which in a daemon is the log: lines with
// no level, no ids and no format (issue 12). The handler drops them; the page's own error says what failed.
static void CTesseract_dropLeptonicaMessage(const char *message) { (void)message; }
static inline void CTesseract_silenceLeptonica(void) { leptSetStderrHandler(CTesseract_dropLeptonicaMessage); }

#endif

#ifndef CPOPPLER_SHIM_H
#define CPOPPLER_SHIM_H
#include <poppler.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <glib.h>
// GLib's cast macros (G_OBJECT and friends) are not visible to Swift: typed wrappers live here,
// prefixed CPoppler_.

static inline void CPoppler_DocumentUnref(PopplerDocument *document) { g_object_unref(G_OBJECT(document)); }
static inline void CPoppler_PageUnref(PopplerPage *page) { g_object_unref(G_OBJECT(page)); }

// Whether a GError from poppler_document_new_from_file says the document needs a password.
static inline int CPoppler_ErrorIsEncrypted(const GError *error) {
    return error != NULL && error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_ENCRYPTED;
}
static inline int CPoppler_ErrorIsDamaged(const GError *error) {
    return error != NULL && error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_DAMAGED;
}
#endif

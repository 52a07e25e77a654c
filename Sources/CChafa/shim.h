#ifndef CCHAFA_SHIM_H
#define CCHAFA_SHIM_H
#include <chafa.h>

// chafa_canvas_print hands back a GString: its text is copied out and the GString freed here, so Swift never
// touches glib's string type. Returns a malloc'd C string the caller frees with free().
#include <stdlib.h>
#include <string.h>
static inline char *CChafa_printCanvas(ChafaCanvas *canvas, ChafaTermInfo *termInfo) {
    GString *printed = chafa_canvas_print(canvas, termInfo);
    if (printed == NULL) return NULL;
    char *copy = strdup(printed->str);
    g_string_free(printed, TRUE);
    return copy;
}
#endif

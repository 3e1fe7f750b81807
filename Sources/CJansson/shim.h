#ifndef CJANSSON_SHIM_H
#define CJANSSON_SHIM_H
#include <jansson.h>

// jansson's function-like macros do not import into Swift; re-expose the ones we use.
static inline int cjansson_typeof(const json_t *json) { return json_typeof(json); }
static inline int cjansson_error_code(const json_error_t *error) { return (int)json_error_code(error); }
#endif

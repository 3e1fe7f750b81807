#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// PCRE2's generic names are macros over the _8 functions, and its constants are
// unsigned macros with casts that Swift does not import; re-expose what we use.
static const uint32_t cpcre2_utf = PCRE2_UTF;
static const uint32_t cpcre2_ucp = PCRE2_UCP;
static const uint32_t cpcre2_no_utf_check = PCRE2_NO_UTF_CHECK;
static const uint32_t cpcre2_dollar_endonly = PCRE2_DOLLAR_ENDONLY;
static const uint32_t cpcre2_alt_bsux = PCRE2_ALT_BSUX;
static const uint32_t cpcre2_extra_alt_bsux = PCRE2_EXTRA_ALT_BSUX;
static const uint32_t cpcre2_jit_complete = PCRE2_JIT_COMPLETE;
static const size_t cpcre2_zero_terminated = PCRE2_ZERO_TERMINATED;
static const int cpcre2_error_nomatch = PCRE2_ERROR_NOMATCH;
// Added for the ECMA-262 regex engine (Sources/TrellisSchema/Regex).
static const uint32_t cpcre2_no_jit = PCRE2_NO_JIT;
static const int cpcre2_error_jit_stacklimit = PCRE2_ERROR_JIT_STACKLIMIT;
static const uint32_t cpcre2_match_unset_backref = PCRE2_MATCH_UNSET_BACKREF;
static const uint32_t cpcre2_never_ucp = PCRE2_NEVER_UCP;
#endif

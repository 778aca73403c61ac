/*
 * NAME
 *	jsonw - write JSON values as text straight into a strbuf
 * DESCRIPTION
 *	For hot paths that only ever produce JSON (the engine's batches, one
 *	object per result): building jansson objects and dumping them costs
 *	several times more than the text itself. The caller writes the
 *	punctuation and keys ('{', "\"state\":", ',') with strbuf_adds(); these
 *	write the values, as jansson's json_dumps() would:
 *	  jsonw_string: "…" with '"', '\\' and control characters escaped
 *	    (\b \f \n \r \t, else \u00XX); other bytes as they are, so s
 *	    must be UTF-8 (as every string jansson decoded is); NULL is null;
 *	  jsonw_int: a decimal integer;
 *	  jsonw_real: 17 significant digits ("%.17g": read back, the same
 *	    double), with ".0" when it would look like an integer; null for
 *	    NaN and infinities (jansson refuses them: a
 *	    key whose value it refused was left out, which PostgreSQL's
 *	    json_to_recordset() reads as null too);
 *	  jsonw_bool: true or false.
 * DIAGNOSTICS
 *	None: allocation failure aborts (xalloc).
 */
#ifndef VIGIL_JSONW_H
#define VIGIL_JSONW_H

#include "strbuf.h"

void jsonw_string(struct strbuf *b, const char *s);
void jsonw_int(struct strbuf *b, long long v);
/* v in the fewest digits (15 to 17, %g) that read back as v exactly:
 * 0.1, not 0.10000000000000001. Its length, as snprintf's. */
int jsonw_shortest(char *buf, size_t len, double v);
void jsonw_real(struct strbuf *b, double v);
void jsonw_bool(struct strbuf *b, int v);

#endif

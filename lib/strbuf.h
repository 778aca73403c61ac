/*
 * NAME
 *	strbuf - a growing NUL-terminated string
 * DESCRIPTION
 *	For building texts piece by piece (results, macro expansions). A
 *	zeroed struct strbuf is empty; s stays NULL until the first add, and
 *	the caller frees s.
 * DIAGNOSTICS
 *	None: allocation failure aborts (xalloc).
 */
#ifndef VIGIL_STRBUF_H
#define VIGIL_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;
	size_t len;
	size_t cap;
};

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_adds(struct strbuf *b, const char *s);
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Free the text; the buffer is empty again. */
void strbuf_clear(struct strbuf *b);

#endif

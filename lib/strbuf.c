/*
 * NAME
 *	strbuf - a growing NUL-terminated string
 * DESCRIPTION
 *	See strbuf.h.
 * DIAGNOSTICS
 *	None.
 */
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void
strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	xgrow((void **)&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
strbuf_adds(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void
strbuf_clear(struct strbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

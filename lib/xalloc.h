/*
 * NAME
 *	xalloc - allocators that never return NULL
 * DESCRIPTION
 *	Thin wrappers over malloc(3) and friends. Running out of memory in a
 *	monitoring daemon is an environment failure: we say so and abort, so
 *	callers never check for NULL.
 * DIAGNOSTICS
 *	Out of memory: a line on stderr, then abort(3) (a core for the admin).
 */
#ifndef VIGIL_XALLOC_H
#define VIGIL_XALLOC_H

#include <stddef.h>
#include <stdarg.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grow *arr (of *cap elements of size elsize) so that it holds at least need. */
void xgrow(void **arr, size_t *cap, size_t need, size_t elsize);

#endif

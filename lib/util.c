/*
 * NAME
 *	util - time, ids, UTF-8 cleaning
 * DESCRIPTION
 *	See util.h.
 * DIAGNOSTICS
 *	None.
 */
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>

double
util_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t
util_random64(void)
{
	static uint64_t fallback;
	uint64_t v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v))
		return v;
	/* splitmix64 over time: only when the kernel has no entropy yet. */
	if (fallback == 0)
		fallback = (uint64_t)(util_now() * 1e9);
	v = (fallback += 0x9e3779b97f4a7c15ULL);
	v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ULL;
	v = (v ^ (v >> 27)) * 0x94d049bb133111ebULL;
	return v ^ (v >> 31);
}

double
util_random_unit(void)
{
	return (double)(util_random64() >> 11) / 9007199254740992.0;
}

void
util_random_id(char out[UTIL_ID_LEN + 1])
{
	static uint64_t counter;
	uint64_t a = util_random64(), b = util_random64() ^ ++counter;

	snprintf(out, UTIL_ID_LEN + 1, "%016llx%016llx",
	    (unsigned long long)a, (unsigned long long)b);
}

/* Length of the valid UTF-8 sequence at s (max n bytes), 0 if invalid. */
static size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

char *
util_utf8_clean(const char *s, size_t len, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = xmalloc(len * 3 + 1);	/* each bad byte may become 3 */
	size_t i = 0, o = 0, n;

	while (i < len) {
		if (p[i] == '\0') {
			out[o++] = ' ';
			i++;
			continue;
		}
		n = utf8_seq_len(p + i, len - i);
		if (n == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, p + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return out;
}

int
util_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;

	while (i < len) {
		if ((n = utf8_seq_len(p + i, len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

time_t
util_time_t(double t)
{
	const double last = 253402300799.0;	/* 9999-12-31T23:59:59Z */

	if (!(t > 0))	/* NaN too */
		return 0;
	return t >= last ? (time_t)last : (time_t)t;
}

void
util_iso8601(double t, char *buf, size_t len)
{
	time_t sec = util_time_t(t);
	struct tm tm;
	double frac;
	size_t n;

	gmtime_r(&sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	/* the milliseconds of a time in range; of 1e300 or NaN, none (the
	 * cast of anything else to int is undefined) */
	frac = t - (double)sec;
	if (!(frac >= 0 && frac < 1))
		frac = 0;
	snprintf(buf + n, len - n, ".%03dZ", (int)(frac * 1000));
}

void
util_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void
util_sleep(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	nanosleep(&ts, NULL);
}

int
util_streq_null(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

int
util_parse_int_opt(const char *s, int min, int max, int *out, char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < min || v > max) {
		util_errf(err, errlen, "expected a whole number %d..%d, got \"%s\"", min, max, s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

char *
util_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	int e;

	if (f == NULL)
		return NULL;
	do {
		xgrow((void **)&buf, &cap, n + 4096 + 1, 1);
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		e = errno;
		fclose(f);
		free(buf);
		errno = e;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

/*
 * NAME
 *	util - small helpers every daemon needs: time, ids, UTF-8
 * DESCRIPTION
 *	util_now() is wall-clock epoch seconds (fractional), the unit of every
 *	timestamp in messages and in the database. util_random_id() makes the
 *	job ids results are deduplicated by. util_utf8_clean() makes plugin
 *	output safe for JSON and PostgreSQL text (invalid bytes become U+FFFD,
 *	NUL becomes a space): plugins print whatever their locale gives.
 * DIAGNOSTICS
 *	None: these cannot fail (getrandom falls back to /dev/urandom, then to
 *	a time-seeded generator, ids stay unique through the counter).
 */
#ifndef VIGIL_UTIL_H
#define VIGIL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define UTIL_ID_LEN 32		/* hex chars of a job id */

double util_now(void);
void util_random_id(char out[UTIL_ID_LEN + 1]);
uint64_t util_random64(void);
/* Uniform double in [0, 1). */
double util_random_unit(void);
/* A fresh, valid UTF-8 copy of s[0..len) without NUL bytes; *outlen set. */
char *util_utf8_clean(const char *s, size_t len, size_t *outlen);
/* 1 if the NUL-terminated s is valid UTF-8 (what JSON carries), else 0. */
int util_utf8_valid(const char *s);
/* Fill a caller's error buffer (err may be NULL). */
void util_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The whole file, NUL-terminated (caller frees); *len if not NULL. NULL
 * with errno set when it cannot be read. */
char *util_read_file(const char *path, size_t *len);
/* Sleep s seconds (fractions too), or until a signal arrives (a stop
 * asked on standby is noticed at once); blocks: threads and start-up only. */
void util_sleep(double s);
/* Both NULL, or equal strings. */
int util_streq_null(const char *a, const char *b);
/* A whole decimal integer in [min, max] from a command-line argument:
 * 0, or -1 with err saying what is expected. */
int util_parse_int_opt(const char *s, int min, int max, int *out, char *err, size_t errlen);
/* Format epoch seconds as ISO 8601 UTC with milliseconds into buf. */
void util_iso8601(double t, char *buf, size_t len);
/* t as a time_t, defined for any double: NaN and what lies before 1970
 * give 0, what lies past the year 9999 its last second (a cast of an
 * out-of-range double is undefined behaviour). */
time_t util_time_t(double t);

#endif

/*
 * NAME
 *	log - one line per event, key=value fields, to stderr
 * DESCRIPTION
 *	Daemons log once, where they decide what to do; library code does not
 *	log (it fills an error buffer). Lines look like
 *	  2026-11-21T15:04:05.123Z warn engine: result dropped job=... reason=...
 *	Levels: error, warn, info, debug. log_fatal() exits(1) (environment
 *	failures: let the supervisor restart us); log_panic() aborts (a bug).
 *	Times are UTC with a Z. The message is one line whatever it holds:
 *	control characters are written escaped (\n \r \t, others \xHH) and
 *	a backslash as \\ (log_escape()), so a value (a host name from a
 *	passive result, a plugin's output) can never split or forge a line.
 *	Under systemd (JOURNAL_STREAM set) each line starts with its syslog
 *	priority ("<3>" error, "<4>" warn, "<6>" info, "<7>" debug).
 * SECURITY
 *	Never pass secrets (passwords, tokens, $USERn$ values) to these.
 */
#ifndef VIGIL_LOG_H
#define VIGIL_LOG_H

#include <stddef.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_init(const char *progname, enum log_level level);
/* Whether stderr is the journal's stream ($JOURNAL_STREAM names it). */
int log_to_journal(void);
int log_level_parse(const char *s, enum log_level *out);
enum log_level log_get_level(void);
/* in[0..len) escaped as the log writes it into out (NUL-terminated, cut
 * at an escape's boundary to fit outlen); its length. */
size_t log_escape(const char *in, size_t len, char *out, size_t outlen);

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void log_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) do { if (log_get_level() >= LOG_DEBUG) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif

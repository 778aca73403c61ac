/*
 * NAME
 *	log - one line per event, key=value fields, to stderr
 * DESCRIPTION
 *	See log.h. Each line is written with one write(2) so that lines of
 *	several processes sharing a terminal or a file do not interleave.
 * DIAGNOSTICS
 *	None: a failed write to stderr is ignored (there is nowhere to say it).
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *log_prog = "vigil";
static enum log_level log_lvl = LOG_INFO;
static const char *const log_names[] = { "error", "warn", "info", "debug" };
/* syslog priorities of the levels: err, warning, info, debug */
static const char *const log_prio[] = { "<3>", "<4>", "<6>", "<7>" };
static int log_journal;		/* stderr is journald's: "<N>" before each line */

void
log_init(const char *progname, enum log_level level)
{
	const char *env = getenv("VIGIL_LOG_LEVEL");

	log_prog = progname;
	log_lvl = level;
	if (env != NULL)
		log_level_parse(env, &log_lvl);
	log_journal = log_to_journal();
}

/* systemd sets JOURNAL_STREAM ("device:inode") for a unit's stderr: each
 * line then starts with its syslog priority, which journald takes off and
 * keeps. Only while stderr is that stream: a daemon given --log-file, or
 * a child the variable leaked to, writes plain lines. */
int
log_to_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return env != NULL && sscanf(env, "%llu:%llu", &dev, &ino) == 2 &&
	    fstat(STDERR_FILENO, &st) == 0 && (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

int
log_level_parse(const char *s, enum log_level *out)
{
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(s, log_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

enum log_level
log_get_level(void)
{
	return log_lvl;
}

size_t
log_escape(const char *in, size_t len, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		char e[4];
		size_t el = 1;

		e[0] = (char)c;
		if (c == '\\' || c == '\n' || c == '\r' || c == '\t') {
			e[0] = '\\';
			e[1] = c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
			el = 2;
		} else if (c < 0x20 || c == 0x7f) {
			e[0] = '\\';
			e[1] = 'x';
			e[2] = hex[c >> 4];
			e[3] = hex[c & 15];
			el = 4;
		}
		if (n + el >= outlen)
			break;
		memcpy(out + n, e, el);
		n += el;
	}
	if (outlen > 0)
		out[n] = '\0';
	return n;
}

static void
log_vwrite(enum log_level lvl, const char *fmt, va_list ap)
{
	char buf[8192], msg[4096];
	struct timeval tv;
	struct tm tm;
	size_t n = 0, m;
	int r;

	if (log_journal)
		n = (size_t)snprintf(buf, sizeof(buf), "%s", log_prio[lvl]);
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	n += strftime(buf + n, sizeof(buf) - n, "%Y-%m-%dT%H:%M:%S", &tm);
	r = snprintf(buf + n, sizeof(buf) - n, ".%03ldZ %s %s: ",
	    (long)(tv.tv_usec / 1000), log_names[lvl], log_prog);
	if (r > 0)
		n += (size_t)r;
	/* One line whatever the values hold: a newline or any control
	 * character in them is written escaped (\n, \x1b), a backslash as
	 * \\, so no value can split a line or forge another. */
	r = vsnprintf(msg, sizeof(msg), fmt, ap);
	m = r < 0 ? 0 : (size_t)r < sizeof(msg) ? (size_t)r : sizeof(msg) - 1;
	if (n < sizeof(buf) - 2)
		n += log_escape(msg, m, buf + n, sizeof(buf) - 1 - n);
	if (n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, n) < 0)
		return;
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	if (lvl > log_lvl)
		return;
	va_start(ap, fmt);
	log_vwrite(lvl, fmt, ap);
	va_end(ap);
}

void
log_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}

void
log_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_ERROR, fmt, ap);
	va_end(ap);
	abort();
}

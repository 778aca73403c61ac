/*
 * NAME
 *	result - what a plugin run means, the Nagios way
 * DESCRIPTION
 *	See result.h. Pure functions, no I/O.
 * DIAGNOSTICS
 *	None.
 */
#include "result.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *
signal_name(int signo)
{
	const char *n = sigabbrev_np(signo);

	return n != NULL ? n : "unknown";
}

int
result_from_outcome(const struct plugin_outcome *o, char **text)
{
	struct strbuf b = { 0 };
	char line[512];
	int status;
	const char *out = o->out != NULL ? o->out : "";
	size_t outlen = o->outlen;

	if (o->timed_out) {
		snprintf(line, sizeof(line), "(%s check timed out after %d seconds)",
		    o->is_host ? "Host" : "Service", o->timeout);
		strbuf_adds(&b, line);
		if (outlen > 0) {
			strbuf_adds(&b, "\n");
			strbuf_add(&b, out, outlen);
		}
		status = o->timeout_state;
	} else if (o->exec_errno != 0) {
		snprintf(line, sizeof(line),
		    "(plugin exited 127: not found or not executable: %s: %s)",
		    o->plugin != NULL ? o->plugin : "?", strerror(o->exec_errno));
		strbuf_adds(&b, line);
		status = STATUS_UNKNOWN;
	} else if (!o->exited) {
		snprintf(line, sizeof(line), "(plugin killed by signal %d (SIG%s))",
		    o->signo, signal_name(o->signo));
		strbuf_adds(&b, line);
		if (outlen > 0) {
			strbuf_adds(&b, " ");
			strbuf_add(&b, out, outlen);
		}
		status = STATUS_UNKNOWN;
	} else if (o->exit_code < 0 || o->exit_code > 3) {
		size_t el = 0;

		/* 126/127 from the plugin's own process: a missing interpreter
		 * or shared library, whose loader says which on stderr */
		while (el < o->errlen && el < 300 && o->err[el] != '\n' && o->err[el] != '\r')
			el++;
		if ((o->exit_code == 126 || o->exit_code == 127) && el > 0)
			snprintf(line, sizeof(line), "(plugin exited %d: %s: %.*s)", o->exit_code,
			    o->plugin != NULL ? o->plugin : "?", (int)el, o->err);
		else if (o->exit_code == 126 || o->exit_code == 127)
			snprintf(line, sizeof(line),
			    "(plugin exited %d: not found or not executable: %s)",
			    o->exit_code, o->plugin != NULL ? o->plugin : "?");
		else
			snprintf(line, sizeof(line),
			    "(plugin exited %d: not a Nagios plugin status, 0-3 expected)",
			    o->exit_code);
		strbuf_adds(&b, line);
		if (outlen > 0) {
			strbuf_adds(&b, " ");
			strbuf_add(&b, out, outlen);
		}
		status = STATUS_UNKNOWN;
	} else {
		status = o->exit_code;
		if (outlen > 0)
			strbuf_add(&b, out, outlen);
	}

	if (outlen == 0 && !o->timed_out && o->exec_errno == 0 &&
	    o->exited && o->exit_code >= 0 && o->exit_code <= 3) {
		strbuf_adds(&b, "(No output on stdout)");
		if (o->errlen > 0) {
			strbuf_adds(&b, " stderr: ");
			strbuf_add(&b, o->err, o->errlen);
		}
	}
	if (o->out_truncated) {
		snprintf(line, sizeof(line),
		    "\n(output truncated: the plugin wrote more than %zu bytes)",
		    o->output_limit);
		strbuf_adds(&b, line);
	}
	if (b.s == NULL)
		strbuf_adds(&b, "");
	*text = util_utf8_clean(b.s, b.len, NULL);
	free(b.s);
	return status;
}

/* Copy s[0..n) without leading/trailing white space. */
static char *
trimdup(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static void
perf_add(struct strbuf *pd, const char *s, size_t n)
{
	char *t = trimdup(s, n);

	if (*t != '\0') {
		if (pd->len > 0)
			strbuf_adds(pd, " ");
		strbuf_adds(pd, t);
	}
	free(t);
}

void
result_split(const char *text, struct result_text *rt)
{
	struct strbuf lo = { 0 }, pd = { 0 };
	const char *eol = strchr(text, '\n');
	size_t l1 = eol != NULL ? (size_t)(eol - text) : strlen(text);
	const char *bar = memchr(text, '|', l1);
	const char *p;

	if (bar != NULL) {
		rt->output = trimdup(text, (size_t)(bar - text));
		perf_add(&pd, bar + 1, l1 - (size_t)(bar + 1 - text));
	} else
		rt->output = trimdup(text, l1);

	p = eol != NULL ? eol + 1 : NULL;
	while (p != NULL && *p != '\0') {
		const char *e = strchr(p, '\n');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		const char *b2 = memchr(p, '|', n);

		if (b2 != NULL) {
			/* Text before the bar ends the long output; everything
			 * after it, all remaining lines, is perfdata. */
			if (b2 > p) {
				if (lo.len > 0)
					strbuf_adds(&lo, "\n");
				strbuf_add(&lo, p, (size_t)(b2 - p));
			}
			{
				const char *q = b2 + 1;

				while (*q != '\0') {
					const char *qe = strchr(q, '\n');
					size_t qn = qe != NULL ? (size_t)(qe - q) : strlen(q);

					perf_add(&pd, q, qn);
					q = qe != NULL ? qe + 1 : q + qn;
				}
			}
			break;
		}
		if (lo.len > 0)
			strbuf_adds(&lo, "\n");
		strbuf_add(&lo, p, n);
		p = e != NULL ? e + 1 : NULL;
	}
	rt->long_output = lo.s != NULL ? trimdup(lo.s, lo.len) : xstrdup("");
	rt->perfdata = pd.s != NULL ? pd.s : xstrdup("");
	free(lo.s);
}

void
result_text_clear(struct result_text *rt)
{
	free(rt->output);
	free(rt->long_output);
	free(rt->perfdata);
	memset(rt, 0, sizeof(*rt));
}

static const char *const service_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
static const char *const host_names[] = { "UP", "DOWN", "UNREACHABLE" };

const char *
result_state_name(int state, int is_host)
{
	if (state == STATE_PENDING)
		return "PENDING";
	if (is_host)
		return state >= 0 && state <= 2 ? host_names[state] : "UNKNOWN";
	return state >= 0 && state <= 3 ? service_names[state] : "UNKNOWN";
}

int
result_state_parse(const char *s, int is_host)
{
	int i;

	if (s[0] >= '0' && s[0] <= '3' && s[1] == '\0')
		return s[0] - '0';
	for (i = 0; i < 4; i++)
		if (strcasecmp(s, service_names[i]) == 0)
			return i;
	/* Host states map to the plugin status that produces them. */
	if (is_host) {
		if (strcasecmp(s, "UP") == 0)
			return STATUS_OK;
		if (strcasecmp(s, "DOWN") == 0 || strcasecmp(s, "UNREACHABLE") == 0)
			return STATUS_CRITICAL;
	}
	return -1;
}

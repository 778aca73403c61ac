/*
 * NAME
 *	result - what a plugin run means, the Nagios way
 * DESCRIPTION
 *	result_from_outcome() turns how a plugin process ended (exit code,
 *	signal, timeout, exec failure, its stdout/stderr) into a check status
 *	0..3 and the text the engine stores, following SEMANTICS.md "Plugin
 *	results": any exit code but 0-3 is UNKNOWN with a reason; a signal is
 *	UNKNOWN naming it; a timeout is the check's timeout_state with
 *	"(Service check timed out after N seconds)"; no stdout gives
 *	"(No output on stdout)" plus stderr; a cut output is marked.
 *
 *	result_split() splits that text into output, long output and perfdata:
 *	line 1 up to the first '|' is the output, after it perfdata; later
 *	lines are long output until the first later line containing '|',
 *	after which everything is perfdata; perfdata pieces join with a space.
 * DIAGNOSTICS
 *	None: every outcome maps to a result.
 */
#ifndef VIGIL_RESULT_H
#define VIGIL_RESULT_H

#include <stddef.h>

enum check_status {
	STATUS_OK = 0,
	STATUS_WARNING = 1,
	STATUS_CRITICAL = 2,
	STATUS_UNKNOWN = 3,
};

/* Host states (Nagios numbering). */
enum host_status {
	HOST_UP = 0,
	HOST_DOWN = 1,
	HOST_UNREACHABLE = 2,
};

#define STATE_PENDING (-1)

struct plugin_outcome {
	int exited;		/* exit_code valid */
	int exit_code;
	int signo;
	int timed_out;
	int exec_errno;
	const char *out;	/* stdout (may contain NUL, not UTF-8) */
	size_t outlen;
	int out_truncated;
	const char *err;	/* stderr */
	size_t errlen;
	size_t output_limit;	/* for the truncation mark */
	int timeout;		/* seconds, for the timeout message */
	int timeout_state;	/* status to report on timeout */
	int is_host;		/* "Host check timed out" */
	const char *plugin;	/* argv[0], named when it cannot run */
};

/* Status 0..3; *text is a fresh UTF-8 string (caller frees). */
int result_from_outcome(const struct plugin_outcome *o, char **text);

struct result_text {
	char *output;		/* first line before '|', trimmed */
	char *long_output;	/* "" when none */
	char *perfdata;		/* "" when none */
};

void result_split(const char *text, struct result_text *rt);
void result_text_clear(struct result_text *rt);

/* "OK", "WARNING", …; for hosts "UP", "DOWN", "UNREACHABLE"; "PENDING". */
const char *result_state_name(int state, int is_host);
/* Parse a plugin status: a number 0..3 or a state name (case-insensitive);
 * for hosts UP gives 0 and DOWN/UNREACHABLE 2. -1 if invalid. */
int result_state_parse(const char *s, int is_host);

#endif

/*
 * NAME
 *	quorum - one status for a check run from several locations
 * DESCRIPTION
 *	See quorum.h. quorum_status() counts the votes per severity and walks
 *	down from CRITICAL: the first severity at which the running count
 *	reaches the quorum is the answer (the quorum-th worst vote).
 * DIAGNOSTICS
 *	None.
 */
#include "quorum.h"
#include "result.h"
#include "strbuf.h"

#include <stdio.h>
#include <string.h>

/* By severity rank: the status it stands for. */
static const int quorum_by_rank[4] = {
	STATUS_OK, STATUS_WARNING, STATUS_UNKNOWN, STATUS_CRITICAL,
};

int
quorum_severity(int status)
{
	switch (status) {
	case STATUS_OK:
		return 0;
	case STATUS_WARNING:
		return 1;
	case STATUS_CRITICAL:
		return 3;
	default:
		return 2;	/* UNKNOWN, and anything a plugin should not say */
	}
}

static size_t
clamp_quorum(int quorum, size_t n)
{
	if (quorum < 1)
		return 1;
	return (size_t)quorum > n ? n : (size_t)quorum;
}

int
quorum_status(const struct quorum_vote *v, size_t n, int quorum)
{
	size_t count[4] = { 0 }, seen = 0, q = clamp_quorum(quorum, n);

	for (size_t i = 0; i < n; i++)
		count[quorum_severity(v[i].status)]++;
	for (int rank = 3; rank > 0; rank--) {
		seen += count[rank];
		if (seen >= q)
			return quorum_by_rank[rank];
	}
	return STATUS_OK;
}

/* Does vote v back the combined status? */
static int
backs(const struct quorum_vote *v, int status)
{
	if (status == STATUS_OK)
		return v->status == STATUS_OK;
	return quorum_severity(v->status) >= quorum_severity(status);
}

/* s as one line of the output: no perfdata bar, no line break. */
static void
add_line(struct strbuf *b, const char *s)
{
	size_t start = b->len;

	strbuf_adds(b, s != NULL && *s != '\0' ? s : "(no output)");
	for (size_t i = start; i < b->len; i++)
		if (b->s[i] == '|' || b->s[i] == '\n' || b->s[i] == '\r')
			b->s[i] = ' ';
}

char *
quorum_text(const struct quorum_vote *v, size_t n, int quorum, int status)
{
	struct strbuf b = { NULL, 0, 0 };
	size_t k = 0, listed = 0;
	char head[128];

	for (size_t i = 0; i < n; i++)
		k += backs(&v[i], status);
	snprintf(head, sizeof(head), "%s from %zu of %zu locations (quorum %zu): ",
	    result_state_name(status, 0), k, n, clamp_quorum(quorum, n));
	strbuf_adds(&b, head);
	for (size_t i = 0; i < n; i++) {
		if (!backs(&v[i], status))
			continue;
		if (listed++ > 0)
			strbuf_adds(&b, "; ");
		strbuf_adds(&b, v[i].pool);
		strbuf_adds(&b, ": ");
		add_line(&b, v[i].output);
	}
	for (size_t i = 0; i < n; i++) {
		strbuf_adds(&b, "\n");
		strbuf_adds(&b, v[i].pool);
		strbuf_adds(&b, ": ");
		strbuf_adds(&b, result_state_name(v[i].status >= 0 && v[i].status <= 3 ?
		    v[i].status : STATUS_UNKNOWN, 0));
		strbuf_adds(&b, ": ");
		add_line(&b, v[i].output);
	}
	return b.s;
}

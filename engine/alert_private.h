/*
 * NAME
 *	alert_private - what alert.c, command.c and downtime.c share
 * DESCRIPTION
 *	Not for outside engine/. alert.c decides and writes notifications
 *	(storms, digests, deliveries); command.c applies the commands
 *	(ack, unack, downtime, cancel, custom) and logs them; downtime.c keeps
 *	each check's downtimes (start, end, flexible ones triggered by a
 *	problem) and their rows.
 */
#ifndef VIGIL_ALERT_PRIVATE_H
#define VIGIL_ALERT_PRIVATE_H

#include "alert.h"
#include "config.h"
#include "depend.h"
#include "jsonw.h"
#include "log.h"
#include "msg.h"
#include "notify.h"
#include "pg.h"
#include "result.h"
#include "state.h"
#include "util.h"
#include "xalloc.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALERT_RECENT_COMMANDS 1024	/* command ids remembered against redelivery */

/* A notification held back for one contact until its storm's digest. */
struct held {
	char notification[UTIL_ID_LEN + 1];
	struct notification_msg m;	/* its facts (no channel, no id) */
};

struct storm {
	char *contact;
	double *recent;		/* PROBLEM/RECOVERY times within the window */
	size_t nrecent, caprecent;
	struct held *held;
	size_t nheld, capheld;
	double flush_at;	/* 0: nothing held */
};

/* alert.c */
const char *alert_check_name(const struct check *c);
void alert_decide(struct alert *a, struct check *c, int type, int old_state,
    const char *long_output, const char *perfdata, const char *author, const char *comment,
    double now);
struct strbuf *alert_item(struct strbuf *b);

/* command.c */
void command_remember(struct alert *a, const char *id);

/* downtime.c */
void downtime_tick(struct alert *a, struct check *c, double now);
void downtime_row(struct alert *a, const char *op, const struct check *c,
    const struct downtime *dt, double t, int cancelled);
void downtime_start(struct alert *a, struct check *c, struct downtime *dt, double now);
void downtime_end(struct alert *a, struct check *c, size_t i, double now, int cancelled);

/* The storm of a contact (alert.c), NULL if none. */
struct storm *storm_find(struct alert *a, const char *contact);

#endif

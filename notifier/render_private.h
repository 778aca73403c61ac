/*
 * NAME
 *	render_private - what render.c and email.c share
 * DESCRIPTION
 *	Not for outside notifier/. render.c holds the macros every text goes
 *	through, Slack's and the webhook's JSON and a command's argv; email.c
 *	the email: subject, body (built-in or template) and the RFC 5322
 *	message.
 */
#ifndef VIGIL_RENDER_PRIVATE_H
#define VIGIL_RENDER_PRIVATE_H

#include "render.h"
#include "config.h"
#include "macro.h"
#include "msg.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* A body line longer than this is broken (SMTP allows 998 bytes). */
#define RENDER_LINE_MAX		990
/* Bytes of UTF-8 text per RFC 2047 encoded word (75 chars at most). */
#define RENDER_WORD_BYTES	42
/* The subject is cut here: one line of a mail client, not a novel. */
#define RENDER_SUBJECT_MAX	400

/* render.c */
int render_is_digest(const struct notification_msg *n);
const char *render_str(const char *s);
char *render_expand_valid(const struct notification_msg *n, const struct config *cfg,
    const char *tmpl, int slack);
int render_wants_ack_hint(const struct notification_msg *n);

#endif

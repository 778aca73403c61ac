/*
 * NAME
 *	mq_tag - the authentication header (auth.h) on an AMQP publish
 * DESCRIPTION
 *	For every publisher built on librabbitmq (mq.c, mqcli.c, the bench
 *	publisher): mq_tag_props() tags body for routing_key with a's signing
 *	key and points p's headers at the tag, which lives in t: keep t until
 *	the publish call returned. Any other header p had is replaced.
 */
#ifndef VIGIL_MQ_TAG_H
#define VIGIL_MQ_TAG_H

#include <amqp.h>
#include <stddef.h>

#include "auth.h"

struct mq_tag {
	amqp_table_entry_t entry;
	char text[AUTH_TAG_MAX];
};

void mq_tag_props(struct mq_tag *t, const struct auth *a, const char *routing_key,
    const void *body, size_t len, amqp_basic_properties_t *p);

#endif

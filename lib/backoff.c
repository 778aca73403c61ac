/*
 * NAME
 *	backoff - the one reconnect delay of vigil (see backoff.h)
 */
#include "backoff.h"
#include "util.h"

double
backoff_next(struct backoff *b)
{
	double d = b->next;

	b->next = b->next * 2 > b->max ? b->max : b->next * 2;
	return d;
}

void
backoff_sleep(struct backoff *b)
{
	util_sleep(backoff_next(b));
}

void
backoff_reset(struct backoff *b)
{
	b->next = b->min;
}

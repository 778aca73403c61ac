/*
 * NAME
 *	fuzz_msg - every message decoder: job, result, command, heartbeat,
 *	notification (lib/msg*.c); what decodes is encoded again and decoded
 *	once more, which must succeed
 */
#include "fuzz.h"
#include "msg.h"

#include <stdlib.h>
#include <string.h>

#if !defined(FUZZ_ONLY) || FUZZ_ONLY == 1
FUZZ_TARGET(job)
{
	struct job j, k;
	char err[256], *s;
	size_t len;

	if (msg_job_decode(data, size, &j, err, sizeof(err)) < 0)
		return 0;
	s = msg_job_encode(&j, &len);
	if (msg_job_decode(s, len, &k, err, sizeof(err)) < 0)
		abort();	/* what we made we must read */
	msg_job_clear(&k);
	free(s);
	msg_job_clear(&j);
	return 0;
}
#endif

#if !defined(FUZZ_ONLY) || FUZZ_ONLY == 2
FUZZ_TARGET(result)
{
	struct result_msg r;
	char err[256], *s;
	size_t len;

	if (msg_result_decode(data, size, &r, err, sizeof(err)) < 0)
		return 0;
	s = msg_result_encode(&r, &len);
	free(s);
	msg_result_clear(&r);
	return 0;
}
#endif

#if !defined(FUZZ_ONLY) || FUZZ_ONLY == 3
FUZZ_TARGET(command)
{
	struct command_msg c;
	char err[256], *s;

	if (msg_command_decode(data, size, &c, err, sizeof(err)) < 0)
		return 0;
	s = msg_command_encode(&c, NULL);
	free(s);
	msg_command_clear(&c);
	return 0;
}
#endif

#if !defined(FUZZ_ONLY) || FUZZ_ONLY == 4
FUZZ_TARGET(heartbeat)
{
	struct worker_msg w;
	char err[256];

	if (msg_worker_decode(data, size, &w, err, sizeof(err)) == 0)
		msg_worker_clear(&w);
	return 0;
}
#endif

#if !defined(FUZZ_ONLY) || FUZZ_ONLY == 5
FUZZ_TARGET(notification)
{
	struct notification_msg n;
	char err[256];

	if (msg_notification_decode(data, size, &n, err, sizeof(err)) == 0)
		msg_notification_clear(&n);
	return 0;
}
#endif

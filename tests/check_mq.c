/*
 * NAME
 *	check_mq - deliveries assembled from AMQP frames, confirms, and a
 *	broken stream losing the connection (lib/mq_frame.c, lib/mq.c)
 * DESCRIPTION
 *	Frames are built by hand, as librabbitmq decodes them, and fed to
 *	mq_frame_handle() on a connection marked up (no broker: what is
 *	tested is the assembly, not the socket). Consumer channels are
 *	numbered as mq_consume() numbers them: the first consumer's is 2.
 */
#include <check.h>
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "lib/mq_private.h"
#include "tests/testutil.h"

#define FIRST_CONSUMER_CHANNEL (MQ_CHANNEL + 1)

struct seen {
	int deliveries, other, downs, confirms;
	char body[256];
	size_t len;
	uint64_t tag;
	uint16_t channel;
	int redelivered;
	char message_id[64], exchange[64], routing_key[64], consumer[64];
	char death_reason[64], death_queue[64];
	int64_t death_count;
	uint64_t confirm_seq;
	int confirm_multiple, confirm_nack;
	int up_in_down;		/* mq_is_up() as the down callback saw it */
	size_t oversize;
	enum auth_verdict auth;
};

static struct seen seen;

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src != NULL ? src : "(null)");
}

static void
on_consumer(struct mq *mq, const struct mq_msg *m, void *arg)
{
	seen.deliveries++;
	seen.len = m->len;
	memcpy(seen.body, m->body, m->len < sizeof(seen.body) ? m->len : sizeof(seen.body) - 1);
	seen.tag = m->ref.tag;
	seen.channel = m->ref.channel;
	seen.redelivered = m->redelivered;
	copy(seen.message_id, sizeof(seen.message_id), m->message_id);
	copy(seen.exchange, sizeof(seen.exchange), m->exchange);
	copy(seen.routing_key, sizeof(seen.routing_key), m->routing_key);
	copy(seen.consumer, sizeof(seen.consumer), m->consumer);
	copy(seen.death_reason, sizeof(seen.death_reason), m->death_reason);
	copy(seen.death_queue, sizeof(seen.death_queue), m->death_queue);
	seen.death_count = m->death_count;
	seen.oversize = m->oversize;
	seen.auth = m->auth;
}

static void
on_other(struct mq *mq, const struct mq_msg *m, void *arg)
{
	seen.other++;
}

static void
on_confirm(struct mq *mq, uint64_t seq, int multiple, int nack, void *arg)
{
	seen.confirms++;
	seen.confirm_seq = seq;
	seen.confirm_multiple = multiple;
	seen.confirm_nack = nack;
}

static void
on_down(struct mq *mq, void *arg)
{
	seen.downs++;
	seen.up_in_down = mq_is_up(mq);
}

static struct mq *
mq_up(void)
{
	static const struct mq_handlers h = { NULL, on_other, on_confirm, on_down };
	struct mq *mq = mq_new(EV_DEFAULT, "amqp://127.0.0.1:1/", "test", &h, NULL);

	memset(&seen, 0, sizeof(seen));
	mq->state = MQ_UP;	/* as after a setup; no socket is read */
	mq->gen = 1;
	mq->consumers[0].fn = on_consumer;
	mq->nconsumers = 1;
	return mq;
}

static void
deliver(struct mq *mq, uint16_t channel, uint64_t tag, int redelivered)
{
	amqp_basic_deliver_t d = { 0 };
	amqp_frame_t f = { 0 };

	d.consumer_tag = amqp_cstring_bytes("q.results");
	d.delivery_tag = tag;
	d.redelivered = (amqp_boolean_t)redelivered;
	d.exchange = amqp_cstring_bytes("x.results");
	d.routing_key = amqp_cstring_bytes("web-01");
	f.frame_type = AMQP_FRAME_METHOD;
	f.channel = channel;
	f.payload.method.id = AMQP_BASIC_DELIVER_METHOD;
	f.payload.method.decoded = &d;
	mq_frame_handle(mq, &f);
}

static void
header(struct mq *mq, uint16_t channel, uint64_t size, amqp_basic_properties_t *p)
{
	amqp_basic_properties_t none = { 0 };
	amqp_frame_t f = { 0 };

	f.frame_type = AMQP_FRAME_HEADER;
	f.channel = channel;
	f.payload.properties.class_id = AMQP_BASIC_CLASS;
	f.payload.properties.body_size = size;
	f.payload.properties.decoded = p != NULL ? p : &none;
	mq_frame_handle(mq, &f);
}

static void
body(struct mq *mq, uint16_t channel, const char *s)
{
	amqp_frame_t f = { 0 };

	f.frame_type = AMQP_FRAME_BODY;
	f.channel = channel;
	f.payload.body_fragment = amqp_cstring_bytes(s);
	mq_frame_handle(mq, &f);
}

static void
method(struct mq *mq, uint16_t channel, amqp_method_number_t id, void *decoded)
{
	amqp_frame_t f = { 0 };

	f.frame_type = AMQP_FRAME_METHOD;
	f.channel = channel;
	f.payload.method.id = id;
	f.payload.method.decoded = decoded;
	mq_frame_handle(mq, &f);
}

START_TEST(a_delivery_in_several_body_frames_reaches_its_consumers_handler_whole)
{
	struct mq *mq = mq_up();
	amqp_basic_properties_t p = { 0 };
	const uint16_t ch = FIRST_CONSUMER_CHANNEL;

	p._flags = AMQP_BASIC_MESSAGE_ID_FLAG;
	p.message_id = amqp_cstring_bytes("job-17");
	deliver(mq, ch, 7, 1);
	header(mq, ch, 10, &p);
	body(mq, ch, "hello");
	ck_assert_int_eq(seen.deliveries, 0);	/* half a body is no message */
	body(mq, ch, "world");
	ck_assert_int_eq(seen.deliveries, 1);
	ck_assert_int_eq(seen.other, 0);
	ck_assert_uint_eq(seen.len, 10);
	ck_assert_str_eq(seen.body, "helloworld");
	ck_assert_uint_eq(seen.tag, 7);
	ck_assert_uint_eq(seen.channel, ch);
	ck_assert_int_eq(seen.redelivered, 1);
	ck_assert_str_eq(seen.message_id, "job-17");
	ck_assert_str_eq(seen.exchange, "x.results");
	ck_assert_str_eq(seen.routing_key, "web-01");
	ck_assert_str_eq(seen.consumer, "q.results");
	ck_assert_str_eq(seen.death_reason, "(null)");
	/* The next message starts clean. */
	deliver(mq, ch, 8, 0);
	header(mq, ch, 3, NULL);
	body(mq, ch, "abc");
	ck_assert_int_eq(seen.deliveries, 2);
	ck_assert_str_eq(seen.message_id, "(null)");
	ck_assert_uint_eq(seen.tag, 8);
	ck_assert(mq_is_up(mq));
	mq_free(mq);
}
END_TEST

/* Over mq_set_max_body(): read as it comes and dropped, never held; the
 * handler hears of it with its size, and the next message is whole. */
START_TEST(a_body_over_the_limit_is_dropped_as_it_arrives_and_reported)
{
	struct mq *mq = mq_up();
	const uint16_t ch = FIRST_CONSUMER_CHANNEL;

	mq_set_max_body(mq, 8);
	deliver(mq, ch, 1, 0);
	header(mq, ch, 10, NULL);
	ck_assert_ptr_null(mq->body);	/* nothing allocated for it */
	body(mq, ch, "hello");
	body(mq, ch, "world");
	ck_assert_int_eq(seen.deliveries, 1);
	ck_assert_uint_eq(seen.oversize, 10);
	ck_assert_uint_eq(seen.len, 0);
	deliver(mq, ch, 2, 0);
	header(mq, ch, 8, NULL);
	body(mq, ch, "12345678");
	ck_assert_int_eq(seen.deliveries, 2);
	ck_assert_uint_eq(seen.oversize, 0);
	ck_assert_str_eq(seen.body, "12345678");
	ck_assert(mq_is_up(mq));
	mq_free(mq);
}
END_TEST

/* The x-vigil-auth header is checked against the keys set: right, wrong,
 * absent; mq_trusted() takes the untagged only when told to. */
START_TEST(the_authentication_header_is_checked_on_delivery)
{
	struct mq *mq = mq_up();
	const uint16_t ch = FIRST_CONSUMER_CHANNEL;
	char *dir = tu_tmpdir(), *path, err[256], tag[AUTH_TAG_MAX];
	struct auth *a;
	amqp_basic_properties_t p = { 0 };
	amqp_table_entry_t h;
	struct mq_msg m = { 0 };

	path = tu_write_file(dir, "k", "k1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_ptr_nonnull(a = auth_load(path, err, sizeof(err)));
	mq_set_auth(mq, a, 0);
	auth_sign(a, "web-01", "abc", 3, tag);	/* deliver() routes with "web-01" */
	h.key = amqp_cstring_bytes(AUTH_HEADER);
	h.value.kind = AMQP_FIELD_KIND_UTF8;
	h.value.value.bytes = amqp_cstring_bytes(tag);
	p._flags = AMQP_BASIC_HEADERS_FLAG;
	p.headers.num_entries = 1;
	p.headers.entries = &h;
	deliver(mq, ch, 1, 0);
	header(mq, ch, 3, &p);
	body(mq, ch, "abc");
	ck_assert_int_eq(seen.auth, AUTH_OK);
	deliver(mq, ch, 2, 0);
	header(mq, ch, 3, &p);
	body(mq, ch, "abd");	/* one byte changed */
	ck_assert_int_eq(seen.auth, AUTH_BAD);
	deliver(mq, ch, 3, 0);
	header(mq, ch, 3, NULL);
	body(mq, ch, "abc");
	ck_assert_int_eq(seen.auth, AUTH_NONE);
	m.auth = AUTH_NONE;
	ck_assert(!mq_trusted(mq, &m));
	mq_set_auth(mq, a, 1);
	ck_assert(mq_trusted(mq, &m));
	m.auth = AUTH_BAD;
	ck_assert(!mq_trusted(mq, &m));
	mq_free(mq);
	auth_free(a);
	free(path);
	tu_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(an_empty_body_is_delivered_at_its_header)
{
	struct mq *mq = mq_up();

	deliver(mq, FIRST_CONSUMER_CHANNEL, 1, 0);
	header(mq, FIRST_CONSUMER_CHANNEL, 0, NULL);
	ck_assert_int_eq(seen.deliveries, 1);
	ck_assert_uint_eq(seen.len, 0);
	mq_free(mq);
}
END_TEST

START_TEST(a_channel_without_a_handler_of_its_own_goes_to_the_default_handler)
{
	struct mq *mq = mq_up();
	const uint16_t ch = FIRST_CONSUMER_CHANNEL + 3;

	deliver(mq, ch, 1, 0);
	header(mq, ch, 1, NULL);
	body(mq, ch, "x");
	ck_assert_int_eq(seen.deliveries, 0);
	ck_assert_int_eq(seen.other, 1);
	mq_free(mq);
}
END_TEST

START_TEST(x_death_reason_queue_and_count_are_read_from_the_headers)
{
	struct mq *mq = mq_up();
	amqp_basic_properties_t p = { 0 };
	amqp_table_entry_t death[3], top[1];
	amqp_field_value_t arr[1];

	death[0].key = amqp_cstring_bytes("reason");
	death[0].value.kind = AMQP_FIELD_KIND_UTF8;
	death[0].value.value.bytes = amqp_cstring_bytes("expired");
	death[1].key = amqp_cstring_bytes("queue");
	death[1].value.kind = AMQP_FIELD_KIND_UTF8;
	death[1].value.value.bytes = amqp_cstring_bytes("vigil.jobs.default");
	death[2].key = amqp_cstring_bytes("count");
	death[2].value.kind = AMQP_FIELD_KIND_I64;
	death[2].value.value.i64 = 3;
	arr[0].kind = AMQP_FIELD_KIND_TABLE;
	arr[0].value.table.num_entries = 3;
	arr[0].value.table.entries = death;
	top[0].key = amqp_cstring_bytes("x-death");
	top[0].value.kind = AMQP_FIELD_KIND_ARRAY;
	top[0].value.value.array.num_entries = 1;
	top[0].value.value.array.entries = arr;
	p._flags = AMQP_BASIC_HEADERS_FLAG;
	p.headers.num_entries = 1;
	p.headers.entries = top;
	deliver(mq, FIRST_CONSUMER_CHANNEL, 1, 0);
	header(mq, FIRST_CONSUMER_CHANNEL, 2, &p);
	body(mq, FIRST_CONSUMER_CHANNEL, "{}");
	ck_assert_int_eq(seen.deliveries, 1);
	ck_assert_str_eq(seen.death_reason, "expired");
	ck_assert_str_eq(seen.death_queue, "vigil.jobs.default");
	ck_assert_int_eq(seen.death_count, 3);
	mq_free(mq);
}
END_TEST

START_TEST(a_returned_message_is_read_and_dropped)
{
	struct mq *mq = mq_up();
	amqp_basic_return_t r = { 0 };

	method(mq, MQ_CHANNEL, AMQP_BASIC_RETURN_METHOD, &r);
	header(mq, MQ_CHANNEL, 4, NULL);
	body(mq, MQ_CHANNEL, "lost");
	ck_assert_int_eq(seen.deliveries + seen.other, 0);
	/* and the stream goes on */
	deliver(mq, FIRST_CONSUMER_CHANNEL, 2, 0);
	header(mq, FIRST_CONSUMER_CHANNEL, 2, NULL);
	body(mq, FIRST_CONSUMER_CHANNEL, "ok");
	ck_assert_int_eq(seen.deliveries, 1);
	ck_assert(mq_is_up(mq));
	mq_free(mq);
}
END_TEST

START_TEST(publisher_confirms_and_refusals_reach_the_confirm_callback)
{
	struct mq *mq = mq_up();
	amqp_basic_ack_t a = { 41, 1 };
	amqp_basic_nack_t n = { 42, 0, 0 };

	method(mq, MQ_CHANNEL, AMQP_BASIC_ACK_METHOD, &a);
	ck_assert_int_eq(seen.confirms, 1);
	ck_assert_uint_eq(seen.confirm_seq, 41);
	ck_assert_int_eq(seen.confirm_multiple, 1);
	ck_assert_int_eq(seen.confirm_nack, 0);
	method(mq, MQ_CHANNEL, AMQP_BASIC_NACK_METHOD, &n);
	ck_assert_int_eq(seen.confirms, 2);
	ck_assert_uint_eq(seen.confirm_seq, 42);
	ck_assert_int_eq(seen.confirm_multiple, 0);
	ck_assert_int_eq(seen.confirm_nack, 1);
	mq_free(mq);
}
END_TEST

/* A stream that cannot be right loses the connection at once (nothing of
 * the broken message is delivered), and the owner hears of it from the
 * loop, after the call that noticed it returned: never from inside. */
enum broken { OVERSIZED_BODY, INTERLEAVED, DELIVERY_BEFORE_THE_LAST_ENDED, CONSUMER_CANCELLED };

static const char *const broken_name[] = {
	"a body frame larger than announced", "frames of two channels interleaved",
	"a delivery before the previous one ended", "the broker cancelled a consumer",
};

START_TEST(a_broken_stream_loses_the_connection_and_down_runs_later_from_the_loop)
{
	struct mq *mq = mq_up();
	const uint16_t ch = FIRST_CONSUMER_CHANNEL;
	amqp_basic_cancel_t cancel = { 0 };

	deliver(mq, ch, 1, 0);
	header(mq, ch, 4, NULL);
	switch ((enum broken)_i) {
	case OVERSIZED_BODY:
		body(mq, ch, "too long");
		break;
	case INTERLEAVED:
		body(mq, ch + 1, "ab");
		break;
	case DELIVERY_BEFORE_THE_LAST_ENDED:
		deliver(mq, ch, 2, 0);
		break;
	case CONSUMER_CANCELLED:
		method(mq, ch, AMQP_BASIC_CANCEL_METHOD, &cancel);
		break;
	}
	ck_assert_msg(!mq_is_up(mq), "%s: still up", broken_name[_i]);
	ck_assert_msg(seen.downs == 0, "%s: down ran inside the call", broken_name[_i]);
	ck_assert_int_eq(seen.deliveries, 0);
	ev_run(EV_DEFAULT, EVRUN_NOWAIT);
	ck_assert_msg(seen.downs == 1, "%s: down ran %d times", broken_name[_i], seen.downs);
	ck_assert_int_eq(seen.up_in_down, 0);
	mq_free(mq);	/* also stops the reconnect timer */
}
END_TEST

/* The owner stopping the connection before the loop ran: no down. */
START_TEST(a_loss_the_owner_has_not_heard_of_is_dropped_by_mq_stop)
{
	struct mq *mq = mq_up();

	deliver(mq, FIRST_CONSUMER_CHANNEL, 1, 0);
	header(mq, FIRST_CONSUMER_CHANNEL, 1, NULL);
	body(mq, FIRST_CONSUMER_CHANNEL, "xx");
	ck_assert(!mq_is_up(mq));
	mq_stop(mq);
	ev_run(EV_DEFAULT, EVRUN_NOWAIT);
	ck_assert_int_eq(seen.downs, 0);
	mq_free(mq);
}
END_TEST

static Suite *
mq_suite(void)
{
	Suite *s = suite_create("mq");
	TCase *tc = tcase_create("frames");

	tcase_add_test(tc, a_delivery_in_several_body_frames_reaches_its_consumers_handler_whole);
	tcase_add_test(tc, an_empty_body_is_delivered_at_its_header);
	tcase_add_test(tc, a_body_over_the_limit_is_dropped_as_it_arrives_and_reported);
	tcase_add_test(tc, the_authentication_header_is_checked_on_delivery);
	tcase_add_test(tc, a_channel_without_a_handler_of_its_own_goes_to_the_default_handler);
	tcase_add_test(tc, x_death_reason_queue_and_count_are_read_from_the_headers);
	tcase_add_test(tc, a_returned_message_is_read_and_dropped);
	tcase_add_test(tc, publisher_confirms_and_refusals_reach_the_confirm_callback);
	suite_add_tcase(s, tc);
	tc = tcase_create("loss");
	tcase_add_loop_test(tc, a_broken_stream_loses_the_connection_and_down_runs_later_from_the_loop,
	    0, (int)(sizeof(broken_name) / sizeof(broken_name[0])));
	tcase_add_test(tc, a_loss_the_owner_has_not_heard_of_is_dropped_by_mq_stop);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(mq_suite());
}

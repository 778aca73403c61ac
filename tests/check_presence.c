/*
 * NAME
 *	check_presence - live workers per pool from heartbeats: the window,
 *	clean stops, pending pools, deafness (engine/presence.c)
 * DESCRIPTION
 *	Each case is a script of steps at given times and what it must leave:
 *	every pool as "name=state,Lw,Cc" (L live workers, C checks) and every
 *	event in order as "t:event subject".
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_private.h"
#include "engine/presence.h"
#include "msg.h"
#include "xalloc.h"
#include "tests/testutil.h"

/* Steps: Listen, Deaf, Heartbeat (a = id, b = pool), Stopping heartbeat,
 * Tick, Checks (a = the checks' pools, comma-separated). */
struct step {
	char op;
	double t;
	const char *a, *b;
};

#define L(t) { 'L', t, NULL, NULL }
#define D(t) { 'D', t, NULL, NULL }
#define H(t, id, pool) { 'H', t, id, pool }
#define S(t, id, pool) { 'S', t, id, pool }
#define T(t) { 'T', t, NULL, NULL }
#define C(t, pools) { 'C', t, pools, NULL }
#define END { 0, 0, NULL, NULL }

static const struct {
	const char *name;
	struct step steps[12];
	const char *pools, *events;
} cases[] = {
	{ "a worker is live while its last heartbeat is younger than 15 s",
	  { L(0), C(0, "a"), H(1, "w1", "a"), T(15.9), END },
	  "a=ok,1w,1c", "1:joined w1@a" },
	{ "a worker silent for 15 s is lost and its pool has no worker",
	  { L(0), C(0, "a"), H(1, "w1", "a"), T(16), END },
	  "a=no_worker,0w,1c", "1:joined w1@a 16:lost w1@a 16:empty a" },
	{ "every heartbeat renews the window",
	  { L(0), C(0, "a"), H(1, "w1", "a"), H(6, "w1", "a"),
	    H(11, "w1", "a"), T(25), END },
	  "a=ok,1w,1c", "1:joined w1@a" },
	{ "a stopping heartbeat removes the worker at once",
	  { L(0), C(0, "a"), H(1, "w1", "a"), H(1, "w2", "a"),
	    S(2, "w1", "a"), END },
	  "a=ok,1w,1c", "1:joined w1@a 1:joined w2@a 2:stopped w1@a" },
	{ "the last worker stopping empties its pool at once, even before 15 s",
	  { L(0), C(0, "a"), H(1, "w1", "a"), S(2, "w1", "a"), END },
	  "a=no_worker,0w,1c", "1:joined w1@a 2:stopped w1@a 2:empty a" },
	{ "a stopping heartbeat of an unknown worker changes nothing",
	  { L(0), C(0, "a"), S(2, "w9", "a"), END },
	  "a=pending,0w,1c", "" },
	{ "a pool with checks and no worker is pending until the engine listened 15 s",
	  { L(0), C(0, "a,b"), H(1, "w1", "a"), T(14.9), END },
	  "a=ok,1w,1c b=pending,0w,1c", "1:joined w1@a" },
	{ "after 15 s of listening a pool never heard of has no worker",
	  { L(0), C(0, "a,b"), H(1, "w1", "a"), T(15), END },
	  "a=ok,1w,1c b=no_worker,0w,1c", "1:joined w1@a 15:empty b" },
	{ "time deaf before the first connect does not count for pending pools",
	  { C(0, "b"), T(30), L(30), T(44.9), END },
	  "b=pending,0w,1c", "" },
	{ "listening time adds up across deaf spells",
	  { C(0, "b"), L(0), D(10), L(100), T(104.9),
	    T(105), END },
	  "b=no_worker,0w,1c", "105:empty b" },
	{ "silence while the engine is deaf does not count against a worker",
	  { L(0), C(0, "a"), H(1, "w1", "a"), D(5), T(50),
	    L(100), T(110.9), END },
	  "a=ok,1w,1c", "1:joined w1@a" },
	{ "after deafness a silent worker is lost once the heard silence reaches 15 s",
	  { L(0), C(0, "a"), H(1, "w1", "a"), D(5), L(100),
	    T(111), END },
	  "a=no_worker,0w,1c", "1:joined w1@a 111:lost w1@a 111:empty a" },
	{ "a pool without checks is listed while it has a live worker",
	  { L(0), H(1, "w1", "x"), END },
	  "x=ok,1w,0c", "1:joined w1@x" },
	{ "a pool without checks goes with its last worker, silently",
	  { L(0), H(1, "w1", "x"), T(16), END },
	  "", "1:joined w1@x 16:lost w1@x" },
	{ "a pool that gets a worker again says so",
	  { L(0), C(0, "a"), H(1, "w1", "a"), T(16),
	    H(20, "w2", "a"), END },
	  "a=ok,1w,1c", "1:joined w1@a 16:lost w1@a 16:empty a 20:joined w2@a 20:live a" },
	{ "a lost worker that speaks again joins again",
	  { L(0), C(0, "a"), H(1, "w1", "a"), T(16),
	    H(17, "w1", "a"), END },
	  "a=ok,1w,1c", "1:joined w1@a 16:lost w1@a 16:empty a 17:joined w1@a 17:live a" },
	{ "checks are counted per pool",
	  { L(0), C(0, "a,b,a,a"), H(1, "w1", "a"), H(1, "w2", "b"),
	    H(1, "w3", "b"), END },
	  "a=ok,1w,3c b=ok,2w,1c", "1:joined w1@a 1:joined w2@b 1:joined w3@b" },
	{ "a reload that takes a pool's checks away drops it when it has no worker",
	  { L(0), C(0, "a,b"), H(1, "w1", "a"), T(15),
	    C(16, "a"), END },
	  "a=ok,1w,1c", "1:joined w1@a 15:empty b" },
	{ "a reload that adds a pool after 15 s of listening judges it at once",
	  { L(0), C(0, "a"), H(1, "w1", "a"), C(20, "a,c"), END },
	  "a=ok,1w,1c c=no_worker,0w,1c", "1:joined w1@a 20:empty c" },
	{ "a worker that moves to another pool leaves the first one",
	  { L(0), C(0, "a,b"), H(1, "w1", "a"), H(2, "w1", "b"), END },
	  "a=no_worker,0w,1c b=ok,1w,1c", "1:joined w1@a 2:empty a" },
	{ "an empty pool is reported once, not at every tick",
	  { L(0), C(0, "b"), T(15), T(16), T(17), END },
	  "b=no_worker,0w,1c", "15:empty b" },
};

static const char *const event_names[] = {
	[PRESENCE_WORKER_JOINED] = "joined",
	[PRESENCE_WORKER_STOPPED] = "stopped",
	[PRESENCE_WORKER_LOST] = "lost",
	[PRESENCE_POOL_EMPTY] = "empty",
	[PRESENCE_POOL_LIVE] = "live",
};

static void
heartbeat(struct presence *p, const char *id, const char *pool, int stopping, double t)
{
	struct worker_msg m = { .pool = (char *)pool, .host = "h", .id = (char *)id,
		.version = "test", .pid = 1, .concurrency = 4, .started = 0, .time = t,
		.stopping = stopping };

	presence_heartbeat(p, &m, t);
}

static void
set_checks(struct presence *p, const char *list, double t)
{
	char *copy = xstrdup(list), *save = NULL;
	const char *pools[16];
	size_t n = 0;

	for (char *tok = strtok_r(copy, ",", &save); tok != NULL && n < 16;
	    tok = strtok_r(NULL, ",", &save))
		pools[n++] = tok;
	presence_set_checks(p, pools, n, t);
	free(copy);
}

/* Append to a fixed buffer, separating items by a space. */
static void __attribute__((format(printf, 3, 4)))
add(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used > 0 && used + 1 < len)
		buf[used++] = ' ';
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static void
record_events(const struct presence *p, double t, char *out, size_t len)
{
	for (size_t i = 0; i < p->nevents; i++) {
		const struct presence_event *ev = &p->events[i];

		add(out, len, "%g:%s %s%s%s", t, event_names[ev->type],
		    ev->worker != NULL ? ev->worker : "", ev->worker != NULL ? "@" : "", ev->pool);
	}
}

START_TEST(liveness_follows_the_rules)
{
	struct presence p;
	char events[1024] = "", pools[1024] = "";

	presence_init(&p, PRESENCE_WINDOW);
	for (const struct step *s = cases[_i].steps; s->op != 0; s++) {
		switch (s->op) {
		case 'L':
			presence_listen(&p, s->t);
			break;
		case 'D':
			presence_deaf(&p, s->t);
			break;
		case 'H':
		case 'S':
			heartbeat(&p, s->a, s->b, s->op == 'S', s->t);
			break;
		case 'T':
			presence_tick(&p, s->t);
			break;
		case 'C':
			set_checks(&p, s->a, s->t);
			break;
		default:
			ck_abort_msg("bad step %c", s->op);
		}
		if (s->op != 'L' && s->op != 'D')	/* they leave events as they were */
			record_events(&p, s->t, events, sizeof(events));
	}
	for (size_t i = 0; i < p.npools; i++)
		add(pools, sizeof(pools), "%s=%s,%zuw,%zuc", p.pools[i].name,
		    presence_state_name(p.pools[i].state), p.pools[i].live, p.pools[i].checks);
	ck_assert_msg(strcmp(pools, cases[_i].pools) == 0,
	    "%s:\n  pools  \"%s\"\n  want   \"%s\"", cases[_i].name, pools, cases[_i].pools);
	ck_assert_msg(strcmp(events, cases[_i].events) == 0,
	    "%s:\n  events \"%s\"\n  want   \"%s\"", cases[_i].name, events, cases[_i].events);
	presence_clear(&p);
}
END_TEST

START_TEST(snapshot_holds_every_live_worker_and_pool)
{
	struct presence p;
	struct worker_msg m = { .pool = "eu-1", .host = "w1", .id = "w1:42", .version = "0.1.0",
		.pid = 42, .concurrency = 64, .running = 3, .awaiting = 1, .started = 1000.5,
		.time = 1010 };
	const char *pools[] = { "eu-1", "eu-2" };
	char *s;

	presence_init(&p, PRESENCE_WINDOW);
	presence_listen(&p, 1000);
	presence_set_checks(&p, pools, 2, 1000);
	presence_heartbeat(&p, &m, 1010);
	ck_assert_int_eq(p.dirty, 1);
	s = rows_presence(&p);
	ck_assert_str_eq(s, "{\"workers\":[{\"id\":\"w1:42\",\"pool\":\"eu-1\",\"host\":\"w1\","
	    "\"pid\":42,\"concurrency\":64,\"running\":3,\"awaiting\":1,\"version\":\"0.1.0\","
	    "\"started\":1000.5,\"last_seen\":1010.0}],"
	    "\"pools\":[{\"name\":\"eu-1\",\"live_workers\":1,\"checks\":1,\"state\":\"ok\","
	    "\"since\":1010.0,\"capacity\":64,\"inflight\":0,\"held\":0,\"waiting\":0.0,"
	    "\"late_expired\":0},{\"name\":\"eu-2\",\"live_workers\":0,\"checks\":1,"
	    "\"state\":\"pending\",\"since\":1000.0,\"capacity\":0,\"inflight\":0,"
	    "\"held\":0,\"waiting\":0.0,\"late_expired\":0}]}");
	free(s);
	presence_clear(&p);
}
END_TEST

START_TEST(an_overloaded_pool_shows_it_in_the_snapshot)
{
	struct presence p;
	struct worker_msg m = { .pool = "eu-1", .host = "w1", .id = "w1:42", .version = "0.1.0",
		.pid = 42, .concurrency = 8, .running = 8, .awaiting = 0, .started = 1000.5,
		.time = 1010 };
	const char *pools[] = { "eu-1" };
	char *s;

	presence_init(&p, PRESENCE_WINDOW);
	presence_listen(&p, 1000);
	presence_set_checks(&p, pools, 1, 1000);
	presence_heartbeat(&p, &m, 1010);
	p.dirty = 0;
	presence_set_flow(&p, "eu-1", 0, 0, 12, 0, 0, 0);
	ck_assert_int_eq(p.dirty, 0);	/* counts alone are not worth a snapshot */
	presence_set_flow(&p, "eu-1", 1, 1020, 16, 40, 3.5, 2);
	ck_assert_int_eq(p.dirty, 1);
	s = rows_presence(&p);
	ck_assert_ptr_nonnull(strstr(s, "\"state\":\"overloaded\",\"since\":1020.0,"
	    "\"capacity\":8,\"inflight\":16,\"held\":40,\"waiting\":3.5,\"late_expired\":2}"));
	free(s);
	p.dirty = 0;
	presence_set_flow(&p, "eu-1", 0, 0, 3, 0, 0, 2);
	ck_assert_int_eq(p.dirty, 1);
	s = rows_presence(&p);
	ck_assert_ptr_nonnull(strstr(s, "\"state\":\"ok\",\"since\":1010.0,"));
	free(s);
	presence_clear(&p);
}
END_TEST

START_TEST(a_tick_that_changes_nothing_leaves_the_snapshot_clean)
{
	struct presence p;
	const char *pools[] = { "a" };

	presence_init(&p, PRESENCE_WINDOW);
	presence_listen(&p, 0);
	presence_set_checks(&p, pools, 1, 0);
	heartbeat(&p, "w1", "a", 0, 1);
	p.dirty = 0;	/* persisted */
	presence_tick(&p, 2);
	ck_assert_int_eq(p.dirty, 0);
	presence_tick(&p, 16);
	ck_assert_int_eq(p.dirty, 1);
	presence_clear(&p);
}
END_TEST

static Suite *
presence_suite(void)
{
	Suite *s = suite_create("presence");
	TCase *tc = tcase_create("liveness");

	tcase_add_loop_test(tc, liveness_follows_the_rules, 0, sizeof(cases) / sizeof(cases[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("snapshot");
	tcase_add_test(tc, snapshot_holds_every_live_worker_and_pool);
	tcase_add_test(tc, an_overloaded_pool_shows_it_in_the_snapshot);
	tcase_add_test(tc, a_tick_that_changes_nothing_leaves_the_snapshot_clean);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(presence_suite());
}

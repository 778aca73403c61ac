/*
 * NAME
 *	vigil-bench-publish - publish results or jobs as fast as the broker
 *	confirms them, for bench/engine
 * SYNOPSIS
 *	vigil-bench-publish passive --prefix P --hosts H --services S
 *	    --count M --time T0 [--step S] [--problem-every N] [--window W]
 *	vigil-bench-publish jobs --prefix P --pool POOL --count K
 *	    [--plugin PATH] [--window W] [--wait-results SECONDS]
 * DESCRIPTION
 *	passive: M passive results in the documented format (README,
 *	"Messages") on exchange <prefix>.results, routing key "passive",
 *	persistent. Result i goes to check i modulo H * (S + 1), in the order
 *	host check, service svc-1 … svc-S of host bench-00001, then the next
 *	host (bench/engine names its config so), with "time" T0 + i * step:
 *	each check sees increasing times, so the engine drops none as old.
 *	Every N-th result is a CRITICAL (DOWN for a host check), the others
 *	OK; each carries one perfdata item, as plugins usually do.
 *
 *	jobs: declares the results queue as the engine would (durable,
 *	quorum), then K jobs of PATH (default /bin/true) on exchange
 *	<prefix>.jobs, routing key <pool>.<n>, in the job format of msg.h,
 *	transient with an expiration like the engine's. With --wait-results
 *	it then polls the results queue until it holds K results (every
 *	plugin ran and its result was confirmed to the worker) or the time
 *	is up.
 *
 *	Both publish in confirm mode and keep between one and two windows of
 *	W messages unconfirmed, so what is counted the broker really has.
 *	The URL is $VIGIL_AMQP_URL (or --url). --key FILE tags every message
 *	with the installation's message key (auth.h), as a daemon would:
 *	workers run no job without it.
 *
 *	Prints one line of key=value figures on stdout: published, seconds
 *	(first publish to last confirm), per_second, first (epoch of the
 *	first publish); jobs --wait-results adds results and results_seconds
 *	(first publish to the poll that saw all K results).
 * DIAGNOSTICS
 *	Exit 1 with a message on stderr when the broker is unreachable,
 *	refuses a declaration or a message (nack), or closes the channel;
 *	exit 3 when --wait-results ran out of time; 2 on a usage error.
 */
#include "auth.h"
#include "mq_tag.h"
#include "msg.h"
#include "util.h"
#include "xalloc.h"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_WINDOW 1000
#define BENCH_POLL 0.02		/* seconds between results queue polls */

enum bench_mode { MODE_PASSIVE, MODE_JOBS };

struct bench_opts {
	enum bench_mode mode;
	const char *url;
	const char *prefix;
	const char *pool;
	const char *plugin;
	unsigned hosts, services;
	uint64_t count;
	double time0, step;
	unsigned problem_every;
	unsigned window;
	double wait_results;
	struct auth *key;	/* --key: tag every message */
};

struct publisher {
	amqp_connection_state_t conn;
	uint64_t published;	/* delivery tags run 1 … published */
	uint64_t confirmed;	/* every tag up to this one is confirmed */
	unsigned char *acked;	/* per tag, for single acks out of order */
};

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vigil-bench-publish: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: vigil-bench-publish passive --prefix P --hosts H --services S --count M\n"
	    "           --time T0 [--step S] [--problem-every N] [--window W] [--url URL]\n"
	    "       vigil-bench-publish jobs --prefix P --pool POOL --count K [--plugin PATH]\n"
	    "           [--window W] [--wait-results SECONDS] [--url URL] [--key FILE]\n");
	exit(2);
}

static void
rpc_check(amqp_connection_state_t c, const char *what)
{
	amqp_rpc_reply_t r = amqp_get_rpc_reply(c);

	if (r.reply_type == AMQP_RESPONSE_NORMAL)
		return;
	if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION &&
	    r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
		amqp_channel_close_t *m = r.reply.decoded;

		die("%s: broker said %d %.*s", what, m->reply_code, (int)m->reply_text.len,
		    (char *)m->reply_text.bytes);
	}
	if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION)
		die("%s: %s", what, amqp_error_string2(r.library_error));
	die("%s failed", what);
}

static void
publisher_open(struct publisher *p, const char *url, uint64_t count)
{
	struct amqp_connection_info ci;
	amqp_socket_t *sock;
	char *u = xstrdup(url);
	int st;

	memset(p, 0, sizeof(*p));
	amqp_default_connection_info(&ci);
	if (amqp_parse_url(u, &ci) != AMQP_STATUS_OK)
		die("invalid AMQP URL (expected amqp://user:pass@host:port/vhost)");
	if (ci.vhost == NULL || ci.vhost[0] == '\0')
		ci.vhost = "/";
	p->conn = amqp_new_connection();
	sock = amqp_tcp_socket_new(p->conn);
	if (sock == NULL || (st = amqp_socket_open(sock, ci.host, ci.port)) != AMQP_STATUS_OK)
		die("cannot connect to %s:%d", ci.host, ci.port);
	if (amqp_login(p->conn, ci.vhost, 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, ci.user,
	    ci.password).reply_type != AMQP_RESPONSE_NORMAL)
		die("login to %s:%d refused", ci.host, ci.port);
	amqp_channel_open(p->conn, 1);
	rpc_check(p->conn, "channel.open");
	amqp_confirm_select(p->conn, 1);
	rpc_check(p->conn, "confirm.select");
	p->acked = xcalloc(count + 2, 1);
	free(u);
}

static void
publisher_close(struct publisher *p)
{
	amqp_channel_close(p->conn, 1, AMQP_REPLY_SUCCESS);
	amqp_connection_close(p->conn, AMQP_REPLY_SUCCESS);
	amqp_destroy_connection(p->conn);
	free(p->acked);
}

/* Read frames until every tag up to upto is confirmed. */
static void
publisher_wait(struct publisher *p, uint64_t upto)
{
	while (p->confirmed < upto) {
		amqp_frame_t f;
		int st = amqp_simple_wait_frame(p->conn, &f);

		if (st != AMQP_STATUS_OK)
			die("waiting for confirms: %s", amqp_error_string2(st));
		if (f.frame_type != AMQP_FRAME_METHOD)
			continue;
		switch (f.payload.method.id) {
		case AMQP_BASIC_ACK_METHOD: {
			amqp_basic_ack_t *a = f.payload.method.decoded;

			if (a->delivery_tag > p->published)
				die("confirm of tag %" PRIu64 " never published", a->delivery_tag);
			if (a->multiple)
				for (uint64_t t = p->confirmed + 1; t <= a->delivery_tag; t++)
					p->acked[t] = 1;
			else
				p->acked[a->delivery_tag] = 1;
			while (p->confirmed < p->published && p->acked[p->confirmed + 1])
				p->confirmed++;
			break;
		}
		case AMQP_BASIC_NACK_METHOD:
			die("the broker refused a message (nack)");
			break;
		case AMQP_CHANNEL_CLOSE_METHOD: {
			amqp_channel_close_t *m = f.payload.method.decoded;

			die("broker closed the channel: %d %.*s", m->reply_code,
			    (int)m->reply_text.len, (char *)m->reply_text.bytes);
			break;
		}
		case AMQP_CONNECTION_CLOSE_METHOD:
			die("broker closed the connection");
			break;
		default:
			break;
		}
	}
}

/* One message; after each window, wait for all but the last window. */
static void
publisher_send(struct publisher *p, const char *exchange, const char *rk,
    const char *body, size_t len, const amqp_basic_properties_t *props, unsigned window)
{
	int st = amqp_basic_publish(p->conn, 1, amqp_cstring_bytes(exchange),
	    amqp_cstring_bytes(rk), 0, 0, props, (amqp_bytes_t){ len, (void *)body });

	if (st != AMQP_STATUS_OK)
		die("publish: %s", amqp_error_string2(st));
	p->published++;
	if (p->published % window == 0 && p->published > window)
		publisher_wait(p, p->published - window);
}

static void
run_passive(const struct bench_opts *o, struct publisher *p, double *first)
{
	char exchange[256], body[512];
	unsigned per_host = o->services + 1;
	uint64_t nchecks = (uint64_t)o->hosts * per_host;
	amqp_basic_properties_t props;

	snprintf(exchange, sizeof(exchange), "%s.results", o->prefix);
	memset(&props, 0, sizeof(props));
	props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
	props.content_type = amqp_cstring_bytes("application/json");
	props.delivery_mode = AMQP_DELIVERY_PERSISTENT;
	*first = util_now();
	for (uint64_t i = 0; i < o->count; i++) {
		uint64_t c = i % nchecks;
		unsigned host = (unsigned)(c / per_host) + 1, svc = (unsigned)(c % per_host);
		int problem = o->problem_every > 0 && i % o->problem_every == o->problem_every - 1;
		char service[32];
		int n;

		if (svc > 0)
			snprintf(service, sizeof(service), "\"svc-%u\"", svc);
		else
			snprintf(service, sizeof(service), "null");
		n = snprintf(body, sizeof(body),
		    "{\"v\":1,\"host\":\"bench-%05u\",\"service\":%s,\"status\":%d,"
		    "\"output\":\"%s - bench result %" PRIu64 " | time=0.%03us;1;2;0\","
		    "\"time\":%.6f}",
		    host, service, problem ? 2 : 0, problem ? "CRITICAL" : "OK", i,
		    (unsigned)(i % 1000), o->time0 + (double)i * o->step);
		publisher_send(p, exchange, "passive", body, (size_t)n, &props, o->window);
	}
	publisher_wait(p, p->published);
}

/* Declare the results queue as topology_declare_engine() does; return the
 * number of messages in it. */
static uint64_t
results_queue(struct publisher *p, const char *prefix, int passive)
{
	char q[256];
	amqp_table_entry_t e[1];
	amqp_table_t args = { 0, e };
	amqp_queue_declare_ok_t *ok;

	snprintf(q, sizeof(q), "%s.results", prefix);
	if (!passive) {
		e[0].key = amqp_cstring_bytes("x-queue-type");
		e[0].value.kind = AMQP_FIELD_KIND_UTF8;
		e[0].value.value.bytes = amqp_cstring_bytes("quorum");
		args.num_entries = 1;
	}
	ok = amqp_queue_declare(p->conn, 1, amqp_cstring_bytes(q), passive, 1, 0, 0, args);
	rpc_check(p->conn, "queue.declare results");
	if (!passive) {
		amqp_queue_bind(p->conn, 1, amqp_cstring_bytes(q), amqp_cstring_bytes(q),
		    amqp_cstring_bytes("active"), amqp_empty_table);
		rpc_check(p->conn, "queue.bind results");
	}
	return ok->message_count;
}

static void
run_jobs(const struct bench_opts *o, struct publisher *p, double *first)
{
	char exchange[256], rk[300], host[32], expiration[32];
	char *argv[2] = { (char *)o->plugin, NULL };
	amqp_basic_properties_t props;

	results_queue(p, o->prefix, 0);
	snprintf(exchange, sizeof(exchange), "%s.jobs", o->prefix);
	snprintf(expiration, sizeof(expiration), "%d", 600 * 1000);
	memset(&props, 0, sizeof(props));
	props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_EXPIRATION_FLAG |
	    AMQP_BASIC_MESSAGE_ID_FLAG;
	props.content_type = amqp_cstring_bytes("application/json");
	props.expiration = amqp_cstring_bytes(expiration);
	*first = util_now();
	for (uint64_t i = 0; i < o->count; i++) {
		struct job j;
		char *body;
		size_t len;

		struct mq_tag tag;

		memset(&j, 0, sizeof(j));
		util_random_id(j.id);
		j.check_id = (int64_t)i + 1;
		snprintf(host, sizeof(host), "bench-%05" PRIu64, i % 100000 + 1);
		j.host = host;
		j.pool = (char *)o->pool;
		j.argv = argv;
		j.argc = 1;
		j.timeout = 10;
		j.timeout_state = 2;
		j.scheduled = util_now();
		j.deadline = j.scheduled + 600;
		body = msg_job_encode(&j, &len);
		snprintf(rk, sizeof(rk), "%s.%" PRIu64, o->pool, i + 1);
		props.message_id = amqp_cstring_bytes(j.id);
		if (o->key != NULL)
			mq_tag_props(&tag, o->key, rk, body, len, &props);
		publisher_send(p, exchange, rk, body, len, &props, o->window);
		free(body);
	}
	publisher_wait(p, p->published);
}

static double
number(const char *opt, const char *s, double min)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || v < min) {
		fprintf(stderr, "vigil-bench-publish: --%s: expected a number >= %g, not \"%s\"\n",
		    opt, min, s);
		usage();
	}
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "key", required_argument, NULL, 'k' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "hosts", required_argument, NULL, 'H' },
		{ "services", required_argument, NULL, 'S' },
		{ "count", required_argument, NULL, 'n' },
		{ "time", required_argument, NULL, 't' },
		{ "step", required_argument, NULL, 's' },
		{ "problem-every", required_argument, NULL, 'e' },
		{ "window", required_argument, NULL, 'w' },
		{ "pool", required_argument, NULL, 'P' },
		{ "plugin", required_argument, NULL, 'x' },
		{ "wait-results", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts o = { .url = getenv("VIGIL_AMQP_URL"), .prefix = "vigil",
	    .pool = "default", .plugin = "/bin/true", .step = 0.001, .window = BENCH_WINDOW };
	struct publisher p;
	double first = 0, done, secs;
	int ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			o.url = optarg;
			break;
		case 'p':
			o.prefix = optarg;
			break;
		case 'H':
			o.hosts = (unsigned)number("hosts", optarg, 1);
			break;
		case 'S':
			o.services = (unsigned)number("services", optarg, 0);
			break;
		case 'n':
			o.count = (uint64_t)number("count", optarg, 1);
			break;
		case 't':
			o.time0 = number("time", optarg, 1);
			break;
		case 's':
			o.step = number("step", optarg, 1e-6);
			break;
		case 'e':
			o.problem_every = (unsigned)number("problem-every", optarg, 0);
			break;
		case 'w':
			o.window = (unsigned)number("window", optarg, 1);
			break;
		case 'P':
			o.pool = optarg;
			break;
		case 'x':
			o.plugin = optarg;
			break;
		case 'k': {
			char err[512];

			if ((o.key = auth_load(optarg, err, sizeof(err))) == NULL)
				die("--key: %s", err);
			break;
		}
		case 'W':
			o.wait_results = number("wait-results", optarg, 0);
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || o.url == NULL || o.count == 0)
		usage();
	if (strcmp(argv[optind], "passive") == 0) {
		o.mode = MODE_PASSIVE;
		if (o.hosts == 0 || o.time0 == 0)
			usage();
	} else if (strcmp(argv[optind], "jobs") == 0)
		o.mode = MODE_JOBS;
	else
		usage();

	publisher_open(&p, o.url, o.count);
	if (o.mode == MODE_PASSIVE)
		run_passive(&o, &p, &first);
	else
		run_jobs(&o, &p, &first);
	done = util_now();
	secs = done - first;
	printf("published=%" PRIu64 " seconds=%.3f per_second=%.0f first=%.3f", p.published,
	    secs, (double)p.published / secs, first);
	if (o.mode == MODE_JOBS && o.wait_results > 0) {
		uint64_t n = 0;

		while ((n = results_queue(&p, o.prefix, 1)) < o.count && util_now() - first < o.wait_results) {
			struct timespec ts = { 0, (long)(BENCH_POLL * 1e9) };

			nanosleep(&ts, NULL);
		}
		done = util_now();
		printf(" results=%" PRIu64 " results_seconds=%.3f", n, done - first);
		if (n < o.count) {
			printf("\n");
			publisher_close(&p);
			return 3;
		}
	}
	printf("\n");
	publisher_close(&p);
	return 0;
}

/*
 * NAME
 *	vigil-bench-live - many websocket clients on vigil-web's live stream
 *	and a flood of state events, for bench/live
 * SYNOPSIS
 *	vigil-bench-live --port P --token T --prefix X [--clients N]
 *	    [--rate R] [--seconds S] [--hosts H] [--first-id ID] [--pid PID]
 * DESCRIPTION
 *	Opens N websocket connections (default 1,000) to vigil-web on
 *	127.0.0.1:P, path /api/v1/events, subprotocol vigil-events, all in
 *	this process: raw non-blocking sockets on one epoll loop in the main
 *	thread, with a websocket client of their own (RFC 6455, no
 *	extensions). A websocket library's client parses what it reads a byte
 *	at a time; at 1,000 clients and 2,000 events a second (some 1.5
 *	million messages a second to read) that would be the bottleneck and
 *	its lag part of the delay measured. Here one read() takes up to
 *	256 KiB and the frames in it are parsed in place; a frame cut by the
 *	read's end waits in its client's buffer for the rest. At most 64
 *	handshakes (and snapshots) are under way at once. Every client
 *	subscribes to the type "state"; every other one (the odd ones) also
 *	with the host glob "fan-a-*", which selects half the hosts. The
 *	server's pings are answered, its close frame ends a client. Once
 *	every client has its snapshot, a publisher thread sends R state
 *	events a second (default 2,000) for S seconds (default 10) to the
 *	exchange <X>.events on the broker at $VIGIL_AMQP_URL, routing key
 *	state.HOST.svc, each one confirmed by the broker before the next,
 *	paced to the rate (an event is due at start + i / R; one late goes
 *	at once). Event i is for host i modulo H (default 100), named
 *	fan-a-NN when that is even and fan-b-NN when odd; its message id is
 *	ID + i (default 1,000,000,000: past the engine's, and vigil-web drops
 *	an id not above the highest it saw, so this runs once per vigil-web).
 *	The body is a state event as the engine writes it, with "n": i and
 *	"t": the publish time (CLOCK_REALTIME, microseconds) in it.
 *
 *	Each client counts the events it gets (each once: a bitmap of i),
 *	checks that their seq rises, and that it gets none its glob does not
 *	select; the delay of one event to one client is the time of the
 *	read() that brought it here minus its "t". After the last publish,
 *	the clients are read until each has all it should get, or nothing
 *	came for 3 s (at most 60 s).
 *
 *	With --pid, vigil-web's CPU (utime + stime of /proc/PID/stat, as %
 *	of one core, from the first publish until the last event was read)
 *	and its memory (VmRSS before the clients, with them connected and at
 *	the end, and VmHWM, from /proc/PID/status) are reported too.
 *
 *	Prints one line of key=value figures on stdout: clients,
 *	connected, connect_s (until every snapshot came), published,
 *	publish_s, rate (achieved), expected (summed over the clients),
 *	received, missing, clients_short (those that got less than they
 *	should), duplicates, disorder (a seq not above the one before),
 *	unwanted (not selected by the glob), closed (connections the server
 *	ended or that failed; close_codes lists them, 0 for one that failed
 *	or ended without a close frame), p50_ms, p99_ms, max_ms (the delay,
 *	10 us buckets), delivered_per_s (events read by all the clients a
 *	second) and bench_cpu_pct (this process), both over the CPU window
 *	above; with --pid web_cpu_pct, web_rss_mb_before,
 *	web_rss_mb_connected, web_rss_mb, web_hwm_mb.
 * DIAGNOSTICS
 *	Exit 1 when the broker is unreachable or refuses a message, or no
 *	client got its snapshot within 120 s; 2 on a usage error. Missing
 *	events are figures, not errors. A client whose connection fails, whose
 *	upgrade is not answered 101 or whose server breaks the protocol says
 *	so on stderr and counts as closed.
 */
#include "mqcli.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HIST_US 10		/* one bucket of the delay histogram */
#define HIST_N 1000000		/* buckets: 10 s; later ones go in the last */
#define CONNECTING_MAX 64	/* handshakes under way at once */
#define SNAPSHOT_WAIT 120	/* seconds for every client's snapshot */
#define QUIET_END 3		/* seconds without a message that end the wait */
#define DRAIN_MAX 60		/* seconds after the last publish, at most */
#define TICK_US 100000		/* the main loop's wake-up */
#define READ_MAX (256 * 1024)	/* one read(): many frames a system call */
#define HEAD_MAX 16384		/* the upgrade answer, at most */
#define FRAME_MAX (64L << 20)	/* a longer frame is a protocol error */
#define EVENTS_MAX 256		/* ready sockets an epoll_wait() */

enum {
	C_IDLE,			/* not connected yet */
	C_CONNECTING,		/* TCP connect, upgrade request, its answer */
	C_OPEN,			/* upgraded and subscribed: the snapshot's wait */
	C_LIVE,			/* has its snapshot: events count */
	C_CLOSED		/* the server ended it, or it failed */
};

struct client {
	int fd;			/* -1 before and after the connection */
	int idx;
	int state;
	int glob;		/* subscribed to "fan-a-*" only */
	int close_code;		/* of the server's close frame; 0: none */
	int want_out;		/* EPOLLOUT asked: out waits for room */
	int frag_op;		/* opcode of the message in fragments; 0: none */
	long long last_seq;
	long got, dups, disorder, unwanted;
	unsigned char *seen;	/* a bit per event */
	unsigned char *in;	/* read, not parsed: a partial frame or answer */
	size_t ilen, icap;
	unsigned char *out;	/* to write, when the socket has room */
	size_t olen, ocap;
	char *part;		/* a message in fragments */
	size_t plen, pcap;
};

struct publisher {
	const char *url, *prefix;
	long total;		/* to publish */
	int rate, hosts;
	long long first_id;
	atomic_long published;
	atomic_int done;
	double t0, t1;		/* first publish, last confirm (monotonic) */
	char err[512];
	int failed;
};

static int ep;			/* the clients' epoll */
static struct client *clients;
static int nclients;
static long total;		/* events that may come: the bitmaps' size */
static int hosts;
static const char *token;
static uint32_t *hist;
static long long delay_max_us;
static long long samples;
static double last_msg;		/* monotonic, of the last event read */
static char *subscription[2];	/* the message to send, by glob */
static unsigned char *rbuf;	/* a client's carried bytes, then one read */
static size_t rcap;
static long long read_us;	/* when the bytes parsed now were read: */
static double read_mono;	/* CLOCK_REALTIME us, and monotonic */

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long
real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Event i's host is even: fan-a-NN, selected by the glob. */
static int
is_a(long i)
{
	return (i % hosts) % 2 == 0;
}

/* ---- vigil-web's /proc ------------------------------------------------ */

/* utime + stime of pid in seconds, -1 if unknown. */
static double
proc_cpu(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (pid <= 0 || (f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* after the command's ")": state is field 3, utime 14, stime 15 */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* A "Key:  N kB" line of /proc/pid/status in MiB, -1 if unknown. */
static double
proc_mem(int pid, const char *key)
{
	char path[64], line[256];
	size_t k = strlen(key);
	double mb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (pid <= 0 || (f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, k) == 0 && line[k] == ':') {
			mb = strtod(line + k + 1, NULL) / 1024;
			break;
		}
	fclose(f);
	return mb;
}

/* ---- the publisher ------------------------------------------------------- */

static void *
publish_run(void *arg)
{
	struct publisher *p = arg;
	struct mqcli *mq;
	char x[256], rk[128], host[32], id[32], body[512];
	struct timespec due;
	double start;

	snprintf(x, sizeof(x), "%s.events", p->prefix);
	if ((mq = mqcli_open(p->url, 10, p->err, sizeof(p->err))) == NULL) {
		p->failed = 1;
		atomic_store(&p->done, 1);
		return NULL;
	}
	start = p->t0 = mono();
	for (long i = 0; i < p->total; i++) {
		double at = start + (double)i / p->rate;
		long h = i % p->hosts;
		int n;

		if (at > mono()) {
			due.tv_sec = (time_t)at;
			due.tv_nsec = (long)((at - (double)due.tv_sec) * 1e9);
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
				;
		}
		snprintf(host, sizeof(host), "fan-%c-%02ld", h % 2 == 0 ? 'a' : 'b', h / 2);
		snprintf(rk, sizeof(rk), "state.%s.svc", host);
		snprintf(id, sizeof(id), "%lld", p->first_id + i);
		n = snprintf(body, sizeof(body), "{\"v\":1,\"type\":\"state\",\"n\":%ld,\"t\":%lld,"
		    "\"host\":\"%s\",\"service\":\"svc\",\"state\":%d,\"old_state\":%d,"
		    "\"state_type\":\"HARD\",\"hard_state\":%d,\"old_hard_state\":%d,"
		    "\"attempt\":1,\"output\":\"%s - bench/live event %ld\","
		    "\"time\":\"2024-01-01T00:00:00Z\"}", i, real_us(), host,
		    (int)(i % 2) * 2, (int)((i + 1) % 2) * 2, (int)(i % 2) * 2,
		    (int)((i + 1) % 2) * 2, i % 2 ? "CRITICAL" : "OK", i);
		if (mqcli_send_id(mq, x, rk, body, (size_t)n, id, p->err, sizeof(p->err)) < 0) {
			p->failed = 1;
			break;
		}
		atomic_store(&p->published, i + 1);
	}
	p->t1 = mono();
	mqcli_close(mq);
	atomic_store(&p->done, 1);
	return NULL;
}

/* ---- the clients ------------------------------------------------------------ */

static void
delay_add(long long us)
{
	if (us < 0)
		us = 0;
	if (us > delay_max_us)
		delay_max_us = us;
	hist[us / HIST_US < HIST_N ? us / HIST_US : HIST_N - 1]++;
	samples++;
}

/* The delay at quantile q in ms: the upper edge of its bucket. */
static double
delay_pct(double q)
{
	long long rank = (long long)(q * (double)samples + 0.999999), seen = 0;

	if (rank < 1)
		rank = 1;
	for (long b = 0; b < HIST_N; b++)
		if ((seen += hist[b]) >= rank)
			return b == HIST_N - 1 ? (double)delay_max_us / 1000 :
			    (double)(b + 1) * HIST_US / 1000;
	return 0;
}

/* The integer after key in the message, -1 if it has none. */
static long long
field(const char *m, size_t len, const char *key)
{
	const char *p = memmem(m, len, key, strlen(key));

	return p == NULL ? -1 : strtoll(p + strlen(key), NULL, 10);
}

/* A number at *p (not negative), *p moved past it; -1: none. Quicker than
 * strtoll, which a million and a half messages a second feel. */
static long long
num(const char **p, const char *end)
{
	long long v = 0;
	const char *q = *p;

	if (q >= end || *q < '0' || *q > '9')
		return -1;
	for (; q < end && *q >= '0' && *q <= '9'; q++)
		v = v * 10 + (*q - '0');
	*p = q;
	return v;
}

/* seq, n and t of one of our events, where the publisher puts them (the
 * others, and the engine's, by search); 0: not one of ours. */
static int
fields(const char *m, size_t len, long long *seq, long long *n, long long *t)
{
	static const char mid[] = ",\"v\":1,\"type\":\"state\",\"n\":";
	const char *p = m + 7, *end = m + len;

	if ((*seq = num(&p, end)) < 0)
		return 0;
	if ((size_t)(end - p) > sizeof(mid) - 1 && memcmp(p, mid, sizeof(mid) - 1) == 0) {
		p += sizeof(mid) - 1;
		if ((*n = num(&p, end)) >= 0 && end - p > 5 && memcmp(p, ",\"t\":", 5) == 0) {
			p += 5;
			return (*t = num(&p, end)) >= 0;
		}
	}
	*n = field(m, len, ",\"n\":");
	*t = field(m, len, ",\"t\":");
	return *n >= 0 && *t >= 0;
}

/* One whole message to c (NUL-terminated at m[len]). */
static void
on_message(struct client *c, const char *m, size_t len)
{
	long long seq, n, t;

	if (strncmp(m, "{\"seq\":", 7) != 0) {
		if (memmem(m, len, "\"type\":\"snapshot\"", 17) != NULL && c->state == C_OPEN)
			c->state = C_LIVE;
		else if (memmem(m, len, "\"type\":\"error\"", 14) != NULL)
			fprintf(stderr, "vigil-bench-live: client %d: %.300s\n", c->idx, m);
		return;
	}
	if (!fields(m, len, &seq, &n, &t) || n >= total)
		return;		/* one of the engine's */
	last_msg = read_mono;
	if (seq <= c->last_seq)
		c->disorder++;
	c->last_seq = seq;
	if (c->seen[n / 8] & (1u << (n % 8))) {
		c->dups++;
		return;
	}
	c->seen[n / 8] |= (unsigned char)(1u << (n % 8));
	c->got++;
	if (c->glob && !is_a((long)n))
		c->unwanted++;
	delay_add(read_us - t);
}

/* ---- one client's websocket --------------------------------------------- */

/* Ask for EPOLLOUT (on) or not: only while some of out waits for room. */
static void
client_want_out(struct client *c, int on)
{
	struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c };

	if (c->want_out == on)
		return;
	c->want_out = on;
	epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* The teardown: what waits to be written goes if there is room (a close
 * frame, at best), the socket is closed and its buffers freed. */
static void
client_close(struct client *c)
{
	if (c->state == C_CLOSED)
		return;
	if (c->fd >= 0) {
		if (c->olen > 0)
			(void)send(c->fd, c->out, c->olen, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(c->fd);	/* and out of the epoll */
	}
	c->fd = -1;
	c->state = C_CLOSED;
	free(c->in);
	free(c->out);
	free(c->part);
	c->in = c->out = NULL;
	c->part = NULL;
	c->ilen = c->icap = c->olen = c->ocap = c->plen = c->pcap = 0;
}

static void
client_fail(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
client_fail(struct client *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vigil-bench-live: client %d: ", c->idx);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	c->olen = 0;		/* a broken connection: nothing more to say */
	client_close(c);
}

/* Write what waits, as much as the socket takes. */
static void
client_flush(struct client *c)
{
	size_t done = 0;

	while (done < c->olen) {
		ssize_t k = send(c->fd, c->out + done, c->olen - done, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (k < 0) {
			/* a refused connect shows here, the request's send */
			client_fail(c, "%s: %s", c->state == C_CONNECTING ? "connect" : "send",
			    strerror(errno));
			return;
		}
		done += (size_t)k;
	}
	memmove(c->out, c->out + done, c->olen - done);
	c->olen -= done;
	client_want_out(c, c->olen > 0);
}

/* Queue a frame of payload p: FIN, opcode op, masked (RFC 6455 5.3: a
 * client's frames always are, with a fresh key each). */
static void
ws_put(struct client *c, int op, const unsigned char *p, size_t n)
{
	uint32_t key = (uint32_t)util_random64();
	unsigned char *f;
	size_t hl = 2;

	xgrow((void **)&c->out, &c->ocap, c->olen + 14 + n, 1);
	f = c->out + c->olen;
	f[0] = (unsigned char)(0x80 | op);
	if (n < 126)
		f[1] = (unsigned char)(0x80 | n);
	else if (n < 65536) {
		f[1] = 0x80 | 126;
		f[2] = (unsigned char)(n >> 8);
		f[3] = (unsigned char)n;
		hl = 4;
	} else {
		f[1] = 0x80 | 127;
		for (int i = 0; i < 8; i++)
			f[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
		hl = 10;
	}
	memcpy(f + hl, &key, 4);
	for (size_t i = 0; i < n; i++)
		f[hl + 4 + i] = p[i] ^ f[hl + i % 4];
	c->olen += hl + 4 + n;
}

static void
ws_send(struct client *c, int op, const unsigned char *p, size_t n)
{
	ws_put(c, op, p, n);
	if (!c->want_out)
		client_flush(c);
}

/* A Sec-WebSocket-Key: 16 random bytes in base64. Its 22 characters hold
 * 128 bits as 21 of 6 and one of 2 (then 4 zero bits), and "==" ends it. */
static void
ws_key(char out[25])
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (int i = 0; i < 21; i++)
		out[i] = b64[util_random64() & 63];
	out[21] = b64[(util_random64() & 3) << 4];
	memcpy(out + 22, "==", 3);
}

/* The answer to the upgrade request, at p: the bytes it took, 0 while
 * its headers have not all come. 101 makes the client subscribe. */
static size_t
ws_answer(struct client *c, const unsigned char *p, size_t len)
{
	const unsigned char *end = memmem(p, len, "\r\n\r\n", 4);

	if (end == NULL) {
		if (len > HEAD_MAX)
			client_fail(c, "no end to the upgrade answer's headers in %d bytes",
			    HEAD_MAX);
		return 0;
	}
	/* the Sec-WebSocket-Accept is not checked: the server is ours */
	if (len < 13 || memcmp(p, "HTTP/1.1 101 ", 13) != 0) {
		client_fail(c, "upgrade refused: %.*s", (int)strcspn((const char *)p, "\r"),
		    (const char *)p);
		return 0;
	}
	c->state = C_OPEN;
	ws_send(c, 1, (const unsigned char *)subscription[c->glob],
	    strlen(subscription[c->glob]));
	return (size_t)(end + 4 - p);
}

/* A whole text message of n bytes, in a buffer with room at p[n]:
 * on_message() wants it NUL-ended, so that byte (the next frame's) is
 * lent for it, not copied out. */
static void
ws_text(struct client *c, char *p, size_t n)
{
	char save = p[n];

	p[n] = '\0';
	on_message(c, p, n);
	p[n] = save;
}

/* One whole frame: its first byte b0 and its payload p[0..n). */
static void
ws_frame(struct client *c, unsigned char b0, unsigned char *p, size_t n)
{
	int fin = b0 & 0x80, op = b0 & 0x0f;

	if (b0 & 0x70) {
		client_fail(c, "protocol error: RSV bits 0x%02x (no extension asked)", b0);
		return;
	}
	switch (op) {
	case 0:			/* continuation */
		if (c->frag_op == 0) {
			client_fail(c, "protocol error: a continuation of nothing");
			return;
		}
		xgrow((void **)&c->part, &c->pcap, c->plen + n + 1, 1);
		memcpy(c->part + c->plen, p, n);
		c->plen += n;
		if (fin) {
			if (c->frag_op == 1)
				ws_text(c, c->part, c->plen);
			c->frag_op = 0;
			c->plen = 0;
		}
		break;
	case 1:			/* text */
	case 2:			/* binary: vigil-web sends none; skipped */
		if (c->frag_op != 0) {
			client_fail(c, "protocol error: a new message within a fragmented one");
			return;
		}
		if (fin) {
			if (op == 1)
				ws_text(c, (char *)p, n);
			break;
		}
		c->frag_op = op;
		xgrow((void **)&c->part, &c->pcap, n + 1, 1);
		memcpy(c->part, p, n);
		c->plen = n;
		break;
	case 8:			/* close: answered with its code, then the end */
		if (n >= 2)
			c->close_code = p[0] << 8 | p[1];
		c->olen = 0;
		ws_put(c, 8, p, n >= 2 ? 2 : 0);
		client_close(c);
		break;
	case 9:			/* ping */
		ws_send(c, 10, p, n);
		break;
	case 10:		/* pong: none asked */
		break;
	default:
		client_fail(c, "protocol error: opcode %d", op);
		break;
	}
}

/* The whole frames at p[0..len), in a buffer with room at p[len]: the
 * bytes they took. A server's frames are not masked (RFC 6455 5.1). */
static size_t
ws_frames(struct client *c, unsigned char *p, size_t len)
{
	size_t at = 0;

	while (c->state != C_CLOSED && len - at >= 2) {
		unsigned char *f = p + at;
		size_t hl = 2;
		uint64_t n = f[1] & 0x7f;

		if (f[1] & 0x80) {
			client_fail(c, "protocol error: a masked frame from the server");
			break;
		}
		if (n == 126)
			hl = 4;
		else if (n == 127)
			hl = 10;
		if (len - at < hl)
			break;
		if (n == 126)
			n = (uint64_t)f[2] << 8 | f[3];
		else if (n == 127) {
			n = 0;
			for (int i = 2; i < 10; i++)
				n = n << 8 | f[i];
		}
		if (n > FRAME_MAX) {
			client_fail(c, "protocol error: a frame of %llu bytes",
			    (unsigned long long)n);
			break;
		}
		if (len - at - hl < n)
			break;
		ws_frame(c, f[0], f + hl, (size_t)n);
		at += hl + (size_t)n;
	}
	return at;
}

/* Read once what is there, and parse all the whole frames (or the
 * upgrade answer) it completes; keep the rest for the next read. */
static void
client_read(struct client *c)
{
	size_t have = c->ilen, used = 0;
	ssize_t k;

	/* the kept bytes first, so that a frame is whole in one buffer, and
	 * one byte more: ws_text()'s NUL after the last */
	if (rcap < have + READ_MAX + 1) {
		rcap = have + READ_MAX + 1;
		rbuf = xrealloc(rbuf, rcap);
	}
	if (have > 0)
		memcpy(rbuf, c->in, have);
	while ((k = read(c->fd, rbuf + have, READ_MAX)) < 0 && errno == EINTR)
		;
	if (k < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			client_fail(c, "read: %s", strerror(errno));
		return;
	}
	if (k == 0) {
		if (c->state == C_CONNECTING)
			client_fail(c, "the server hung up before its upgrade answer");
		else
			client_close(c);	/* no close frame: code 0 */
		return;
	}
	read_us = real_us();
	read_mono = mono();
	have += (size_t)k;
	if (c->state == C_CONNECTING)
		used = ws_answer(c, rbuf, have);
	if (c->state == C_OPEN || c->state == C_LIVE)
		used += ws_frames(c, rbuf + used, have - used);
	if (c->state == C_CLOSED)
		return;
	if ((c->ilen = have - used) > 0) {
		xgrow((void **)&c->in, &c->icap, c->ilen, 1);
		memcpy(c->in, rbuf + used, c->ilen);
	}
}

/* Start client c's connection; its upgrade request goes once connected. */
static int
connect_one(int port, struct client *c)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
	char key[25];
	int one = 1, n;

	c->state = C_CONNECTING;
	if ((c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) {
		client_fail(c, "socket: %s", strerror(errno));
		return -1;
	}
	/* the subscription and pongs are small: not held back for an ack */
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != EINPROGRESS) {
		client_fail(c, "connect: %s", strerror(errno));
		return -1;
	}
	if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
		client_fail(c, "epoll_ctl: %s", strerror(errno));
		return -1;
	}
	c->want_out = 1;	/* EPOLLOUT says the connect is done */
	ws_key(key);
	xgrow((void **)&c->out, &c->ocap, 512, 1);
	n = snprintf((char *)c->out, c->ocap, "GET /api/v1/events HTTP/1.1\r\n"
	    "Host: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
	    "Sec-WebSocket-Protocol: vigil-events\r\n\r\n", port, key);
	c->olen = (size_t)n;
	return 0;
}

/* Serve the clients' ready sockets, waiting at most ms for one. */
static void
clients_serve(int ms)
{
	struct epoll_event ev[EVENTS_MAX];
	int n = epoll_wait(ep, ev, EVENTS_MAX, ms);

	for (int i = 0; i < n; i++) {
		struct client *c = ev[i].data.ptr;

		if (c->want_out && ev[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			client_flush(c);
		/* closed by now, or by an earlier event of this batch */
		if (c->state != C_CLOSED && ev[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
			client_read(c);
	}
}

static int
count_state(int st)
{
	int n = 0;

	for (int i = 0; i < nclients; i++)
		n += clients[i].state == st;
	return n;
}

static int
usage(void)
{
	fprintf(stderr, "usage: vigil-bench-live --port P --token T --prefix X [--clients N] "
	    "[--rate R] [--seconds S]\n       [--hosts H] [--first-id ID] [--pid PID]\n");
	return 2;
}

static double
self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Connect every client, at most CONNECTING_MAX handshakes and snapshots
 * under way at once, until each is live or closed. */
static void
connect_all(int port)
{
	double end = mono() + SNAPSHOT_WAIT;
	int next = 0;

	while (mono() < end) {
		int pending = count_state(C_CONNECTING) + count_state(C_OPEN);

		while (next < nclients && pending < CONNECTING_MAX)
			if (connect_one(port, &clients[next++]) == 0)
				pending++;
		if (next == nclients && pending == 0)
			return;
		clients_serve(TICK_US / 1000);
	}
}

/* What client i should get of the first n events. */
static long
expected(int i, long n, long n_a)
{
	return clients[i].glob ? n_a : n;
}

static int
all_complete(long n, long n_a)
{
	for (int i = 0; i < nclients; i++)
		if (clients[i].state == C_LIVE &&
		    clients[i].got - clients[i].unwanted < expected(i, n, n_a))
			return 0;
	return 1;
}

/* The close codes seen, as CODE:COUNT,… ("-": none). */
static void
print_close_codes(void)
{
	int codes[16], counts[16], k = 0;

	for (int i = 0; i < nclients; i++) {
		int j;

		if (clients[i].state != C_CLOSED)
			continue;
		for (j = 0; j < k && codes[j] != clients[i].close_code; j++)
			;
		if (j == k && k < 16) {
			codes[k] = clients[i].close_code;
			counts[k++] = 0;
		}
		if (j < k)
			counts[j]++;
	}
	printf(" close_codes=");
	if (k == 0)
		printf("-");
	for (int j = 0; j < k; j++)
		printf("%s%d:%d", j > 0 ? "," : "", codes[j], counts[j]);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'P' },
		{ "token", required_argument, NULL, 'T' },
		{ "prefix", required_argument, NULL, 'x' },
		{ "clients", required_argument, NULL, 'c' },
		{ "rate", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "hosts", required_argument, NULL, 'H' },
		{ "first-id", required_argument, NULL, 'i' },
		{ "pid", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct publisher pub;
	struct rlimit rl;
	pthread_t th;
	double rss0, rss1, t_conn, w0, cpu0, self0, w1, cpu1, self1, drain = 0;
	long n_pub, n_a = 0, exp_sum = 0, got_sum = 0, missing = 0, dups = 0, disorder = 0;
	long unwanted = 0;
	int port = 0, pid = 0, seconds = 10, rate = 2000, o, connected, short_n = 0;

	nclients = 1000;
	hosts = 100;
	memset(&pub, 0, sizeof(pub));
	pub.first_id = 1000000000LL;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'P':
			port = atoi(optarg);
			break;
		case 'T':
			token = optarg;
			break;
		case 'x':
			pub.prefix = optarg;
			break;
		case 'c':
			nclients = atoi(optarg);
			break;
		case 'r':
			rate = atoi(optarg);
			break;
		case 's':
			seconds = atoi(optarg);
			break;
		case 'H':
			hosts = atoi(optarg);
			break;
		case 'i':
			pub.first_id = atoll(optarg);
			break;
		case 'p':
			pid = atoi(optarg);
			break;
		default:
			return usage();
		}
	}
	if (optind != argc || port <= 0 || token == NULL || pub.prefix == NULL || nclients < 1 ||
	    rate < 1 || seconds < 1 || hosts < 2 || hosts > 200 || pub.first_id < 1 ||
	    strchr(token, '"') != NULL || strchr(token, '\\') != NULL)
		return usage();
	if ((pub.url = getenv("VIGIL_AMQP_URL")) == NULL) {
		fprintf(stderr, "vigil-bench-live: VIGIL_AMQP_URL is not set\n");
		return 2;
	}
	/* a descriptor a connection, and some */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)nclients + 64) {
		fprintf(stderr, "vigil-bench-live: %d clients need %d descriptors, the limit is "
		    "%lu\n", nclients, nclients + 64, (unsigned long)rl.rlim_cur);
		return 1;
	}
	total = pub.total = (long)rate * seconds;
	pub.rate = rate;
	pub.hosts = hosts;
	hist = xcalloc(HIST_N, sizeof(*hist));
	clients = xcalloc((size_t)nclients, sizeof(*clients));
	for (int i = 0; i < nclients; i++) {
		clients[i].fd = -1;
		clients[i].idx = i;
		clients[i].glob = i % 2;
		clients[i].seen = xcalloc((size_t)(total + 7) / 8, 1);
	}
	subscription[0] = xasprintf("{\"token\":\"%s\",\"types\":[\"state\"]}", token);
	subscription[1] = xasprintf("{\"token\":\"%s\",\"types\":[\"state\"],"
	    "\"host\":\"fan-a-*\"}", token);
	rss0 = proc_mem(pid, "VmRSS");

	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		fprintf(stderr, "vigil-bench-live: epoll_create1: %s\n", strerror(errno));
		return 1;
	}
	t_conn = mono();
	connect_all(port);
	t_conn = mono() - t_conn;
	if ((connected = count_state(C_LIVE)) == 0) {
		fprintf(stderr, "vigil-bench-live: no client got its snapshot\n");
		return 1;
	}
	rss1 = proc_mem(pid, "VmRSS");

	w0 = w1 = mono();
	cpu0 = cpu1 = proc_cpu(pid);
	self0 = self1 = self_cpu();
	pthread_create(&th, NULL, publish_run, &pub);
	for (double sampled = w0;;) {
		double now;

		clients_serve(TICK_US / 1000);
		now = mono();
		/* the CPU window ends at the sample after the last event read */
		if (now - sampled >= (double)TICK_US / 1e6) {
			if (last_msg > sampled) {
				w1 = now;
				cpu1 = proc_cpu(pid);
				self1 = self_cpu();
			}
			sampled = now;
		}
		if (!atomic_load(&pub.done))
			continue;
		if (drain == 0) {
			drain = now;
			n_pub = atomic_load(&pub.published);
			for (long i = 0; i < n_pub; i++)
				n_a += is_a(i);
		}
		if (all_complete(atomic_load(&pub.published), n_a)) {
			w1 = mono();
			cpu1 = proc_cpu(pid);
			self1 = self_cpu();
			break;
		}
		if (now - (last_msg > drain ? last_msg : drain) > QUIET_END ||
		    now - drain > DRAIN_MAX)
			break;
	}
	pthread_join(th, NULL);
	if (pub.failed)
		fprintf(stderr, "vigil-bench-live: publishing: %s\n", pub.err);
	n_pub = atomic_load(&pub.published);
	for (int i = 0; i < nclients; i++) {
		long e = expected(i, n_pub, n_a), g = clients[i].got - clients[i].unwanted;

		exp_sum += e;
		got_sum += clients[i].got;
		if (g < e) {
			missing += e - g;
			short_n++;
		}
		dups += clients[i].dups;
		disorder += clients[i].disorder;
		unwanted += clients[i].unwanted;
	}
	printf("clients=%d connected=%d connect_s=%.2f published=%ld publish_s=%.2f rate=%.0f "
	    "expected=%ld received=%ld missing=%ld clients_short=%d duplicates=%ld disorder=%ld "
	    "unwanted=%ld closed=%d", nclients, connected, t_conn, n_pub, pub.t1 - pub.t0,
	    pub.t1 > pub.t0 ? (double)n_pub / (pub.t1 - pub.t0) : 0.0, exp_sum, got_sum,
	    missing, short_n, dups, disorder, unwanted, count_state(C_CLOSED));
	print_close_codes();
	printf(" p50_ms=%.2f p99_ms=%.2f max_ms=%.2f delivered_per_s=%.0f bench_cpu_pct=%.0f",
	    samples > 0 ? delay_pct(0.5) : 0.0, samples > 0 ? delay_pct(0.99) : 0.0,
	    (double)delay_max_us / 1000, w1 > w0 ? (double)samples / (w1 - w0) : 0.0,
	    w1 > w0 ? 100 * (self1 - self0) / (w1 - w0) : 0.0);
	if (pid > 0)
		printf(" web_cpu_pct=%.0f web_rss_mb_before=%.1f web_rss_mb_connected=%.1f "
		    "web_rss_mb=%.1f web_hwm_mb=%.1f", w1 > w0 && cpu0 >= 0 && cpu1 >= 0 ?
		    100 * (cpu1 - cpu0) / (w1 - w0) : -1.0, rss0, rss1, proc_mem(pid, "VmRSS"),
		    proc_mem(pid, "VmHWM"));
	printf("\n");
	fflush(stdout);
	for (int i = 0; i < nclients; i++) {
		/* a normal close (1000), so vigil-web sees a goodbye */
		if (clients[i].state == C_OPEN || clients[i].state == C_LIVE) {
			clients[i].olen = 0;
			ws_put(&clients[i], 8, (const unsigned char *)"\x03\xe8", 2);
		}
		client_close(&clients[i]);
		free(clients[i].seen);
	}
	close(ep);
	free(rbuf);
	free(subscription[0]);
	free(subscription[1]);
	free(clients);
	free(hist);
	return pub.failed ? 1 : 0;
}

/*
 * NAME
 *	vigilctl - the command line of vigil
 * SYNOPSIS
 *	vigilctl [--url URL [--token-file FILE]] [-c vigil.yaml] COMMAND …
 *	(vigilctl --help lists the commands)
 * DESCRIPTION
 *	With --url (or $VIGIL_URL) every command goes through vigil-web's
 *	HTTP API (remote.c), with the token of $VIGIL_TOKEN or the first
 *	line of --token-file: an operator needs no database or broker
 *	credentials, and the API decides what the token may do. Without a
 *	URL, vigilctl reads PostgreSQL (read-only, the named queries of
 *	lib/query.c) and sends to RabbitMQ directly, reaching them through
 *	vigil.yaml (-c, or $VIGIL_CONFIG) and $VIGIL_PG / $VIGIL_AMQP_URL, in
 *	the schema named by the prefix ($VIGIL_PREFIX overrides); show and
 *	downtimes need the API.
 *
 *	status lists every check with host, service, state, state type,
 *	attempt, last check time and output; a multi-location check (several
 *	pools) also each location's last result, in pool order (a line each,
 *	or "locations" in --json); through the API with the filters --host,
 *	--service (globs), --group (with its subtree), --state, --problems
 *	and --unhandled. show prints one check in full: state, output,
 *	attempts, times, locations, acknowledgement, downtimes and its latest
 *	notifications. groups prints the group tree (a group with several
 *	parents appears under each) with its counts and worst state, as the
 *	engine keeps them in group_state. workers lists the pools (those of
 *	checks and of live workers) with their state (ok, overloaded,
 *	no_worker, pending), their flow (capacity: the live workers'
 *	concurrency; inflight: jobs out; held: due checks the engine holds
 *	back; wait: the oldest held one's wait) and each pool's live workers,
 *	as the engine last recorded them from their heartbeats. submit
 *	publishes a passive result (refused, exit 1, for a check that does
 *	not exist). reload, recheck, ack, unack, notify, downtime and its
 *	--cancel go to the engine (exchange <prefix>.commands) with an id,
 *	and vigilctl waits (at most 15 s) for the engine's verdict in the
 *	command log and prints it: applied, or refused and why (a reload's
 *	every config error). downtimes lists the open downtimes with their
 *	ids. notifications lists the latest notifications with each
 *	delivery's contact, channel, status, attempts and last error
 *	(--failed: only deliveries given up or being retried).
 * DIAGNOSTICS
 *	Exit 0 on success; 1 when the engine or the API refuses (the reason
 *	on stderr), a check does not exist, or a server cannot be reached; 2
 *	on a usage error.
 */
#include "ctl.h"
#include "auth.h"
#include "config.h"
#include "daemon.h"
#include "msg.h"
#include "mqcli.h"
#include "mq_tls.h"
#include "pg.h"
#include "result.h"
#include "topology.h"
#include "util.h"
#include "xalloc.h"
#include "query.h"

#include <getopt.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct auth *ctl_auth;
int ctl_allow_unauthenticated;

int
ctl_keygen(int argc, char **argv)
{
	char text[512], id[64];
	time_t now = time(NULL);
	struct tm tm;
	int fd;
	size_t len;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: vigilctl keygen FILE [KEYID]\n");
		return 2;
	}
	gmtime_r(&now, &tm);
	snprintf(id, sizeof(id), "%s", argc == 3 ? argv[2] : "");
	if (argc < 3)
		strftime(id, sizeof(id), "k%Y%m%d", &tm);
	if (auth_generate(id, text, sizeof(text)) < 0) {
		fprintf(stderr, "vigilctl: keygen: no randomness from the system\n");
		return 1;
	}
	if ((fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		fprintf(stderr, "vigilctl: keygen: %s: %s%s\n", argv[1], strerror(errno),
		    errno == EEXIST ? " (a key file is never overwritten: rotate by adding "
		    "a second line)" : "");
		return 1;
	}
	len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0 || close(fd) < 0) {
		fprintf(stderr, "vigilctl: keygen: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	{
		char err[512];
		struct auth *a = auth_load(argv[1], err, sizeof(err));

		if (a == NULL) {
			fprintf(stderr, "vigilctl: keygen: %s\n", err);
			return 1;
		}
		auth_free(a);
	}
	printf("key %s written to %s (mode 0600)\n", id, argv[1]);
	return 0;
}

/* The key file of vigil.yaml, else of $VIGIL_AUTH_KEY_FILE: -1 when one
 * is named and cannot be used. */
static int
load_keys(const struct config *cfg)
{
	const char *path = cfg->auth_key_file;
	char err[512];

	if (path == NULL)
		path = getenv("VIGIL_AUTH_KEY_FILE");
	ctl_allow_unauthenticated = cfg->allow_unauthenticated;
	if (path == NULL || *path == '\0')
		return 0;
	if ((ctl_auth = auth_load(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "vigilctl: auth_key_file: %s\n", err);
		return -1;
	}
	return 0;
}

void
ctl_usage(FILE *f)
{
	fprintf(f,
	    "usage: vigilctl [--url URL [--token-file FILE]] [-c vigil.yaml] COMMAND\n"
	    "  --url URL (or $VIGIL_URL): through vigil-web's API, with the token of\n"
	    "  $VIGIL_TOKEN or FILE; without one, straight to PostgreSQL and RabbitMQ\n"
	    "commands:\n"
	    "  status [--problems] [--unhandled] [--host GLOB] [--service GLOB]\n"
	    "         [--group NAME] [--state STATE] [--json]\n"
	    "                                 every check and its state (filters: --url)\n"
	    "  show HOST[/SERVICE] [--json]   one check in full (--url)\n"
	    "  groups [--json]                the group tree with counts and worst state\n"
	    "  workers [--json]               pools, their state and their live workers\n"
	    "  submit HOST[/SERVICE] STATE OUTPUT   a passive result (STATE: OK, WARNING,\n"
	    "                                 CRITICAL, UNKNOWN, UP, DOWN or 0-3)\n"
	    "  reload                         make the engine load its config again\n"
	    "  keygen FILE [KEYID]            write a new message key file (mode 0600)\n"
	    "  recheck HOST[/SERVICE]         run the check now\n"
	    "  ack HOST[/SERVICE] -m TEXT [--sticky] [--no-notify]\n"
	    "                                 acknowledge a problem (sticky: until OK)\n"
	    "  unack HOST[/SERVICE]           remove the acknowledgement\n"
	    "  notify HOST[/SERVICE] -m TEXT  send a CUSTOM notification to its contacts\n"
	    "  downtime HOST[/SERVICE] --for DURATION -m TEXT [--start WHEN]\n"
	    "           [--flexible WINDOW] [--services] [--children | --children-triggered]\n"
	    "                                 schedule downtime (WHEN: epoch seconds or +5m;\n"
	    "                                 flexible: starts at the first problem within\n"
	    "                                 WINDOW, lasts DURATION; a host's child hosts\n"
	    "                                 too, or triggered: they start with it)\n"
	    "  downtime HOST[/SERVICE] --cancel [ID] [--services]   cancel downtime\n"
	    "  downtimes [--host GLOB] [--json]   the open downtimes (--url)\n"
	    "  disable|enable SWITCH HOST[/SERVICE] [--services] [-m TEXT]\n"
	    "  disable|enable SWITCH --global [-m TEXT]\n"
	    "                                 a runtime switch, kept across restarts\n"
	    "                                 (SWITCH: active_checks, passive_checks,\n"
	    "                                 notifications, flap_detection,\n"
	    "                                 event_handlers)\n"
	    "  notifications [--failed] [--limit N] [--json]\n"
	    "                                 latest notifications and their deliveries\n"
	    "  plugin-test [--timeout S] [--pool P] [--host] -- PLUGIN [ARG...]\n"
	    "                                 run a plugin as a worker does (its user, limits,\n"
	    "                                 environment) and show how vigil reads it\n"
	    "  import-nagios [-o FILE] nagios.cfg\n"
	    "                                 a Nagios configuration as conf.d YAML (what\n"
	    "                                 is not translated: on stderr, with file:line)\n"
	    "exit status: 0 done, 1 refused or failed (the reason on stderr), 2 usage\n");
}

int
main(int argc, char **argv)
{
	const char *config_path = getenv("VIGIL_CONFIG"), *url = getenv("VIGIL_URL");
	const char *token_file = NULL;
	struct config *cfg;
	PGconn *pc;
	char err[1024];
	int i = 1, rc;

	while (i + 1 < argc) {
		if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0)
			config_path = argv[i + 1];
		else if (strcmp(argv[i], "--url") == 0)
			url = argv[i + 1];
		else if (strcmp(argv[i], "--token-file") == 0)
			token_file = argv[i + 1];
		else
			break;
		i += 2;
	}
	/* Names, comments and outputs travel as JSON, which is UTF-8: text
	 * that is not is refused here, clearly, never half-sent. */
	for (int k = 1; k < argc; k++)
		if (!util_utf8_valid(argv[k])) {
			fprintf(stderr, "vigilctl: argument %d is not valid UTF-8: refused (names, "
			    "comments and outputs must be UTF-8 text)\n", k);
			return 2;
		}
	if (i >= argc || strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
		ctl_usage(i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
	}
	if (i < argc && strcmp(argv[i], "--version") == 0) {
		printf("vigilctl %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (strcmp(argv[i], "keygen") == 0)
		return ctl_keygen(argc - i, argv + i);
	/* files in, a file out: no server, no vigil.yaml */
	if (strcmp(argv[i], "import-nagios") == 0)
		return ctl_import_nagios(argc - i, argv + i);
	/* plugin-test runs here, as a worker would: never through the API */
	if (url != NULL && *url != '\0' && strcmp(argv[i], "plugin-test") != 0)
		return ctl_remote(url, token_file, argc - i, argv + i);
	if (strcmp(argv[i], "show") == 0 || strcmp(argv[i], "downtimes") == 0) {
		fprintf(stderr, "vigilctl: %s reads through vigil-web: give --url URL (or set "
		    "VIGIL_URL)\n", argv[i]);
		return 2;
	}
	/* The daemons' default ($VIGIL_CONFIG, then sysconfdir), when it
	 * is there: vigilctl also works from the environment alone. */
	if (config_path == NULL && access(daemon_default_config(), R_OK) == 0)
		config_path = daemon_default_config();
	cfg = config_new();
	if (config_path != NULL && config_load(cfg, config_path, CONFIG_DAEMON_ONLY) < 0) {
		rc = daemon_print_config_errors("vigilctl", cfg);
		config_free(cfg);
		return rc;
	}
	if (strcmp(argv[i], "plugin-test") == 0) {
		rc = ctl_plugin_test(cfg, argc - i, argv + i);
		config_free(cfg);
		return rc;
	}
	if (load_keys(cfg) < 0) {
		config_free(cfg);
		return 1;
	}
	{
		char why[512];

		/* amqps: the broker verified as the daemons verify it */
		if (mq_tls_configure(cfg->amqp_tls.ca_file, cfg->amqp_tls.cert_file,
		    cfg->amqp_tls.key_file, cfg->amqp_tls.verify_hostname, why, sizeof(why)) < 0) {
			fprintf(stderr, "vigilctl: %s\n", why);
			config_free(cfg);
			return 1;
		}
	}
	{
		/* Without a vigil.yaml, the environment alone. */
		const char *conninfo = config_path != NULL ? cfg->pg_conninfo : getenv("VIGIL_PG");
		const char *prefix = config_path != NULL ? cfg->prefix : getenv("VIGIL_PREFIX");
		const char *amqp = config_path != NULL ? cfg->amqp_url : getenv("VIGIL_AMQP_URL");

		if (prefix == NULL)
			prefix = "vigil";
		if (amqp == NULL)
			amqp = "amqp://guest:guest@127.0.0.1:5672/";
		if ((strcmp(argv[i], "submit") == 0 || strcmp(argv[i], "reload") == 0)) {
			/* with a database: the check known, the reload's verdict */
			pc = conninfo != NULL ? pg_connect(conninfo, prefix, err, sizeof(err)) : NULL;
			rc = argv[i][0] == 's' ? ctl_submit(pc, amqp, prefix, argc - i, argv + i) :
			    ctl_reload(pc, amqp, prefix, argc - i);
			if (pc != NULL)
				PQfinish(pc);
			config_free(cfg);
			return rc;
		}
		if (conninfo == NULL) {
			fprintf(stderr, "vigilctl: no database: give -c vigil.yaml or set VIGIL_PG\n");
			config_free(cfg);
			return 1;
		}
		pc = pg_connect(conninfo, prefix, err, sizeof(err));
		if (pc == NULL) {
			fprintf(stderr, "vigilctl: cannot reach PostgreSQL: %s\n", err);
			config_free(cfg);
			return 1;
		}
		if (strcmp(argv[i], "ack") == 0 || strcmp(argv[i], "unack") == 0 ||
		    strcmp(argv[i], "downtime") == 0 || strcmp(argv[i], "notify") == 0 ||
		    strcmp(argv[i], "recheck") == 0 || strcmp(argv[i], "disable") == 0 ||
		    strcmp(argv[i], "enable") == 0) {
			rc = strcmp(argv[i], "downtime") == 0 ? ctl_downtime(pc, amqp, prefix,
			    argc - i, argv + i) : strcmp(argv[i], "disable") == 0 ||
			    strcmp(argv[i], "enable") == 0 ? ctl_switch(pc, amqp, prefix, argc - i,
			    argv + i) : ctl_ack(pc, amqp, prefix, argc - i, argv + i);
			PQfinish(pc);
			config_free(cfg);
			return rc;
		}
	}
	if (strcmp(argv[i], "status") == 0)
		rc = ctl_status(pc, argc - i, argv + i);
	else if (strcmp(argv[i], "groups") == 0)
		rc = ctl_groups(pc, argc - i, argv + i);
	else if (strcmp(argv[i], "workers") == 0)
		rc = ctl_workers(pc, argc - i, argv + i);
	else if (strcmp(argv[i], "notifications") == 0)
		rc = ctl_notifications(pc, argc - i, argv + i);
	else {
		fprintf(stderr, "vigilctl: unknown command \"%s\"\n", argv[i]);
		ctl_usage(stderr);
		rc = 2;
	}
	PQfinish(pc);
	config_free(cfg);
	auth_free(ctl_auth);
	return rc;
}

/*
 * NAME
 *	vigilctl - the command line of vigil
 * SYNOPSIS
 *	vigilctl [-c vigil.yaml] status [--problems] [--json]
 *	vigilctl [-c vigil.yaml] groups [--json]
 *	vigilctl [-c vigil.yaml] workers [--json]
 *	vigilctl [-c vigil.yaml] submit HOST[/SERVICE] STATE OUTPUT
 *	vigilctl [-c vigil.yaml] reload
 *	vigilctl [-c vigil.yaml] ack HOST[/SERVICE] -m TEXT [--sticky] [--no-notify]
 *	vigilctl [-c vigil.yaml] unack HOST[/SERVICE]
 *	vigilctl [-c vigil.yaml] notify HOST[/SERVICE] -m TEXT
 *	vigilctl [-c vigil.yaml] downtime HOST[/SERVICE] --for DURATION -m TEXT
 *	    [--start WHEN] [--flexible WINDOW] [--services]
 *	vigilctl [-c vigil.yaml] downtime HOST[/SERVICE] --cancel [ID] [--services]
 *	vigilctl [-c vigil.yaml] notifications [--failed] [--limit N] [--json]
 * DESCRIPTION
 *	status lists every check with host, service, state, state type,
 *	attempt, last check time and output; a multi-location check (several
 *	pools) also each location's last result, in pool order (a line each,
 *	or "locations" in --json). groups prints the group tree
 *	(a group with several parents appears under each) with its counts and
 *	worst state, as the engine keeps them in group_state. workers lists
 *	the pools (those of checks and of live workers) with their state (ok,
 *	overloaded, no_worker, pending), their flow (capacity: the live
 *	workers' concurrency; inflight: jobs out; held: due checks the engine
 *	holds back; wait: the oldest held one's wait) and each pool's live
 *	workers, as the engine last
 *	recorded them from their heartbeats (tables pools and workers). submit
 *	publishes a passive result and reload asks the engine to load its
 *	config again, both through RabbitMQ ($VIGIL_AMQP_URL or vigil.yaml),
 *	waiting for the broker's confirm. ack, unack, downtime and its
 *	--cancel go to the engine the same way (exchange <prefix>.commands)
 *	with an id, and vigilctl then waits (at most 15 s) for the engine's
 *	verdict in the command log (table command_log) and prints it: applied,
 *	or refused and why. notifications lists the latest notifications with
 *	each delivery's contact, channel, status, attempts and last error
 *	(--failed: only deliveries given up or being retried). Until the engine's HTTP API
 *	exists, vigilctl reads PostgreSQL directly (read-only, through the
 *	named queries of lib/query.c), reaching it
 *	through vigil.yaml (-c, or $VIGIL_CONFIG) and $VIGIL_PG, in the schema
 *	named by the prefix ($VIGIL_PREFIX overrides).
 * DIAGNOSTICS
 *	Exit 0 on success, 1 when the database cannot be read (the message
 *	says why), 2 on a usage error.
 */
#include "ctl.h"
#include "config.h"
#include "daemon.h"
#include "msg.h"
#include "mqcli.h"
#include "pg.h"
#include "result.h"
#include "topology.h"
#include "util.h"
#include "xalloc.h"
#include "query.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
ctl_usage(FILE *f)
{
	fprintf(f,
	    "usage: vigilctl [-c vigil.yaml] COMMAND\n"
	    "commands:\n"
	    "  status [--problems] [--json]   every check and its state\n"
	    "  groups [--json]                the group tree with counts and worst state\n"
	    "  workers [--json]               pools, their state and their live workers\n"
	    "  submit HOST[/SERVICE] STATE OUTPUT   a passive result (STATE: OK, WARNING,\n"
	    "                                 CRITICAL, UNKNOWN, UP, DOWN or 0-3)\n"
	    "  reload                         make the engine load its config again\n"
	    "  ack HOST[/SERVICE] -m TEXT [--sticky] [--no-notify]\n"
	    "                                 acknowledge a problem (sticky: until OK)\n"
	    "  unack HOST[/SERVICE]           remove the acknowledgement\n"
	    "  notify HOST[/SERVICE] -m TEXT  send a CUSTOM notification to its contacts\n"
	    "  downtime HOST[/SERVICE] --for DURATION -m TEXT [--start WHEN]\n"
	    "           [--flexible WINDOW] [--services]\n"
	    "                                 schedule downtime (WHEN: epoch seconds or +5m;\n"
	    "                                 flexible: starts at the first problem within\n"
	    "                                 WINDOW, lasts DURATION)\n"
	    "  downtime HOST[/SERVICE] --cancel [ID] [--services]   cancel downtime\n"
	    "  notifications [--failed] [--limit N] [--json]\n"
	    "                                 latest notifications and their deliveries\n");
}

int
main(int argc, char **argv)
{
	const char *config_path = getenv("VIGIL_CONFIG");
	struct config *cfg;
	PGconn *pc;
	char err[1024];
	int i = 1, rc;

	if (i + 1 < argc && (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0)) {
		config_path = argv[i + 1];
		i += 2;
	}
	if (i >= argc || strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
		ctl_usage(i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
	}
	if (i < argc && strcmp(argv[i], "--version") == 0) {
		printf("vigilctl %s\n", PACKAGE_VERSION);
		return 0;
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
	{
		/* Without a vigil.yaml, the environment alone. */
		const char *conninfo = config_path != NULL ? cfg->pg_conninfo : getenv("VIGIL_PG");
		const char *prefix = config_path != NULL ? cfg->prefix : getenv("VIGIL_PREFIX");
		const char *amqp = config_path != NULL ? cfg->amqp_url : getenv("VIGIL_AMQP_URL");

		if (prefix == NULL)
			prefix = "vigil";
		if (amqp == NULL)
			amqp = "amqp://guest:guest@127.0.0.1:5672/";
		if (strcmp(argv[i], "submit") == 0 || strcmp(argv[i], "reload") == 0) {
			rc = argv[i][0] == 's' ? ctl_submit(amqp, prefix, argc - i, argv + i) :
			    ctl_reload(amqp, prefix, argc - i);
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
		    strcmp(argv[i], "downtime") == 0 || strcmp(argv[i], "notify") == 0) {
			rc = argv[i][0] == 'd' ? ctl_downtime(pc, amqp, prefix, argc - i, argv + i) :
			    ctl_ack(pc, amqp, prefix, argc - i, argv + i);
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
	return rc;
}

/*
 * NAME
 *	config - vigil.yaml and the conf.d YAML files, loaded into plain structs
 * DESCRIPTION
 *	config_load() reads the daemon settings (vigil.yaml) and, unless
 *	CONFIG_DAEMON_ONLY is given, every YAML file of conf_dir (sorted by name)
 *	into one struct config: commands, templates resolved through `use:`,
 *	hosts with their host check and services (inline and standalone),
 *	groups and timeperiods (each check's check_period resolved to one),
 *	contacts and contact groups (each check's notify: resolved to contact
 *	names). Every check's argv is expanded here (macros per argument, see
 *	macro.h), so an unknown macro is a load-time error; only $USERn$ stays,
 *	as that text with its place in the check's users, for the worker to
 *	fill in from its own resource file.
 *
 *	Environment: VIGIL_AMQP_URL and VIGIL_PG override `amqp` and
 *	`postgres`; VIGIL_CONF_DIR overrides `conf_dir`, VIGIL_PREFIX
 *	`prefix`; VIGIL_RESOURCE_FILE is used when vigil.yaml names no
 *	resource_file.
 * DIAGNOSTICS
 *	config_load() never stops at the first problem: it collects every
 *	error as "file:line:column: message" (the message names the object and
 *	the key and says what is expected) into cfg->errors, and returns -1 if
 *	there is any. Library code: nothing is logged.
 * SECURITY
 *	The resource file ($USERn$ secrets) is refused when group or world
 *	readable. Its values never end up in a check's argv (they are the
 *	worker's to fill in); a worker's or notifier's expanded argv is never
 *	logged.
 */
#ifndef VIGIL_CONFIG_H
#define VIGIL_CONFIG_H

#include <stddef.h>

struct timeperiod;		/* timeperiod.h */

struct config_store;		/* config/store.c */

/* Where an object or key was defined. file points into config->files. */
struct cfg_mark {
	const char *file;
	int line;		/* 1-based */
	int col;		/* 1-based */
};

struct cfg_var {		/* custom variable: vars: {env: production} */
	char *name;		/* as written, e.g. "env"; macro $_HOSTENV$ */
	char *value;
};

struct cfg_command {
	char *name;
	char **argv;		/* unexpanded, as written; NULL-terminated */
	size_t argc;
	int timeout;		/* seconds; 0 = the check's or default timeout */
	struct cfg_mark mark;
};

/* A host check (service == NULL) or a service check. */
struct cfg_check {
	char *host;		/* host name (points into the host's name) */
	char *service;		/* service description, NULL for a host check */
	char *command;		/* command name */
	char **argv;		/* expanded, NULL-terminated; argv[0] is the plugin;
				 * every $USERn$ left as that text (users) */
	size_t argc;
	char *users;		/* where the worker puts $USERn$ values from its
				 * own resource file: "ARG:OFF:N" items joined
				 * by ';' (argv[ARG] holds "$USERN$" at byte
				 * OFF), NULL when none. Secrets never reach
				 * the engine's memory, a job or PostgreSQL */
	/* event_handler (NULL: none): its command expanded as a check's,
	 * with its runtime macros left as their text "$NAME$", each place
	 * in eh_macros ("ARG:OFF:ID" items joined by ';', ID a macro.h
	 * MACRO_EV_*) for the engine to fill in; $USERn$ as in users */
	char *event_handler;	/* its command's name */
	char **eh_argv;
	size_t eh_argc;
	char *eh_users;
	char *eh_macros;
	int eh_timeout;		/* seconds: its command's, else 30 (Nagios's
				 * event_handler_timeout) */
	int event_handler_enabled;	/* default 1 */
	int event_handler_in_downtime;	/* run it in downtime too; default 0 */
	int interval;		/* seconds, default 300 */
	int retry_interval;	/* seconds, default 60 */
	int max_attempts;	/* default 3 */
	int timeout;		/* seconds; default 60 services, 30 hosts */
	char **pools;		/* NULL-terminated; default: { worker.pool } */
	size_t npools;
	int quorum;		/* with several pools: how many locations must
				 * report a status (or worse) for the check to
				 * have it; 1..npools, default 1 (engine/quorum.h) */
	int active;		/* schedule it (default 1) */
	int passive;		/* accept passive results (default 1) */
	char **groups;		/* services: groups listing this service alone;
				 * NULL-terminated, empty for host checks */
	size_t ngroups;
	struct cfg_mark mark;	/* where the service (or host) is defined; an
				 * applied service: in its rule */
	char *rule;		/* the apply rule that made it; NULL: written
				 * by hand */
	/*
	 * States below are plugin statuses 0..3 (OK, WARNING, CRITICAL,
	 * UNKNOWN). A host check maps them as it maps a result (0/1 UP, 2/3
	 * DOWN): a host's "UP" is stored as 0, "DOWN" as 2.
	 */
	int timeout_state;	/* status when the plugin times out; default 2
				 * (CRITICAL, as Nagios) */
	int freshness_threshold; /* seconds without a result before the check
				 * is stale; 0 (default): interval + 15 s, which
				 * the engine computes */
	int stale_state;	/* status of a stale check; default 3 (UNKNOWN) */
	int freshness;		/* freshness is checked: freshness: true, or a
				 * freshness_threshold set (Nagios's
				 * check_freshness); default 0 */
	int stale_state_set;	/* stale_state written: a stale check takes it;
				 * else a stale active check's command runs */
	int flap_detection;	/* default 1 */
	int flap_detection_options; /* the states flap detection counts:
				 * CONFIG_STATE_SET_* bits; default all */
	int stalking;		/* states in which a new output of an unchanged
				 * state is history (Nagios's stalking); default
				 * none */
	double low_flap_threshold;  /* percent state change, default 20; flapping
				 * stops at or below it */
	double high_flap_threshold; /* default 30; flapping starts at or above it;
				 * always low < high */
	int debounce;		/* 0 (default): off, attempts decide. N > 0: a new
				 * state is believed after N identical consecutive
				 * results, and max_attempts is then ignored */
	int is_volatile;	/* every HARD problem result notifies; default 0 */
	char *check_period;	/* timeperiod name; NULL (default): always */
	const struct timeperiod *check_period_tp; /* that timeperiod (points into
				 * config->timeperiods), NULL: always */

	/* Notifications (SEMANTICS.md "Notifications", issue 6). */
	char **contacts;	/* `notify:` resolved: contact names (groups
				 * expanded, nested), unique, sorted,
				 * NULL-terminated; empty: the check notifies
				 * nobody */
	size_t ncontacts;
	unsigned notify_on;	/* NOTIFY_ON_* of the check; default
				 * NOTIFY_ON_ALL */
	int notifications_enabled; /* 0: no notification of any kind, whatever
				 * notify: says (Nagios notifications_enabled);
				 * default 1 */
	int notification_interval; /* seconds between re-notifications of a
				 * HARD problem; 0: once; default 30m */
	int first_notification_delay; /* seconds after the hard state change
				 * before the first problem notification;
				 * default 0 */
	char *notification_period; /* timeperiod name; NULL: always */
	const struct timeperiod *notification_period_tp;
	struct cfg_escalation *escalations;	/* in definition order */
	size_t nescalations;
};

/*
 * notify_on: states and kinds a check or contact is notified of. YAML names:
 * warning, critical, unknown, down, unreachable, recovery, flapping,
 * downtime; "all" and "none". Acknowledgements and custom notifications are
 * always sent (as Nagios).
 */
#define NOTIFY_ON_WARNING	0x01
#define NOTIFY_ON_CRITICAL	0x02
#define NOTIFY_ON_UNKNOWN	0x04
#define NOTIFY_ON_DOWN		0x08
#define NOTIFY_ON_UNREACHABLE	0x10
#define NOTIFY_ON_RECOVERY	0x20
#define NOTIFY_ON_FLAPPING	0x40
#define NOTIFY_ON_DOWNTIME	0x80
#define NOTIFY_ON_ALL		0xff

/* escalations: [{first: 3, last: 5, notify: [boss], interval: 10m}] */
struct cfg_escalation {
	int first;		/* notification numbers first..last; >= 1 */
	int last;		/* 0: open-ended; else >= first */
	char **contacts;	/* `notify:` resolved as the check's
				 * (NULL-terminated) */
	size_t ncontacts;
	int interval;		/* seconds; -1 (default): the check's
				 * notification_interval */
	char *period;		/* timeperiod name, NULL: always */
	const struct timeperiod *period_tp;
	struct cfg_mark mark;
};

/* conf.d `contacts:`. At least one channel is required. */
struct cfg_contact {
	char *name;
	char *alias;		/* default: the name */
	char *email;		/* NULL: no email */
	char *slack;		/* Slack channel ("#ops"); NULL: no Slack */
	char *webhook;		/* URL of a generic JSON webhook; NULL: none */
	char *command;		/* notification command (a `commands:` name,
				 * argv with notification macros, run without
				 * a shell); NULL: none */
	unsigned notify_on;	/* default NOTIFY_ON_ALL */
	char *period;		/* timeperiod name; NULL: always */
	const struct timeperiod *period_tp;
	struct cfg_var *vars;	/* $_CONTACTvar$; a notification command
				 * may only name these */
	size_t nvars;
	struct cfg_mark mark;
};

/* conf.d `contact_groups:`: {ops: {members: [alice, bob], groups: [dba]}} */
struct cfg_contact_group {
	char *name;
	char *alias;		/* default: the name */
	char **members;		/* resolved: contact names, nested groups
				 * expanded, unique, sorted, NULL-terminated */
	size_t nmembers;
	struct cfg_mark mark;
};

struct cfg_host {
	char *name;
	char *address;		/* default: the name */
	char *alias;		/* default: the name */
	char **parents;		/* NULL-terminated */
	size_t nparents;
	struct cfg_var *vars;
	size_t nvars;
	char **groups;		/* groups listing this host, NULL-terminated */
	size_t ngroups;
	struct cfg_mark mark;
};

/* A group (issue: hierarchical groups). Members come from hosts and
 * services that list the group in their `groups:` key and from the glob
 * patterns here; a host member brings its host check and all its
 * services, a service member only itself. */
struct cfg_group {
	char *name;
	char *title;		/* default: the name */
	char **parents;		/* NULL-terminated; a DAG, cycles are errors */
	size_t nparents;
	char **host_patterns;	/* fnmatch(3) globs on host names */
	size_t nhost_patterns;
	char **service_patterns; /* globs on "host/service" */
	size_t nservice_patterns;
	struct cfg_mark mark;
};

/* conf.d `timeperiods:`, see timeperiod.h. */
struct cfg_timeperiod {
	char *name;
	struct timeperiod *tp;	/* owned; its exclusions point to other
				 * entries' tp */
	struct cfg_mark mark;
};

/* conf.d `apply:` rules, for --explain. */
struct cfg_rule {
	char *name;
	struct cfg_mark mark;
	size_t nservices;	/* services it defines */
	size_t nhosts;		/* hosts it matched (skips included) */
};

/*
 * One edge of a dependency (conf.d `dependencies:`): checks[dependent]
 * depends on checks[master]. Criteria: the master's states (its state,
 * or its last hard state while it is SOFT) in which the dependent's
 * active checks do not run (exec_fail) or its problem and recovery
 * notifications are not sent (notify_fail): bit s for state s (OK..
 * UNKNOWN, or UP, DOWN, UNREACHABLE), CONFIG_DEP_PENDING for no result
 * yet. Outside its period, an edge never fails.
 */
struct cfg_dependency {
	char *name;		/* the dependency it comes from */
	size_t dependent, master;	/* indexes in cfg->checks */
	unsigned exec_fail, notify_fail;
	int inherits_parent;	/* also fails when the master's own edges of
				 * that kind fail (Nagios's inherits_parent) */
	char *period;		/* timeperiod name, NULL: always */
	const struct timeperiod *period_tp;
	struct cfg_mark mark;
};
#define CONFIG_DEP_PENDING	0x10

/* A service an apply rule left out on a host (the host's skip_apply). */
struct cfg_apply_skip {
	char *host;
	char *rule;
	char *service;
	struct cfg_mark mark;	/* the skip_apply entry (maybe a template's) */
};

struct cfg_worker {
	char *pool;		/* default "default" */
	int concurrency;	/* default 64 */
	char *plugin_user;	/* default "nagios": plugins run as this user
				 * when the worker starts as root */
	int allow_root_plugins;	/* default 0: a plugin_user of uid 0 is refused */
	char *amqp_url;		/* worker.amqp: its broker user; NULL: amqp */
	size_t output_limit;	/* bytes, default 65536; accepts 64KiB, 1MiB */
};

struct config {
	/* vigil.yaml */
	char *path;		/* vigil.yaml as given */
	char *conf_dir;		/* absolute or relative to vigil.yaml's dir */
	char *prefix;		/* default "vigil" */
	char *amqp_url;		/* default amqp://guest:guest@127.0.0.1:5672/ */
	char *pg_conninfo;	/* default "host=127.0.0.1 port=5432 dbname=vigil" */
	char *http_listen;	/* http: or http.listen, default 127.0.0.1:8080 */
	char *api_token_file;	/* api_token_file: or http.api_token_file */
	struct cfg_http {
		char *tls_cert, *tls_key;	/* both or neither: HTTPS */
		int anonymous_read;	/* default 0: reads need a token */
		size_t max_body;	/* bytes of a request body, default 64KiB */
		size_t max_header;	/* bytes of a request's headers, default 8KiB */
		int max_client_requests;	/* in progress per client address, 64 */
		int timeout;		/* s for a client to send its request, 30 */
		size_t max_client_queue;	/* bytes unsent to a websocket client, 4MiB */
		int ping;		/* s of websocket silence before a ping, 30;
					 * twice that unanswered: dropped */
		char *amqp_url;		/* http.amqp: vigil-web's broker user; NULL: amqp */
	} http;
	char *resource_file;	/* NULL: none */
	/* amqps:// (every daemon's URL): the broker's certificate is always
	 * verified, against ca_file (NULL: the system's CAs); cert_file and
	 * key_file: a client certificate, both or neither. */
	struct {
		char *ca_file, *cert_file, *key_file;
		int verify_hostname;	/* default 1 */
	} amqp_tls;
	int translate_passive_host_checks;	/* default 0: a passive host result's
					 * DOWN stays DOWN behind down parents (as
					 * Nagios's option of that name); 1: it
					 * becomes UNREACHABLE as an active one does */
	char *user;		/* the engine, notifier and vigil-web started as
				 * root run as this user after start-up (not
				 * the worker: plugin_user); NULL: stay */
	char *auth_key_file;	/* message keys (auth.h); NULL: none */
	int allow_unauthenticated;	/* default 0: untagged messages refused,
					 * and no daemon runs without keys */
	char *schema_dir;	/* default: configure's SCHEMA_DIR */
	char *plugin_dir;	/* $PLUGINDIR$, default configure's PLUGIN_DIR */
	char *vigil_plugin_dir;	/* $VIGILPLUGINDIR$, default configure's VIGIL_PLUGIN_DIR */
	char *plugin_dirs;	/* ':'-separated absolute directories a worker
				 * also runs plugins from, besides plugin_dir
				 * and vigil_plugin_dir; NULL: none */
	size_t max_message_size; /* bytes of a broker message the engine, a worker
				 * or the notifier takes, default 4MiB: a bigger
				 * one is read, dropped and parked, never held */
	int parked_max;		/* parked.max: messages kept in <prefix>.parked,
				 * default 10000 (the oldest go first); 0: no bound */
	int parked_ttl;		/* parked.ttl: seconds one is kept, default 7d */
	int max_check_spread;	/* seconds, default 5m: a new check's first run
				 * is a random offset in [0, min(interval, this)) */
	int retention_perfdata;	/* seconds, default 30d */
	int retention_history;	/* seconds, default 365d */
	struct cfg_worker worker;
	struct {
		char *amqp_url;		/* notifier.amqp: its broker user; NULL: amqp */
		char *smtp_url;		/* default smtp://127.0.0.1:25 */
		char *smtp_from;	/* default vigil@localhost */
		char *smtp_starttls;	/* "auto" (default), "always", "never" */
		char *smtp_user;	/* optional */
		char *smtp_password_env; /* name of the env var holding it */
		char *smtp_ca_file;	/* CA certificates to verify the server
					 * with; NULL: the system's */
		char *slack_webhook_url_env; /* default VIGIL_SLACK_WEBHOOK */
		int concurrency;	/* deliveries at once, default 4 */
		int timeout;		/* seconds per delivery, default 30 */
		int retry_delay;	/* seconds in the retry queue, default 60 */
		int retry_attempts;	/* deliveries tried before parking, default 5 */
		int storm_threshold;	/* notifications per contact within
					 * storm_window beyond which they are
					 * grouped into digests; default 10;
					 * 0: every notification is grouped */
		int storm_window;	/* seconds, default 60 */
		int storm_delay;	/* seconds a digest collects, default 10 */
		char *ack_url;		/* base URL shown in messages for acking
					 * (the dashboard); NULL: none */
		/* Message templates (notification macros, see macro.h); NULL:
		 * the built-in ones. */
		char *email_subject;
		char *email_body;
		char *slack_text;
	} notifier;

	/* conf.d */
	/* Owns the strings and string lists of hosts and checks (names,
	 * address, alias, parents, groups; service, command, argv, pools,
	 * periods, contacts, escalations' contacts and periods): one shared,
	 * read-only copy of each distinct one, freed with the config. */
	struct config_store *store;
	struct cfg_command *commands;
	size_t ncommands;
	struct cfg_host *hosts;
	size_t nhosts;
	struct cfg_check *checks;	/* host checks and services, in file order */
	size_t nchecks;
	struct cfg_group *groups;
	size_t ngroups;
	struct cfg_timeperiod *timeperiods;	/* in definition order */
	size_t ntimeperiods;
	struct cfg_contact *contacts;		/* sorted by name */
	size_t ncontacts;
	struct cfg_contact_group *contact_groups;	/* sorted by name */
	size_t ncontact_groups;
	struct cfg_rule *rules;			/* in definition order */
	size_t nrules;
	struct cfg_apply_skip *apply_skips;	/* by host, then rule */
	size_t napply_skips;
	struct cfg_dependency *deps;		/* by dependency, then host */
	size_t ndeps;

	/* $USERn$ values of the resource file: [n] for $USERn$ (n up to
	 * CONFIG_NUSER), NULL where unset; NULL when no resource file was
	 * read (config_user_macro()) */
	char **user_macros;

	/* every file read (interned names that marks point to) */
	char **files;
	size_t nfiles;

	/* every error, "file:line:column: message", in the order found */
	char **errors;
	size_t nerrors;
};

#define CONFIG_DAEMON_ONLY 0x1	/* read vigil.yaml only (workers, vigilctl) */
#define CONFIG_RESOURCES 0x2	/* with CONFIG_DAEMON_ONLY: read the resource
				 * file too (vigil-notifier's $USERn$) */

struct config *config_new(void);
/* Load path (vigil.yaml). Returns 0, or -1 with cfg->errors filled. */
int config_load(struct config *cfg, const char *path, int flags);
void config_free(struct config *cfg);

/* Durations: "30s", "5m", "1h", "1d", "2w" or plain seconds. 0 / -1. */
int config_parse_duration(const char *s, int *seconds);
/* Sizes: "65536", "64KiB", "64KB", "1MiB", "1M". 0 / -1. */
int config_parse_size(const char *s, size_t *bytes);

const struct cfg_host *config_find_host(const struct config *cfg, const char *name);
const struct cfg_command *config_find_command(const struct config *cfg, const char *name);
const struct cfg_group *config_find_group(const struct config *cfg, const char *name);
const struct cfg_timeperiod *config_find_timeperiod(const struct config *cfg,
    const char *name);
const struct cfg_contact *config_find_contact(const struct config *cfg, const char *name);

/* The value of $USERn$ (name "USER1" …) from the resource file, NULL if
 * unset or none was read. A secret: never log it. */
const char *config_user_macro(const struct config *cfg, const char *name);
/* The broker URL of a daemon: "worker", "notifier" or "web" have their
 * own (worker.amqp, notifier.amqp, http.amqp: a broker role each) when
 * set; anything else, or unset: amqp. */
const char *config_amqp_url(const struct config *cfg, const char *daemon);
/* Sets of states (stalking, flap_detection_options): a service's state s
 * is bit s, a host's state s is bit 4 + s. */
#define CONFIG_STATE_SET_SERVICE(s)	(1 << (s))
#define CONFIG_STATE_SET_HOST(s)	(1 << (4 + (s)))
#define CONFIG_STATE_SET_ALL		0x7f

#define CONFIG_NUSER	256	/* $USER1$ .. $USER256$, as Nagios */

/* "warning", "critical" … (any case) → NOTIFY_ON_* bit, "all" →
 * NOTIFY_ON_ALL, 0 if unknown (and for "none", which is no bit). */
unsigned config_notify_on_bit(const char *name);

#endif

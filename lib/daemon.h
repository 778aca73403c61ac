/*
 * NAME
 *	daemon - the one skeleton of vigil's daemons
 * SYNOPSIS
 *	int main(int argc, char **argv)
 *	{
 *		static struct worker w;
 *		return daemon_main(argc, argv, &worker_service, &w);
 *	}
 * DESCRIPTION
 *	daemon_main() owns what every vigil daemon does the same way: the
 *	command line (-c/--config, --help, --version and the service's own
 *	options), the config path (-c, else $VIGIL_CONFIG, else vigil.yaml
 *	in the sysconfdir given to configure), loading the configuration and
 *	printing its errors, logging, the process identity (host:pid), the
 *	libev loop and its signals, and the order of start and teardown:
 *
 *	  parse options -> load config -> start() -> signals -> ev_run
 *	  -> teardown()
 *
 *	--log-file FILE sends stderr, and so the log, to FILE (appended;
 *	opened again on every HUP, for a rotation without systemd). Under
 *	systemd (Type=notify) the skeleton reports readiness and stopping
 *	through $NOTIFY_SOCKET (daemon_notify()).
 *
 *	Signals, through ev_signal only: TERM and INT call stop() (default:
 *	break the loop; a second one is ignored, stop() does the draining),
 *	HUP calls hup() (default: re-read the configuration, log its errors
 *	or hand it to reload(), which takes what it can apply live and names
 *	what needs a restart). SIGPIPE is ignored. start() may block before
 *	the loop runs (the engine waits there for the lead) with its own
 *	handlers: the skeleton takes the signals over when start() returns.
 * DIAGNOSTICS
 *	Exit status: 0 clean stop (or an informational option), 1 config
 *	errors (each printed as file:line:column: message, then a count) or
 *	what start() returns, 2 usage errors. A daemon without message keys
 *	(auth_key_file) refuses to start unless allow_unauthenticated is
 *	set; a key file that cannot be read, or is readable by others, is
 *	refused (exit 1). Started as root, a daemon becomes its configured
 *	user (daemon_drop()) or refuses to start (exit 1).
 */
#ifndef VIGIL_DAEMON_H
#define VIGIL_DAEMON_H

#include <ev.h>

struct config;

/* The daemon as the skeleton sees it; services keep a pointer to it. */
struct daemon {
	const struct daemon_service *svc;
	void *arg;			/* the service's options (daemon_main) */
	void *state;			/* the service's own: start() sets it,
					 * teardown() frees it */
	struct ev_loop *loop;
	struct config *cfg;		/* the loaded configuration (owned) */
	const char *config_path;
	char *const *argv;		/* as given to main (re-execution) */
	char host[256];			/* gethostname(), "unknown" if none */
	char identity[300];		/* host:pid */
	double started;			/* util_now() after the config load */
	int stopping;			/* TERM/INT seen */
	int stop_signal;		/* which, for the service's log line */
	int stop_pending;		/* set by start(): a TERM/INT it caught
					 * with its own handler, delivered once
					 * the loop owns the signals */
	ev_signal sig_term, sig_int, sig_hup;
	/* The message keys (auth.h) from auth_key_file, loaded after the
	 * config and again on every HUP (rotation); NULL when none is set
	 * and allow_unauthenticated is. Services hand it to mq_set_auth(). */
	struct auth *auth;
	char *auth_path;
	int allow_unauthenticated;	/* untagged messages accepted */
	const char *log_file;		/* --log-file: stderr goes there */
};

/* An option of the service, beyond -c, --help and --version. */
struct daemon_option {
	const char *name;		/* long name, without "--" */
	int key;			/* short letter, or a value > 255 for none */
	const char *arg;		/* the argument's name in usage, NULL: a flag */
	const char *help;		/* one line for --help */
	/* Take it (arg NULL for a flag). 0, or -1 with err filled: a usage
	 * error. */
	int (*set)(void *arg, const char *value, char *err, size_t errlen);
};

/* start() returns DAEMON_RUN to run the loop, or an exit status. */
#define DAEMON_RUN (-1)

/* When a daemon started as root becomes the configured user. */
enum daemon_privilege {
	DAEMON_DROP_BEFORE_START,	/* before start(): nothing there needs root */
	DAEMON_DROP_IN_START,		/* start() calls daemon_drop() itself, after
					 * what needs root (binding a port) */
	DAEMON_KEEP_ROOT,		/* the worker: it switches each plugin to
					 * worker.plugin_user, and keeps the key
					 * from them */
};

struct daemon_service {
	const char *name;		/* "vigil-worker": logs, usage */
	const char *purpose;		/* one line for --help */
	unsigned config_flags;		/* CONFIG_* of config_load() */
	enum daemon_privilege privilege;
	const struct daemon_option *options;	/* ends with name == NULL */
	/* Whether this run only checks the configuration (the service's
	 * options arg): no broker, so no message keys needed. NULL: never. */
	int (*offline)(const void *arg);
	/* After the config load: create watchers, connect. It may take
	 * d->cfg for its own (and set it NULL), e.g. to swap it on reload. */
	int (*start)(struct daemon *d);
	/* TERM/INT; NULL: ev_break. Called once. */
	void (*stop)(struct daemon *d);
	/* HUP; NULL: daemon_reread() and reload(). */
	void (*hup)(struct daemon *d);
	/* HUP's freshly loaded, valid configuration: apply what can change
	 * live, log what needs a restart. ncfg stays the caller's. NULL:
	 * nothing changes live. */
	void (*reload)(struct daemon *d, const struct config *ncfg);
	/* After the loop: stop watchers, free. The skeleton frees d->cfg. */
	void (*teardown)(struct daemon *d);
};

int daemon_main(int argc, char **argv, const struct daemon_service *svc, void *arg);

/* A daemon started as root becomes cfg->user: its groups, gid and uid,
 * all three of each, for good. 0, or 1 (an exit status) with the reason
 * logged: the user is missing, is worker.plugin_user (plugins would share
 * the daemon's uid and could read its key), or cannot read what HUP
 * re-reads (the config, conf_dir, the key, token and resource files).
 * Not root: nothing to do. Root with no user: a warning, and it stays. */
int daemon_drop(struct daemon *d);

/* The default HUP: load d->config_path again; on errors log them (warn)
 * and keep the running configuration; else call svc->reload. */
void daemon_reread(struct daemon *d);

/* Tell the service manager (systemd's sd_notify protocol, Type=notify):
 * one datagram to $NOTIFY_SOCKET, e.g. "READY=1"; nothing without it.
 * The skeleton says READY=1 when the loop starts (the engine earlier: on
 * standby it is up, waiting for the lead) and STOPPING=1 at TERM/INT. */
void daemon_notify(const char *state);

/* Where the configuration is read from when -c is not given. */
const char *daemon_default_config(void);

/* Print the configuration's errors and their count to stderr; returns 1
 * (the exit status of a refused configuration). */
int daemon_print_config_errors(const char *progname, const struct config *cfg);

#endif

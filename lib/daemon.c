/*
 * NAME
 *	daemon - the one skeleton of vigil's daemons (see daemon.h)
 */
#include "daemon.h"

#include "auth.h"
#include "config.h"
#include "log.h"
#include "mq_tls.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef SYSCONF_DIR
#define SYSCONF_DIR "/etc/vigil"
#endif

enum { OPT_HELP = 'h', OPT_CONFIG = 'c', OPT_VERSION = 256 + 1, OPT_SERVICE = 256 + 2,
	OPT_LOG_FILE = 256 + 3 };

const char *
daemon_default_config(void)
{
	const char *env = getenv("VIGIL_CONFIG");

	return env != NULL && *env != '\0' ? env : SYSCONF_DIR "/vigil.yaml";
}

int
daemon_print_config_errors(const char *progname, const struct config *cfg)
{
	for (size_t i = 0; i < cfg->nerrors; i++)
		fprintf(stderr, "%s\n", cfg->errors[i]);
	fprintf(stderr, "%s: %zu error%s in the configuration\n", progname, cfg->nerrors,
	    cfg->nerrors == 1 ? "" : "s");
	return 1;
}

static void
usage(const struct daemon_service *svc, FILE *f, int full)
{
	const struct daemon_option *o;

	fprintf(f, "usage: %s [-c vigil.yaml]", svc->name);
	for (o = svc->options; o != NULL && o->name != NULL; o++)
		fprintf(f, o->arg != NULL ? " [--%s %s]" : " [--%s]", o->name, o->arg);
	fprintf(f, " [--log-file FILE] [--help] [--version]\n");
	if (!full)
		return;
	fprintf(f, "%s\n\n", svc->purpose);
	fprintf(f, "  %-22s vigil.yaml to read (default: $VIGIL_CONFIG, else %s)\n", "-c, --config FILE",
	    SYSCONF_DIR "/vigil.yaml");
	for (o = svc->options; o != NULL && o->name != NULL; o++) {
		char left[64];

		if (o->key < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->key, o->name,
			    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
			    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
		fprintf(f, "  %-22s %s\n", left, o->help);
	}
	fprintf(f, "  %-22s %s\n", "    --log-file FILE", "log there, not to stderr (opened again on HUP)");
	fprintf(f, "  %-22s %s\n", "-h, --help", "this text");
	fprintf(f, "  %-22s %s\n", "    --version", "print the version and exit");
}

/* -1: usage error (printed); 0: go on; 1: done, exit 0 (--help, --version). */
static int
parse_options(struct daemon *d, int argc, char **argv)
{
	const struct daemon_service *svc = d->svc;
	size_t n = 0, i;
	struct option *lo;
	char shorts[128] = "c:h";
	int ch, rc = 0;

	for (const struct daemon_option *o = svc->options; o != NULL && o->name != NULL; o++)
		n++;
	lo = xcalloc(n + 5, sizeof(*lo));
	lo[0] = (struct option){ "config", required_argument, NULL, OPT_CONFIG };
	lo[1] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	lo[2] = (struct option){ "version", no_argument, NULL, OPT_VERSION };
	lo[3] = (struct option){ "log-file", required_argument, NULL, OPT_LOG_FILE };
	for (i = 0; i < n; i++) {
		const struct daemon_option *o = &svc->options[i];

		lo[4 + i] = (struct option){ o->name, o->arg != NULL ? required_argument : no_argument,
			NULL, OPT_SERVICE * 1000 + (int)i };
		if (o->key < 256 && strlen(shorts) + 3 < sizeof(shorts)) {
			size_t l = strlen(shorts);

			shorts[l++] = (char)o->key;
			if (o->arg != NULL)
				shorts[l++] = ':';
			shorts[l] = '\0';
		}
	}
	optind = 1;
	while (rc == 0 && (ch = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		const struct daemon_option *o = NULL;
		char err[256] = "";

		if (ch >= OPT_SERVICE * 1000)
			o = &svc->options[ch - OPT_SERVICE * 1000];
		else
			for (i = 0; i < n && o == NULL; i++)
				if (svc->options[i].key == ch)
					o = &svc->options[i];
		if (o != NULL) {
			if (o->set(d->arg, o->arg != NULL ? optarg : NULL, err, sizeof(err)) < 0) {
				fprintf(stderr, "%s: --%s: %s\n", svc->name, o->name, err);
				rc = -1;
			}
			continue;
		}
		switch (ch) {
		case OPT_CONFIG:
			d->config_path = optarg;
			break;
		case OPT_LOG_FILE:
			d->log_file = optarg;
			break;
		case OPT_HELP:
			usage(svc, stdout, 1);
			rc = 1;
			break;
		case OPT_VERSION:
			printf("%s %s\n", svc->name, PACKAGE_VERSION);
			rc = 1;
			break;
		default:
			usage(svc, stderr, 0);
			rc = -1;
		}
	}
	if (rc == 0 && optind != argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n", svc->name, argv[optind]);
		usage(svc, stderr, 0);
		rc = -1;
	}
	free(lo);
	return rc;
}

void
daemon_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	size_t len;
	int fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@') ||
	    (len = strlen(path)) >= sizeof(sa.sun_path))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')	/* an abstract socket */
		sa.sun_path[0] = '\0';
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) < 0)
		log_warn("NOTIFY_SOCKET %s: %s (the service manager was not told: %s)", path,
		    strerror(errno), state);
	close(fd);
}

/* stderr to the --log-file, appended; -1 with errno when it cannot be
 * opened (stderr is left as it was). */
static int
log_file_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);

	if (fd < 0)
		return -1;
	if (fd != STDERR_FILENO) {
		if (dup2(fd, STDERR_FILENO) < 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			return -1;
		}
		close(fd);
	}
	return 0;
}

void
daemon_reread(struct daemon *d)
{
	struct config *ncfg = config_new();

	if (config_load(ncfg, d->config_path, d->svc->config_flags) < 0) {
		for (size_t i = 0; i < ncfg->nerrors; i++)
			log_warn("reload: %s", ncfg->errors[i]);
		log_warn("reload refused path=%s errors=%zu action=\"keeping the running configuration\"",
		    d->config_path, ncfg->nerrors);
	} else if (d->svc->reload != NULL) {
		d->svc->reload(d, ncfg);
	} else {
		log_info("reload: configuration valid path=%s; nothing changes live", d->config_path);
	}
	config_free(ncfg);
}

/* The message keys, or the refusal to run without them. */
static int
load_auth(struct daemon *d)
{
	char err[512];

	d->allow_unauthenticated = d->cfg->allow_unauthenticated;
	if (d->cfg->auth_key_file == NULL) {
		if (!d->allow_unauthenticated) {
			fprintf(stderr, "%s: auth_key_file is not set: every vigil daemon needs the "
			    "message key of its installation (`vigilctl keygen FILE` writes one; "
			    "the README's Security section), or `allow_unauthenticated: true` on a "
			    "broker that nothing else can reach\n", d->svc->name);
			return 1;
		}
		log_warn("messages are not authenticated (no auth_key_file): whoever can "
		    "publish to the broker can run commands on the workers");
		return 0;
	}
	if ((d->auth = auth_load(d->cfg->auth_key_file, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: auth_key_file: %s\n", d->svc->name, err);
		return 1;
	}
	d->auth_path = xstrdup(d->cfg->auth_key_file);
	if (d->allow_unauthenticated)
		log_warn("allow_unauthenticated: untagged messages are accepted");
	return 0;
}

/* What HUP reads again must stay readable once we are the user. */
static int
readable_after_drop(const char *what, const char *path, int mode, const char *user)
{
	if (path == NULL || access(path, mode) == 0)
		return 0;
	log_error("%s %s is not readable by user %s (%s): a reload could not read it; give it "
	    "to that user", what, path, user, strerror(errno));
	return 1;
}

int
daemon_drop(struct daemon *d)
{
	const struct config *cfg = d->cfg;
	const char *user = cfg->user;
	struct passwd *pw;
	uid_t r, e, sv;
	int rc = 0;

	if (geteuid() != 0) {
		if (user != NULL)
			log_info("not started as root: user %s left aside", user);
		return 0;
	}
	if (user == NULL) {
		log_warn("running as root: set user (the daemon's own account) so that a flaw "
		    "in %s is not root's", d->svc->name);
		return 0;
	}
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		log_error("user %s: no such user%s%s", user, errno != 0 ? ": " : "",
		    errno != 0 ? strerror(errno) : "");
		return 1;
	}
	if (pw->pw_uid == 0) {
		log_warn("user %s is root: %s keeps running as root", user, d->svc->name);
		return 0;
	}
	if (cfg->worker.plugin_user != NULL && strcmp(cfg->worker.plugin_user, user) == 0) {
		log_error("user %s is also worker.plugin_user: plugins would run as this daemon's "
		    "user and could read its message key; give the daemons their own account",
		    user);
		return 1;
	}
	/* A --log-file made by root: the user's, so that HUP can open it
	 * again (one rotated away and made anew is the rotator's business). */
	if (d->log_file != NULL) {
		struct stat st;

		if (fstat(STDERR_FILENO, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == 0 &&
		    fchown(STDERR_FILENO, pw->pw_uid, pw->pw_gid) < 0)
			log_warn("log file %s: cannot give it to user %s: %s", d->log_file, user,
			    strerror(errno));
	}
	if (initgroups(user, pw->pw_gid) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0) {
		log_error("cannot become user %s: %s", user, strerror(errno));
		return 1;
	}
	/* For good: no way back to root. */
	if (setresuid(0, 0, 0) == 0 || getresuid(&r, &e, &sv) < 0 || r != pw->pw_uid ||
	    e != pw->pw_uid || sv != pw->pw_uid)
		log_fatal("still able to become root after switching to user %s", user);
	log_info("running as user %s uid=%ld gid=%ld", user, (long)pw->pw_uid, (long)pw->pw_gid);
	rc |= readable_after_drop("the configuration", d->config_path, R_OK, user);
	if (!(d->svc->config_flags & CONFIG_DAEMON_ONLY))
		rc |= readable_after_drop("conf_dir", cfg->conf_dir, R_OK | X_OK, user);
	rc |= readable_after_drop("auth_key_file", d->auth_path, R_OK, user);
	if (d->svc->config_flags & CONFIG_RESOURCES)
		rc |= readable_after_drop("resource_file", cfg->resource_file, R_OK, user);
	return rc;
}

/* HUP: the key file again (a rotation step). */
static void
reload_auth(struct daemon *d)
{
	char err[512];

	if (d->auth == NULL)
		return;
	if (auth_reload(d->auth, d->auth_path, err, sizeof(err)) < 0)
		log_warn("reload: auth_key_file: %s; keeping the keys in use", err);
	else
		log_info("message keys reloaded keys=%zu signing=%s", auth_key_count(d->auth),
		    auth_key_id(d->auth));
}

static void
term_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;

	(void)revents;
	if (d->stopping)
		return;
	d->stopping = 1;
	d->stop_signal = w->signum;
	daemon_notify("STOPPING=1");
	if (d->svc->stop != NULL)
		d->svc->stop(d);
	else
		ev_break(loop, EVBREAK_ALL);
}

static void
hup_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;

	(void)loop;
	(void)revents;
	if (d->stopping)
		return;
	if (d->log_file != NULL && log_file_open(d->log_file) < 0)
		log_warn("log file %s: cannot open it again: %s; logging on where it was",
		    d->log_file, strerror(errno));
	log_info("SIGHUP: reloading path=%s", d->config_path);
	reload_auth(d);
	if (d->svc->hup != NULL)
		d->svc->hup(d);
	else
		daemon_reread(d);
}

int
daemon_main(int argc, char **argv, const struct daemon_service *svc, void *arg)
{
	struct daemon d;
	char err[512];
	int rc;

	memset(&d, 0, sizeof(d));
	d.svc = svc;
	d.arg = arg;
	d.argv = argv;
	d.config_path = daemon_default_config();
	rc = parse_options(&d, argc, argv);
	if (rc != 0)
		return rc < 0 ? 2 : 0;
	if (d.log_file != NULL && log_file_open(d.log_file) < 0) {
		fprintf(stderr, "%s: --log-file %s: %s\n", svc->name, d.log_file, strerror(errno));
		return 1;
	}
	log_init(svc->name, LOG_INFO);
	d.cfg = config_new();
	if (config_load(d.cfg, d.config_path, svc->config_flags) < 0) {
		rc = daemon_print_config_errors(svc->name, d.cfg);
		config_free(d.cfg);
		return rc;
	}
	if (mq_tls_configure(d.cfg->amqp_tls.ca_file, d.cfg->amqp_tls.cert_file,
	    d.cfg->amqp_tls.key_file, d.cfg->amqp_tls.verify_hostname, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", svc->name, err);
		config_free(d.cfg);
		return 1;
	}
	if (gethostname(d.host, sizeof(d.host)) < 0 || d.host[0] == '\0')
		snprintf(d.host, sizeof(d.host), "unknown");
	d.host[sizeof(d.host) - 1] = '\0';
	snprintf(d.identity, sizeof(d.identity), "%s:%ld", d.host, (long)getpid());
	d.started = util_now();
	signal(SIGPIPE, SIG_IGN);
	d.loop = EV_DEFAULT;
	if ((svc->offline == NULL || !svc->offline(d.arg)) && (rc = load_auth(&d)) != 0) {
		config_free(d.cfg);
		return rc;
	}

	if (svc->privilege == DAEMON_DROP_BEFORE_START &&
	    (svc->offline == NULL || !svc->offline(d.arg)) && (rc = daemon_drop(&d)) != 0) {
		config_free(d.cfg);
		auth_free(d.auth);
		free(d.auth_path);
		return rc;
	}
	rc = svc->start(&d);
	if (rc != DAEMON_RUN) {
		config_free(d.cfg);
		auth_free(d.auth);
		free(d.auth_path);
		return rc;
	}
	ev_signal_init(&d.sig_term, term_cb, SIGTERM);
	ev_signal_init(&d.sig_int, term_cb, SIGINT);
	ev_signal_init(&d.sig_hup, hup_cb, SIGHUP);
	d.sig_term.data = d.sig_int.data = d.sig_hup.data = &d;
	ev_signal_start(d.loop, &d.sig_term);
	ev_signal_start(d.loop, &d.sig_int);
	ev_signal_start(d.loop, &d.sig_hup);
	if (d.stop_pending != 0)	/* asked during start(): not lost */
		ev_feed_signal_event(d.loop, d.stop_pending);
	daemon_notify("READY=1");

	ev_run(d.loop, 0);

	/* The signal watchers stay through teardown: a second TERM while
	 * the last batch commits is absorbed, not fatal. */
	d.stopping = 1;
	if (svc->teardown != NULL)
		svc->teardown(&d);
	ev_signal_stop(d.loop, &d.sig_term);
	ev_signal_stop(d.loop, &d.sig_int);
	ev_signal_stop(d.loop, &d.sig_hup);
	rc = 0;
	config_free(d.cfg);
	auth_free(d.auth);
	free(d.auth_path);
	log_info("stopped");
	return rc;
}

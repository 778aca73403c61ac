/*
 * NAME
 *	load - config_load(): vigil.yaml, the resource file, conf_dir
 * DESCRIPTION
 *	config_load() reads vigil.yaml (settings.c), applies the environment
 *	overrides, then, unless CONFIG_DAEMON_ONLY (or with CONFIG_RESOURCES),
 *	reads the resource file ($USERn$, kept in cfg->user_macros) and,
 *	unless CONFIG_DAEMON_ONLY, hands every *.yaml / *.yml under conf_dir,
 *	in sorted path order, to objects.c, which builds commands, groups,
 *	hosts and checks. Also here: the YAML file reader, config_free() and
 *	the finders of config.h.
 * DIAGNOSTICS
 *	Every problem becomes one "file:line:column: message" line in
 *	cfg->errors (or "file: message" when there is no position, e.g.
 *	"vigil.yaml: cannot read: No such file or directory"); loading goes on
 *	so that one run shows them all. config_load() returns -1 if there is
 *	any. YAML syntax errors carry libyaml's problem mark. Nothing is
 *	logged and nothing exits.
 * SECURITY
 *	The resource file is refused unless it is private to its owner
 *	(mode 0600 or stricter), checked on the open descriptor.
 */
#include "config.h"
#include "config_objects.h"
#include "timeperiod.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_DIR_DEPTH	32	/* conf_dir nesting we follow */

/* ---- reading YAML files --------------------------------------------- */

static void config_yaml_error(struct config_loader *ld, const char *file,
    const yaml_parser_t *p);

/*
 * An upper bound of how deep buf may nest, from its bytes alone: the
 * deepest line's indentation and leading "- ", "? ", ": " indicators
 * (each block level needs one of those), plus the deepest [ { nesting
 * outside quotes and comments (a bracket inside a plain scalar counts
 * too: a bound, not the depth). Cheap, and exact enough to spare the
 * ordinary file a second parse.
 */
static size_t
config_yaml_depth_bound(const char *buf, size_t len)
{
	size_t block = 0, lead = 0, flow = 0, flow_max = 0;
	int at_start = 1, quote = 0, comment = 0;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\n') {
			at_start = 1;
			lead = 0;
			comment = 0;	/* a quoted scalar may span lines: quote stays */
			continue;
		}
		if (comment)
			continue;
		if (at_start) {
			if (c == ' ' || c == '\t' || c == '-' || c == '?' || c == ':') {
				if (++lead > block)
					block = lead;
				continue;
			}
			at_start = 0;
		}
		if (quote != 0) {
			if (c == '\\' && quote == '"' && i + 1 < len)
				i++;
			else if (c == quote)
				quote = 0;
			continue;
		}
		/* a quoted scalar starts a token; "it's" is no quote */
		if ((c == '"' || c == '\'') && (i == 0 || strchr(" \t[{,:-?", buf[i - 1]) != NULL))
			quote = c;
		else if (c == '#')
			comment = 1;
		else if (c == '[' || c == '{') {
			if (++flow > flow_max)
				flow_max = flow;
		} else if ((c == ']' || c == '}') && flow > 0)
			flow--;
	}
	return block + flow_max;
}

/* 1 (reported) when the YAML of buf nests deeper than CONFIG_YAML_DEPTH
 * collections, or is not YAML at all; else 0. */
static int
config_yaml_too_deep(struct config_loader *ld, const char *file, const char *buf, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, rc = 0;

	if (config_yaml_depth_bound(buf, len) <= CONFIG_YAML_DEPTH)
		return 0;	/* the usual file: no second parse */
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev)) {
			config_yaml_error(ld, file, &parser);
			rc = 1;
			break;
		}
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > CONFIG_YAML_DEPTH) {
				struct cfg_mark m = { file, (int)ev.start_mark.line + 1,
					(int)ev.start_mark.column + 1 };

				config_error(ld, &m, "YAML nested more than %d levels deep",
				    CONFIG_YAML_DEPTH);
				yaml_event_delete(&ev);
				rc = 1;
				break;
			}
		} else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

static void
config_yaml_error(struct config_loader *ld, const char *file,
    const yaml_parser_t *p)
{
	struct cfg_mark m = { file, 0, 0 };
	const char *problem = p->problem ? p->problem : "unknown problem";

	if (p->error == YAML_READER_ERROR) {
		/* The reader has no line yet, only a byte offset. */
		config_error(ld, &m, "YAML error: %s at byte %zu", problem,
		    p->problem_offset);
		return;
	}
	m.line = (int)p->problem_mark.line + 1;
	m.col = (int)p->problem_mark.column + 1;
	if (p->context != NULL)
		config_error(ld, &m, "YAML syntax error: %s (%s at line %zu, column %zu)",
		    problem, p->context, p->context_mark.line + 1,
		    p->context_mark.column + 1);
	else
		config_error(ld, &m, "YAML syntax error: %s", problem);
}

static char *
config_read_fd(int fd, size_t *lenp)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	ssize_t r;

	for (;;) {
		xgrow((void **)&buf, &cap, len + 65536, 1);
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	*lenp = len;
	return buf;
}

char *
config_file_read(struct config_loader *ld, const char *file, int secret, size_t *lenp)
{
	struct cfg_mark fm = { file, 0, 0 };
	struct stat st;
	char *buf;
	int fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		config_error(ld, &fm, "cannot read: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		config_error(ld, &fm, "cannot read: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		config_error(ld, &fm, "cannot read: %s", strerror(EISDIR));
		close(fd);
		return NULL;
	}
	if (secret && (st.st_mode & 077)) {
		config_error(ld, &fm, "resource file is readable by group or "
		    "others (mode %04o); chmod 600 it",
		    (unsigned)(st.st_mode & 07777));
		close(fd);
		return NULL;
	}
	buf = config_read_fd(fd, lenp);
	if (buf == NULL) {
		config_error(ld, &fm, "cannot read: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	close(fd);
	return buf;
}

int
config_yaml_load(struct config_loader *ld, const char *file,
    yaml_document_t *doc, int secret)
{
	char *buf;
	size_t len;

	if ((buf = config_file_read(ld, file, secret, &len)) == NULL)
		return -1;
	return config_yaml_load_buf(ld, file, doc, buf, len);
}

int
config_yaml_load_buf(struct config_loader *ld, const char *file,
    yaml_document_t *doc, char *buf, size_t len)
{
	struct cfg_mark fm = { file, 0, 0 };
	yaml_parser_t parser;
	yaml_document_t extra;
	yaml_node_t *root;
	int rc = -1;

	/* Nothing vigil reads nests deeper than a few levels. libyaml's
	 * document loader takes time quadratic in the depth (30,000 levels:
	 * 2 s; 100,000: most of a minute): a file that may nest deeper than
	 * CONFIG_YAML_DEPTH is measured first with its event parser, which
	 * does not, and refused at its place. */
	if (config_yaml_too_deep(ld, file, buf, len)) {
		free(buf);
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, doc)) {
		config_yaml_error(ld, file, &parser);
		goto out;
	}
	/*
	 * libyaml parses one document per call: a syntax error after the
	 * first document only shows when we ask for the next one.
	 */
	if (!yaml_parser_load(&parser, &extra)) {
		config_yaml_error(ld, file, &parser);
		yaml_document_delete(doc);
		goto out;
	}
	if ((root = yaml_document_get_root_node(&extra)) != NULL) {
		fm.line = (int)extra.start_mark.line + 1;
		fm.col = (int)extra.start_mark.column + 1;
		config_error(ld, &fm, "a second YAML document: put everything "
		    "in one (remove the \"---\" line)");
		yaml_document_delete(&extra);
		yaml_document_delete(doc);
		goto out;
	}
	yaml_document_delete(&extra);
	rc = 0;
out:
	yaml_parser_delete(&parser);
	free(buf);
	return rc;
}

/* ---- conf_dir ------------------------------------------------------- */

struct config_paths {
	char **v;
	size_t n;
	size_t cap;
};

static int
config_is_yaml_name(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* The directories from conf_dir down to the one being read. */
struct config_walk_stack {
	dev_t dev[CONFIG_DIR_DEPTH + 1];
	ino_t ino[CONFIG_DIR_DEPTH + 1];
	int n;
};

static void
config_walk(struct config_loader *ld, const char *dir, struct config_paths *out,
    struct config_walk_stack *up)
{
	struct cfg_mark m = { NULL, 0, 0 };
	struct dirent *de;
	struct stat st;
	char *path;
	DIR *d;
	int i, pushed = 0;

	if ((d = opendir(dir)) == NULL) {
		m.file = config_intern_file(ld, dir);
		config_error(ld, &m, "cannot read: %s", strerror(errno));
		return;
	}
	if (fstat(dirfd(d), &st) == 0) {
		/* A symlink back up the tree: everything in it is read already. */
		for (i = 0; i < up->n; i++)
			if (up->dev[i] == st.st_dev && up->ino[i] == st.st_ino) {
				closedir(d);
				return;
			}
		if (up->n > CONFIG_DIR_DEPTH) {
			m.file = config_intern_file(ld, dir);
			config_error(ld, &m, "directories nested more than %d deep",
			    CONFIG_DIR_DEPTH);
			closedir(d);
			return;
		}
		up->dev[up->n] = st.st_dev;
		up->ino[up->n++] = st.st_ino;
		pushed = 1;
	}
	while ((de = readdir(d)) != NULL) {
		/* Hidden entries: ".", "..", editor and VCS droppings. */
		if (de->d_name[0] == '.')
			continue;
		path = config_join(dir, de->d_name);
		if (stat(path, &st) < 0) {
			/* A dangling symlink named *.yaml is worth a word. */
			if (config_is_yaml_name(de->d_name)) {
				m.file = config_intern_file(ld, path);
				config_error(ld, &m, "cannot read: %s",
				    strerror(errno));
			}
			free(path);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			config_walk(ld, path, out, up);
			free(path);
		} else if (S_ISREG(st.st_mode) && config_is_yaml_name(de->d_name)) {
			xgrow((void **)&out->v, &out->cap, out->n + 1,
			    sizeof(*out->v));
			out->v[out->n++] = path;
		} else
			free(path);
	}
	if (pushed)
		up->n--;
	closedir(d);
}

static int
config_path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
config_read_objects(struct config_loader *ld)
{
	struct config_paths paths = { NULL, 0, 0 };
	struct config_walk_stack up;
	yaml_document_t doc;
	yaml_node_t *root;
	size_t i;

	up.n = 0;
	if (ld->cfg->store == NULL)
		ld->cfg->store = config_store_new();
	config_walk(ld, ld->cfg->conf_dir, &paths, &up);
	if (paths.n > 1)
		qsort(paths.v, paths.n, sizeof(*paths.v), config_path_cmp);
	ld->objs = config_objects_new(ld);
	for (i = 0; i < paths.n; i++) {
		ld->file = config_intern_file(ld, paths.v[i]);
		free(paths.v[i]);
		if (config_yaml_load(ld, ld->file, &doc, 0) < 0)
			continue;
		ld->doc = &doc;
		if ((root = yaml_document_get_root_node(&doc)) != NULL)
			config_objects_file(ld->objs, root);
		ld->doc = NULL;
		yaml_document_delete(&doc);
	}
	free(paths.v);
	ld->file = NULL;
	config_objects_finish(ld->objs);
	config_objects_free(ld->objs);
	ld->objs = NULL;
	config_store_seal(ld->cfg->store);
	/* They grew by doubling, and stay for the config's life. */
	if (ld->cfg->nchecks > 0)
		ld->cfg->checks = xrealloc(ld->cfg->checks,
		    ld->cfg->nchecks * sizeof(*ld->cfg->checks));
	if (ld->cfg->nhosts > 0)
		ld->cfg->hosts = xrealloc(ld->cfg->hosts,
		    ld->cfg->nhosts * sizeof(*ld->cfg->hosts));
}

/* ---- public --------------------------------------------------------- */

struct config *
config_new(void)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));
	struct config_loader ld;

	memset(&ld, 0, sizeof(ld));
	ld.cfg = cfg;
	ld.base_dir = ".";
	config_defaults(&ld);
	config_arena_free(&ld.arena);
	return cfg;
}

int
config_load(struct config *cfg, const char *path, int flags)
{
	struct config_loader ld;
	yaml_document_t doc;
	const char *slash;
	char *dir;

	memset(&ld, 0, sizeof(ld));
	ld.cfg = cfg;
	free(cfg->path);
	cfg->path = xstrdup(path);
	slash = strrchr(path, '/');
	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	ld.base_dir = dir;
	config_defaults(&ld);

	ld.file = config_intern_file(&ld, path);
	if (config_yaml_load(&ld, ld.file, &doc, 0) == 0) {
		ld.doc = &doc;
		config_read_settings(&ld, &doc);
		ld.doc = NULL;
		yaml_document_delete(&doc);
		config_env_overrides(&ld);
		if (cfg->resource_file != NULL &&
		    (!(flags & CONFIG_DAEMON_ONLY) || (flags & CONFIG_RESOURCES))) {
			config_read_resources(&ld);
			config_keep_users(&ld);
		}
		if (!(flags & CONFIG_DAEMON_ONLY))
			config_read_objects(&ld);
	}
	free(dir);
	config_arena_free(&ld.arena);
	return cfg->nerrors > 0 ? -1 : 0;
}

static void
config_free_strv(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
config_free_vars(struct cfg_var *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
}

void
config_free(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->conf_dir);
	free(cfg->prefix);
	free(cfg->amqp_url);
	free(cfg->pg_conninfo);
	free(cfg->http_listen);
	free(cfg->http.tls_cert);
	free(cfg->http.tls_key);
	free(cfg->api_token_file);
	free(cfg->resource_file);
	free(cfg->auth_key_file);
	free(cfg->user);
	free(cfg->amqp_tls.ca_file);
	free(cfg->amqp_tls.cert_file);
	free(cfg->amqp_tls.key_file);
	free(cfg->schema_dir);
	free(cfg->plugin_dir);
	free(cfg->vigil_plugin_dir);
	free(cfg->worker.pool);
	free(cfg->worker.plugin_user);
	free(cfg->plugin_dirs);
	free(cfg->worker.amqp_url);
	free(cfg->notifier.amqp_url);
	free(cfg->http.amqp_url);
	free(cfg->notifier.smtp_url);
	free(cfg->notifier.smtp_from);
	free(cfg->notifier.smtp_starttls);
	free(cfg->notifier.smtp_user);
	free(cfg->notifier.smtp_password_env);
	free(cfg->notifier.smtp_ca_file);
	free(cfg->notifier.slack_webhook_url_env);
	free(cfg->notifier.ack_url);
	free(cfg->notifier.email_subject);
	free(cfg->notifier.email_body);
	free(cfg->notifier.slack_text);
	if (cfg->user_macros != NULL)
		for (i = 0; i <= CONFIG_NUSER; i++)
			free(cfg->user_macros[i]);
	free(cfg->user_macros);
	for (i = 0; i < cfg->ncommands; i++) {
		free(cfg->commands[i].name);
		config_free_strv(cfg->commands[i].argv, cfg->commands[i].argc);
	}
	free(cfg->commands);
	/* The strings and lists of hosts and checks are the store's. */
	for (i = 0; i < cfg->nhosts; i++)
		config_free_vars(cfg->hosts[i].vars, cfg->hosts[i].nvars);
	free(cfg->hosts);
	for (i = 0; i < cfg->nchecks; i++)
		free(cfg->checks[i].escalations);
	free(cfg->checks);
	for (i = 0; i < cfg->ncontacts; i++) {
		struct cfg_contact *c = &cfg->contacts[i];

		free(c->name);
		free(c->alias);
		free(c->email);
		free(c->slack);
		free(c->webhook);
		free(c->command);
		free(c->period);
		config_free_vars(c->vars, c->nvars);
	}
	free(cfg->contacts);
	for (i = 0; i < cfg->ncontact_groups; i++) {
		free(cfg->contact_groups[i].name);
		free(cfg->contact_groups[i].alias);
		config_free_strv(cfg->contact_groups[i].members,
		    cfg->contact_groups[i].nmembers);
	}
	free(cfg->contact_groups);
	for (i = 0; i < cfg->ngroups; i++) {
		struct cfg_group *g = &cfg->groups[i];

		free(g->name);
		free(g->title);
		config_free_strv(g->parents, g->nparents);
		config_free_strv(g->host_patterns, g->nhost_patterns);
		config_free_strv(g->service_patterns, g->nservice_patterns);
	}
	free(cfg->groups);
	for (i = 0; i < cfg->ntimeperiods; i++) {
		free(cfg->timeperiods[i].name);
		timeperiod_free(cfg->timeperiods[i].tp);
	}
	free(cfg->timeperiods);
	free(cfg->rules);		/* their strings are the store's */
	free(cfg->apply_skips);
	free(cfg->deps);
	config_free_strv(cfg->files, cfg->nfiles);
	config_free_strv(cfg->errors, cfg->nerrors);
	config_store_free(cfg->store);
	free(cfg);
}

const struct cfg_host *
config_find_host(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nhosts; i++)
		if (strcmp(cfg->hosts[i].name, name) == 0)
			return &cfg->hosts[i];
	return NULL;
}

const struct cfg_command *
config_find_command(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->ncommands; i++)
		if (strcmp(cfg->commands[i].name, name) == 0)
			return &cfg->commands[i];
	return NULL;
}

/* Linear, as config_find_host: callers needing many lookups index once. */
const struct cfg_group *
config_find_group(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->ngroups; i++)
		if (strcmp(cfg->groups[i].name, name) == 0)
			return &cfg->groups[i];
	return NULL;
}

const struct cfg_timeperiod *
config_find_timeperiod(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->ntimeperiods; i++)
		if (strcmp(cfg->timeperiods[i].name, name) == 0)
			return &cfg->timeperiods[i];
	return NULL;
}

static int
config_contact_cmp(const void *key, const void *el)
{
	return strcmp(key, ((const struct cfg_contact *)el)->name);
}

const struct cfg_contact *
config_find_contact(const struct config *cfg, const char *name)
{
	if (cfg->ncontacts == 0)
		return NULL;
	return bsearch(name, cfg->contacts, cfg->ncontacts,
	    sizeof(*cfg->contacts), config_contact_cmp);
}

/* In NOTIFY_ON_* bit order: name i is bit 1 << i. */
const char *const config_notify_on_names[CONFIG_NNOTIFY_ON] = {
	"warning", "critical", "unknown", "down", "unreachable", "recovery",
	"flapping", "downtime",
};

unsigned
config_notify_on_bit(const char *name)
{
	size_t i;

	if (strcasecmp(name, "all") == 0)
		return NOTIFY_ON_ALL;
	for (i = 0; i < CONFIG_NNOTIFY_ON; i++)
		if (strcasecmp(name, config_notify_on_names[i]) == 0)
			return 1u << i;
	return 0;
}

/*
 * NAME
 *	settings - vigil.yaml's settings and the resource file
 * DESCRIPTION
 *	Every daemon setting is declared once, in one table (its dotted key
 *	in vigil.yaml, its type, where it goes in struct config, its
 *	default): config_defaults() applies the defaults, config_read_settings()
 *	reads vigil.yaml through the table and config_env_overrides() the
 *	environment (VIGIL_AMQP_URL, VIGIL_PG, VIGIL_CONF_DIR, VIGIL_PREFIX;
 *	VIGIL_RESOURCE_FILE when vigil.yaml names none).
 *	config_read_resources() reads the resource file ($USERn$), and
 *	config_keep_users() keeps its values for the notifier.
 *
 *	Relative conf_dir, resource_file, auth_key_file, api_token_file, schema_dir,
 *	plugin_dir, vigil_plugin_dir and notifier.smtp.ca_file are taken
 *	relative to vigil.yaml's directory and stored that way, so callers
 *	can open them as they are. Values from the environment are taken as
 *	they are.
 * SECURITY
 *	The resource file is refused unless it is private to its owner
 *	(mode 0600 or stricter), checked on the open descriptor (load.c).
 *	Its values never appear in an error message.
 */
#include "config.h"
#include "config_private.h"
#include "macro.h"
#include "xalloc.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SCHEMA_DIR
#error "SCHEMA_DIR must be defined by configure"
#endif
#ifndef PLUGIN_DIR
#error "PLUGIN_DIR must be defined by configure"
#endif
#ifndef VIGIL_PLUGIN_DIR
#error "VIGIL_PLUGIN_DIR must be defined by configure"
#endif

/* ---- durations and sizes -------------------------------------------- */

int
config_parse_duration(const char *s, int *seconds)
{
	long long v = 0, mult;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -1;
	}
	switch (*p) {
	case '\0':
	case 's':
		mult = 1;
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	case 'w':
		mult = 7 * 86400;
		break;
	default:
		return -1;
	}
	if (*p != '\0' && p[1] != '\0')
		return -1;
	if (v * mult > INT_MAX)
		return -1;
	*seconds = (int)(v * mult);
	return 0;
}

int
config_parse_size(const char *s, size_t *bytes)
{
	/* KB is 1024 like KiB: nobody sizes plugin output in powers of ten. */
	static const struct {
		const char *unit;
		size_t mult;
	} units[] = {
		{ "", 1 }, { "B", 1 },
		{ "K", 1024 }, { "k", 1024 }, { "KB", 1024 }, { "kB", 1024 },
		{ "KiB", 1024 },
		{ "M", 1024 * 1024 }, { "MB", 1024 * 1024 }, { "MiB", 1024 * 1024 },
		{ "G", 1024 * 1024 * 1024 }, { "GB", 1024 * 1024 * 1024 },
		{ "GiB", 1024 * 1024 * 1024 },
	};
	size_t v = 0, i;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (SIZE_MAX - 9) / 10)
			return -1;
		v = v * 10 + (size_t)(*p - '0');
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) != 0)
			continue;
		if (v > SIZE_MAX / units[i].mult)
			return -1;
		*bytes = v * units[i].mult;
		return 0;
	}
	return -1;
}

/* ---- vigil.yaml ----------------------------------------------------- */

enum config_setting_type {
	SET_MAP,		/* a section: its keys follow in the table */
	SET_STRING,
	SET_PATH,		/* relative to vigil.yaml's directory */
	SET_PREFIX,
	SET_POOL,
	SET_STARTTLS,
	SET_DURATION,
	SET_INT,
	SET_COUNT,		/* a whole number, 0 allowed */
	SET_SIZE,
	SET_TEMPLATE,		/* text with notification macros (macro.h) */
	SET_BOOL,
};

/* Every daemon setting, once: its key in vigil.yaml, where it goes, default. */
static const struct config_setting {
	const char *key;	/* dotted path in vigil.yaml */
	enum config_setting_type type;
	size_t off;		/* in struct config */
	const char *def;	/* NULL: unset; a SET_MAP's: the key its scalar
				 * form sets (http: HOST:PORT), NULL: none */
} config_settings[] = {
#define OFF(f) offsetof(struct config, f)
	{ "conf_dir", SET_PATH, OFF(conf_dir), "conf.d" },
	{ "prefix", SET_PREFIX, OFF(prefix), "vigil" },
	{ "amqp", SET_STRING, OFF(amqp_url), "amqp://guest:guest@127.0.0.1:5672/" },
	{ "postgres", SET_STRING, OFF(pg_conninfo),
	    "host=127.0.0.1 port=5432 dbname=vigil" },
	{ "http", SET_MAP, 0, "http.listen" },
	{ "http.listen", SET_STRING, OFF(http_listen), "127.0.0.1:8080" },
	{ "http.tls_cert", SET_PATH, OFF(http.tls_cert), NULL },
	{ "http.tls_key", SET_PATH, OFF(http.tls_key), NULL },
	{ "http.api_token_file", SET_PATH, OFF(api_token_file), NULL },
	{ "http.anonymous_read", SET_BOOL, OFF(http.anonymous_read), "false" },
	{ "http.max_body", SET_SIZE, OFF(http.max_body), "64KiB" },
	{ "http.max_header", SET_SIZE, OFF(http.max_header), "8KiB" },
	{ "http.max_client_requests", SET_INT, OFF(http.max_client_requests), "64" },
	{ "http.timeout", SET_DURATION, OFF(http.timeout), "30s" },
	{ "http.max_client_queue", SET_SIZE, OFF(http.max_client_queue), "4MiB" },
	{ "http.ping", SET_DURATION, OFF(http.ping), "30s" },
	{ "http.amqp", SET_STRING, OFF(http.amqp_url), NULL },
	{ "api_token_file", SET_PATH, OFF(api_token_file), NULL },
	{ "resource_file", SET_PATH, OFF(resource_file), NULL },
	{ "user", SET_STRING, OFF(user), NULL },
	{ "amqp_tls", SET_MAP, 0, NULL },
	{ "amqp_tls.ca_file", SET_PATH, OFF(amqp_tls.ca_file), NULL },
	{ "amqp_tls.cert_file", SET_PATH, OFF(amqp_tls.cert_file), NULL },
	{ "amqp_tls.key_file", SET_PATH, OFF(amqp_tls.key_file), NULL },
	{ "amqp_tls.verify_hostname", SET_BOOL, OFF(amqp_tls.verify_hostname), "true" },
	{ "auth_key_file", SET_PATH, OFF(auth_key_file), NULL },
	{ "allow_unauthenticated", SET_BOOL, OFF(allow_unauthenticated), "false" },
	{ "schema_dir", SET_PATH, OFF(schema_dir), SCHEMA_DIR },
	{ "plugin_dir", SET_PATH, OFF(plugin_dir), PLUGIN_DIR },
	{ "vigil_plugin_dir", SET_PATH, OFF(vigil_plugin_dir), VIGIL_PLUGIN_DIR },
	{ "plugin_dirs", SET_STRING, OFF(plugin_dirs), NULL },
	{ "retention", SET_MAP, 0, NULL },
	{ "max_check_spread", SET_DURATION, OFF(max_check_spread), "5m" },
	{ "translate_passive_host_checks", SET_BOOL, OFF(translate_passive_host_checks), "false" },
	{ "max_message_size", SET_SIZE, OFF(max_message_size), "4MiB" },
	{ "parked", SET_MAP, 0, NULL },
	{ "parked.max", SET_COUNT, OFF(parked_max), "10000" },
	{ "parked.ttl", SET_DURATION, OFF(parked_ttl), "7d" },
	{ "retention.perfdata", SET_DURATION, OFF(retention_perfdata), "30d" },
	{ "retention.history", SET_DURATION, OFF(retention_history), "365d" },
	{ "worker", SET_MAP, 0, NULL },
	{ "worker.pool", SET_POOL, OFF(worker.pool), "default" },
	{ "worker.concurrency", SET_INT, OFF(worker.concurrency), "64" },
	{ "worker.plugin_user", SET_STRING, OFF(worker.plugin_user), "nagios" },
	{ "worker.allow_root_plugins", SET_BOOL, OFF(worker.allow_root_plugins), "false" },
	{ "worker.amqp", SET_STRING, OFF(worker.amqp_url), NULL },
	{ "worker.output_limit", SET_SIZE, OFF(worker.output_limit), "64KiB" },
	{ "notifier", SET_MAP, 0, NULL },
	{ "notifier.amqp", SET_STRING, OFF(notifier.amqp_url), NULL },
	{ "notifier.smtp", SET_MAP, 0, NULL },
	{ "notifier.smtp.url", SET_STRING, OFF(notifier.smtp_url),
	    "smtp://127.0.0.1:25" },
	{ "notifier.smtp.from", SET_STRING, OFF(notifier.smtp_from),
	    "vigil@localhost" },
	{ "notifier.smtp.starttls", SET_STARTTLS, OFF(notifier.smtp_starttls),
	    "auto" },
	{ "notifier.smtp.user", SET_STRING, OFF(notifier.smtp_user), NULL },
	{ "notifier.smtp.password_env", SET_STRING,
	    OFF(notifier.smtp_password_env), NULL },
	{ "notifier.smtp.ca_file", SET_PATH, OFF(notifier.smtp_ca_file), NULL },
	{ "notifier.slack", SET_MAP, 0, NULL },
	{ "notifier.slack.webhook_url_env", SET_STRING,
	    OFF(notifier.slack_webhook_url_env), "VIGIL_SLACK_WEBHOOK" },
	{ "notifier.concurrency", SET_INT, OFF(notifier.concurrency), "4" },
	{ "notifier.timeout", SET_DURATION, OFF(notifier.timeout), "30s" },
	{ "notifier.retry", SET_MAP, 0, NULL },
	{ "notifier.retry.delay", SET_DURATION, OFF(notifier.retry_delay), "60s" },
	{ "notifier.retry.attempts", SET_INT, OFF(notifier.retry_attempts), "5" },
	{ "notifier.storm", SET_MAP, 0, NULL },
	{ "notifier.storm.threshold", SET_COUNT, OFF(notifier.storm_threshold), "10" },
	{ "notifier.storm.window", SET_DURATION, OFF(notifier.storm_window), "60s" },
	{ "notifier.storm.delay", SET_DURATION, OFF(notifier.storm_delay), "10s" },
	{ "notifier.ack_url", SET_STRING, OFF(notifier.ack_url), NULL },
	{ "notifier.templates", SET_MAP, 0, NULL },
	{ "notifier.templates.email_subject", SET_TEMPLATE,
	    OFF(notifier.email_subject), NULL },
	{ "notifier.templates.email_body", SET_TEMPLATE, OFF(notifier.email_body), NULL },
	{ "notifier.templates.slack_text", SET_TEMPLATE, OFF(notifier.slack_text), NULL },
#undef OFF
};
#define NSETTINGS (sizeof(config_settings) / sizeof(config_settings[0]))

/* Environment variables that override a setting, and why they exist. */
static const struct {
	const char *env;
	const char *key;
} config_env[] = {
	{ "VIGIL_AMQP_URL", "amqp" },		/* secrets stay out of files */
	{ "VIGIL_PG", "postgres" },
	{ "VIGIL_CONF_DIR", "conf_dir" },	/* tests, containers */
	{ "VIGIL_PREFIX", "prefix" },		/* parallel test runs */
	/* a build tree's, for a vigil.yaml that does not name them (the demo
	 * with --config FILE): the compiled defaults are the installed ones */
	{ "VIGIL_SCHEMA_DIR", "schema_dir" },
	{ "VIGIL_VIGIL_PLUGIN_DIR", "vigil_plugin_dir" },
};

char *
config_join(const char *dir, const char *rel)
{
	if (rel[0] == '/' || dir == NULL || strcmp(dir, ".") == 0)
		return xstrdup(rel);
	if (strcmp(dir, "/") == 0)
		return xasprintf("/%s", rel);
	return xasprintf("%s/%s", dir, rel);
}

/* The prefix names a PostgreSQL schema and RabbitMQ objects: keep it plain. */
static int
config_prefix_ok(const char *s)
{
	size_t n = 0;

	if (!islower((unsigned char)*s))
		return 0;
	for (; *s != '\0'; s++, n++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_')
			return 0;
	return n <= 32;
}

/* What a template may use: every notification macro, with any value. */
static const char *
config_template_lookup(const char *name, void *ctx)
{
	return macro_is_notification(name) ? "" : NULL;
}

/*
 * Set one setting from text. label names it in messages ("worker.pool" or
 * "VIGIL_PREFIX"); relative says whether a relative path is joined to
 * vigil.yaml's directory. NULL text unsets an optional setting.
 */
static int
config_setting_set(struct config_loader *ld, const struct config_setting *s,
    const char *text, const struct cfg_mark *m, const char *label,
    int relative)
{
	char *base = (char *)ld->cfg, **strp = (char **)(base + s->off);
	const char *q = "";
	size_t size;
	int n;

	char err[256], *expanded;

	if (s->type == SET_STRING || s->type == SET_PATH ||
	    s->type == SET_PREFIX || s->type == SET_POOL ||
	    s->type == SET_STARTTLS || s->type == SET_TEMPLATE) {
		if (text == NULL) {
			free(*strp);
			*strp = NULL;
			return 0;
		}
	}
	if (text != NULL)
		q = config_quote(ld, text);
	switch (s->type) {
	case SET_MAP:
		return 0;
	case SET_BOOL:
		if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0) {
			config_error(ld, m, "%s: %s is not true or false", label, q);
			return -1;
		}
		*(int *)(base + s->off) = text[0] == 't';
		return 0;
	case SET_STRING:
		if (*text == '\0') {
			config_error(ld, m, "%s: must not be empty", label);
			return -1;
		}
		break;
	case SET_PATH:
		if (*text == '\0') {
			config_error(ld, m, "%s: must not be empty", label);
			return -1;
		}
		free(*strp);
		*strp = relative ? config_join(ld->base_dir, text) : xstrdup(text);
		return 0;
	case SET_PREFIX:
		if (!config_prefix_ok(text)) {
			config_error(ld, m, "%s: %s is not a valid prefix (expected "
			    "up to 32 lower-case letters, digits and '_', starting "
			    "with a letter)", label, q);
			return -1;
		}
		break;
	case SET_POOL:
		if (!config_pool_name_ok(text)) {
			config_error(ld, m, "%s: %s is not a valid pool name "
			    "(expected letters, digits, '_', '.' and '-')", label, q);
			return -1;
		}
		break;
	case SET_STARTTLS:
		if (strcmp(text, "auto") != 0 && strcmp(text, "always") != 0 &&
		    strcmp(text, "never") != 0) {
			config_error(ld, m, "%s: %s is not auto, always or never",
			    label, q);
			return -1;
		}
		break;
	case SET_DURATION:
		if (config_parse_duration(text, &n) < 0 || n == 0) {
			config_error(ld, m, "%s: %s is not a duration above 0 "
			    "(expected 30s, 5m, 1h, 1d or a number of seconds)",
			    label, q);
			return -1;
		}
		*(int *)(base + s->off) = n;
		return 0;
	case SET_INT:
		if ((n = config_number(text, INT_MAX)) < 1) {
			config_error(ld, m, "%s: %s is not a whole number >= 1",
			    label, q);
			return -1;
		}
		*(int *)(base + s->off) = n;
		return 0;
	case SET_COUNT:
		if ((n = config_number(text, INT_MAX)) < 0) {
			config_error(ld, m, "%s: %s is not a whole number >= 0",
			    label, q);
			return -1;
		}
		*(int *)(base + s->off) = n;
		return 0;
	case SET_TEMPLATE:
		if (macro_expand(text, config_template_lookup, NULL, &expanded,
		    err, sizeof(err)) < 0) {
			config_error(ld, m, "%s: %s (a template knows the "
			    "notification macros: $NOTIFICATIONTYPE$, $HOSTNAME$, "
			    "$SERVICESTATE$, $CONTACTNAME$ ...; write $$ for a "
			    "dollar sign)", label, err);
			return -1;
		}
		free(expanded);
		break;
	case SET_SIZE:
		if (config_parse_size(text, &size) < 0 || size == 0) {
			config_error(ld, m, "%s: %s is not a size above 0 (expected "
			    "65536, 64KiB, 1MiB ...)", label, q);
			return -1;
		}
		*(size_t *)(base + s->off) = size;
		return 0;
	}
	free(*strp);
	*strp = xstrdup(text);
	return 0;
}

void
config_defaults(struct config_loader *ld)
{
	size_t i;

	for (i = 0; i < NSETTINGS; i++)
		config_setting_set(ld, &config_settings[i], config_settings[i].def,
		    NULL, config_settings[i].key, 1);
}

static void
config_settings_map(struct config_loader *ld, yaml_node_t *map,
    const char *section)
{
	const struct config_setting *s;
	struct config_keyseen seen;
	struct config_field keys[NSETTINGS];
	size_t nkeys = 0, plen = section ? strlen(section) + 1 : 0, i;
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;
	struct cfg_mark m;
	const char *text;
	char *prefix;
	int idx;

	/* The keys of this section: the settings one level below it. */
	for (i = 0; i < NSETTINGS; i++) {
		s = &config_settings[i];
		if (section != NULL && (strncmp(s->key, section, plen - 1) != 0 ||
		    s->key[plen - 1] != '.'))
			continue;
		if (strchr(s->key + plen, '.') != NULL)
			continue;
		/* Only name and where: off holds the setting's index. */
		memset(&keys[nkeys], 0, sizeof(keys[nkeys]));
		keys[nkeys].name = s->key + plen;
		keys[nkeys].where = 1;
		keys[nkeys].off = i;
		nkeys++;
	}
	prefix = section ? xasprintf("%s: ", section) : xstrdup("");
	memset(&seen, 0, sizeof(seen));
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = config_node(ld, pair->key);
		v = config_node(ld, pair->value);
		if ((idx = config_key(ld, keys, nkeys, 1, "", k, &seen, prefix)) < 0)
			continue;
		s = &config_settings[keys[idx].off];
		if (s->type == SET_MAP && s->def != NULL && v->type == YAML_SCALAR_NODE) {
			/* the short form: http: 127.0.0.1:8080 */
			for (size_t j = 0; j < NSETTINGS; j++)
				if (strcmp(config_settings[j].key, s->def) == 0)
					s = &config_settings[j];
		} else if (s->type == SET_MAP) {
			if (config_map(ld, v, "", s->key, "a map of settings") > 0)
				config_settings_map(ld, v, s->key);
			continue;
		}
		m = config_mark(ld, v);
		/* An optional setting written empty is unset. */
		if (config_is_null(v) && s->def == NULL) {
			config_setting_set(ld, s, NULL, &m, s->key, 1);
			continue;
		}
		if ((text = config_string(ld, v, "", s->key, 0)) != NULL)
			config_setting_set(ld, s, text, &m, s->key, 1);
	}
	free(prefix);
}

void
config_env_overrides(struct config_loader *ld)
{
	const char *v;
	size_t i, j;

	for (i = 0; i < sizeof(config_env) / sizeof(config_env[0]); i++) {
		if ((v = getenv(config_env[i].env)) == NULL || *v == '\0')
			continue;
		for (j = 0; j < NSETTINGS; j++)
			if (strcmp(config_settings[j].key, config_env[i].key) == 0)
				config_setting_set(ld, &config_settings[j], v, NULL,
				    config_env[i].env, 0);
	}
	/* Only a fallback: an explicit resource_file in vigil.yaml wins. */
	v = getenv("VIGIL_RESOURCE_FILE");
	if (ld->cfg->resource_file == NULL && v != NULL && *v != '\0')
		ld->cfg->resource_file = xstrdup(v);
}

void
config_read_settings(struct config_loader *ld, yaml_document_t *doc)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	struct cfg_mark m;

	if (root == NULL || config_is_null(root))
		return;
	if (root->type != YAML_MAPPING_NODE) {
		m = config_mark(ld, root);
		config_error(ld, &m, "expected a map of settings (conf_dir: ..., "
		    "amqp: ...), got %s", config_what(root));
		return;
	}
	config_settings_map(ld, root, NULL);
}

/* ---- resource file -------------------------------------------------- */

/*
 * Nagios's resource.cfg as it is: "$USERn$=value" lines, '#' comments,
 * blank lines. 1 if buf is in that form (read into ld->user, errors at
 * their lines), 0 if it is not (YAML then).
 */
static int
config_nagios_resources(struct config_loader *ld, const char *buf, size_t len)
{
	struct cfg_mark first[CONFIG_NUSER + 1], m = { ld->file, 0, 1 };
	const char *p = buf, *end = buf + len;
	int nagios = -1;

	/* the form of the first line that says something */
	for (const char *q = buf; q < end && nagios < 0; ) {
		const char *e = memchr(q, '\n', (size_t)(end - q));
		const char *t = q;

		e = e != NULL ? e : end;
		while (t < e && (*t == ' ' || *t == '\t' || *t == '\r'))
			t++;
		if (t < e && *t != '#')
			nagios = *t == '$' && memchr(t, '=', (size_t)(e - t)) != NULL;
		q = e + 1;
	}
	if (nagios != 1)
		return 0;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p)), *t = p, *eq, *d;
		char name[32];
		int i;
		size_t n;

		e = e != NULL ? e : end;
		m.line++;
		while (t < e && (*t == ' ' || *t == '\t'))
			t++;
		n = (size_t)(e - t);
		while (n > 0 && (t[n - 1] == '\r' || t[n - 1] == ' ' || t[n - 1] == '\t'))
			n--;
		p = e + 1;
		if (n == 0 || *t == '#')
			continue;
		eq = memchr(t, '=', n);
		d = eq != NULL ? memchr(t + 1, '$', (size_t)(eq - t - 1)) : NULL;
		if (*t != '$' || eq == NULL || d == NULL || (size_t)(d - t - 1) >= sizeof(name)) {
			config_error(ld, &m, "expected $USERn$=value (a Nagios resource "
			    "file), got %.*s", (int)(n > 40 ? 40 : n), t);
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(d - t - 1), t + 1);
		/* nothing but blanks between the closing '$' and the '=' */
		for (const char *x = d + 1; x < eq; x++)
			if (*x != ' ' && *x != '\t')
				d = NULL;
		if (d == NULL || (i = config_macro_number(name, "USER", CONFIG_NUSER)) == 0) {
			config_error(ld, &m, "unknown macro %.*s (expected $USER1$ ... "
			    "$USER256$)", (int)(eq - t), t);
			continue;
		}
		if (ld->user[i] != NULL) {
			config_error(ld, &m, "$%s$ is given twice (first at %s:%d)", name,
			    first[i].file, first[i].line);
			continue;
		}
		/* the value: the rest of the line, blanks around it trimmed */
		eq++;
		while (eq < t + n && (*eq == ' ' || *eq == '\t'))
			eq++;
		ld->user[i] = config_arena_printf(&ld->arena, "%.*s", (int)(t + n - eq), eq);
		first[i] = m;
	}
	return 1;
}

void
config_read_resources(struct config_loader *ld)
{
	struct cfg_mark first[CONFIG_NUSER + 1], m;
	const char *path = ld->cfg->resource_file, *name, *v;
	yaml_node_pair_t *pair;
	yaml_document_t doc;
	yaml_node_t *root, *k;
	char *buf;
	size_t len;
	int i;

	ld->file = config_intern_file(ld, path);
	if ((buf = config_file_read(ld, ld->file, 1, &len)) == NULL) {
		ld->resource_failed = 1;
		return;
	}
	if (config_nagios_resources(ld, buf, len)) {
		free(buf);
		return;
	}
	if (config_yaml_load_buf(ld, ld->file, &doc, buf, len) < 0) {
		ld->resource_failed = 1;
		return;
	}
	ld->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root != NULL && config_map(ld, root, "", "resource file",
	    "a map of USERn: value") > 0) {
		for (pair = root->data.mapping.pairs.start;
		    pair < root->data.mapping.pairs.top; pair++) {
			k = config_node(ld, pair->key);
			m = config_mark(ld, k);
			name = k->type == YAML_SCALAR_NODE ?
			    (const char *)k->data.scalar.value : "";
			if ((i = config_macro_number(name, "USER", CONFIG_NUSER)) == 0) {
				config_error(ld, &m, "unknown key %s (expected "
				    "USER1 ... USER256)", config_quote(ld, name));
				continue;
			}
			if (ld->user[i] != NULL) {
				config_error(ld, &m, "key \"%s\" is given twice "
				    "(first at %s:%d:%d)", name, first[i].file,
				    first[i].line, first[i].col);
				continue;
			}
			v = config_string(ld, config_node(ld, pair->value), "",
			    name, 0);
			if (v != NULL) {
				ld->user[i] = v;
				first[i] = m;
			}
		}
	}
	ld->doc = NULL;
	yaml_document_delete(&doc);
}

/* Keep the $USERn$ values past the load: vigil-notifier expands them in
 * notification commands at delivery time. */
void
config_keep_users(struct config_loader *ld)
{
	struct config *cfg = ld->cfg;
	int i;

	if (ld->resource_failed)
		return;
	cfg->user_macros = xcalloc(CONFIG_NUSER + 1, sizeof(*cfg->user_macros));
	for (i = 1; i <= CONFIG_NUSER; i++)
		if (ld->user[i] != NULL)
			cfg->user_macros[i] = xstrdup(ld->user[i]);
}

const char *
config_amqp_url(const struct config *cfg, const char *daemon)
{
	const char *u = NULL;

	if (strcmp(daemon, "worker") == 0)
		u = cfg->worker.amqp_url;
	else if (strcmp(daemon, "notifier") == 0)
		u = cfg->notifier.amqp_url;
	else if (strcmp(daemon, "web") == 0)
		u = cfg->http.amqp_url;
	return u != NULL ? u : cfg->amqp_url;
}

const char *
config_user_macro(const struct config *cfg, const char *name)
{
	int i = config_macro_number(name, "USER", CONFIG_NUSER);

	return i > 0 && cfg->user_macros != NULL ? cfg->user_macros[i] : NULL;
}

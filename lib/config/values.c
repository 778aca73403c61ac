/*
 * NAME
 *	values - errors, messages, YAML values and the key-table reader
 * DESCRIPTION
 *	The error collector and message helpers (quoting, "did you mean"),
 *	the value helpers that turn a node into a string, a duration, a
 *	number, a boolean, a list, names or vars and say what was expected
 *	when they can't. The reader of a map of keys through a key table is
 *	fields.c. See config_private.h.
 * DIAGNOSTICS
 *	Every helper that reads a value reports through config_error() and
 *	returns -1 or NULL; callers skip the value and go on. Nothing is
 *	logged.
 */
#include "config.h"
#include "config_private.h"
#include "xalloc.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CONFIG_QUOTE_MAX	60	/* bytes of a value quoted in a message */

/* ---- errors, files, messages ---------------------------------------- */

void
config_error(struct config_loader *ld, const struct cfg_mark *m,
    const char *fmt, ...)
{
	struct config *cfg = ld->cfg;
	va_list ap;
	char *msg, *line, *p;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (m == NULL || m->file == NULL)
		line = msg;
	else {
		if (m->line > 0)
			line = xasprintf("%s:%d:%d: %s", m->file, m->line,
			    m->col, msg);
		else
			line = xasprintf("%s: %s", m->file, msg);
		free(msg);
	}
	/* One error, one line: a stray control character must not split it. */
	for (p = line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	xgrow((void **)&cfg->errors, &ld->errors_cap, cfg->nerrors + 1,
	    sizeof(*cfg->errors));
	cfg->errors[cfg->nerrors++] = line;
}

const char *
config_intern_file(struct config_loader *ld, const char *path)
{
	struct config *cfg = ld->cfg;

	xgrow((void **)&cfg->files, &ld->files_cap, cfg->nfiles + 1,
	    sizeof(*cfg->files));
	cfg->files[cfg->nfiles] = xstrdup(path);
	return cfg->files[cfg->nfiles++];
}

const char *
config_quote(struct config_loader *ld, const char *s)
{
	size_t len = strlen(s), n = len > CONFIG_QUOTE_MAX ? CONFIG_QUOTE_MAX : len;
	char *out = config_arena_alloc(&ld->arena, n * 4 + 8), *o = out;
	size_t i;

	*o++ = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (c == '\t') {
			*o++ = '\\';
			*o++ = 't';
		} else if (c < 0x20 || c == 0x7f) {
			sprintf(o, "\\x%02x", c);
			o += 4;
		} else
			*o++ = (char)c;
	}
	if (n < len) {
		memcpy(o, "...", 3);
		o += 3;
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

/* Optimal string alignment distance: a swap of two letters counts once. */
static size_t
config_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[33][33];

	if (la > 32 || lb > 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v;

			v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *
config_suggest(const char *s, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t i, bestd = 3, dist;

	for (i = 0; i < n; i++) {
		dist = config_distance(s, names[i]);
		/* "ab" is 2 edits from any 2-letter key: no suggestion there. */
		if (dist < bestd && dist < strlen(names[i])) {
			best = names[i];
			bestd = dist;
		}
	}
	return best;
}

/* ---- YAML nodes and values ------------------------------------------ */

yaml_node_t *
config_node(struct config_loader *ld, int index)
{
	return yaml_document_get_node(ld->doc, index);
}

struct cfg_mark
config_mark(struct config_loader *ld, const yaml_node_t *n)
{
	struct cfg_mark m;

	m.file = ld->file;
	m.line = (int)n->start_mark.line + 1;
	m.col = (int)n->start_mark.column + 1;
	return m;
}

/* YAML 1.1 null: an empty plain scalar, "~" or "null". */
int
config_is_null(const yaml_node_t *n)
{
	const char *v;

	if (n == NULL)
		return 1;
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	v = (const char *)n->data.scalar.value;
	return *v == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	    strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

const char *
config_what(const yaml_node_t *n)
{
	if (config_is_null(n))
		return "nothing";
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a map";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a string";
	}
}

int
config_key(struct config_loader *ld, const struct config_field *keys,
    size_t nkeys, unsigned where, const char *whatname, yaml_node_t *knode,
    struct config_keyseen *seen, const char *prefix)
{
	struct cfg_mark m = config_mark(ld, knode), *f;
	const char *names[64], *name, *hint;
	size_t i, n = 0;

	if (knode->type != YAML_SCALAR_NODE) {
		config_error(ld, &m, "%skeys must be strings, got %s", prefix,
		    config_what(knode));
		return -1;
	}
	name = (const char *)knode->data.scalar.value;
	for (i = 0; i < nkeys; i++)
		if (strcmp(name, keys[i].name) == 0)
			break;
	if (i == nkeys) {
		for (i = 0; i < nkeys && n < 64; i++)
			if (keys[i].where & where)
				names[n++] = keys[i].name;
		hint = config_suggest(name, names, n);
		if (hint != NULL)
			config_error(ld, &m, "%sunknown key %s (did you mean \"%s\"?)",
			    prefix, config_quote(ld, name), hint);
		else
			config_error(ld, &m, "%sunknown key %s", prefix,
			    config_quote(ld, name));
		return -1;
	}
	if (i < 64 && (seen->bits & ((uint64_t)1 << i))) {
		f = &seen->first[i];
		config_error(ld, &m, "%skey \"%s\" is given twice (first at %s:%d:%d)",
		    prefix, name, f->file, f->line, f->col);
		return -1;
	}
	if (i < 64) {
		seen->bits |= (uint64_t)1 << i;
		seen->first[i] = m;
	}
	if (!(keys[i].where & where)) {
		config_error(ld, &m, "%skey \"%s\" does not apply to %s", prefix,
		    name, whatname);
		return -1;
	}
	return (int)i;
}

const char *
config_text(struct config_loader *ld, yaml_node_t *n, const char *prefix,
    const char *key)
{
	struct cfg_mark m = config_mark(ld, n);
	const char *v;

	if (n->type != YAML_SCALAR_NODE) {
		config_error(ld, &m, "%s%s: expected a string, got %s", prefix,
		    key, config_what(n));
		return NULL;
	}
	v = (const char *)n->data.scalar.value;
	if (strlen(v) != n->data.scalar.length) {
		config_error(ld, &m, "%s%s: contains a NUL character", prefix, key);
		return NULL;
	}
	return config_arena_strdup(&ld->arena, v);
}

const char *
config_string(struct config_loader *ld, yaml_node_t *n, const char *prefix,
    const char *key, int nonempty)
{
	struct cfg_mark m = config_mark(ld, n);
	const char *v;

	if (config_is_null(n)) {
		config_error(ld, &m, "%s%s: expected a string, got nothing",
		    prefix, key);
		return NULL;
	}
	if ((v = config_text(ld, n, prefix, key)) == NULL)
		return NULL;
	if (nonempty && *v == '\0') {
		config_error(ld, &m, "%s%s: must not be empty", prefix, key);
		return NULL;
	}
	return v;
}

static int
config_duration_any(struct config_loader *ld, yaml_node_t *n,
    const char *prefix, const char *key, int zero_ok, int *out)
{
	struct cfg_mark m = config_mark(ld, n);
	const char *v = config_string(ld, n, prefix, key, 0);
	int secs;

	if (v == NULL)
		return -1;
	if (config_parse_duration(v, &secs) < 0) {
		config_error(ld, &m, "%s%s: %s is not a duration (expected 30s, "
		    "5m, 1h, 1d or a number of seconds)", prefix, key,
		    config_quote(ld, v));
		return -1;
	}
	if (secs == 0 && !zero_ok) {
		config_error(ld, &m, "%s%s: %s must be more than 0 seconds",
		    prefix, key, config_quote(ld, v));
		return -1;
	}
	*out = secs;
	return 0;
}

int
config_duration(struct config_loader *ld, yaml_node_t *n, const char *prefix,
    const char *key, int *out)
{
	return config_duration_any(ld, n, prefix, key, 0, out);
}

int
config_duration_or_zero(struct config_loader *ld, yaml_node_t *n,
    const char *prefix, const char *key, int *out)
{
	return config_duration_any(ld, n, prefix, key, 1, out);
}

/*
 * Digits, at most one '.' with digits after it, an optional '%'. Parsed by
 * hand: strtod(3) would follow the locale and accept "1e2", "inf", " 5".
 */
int
config_percent(struct config_loader *ld, yaml_node_t *n, const char *prefix,
    const char *key, double *out)
{
	struct cfg_mark m = config_mark(ld, n);
	const char *v = config_string(ld, n, prefix, key, 0), *p;
	double x = 0, scale = 1;
	int digits = 0;

	if (v == NULL)
		return -1;
	for (p = v; isdigit((unsigned char)*p) && digits < 4; p++, digits++)
		x = x * 10 + (*p - '0');
	if (digits > 0 && *p == '.' && isdigit((unsigned char)p[1]))
		for (p++; isdigit((unsigned char)*p) && scale > 1e-9; p++) {
			scale /= 10;
			x += (*p - '0') * scale;
		}
	if (*p == '%')
		p++;
	if (digits == 0 || *p != '\0' || x > 100) {
		config_error(ld, &m, "%s%s: %s is not a percentage (expected a "
		    "number from 0 to 100)", prefix, key, config_quote(ld, v));
		return -1;
	}
	*out = x;
	return 0;
}

int
config_int(struct config_loader *ld, yaml_node_t *n, const char *prefix,
    const char *key, int min, int *out)
{
	struct cfg_mark m = config_mark(ld, n);
	const char *v = config_string(ld, n, prefix, key, 0);
	int x;

	if (v == NULL)
		return -1;
	if ((x = config_number(v, INT_MAX)) < min) {
		config_error(ld, &m, "%s%s: %s is not a whole number >= %d",
		    prefix, key, config_quote(ld, v), min);
		return -1;
	}
	*out = x;
	return 0;
}

int
config_bool(struct config_loader *ld, yaml_node_t *n, const char *prefix,
    const char *key, int *out)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	struct cfg_mark m = config_mark(ld, n);
	const char *v = config_string(ld, n, prefix, key, 0);
	size_t i;

	if (v == NULL)
		return -1;
	for (i = 0; i < 3; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	config_error(ld, &m, "%s%s: %s is not a boolean (expected true or false)",
	    prefix, key, config_quote(ld, v));
	return -1;
}

int
config_map(struct config_loader *ld, yaml_node_t *n, const char *prefix,
    const char *key, const char *expected)
{
	struct cfg_mark m;

	if (config_is_null(n))
		return 0;
	if (n->type == YAML_MAPPING_NODE)
		return 1;
	m = config_mark(ld, n);
	if (key == NULL)
		config_error(ld, &m, "%sexpected %s, got %s", prefix, expected,
		    config_what(n));
	else
		config_error(ld, &m, "%s%s: expected %s, got %s", prefix, key,
		    expected, config_what(n));
	return -1;
}

int
config_pool_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' &&
		    *s != '-')
			return 0;
	return 1;
}

int
config_number(const char *s, int max)
{
	long long n = 0;
	const char *p;

	if (*s < '1' || *s > '9')
		return s[0] == '0' && s[1] == '\0' ? 0 : -1;
	for (p = s; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		n = n * 10 + (*p - '0');
		if (n > max)
			return -1;
	}
	return (int)n;
}

int
config_macro_number(const char *name, const char *prefix, int max)
{
	size_t n = strlen(prefix);
	int x;

	if (strncmp(name, prefix, n) != 0)
		return 0;
	x = config_number(name + n, max);
	return x > 0 ? x : 0;
}

/* ---- lists, names, vars ---------------------------------------------- */

/*
 * An object's name, from its map key. Host and command names end up in
 * URLs, routing keys and macros (strict): no '/', whitespace or '$'.
 */
const char *
config_name(struct config_loader *ld, yaml_node_t *k, const char *prefix,
    const char *kind, int strict)
{
	struct cfg_mark m = config_mark(ld, k);
	const char *v;
	const unsigned char *p;

	if (k->type != YAML_SCALAR_NODE) {
		config_error(ld, &m, "%s%s names must be strings, got %s", prefix,
		    kind, config_what(k));
		return NULL;
	}
	v = (const char *)k->data.scalar.value;
	if (strlen(v) != k->data.scalar.length) {
		config_error(ld, &m, "%s%s name %s contains a NUL character",
		    prefix, kind, config_quote(ld, v));
		return NULL;
	}
	if (*v == '\0' || config_is_null(k)) {
		config_error(ld, &m, "%s%s name must not be empty", prefix, kind);
		return NULL;
	}
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			config_error(ld, &m, "%s%s %s: name may not contain "
			    "control characters", prefix, kind, config_quote(ld, v));
			return NULL;
		}
		if (strict && (*p == '/' || *p == '$' || isspace(*p))) {
			config_error(ld, &m, "%s%s %s: name may not contain '/', "
			    "whitespace or '$'", prefix, kind, config_quote(ld, v));
			return NULL;
		}
	}
	return config_arena_strdup(&ld->arena, v);
}

void
config_strs_alloc(struct config_loader *ld, struct config_strs *s, size_t n)
{
	s->v = config_arena_alloc(&ld->arena, (n ? n : 1) * sizeof(*s->v));
	s->m = config_arena_alloc(&ld->arena, (n ? n : 1) * sizeof(*s->m));
	s->n = 0;
}

/*
 * A list of non-empty strings; one string is a list of one (use: generic,
 * parents: core-sw-1). 0 or -1.
 */
int
config_list(struct config_loader *ld, yaml_node_t *v, const char *prefix,
    const char *key, const char *expected, struct config_strs *out)
{
	struct cfg_mark m = config_mark(ld, v);
	yaml_node_item_t *it;
	yaml_node_t *e;
	const char *s;
	int bad = 0;

	if (v->type == YAML_SCALAR_NODE && !config_is_null(v)) {
		if ((s = config_string(ld, v, prefix, key, 1)) == NULL)
			return -1;
		config_strs_alloc(ld, out, 1);
		out->v[0] = s;
		out->m[0] = m;
		out->n = 1;
		return 0;
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		config_error(ld, &m, "%s%s: expected %s, got %s", prefix, key,
		    expected, config_what(v));
		return -1;
	}
	config_strs_alloc(ld, out, (size_t)(v->data.sequence.items.top -
	    v->data.sequence.items.start));
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	    it++) {
		e = config_node(ld, *it);
		if ((s = config_string(ld, e, prefix, key, 1)) == NULL) {
			bad = 1;
			continue;
		}
		out->m[out->n] = config_mark(ld, e);
		out->v[out->n++] = s;
	}
	return bad ? -1 : 0;
}

/*
 * Names of objects of a kind ("group", "timeperiod"): one, a list, or
 * nothing (an empty list: an object's own empty groups: overrides its
 * templates'). A name listed twice is a mistake somewhere, as in pools.
 * Whether each exists is pass 2's question: it may be defined in a later
 * file. 0 or -1.
 */
int
config_names(struct config_loader *ld, yaml_node_t *v, const char *prefix,
    const char *key, const char *kind, struct config_strs *out)
{
	size_t i, j;
	int bad = 0;

	if (config_is_null(v)) {
		config_strs_alloc(ld, out, 0);
		return 0;
	}
	if (config_list(ld, v, prefix, key, config_arena_printf(&ld->arena,
	    "a list of %s names", kind), out) < 0)
		return -1;
	for (i = 1; i < out->n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(out->v[i], out->v[j]) == 0)
				break;
		if (j < i) {
			config_error(ld, &out->m[i], "%s%s: %s %s is listed "
			    "twice", prefix, key, kind, config_quote(ld, out->v[i]));
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

static int
values_var_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s == '$' || isspace((unsigned char)*s) ||
		    (unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int
config_vars(struct config_loader *ld, yaml_node_t *v,
    const char *prefix, struct config_vars *vars)
{
	yaml_node_pair_t *pair;
	yaml_node_t *k, *val;
	struct cfg_mark m;
	const char *name, *value;
	size_t n, i;
	int bad = 0, r;

	if ((r = config_map(ld, v, prefix, "vars", "a map of name: value")) <= 0)
		return r < 0 ? -1 : 1;
	n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	vars->name = config_arena_alloc(&ld->arena, n * sizeof(*vars->name));
	vars->value = config_arena_alloc(&ld->arena, n * sizeof(*vars->value));
	vars->m = config_arena_alloc(&ld->arena, n * sizeof(*vars->m));
	vars->n = 0;
	for (pair = v->data.mapping.pairs.start;
	    pair < v->data.mapping.pairs.top; pair++) {
		k = config_node(ld, pair->key);
		val = config_node(ld, pair->value);
		m = config_mark(ld, k);
		if ((name = config_text(ld, k, prefix, "vars")) == NULL) {
			bad = 1;
			continue;
		}
		if (!values_var_name_ok(name)) {
			config_error(ld, &m, "%svars: %s is not a variable name "
			    "(no whitespace or '$')", prefix, config_quote(ld, name));
			bad = 1;
			continue;
		}
		/* $_HOSTenv$ and $_HOSTENV$ are one macro: so is the var. */
		for (i = 0; i < vars->n; i++)
			if (strcasecmp(vars->name[i], name) == 0)
				break;
		if (i < vars->n) {
			config_error(ld, &m, "%svars: %s is given twice (first at "
			    "%s:%d:%d; names ignore case)", prefix,
			    config_quote(ld, name), vars->m[i].file,
			    vars->m[i].line, vars->m[i].col);
			bad = 1;
			continue;
		}
		if (config_is_null(val))
			value = "";
		else if ((value = config_text(ld, val, prefix,
		    config_arena_printf(&ld->arena, "vars: %s", name))) == NULL) {
			bad = 1;
			continue;
		}
		vars->name[vars->n] = name;
		vars->value[vars->n] = value;
		vars->m[vars->n++] = m;
	}
	return bad ? -1 : 0;
}

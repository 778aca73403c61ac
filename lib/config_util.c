/*
 * NAME
 *	config_util - what the configuration loader's files share
 * DESCRIPTION
 *	The arena that holds everything only one config_load() needs, the
 *	config's store (the same chunks, kept with the config, behind an
 *	index that keeps one copy of each distinct string or list), the
 *	error collector, message helpers (quoting, "did you mean"), the name
 *	index (a hash table: loading stays linear in the number of objects),
 *	the YAML file reader and the value helpers that turn a node into a
 *	string, a duration, a number or a boolean and say what was expected
 *	when they can't. See config_private.h.
 * DIAGNOSTICS
 *	Every helper that reads a value reports through config_error() and
 *	returns -1 or NULL; callers skip the value and go on. YAML syntax
 *	errors carry libyaml's problem mark. Nothing is logged.
 */
#include "config.h"
#include "config_private.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_QUOTE_MAX	60	/* bytes of a value quoted in a message */
#define CONFIG_CHUNK		(64 * 1024)

/* ---- arena ---------------------------------------------------------- */

struct config_chunk {
	struct config_chunk *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

void *
config_arena_alloc(struct config_arena *a, size_t n)
{
	struct config_chunk *c = a->chunks;
	size_t align = _Alignof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (c == NULL || c->size - c->used < n) {
		size_t size = n > CONFIG_CHUNK ? n : CONFIG_CHUNK;

		c = xmalloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		/* A big block goes behind the current chunk so its room stays usable. */
		if (a->chunks != NULL && n > CONFIG_CHUNK) {
			c->next = a->chunks->next;
			a->chunks->next = c;
		} else {
			c->next = a->chunks;
			a->chunks = c;
		}
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

char *
config_arena_strdup(struct config_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(config_arena_alloc(a, n), s, n);
}

char *
config_arena_printf(struct config_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *tmp, *s;

	va_start(ap, fmt);
	tmp = xvasprintf(fmt, ap);
	va_end(ap);
	s = config_arena_strdup(a, tmp);
	free(tmp);
	return s;
}

void
config_arena_free(struct config_arena *a)
{
	struct config_chunk *c, *next;

	for (c = a->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = NULL;
}

/* ---- the config's store ---------------------------------------------- */

struct config_store_ent {
	const void *p;		/* NULL: a free slot */
	size_t n;		/* a string's length, a list's count */
	uint64_t hash;
	int is_list;
};

struct config_store {
	struct config_arena arena;
	struct config_store_ent *v;	/* open addressing; NULL once sealed */
	size_t cap, n;
};

struct config_store *
config_store_new(void)
{
	return xcalloc(1, sizeof(struct config_store));
}

void
config_store_seal(struct config_store *st)
{
	free(st->v);
	st->v = NULL;
	st->cap = st->n = 0;
}

void
config_store_free(struct config_store *st)
{
	if (st == NULL)
		return;
	config_store_seal(st);
	config_arena_free(&st->arena);
	free(st);
}

static uint64_t
store_hash(const void *p, size_t len, int is_list)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)is_list;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* A string (n bytes) or a list (n pointers to stored strings, so equal
 * lists are equal pointer for pointer), stored once. */
static const void *
store_intern(struct config_store *st, const void *p, size_t n, int is_list)
{
	size_t len = is_list ? n * sizeof(char *) : n, i, j;
	uint64_t h = store_hash(p, len, is_list);
	struct config_store_ent *e;
	char *q;

	if ((st->n + 1) * 2 > st->cap) {
		struct config_store_ent *old = st->v;
		size_t oldcap = st->cap;

		st->cap = st->cap ? st->cap * 2 : 256;
		st->v = xcalloc(st->cap, sizeof(*st->v));
		for (j = 0; j < oldcap; j++) {
			if (old[j].p == NULL)
				continue;
			for (i = old[j].hash & (st->cap - 1); st->v[i].p != NULL;
			    i = (i + 1) & (st->cap - 1))
				;
			st->v[i] = old[j];
		}
		free(old);
	}
	for (i = h & (st->cap - 1); st->v[i].p != NULL; i = (i + 1) & (st->cap - 1)) {
		e = &st->v[i];
		if (e->hash == h && e->is_list == is_list && e->n == n &&
		    memcmp(e->p, p, len) == 0)
			return e->p;
	}
	/* Both end in a zeroed terminator: '\0' or a NULL pointer. */
	q = config_arena_alloc(&st->arena, len + (is_list ? sizeof(char *) : 1));
	memcpy(q, p, len);
	memset(q + len, 0, is_list ? sizeof(char *) : 1);
	e = &st->v[i];
	e->p = q;
	e->n = n;
	e->hash = h;
	e->is_list = is_list;
	st->n++;
	return q;
}

char *
config_store_str(struct config_store *st, const char *s)
{
	return s != NULL ? (char *)store_intern(st, s, strlen(s), 0) : NULL;
}

char **
config_store_strv(struct config_store *st, const char *const *v, size_t n)
{
	const char *buf[16] = { NULL }, **tmp = n <= 16 ? buf : xmalloc(n * sizeof(*tmp));
	char **out;
	size_t i;

	for (i = 0; i < n; i++)
		tmp[i] = config_store_str(st, v[i]);
	out = (char **)store_intern(st, tmp, n, 1);
	if (tmp != buf)
		free(tmp);
	return out;
}

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
config_key(struct config_loader *ld, const struct config_key *keys,
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

/* ---- name index ----------------------------------------------------- */

static size_t
config_index_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

size_t *
config_index_find(const struct config_index *m, const char *key)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = config_index_hash(key) & (m->cap - 1); m->v[i].key != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->v[i].key, key) == 0)
			return &m->v[i].val;
	return NULL;
}

void
config_index_put(struct config_index *m, const char *key, size_t val)
{
	struct config_index_ent *old = m->v;
	size_t oldcap = m->cap, i, j;

	if ((m->n + 1) * 2 > m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = xcalloc(m->cap, sizeof(*m->v));
		for (j = 0; j < oldcap; j++) {
			if (old[j].key == NULL)
				continue;
			for (i = config_index_hash(old[j].key) & (m->cap - 1);
			    m->v[i].key != NULL; i = (i + 1) & (m->cap - 1))
				;
			m->v[i] = old[j];
		}
		free(old);
	}
	for (i = config_index_hash(key) & (m->cap - 1); m->v[i].key != NULL;
	    i = (i + 1) & (m->cap - 1))
		;
	m->v[i].key = key;
	m->v[i].val = val;
	m->n++;
}

/* ---- reading YAML files --------------------------------------------- */

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

int
config_yaml_load(struct config_loader *ld, const char *file,
    yaml_document_t *doc, int secret)
{
	struct cfg_mark fm = { file, 0, 0 };
	yaml_parser_t parser;
	yaml_document_t extra;
	yaml_node_t *root;
	struct stat st;
	size_t len;
	char *buf;
	int fd, rc = -1;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		config_error(ld, &fm, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		config_error(ld, &fm, "cannot read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		config_error(ld, &fm, "cannot read: %s", strerror(EISDIR));
		close(fd);
		return -1;
	}
	if (secret && (st.st_mode & 077)) {
		config_error(ld, &fm, "resource file is readable by group or "
		    "others (mode %04o); chmod 600 it",
		    (unsigned)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	buf = config_read_fd(fd, &len);
	if (buf == NULL) {
		config_error(ld, &fm, "cannot read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);

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

/*
 * NAME
 *	tokens - the API's named tokens, kept as hashes
 * DESCRIPTION
 *	See tokens.h. SHA-256 and the constant-time comparison are OpenSSL's
 *	(libcrypto, which libpq, libcurl and libwebsockets use already).
 */
#include "tokens.h"
#include "xalloc.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOKENS_NAME_MAX 64

struct token {
	char name[TOKENS_NAME_MAX + 1];
	enum token_scope scope;
	unsigned char hash[32];
};

struct tokens {
	struct token *v;
	size_t n, cap;
};

static void
sha256(const char *s, unsigned char out[32])
{
	unsigned int n = 0;

	if (EVP_Digest(s, strlen(s), out, &n, EVP_sha256(), NULL) != 1 || n != 32)
		abort();	/* libcrypto is broken: nothing is safe */
}

void
tokens_hash_hex(const char *s, char hex[65])
{
	unsigned char h[32];

	sha256(s, h);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
}

const char *
tokens_scope_name(enum token_scope s)
{
	return s == SCOPE_ADMIN ? "admin" : s == SCOPE_WRITE ? "write" : "read";
}

static int
unhex(const char *s, unsigned char out[32])
{
	for (int i = 0; i < 32; i++) {
		unsigned v = 0;

		for (int k = 0; k < 2; k++) {
			int c = tolower((unsigned char)s[2 * i + k]);

			if (c >= '0' && c <= '9')
				v = v * 16 + (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v = v * 16 + (unsigned)(c - 'a' + 10);
			else
				return -1;
		}
		out[i] = (unsigned char)v;
	}
	return s[64] == '\0' ? 0 : -1;
}

static int
name_ok(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.' &&
		    *s != '@')
			return 0;
	return n > 0 && n <= TOKENS_NAME_MAX;
}

struct tokens *
tokens_load(const char *path, char *err, size_t errlen)
{
	struct tokens *t;
	struct stat st;
	char line[512], name[512], scope[512], hash[512], extra[8];
	int fd, lineno = 0, n;
	FILE *f;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || (st.st_mode & 077) != 0) {
		snprintf(err, errlen, "%s: mode %03o: a token file must be private to its "
		    "owner (chmod 600)", path, (unsigned)(st.st_mode & 0777));
		close(fd);
		return NULL;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	while (fgets(line, sizeof(line), f) != NULL) {
		struct token *k;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			goto fail;
		}
		n = sscanf(line, " %511s %511s %511s %7s", name, scope, hash, extra);
		if (n <= 0 || name[0] == '#')
			continue;
		if (n != 3) {
			snprintf(err, errlen, "%s:%d: expected NAME SCOPE SHA256", path, lineno);
			goto fail;
		}
		if (!name_ok(name)) {
			snprintf(err, errlen, "%s:%d: name \"%.64s\": letters, digits, '-', '_', "
			    "'.' and '@' only, at most %d", path, lineno, name, TOKENS_NAME_MAX);
			goto fail;
		}
		for (size_t i = 0; i < t->n; i++)
			if (strcmp(t->v[i].name, name) == 0) {
				snprintf(err, errlen, "%s:%d: name \"%s\" is given twice", path,
				    lineno, name);
				goto fail;
			}
		xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v));
		k = &t->v[t->n];
		memcpy(k->name, name, strlen(name) + 1);	/* name_ok(): it fits */
		if (strcmp(scope, "read") == 0)
			k->scope = SCOPE_READ;
		else if (strcmp(scope, "write") == 0)
			k->scope = SCOPE_WRITE;
		else if (strcmp(scope, "admin") == 0)
			k->scope = SCOPE_ADMIN;
		else {
			snprintf(err, errlen, "%s:%d: scope \"%.32s\": expected read, write or "
			    "admin", path, lineno, scope);
			goto fail;
		}
		if (strlen(hash) != 64 || unhex(hash, k->hash) < 0) {
			snprintf(err, errlen, "%s:%d: expected the token's SHA-256 as 64 hex "
			    "digits (never the token itself)", path, lineno);
			goto fail;
		}
		t->n++;
	}
	fclose(f);
	return t;
fail:
	fclose(f);
	tokens_free(t);
	return NULL;
}

void
tokens_free(struct tokens *t)
{
	if (t == NULL)
		return;
	if (t->v != NULL)
		memset(t->v, 0, t->cap * sizeof(*t->v));
	free(t->v);
	free(t);
}

size_t
tokens_count(const struct tokens *t)
{
	return t != NULL ? t->n : 0;
}

const char *
tokens_find(const struct tokens *t, const char *presented, enum token_scope *scope)
{
	const struct token *found = NULL;
	unsigned char h[32];

	if (t == NULL || presented == NULL || *presented == '\0')
		return NULL;
	sha256(presented, h);
	/* Every entry, every byte: the time says nothing of which matched. */
	for (size_t i = 0; i < t->n; i++)
		if (CRYPTO_memcmp(h, t->v[i].hash, sizeof(h)) == 0 && found == NULL)
			found = &t->v[i];
	if (found == NULL)
		return NULL;
	*scope = found->scope;
	return found->name;
}

/*
 * NAME
 *	auth - HMAC-SHA-256 tags on broker messages (see auth.h)
 * DESCRIPTION
 *	Each key keeps its HMAC state keyed once (OpenSSL's EVP_MAC); a tag
 *	is computed on a copy of it, so tagging a message costs the hash of
 *	its bytes and nothing more.
 */
#include "auth.h"
#include "xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#define AUTH_DOMAIN "vigil-auth/1"
#define AUTH_KEY_MIN 32
#define AUTH_KEY_MAX 128

struct auth_key {
	char id[AUTH_KEYID_MAX + 1];
	EVP_MAC_CTX *mac;	/* keyed, never finalised: copied per tag */
};

struct auth_keys {
	struct auth_key k[AUTH_MAX_KEYS];
	size_t n;
};

/* vigil-web tags commands on its threads while a HUP may swap the keys
 * on its loop: the keys are read under a shared lock. */
struct auth {
	pthread_rwlock_t lock;
	struct auth_keys keys;
};

static void
keys_clear(struct auth_keys *a)
{
	for (size_t i = 0; i < a->n; i++)
		EVP_MAC_CTX_free(a->k[i].mac);
	a->n = 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
keyid_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > AUTH_KEYID_MAX)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
			return 0;
	return 1;
}

static EVP_MAC_CTX *
keyed_mac(const unsigned char *key, size_t len)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
		OSSL_PARAM_construct_end()
	};

	EVP_MAC_free(mac);	/* the context holds its own reference */
	if (ctx == NULL || EVP_MAC_init(ctx, key, len, params) != 1) {
		EVP_MAC_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* Parse the file into a (empty on entry). */
static int
read_keys(struct auth_keys *a, const char *path, char *err, size_t errlen)
{
	char line[1024], id[1024], hex[1024], extra[8];
	unsigned char key[AUTH_KEY_MAX];
	struct stat st;
	int fd, lineno = 0, n, rc = -1;
	FILE *f;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
		snprintf(err, errlen, "%s: mode %03o: a key file must be a file private to "
		    "its owner (chmod 600)", path, (unsigned)(st.st_mode & 0777));
		close(fd);
		return -1;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t len;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			goto out;
		}
		n = sscanf(line, " %1023s %1023s %7s", id, hex, extra);
		if (n <= 0 || id[0] == '#')
			continue;
		if (n != 2) {
			snprintf(err, errlen, "%s:%d: expected KEYID HEX", path, lineno);
			goto out;
		}
		if (!keyid_ok(id)) {
			snprintf(err, errlen, "%s:%d: key id: 1 to %d letters, digits, '_', '.' "
			    "or '-'", path, lineno, AUTH_KEYID_MAX);
			goto out;
		}
		len = strlen(hex);
		if (len % 2 != 0 || len < 2 * AUTH_KEY_MIN || len > 2 * AUTH_KEY_MAX) {
			snprintf(err, errlen, "%s:%d: key %s: expected %d to %d hex digits "
			    "(vigilctl keygen writes one)", path, lineno, id, 2 * AUTH_KEY_MIN,
			    2 * AUTH_KEY_MAX);
			goto out;
		}
		for (size_t i = 0; i < len / 2; i++) {
			int hi = hexval((unsigned char)hex[2 * i]), lo = hexval((unsigned char)hex[2 * i + 1]);

			if (hi < 0 || lo < 0) {
				snprintf(err, errlen, "%s:%d: key %s: not hex", path, lineno, id);
				goto out;
			}
			key[i] = (unsigned char)(hi << 4 | lo);
		}
		if (a->n == AUTH_MAX_KEYS) {
			snprintf(err, errlen, "%s:%d: at most %d keys (the one that signs and "
			    "one more while rotating)", path, lineno, AUTH_MAX_KEYS);
			goto out;
		}
		for (size_t i = 0; i < a->n; i++)
			if (strcmp(a->k[i].id, id) == 0) {
				snprintf(err, errlen, "%s:%d: key id %s is given twice", path,
				    lineno, id);
				goto out;
			}
		if ((a->k[a->n].mac = keyed_mac(key, len / 2)) == NULL) {
			snprintf(err, errlen, "%s:%d: the crypto library has no HMAC-SHA-256",
			    path, lineno);
			goto out;
		}
		memcpy(a->k[a->n].id, id, strlen(id) + 1);
		a->n++;
	}
	if (a->n == 0) {
		snprintf(err, errlen, "%s: no key (expected lines KEYID HEX)", path);
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(line, sizeof(line));
	OPENSSL_cleanse(hex, sizeof(hex));
	fclose(f);
	return rc;
}

struct auth *
auth_load(const char *path, char *err, size_t errlen)
{
	struct auth *a = xcalloc(1, sizeof(*a));

	if (read_keys(&a->keys, path, err, errlen) < 0) {
		keys_clear(&a->keys);
		free(a);
		return NULL;
	}
	pthread_rwlock_init(&a->lock, NULL);
	return a;
}

int
auth_reload(struct auth *a, const char *path, char *err, size_t errlen)
{
	struct auth_keys fresh, old;

	memset(&fresh, 0, sizeof(fresh));
	if (read_keys(&fresh, path, err, errlen) < 0) {
		keys_clear(&fresh);
		return -1;
	}
	pthread_rwlock_wrlock(&a->lock);
	old = a->keys;
	a->keys = fresh;
	pthread_rwlock_unlock(&a->lock);
	keys_clear(&old);
	return 0;
}

void
auth_free(struct auth *a)
{
	if (a == NULL)
		return;
	keys_clear(&a->keys);
	pthread_rwlock_destroy(&a->lock);
	free(a);
}

/* Only from the thread that reloads (the loop): no lock needed there. */
const char *
auth_key_id(const struct auth *a)
{
	return a->keys.k[0].id;
}

size_t
auth_key_count(const struct auth *a)
{
	return a->keys.n;
}

/* The 32-byte HMAC of the domain, the routing key and the body. */
static int
mac_of(const struct auth_key *k, const char *routing_key, const void *body, size_t len,
    unsigned char out[32])
{
	EVP_MAC_CTX *c = EVP_MAC_CTX_dup(k->mac);
	size_t outlen = 0;
	int ok;

	if (c == NULL)
		return -1;
	ok = EVP_MAC_update(c, (const unsigned char *)AUTH_DOMAIN, sizeof(AUTH_DOMAIN)) == 1 &&
	    EVP_MAC_update(c, (const unsigned char *)routing_key, strlen(routing_key) + 1) == 1 &&
	    (len == 0 || EVP_MAC_update(c, body, len) == 1) &&
	    EVP_MAC_final(c, out, &outlen, 32) == 1 && outlen == 32;
	EVP_MAC_CTX_free(c);
	return ok ? 0 : -1;
}

void
auth_sign(const struct auth *a, const char *routing_key, const void *body, size_t len,
    char out[AUTH_TAG_MAX])
{
	static const char digits[] = "0123456789abcdef";
	struct auth *m = (struct auth *)a;	/* the lock only */
	unsigned char mac[32];
	size_t n;
	int rc;

	pthread_rwlock_rdlock(&m->lock);
	n = strlen(a->keys.k[0].id);
	memcpy(out, a->keys.k[0].id, n);
	rc = mac_of(&a->keys.k[0], routing_key, body, len, mac);
	pthread_rwlock_unlock(&m->lock);
	if (rc < 0) {
		/* Only when OpenSSL cannot allocate: tag nothing, and the
		 * receiver refuses it as it would any untagged message. */
		out[0] = '\0';
		return;
	}
	out[n++] = ':';
	for (size_t i = 0; i < 32; i++) {
		out[n++] = digits[mac[i] >> 4];
		out[n++] = digits[mac[i] & 15];
	}
	out[n] = '\0';
}

enum auth_verdict
auth_verify(const struct auth *a, const char *tag, const char *routing_key, const void *body,
    size_t len)
{
	const char *colon;
	unsigned char want[32], got[32];
	size_t idlen;

	if (tag == NULL || *tag == '\0')
		return AUTH_NONE;
	if ((colon = strchr(tag, ':')) == NULL || strlen(colon + 1) != 64)
		return AUTH_BAD;
	idlen = (size_t)(colon - tag);
	for (size_t i = 0; i < 32; i++) {
		int hi = hexval((unsigned char)colon[1 + 2 * i]);
		int lo = hexval((unsigned char)colon[2 + 2 * i]);

		if (hi < 0 || lo < 0)
			return AUTH_BAD;
		got[i] = (unsigned char)(hi << 4 | lo);
	}
	{
		struct auth *m = (struct auth *)a;	/* the lock only */
		enum auth_verdict v = AUTH_UNKNOWN_KEY;

		pthread_rwlock_rdlock(&m->lock);
		for (size_t i = 0; i < a->keys.n; i++) {
			if (strlen(a->keys.k[i].id) != idlen ||
			    memcmp(a->keys.k[i].id, tag, idlen) != 0)
				continue;
			if (mac_of(&a->keys.k[i], routing_key, body, len, want) < 0)
				v = AUTH_BAD;
			else
				v = CRYPTO_memcmp(want, got, 32) == 0 ? AUTH_OK : AUTH_BAD;
			break;
		}
		pthread_rwlock_unlock(&m->lock);
		return v;
	}
}

const char *
auth_verdict_name(enum auth_verdict v)
{
	switch (v) {
	case AUTH_OK:
		return "authenticated";
	case AUTH_NONE:
		return "no authentication tag";
	case AUTH_UNKNOWN_KEY:
		return "tagged with a key this process does not hold";
	case AUTH_BAD:
		break;
	}
	return "authentication tag does not match";
}

struct auth_mac {
	EVP_MAC_CTX *mac;
};

struct auth_mac *
auth_mac_new(const void *key, size_t len)
{
	struct auth_mac *m = xcalloc(1, sizeof(*m));

	if ((m->mac = keyed_mac(key, len)) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

void
auth_mac_free(struct auth_mac *m)
{
	if (m == NULL)
		return;
	EVP_MAC_CTX_free(m->mac);
	free(m);
}

int
auth_mac(const struct auth_mac *m, const void *data, size_t len, unsigned char out[32])
{
	EVP_MAC_CTX *c = EVP_MAC_CTX_dup(m->mac);
	size_t outlen = 0;
	int ok;

	if (c == NULL)
		return -1;
	ok = EVP_MAC_update(c, data, len) == 1 && EVP_MAC_final(c, out, &outlen, 32) == 1 &&
	    outlen == 32;
	EVP_MAC_CTX_free(c);
	return ok ? 0 : -1;
}

int
auth_random(void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom((char *)buf + got, n - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

int
auth_generate(const char *keyid, char *out, size_t outlen)
{
	unsigned char key[32];
	size_t n = strlen(keyid);

	/* "KEYID " + 64 hex + "\n" + NUL */
	if (!keyid_ok(keyid) || outlen < n + 1 + 64 + 2 || auth_random(key, sizeof(key)) < 0)
		return -1;
	memcpy(out, keyid, n);
	out[n++] = ' ';
	for (size_t i = 0; i < sizeof(key); i++) {
		out[n++] = "0123456789abcdef"[key[i] >> 4];
		out[n++] = "0123456789abcdef"[key[i] & 15];
	}
	out[n++] = '\n';
	out[n] = '\0';
	OPENSSL_cleanse(key, sizeof(key));
	return 0;
}

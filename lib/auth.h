/*
 * NAME
 *	auth - the tag that binds a broker message to a holder of the key
 * DESCRIPTION
 *	Every job, result, heartbeat, command, notification and event a vigil
 *	daemon publishes carries an AMQP header AUTH_HEADER ("x-vigil-auth")
 *	with the value "KEYID:TAG", where TAG is the hex HMAC-SHA-256, under
 *	the key named KEYID, of
 *
 *	    "vigil-auth/1" NUL routing-key NUL body
 *
 *	The routing key is in it so that a tagged message cannot be replayed
 *	as another kind (a heartbeat as a result) or into another pool (a
 *	job's key is <pool>.<check id>). Dead-lettering and the alternate
 *	exchange keep the routing key, so an expired job still verifies.
 *
 *	The key file (auth_key_file in vigil.yaml, mode 0600 or stricter,
 *	checked on the open descriptor) holds one or two keys, one a line:
 *
 *	    KEYID HEX
 *
 *	KEYID is 1 to 32 of [A-Za-z0-9_.-], HEX 64 to 256 hex digits (32 to
 *	128 bytes of key). The first key tags what this process sends; every
 *	key verifies. Rotation without a moment of refusal: add the new key
 *	as the second line everywhere (HUP), then make it the first
 *	everywhere, then drop the old one. Blank lines and '#' lines are
 *	skipped. `vigilctl keygen FILE` writes a fresh one.
 * SECURITY
 *	Whoever holds the key can tag anything: the file belongs on the hosts
 *	of the engine, the workers, the notifier and vigil-web, readable by
 *	their user only. Tags are compared in constant time. The key never
 *	appears in an error message.
 * DIAGNOSTICS
 *	auth_load(): NULL with err naming file:line and what is wrong.
 */
#ifndef VIGIL_AUTH_H
#define VIGIL_AUTH_H

#include <stddef.h>

#define AUTH_HEADER "x-vigil-auth"
#define AUTH_MAX_KEYS 2
#define AUTH_KEYID_MAX 32
/* "KEYID:" + 64 hex + NUL */
#define AUTH_TAG_MAX (AUTH_KEYID_MAX + 1 + 64 + 1)

enum auth_verdict {
	AUTH_NONE = 0,		/* no tag at all */
	AUTH_OK,		/* tagged with a key we hold, tag right */
	AUTH_UNKNOWN_KEY,	/* tagged with a key id we do not hold */
	AUTH_BAD		/* malformed, or the tag does not match */
};

struct auth;

struct auth *auth_load(const char *path, char *err, size_t errlen);
void auth_free(struct auth *a);
/* Read the file again (rotation): 0, or -1 with err and a unchanged. */
int auth_reload(struct auth *a, const char *path, char *err, size_t errlen);
/* The signing key's id. */
const char *auth_key_id(const struct auth *a);
size_t auth_key_count(const struct auth *a);

/* The header value for a message: out holds AUTH_TAG_MAX bytes. */
void auth_sign(const struct auth *a, const char *routing_key, const void *body,
    size_t len, char out[AUTH_TAG_MAX]);
/* Check a header value (tag NULL: none). */
enum auth_verdict auth_verify(const struct auth *a, const char *tag,
    const char *routing_key, const void *body, size_t len);
const char *auth_verdict_name(enum auth_verdict v);

/* A plain keyed HMAC-SHA-256 (the engine's job ids, engine/jobid.c). */
struct auth_mac;
struct auth_mac *auth_mac_new(const void *key, size_t len);
void auth_mac_free(struct auth_mac *m);
/* 0, or -1 when the crypto library fails to allocate. */
int auth_mac(const struct auth_mac *m, const void *data, size_t len, unsigned char out[32]);
/* n random bytes from the system: 0, or -1. */
int auth_random(void *buf, size_t n);

/* A new key file's text, "KEYID HEX\n" with 32 random bytes: 0, or -1
 * when the system has no randomness to give. */
int auth_generate(const char *keyid, char *out, size_t outlen);

#endif

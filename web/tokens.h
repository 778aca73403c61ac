/*
 * NAME
 *	tokens - the API's named tokens, kept as hashes
 * DESCRIPTION
 *	The token file (http api_token_file; mode 0600 or stricter, checked
 *	on the open descriptor) holds one token a line:
 *
 *	    NAME SCOPE SHA256
 *
 *	NAME is who acts (recorded as the author of what it does), SCOPE is
 *	read, write (ack, downtime, recheck, result, notify) or admin
 *	(reload), SHA256 the hex SHA-256 of the token a client presents as
 *	"Authorization: Bearer TOKEN". The token itself is never stored.
 *	Blank lines and lines starting with '#' are skipped.
 *
 *	tokens_find() hashes what a client presents and compares it with
 *	every entry in constant time (no early exit, no length leak).
 * DIAGNOSTICS
 *	tokens_load(): NULL with err naming file:line and what is wrong.
 */
#ifndef VIGIL_WEB_TOKENS_H
#define VIGIL_WEB_TOKENS_H

#include <stddef.h>

enum token_scope { SCOPE_READ = 1, SCOPE_WRITE = 2, SCOPE_ADMIN = 3 };

struct tokens;

struct tokens *tokens_load(const char *path, char *err, size_t errlen);
void tokens_free(struct tokens *t);
size_t tokens_count(const struct tokens *t);
/* The name and scope of the token presented, or NULL. */
const char *tokens_find(const struct tokens *t, const char *presented,
    enum token_scope *scope);
/* hex (65 bytes) of the SHA-256 of s: what a token file holds. */
void tokens_hash_hex(const char *s, char hex[65]);
const char *tokens_scope_name(enum token_scope s);

#endif

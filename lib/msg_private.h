/*
 * NAME
 *	msg_private - the JSON helpers msg.c's codecs share
 * DESCRIPTION
 *	Not for outside lib/msg*.c. msg.c: jobs, results, heartbeats and the
 *	helpers; msg_notification.c: notification deliveries; msg_command.c:
 *	commands.
 */
#ifndef VIGIL_MSG_PRIVATE_H
#define VIGIL_MSG_PRIVATE_H

#include "msg.h"
#include "config.h"
#include "xalloc.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* msg.c */
json_t *msg_str_or_null(const char *s);
int msg_get_id(json_t *o, const char *key, char out[UTIL_ID_LEN + 1], int required,
    char *err, size_t errlen);
int msg_get_str(json_t *o, const char *key, char **out, int required, char *err, size_t errlen);
int msg_get_int(json_t *o, const char *key, int64_t *out, int required, char *err,
    size_t errlen);
json_t *msg_strv_json(char *const *v, size_t n);
char *msg_dump(json_t *o, size_t *len);
int msg_get_num(json_t *o, const char *key, double *out, int required, char *err,
    size_t errlen);
json_t *msg_load(const void *body, size_t len, char *err, size_t errlen);
json_t *msg_field(json_t *o, const char *key, int required, int (*is_ok)(const json_t *),
    const char *expected, int *bad, char *err, size_t errlen);
int msg_is_object(const json_t *v);
int msg_is_boolean(const json_t *v);

#endif

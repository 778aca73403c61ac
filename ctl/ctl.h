/*
 * NAME
 *	ctl - what vigilctl's files share
 * DESCRIPTION
 *	vigilctl.c: the command line and the dispatch to a command; show.c:
 *	the commands that read state (status, groups, workers,
 *	notifications, through lib/query.c); send.c: the commands that go to
 *	the engine or the broker (submit, reload, ack, unack, notify,
 *	recheck, downtime); remote.c: all of them through the HTTP API
 *	(--url). Each command returns the exit status.
 */
#ifndef VIGIL_CTL_H
#define VIGIL_CTL_H

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libpq-fe.h>

struct auth;

/* vigilctl.c */
void ctl_usage(FILE *f);
/* The message keys (auth_key_file, else $VIGIL_AUTH_KEY_FILE), NULL when
 * neither names one; ctl_auth_required: commands need them unless the
 * configuration allows untagged messages. */
extern struct auth *ctl_auth;
extern int ctl_allow_unauthenticated;
/* keygen FILE [KEYID]: a new key file (never overwrites one). */
int ctl_keygen(int argc, char **argv);
/* import.c: vigilctl import-nagios (a Nagios object configuration as
 * conf.d YAML). */
int ctl_import_nagios(int argc, char **argv);
/* plugintest.c: vigilctl plugin-test (a worker's run, vigil's reading). */
struct config;
int ctl_plugin_test(const struct config *cfg, int argc, char **argv);

/* show.c */
int ctl_status(PGconn *pc, int argc, char **argv);
int ctl_groups(PGconn *pc, int argc, char **argv);
int ctl_workers(PGconn *pc, int argc, char **argv);
int ctl_notifications(PGconn *pc, int argc, char **argv);

/* send.c */
/* pc NULL: no database (submit does not check that the check exists,
 * reload has only the broker's confirm) */
int ctl_submit(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv);
int ctl_reload(PGconn *pc, const char *amqp, const char *prefix, int argc);
int ctl_ack(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv);
int ctl_downtime(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv);
int ctl_switch(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv);

/* remote.c: every command through vigil-web's API at url */
int ctl_remote(const char *url, const char *token_file, int argc, char **argv);

#endif

/*
 * NAME
 *	ctl - what vigilctl's files share
 * DESCRIPTION
 *	vigilctl.c: the command line and the dispatch to a command; show.c:
 *	the commands that read state (status, groups, workers,
 *	notifications, through lib/query.c); send.c: the commands that go to
 *	the engine or the broker (submit, reload, ack, unack, notify,
 *	downtime). Each command returns the exit status.
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

/* vigilctl.c */
void ctl_usage(FILE *f);

/* show.c */
int ctl_status(PGconn *pc, int argc, char **argv);
int ctl_groups(PGconn *pc, int argc, char **argv);
int ctl_workers(PGconn *pc, int argc, char **argv);
int ctl_notifications(PGconn *pc, int argc, char **argv);

/* send.c */
int ctl_submit(const char *amqp, const char *prefix, int argc, char **argv);
int ctl_reload(const char *amqp, const char *prefix, int argc);
int ctl_ack(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv);
int ctl_downtime(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv);

#endif

/*
 * NAME
 *	eventh - event handlers (Nagios's event_handler): a command run by a
 *	worker of the check's pool when its state changes
 * DESCRIPTION
 *	eventh_triggered() is Nagios's rule for when handle_service_event()
 *	and handle_host_event() run: every result of a SOFT problem (each
 *	attempt), every change of state, soft or hard, recoveries included,
 *	and every HARD problem result of a volatile check; not a HARD
 *	problem that goes on, nor an OK that stays OK, nor the first OK of a
 *	check that had no result (Nagios takes a new check for OK).
 *
 *	eventh_run() (apply.c, after a result) decides and sends: the check
 *	has an event_handler, it is enabled (the check's
 *	event_handler_enabled, and neither the check's nor the global
 *	runtime switch event_handlers is off: vigilctl disable
 *	event_handlers), and the check is not in downtime (its own or its
 *	host's) unless event_handler_in_downtime says so. The job goes to
 *	the check's pool (the first of its pools) like a check's, marked
 *	"kind":"event_handler", with an id only this engine could make for
 *	that check and time (jobid.c), the runtime macros of its argv
 *	($SERVICESTATE$, $SERVICESTATETYPE$, $SERVICEATTEMPT$ … macro.h)
 *	filled in with the state just applied. The run is written to
 *	event_handler_runs with the batch of the result that caused it;
 *	eventh_outcome() writes what the worker reports (exit code, output,
 *	times, worker), and eventh_verdict() a job that expired or had no
 *	pool. A handler never changes the check's state.
 *
 *	eventh_argv() is the substitution, pure: the places the config
 *	recorded (cfg_check.eh_macros, "ARG:OFF:ID;…", where argv[ARG] holds
 *	the text "$NAME$" at byte OFF) get their values, one argv element
 *	each whatever they hold, and the $USERn$ places (cfg_check.eh_users)
 *	move with the text before them.
 * DIAGNOSTICS
 *	eventh_argv() returns NULL when a place does not match its argv
 *	(a corrupt config: nothing runs; eventh_run() logs it).
 */
#ifndef VIGIL_EVENTH_H
#define VIGIL_EVENTH_H

#include <stddef.h>

struct engine;
struct check;
struct state;
struct result_msg;
struct job;

/* 1 if a result that made events ev (STATE_EV_*) and left st, from
 * old_state, runs the handler. */
int eventh_triggered(unsigned ev, int old_state, const struct state *st, int is_volatile);

/* argv (argc elements) with the places filled from values[ID] (nvalues
 * of them); *users_out the users string moved with them (NULL when
 * users is NULL). Fresh, NULL-terminated; NULL on a bad place. */
char **eventh_argv(char *const *argv, size_t argc, const char *places,
    const char *users, const char *const *values, size_t nvalues, char **users_out);

/* After apply_result() changed c from old_state with events ev. */
void eventh_run(struct engine *e, struct check *c, int old_state, unsigned ev, double now);
/* A result marked "kind":"event_handler" (intake.c, already checked as
 * a worker's): 0 recorded, -1 not one this engine sent (why in err). */
int eventh_outcome(struct engine *e, struct check *c, const struct result_msg *r,
    char *err, size_t errlen);
/* Its job expired or was unroutable (text says which). */
void eventh_verdict(struct engine *e, struct check *c, const struct job *j, const char *text);

#endif

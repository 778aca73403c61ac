/*
 * NAME
 *	import_cmd - vigilctl import-nagios: command lines and check keys
 * DESCRIPTION
 *	See import.c.
 */
#include "ctl.h"
#include "import.h"
#include "jsonw.h"
#include "macro.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>

/* ---- commands ------------------------------------------------------------ */

/* Nagios 4's split of a command it runs without a shell: words on
 * whitespace, '…' literal, "…" with \" \\ \$ escapes, \x outside quotes.
 * -1 (with the reason) when only a shell could run it. */
static int
split_words_q(const char *s, struct names *out, unsigned char **quoted, const char **why)
{
	struct strbuf w = { 0 };
	int inword = 0, wq = 0;

	strbuf_adds(&w, "");
	for (const char *p = s; ; p++) {
		if (*p == '\0' || isspace((unsigned char)*p)) {
			if (inword) {
				if (quoted != NULL) {
					*quoted = xrealloc(*quoted, out->n + 1);
					(*quoted)[out->n] = (unsigned char)wq;
				}
				out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
				out->v[out->n++] = xstrdup(w.s);
				w.len = 0;
				w.s[0] = '\0';
				inword = 0;
				wq = 0;
			}
			if (*p == '\0')
				break;
			continue;
		}
		inword = 1;
		if (*p == '\'' || *p == '"' || *p == '\\')
			wq = 1;
		if (*p == '\'') {
			const char *e = strchr(p + 1, '\'');

			if (e == NULL)
				goto unbalanced;
			strbuf_add(&w, p + 1, (size_t)(e - p - 1));
			p = e;
			continue;
		}
		if (*p == '"') {
			for (p++; *p != '"'; p++) {
				if (*p == '\0')
					goto unbalanced;
				if (*p == '`' || (*p == '$' && p[1] == '(')) {
					*why = "a command substitution";
					goto shell;
				}
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '`'))
					p++;
				strbuf_add(&w, p, 1);
			}
			continue;
		}
		if (*p == '\\' && p[1] != '\0') {
			p++;
			strbuf_add(&w, p, 1);
			continue;
		}
		if (strchr("|&;<>()`*?[]{}~", *p) != NULL || (*p == '$' && p[1] == '(')) {
			static char what[32];

			snprintf(what, sizeof(what), "'%c'", *p);
			*why = what;
			goto shell;
		}
		strbuf_add(&w, p, 1);
	}
	free(w.s);
	return 0;
unbalanced:
	*why = "an unbalanced quote";
shell:
	free(w.s);
	return -1;
}

int
split_words(const char *s, struct names *out, const char **why)
{
	return split_words_q(s, out, NULL, why);
}

/* The macros a vigil check command knows (the runtime ones in an event
 * handler's), else the first one it does not, in *bad. */
static int
macros_ok(const char *s, int event, char *bad, size_t badlen)
{
	for (const char *p = strchr(s, '$'); p != NULL; p = strchr(p, '$')) {
		const char *e = strchr(p + 1, '$');
		char name[128];
		size_t n;

		if (e == NULL)
			return 1;	/* a lone dollar: as written */
		n = (size_t)(e - p - 1);
		if (n == 0) {
			p = e + 1;	/* $$ */
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		if (!(strcmp(name, "HOSTNAME") == 0 || strcmp(name, "HOSTADDRESS") == 0 ||
		    strcmp(name, "HOSTALIAS") == 0 || strcmp(name, "SERVICEDESC") == 0 ||
		    strncmp(name, "ARG", 3) == 0 || strncmp(name, "USER", 4) == 0 ||
		    strncmp(name, "_HOST", 5) == 0 || strncmp(name, "_SERVICE", 8) == 0 ||
		    (event && macro_event_id(name) >= 0))) {
			snprintf(bad, badlen, "$%s$", name);
			return 0;
		}
		p = e + 1;
	}
	return 1;
}

/* "check_x!a!b": the name and its arguments ("\!" is a '!'). */
static void
split_bang(const char *s, struct names *out)
{
	struct strbuf w = { 0 };

	strbuf_adds(&w, "");
	for (const char *p = s; ; p++) {
		if (*p == '\0' || *p == '!') {
			out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
			out->v[out->n++] = xstrdup(trim(w.s));
			w.len = 0;
			w.s[0] = '\0';
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == '\\' && p[1] == '!')
			p++;
		strbuf_add(&w, p, 1);
	}
	free(w.s);
}

/* n if word is exactly "$ARGn$", else 0. */
static int
arg_alone(const char *w)
{
	int n = 0, len = 0;

	if (sscanf(w, "$ARG%d$%n", &n, &len) == 1 && (size_t)len == strlen(w))
		return n;
	return 0;
}

/*
 * A check's (or event handler's) command as vigil's [name, args…] into
 * b, from Nagios's "name!a!b": the command split into words, each
 * $ARGn$ alone in its word taking as many words as Nagios makes of its
 * value (a variant of the command when that is not one), a $ARGn$
 * inside a word taking its value whole. 0, or -1 (said at o).
 */
static int
imp_check_command(struct imp *im, const struct nobj *o, const char *spec, int event,
    struct strbuf *b)
{
	struct names bang = { 0 }, words = { 0 };
	struct nobj *cmd;
	const char *line, *why = NULL;
	char bad[160];
	int rc = -1, nargs = 0, variant = 0, *count = NULL;
	unsigned char *wquoted = NULL;	/* a word had quotes: its $ARGn$ is
					 * the value whole, as Nagios reads it */
	struct names *vals = NULL;	/* per argument, what the check passes */
	struct strbuf vname = { 0 };

	split_bang(spec, &bang);
	if ((cmd = imp_find(im, NT_COMMAND, "command_name", bang.v[0])) == NULL ||
	    (line = obj_get(cmd, "command_line")) == NULL) {
		imp_say(im, o->file, o->line, "command \"%s\" is not defined: this %s is "
		    "left out", bang.v[0], ntype_names[o->type]);
		goto out;
	}
	if (cmd->skip) {
		imp_say(im, o->file, o->line, "command \"%s\" was not translated (%s:%d): this "
		    "%s is left out", bang.v[0], cmd->file, cmd->line, ntype_names[o->type]);
		goto out;
	}
	if (split_words_q(line, &words, &wquoted, &why) < 0 || words.n == 0) {
		imp_say(im, cmd->file, cmd->line, "command \"%s\" needs a shell (%s): not "
		    "translated", bang.v[0], why != NULL ? why : "empty");
		cmd->skip = 1;
		imp_say(im, o->file, o->line, "its %s is left out", ntype_names[o->type]);
		goto out;
	}
	for (size_t i = 0; i < words.n; i++)
		if (!macros_ok(words.v[i], event, bad, sizeof(bad))) {
			imp_say(im, cmd->file, cmd->line, "command \"%s\": macro %s has no value "
			    "in a vigil %s: this %s is left out", bang.v[0], bad,
			    event ? "event handler" : "check command", ntype_names[o->type]);
			goto out;
		}
	/* What each argument's value becomes: where its $ARGn$ stands alone
	 * and unquoted, as many words as Nagios splits it into; inside a
	 * word, the one word it makes; inside quotes, the value whole. */
	nargs = (int)bang.n - 1;
	count = xcalloc((size_t)nargs + 1, sizeof(*count));
	vals = xcalloc((size_t)nargs + 1, sizeof(*vals));
	for (int a = 1; a <= nargs; a++) {
		struct names aw = { 0 };
		const char *awhy = NULL;
		int alone = 0, inword = 0, inquote = 0;
		char ref[24];

		snprintf(ref, sizeof(ref), "$ARG%d$", a);
		for (size_t i = 0; i < words.n; i++) {
			if (strstr(words.v[i], ref) == NULL)
				continue;
			if (wquoted != NULL && wquoted[i])
				inquote = 1;
			else if (arg_alone(words.v[i]) == a)
				alone = 1;
			else
				inword = 1;
		}
		if ((alone || inword) && split_words(bang.v[a], &aw, &awhy) < 0) {
			imp_say(im, o->file, o->line, "argument %d \"%s\" needs a shell (%s): "
			    "this %s is left out", a, bang.v[a], awhy, ntype_names[o->type]);
			names_free(&aw);
			goto out;
		}
		if ((inword && aw.n != 1) || (alone && (inword || inquote) && aw.n != 1) ||
		    ((alone || inword) && inquote && strcmp(aw.v[0], bang.v[a]) != 0)) {
			imp_say(im, o->file, o->line, "argument %d \"%s\" is read in several ways "
			    "by command \"%s\" (words inside a word, or quoted and not): this %s "
			    "is left out", a, bang.v[a], bang.v[0], ntype_names[o->type]);
			names_free(&aw);
			goto out;
		}
		if (alone || inword) {
			vals[a] = aw;
		} else {
			names_free(&aw);
			vals[a].v = xcalloc(1, sizeof(char *));
			vals[a].v[0] = xstrdup(bang.v[a]);
			vals[a].n = 1;
		}
		count[a] = alone ? (int)vals[a].n : 1;
		if (count[a] != 1)
			variant = 1;
	}
	strbuf_adds(b, "[");
	if (!variant) {
		struct names u = { im->used, im->nused };

		names_add(&u, bang.v[0]);
		im->used = u.v;
		im->nused = u.n;
		jsonw_string(b, bang.v[0]);
		for (int a = 1; a <= nargs; a++) {
			strbuf_adds(b, ", ");
			jsonw_string(b, vals[a].v[0]);
		}
	} else {
		/* the variant: each $ARGa$ alone becomes count[a] arguments */
		int *first = xcalloc((size_t)nargs + 2, sizeof(*first));
		struct names vw = { 0 };
		int next = 1;

		strbuf_printf(&vname, "%s_", bang.v[0]);
		for (int a = 1; a <= nargs; a++) {
			first[a] = next;
			next += count[a];
			strbuf_printf(&vname, "_%d", count[a]);
		}
		for (size_t i = 0; i < words.n; i++) {
			int a = wquoted != NULL && wquoted[i] ? 0 : arg_alone(words.v[i]);

			if (a >= 1 && a <= nargs) {
				for (int k = 0; k < count[a]; k++) {
					char *x = xasprintf("$ARG%d$", first[a] + k);

					vw.v = xrealloc(vw.v, (vw.n + 1) * sizeof(*vw.v));
					vw.v[vw.n++] = x;
				}
				continue;
			}
			/* $ARGa$ inside a word (one word each) and any $ARGn$
			 * past the given ones, renumbered */
			{
				struct strbuf r = { 0 };
				const char *p = words.v[i];

				strbuf_adds(&r, "");
				while (*p != '\0') {
					int n = 0, len = 0;

					if (sscanf(p, "$ARG%d$%n", &n, &len) == 1 && len > 0) {
						strbuf_printf(&r, "$ARG%d$", n <= nargs ?
						    first[n] : next + (n - nargs - 1));
						p += len;
						continue;
					}
					strbuf_add(&r, p, 1);
					p++;
				}
				vw.v = xrealloc(vw.v, (vw.n + 1) * sizeof(*vw.v));
				vw.v[vw.n++] = r.s;
			}
		}
		if (!names_has(&(struct names){ im->variants, im->nvariants }, vname.s)) {
			im->variants = xrealloc(im->variants, (im->nvariants + 1) *
			    sizeof(*im->variants));
			im->variants[im->nvariants++] = xstrdup(vname.s);
			strbuf_adds(&im->variant_yaml, "  ");
			jsonw_string(&im->variant_yaml, vname.s);
			strbuf_adds(&im->variant_yaml, ": {argv: ");
			yaml_strv(&im->variant_yaml, vw.v, vw.n);
			strbuf_adds(&im->variant_yaml, "}\n");
		}
		names_free(&vw);
		jsonw_string(b, vname.s);
		for (int a = 1; a <= nargs; a++)
			for (size_t k = 0; k < vals[a].n; k++) {
				strbuf_adds(b, ", ");
				jsonw_string(b, vals[a].v[k]);
			}
		free(first);
	}
	strbuf_adds(b, "]");
	rc = 0;
out:
	for (int a = 0; vals != NULL && a <= nargs; a++)
		names_free(&vals[a]);
	free(vals);
	free(count);
	free(wquoted);
	free(vname.s);
	names_free(&bang);
	names_free(&words);
	return rc;
}

/* ---- check keys -------------------------------------------------------- */

static void
key_dur(struct imp *im, struct strbuf *b, const struct nobj *o, const char *nk,
    const char *vk, int unit)
{
	const char *v = obj_get(o, nk);

	if (v == NULL)
		return;
	strbuf_printf(b, ", %s: \"%lds\"", vk, (long)(atof(v) * (unit ? im->interval_length : 1)));
}

static void
key_bool(struct strbuf *b, const struct nobj *o, const char *nk, const char *vk)
{
	const char *v = obj_get(o, nk);

	if (v != NULL)
		strbuf_printf(b, ", %s: %s", vk, atoi(v) ? "true" : "false");
}

/* Nagios's option letters (notification_options, stalking_options,
 * failure criteria …) as vigil's names, added to on: u is unreachable
 * for a host, unknown for a service; a is all; n adds nothing. */
void
letters_add(struct names *on, const char *v, int host)
{
	struct names ls = { 0 };

	names_split(&ls, v);
	for (size_t i = 0; i < ls.n; i++)
		switch (ls.v[i][0]) {
		case 'o': names_add(on, host ? "up" : "ok"); break;
		case 'd': names_add(on, "down"); break;
		case 'u': names_add(on, host ? "unreachable" : "unknown"); break;
		case 'w': names_add(on, "warning"); break;
		case 'c': names_add(on, "critical"); break;
		case 'r': names_add(on, "recovery"); break;
		case 'f': names_add(on, "flapping"); break;
		case 's': names_add(on, "downtime"); break;
		case 'p': names_add(on, "pending"); break;
		case 'a': names_add(on, "all"); break;
		default: break;
		}
	names_free(&ls);
}

/* ", key: [names]" of the letters v; empty: what an empty list says
 * (NULL: the list stays empty). */
void
key_letters(struct strbuf *b, const char *key, const char *v, int host, const char *empty)
{
	struct names on = { 0 };

	letters_add(&on, v, host);
	if (names_has(&on, "all")) {
		names_free(&on);
		names_add(&on, "all");
	}
	if (on.n == 0 && empty != NULL)
		names_add(&on, empty);
	strbuf_printf(b, ", %s: ", key);
	yaml_strv(b, on.v, on.n);
	names_free(&on);
}

/* Contacts a check notifies (contacts and contact_groups that vigil
 * has: those left out are said where they are defined). */
static void
key_notify(struct imp *im, struct strbuf *b, const struct nobj *o)
{
	struct names n = { 0 }, c = { 0 };

	names_split(&c, obj_get(o, "contacts"));
	names_split(&c, obj_get(o, "contact_groups"));
	for (size_t i = 0; i < c.n; i++)
		if (imp_find(im, NT_CONTACT, "contact_name", c.v[i]) != NULL ||
		    imp_find(im, NT_CONTACTGROUP, "contactgroup_name", c.v[i]) != NULL)
			names_add(&n, c.v[i]);
	if (c.n > 0) {
		strbuf_adds(b, ", notify: ");
		yaml_strv(b, n.v, n.n);
	}
	names_free(&n);
	names_free(&c);
}

/* The check keys of host or service o as ", key: value" items. -1: left
 * out (said). */
int
imp_check_keys(struct imp *im, struct strbuf *b, const struct nobj *o, int host)
{
	const char *v;

	if ((v = obj_get(o, "check_command")) != NULL) {
		strbuf_adds(b, ", check: ");
		if (imp_check_command(im, o, v, 0, b) < 0)
			return -1;
	} else if (!host) {
		imp_say(im, o->file, o->line, "service without check_command: left out");
		return -1;
	}
	key_dur(im, b, o, "check_interval", "interval", 1);
	key_dur(im, b, o, "normal_check_interval", "interval", 1);
	key_dur(im, b, o, "retry_interval", "retry_interval", 1);
	key_dur(im, b, o, "retry_check_interval", "retry_interval", 1);
	if ((v = obj_get(o, "max_check_attempts")) != NULL && atoi(v) >= 1)
		strbuf_printf(b, ", max_attempts: %d", atoi(v));
	key_bool(b, o, "active_checks_enabled", "active");
	key_bool(b, o, "passive_checks_enabled", "passive");
	if ((v = obj_get(o, "check_period")) != NULL) {
		strbuf_adds(b, ", check_period: ");
		jsonw_string(b, v);
	}
	key_notify(im, b, o);
	key_dur(im, b, o, "notification_interval", "notification_interval", 1);
	key_dur(im, b, o, "first_notification_delay", "first_notification_delay", 1);
	if ((v = obj_get(o, "notification_period")) != NULL) {
		strbuf_adds(b, ", notification_period: ");
		jsonw_string(b, v);
	}
	if ((v = obj_get(o, "notification_options")) != NULL)
		key_letters(b, "notify_on", v, host, "none");
	key_bool(b, o, "notifications_enabled", "notifications_enabled");
	key_bool(b, o, "flap_detection_enabled", "flap_detection");
	if ((v = obj_get(o, "low_flap_threshold")) != NULL && atof(v) > 0)
		strbuf_printf(b, ", low_flap_threshold: %g", atof(v));
	if ((v = obj_get(o, "high_flap_threshold")) != NULL && atof(v) > 0)
		strbuf_printf(b, ", high_flap_threshold: %g", atof(v));
	if ((v = obj_get(o, "flap_detection_options")) != NULL)
		key_letters(b, "flap_detection_options", v, host, NULL);
	if ((v = obj_get(o, "stalking_options")) != NULL)
		key_letters(b, "stalking", v, host, NULL);
	key_bool(b, o, "check_freshness", "freshness");
	if ((v = obj_get(o, "freshness_threshold")) != NULL && atoi(v) > 0)
		strbuf_printf(b, ", freshness_threshold: \"%ds\"", atoi(v));
	if (!host)
		key_bool(b, o, "is_volatile", "is_volatile");
	key_bool(b, o, "event_handler_enabled", "event_handler_enabled");
	if ((v = obj_get(o, "event_handler")) != NULL) {
		struct strbuf eh = { 0 };

		if (imp_check_command(im, o, v, 1, &eh) == 0) {
			strbuf_adds(b, ", event_handler: ");
			strbuf_add(b, eh.s, eh.len);
		}
		free(eh.s);
	}
	/* custom variables: _NAME */
	{
		int any = 0;

		for (size_t i = 0; i < o->n; i++)
			if (o->k[i][0] == '_' && o->k[i][1] != '\0') {
				strbuf_adds(b, any ? ", " : ", vars: {");
				jsonw_string(b, o->k[i] + 1);
				strbuf_adds(b, ": ");
				jsonw_string(b, o->v[i]);
				any = 1;
			}
		if (any)
			strbuf_adds(b, "}");
	}
	return 0;
}

/*
 * NAME
 *	import - vigilctl import-nagios: a Nagios or Naemon object
 *	configuration as conf.d YAML
 * SYNOPSIS
 *	vigilctl import-nagios [-o FILE] nagios.cfg
 * DESCRIPTION
 *	Reads nagios.cfg for cfg_file, cfg_dir (every *.cfg below it),
 *	interval_length and resource_file, then every object file: define
 *	blocks of commands, hosts, hostgroups, services, servicegroups,
 *	contacts, contactgroups, timeperiods, servicedependencies,
 *	hostdependencies, serviceescalations and hostescalations. Templates
 *	are resolved as Nagios does (use: lists, the first template listed
 *	wins, depth first; "+value" adds to what is inherited; "null"
 *	stops it; register 0 is a template only), so what is written is
 *	each object as Nagios sees it, with vigil's defaults left out.
 *
 *	Commands become argv lists, split as Nagios 4 splits a command it
 *	runs without a shell (whitespace, single and double quotes,
 *	backslashes). A command line with what only a shell does (a pipe,
 *	a redirection, ;, &, $( ), backquotes, globs) is not translated,
 *	said with its place, and every check using it is left out with it:
 *	giving it to /bin/sh with the values of $ARGn$ in it is what vigil
 *	never does. Where Nagios splits one $ARGn$ into several arguments
 *	(check_nrpe!-H x -c y) the command gets a variant with one $ARGn$
 *	per word ("check_nrpe__3"), and the check passes the words.
 *
 *	Hosts keep their name, address, alias, parents and groups; services
 *	become apply rules whose hosts are exactly the hosts Nagios gives
 *	the service (host_name and hostgroup_name lists, "*", "!"
 *	exclusions; a service of a host named for itself wins over one from
 *	a hostgroup, else the first definition), one rule per service and
 *	set of hosts that get the same definition. Escalations are the
 *	checks' escalations:, dependencies vigil's dependencies:, contacts
 *	with an email address contacts with that email (vigil sends it
 *	itself: Nagios's notification commands are not needed), timeperiods
 *	with their weekdays, exceptions and excludes.
 *
 *	The output is one YAML file for conf.d (default nagios.yaml in the
 *	current directory; - is standard output), its scalars double-quoted.
 *	Every construct not translated is said on standard error with its
 *	file:line, and counted at the end.
 *
 *	The files: import.c the command and the checks (hosts, services as
 *	apply rules, escalations, dependencies, the commands used);
 *	import_read.c reading the files and resolving templates;
 *	import_names.c lists of names, host sets, names vigil takes, and
 *	YAML output; import_cmd.c command lines and check keys;
 *	import_objects.c timeperiods, contacts and groups. import.h is what
 *	they share.
 * DIAGNOSTICS
 *	Exit 0 when the file was written (with or without constructs left
 *	out), 1 when nagios.cfg or an object file cannot be read or the
 *	output cannot be written, 2 on a usage error.
 */
#include "ctl.h"
#include "import.h"
#include "jsonw.h"
#include "macro.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>

/* Escalations of host (and service desc, NULL for the host) as an
 * escalations: item, or nothing. */
static void
imp_escalations(struct imp *im, struct strbuf *b, const char *host, const char *desc)
{
	int any = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		struct names hs = { 0 }, ds = { 0 }, who = { 0 }, c = { 0 };
		const char *v;

		if (o->type != (desc != NULL ? NT_SERVICEESC : NT_HOSTESC) || !o->registered)
			continue;
		if (!o->hosts_done)
			imp_hosts_of(im, o, "host_name", "hostgroup_name", &hs);
		if (!names_in(o->hosts, o->nhosts, host)) {
			names_free(&hs);
			continue;
		}
		if (desc != NULL) {
			names_split(&ds, obj_get(o, "service_description"));
			if (!names_has(&ds, desc) && !names_has(&ds, "*")) {
				names_free(&hs);
				names_free(&ds);
				continue;
			}
		}
		if ((v = obj_get(o, "escalation_options")) != NULL && strchr(v, 'a') == NULL &&
		    strlen(v) < (desc != NULL ? 7u : 5u) && !o->skip) {
			imp_say(im, o->file, o->line, "escalation_options %s: vigil's "
			    "escalations apply to every state (kept, for all)", v);
			o->skip = 1;	/* said once */
		}
		names_split(&c, obj_get(o, "contacts"));
		names_split(&c, obj_get(o, "contact_groups"));
		for (size_t k = 0; k < c.n; k++)
			if (imp_find(im, NT_CONTACT, "contact_name", c.v[k]) != NULL ||
			    imp_find(im, NT_CONTACTGROUP, "contactgroup_name", c.v[k]) != NULL)
				names_add(&who, c.v[k]);
		strbuf_adds(b, any ? ", " : ", escalations: [");
		any = 1;
		strbuf_printf(b, "{first: %d", obj_get(o, "first_notification") ?
		    atoi(obj_get(o, "first_notification")) : 1);
		if ((v = obj_get(o, "last_notification")) != NULL && atoi(v) > 0)
			strbuf_printf(b, ", last: %d", atoi(v));
		if ((v = obj_get(o, "notification_interval")) != NULL)
			strbuf_printf(b, ", interval: \"%lds\"", (long)(atof(v) * im->interval_length));
		strbuf_adds(b, ", notify: ");
		yaml_strv(b, who.v, who.n);
		if ((v = obj_get(o, "escalation_period")) != NULL) {
			strbuf_adds(b, ", period: ");
			jsonw_string(b, v);
		}
		strbuf_adds(b, "}");
		names_free(&hs);
		names_free(&ds);
		names_free(&who);
		names_free(&c);
	}
	if (any)
		strbuf_adds(b, "]");
}

static void
imp_hosts(struct imp *im, struct strbuf *b, struct names *with_check)
{
	int any = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "host_name"), *v;
		struct strbuf k = { 0 };
		struct names ps = { 0 };

		if (o->type != NT_HOST || !o->registered || name == NULL || o->skip)
			continue;
		strbuf_adds(&k, "");
		if ((v = obj_get(o, "address")) != NULL) {
			strbuf_adds(&k, ", address: ");
			jsonw_string(&k, v);
		}
		if ((v = obj_get(o, "alias")) != NULL) {
			strbuf_adds(&k, ", alias: ");
			jsonw_string(&k, v);
		}
		names_split(&ps, obj_get(o, "parents"));
		if (ps.n > 0) {
			strbuf_adds(&k, ", parents: ");
			yaml_strv(&k, ps.v, ps.n);
		}
		names_free(&ps);
		if (imp_check_keys(im, &k, o, 1) < 0) {
			/* the host stays, without its check */
			struct strbuf bare = { 0 };
			const char *a = obj_get(o, "address");

			strbuf_adds(&bare, "");
			if (a != NULL) {
				strbuf_adds(&bare, ", address: ");
				jsonw_string(&bare, a);
			}
			free(k.s);
			k = bare;
		} else if (obj_get(o, "check_command") != NULL)
			names_add(with_check, name);
		imp_escalations(im, &k, name, NULL);
		if (!any)
			strbuf_adds(b, "hosts:\n");
		any = 1;
		strbuf_adds(b, "  ");
		jsonw_string(b, name);
		strbuf_adds(b, ": ");
		yaml_map(b, &k);
		strbuf_adds(b, "\n");
		free(k.s);
	}
}

struct svc_pick {
	char *host, *desc;
	size_t obj;
	int specific;		/* named in host_name */
	char *block;		/* its YAML */
};

/* host, description, the one named for its host first, then the first
 * defined */
static int
cmp_pick_key(const void *a, const void *b)
{
	const struct svc_pick *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c != 0 || (c = strcmp(x->desc, y->desc)) != 0)
		return c;
	if (x->specific != y->specific)
		return y->specific - x->specific;
	return x->obj < y->obj ? -1 : x->obj > y->obj;
}

static int
cmp_pick(const void *a, const void *b)
{
	const struct svc_pick *x = a, *y = b;
	int c = strcmp(x->desc, y->desc);

	if (c != 0)
		return c;
	if ((c = strcmp(x->block, y->block)) != 0)
		return c;
	return strcmp(x->host, y->host);
}

/* Services as apply rules: one per description and definition, with
 * exactly the hosts that get it. The checks made go in made
 * ("host/desc"). */
static void
imp_services(struct imp *im, struct strbuf *b, struct names *made)
{
	struct svc_pick *p = NULL;
	size_t n = 0, rule = 0;
	struct names hosts = { 0 };

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *d = obj_get(o, "service_description");
		struct names hs = { 0 }, named = { 0 };

		if (o->type != NT_SERVICE || !o->registered || d == NULL)
			continue;
		imp_hosts_of(im, o, "host_name", "hostgroup_name", &hs);
		names_split(&named, obj_get(o, "host_name"));
		if (hs.n == 0)
			imp_say(im, o->file, o->line, "service \"%s\" goes to no host: left out", d);
		for (size_t k = 0; k < hs.n; k++) {
			int specific = names_has(&named, hs.v[k]);

			if (!imp_is_host(im, hs.v[k])) {
				imp_say(im, o->file, o->line, "service \"%s\": host \"%s\" is not "
				    "defined: left out there", d, hs.v[k]);
				continue;
			}
			p = xrealloc(p, (n + 1) * sizeof(*p));
			p[n].host = xstrdup(hs.v[k]);
			p[n].desc = xstrdup(d);
			p[n].obj = i;
			p[n].specific = specific;
			p[n].block = NULL;
			n++;
		}
		names_free(&hs);
		names_free(&named);
	}
	/* One per host and description. Nagios: one named for its host wins
	 * over one from a hostgroup; else the first defined. */
	if (n > 0)
		qsort(p, n, sizeof(*p), cmp_pick_key);
	{
		size_t w = 0;

		for (size_t j = 0; j < n; j++) {
			if (w > 0 && strcmp(p[w - 1].host, p[j].host) == 0 &&
			    strcmp(p[w - 1].desc, p[j].desc) == 0) {
				free(p[j].host);
				free(p[j].desc);
				continue;
			}
			p[w++] = p[j];
		}
		n = w;
	}
	/* each one's block (said once per definition when it fails) */
	for (size_t j = 0; j < n; j++) {
		struct nobj *o = im->o[p[j].obj];
		struct strbuf k = { 0 }, m = { 0 };

		strbuf_adds(&k, "");
		if (o->skip || imp_check_keys(im, &k, o, 0) < 0) {
			o->skip = 1;
			free(k.s);
			p[j].block = xstrdup("");
			continue;
		}
		imp_escalations(im, &k, p[j].host, p[j].desc);
		yaml_map(&m, &k);
		p[j].block = m.s;
		free(k.s);
	}
	if (n > 0)
		qsort(p, n, sizeof(*p), cmp_pick);
	for (size_t j = 0; j < n; ) {
		size_t e = j;

		while (e < n && strcmp(p[e].desc, p[j].desc) == 0 &&
		    strcmp(p[e].block, p[j].block) == 0)
			e++;
		if (p[j].block[0] != '\0') {
			for (size_t k = j; k < e; k++) {
				char *x = xasprintf("%s/%s", p[k].host, p[k].desc);

				names_add(&hosts, p[k].host);
				names_add(made, x);
				free(x);
			}
			if (rule == 0)
				strbuf_adds(b, "apply:\n");
			strbuf_printf(b, "  \"service-%zu\":\n    hosts: ", ++rule);
			yaml_globs(b, &hosts);
			strbuf_adds(b, "\n    services:\n      ");
			jsonw_string(b, p[j].desc);
			strbuf_adds(b, ": ");
			strbuf_adds(b, p[j].block);
			strbuf_adds(b, "\n");
			names_free(&hosts);
		}
		j = e;
	}
	for (size_t j = 0; j < n; j++) {
		free(p[j].host);
		free(p[j].desc);
		free(p[j].block);
	}
	free(p);
}

static void
imp_dependencies(struct imp *im, struct strbuf *b, const struct names *made,
    const struct names *with_check)
{
	size_t nd = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		int host = o->type == NT_HOSTDEP;
		struct names mh = { 0 }, ms = { 0 }, dh = { 0 }, ds = { 0 };
		const char *ec = obj_get(o, "execution_failure_criteria");
		const char *nc = obj_get(o, "notification_failure_criteria");

		if ((o->type != NT_SERVICEDEP && !host) || !o->registered)
			continue;
		if (ec == NULL && nc == NULL)
			continue;	/* fails on nothing: nothing to translate */
		imp_hosts_of(im, o, "host_name", "hostgroup_name", &mh);
		imp_hosts_of(im, o, "dependent_host_name", "dependent_hostgroup_name", &dh);
		if (!host) {
			names_split(&ms, obj_get(o, "service_description"));
			names_split(&ds, obj_get(o, "dependent_service_description"));
		} else
			names_add(&ms, "");
		for (size_t a = 0; a < mh.n; a++)
			for (size_t s = 0; s < ms.n; s++) {
				char *master = host ? xstrdup(mh.v[a]) :
				    xasprintf("%s/%s", mh.v[a], ms.v[s]);
				struct names hs = { 0 };

				if (host ? !names_has(with_check, master) : !names_has(made, master)) {
					imp_say(im, o->file, o->line, "dependency on %s%s, which was "
					    "not translated: left out", host ? "the host check of " : "",
					    master);
					free(master);
					continue;
				}
				/* no dependent host: the master's own */
				if (dh.n == 0)
					names_add(&hs, mh.v[a]);
				for (size_t k = 0; k < dh.n; k++)
					if (!host || names_has(with_check, dh.v[k]))
						names_add(&hs, dh.v[k]);
				if (hs.n == 0) {
					free(master);
					continue;
				}
				if (nd++ == 0)
					strbuf_adds(b, "dependencies:\n");
				strbuf_printf(b, "  \"dependency-%zu\": {master: ", nd);
				jsonw_string(b, master);
				strbuf_adds(b, ", hosts: ");
				yaml_globs(b, &hs);
				if (!host) {
					strbuf_adds(b, ", services: ");
					yaml_globs(b, &ds);
				}
				if (ec != NULL)
					key_letters(b, "execution_failure_criteria", ec, host, "none");
				if (nc != NULL)
					key_letters(b, "notification_failure_criteria", nc, host, "none");
				if (obj_get(o, "inherits_parent") != NULL)
					strbuf_printf(b, ", inherits_parent: %s",
					    atoi(obj_get(o, "inherits_parent")) ? "true" : "false");
				if (obj_get(o, "dependency_period") != NULL) {
					strbuf_adds(b, ", dependency_period: ");
					jsonw_string(b, obj_get(o, "dependency_period"));
				}
				strbuf_adds(b, "}\n");
				names_free(&hs);
				free(master);
			}
		names_free(&mh);
		names_free(&ms);
		names_free(&dh);
		names_free(&ds);
	}
}

static void
imp_commands(struct imp *im, struct strbuf *b)
{
	if (im->nused == 0 && im->nvariants == 0)
		return;
	strbuf_adds(b, "commands:\n");
	for (size_t i = 0; i < im->nused; i++) {
		struct nobj *cmd = imp_find(im, NT_COMMAND, "command_name", im->used[i]);
		struct names w = { 0 };
		const char *why;

		if (cmd == NULL || split_words(obj_get(cmd, "command_line"), &w, &why) < 0)
			continue;
		strbuf_adds(b, "  ");
		jsonw_string(b, im->used[i]);
		strbuf_adds(b, ": {argv: ");
		yaml_strv(b, w.v, w.n);
		strbuf_adds(b, "}\n");
		names_free(&w);
	}
	if (im->variant_yaml.len > 0)
		strbuf_add(b, im->variant_yaml.s, im->variant_yaml.len);
}

int
ctl_import_nagios(int argc, char **argv)
{
	struct imp im;
	const char *outpath = "nagios.yaml", *main_cfg = NULL;
	struct strbuf tps = { 0 }, cts = { 0 }, grs = { 0 }, hs = { 0 }, svs = { 0 },
	    dps = { 0 }, cmds = { 0 };
	struct names made = { 0 }, with_check = { 0 };
	size_t nhosts = 0, nservices = 0;
	FILE *out;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			outpath = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "vigilctl: import-nagios: unknown option %s\n", argv[i]);
			return 2;
		} else if (main_cfg == NULL)
			main_cfg = argv[i];
		else {
			fprintf(stderr, "vigilctl: import-nagios: one nagios.cfg\n");
			return 2;
		}
	}
	if (main_cfg == NULL) {
		fprintf(stderr, "usage: vigilctl import-nagios [-o FILE] nagios.cfg\n");
		return 2;
	}
	memset(&im, 0, sizeof(im));
	im.interval_length = 60;
	if (imp_read_main(&im, main_cfg) < 0)
		return 1;
	for (size_t i = 0; i < im.n; i++)
		imp_resolve(&im, im.o[i]);
	imp_fix_names(&im);
	{
		struct names hn = { 0 };

		for (size_t i = 0; i < im.n; i++)
			if (im.o[i]->type == NT_HOST && im.o[i]->registered &&
			    obj_get(im.o[i], "host_name") != NULL)
				names_push(&hn, obj_get(im.o[i], "host_name"));
		names_sort(&hn);
		im.hostnames = hn.v;
		im.nhostnames = hn.n;
	}
	imp_timeperiods(&im, &tps);
	imp_contacts(&im, &cts);
	imp_groups(&im, &grs);
	imp_hosts(&im, &hs, &with_check);
	imp_services(&im, &svs, &made);
	imp_dependencies(&im, &dps, &made, &with_check);
	imp_commands(&im, &cmds);
	for (size_t i = 0; i < im.n; i++)
		nhosts += im.o[i]->type == NT_HOST && im.o[i]->registered &&
		    obj_get(im.o[i], "host_name") != NULL;
	nservices = made.n;
	out = strcmp(outpath, "-") == 0 ? stdout : fopen(outpath, "w");
	if (out == NULL) {
		fprintf(stderr, "vigilctl: import-nagios: %s: %s\n", outpath, strerror(errno));
		rc = 1;
		goto done;
	}
	fprintf(out, "# Made by vigilctl import-nagios from %s.\n", main_cfg);
	if (im.resource_file != NULL)
		fprintf(out, "# $USERn$: set resource_file: %s in vigil.yaml (the same format).\n",
		    im.resource_file);
	fputs(cmds.s != NULL ? cmds.s : "", out);
	fputs(tps.s != NULL ? tps.s : "", out);
	fputs(cts.s != NULL ? cts.s : "", out);
	fputs(grs.s != NULL ? grs.s : "", out);
	fputs(hs.s != NULL ? hs.s : "", out);
	fputs(svs.s != NULL ? svs.s : "", out);
	fputs(dps.s != NULL ? dps.s : "", out);
	if (out != stdout && fclose(out) != 0) {
		fprintf(stderr, "vigilctl: import-nagios: %s: %s\n", outpath, strerror(errno));
		rc = 1;
		goto done;
	}
	fprintf(stderr, "import-nagios: %zu hosts, %zu services, %zu objects read; %zu "
	    "constructs not translated (above)%s%s\n", nhosts, nservices, im.n, im.untranslated,
	    im.resource_file != NULL ? "; resource file: " : "",
	    im.resource_file != NULL ? im.resource_file : "");
done:
	free(tps.s);
	free(cts.s);
	free(grs.s);
	free(hs.s);
	free(svs.s);
	free(dps.s);
	free(cmds.s);
	names_free(&made);
	names_free(&with_check);
	for (size_t i = 0; i < im.n; i++) {
		for (size_t k = 0; k < im.o[i]->n; k++) {
			free(im.o[i]->k[k]);
			free(im.o[i]->v[k]);
		}
		free(im.o[i]->k);
		free(im.o[i]->v);
		{
			struct names c1 = { im.o[i]->hosts, im.o[i]->nhosts };
			struct names c2 = { im.o[i]->ghosts, im.o[i]->nghosts };

			names_free(&c1);
			names_free(&c2);
		}
		free(im.o[i]);
	}
	free(im.o);
	{
		struct names v = { im.variants, im.nvariants }, u = { im.used, im.nused };

		names_free(&v);
		names_free(&u);
	}
	{
		struct names hn = { im.hostnames, im.nhostnames };

		names_free(&hn);
	}
	for (size_t i = 0; i < im.nfiles; i++)
		free(im.files[i]);
	free(im.files);
	free(im.variant_yaml.s);
	free(im.resource_file);
	return rc;
}

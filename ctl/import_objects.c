/*
 * NAME
 *	import_objects - vigilctl import-nagios: timeperiods, contacts and groups
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

static int
is_weekday(const char *s)
{
	static const char *const d[] = { "sunday", "monday", "tuesday", "wednesday",
		"thursday", "friday", "saturday" };

	for (size_t i = 0; i < 7; i++)
		if (strncasecmp(s, d[i], strlen(d[i])) == 0)
			return (int)i + 1;
	return 0;
}

void
imp_timeperiods(struct imp *im, struct strbuf *b)
{
	int any = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "timeperiod_name");
		struct strbuf days = { 0 }, exc = { 0 };

		if (o->type != NT_TIMEPERIOD || !o->registered || name == NULL)
			continue;
		for (size_t k = 0; k < o->n; k++) {
			const char *key = o->k[k];
			const char *val = strcmp(o->v[k], "00:00-00:00") == 0 ? "" : o->v[k];
			int wd = is_weekday(key);

			if (strcmp(key, "timeperiod_name") == 0 || strcmp(key, "alias") == 0 ||
			    strcmp(key, "name") == 0 || strcmp(key, "use") == 0 ||
			    strcmp(key, "register") == 0 || strcmp(key, "exclude") == 0)
				continue;
			if (strchr(key, '/') != NULL || (wd && strstr(key, " - ") != NULL)) {
				imp_say(im, o->file, o->line, "timeperiod \"%s\": \"%s %s\": vigil "
				    "has no such exception (every Nth day, or a range of weekdays): "
				    "left out", name, key, o->v[k]);
				continue;
			}
			if (wd && strchr(key, ' ') == NULL) {
				strbuf_adds(&days, ", ");
				jsonw_string(&days, key);
				strbuf_adds(&days, ": ");
				jsonw_string(&days, val);
				continue;
			}
			strbuf_adds(&exc, exc.len > 0 ? ", " : "");
			jsonw_string(&exc, key);
			strbuf_adds(&exc, ": ");
			jsonw_string(&exc, val);
		}
		if (!any)
			strbuf_adds(b, "timeperiods:\n");
		any = 1;
		strbuf_adds(b, "  ");
		jsonw_string(b, name);
		strbuf_adds(b, ": {");
		if (days.len > 0)
			strbuf_adds(b, days.s + 2);
		if (exc.len > 0) {
			strbuf_adds(b, days.len > 0 ? ", " : "");
			strbuf_adds(b, "exceptions: {");
			strbuf_add(b, exc.s, exc.len);
			strbuf_adds(b, "}");
		}
		if (obj_get(o, "exclude") != NULL) {
			struct names ex = { 0 };

			names_split(&ex, obj_get(o, "exclude"));
			strbuf_adds(b, days.len > 0 || exc.len > 0 ? ", " : "");
			strbuf_adds(b, "exclude: ");
			yaml_strv(b, ex.v, ex.n);
			names_free(&ex);
		}
		strbuf_adds(b, "}\n");
		free(days.s);
		free(exc.s);
	}
}

void
imp_contacts(struct imp *im, struct strbuf *b)
{
	int any = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "contact_name"), *v;
		struct strbuf on = { 0 };

		if (o->type != NT_CONTACT || !o->registered || name == NULL)
			continue;
		if ((v = obj_get(o, "email")) == NULL || strchr(v, '@') == NULL) {
			imp_say(im, o->file, o->line, "contact \"%s\" has no email address (vigil's "
			    "channels: email, slack, webhook, command): left out, and from the "
			    "notify lists", name);
			o->skip = 1;
			continue;
		}
		if (!any)
			strbuf_adds(b, "contacts:\n");
		any = 1;
		strbuf_adds(b, "  ");
		jsonw_string(b, name);
		strbuf_adds(b, ": {email: ");
		jsonw_string(b, v);
		if ((v = obj_get(o, "alias")) != NULL) {
			strbuf_adds(b, ", alias: ");
			jsonw_string(b, v);
		}
		/* one notify_on: the host options' and the service options' */
		{
			struct names names_on = { 0 };

			if ((v = obj_get(o, "host_notifications_enabled")) == NULL || atoi(v))
				letters_add(&names_on, obj_get(o, "host_notification_options") ?
				    obj_get(o, "host_notification_options") : "d,u,r,f,s", 1);
			if ((v = obj_get(o, "service_notifications_enabled")) == NULL || atoi(v))
				letters_add(&names_on, obj_get(o, "service_notification_options") ?
				    obj_get(o, "service_notification_options") : "w,u,c,r,f,s", 0);
			if (names_has(&names_on, "all")) {
				names_free(&names_on);
				names_add(&names_on, "all");
			}
			if (names_on.n == 0)
				names_add(&names_on, "none");
			strbuf_adds(&on, ", notify_on: ");
			yaml_strv(&on, names_on.v, names_on.n);
			names_free(&names_on);
		}
		strbuf_add(b, on.s, on.len);
		free(on.s);
		{
			const char *hp = obj_get(o, "host_notification_period");
			const char *sp = obj_get(o, "service_notification_period");

			if (hp != NULL && sp != NULL && strcmp(hp, sp) != 0)
				imp_say(im, o->file, o->line, "contact \"%s\": a host period (%s) "
				    "and a service period (%s): vigil has one, the service's is "
				    "kept", name, hp, sp);
			if (sp != NULL || hp != NULL) {
				strbuf_adds(b, ", period: ");
				jsonw_string(b, sp != NULL ? sp : hp);
			}
		}
		strbuf_adds(b, "}\n");
	}
	/* contact groups: members, nested groups, and the contacts that name
	 * them */
	any = 0;
	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "contactgroup_name");
		struct names mem = { 0 }, in = { 0 }, subs = { 0 }, gs = { 0 };

		if (o->type != NT_CONTACTGROUP || !o->registered || name == NULL)
			continue;
		names_split(&mem, obj_get(o, "members"));
		for (size_t k = 0; k < im->n; k++) {
			struct names cg = { 0 };

			if (im->o[k]->type != NT_CONTACT || !im->o[k]->registered ||
			    obj_get(im->o[k], "contact_name") == NULL)
				continue;
			names_split(&cg, obj_get(im->o[k], "contactgroups"));
			if (names_has(&cg, name))
				names_add(&mem, obj_get(im->o[k], "contact_name"));
			names_free(&cg);
		}
		for (size_t k = 0; k < mem.n; k++)
			if (imp_find(im, NT_CONTACT, "contact_name", mem.v[k]) != NULL)
				names_add(&in, mem.v[k]);
		names_split(&subs, obj_get(o, "contactgroup_members"));
		for (size_t k = 0; k < subs.n; k++)
			if (imp_find(im, NT_CONTACTGROUP, "contactgroup_name", subs.v[k]) != NULL)
				names_add(&gs, subs.v[k]);
		yaml_entry(b, &any, "contact_groups", name, "members", &in, 0, "groups", &gs,
		    "alias", obj_get(o, "alias"));
		names_free(&mem);
		names_free(&in);
		names_free(&subs);
		names_free(&gs);
	}
}

/* The group names: hostgroups', and servicegroups' (renamed when a
 * hostgroup has the name). */
static const char *
sg_name(struct imp *im, const char *name, char *buf, size_t len)
{
	if (imp_find(im, NT_HOSTGROUP, "hostgroup_name", name) != NULL)
		snprintf(buf, len, "servicegroup-%s", name);
	else
		snprintf(buf, len, "%s", name);
	return buf;
}

void
imp_groups(struct imp *im, struct strbuf *b)
{
	int any = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "hostgroup_name");
		struct names hs = { 0 }, parents = { 0 };

		if (o->type != NT_HOSTGROUP || !o->registered || name == NULL)
			continue;
		imp_group_hosts(im, name, &hs, 0, 0);
		/* its parents: the hostgroups that name it in hostgroup_members */
		for (size_t k = 0; k < im->n; k++) {
			struct names m = { 0 };

			if (im->o[k]->type != NT_HOSTGROUP || !im->o[k]->registered ||
			    obj_get(im->o[k], "hostgroup_name") == NULL)
				continue;
			names_split(&m, obj_get(im->o[k], "hostgroup_members"));
			if (names_has(&m, name))
				names_add(&parents, obj_get(im->o[k], "hostgroup_name"));
			names_free(&m);
		}
		yaml_entry(b, &any, "groups", name, "hosts", &hs, 1, "parents", &parents, "title",
		    obj_get(o, "alias"));
		names_free(&hs);
		names_free(&parents);
	}
	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "servicegroup_name");
		struct names mem = { 0 }, svcs = { 0 }, parents = { 0 };
		char nb[512];

		if (o->type != NT_SERVICEGROUP || !o->registered || name == NULL)
			continue;
		/* members: host,service pairs */
		names_split(&mem, obj_get(o, "members"));
		for (size_t k = 0; k + 1 < mem.n; k += 2) {
			char *h = glob_quote(mem.v[k]), *sv = glob_quote(mem.v[k + 1]);
			char *hs = xasprintf("%s/%s", h, sv);

			names_add(&svcs, hs);
			free(h);
			free(sv);
			free(hs);
		}
		/* services that name it (on every host they go to) */
		for (size_t k = 0; k < im->n; k++) {
			struct names sg = { 0 }, hs = { 0 };
			const char *d = obj_get(im->o[k], "service_description");

			if (im->o[k]->type != NT_SERVICE || !im->o[k]->registered || d == NULL)
				continue;
			names_split(&sg, obj_get(im->o[k], "servicegroups"));
			if (names_has(&sg, name)) {
				imp_hosts_of(im, im->o[k], "host_name", "hostgroup_name", &hs);
				for (size_t j = 0; j < hs.n; j++) {
					char *h = glob_quote(hs.v[j]), *sv = glob_quote(d);
					char *x = xasprintf("%s/%s", h, sv);

					names_add(&svcs, x);
					free(h);
					free(sv);
					free(x);
				}
			}
			names_free(&sg);
			names_free(&hs);
		}
		for (size_t k = 0; k < im->n; k++) {
			struct names m = { 0 };

			if (im->o[k]->type != NT_SERVICEGROUP || !im->o[k]->registered ||
			    obj_get(im->o[k], "servicegroup_name") == NULL)
				continue;
			names_split(&m, obj_get(im->o[k], "servicegroup_members"));
			if (names_has(&m, name)) {
				char pb[512];

				names_add(&parents, sg_name(im, obj_get(im->o[k],
				    "servicegroup_name"), pb, sizeof(pb)));
			}
			names_free(&m);
		}
		yaml_entry(b, &any, "groups", sg_name(im, name, nb, sizeof(nb)), "services", &svcs,
		    0, "parents", &parents, "title", obj_get(o, "alias"));
		names_free(&mem);
		names_free(&svcs);
		names_free(&parents);
	}
}

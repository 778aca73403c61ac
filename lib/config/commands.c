/*
 * NAME
 *	commands - conf.d `commands:`
 * DESCRIPTION
 *	`commands: {name: {argv: [...], timeout: 30s}}` or `{name: [...]}`:
 *	straight into cfg->commands in pass 1, argv as written (argv.c
 *	expands it per check). A command with errors is remembered as
 *	broken, so a check using it is not told again.
 * DIAGNOSTICS
 *	"command \"ping\": argv: expected at least the plugin to run".
 */
#include "config.h"
#include "config_objects.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Read into the command's timeout; argv is the caller's. */
static const struct config_field commands_keys[] = {
	{ .name = "argv", .where = 1, .type = CONFIG_T_NONE },
	{ .name = "timeout", .where = 1, .type = CONFIG_T_DURATION },
};
#define COMMANDS_NKEYS (sizeof(commands_keys) / sizeof(commands_keys[0]))

void
config_commands_read(struct config_objects *o, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct config_read rdr;
	struct cfg_command *c;
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v, *argv, *e;
	yaml_node_item_t *it;
	struct cfg_mark m, *f;
	const char *name, *prefix, *s;
	size_t *ip, n, i;
	int timeout, bad;
	char **args;

	if (config_map(ld, map, "", "commands", "a map of command name to "
	    "{argv: [...]}") <= 0)
		return;
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = config_node(ld, pair->key);
		v = config_node(ld, pair->value);
		if ((name = config_name(ld, k, "", "command", 1)) == NULL)
			continue;
		m = config_mark(ld, k);
		if ((ip = config_index_find(&o->cmd_map, name)) != NULL) {
			f = *ip == CONFIG_BROKEN ? NULL : &cfg->commands[*ip].mark;
			if (f != NULL)
				config_error(ld, &m, "command %s is defined twice "
				    "(first at %s:%d:%d)", config_quote(ld, name),
				    f->file, f->line, f->col);
			else
				config_error(ld, &m, "command %s is defined twice",
				    config_quote(ld, name));
			continue;
		}
		prefix = config_arena_printf(&ld->arena, "command %s: ",
		    config_quote(ld, name));
		argv = NULL;
		timeout = 0;
		bad = 0;
		if (v->type == YAML_SEQUENCE_NODE)
			argv = v;
		else if (v->type == YAML_MAPPING_NODE) {
			bad = config_fields_read(ld, v, commands_keys,
			    COMMANDS_NKEYS, 1, "", prefix, &timeout, &rdr) < 0;
			argv = rdr.node[0];
			if (argv == NULL && !bad)
				config_error(ld, &m, "%sargv: missing (expected a "
				    "list like [$PLUGINDIR$/check_ping, -H, "
				    "$HOSTADDRESS$])", prefix);
		} else {
			m = config_mark(ld, v);
			config_error(ld, &m, "%sexpected {argv: [...]} or a list "
			    "of arguments, got %s", prefix, config_what(v));
		}
		if (argv != NULL && argv->type != YAML_SEQUENCE_NODE) {
			e = argv;
			m = config_mark(ld, e);
			config_error(ld, &m, "%sargv: expected a list of arguments, "
			    "got %s", prefix, config_what(e));
			argv = NULL;
		}
		n = argv ? (size_t)(argv->data.sequence.items.top -
		    argv->data.sequence.items.start) : 0;
		if (argv != NULL && n == 0) {
			m = config_mark(ld, argv);
			config_error(ld, &m, "%sargv: expected at least the plugin "
			    "to run", prefix);
			argv = NULL;
		}
		if (argv == NULL || bad) {
			config_index_put(&o->cmd_map, name, CONFIG_BROKEN);
			continue;
		}
		args = xcalloc(n + 1, sizeof(*args));
		for (i = 0, it = argv->data.sequence.items.start; i < n; i++, it++) {
			e = config_node(ld, *it);
			s = config_text(ld, e, prefix, "argv");
			if (s != NULL && i == 0 && *s == '\0') {
				m = config_mark(ld, e);
				config_error(ld, &m, "%sargv: the plugin (first "
				    "element) must not be empty", prefix);
				s = NULL;
			}
			if (s == NULL)
				bad = 1;
			args[i] = xstrdup(s ? s : "");
		}
		if (bad) {
			for (i = 0; i < n; i++)
				free(args[i]);
			free(args);
			config_index_put(&o->cmd_map, name, CONFIG_BROKEN);
			continue;
		}
		xgrow((void **)&cfg->commands, &o->cmds_cap, cfg->ncommands + 1,
		    sizeof(*cfg->commands));
		c = &cfg->commands[cfg->ncommands];
		c->name = xstrdup(name);
		c->argv = args;
		c->argc = n;
		c->timeout = timeout;
		c->mark = config_mark(ld, k);
		config_index_put(&o->cmd_map, c->name, cfg->ncommands++);
	}
}

const struct cfg_command *
config_command_of(struct config_objects *o, const struct config_props *p,
    const char *prefix)
{
	return config_cmdref_of(o, &p->command, &p->command_mark,
	    (p->inherited & CONFIG_P_COMMAND) != 0, "command", prefix);
}

const struct cfg_command *
config_cmdref_of(struct config_objects *o, const struct config_cmdref *ref,
    const struct cfg_mark *mark, int inherited, const char *key, const char *prefix)
{
	struct config_loader *ld = o->ld;
	size_t *ip;

	if ((ip = config_index_find(&o->cmd_map, ref->name)) == NULL) {
		if (!inherited)
			config_error(ld, mark, "%s%s %s is not defined", prefix, key,
			    config_quote(ld, ref->name));
		return NULL;
	}
	return *ip == CONFIG_BROKEN ? NULL : &o->cfg->commands[*ip];
}

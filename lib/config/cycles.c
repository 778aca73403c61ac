/*
 * NAME
 *	cycles - the one cycle finder of the loader
 * DESCRIPTION
 *	config_graph_walk() walks a graph of named objects depth first:
 *	group parents, timeperiod exclusions, nested contact groups,
 *	templates' use: and host parents are all such graphs. It reports
 *	every cycle once and calls done(u) for each node once every node its
 *	edges lead to is done, but for the edge that closes a cycle (so a
 *	template is resolved after the templates it uses, a contact group
 *	expanded after the groups it contains, and a cycle never links).
 *
 *	The walk is iterative, with colours (white, on the stack, done):
 *	O(nodes + edges), and a chain of 10,000 parents needs no C stack.
 *	Each back edge closes a different cycle (its other edges are tree
 *	edges), so no cycle is reported twice, and a graph with any cycle
 *	has a back edge.
 * DIAGNOSTICS
 *	Named cycles are reported at the node of the cycle defined first, so
 *	that the message does not depend on where the walk entered it, and
 *	name every node with its place: "group \"a\": parents form a cycle:
 *	a (f:3:3) -> b (f:5:3) -> a". Past CYCLES_MAX cycles one more error
 *	counts the rest: a chain of 10,000 groups that all also list its
 *	first one holds 10,000 cycles of up to 10,000 names.
 */
#include "config.h"
#include "config_objects.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CYCLES_MAX	100	/* cycles of a graph reported in full */

struct config_graph *
config_graph_new(struct config_loader *ld, size_t n)
{
	struct config_graph *g = config_arena_alloc(&ld->arena, sizeof(*g));

	memset(g, 0, sizeof(*g));
	g->n = n;
	g->adj = config_arena_alloc(&ld->arena, (n + 1) * sizeof(*g->adj));
	g->deg = config_arena_alloc(&ld->arena, (n + 1) * sizeof(*g->deg));
	g->on_cycle = config_arena_alloc(&ld->arena, n + 1);
	memset(g->adj, 0, (n + 1) * sizeof(*g->adj));
	memset(g->deg, 0, (n + 1) * sizeof(*g->deg));
	memset(g->on_cycle, 0, n + 1);
	return g;
}

void
config_graph_edges(struct config_loader *ld, struct config_graph *g, size_t u,
    size_t max)
{
	g->adj[u] = config_arena_alloc(&ld->arena, (max + 1) * sizeof(**g->adj));
	g->deg[u] = 0;
}

/* stack[from .. top-1] is a cycle of g's named objects: report it. */
static void
cycles_named(struct config_objects *o, struct config_graph *g,
    const size_t *stack, size_t from, size_t top)
{
	struct config_loader *ld = o->ld;
	struct strbuf chain = { NULL, 0, 0 };
	size_t len = top - from, first = from, i, u;
	const struct cfg_mark *m;
	char place[64];

	for (i = from + 1; i < top; i++)
		if (stack[i] < stack[first])
			first = i;
	if (++g->ncycles > CYCLES_MAX) {
		if (g->ncycles == CYCLES_MAX + 1)
			g->more = stack[first];
		return;
	}
	for (i = 0; i < len; i++) {
		u = stack[from + (first - from + i) % len];
		m = g->mark(o, u);
		strbuf_adds(&chain, g->name(o, u));
		strbuf_adds(&chain, " (");
		strbuf_adds(&chain, m->file);
		snprintf(place, sizeof(place), ":%d:%d) -> ", m->line, m->col);
		strbuf_adds(&chain, place);
	}
	u = stack[first];
	strbuf_adds(&chain, g->name(o, u));
	config_error(ld, g->mark(o, u), "%s %s: %s a cycle: %s", g->kind,
	    config_quote(ld, g->name(o, u)), g->relation, chain.s);
	free(chain.s);
}

void
config_graph_walk(struct config_objects *o, struct config_graph *g)
{
	size_t n = g->n, *stack, *edge, *pos, i, j, u, w, e, top;
	unsigned char *color;

	color = xcalloc(n + 1, 1);
	stack = xmalloc((n + 1) * sizeof(*stack));
	edge = xmalloc((n + 1) * sizeof(*edge));
	pos = xmalloc((n + 1) * sizeof(*pos));
	g->ncycles = 0;
	for (i = 0; i < n; i++) {
		if (color[i] != 0)
			continue;
		top = 0;
		stack[top] = i;
		edge[top] = 0;
		pos[i] = top++;
		color[i] = 1;
		while (top > 0) {
			u = stack[top - 1];
			if (edge[top - 1] == g->deg[u]) {
				color[u] = 2;
				if (g->done != NULL)
					g->done(o, g, u);
				top--;
				continue;
			}
			e = edge[top - 1]++;
			w = g->adj[u][e];
			if (color[w] == 1) {
				for (j = pos[w]; j < top; j++)
					g->on_cycle[stack[j]] = 1;
				if (g->cycle != NULL)
					g->cycle(o, g, stack, pos[w], top, e);
				else
					cycles_named(o, g, stack, pos[w], top);
			} else if (color[w] == 0) {
				stack[top] = w;
				edge[top] = 0;
				pos[w] = top++;
				color[w] = 1;
			}
		}
	}
	free(color);
	free(stack);
	free(edge);
	free(pos);
	if (g->cycle == NULL && g->ncycles > CYCLES_MAX) {
		u = g->more;
		config_error(o->ld, g->mark(o, u), "%s %s: %s %zu more cycles, "
		    "not shown (fix the ones above first)", g->kind,
		    config_quote(o->ld, g->name(o, u)), g->relation,
		    g->ncycles - CYCLES_MAX);
	}
}

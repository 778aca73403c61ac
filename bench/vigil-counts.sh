# shellcheck shell=bash
# bench/vigil-counts.sh — sourced by bench/engine and bench/vs-nagios: which
# of vigil's results come from a plugin that actually ran, which are
# UNKNOWNs of checks not run, and the lateness of the runs. Needs VIGIL_PG
# (a libpq conninfo) and psql.
#
# Why it is counted this way. The engine adds every result it applies to
# check_state.results_total, and not every result is a plugin run:
#  - the engine's own verdicts, UNKNOWN: a job that expired in its queue
#    unstarted or was unroutable ("check not run"), one that got neither
#    result nor verdict in time ("job orphaned"), a check past its freshness
#    threshold ("check stale"); the engine logs each once at warn level;
#  - a worker built before flow control answered a job delivered to it
#    after its deadline with an UNKNOWN without running the plugin, logged
#    at no level (most results under overload then); workers now run it.
# check_state keeps only each check's latest result and state_history only
# state changes, so the database cannot tell them apart over a span.
# What does: the worker logs "check done" once for every plugin that ran
# (run_done), at debug level. So the bench runs the worker with
# VIGIL_LOG_LEVEL=debug (two short lines per check, "check done" and "result
# confirmed": one write(2) each, small beside a fork and exec) and counts,
# between byte offsets of the logs taken when results_total is read:
#
#   plugin runs   = "check done" lines in the worker's log
#   not run       = Δ sum(results_total) − plugin runs: UNKNOWNs, of which
#                   the engine's verdicts by its log lines, the rest an
#                   older worker's (job delivered past its deadline)
#
# A real result that arrives after its verdict counts as a run (its plugin
# did run). The edges of the window can be off by the few results between a
# plugin's end and the commit of its result.

# The engine's log phrases for its verdicts; one place to extend.
VIGIL_VERDICT_PHRASES=("check not run" "job orphaned" "check stale")

vigil_psql() { psql -X -q -tA -v ON_ERROR_STOP=1 "$VIGIL_PG" "$@"; }

# vigil_results_total SCHEMA: the sum of results_total, committed results.
vigil_results_total() {
	vigil_psql -c "SELECT coalesce(sum(results_total), 0) FROM $1.check_state"
}

# vigil_log_size FILE: its size in bytes now (0 when missing).
vigil_log_size() { stat -c %s -- "$1" 2>/dev/null || echo 0; }

# vigil_verdicts FILE FROM TO: the engine's verdicts logged between byte
# offsets FROM and TO of its log, one count per phrase of
# VIGIL_VERDICT_PHRASES, space-separated, in that order.
vigil_verdicts() {
	local phrases
	phrases=$(printf '%s\n' "${VIGIL_VERDICT_PHRASES[@]}")
	{ tail -c "+$(($2 + 1))" -- "$1" 2>/dev/null || true; } | head -c "$(($3 - $2))" |
		awk -v phrases="$phrases" '
			BEGIN { n = split(phrases, ph, "\n") }
			{ for (i = 1; i <= n; i++) if (index($0, " " ph[i] " host=")) { c[i]++; break } }
			END { for (i = 1; i <= n; i++) printf "%d%s", c[i], i < n ? " " : "\n" }'
}

# vigil_plugin_runs WORKER_LOG FROM TO: plugins that ran ("check done",
# logged at debug level) between byte offsets FROM and TO of the worker's log.
vigil_plugin_runs() {
	{ tail -c "+$(($2 + 1))" -- "$1" 2>/dev/null || true; } | head -c "$(($3 - $2))" |
		awk 'index($0, " check done job=") { n++ } END { print n + 0 }'
}

# vigil_sum N…: the sum of the numbers (of vigil_verdicts' output, say).
vigil_sum() {
	local n t=0
	for n; do t=$((t + n)); done
	echo "$t"
}

# vigil_sample_latency SCHEMA SINCE: print "check_id <TAB> last_check <TAB>
# latency_ms" for every check whose latest result is a plugin run that
# started at or after SINCE (epoch s). A plugin run names a worker and has
# an exit code; every verdict has exit_code -1 (so has a plugin killed at
# its timeout, which is left out too).
# Pooled samples are made unique per (check, last_check) by latency_stats.
vigil_sample_latency() {
	vigil_psql -c "\\copy (SELECT check_id, extract(epoch FROM last_check), latency_ms FROM $1.check_state WHERE worker IS NOT NULL AND exit_code >= 0 AND last_check >= to_timestamp($2)) TO STDOUT"
}

# latency_stats FILE: "n p50 p99 max within100" over the pooled samples of
# FILE (key <TAB> time <TAB> ms), one per (key, time); nearest-rank
# percentiles; within100 is the per cent of runs that started within 100 ms.
latency_stats() {
	sort -u -t $'\t' -k1,2 -- "$1" | cut -f3 | sort -g | awk '
		{ v[NR] = $1; if ($1 <= 100) ok++ }
		END {
			if (NR == 0) { print 0, "nan", "nan", "nan", "nan"; exit }
			printf "%d %.1f %.1f %.1f %.2f\n", NR, v[int((NR + 1) / 2)],
			    v[int(NR * 0.99 + 0.999)], v[NR], ok * 100 / NR
		}'
}

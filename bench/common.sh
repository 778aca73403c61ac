# shellcheck shell=bash
# bench/common.sh — sourced by the bench scripts: time, arithmetic and the
# waits on daemons' logs. The script defines die MESSAGE (exits).

now() { date +%s.%N; }
# calc EXPR: floating-point arithmetic (a comparison gives 1 or 0).
calc() { awk -v CONVFMT=%.6f "BEGIN { printf \"%s\", ($1) }" </dev/null; }
# log_time FILE PATTERN: epoch of the first log line matching PATTERN.
log_time() {
	local ts
	ts=$(grep -m 1 -- "$2" "$1" | cut -d' ' -f1) || return 1
	date -d "$ts" +%s.%N
}
# alive PID: exists and is not a zombie (our dead children stay zombies).
alive() {
	local st
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	st=${st##*) }
	[[ ${st%% *} != Z ]]
}
# wait_log FILE PATTERN SECONDS PID: until a line matches; fails when the
# process exits or the time is up.
wait_log() {
	local t=$(($3 * 20))
	while ! grep -q -- "$2" "$1" 2>/dev/null; do
		alive "$4" || {
			tail -n 20 "$1" >&2
			die "$(basename "$1" .log) exited before logging \"$2\""
		}
		((t-- > 0)) || {
			tail -n 20 "$1" >&2
			die "$(basename "$1" .log) did not log \"$2\" within $3 s"
		}
		sleep 0.05
	done
}
# wait_log_n FILE PATTERN N SECONDS PID: until N lines match.
wait_log_n() {
	local t=$(($4 * 20))
	while (($(grep -c -- "$2" "$1" 2>/dev/null || true) < $3)); do
		alive "$5" || {
			tail -n 20 "$1" >&2
			die "$(basename "$1" .log) exited before logging \"$2\" $3 times"
		}
		((t-- > 0)) || {
			tail -n 20 "$1" >&2
			die "$(basename "$1" .log) did not log \"$2\" $3 times within $4 s"
		}
		sleep 0.05
	done
}
# log_time_n FILE PATTERN N: epoch of the Nth log line matching PATTERN.
log_time_n() {
	local ts
	ts=$(grep -- "$2" "$1" | sed -n "$3p" | cut -d' ' -f1)
	[[ -n $ts ]] || return 1
	date -d "$ts" +%s.%N
}

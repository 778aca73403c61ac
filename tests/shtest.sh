# shtest.sh — what vigil's shell tests share (sourced): ok/fail per check,
# and a Check-style summary line that scripts/test adds up.
#
#   . "$VIGIL_TOP_SRCDIR/tests/shtest.sh"
#   check "what" command args…   # ok when the command succeeds
#   summary                      # prints the line; status 0 when all passed

# Run from make check: a make of the test's own is not a part of the
# running one (its jobserver, its -w, its variables).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

checks=0 failures=0
ok() {
	checks=$((checks + 1))
	printf 'ok: %s\n' "$*"
}
fail() {
	checks=$((checks + 1)) failures=$((failures + 1))
	printf 'FAIL: %s\n' "$*"
}
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}
summary() {
	printf '%d%%: Checks: %d, Failures: %d, Errors: 0\n' \
		$((checks > 0 ? (checks - failures) * 100 / checks : 0)) "$checks" "$failures"
	((failures == 0 && checks > 0))
}

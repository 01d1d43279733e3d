#!/bin/bash
# test_tui_replay: cdtop -r FILE.
#  1. Every real snapshot of tests/fixtures/snapshots opens in the screen
#     (80x24) marked REPLAY with its pid, comm and top function; q exits 0
#     and restores the terminal.
#  2. Bad files get exit 10 and one line on stderr naming what is wrong:
#     missing, empty, not JSON, truncated, JSON of something else, a newer
#     format version, a directory.
#  3. -r with -p is a usage error (2); -r with stdout not a terminal is
#     exit 9 and says so; --out-dir that does not exist is exit 8.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/tui_lib.sh
source "$TUILIB"
need_cmd jq
tui_server

# --- 1: the fixture files -------------------------------------------------------------
nfix=0
for f in "$FIXTURES"/snapshots/*.json; do
	name=$(basename "$f" .json)
	nfix=$((nfix + 1))
	pid=$(jq_get "$f" .process.pid)
	comm=$(jq_get "$f" .process.comm)
	top=$(jq_get "$f" '.profile.top_functions[0].function')
	tui_start "$name" 80 24 -r "$f"
	tui_wait "$name" 5 -E "PID $pid \\($comm\\).* REPLAY "
	tui_expect "$name" "top function $top" -E "^ *[0-9.]+% +[0-9.]+% +[0-9]+ +[0-9]+ +$top"
	tui_quit "$name"
done
[ "$nfix" -ge 10 ] || fail "only $nfix snapshots in $FIXTURES/snapshots"
say "replay of threads_mix.json:"
tui_show threads_mix

# --- 2: bad files ------------------------------------------------------------------------
bad() {
	local what=$1 file=$2 want=$3
	run_cdtop -r "$file"
	expect_rc 10 "$what"
	expect_one_line_stderr "$what"
	grep -qiE -- "$want" "$ERR" || fail "$what: the message does not say '$want': $(cat "$ERR")"
	ok "$what: the message says what is wrong"
}
bad "missing file" "$TMPD/none.json" "No such file"
: >"$TMPD/empty.json"
bad "empty file" "$TMPD/empty.json" "empty|invalid JSON|premature"
printf 'hello\n' >"$TMPD/text.json"
bad "not JSON" "$TMPD/text.json" "invalid JSON"
head -c 300 "$FIXTURES/snapshots/cpu_burn.json" >"$TMPD/trunc.json"
bad "truncated" "$TMPD/trunc.json" "invalid JSON|premature"
printf '{"format": "pprof", "version": 1}\n' >"$TMPD/foreign.json"
bad "another program's JSON" "$TMPD/foreign.json" "not a cdtop snapshot"
jq '.version = 99' "$FIXTURES/snapshots/cpu_burn.json" >"$TMPD/newer.json"
bad "a newer format version" "$TMPD/newer.json" "version"
mkdir "$TMPD/dir.json"
bad "a directory" "$TMPD/dir.json" "directory|read"

# --- 3: combinations -----------------------------------------------------------------------
run_cdtop -r "$FIXTURES/snapshots/cpu_burn.json" -p 1
expect_rc 2 "-r with -p"
expect_one_line_stderr "-r with -p"
run_cdtop -r "$FIXTURES/snapshots/cpu_burn.json"
expect_rc 9 "-r with stdout not a terminal"
expect_one_line_stderr "-r with stdout not a terminal"
grep -q "not a terminal" "$ERR" || fail "the message does not say the output is not a terminal"
run_cdtop -r "$FIXTURES/snapshots/cpu_burn.json" --out-dir "$TMPD/nope"
expect_rc 8 "-r with an --out-dir that does not exist"
say "PASS"

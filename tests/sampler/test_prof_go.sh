#!/bin/bash
# test_prof_go: a Go program's hot function, with and without symbols.
# tests/targets/prof_go.go is built here with `go build` (private
# GOCACHE/GOPATH/HOME under the test's temp dir), once plain and once with
# -ldflags='-s -w' (no .symtab, no DWARF: names must come from
# .gopclntab). For each: cpu mode, --duration 3: top_functions[0] is
# main.hotLoop with flat_pct > 60, pause figures positive, the target is
# left running untraced.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
need_cmd jq go

src=$SAMPLER_SRCDIR/targets/prof_go.go
go_build "$src" "$TMPD/prof_go"
go_build "$src" "$TMPD/prof_go_stripped" -ldflags='-s -w'
say "symbol tables: prof_go $(readelf -S "$TMPD/prof_go" | grep -c '\.symtab') .symtab, prof_go_stripped $(readelf -S "$TMPD/prof_go_stripped" 2>/dev/null | grep -c '\.symtab') .symtab"

for exe in prof_go prof_go_stripped; do
	start_bg "$exe" "$TMPD/$exe"
	wait_ready "$BG_PID" "$BG_OUT"
	pid=$BG_PID
	say "started $exe (pid $pid, $(grep hot_tid "$BG_OUT"))"
	f=$TMPD/$exe.json
	take_snapshot "$pid" "$f" 3 --mode cpu
	top_summary "$f" 5
	soft assert_eq "$exe: top_functions[0].function" "$(jq_get "$f" '.profile.top_functions[0].function')" main.hotLoop
	soft assert_cmp "$exe: main.hotLoop flat_pct" "$(flat_pct "$f" main.hotLoop)" '>' 60
	check_pause "$f"
	assert_not_stopped "$pid" "$exe after the run"
	stop_pid "$pid"
done
soft_done
say "PASS: main.hotLoop first in cpu mode with and without symbols"

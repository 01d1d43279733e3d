#!/bin/bash
# test_prof_go_callers: the caller of a Go leaf function survives
# unwinding. In prof_go.go, main.hotCaller calls main.hotLoop, a leaf
# that the Go compiler builds without a frame (no push of the frame
# pointer), so a frame-pointer walk that starts at hotLoop's RBP skips
# straight to hotCaller's caller. Checked, with and without symbols
# (cpu mode, --duration 2): in >= 90% of the samples with main.hotLoop
# innermost, frame #1 is main.hotCaller, and main.hotCaller's cum_pct is
# >= main.hotLoop's flat_pct - 1.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
need_cmd jq go

src=$SAMPLER_SRCDIR/targets/prof_go.go
go_build "$src" "$TMPD/prof_go"
go_build "$src" "$TMPD/prof_go_stripped" -ldflags='-s -w'
for exe in prof_go prof_go_stripped; do
	start_bg "$exe" "$TMPD/$exe"
	wait_ready "$BG_PID" "$BG_OUT"
	pid=$BG_PID
	f=$TMPD/$exe.json
	take_snapshot "$pid" "$f" 2 --mode cpu
	say "$exe: hot stacks: $(jq -c '[.profile.stacks[] | select(.running and .frames[0] == "main.hotLoop") | {count, frames: .frames[0:4]}]' "$f")"
	total=$(jq '[.profile.stacks[] | select(.running and .frames[0] == "main.hotLoop") | .count] | add // 0' "$f")
	good=$(jq '[.profile.stacks[] | select(.running and .frames[0] == "main.hotLoop" and .frames[1] == "main.hotCaller") | .count] | add // 0' "$f")
	soft assert_cmp "$exe: samples with main.hotLoop innermost" "$total" '>' 0
	soft assert_cmp "$exe: % of them with main.hotCaller as frame #1" "$(calc "100 * $good / ($total > 0 ? $total : 1)")" '>=' 90
	soft assert_cmp "$exe: main.hotCaller cum_pct (>= main.hotLoop flat_pct - 1)" "$(cum_pct "$f" main.hotCaller)" '>=' "$(calc "$(flat_pct "$f" main.hotLoop) - 1")"
	check_pause "$f"
	stop_pid "$pid"
done
soft_done
say "PASS: main.hotCaller is kept above main.hotLoop"

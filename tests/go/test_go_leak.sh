#!/bin/bash
# test_go_leak: a goroutine leak (go_gr leak: one more goroutine blocked
# in chan receive every 5 ms), with and without symbols, no ptrace, over
# a 3 s window: the count lies between the program's own NumGoroutine
# before and after the read (widened by the goroutines created during
# the read), the history's goroutine counts climb (a leak is a slope),
# and the largest group is the leaked main.leakWorker in "chan receive".
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/go/lib.sh
source "$(dirname "$0")/lib.sh"
go_need_targets

for exe in go_gr go_gr_stripped; do
	go_start "$exe" leak
	n0=$(go_numgoroutine)
	f=$TMPD/$exe.json
	take_snapshot "$TARGET_PID" "$f" 3 --no-stacks
	n1=$(go_numgoroutine)
	say "$exe: NumGoroutine $n0 before, $n1 after; cdtop $(jq -c '.goroutines | {count, created_during_read, moved_during_read, read_ms}' "$f")"
	go_check_common "$f" "$exe"
	go_check_groups "$f" "$exe"
	go_count_matches "$f" "$exe" "$n0" "$n1"
	assert_cmp "$exe: the leak grew during the window" "$n1" '>' "$(calc "$n0 + 100")"
	h=$(jq -c '[.history[].goroutines]' "$f")
	say "$exe: history of the count: $h"
	jq_true "$f" '[.history[].goroutines] | length >= 3' "$exe: at least 3 history points"
	jq_true "$f" '[.history[].goroutines] as $h | all(range(1; $h | length); $h[.] >= $h[. - 1])' \
		"$exe: the count never drops"
	jq_true "$f" '[.history[].goroutines] | .[-1] - .[0] >= 100' "$exe: the count climbs by 100 or more"
	g=$(jq -c '.goroutines.groups[0]' "$f")
	say "$exe: largest group: $(jq -c '{count, status, wait_reason, frames}' <<<"$g")"
	jq_true <(echo "$g") '.frames | index("main.leakWorker") != null' "$exe: largest group is main.leakWorker"
	assert_eq "$exe: its wait reason" "$(jq -r .wait_reason <<<"$g")" "chan receive"
	jq_true "$f" '.goroutines.groups[0].count >= 0.9 * .goroutines.count' "$exe: the leak is 90% or more of the goroutines"
	jq_true "$f" '[.goroutines.groups[] | select(.deadlock_hint)] | length == 0' "$exe: no deadlock hint"
	stop_pid "$TARGET_PID"
done
say "PASS: a growing goroutine leak counted, grouped and seen as a slope"

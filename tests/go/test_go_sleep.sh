#!/bin/bash
# test_go_sleep: 30 goroutines in time.Sleep (go_gr sleep), with and
# without symbols, read without ptrace (--no-stacks): the count equals
# runtime.NumGoroutine() before and after, the 30 sleepers are one group
# (waiting, "sleep", runtime.gopark <- time.Sleep <- main.sleeper), and
# the DWARF layout and the version table give the same groups on the
# binary that has both (CDTOP_GO_LAYOUT=table). The target is never
# stopped or traced.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/go/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/../sampler/lib/sampler.sh"
go_need_targets

signature() { jq -c '[.goroutines.groups[] | [.count, .status, .wait_reason, .frames]]' "$1"; }

for exe in go_gr go_gr_stripped; do
	go_start "$exe" sleep
	n0=$(go_numgoroutine)
	f=$TMPD/$exe.json
	take_snapshot "$TARGET_PID" "$f" 2 --no-stacks
	n1=$(go_numgoroutine)
	assert_not_stopped "$TARGET_PID" "$exe after the read"
	go_check_common "$f" "$exe"
	go_check_groups "$f" "$exe"
	assert_eq "$exe: NumGoroutine before = after" "$n0" "$n1"
	assert_eq "$exe: count = NumGoroutine" "$(jq_get "$f" .goroutines.count)" "$n0"
	g=$(go_group "$f" main.sleeper)
	say "$exe: sleeper group: $g"
	[ "$g" != null ] || fail "$exe: no group with main.sleeper: $(signature "$f")"
	assert_eq "$exe: sleepers" "$(jq -r .count <<<"$g")" 30
	assert_eq "$exe: their status" "$(jq -r .status <<<"$g")" waiting
	assert_eq "$exe: their wait reason" "$(jq -r .wait_reason <<<"$g")" sleep
	assert_eq "$exe: their innermost frames" "$(jq -c '.frames[0:3]' <<<"$g")" '["runtime.gopark","time.Sleep","main.sleeper"]'
	assert_eq "$exe: goids kept" "$(jq -r '.goids | length' <<<"$g")" 10
	assert_eq "$exe: by_wait_reason.sleep" "$(jq_get "$f" '.goroutines.by_wait_reason.sleep')" 30
	jq_true "$f" '[.goroutines.groups[] | select(.deadlock_hint)] | length == 0' "$exe: no deadlock hint"
	jq_true "$f" '.profile == null' "$exe: --no-stacks: no profile (no ptrace)"
	if [ "$exe" = go_gr ]; then
		t=$TMPD/$exe-table.json
		CDTOP_GO_LAYOUT=table take_snapshot "$TARGET_PID" "$t" 1 --no-stacks
		jq_true "$t" '.goroutines.layout | startswith("table go1.")' "forced table layout ($(jq_get "$t" .goroutines.layout))"
		assert_eq "table and DWARF layouts give the same groups" "$(signature "$t")" "$(signature "$f")"
	fi
	stop_pid "$TARGET_PID"
done
say "PASS: sleeping goroutines counted, grouped and unwound with and without symbols"

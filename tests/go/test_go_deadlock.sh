#!/bin/bash
# test_go_deadlock: an AB-BA deadlock on two sync.Mutex (go_gr deadlock),
# with and without symbols, no ptrace, over a 4 s window: main.lockAB
# and main.lockBA each wait on a mutex ("sync.Mutex.Lock" since Go 1.20,
# "semacquire" in 1.19) through sync.(*Mutex).lockSlow, in place
# for the whole window, so both groups carry the deadlock hint and
# nothing else does; count = NumGoroutine.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/go/lib.sh
source "$(dirname "$0")/lib.sh"
go_need_targets

for exe in go_gr go_gr_stripped; do
	go_start "$exe" deadlock
	n0=$(go_numgoroutine)
	f=$TMPD/$exe.json
	take_snapshot "$TARGET_PID" "$f" 4 --no-stacks
	n1=$(go_numgoroutine)
	go_check_common "$f" "$exe"
	go_check_groups "$f" "$exe"
	assert_eq "$exe: count = NumGoroutine" "$(jq_get "$f" .goroutines.count)" "$n0"
	assert_eq "$exe: NumGoroutine before = after" "$n0" "$n1"
	for fn in main.lockAB main.lockBA; do
		g=$(go_group "$f" "$fn")
		say "$exe: $fn: $g"
		[ "$g" != null ] || fail "$exe: no group with $fn"
		assert_eq "$exe: $fn count" "$(jq -r .count <<<"$g")" 1
		assert_eq "$exe: $fn status" "$(jq -r .status <<<"$g")" waiting
		jq_true <(echo "$g") '.wait_reason == "sync.Mutex.Lock" or .wait_reason == "semacquire"' \
			"$exe: $fn waits on a mutex ($(jq -r .wait_reason <<<"$g"))"
		jq_true <(echo "$g") '[.frames[] | select(startswith("sync.(*Mutex).") or startswith("internal/sync.(*Mutex)."))] | length > 0' \
			"$exe: $fn stack goes through sync.(*Mutex) (internal/sync since Go 1.24)"
		jq_true <(echo "$g") '.stalled_s >= 3' "$exe: $fn made no progress over the window ($(jq -r .stalled_s <<<"$g") s)"
		jq_true <(echo "$g") '.deadlock_hint == true' "$exe: $fn group has the deadlock hint"
	done
	jq_true "$f" '[.goroutines.groups[] | select(.deadlock_hint)] | length == 2' "$exe: exactly the two lock groups are hinted"
	stop_pid "$TARGET_PID"
done
say "PASS: AB-BA deadlock on sync.Mutex hinted with and without symbols"

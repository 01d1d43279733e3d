#!/bin/bash
# test_go_iowait: 20 goroutines reading loopback TCP connections whose
# peer never writes (go_gr iowait), with and without symbols, no ptrace:
# one group of 20 waiting in "IO wait" through net.(*conn).Read and
# internal/poll.(*FD).Read from main.ioReader; count = NumGoroutine.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/go/lib.sh
source "$(dirname "$0")/lib.sh"
go_need_targets

for exe in go_gr go_gr_stripped; do
	go_start "$exe" iowait
	n0=$(go_numgoroutine)
	f=$TMPD/$exe.json
	take_snapshot "$TARGET_PID" "$f" 2 --no-stacks
	n1=$(go_numgoroutine)
	go_check_common "$f" "$exe"
	go_check_groups "$f" "$exe"
	assert_eq "$exe: NumGoroutine before = after" "$n0" "$n1"
	assert_eq "$exe: count = NumGoroutine" "$(jq_get "$f" .goroutines.count)" "$n0"
	g=$(go_group "$f" main.ioReader)
	say "$exe: reader group: $g"
	[ "$g" != null ] || fail "$exe: no group with main.ioReader"
	assert_eq "$exe: readers" "$(jq -r .count <<<"$g")" 20
	assert_eq "$exe: their wait reason" "$(jq -r .wait_reason <<<"$g")" "IO wait"
	jq_true <(echo "$g") '.frames | index("net.(*conn).Read") and index("internal/poll.(*FD).Read") and .[0] == "runtime.gopark"' \
		"$exe: stack runtime.gopark ... internal/poll.(*FD).Read ... net.(*conn).Read"
	jq_true <(echo "$g") '(.frames | index("main.ioReader")) > (.frames | index("net.(*conn).Read"))' \
		"$exe: main.ioReader is the caller of net.(*conn).Read"
	assert_eq "$exe: by_wait_reason[\"IO wait\"]" "$(jq_get "$f" '.goroutines.by_wait_reason["IO wait"]')" 20
	stop_pid "$TARGET_PID"
done
say "PASS: goroutines in IO wait on loopback connections"

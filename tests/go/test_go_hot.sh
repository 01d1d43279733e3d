#!/bin/bash
# test_go_hot: a CPU-hot goroutine (go_gr hot: main.hotLoop in a
# goroutine locked to its thread, hot_tid printed), with and without
# symbols, stacks sampled (ptrace): the running goroutine is attributed
# to its thread (m.procid = hot_tid) and takes the stack the sampler saw
# on that thread, main.hotLoop innermost; count = NumGoroutine; the
# target is left running untraced.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/go/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/../sampler/lib/sampler.sh"
go_need_targets

for exe in go_gr go_gr_stripped; do
	go_start "$exe" hot
	tid=$(kv "$(target_line hot_tid=)" hot_tid)
	n0=$(go_numgoroutine)
	f=$TMPD/$exe.json
	g=null
	# The runtime preempts a long-running goroutine every 10 ms for a few
	# microseconds: read again in the rare case it was caught runnable.
	for attempt in 1 2 3; do
		take_snapshot "$TARGET_PID" "$f" 2 --mode cpu
		g=$(jq -c '[.goroutines.groups[] | select(.status == "running")][0]' "$f")
		[ "$g" != null ] && break
		say "$exe: attempt $attempt: no running group: $(jq -c '[.goroutines.groups[] | {count, status, frames}]' "$f")"
	done
	n1=$(go_numgoroutine)
	assert_not_stopped "$TARGET_PID" "$exe after the run"
	go_check_common "$f" "$exe"
	go_check_groups "$f" "$exe"
	assert_eq "$exe: count = NumGoroutine" "$(jq_get "$f" .goroutines.count)" "$n0"
	assert_eq "$exe: NumGoroutine before = after" "$n0" "$n1"
	say "$exe: running group: $g"
	[ "$g" != null ] || fail "$exe: no running goroutine found in 3 reads"
	assert_eq "$exe: running on the hot thread" "$(jq -c .tids <<<"$g")" "[$tid]"
	assert_eq "$exe: frames (from the sampled thread, up to runtime.goexit)" "$(jq -c '.frames' <<<"$g")" '["main.hotLoop","main.hot.func1"]'
	assert_eq "$exe: by_status.running" "$(jq_get "$f" .goroutines.by_status.running)" 1
	stop_pid "$TARGET_PID"
done
say "PASS: the running goroutine is attributed to its thread with the sampled stack"

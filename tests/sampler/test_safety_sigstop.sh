#!/bin/bash
# test_safety_sigstop: a stopped process stays stopped.
#  1. prof_hot_fp stopped with SIGSTOP before cdtop comes:
#     cdtop --snapshot --duration 2 exits 0 within 5 s, and
#     profile.status (or errors[]) says the process is stopped; every
#     thread is still in state T afterwards (not t, not running), with no
#     tracer. --stacks on it returns within 5 s (exit 0), says the threads
#     are stopped, and leaves them in T. After SIGCONT the target runs.
#  2. Stopped while being sampled: during a --duration 3 -F 1000 run on
#     prof_many, the test sends SIGSTOP/SIGCONT 10 times (100 ms apart)
#     and ends with SIGSTOP: cdtop exits 0, the target is left in T
#     (every thread), untraced; SIGCONT makes it run again.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
need_cmd jq

wait_all_stopped() {
	local pid=$1 i
	for i in $(seq 1 100); do
		threads_all_stopped "$pid" && return 0
		sleep 0.02
	done
	fail "threads of $pid not all in state T 2 s after SIGSTOP: $(thread_report "$pid")"
}

# --- 1: stopped before cdtop comes ------------------------------------------
start_target prof_hot_fp
pid=$TARGET_PID
kill -STOP "$pid"
wait_all_stopped "$pid"
ok "target $pid stopped: $(thread_report "$pid")"

CDTOP_TIMEOUT=15 run_cdtop -p "$pid" --snapshot "$TMPD/stopped.json" --duration 2
expect_rc 0 "--snapshot --duration 2 of a stopped process"
soft assert_cmp "run time (s)" "$ELAPSED" '<' 5
say "profile: $(jq -c '.profile | if . == null then null else {status, samples_total, stops, pause_us_p50, pause_us_max} end' "$TMPD/stopped.json"); errors: $(jq -c .errors "$TMPD/stopped.json" | head -c 600)"
soft jq_true "$TMPD/stopped.json" '[(.profile.status // ""), (.errors[]?.message // "")] | map(test("stopped"; "i")) | any' \
	"profile.status or errors[] says the process is stopped"
soft jq_true "$TMPD/stopped.json" '.process.state == "T" or .process.state == "t"' \
	"process.state is T ($(jq -r .process.state "$TMPD/stopped.json"))"
check_pause "$TMPD/stopped.json"
if threads_all_stopped "$pid" && threads_clean_tracer "$pid"; then
	ok "after --snapshot: every thread still in T, untraced: $(thread_report "$pid")"
else
	soft fail "after --snapshot: expected every thread in T and untraced, got $(thread_report "$pid")"
fi

CDTOP_TIMEOUT=15 run_cdtop -p "$pid" --stacks
expect_rc 0 "--stacks of a stopped process"
soft assert_cmp "--stacks run time (s)" "$ELAPSED" '<' 5
sed 's/^/    /' "$OUT" | head -10
if grep -qi stopped "$OUT"; then ok "--stacks says the threads are stopped"; else soft fail "--stacks output does not say 'stopped': $(head -c 500 "$OUT")"; fi
if threads_all_stopped "$pid" && threads_clean_tracer "$pid"; then
	ok "after --stacks: every thread still in T, untraced"
else
	soft fail "after --stacks: expected every thread in T and untraced, got $(thread_report "$pid")"
fi
kill -CONT "$pid"
assert_not_stopped "$pid" "after SIGCONT" 500
assert_progress "$pid" "after SIGCONT"
stop_pid "$pid"

# --- 2: stopped and continued while sampled ---------------------------------
start_target prof_many
pid=$TARGET_PID
"$CDTOP" -p "$pid" --snapshot "$TMPD/toggle.json" --duration 3 -F 1000 </dev/null >"$TMPD/toggle.out" 2>"$TMPD/toggle.err" &
cpid=$!
on_exit "kill -KILL $cpid"
sleep 0.5
for i in 1 2 3 4 5 6 7 8 9 10; do
	kill -STOP "$pid"
	sleep 0.05
	kill -CONT "$pid"
	sleep 0.05
done
kill -STOP "$pid"
set +e
wait "$cpid"
crc=$?
set -e
RC=$crc ERR=$TMPD/toggle.err expect_rc 0 "--duration 3 -F 1000 while the target is stopped and continued 10 times"
say "profile: $(jq -c '.profile | {status, samples_total, stops, frequency_hz, pause_us_p50, pause_us_max}' "$TMPD/toggle.json")"
check_pause "$TMPD/toggle.json"
sleep 0.2
if threads_all_stopped "$pid" && threads_clean_tracer "$pid"; then
	ok "stopped during the window: every thread still in T, untraced ($(thread_report "$pid" | wc -w) threads)"
else
	soft fail "stopped during the window: expected every thread in T and untraced, got $(thread_report "$pid")"
fi
kill -CONT "$pid"
assert_not_stopped "$pid" "after the final SIGCONT" 500
assert_progress "$pid" "after the final SIGCONT"
soft_done
say "PASS: stopped targets are left stopped (before and during sampling) and resume on SIGCONT"

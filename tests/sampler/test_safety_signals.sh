#!/bin/bash
# test_safety_signals: signals are delivered exactly once while sampled.
# prof_signals counts SIGRTMIN in a handler (RT signals are queued: none
# may be lost or merged) and SIGUSR1 in a sigwaitinfo thread. While cdtop
# samples it with --snapshot --duration 3 -F 1000, prof_sigsend sends 500
# SIGRTMIN (half to the whole process, half to a spinning thread, the one
# most often interrupted) and 500 SIGUSR1, one of each every 2 ms.
# Expected: the target counts exactly 500 SIGRTMIN, and between 1 and 500
# SIGUSR1 (standard signals may merge, but never multiply); cdtop exits
# 0; the target is left running, untraced. A control run of the same
# sender without cdtop must count exactly 500 too.
# So that threads are interrupted often whatever rate the snapshot run
# really achieves, `cdtop --stacks` (which stops every thread once) runs
# in a loop while the signals are sent; the number of stops is printed.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
need_cmd jq
N=500

# counts PID OUTFILE WANT: wait (up to 3 s) until rt reaches WANT, print "rt usr1".
counts() {
	local out=$2 want=$3 i l rt usr1
	for i in $(seq 1 60); do
		l=$(grep '^count ' "$out" | tail -1)
		rt=$(kv "$l" rt)
		usr1=$(kv "$l" usr1)
		[ "$rt" -ge "$want" ] && break
		sleep 0.05
	done
	sleep 0.2   # a few more ticks: catch duplicates arriving late
	l=$(grep '^count ' "$out" | tail -1)
	echo "$(kv "$l" rt) $(kv "$l" usr1)"
}

# --- control: no cdtop ------------------------------------------------------
start_target prof_signals
sleep 0.1
spin=$(kv "$(target_line spinner_tid=)" spinner_tid)
"$TARGETS/prof_sigsend" "$TARGET_PID" "$N" 2000 "$spin" >"$TMPD/send0.out" 2>&1 || fail "prof_sigsend failed: $(cat "$TMPD/send0.out")"
read -r rt usr1 <<<"$(counts "$TARGET_PID" "$TARGET_OUT" "$N")"
say "control run without cdtop: $(cat "$TMPD/send0.out"); received rt=$rt usr1=$usr1"
assert_eq "control: SIGRTMIN received without cdtop" "$rt" "$N"
stop_pid "$TARGET_PID"

# --- under sampling ---------------------------------------------------------
restart_target prof_signals
pid=$TARGET_PID
spin=$(kv "$(target_line spinner_tid=)" spinner_tid)
"$CDTOP" -p "$pid" --snapshot "$TMPD/sig.json" --duration 3 -F 1000 </dev/null >"$TMPD/cdtop.out" 2>"$TMPD/cdtop.err" &
cpid=$!
on_exit "kill -KILL $cpid"
sleep 0.3
"$TARGETS/prof_sigsend" "$pid" "$N" 2000 "$spin" >"$TMPD/send.out" 2>&1 &
sender=$!
on_exit "kill -KILL $sender"
nstacks=0
nbad=0
while kill -0 "$sender" 2>/dev/null; do
	"$CDTOP" -p "$pid" --stacks </dev/null >"$TMPD/stacks.out" 2>&1 || nbad=$((nbad + 1))
	nstacks=$((nstacks + 1))
done
wait "$sender" || fail "prof_sigsend failed: $(cat "$TMPD/send.out"); target: $(thread_report "$pid"); target output: $(tail -3 "$TARGET_OUT" | tr "\n" " ") $(cat "${TARGET_OUT%.out}.err")"
say "sender: $(cat "$TMPD/send.out"); meanwhile $nstacks runs of cdtop --stacks ($nbad failed), each stopping every thread once"
soft assert_eq "failed --stacks runs" "$nbad" 0
soft assert_cmp "--stacks runs while the signals were sent" "$nstacks" '>=' 2
set +e
wait "$cpid"
crc=$?
set -e
RC=$crc ERR=$TMPD/cdtop.err expect_rc 0 "cdtop --duration 3 -F 1000 during the signals"
read -r rt usr1 <<<"$(counts "$pid" "$TARGET_OUT" "$N")"
say "received under sampling: rt=$rt usr1=$usr1 (sent $N of each)"
say "profile: $(jq -c '.profile | {status, samples_total, stops, frequency_hz, requested_hz}' "$TMPD/sig.json")"
soft assert_eq "SIGRTMIN received exactly once each" "$rt" "$N"
soft assert_cmp "SIGUSR1 received (never more than sent)" "$usr1" '<=' "$N"
soft assert_cmp "SIGUSR1 received (some)" "$usr1" '>' 0
soft assert_cmp "target threads stopped by cdtop during the signals (stops)" "$(jq_num "$TMPD/sig.json" .profile.stops)" '>' 0
check_pause "$TMPD/sig.json"
assert_not_stopped "$pid" "after sampling"
assert_progress "$pid" "after sampling"
soft_done
say "PASS: $rt/$N SIGRTMIN and $usr1/$N SIGUSR1 received under sampling at -F 1000"

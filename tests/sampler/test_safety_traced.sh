#!/bin/bash
# test_safety_traced: a process already traced by another debugger.
# prof_seizer (a minimal debugger) PTRACE_SEIZEs prof_hot_fp's main
# thread and keeps it traced (running). Then:
#  - cdtop --stacks exits 4 with one stderr line containing
#    "already traced by pid <seizer pid>";
#  - cdtop --snapshot --duration 1 exits 0 with profile null and an
#    errors[] entry mentioning "traced" (the rest of the snapshot is
#    still there);
#  - the target keeps running meanwhile (the debugger still owns it);
#  - once the debugger is killed, no thread is stopped or traced and the
#    target makes progress.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
need_cmd jq

start_target prof_hot_fp
pid=$TARGET_PID
start_bg seizer "$TARGETS/prof_seizer" "$pid"
spid=$BG_PID
wait_ready "$spid" "$BG_OUT"
say "prof_seizer (pid $spid) traces $pid: $(thread_report "$pid")"
assert_eq "TracerPid of $pid" "$(awk '/^TracerPid:/ { print $2 }' /proc/"$pid"/status)" "$spid"

run_cdtop -p "$pid" --stacks
say "--stacks: exit $RC, stderr: $(cat "$ERR")"
expect_rc 4 "--stacks on a traced process"
soft expect_one_line_stderr "--stacks on a traced process"
if grep -q "already traced by pid $spid" "$ERR"; then
	ok "--stacks names the tracer: already traced by pid $spid"
else
	soft fail "--stacks stderr does not contain 'already traced by pid $spid': $(cat "$ERR")"
fi

take_snapshot "$pid" "$TMPD/traced.json" 1
say "profile: $(jq -c .profile "$TMPD/traced.json" | head -c 300); errors: $(jq -c .errors "$TMPD/traced.json")"
soft jq_true "$TMPD/traced.json" '.profile == null' "profile is null"
soft jq_true "$TMPD/traced.json" '[.errors[].message | test("traced")] | any' "an errors[] entry mentions 'traced'"
soft jq_true "$TMPD/traced.json" "[.errors[].message | test(\"$spid\")] | any" "an errors[] entry names the tracer pid $spid"
soft jq_true "$TMPD/traced.json" '(.process.cpu.user_pct | type) == "number" and (.threads | length) == 2' "the /proc figures are still there (user CPU $(jq -r .process.cpu.user_pct "$TMPD/traced.json")%, 2 threads)"
soft assert_eq "TracerPid of $pid after cdtop (still the debugger)" "$(awk '/^TracerPid:/ { print $2 }' /proc/"$pid"/status)" "$spid"
assert_progress "$pid" "while traced by the debugger"

stop_pid "$spid"
assert_not_stopped "$pid" "after the debugger was killed"
assert_progress "$pid" "after the debugger was killed"
soft_done
say "PASS: traced by $spid: --stacks exit 4 naming it, snapshot profile null with a 'traced' error"

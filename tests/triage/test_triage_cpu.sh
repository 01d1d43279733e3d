#!/bin/bash
# test_triage_cpu: the incident write-ups' CPU-bound case. cpu_burn spins
# in burn_cpu, all user time. Over 6 s the checklist must name burn_cpu as
# the hot function (flat% of the on-CPU samples) and say the CPU is user
# time: hot-function alert (it dominates and the process is busy);
# cpu-user at the level its own figure calls for (>= 90% alert, >= 50%
# warn: the machine is shared, so the level follows the measured figure);
# cpu-sys ok. With --fail-on alert the snapshot is still written and cdtop
# exits 11 naming hot-function; the text report's first item is the hot
# function.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target cpu_burn
snap=$TMPD/cpu.json
CPU_MARK0=$(cpu_mark "$TARGET_PID")
run_cdtop -p "$TARGET_PID" --snapshot "$snap" --duration 6 --fail-on alert
CPU_MARK1=$(cpu_mark "$TARGET_PID")
expect_rc 11 "--fail-on alert with a hot function"
grep -q "^cdtop: checklist alert: .*hot-function.* (--fail-on alert)$" "$ERR" ||
	fail "stderr does not name the alert items: $(cat "$ERR")"
ok "stderr: $(cat "$ERR")"
check_snapshot_common "$snap" "$TARGET_PID" 6
read -r truth _ <<<"$(cpu_truth "$CPU_MARK0" "$CPU_MARK1")"
user=$(jq_num "$snap" .process.cpu.user_pct)
say "user CPU: cdtop $user%, /proc truth $truth%"
assert_cmp "target got at least 20% of a CPU, the busy bar of hot-function (busy machine?)" "$truth" '>=' 20

expect_item "$snap" hot-function alert "burn_cpu (cpu_burn) in" "on-CPU samples (flat)"
if fcmp "$user" '>=' 90; then want=alert; elif fcmp "$user" '>=' 50; then want=warn; else want=ok; fi
expect_item "$snap" cpu-user "$want" "user " "% of one CPU over 6 s"
expect_item "$snap" cpu-sys ok
jq_true "$snap" '.checklist[] | select(.id == "hot-function") | .pane == "funcs" and (.next_step | test("flat%"))' \
	"hot-function points at the funcs pane"

txt=$TMPD/cpu.txt
run_cdtop -p "$TARGET_PID" --snapshot "$txt" --duration 3
expect_rc 0 "text snapshot without --fail-on (exit status unchanged)"
first=$(grep -m1 -E '^  (ALERT|WARN) ' "$txt" || true)
say "first summary item: $first"
case $first in
"  ALERT  One function dominates the CPU samples: burn_cpu"*) ok "the summary ranks the hot function first" ;;
*) fail "first summary item is not the hot function: $(sed -n 1,20p "$txt")" ;;
esac
say "PASS"

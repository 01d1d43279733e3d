#!/bin/bash
# test_prof_rate: cdtop samples at the rate it reports.
# profile.frequency_hz is the rate cdtop says it used (-F, possibly
# lowered to keep stops under 1% of the target's thread time). The rate
# really achieved is rounds per second = samples_total / threads /
# duration_s (every live thread is counted once per round, stopped or
# from its cached stack). Checked on prof_many (20 threads), --duration 2:
#  - with -F 1000: achieved rate >= 30% of the reported frequency_hz;
#  - asking for more never gives (much) fewer: samples_total with
#    -F 1000 >= 80% of samples_total with -F 10;
# and on prof_hot_fp (2 threads) with -F 200: achieved >= 30% of reported.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
need_cmd jq

# achieved FILE: rounds per second actually done.
achieved() {
	jq -r '.profile as $p | ([$p.stacks[].tid] | unique | length) as $n
		| if $n == 0 or $p.duration_s == 0 then 0 else ($p.samples_total / $n / $p.duration_s * 10 | round / 10) end' "$1"
}
report() {
	say "$1: $(jq -c '.profile | {requested_hz, frequency_hz, samples_total, stops, duration_s, status, pause_us_p50, pause_us_max}' "$2"), threads $(jq '[.profile.stacks[].tid] | unique | length' "$2"), achieved $(achieved "$2") rounds/s"
}

start_target prof_many
pid=$TARGET_PID
run_cdtop -p "$pid" --snapshot "$TMPD/f1000.json" --duration 2 -F 1000
expect_rc 0 "prof_many -F 1000"
report "prof_many -F 1000" "$TMPD/f1000.json"
run_cdtop -p "$pid" --snapshot "$TMPD/f10.json" --duration 2 -F 10
expect_rc 0 "prof_many -F 10"
report "prof_many -F 10" "$TMPD/f10.json"
check_pause "$TMPD/f1000.json"
check_pause "$TMPD/f10.json"
soft assert_cmp "prof_many -F 1000: achieved rounds/s >= 30% of reported frequency_hz $(jq -r .profile.frequency_hz "$TMPD/f1000.json")" \
	"$(achieved "$TMPD/f1000.json")" '>=' "$(calc "0.3 * $(jq_num "$TMPD/f1000.json" .profile.frequency_hz)")"
soft assert_cmp "prof_many: samples_total with -F 1000 >= 80% of those with -F 10 ($(jq -r .profile.samples_total "$TMPD/f10.json"))" \
	"$(jq_num "$TMPD/f1000.json" .profile.samples_total)" '>=' "$(calc "0.8 * $(jq_num "$TMPD/f10.json" .profile.samples_total)")"
stop_pid "$pid"

start_target prof_hot_fp
pid=$TARGET_PID
run_cdtop -p "$pid" --snapshot "$TMPD/hot200.json" --duration 2 -F 200
expect_rc 0 "prof_hot_fp -F 200"
report "prof_hot_fp -F 200" "$TMPD/hot200.json"
check_pause "$TMPD/hot200.json"
soft assert_cmp "prof_hot_fp -F 200: achieved rounds/s >= 30% of reported frequency_hz $(jq -r .profile.frequency_hz "$TMPD/hot200.json")" \
	"$(achieved "$TMPD/hot200.json")" '>=' "$(calc "0.3 * $(jq_num "$TMPD/hot200.json" .profile.frequency_hz)")"
assert_not_stopped "$pid" "after the runs"
soft_done
say "PASS: achieved rates match the reported ones"

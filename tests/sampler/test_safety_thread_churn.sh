#!/bin/bash
# test_safety_thread_churn: threads created and exiting at a high rate
# while sampled. prof_churn creates (and joins) thousands of threads per
# second from two creator threads; cdtop --snapshot --duration 3 -F 200
# must exit 0 with samples > 0, and leave the target alive, untraced,
# not stopped, still creating threads at a similar rate. Prints the
# creation rate before and during the window.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
need_cmd jq

created() { grep '^created ' "$TARGET_OUT" | tail -1 | awk '{ print $2 }'; }

start_target prof_churn
pid=$TARGET_PID
sleep 0.5
c0=$(created)
sleep 1
c1=$(created)
rate_before=$((c1 - c0))
say "threads created per second before sampling: $rate_before"
soft assert_cmp "threads created per second (the test needs thousands)" "$rate_before" '>=' 1000

c2=$(created)
take_snapshot "$pid" "$TMPD/churn.json" 3 -F 200
c3=$(created)
rate_during=$(calc "int(($c3 - $c2) / $ELAPSED)")
say "threads created per second during sampling: $rate_during"
say "profile: $(jq -c '.profile | {status, samples, samples_total, stops, frequency_hz, requested_hz, pause_us_p50, pause_us_max}' "$TMPD/churn.json"); errors: $(jq -c .errors "$TMPD/churn.json" | head -c 400)"
soft assert_cmp "profile.samples_total" "$(jq_num "$TMPD/churn.json" .profile.samples_total)" '>' 0
soft assert_cmp "distinct thread ids in profile.stacks" "$(jq '[.profile.stacks[].tid] | unique | length' "$TMPD/churn.json")" '>' 0
check_pause "$TMPD/churn.json"
kill -0 "$pid" 2>/dev/null || fail "target $pid died"
ok "target $pid is alive"
assert_not_stopped "$pid" "after sampling"
c4=$(created)
sleep 1
c5=$(created)
soft assert_cmp "threads created in the second after sampling" "$((c5 - c4))" '>=' "$(calc "int($rate_before / 4)")"
assert_progress "$pid" "after sampling"
soft_done
say "PASS: $rate_before threads/s before, $rate_during during sampling; $(jq -r .profile.samples_total "$TMPD/churn.json") samples"

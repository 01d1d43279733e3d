#!/bin/bash
# test_contention: tests/targets/lock_contend runs 8 threads that take
# the global mutex hot_lock in turn, all the time (about 200 us inside
# it). Busy but healthy: every thread makes progress. The snapshot must
# report no deadlock at all, and hot_lock first in `locks`, named, a
# mutex, contended, with many waiters over the polls (waiters_history)
# that are all hot-N threads waiting in update_ledger, its owner (when
# recorded) one of them too.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/locks/lib.sh
source "$(dirname "$0")/lib.sh"
need_cmd jq

start_target lock_contend
read_ids
hot=$(for i in 1 2 3 4 5 6 7 8; do printf '%s,' "${TID[hot-$i]}"; done)
hot="[${hot%,}]"
f=$TMPD/s.json
take_snapshot "$TARGET_PID" "$f" 3
show_locks "$f"

assert_eq "deadlocks" "$(jq -c '.deadlocks' "$f")" '[]'
assert_eq "locks[0].symbol" "$(jq -r '.locks[0].symbol' "$f")" hot_lock
assert_eq "locks[0].address" "$(jq -r '.locks[0].address' "$f")" "${ADDR[hot_lock]}"
assert_eq "locks[0].kind" "$(jq -r '.locks[0].kind' "$f")" mutex
assert_eq "locks[0].contended" "$(jq -r '.locks[0].contended' "$f")" true
assert_eq "locks[0].in_deadlock" "$(jq -r '.locks[0].in_deadlock' "$f")" false
npolls=$(jq '.locks[0].waiters_history | length' "$f")
assert_cmp "polls in waiters_history" "$npolls" '>=' 3
peak=$(jq '.locks[0].waiters_history | max' "$f")
assert_cmp "most waiters at one poll" "$peak" '>=' 3
many=$(jq '[.locks[0].waiters_history[] | select(. >= 3)] | length' "$f")
assert_cmp "polls with 3 or more waiters (of $npolls)" "$many" '>=' 2
now=$(jq '.locks[0].waiters | length' "$f")
assert_cmp "waiters now" "$now" '>=' 1
jq_check "every waiter is a hot-N thread" "$f" --argjson h "$hot" '[.locks[0].waiters[] | . as $w | $h | index($w) != null] | all'
jq_check "owner is null or a hot-N thread" "$f" --argjson h "$hot" '.locks[0].owner_tid as $o | $o == null or ($h | index($o) != null)'
fns=$(jq -r '[.locks[0].waiter_details[].function] | unique | join(",")' "$f")
say "waiting functions: $fns"
case ",$fns," in *,update_ledger,*) ok "waiters wait in update_ledger" ;; *) fail "no waiter in update_ledger: $fns" ;; esac
jq_check "no hot-N thread is counted as stalled for long" "$f" --argjson h "$hot" \
	'[.threads[] | select(.tid as $t | $h | index($t) != null) | .stalled_polls] | max < 3'
say "PASS: hot_lock first and contended (history $(jq -c '.locks[0].waiters_history' "$f")), no deadlock"

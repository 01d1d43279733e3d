#!/bin/bash
# test_deadlock_cycle3: tests/targets/lock_deadlock cycle3: threads c1,
# c2, c3 each hold ring_i and wait for ring_(i+1). One deadlock of the
# three threads on the three mutexes, named, as a cycle.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/locks/lib.sh
source "$(dirname "$0")/lib.sh"
need_cmd jq

start_target lock_deadlock cycle3
read_ids
f=$TMPD/s.json
take_snapshot "$TARGET_PID" "$f" 3
show_locks "$f"
check_deadlock "$f" "${TID[c1]} ${TID[c2]} ${TID[c3]}" "ring_1 ring_2 ring_3"
assert_eq "ring_1 owner" "$(lock_get "$f" ring_1 .owner_tid)" "${TID[c1]}"
assert_eq "ring_1 waiter" "$(lock_get "$f" ring_1 '.waiters | tostring')" "[${TID[c3]}]"
assert_eq "deadlock kinds" "$(jq -c '.deadlocks[0].kinds' "$f")" '["mutex","mutex","mutex"]'
say "PASS: one three-thread deadlock on ring_1..3"

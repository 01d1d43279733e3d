#!/bin/bash
# test_deadlock_self: tests/targets/lock_deadlock self: thread "self"
# locks the non-recursive mutex self_lock twice. One deadlock of one
# thread waiting for itself; the lock's owner is the waiter.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/locks/lib.sh
source "$(dirname "$0")/lib.sh"
need_cmd jq

start_target lock_deadlock self
read_ids
f=$TMPD/s.json
take_snapshot "$TARGET_PID" "$f" 3
show_locks "$f"
check_deadlock "$f" "${TID[self]}" "self_lock"
assert_eq "self_lock owner" "$(lock_get "$f" self_lock .owner_tid)" "${TID[self]}"
assert_eq "self_lock waiters" "$(lock_get "$f" self_lock '.waiters | tostring')" "[${TID[self]}]"
assert_eq "waiting function" "$(lock_get "$f" self_lock '.waiter_details[0].function')" relock_twice
run_cdtop -p "$TARGET_PID" --snapshot - --duration 1 --format text
expect_rc 0 "text report"
grep -q "thread ${TID[self]} (self) in relock_twice waits for mutex self_lock ${ADDR[self_lock]} held by itself" "$OUT" ||
	fail "the text report does not show the self-deadlock: $(grep -A3 DEADLOCK "$OUT")"
ok "text report: self waits for self_lock held by itself"
say "PASS: self-deadlock on self_lock"

#!/bin/bash
# test_triage_deadlock: deadlock_abba's two threads take accounts_lock and
# audit_lock in opposite orders and deadlock at once. The deadlock item
# must alert, naming both threads (tids printed by the target) and both
# locks by their variable names; the two locks stuck in the cycle are not
# reported again as contention. Needs the lock analysis (src/locks.c):
# until it is in the build, deadlocks is null and the test is skipped
# with that reason.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target deadlock_abba
tids=$(target_line "tids ")
T1=$(kv "$tids" transfer)
T2=$(kv "$tids" auditor)
snap=$TMPD/dl.json
take_snapshot "$TARGET_PID" "$snap" 3
if [ "$(jq -r '.deadlocks | type' "$snap")" = null ]; then
	expect_item "$snap" deadlock unknown "lock analysis not available"
	skip "this cdtop has no lock analysis (src/locks.c not built: deadlocks is null)"
fi
expect_item "$snap" deadlock alert "$T1" "$T2" "accounts_lock" "audit_lock"
jq_true "$snap" '.checklist[] | select(.id == "deadlock") | .pane == "locks"' "deadlock points at the locks pane"
expect_item "$snap" lock-contention "ok|warn"
say "PASS"

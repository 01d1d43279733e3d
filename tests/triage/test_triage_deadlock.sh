#!/bin/bash
# test_triage_deadlock: deadlock_abba's two threads take accounts_lock and
# audit_lock in opposite orders and deadlock at once. The deadlock item
# must alert, naming both threads (tids printed by the target) and both
# locks by their variable names; the two locks stuck in the cycle are not
# reported again as contention.
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
expect_item "$snap" deadlock alert "thread $T1 in transfer waits for audit_lock held by $T2" \
	"thread $T2 in audit waits for accounts_lock held by $T1"
jq_true "$snap" '.checklist[] | select(.id == "deadlock") | .pane == "locks"' "deadlock points at the locks pane"
expect_item "$snap" lock-contention ok "outside a deadlock"
say "PASS"

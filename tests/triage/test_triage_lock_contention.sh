#!/bin/bash
# test_triage_lock_contention: lock_contention's 8 workers take stats_lock
# and hold it 20 ms each time (IO-like work under the lock), so about 7
# wait at any moment. The lock-contention item must alert, naming
# stats_lock (the variable), its waiter count and its owner; the
# blocked-same-place item names update_stats (its level depends on how
# the wall samples fall between the lock wait and the 20 ms sleep under
# the lock).
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target lock_contention
snap=$TMPD/lc.json
take_snapshot "$TARGET_PID" "$snap" 6
expect_item "$snap" blocked-same-place "ok|warn|alert" "update_stats"
expect_item "$snap" lock-contention alert "stats_lock (mutex at 0x" "waiters" "held by thread" \
	"in update_stats" "contended across polls"
expect_item "$snap" deadlock ok
say "PASS"

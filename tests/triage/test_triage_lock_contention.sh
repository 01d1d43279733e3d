#!/bin/bash
# test_triage_lock_contention: lock_contention's 8 workers take stats_lock
# and hold it 20 ms each time (IO-like work under the lock), so about 7
# wait at any moment. The lock-contention item must alert, naming
# stats_lock (the variable), its waiter count and its owner; the
# blocked-same-place item names update_stats. Needs the lock analysis
# (src/locks.c): until it is in the build, locks is null and the test is
# skipped with that reason.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target lock_contention
snap=$TMPD/lc.json
take_snapshot "$TARGET_PID" "$snap" 6
expect_item "$snap" blocked-same-place "ok|warn|alert" "update_stats"
if [ "$(jq -r '.locks | type' "$snap")" = null ]; then
	expect_item "$snap" lock-contention unknown "lock analysis not available"
	skip "this cdtop has no lock analysis (src/locks.c not built: locks is null)"
fi
expect_item "$snap" lock-contention alert "stats_lock" "waiters" "held by thread"
expect_item "$snap" deadlock ok
say "PASS"

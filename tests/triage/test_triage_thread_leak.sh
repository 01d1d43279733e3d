#!/bin/bash
# test_triage_thread_leak: thread_leak starts a worker every 200 ms that
# blocks forever in pthread_mutex_lock (post_ledger) on a mutex main never
# releases. Over 6 s: threads-growth alert (the fitted rise of the thread
# count >= 20 and >= 50% of the start) with CPU low; blocked-same-place
# alert naming post_ledger and the lock wait (most thread samples of the
# wall profile wait there) -- the leak site.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target thread_leak
snap=$TMPD/tl.json
take_snapshot "$TARGET_PID" "$snap" 6
say "threads history: $(jq -c '[.history[].threads]' "$snap")"
expect_item "$snap" threads-growth alert "threads " "over 6 s" "CPU "
expect_item "$snap" blocked-same-place alert "waited in post_ledger" "pthread_mutex_lock" "they wait for a lock"
expect_item "$snap" cpu-user ok
say "PASS"

#!/bin/bash
# test_dstate: tests/targets/lock_dstate: thread "vforker" holds the
# global mutex io_lock and sits in D (a vfork parent waiting for its
# child); "io-waiter" waits for io_lock. The D thread must not be taken
# for a lock wait: it is in no lock's waiters, its `lock` and `futex` are
# null; it shows as io_lock's owner in state D; no deadlock.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/locks/lib.sh
source "$(dirname "$0")/lib.sh"
need_cmd jq

start_target lock_dstate
read_ids
v=${TID[vforker]}
f=$TMPD/s.json
take_snapshot "$TARGET_PID" "$f" 3
show_locks "$f"
say "vforker: $(jq -c --argjson t "$v" '.threads[] | select(.tid == $t)' "$f" | head -c 400)"
assert_eq "vforker state" "$(thread_get "$f" "$v" .state)" D
assert_eq "vforker lock" "$(thread_get "$f" "$v" .lock)" null
assert_eq "vforker futex" "$(thread_get "$f" "$v" .futex)" null
jq_check "vforker waits on no lock" "$f" --argjson t "$v" '[.locks[].waiters[] | select(. == $t)] | length == 0'
assert_eq "deadlocks" "$(jq -c '.deadlocks' "$f")" '[]'
assert_eq "io_lock owner" "$(lock_get "$f" io_lock .owner_tid)" "$v"
assert_eq "io_lock owner state" "$(lock_get "$f" io_lock .owner_state)" D
assert_eq "io_lock waiters" "$(lock_get "$f" io_lock '.waiters | tostring')" "[${TID[io-waiter]}]"
say "PASS: the D thread owns io_lock and waits on no lock"

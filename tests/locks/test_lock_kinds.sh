#!/bin/bash
# test_lock_kinds: tests/targets/lock_kinds sets up one wait of each
# kind on named globals; each is decoded as such:
#   - table_lock: rwlock, held by readers (readers >= 1, no owner), the
#     writer waiting to write all along (writer starvation);
#   - queue_cond: condvar, two consumers waiting, no owner;
#   - _IO_stdfile_1_lock (stdout's FILE lock, inside libc): internal,
#     the printer waiting in print_status, owner unknown;
#   - pi_lock: pi_mutex, owner pi-owner (from the futex word);
#   - slots: semaphore, sem-waiter waiting in wait_slot;
#   - tick_cond: condvar with timed-poller, whose timed wait begins 1.5 s
#     after ready, while cdtop watches: the stack sample that interrupts
#     it makes it go on as restart_syscall, and it must still read as a
#     futex wait on tick_cond;
#   - futex_waitv on waitv_a and waitv_b: thread waitv's futex is the
#     first word (op -1), named, an "unknown" lock.
# No deadlock; nothing here is a lock edge that forms a cycle.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/locks/lib.sh
source "$(dirname "$0")/lib.sh"
need_cmd jq

start_target lock_kinds
read_ids
f=$TMPD/s.json
take_snapshot "$TARGET_PID" "$f" 3
show_locks "$f"
assert_eq "deadlocks" "$(jq -c '.deadlocks' "$f")" '[]'

# rwlock writer starvation
assert_eq "table_lock kind" "$(lock_get "$f" table_lock .kind)" rwlock
assert_eq "table_lock address" "$(lock_get "$f" table_lock .address)" "${ADDR[table_lock]}"
assert_eq "table_lock owner (readers record none)" "$(lock_get "$f" table_lock .owner_tid)" null
assert_cmp "table_lock readers" "$(lock_get "$f" table_lock .readers)" '>=' 1
assert_eq "table_lock waiters" "$(lock_get "$f" table_lock '.waiters | tostring')" "[${TID[writer]}]"
assert_eq "writer mode" "$(lock_get "$f" table_lock '.waiter_details[0].mode')" write
assert_eq "writer function" "$(lock_get "$f" table_lock '.waiter_details[0].function')" update_table
assert_cmp "writer waited" "$(lock_get "$f" table_lock '.waiter_details[0].wait_s')" '>=' 1.5
assert_eq "writer thread lock" "$(thread_get "$f" "${TID[writer]}" .lock)" "${ADDR[table_lock]}"

# condvar
assert_eq "queue_cond kind" "$(lock_get "$f" queue_cond .kind)" condvar
assert_eq "queue_cond address" "$(lock_get "$f" queue_cond .address)" "${ADDR[queue_cond]}"
assert_eq "queue_cond owner" "$(lock_get "$f" queue_cond .owner_tid)" null
assert_eq "queue_cond waiters" "$(lock_get "$f" queue_cond '.waiters | sort | tostring')" \
	"$(printf '%s\n' "${TID[consumer-1]}" "${TID[consumer-2]}" | jq -sc sort)"
assert_eq "consumer function" "$(lock_get "$f" queue_cond '[.waiter_details[].function] | unique | tostring')" '["take_job"]'
assert_eq "queue_cond in_deadlock" "$(lock_get "$f" queue_cond .in_deadlock)" false

# glibc-internal lock (stdout)
assert_eq "stdout lock kind" "$(lock_get "$f" _IO_stdfile_1_lock .kind)" internal
assert_eq "stdout lock owner" "$(lock_get "$f" _IO_stdfile_1_lock .owner_tid)" null
assert_eq "stdout lock waiters" "$(lock_get "$f" _IO_stdfile_1_lock '.waiters | tostring')" "[${TID[printer]}]"
assert_eq "printer function" "$(lock_get "$f" _IO_stdfile_1_lock '.waiter_details[0].function')" print_status

# PI mutex
assert_eq "pi_lock kind" "$(lock_get "$f" pi_lock .kind)" pi_mutex
assert_eq "pi_lock owner" "$(lock_get "$f" pi_lock .owner_tid)" "${TID[pi-owner]}"
assert_eq "pi_lock owner function" "$(lock_get "$f" pi_lock .owner_function)" hold_pi
assert_eq "pi_lock waiters" "$(lock_get "$f" pi_lock '.waiters | tostring')" "[${TID[pi-waiter]}]"
assert_eq "pi-waiter futex op (FUTEX_LOCK_PI)" "$(thread_get "$f" "${TID[pi-waiter]}" .futex.op)" 6

# semaphore
assert_eq "slots kind" "$(lock_get "$f" slots .kind)" semaphore
assert_eq "slots waiters" "$(lock_get "$f" slots '.waiters | tostring')" "[${TID[sem-waiter]}]"

# Timed condvar waits (restart_syscall after a stack sample)
say "timed-poller: $(jq -c --argjson t "${TID[timed-poller]}" '.threads[] | select(.tid == $t) | del(.stack)' "$f")"
assert_eq "timed-poller syscall" "$(thread_get "$f" "${TID[timed-poller]}" .syscall)" futex
assert_eq "tick_cond kind" "$(lock_get "$f" tick_cond .kind)" condvar
assert_eq "tick_cond address" "$(lock_get "$f" tick_cond .address)" "${ADDR[tick_cond]}"
assert_eq "tick_cond waiters" "$(lock_get "$f" tick_cond '.waiters | tostring')" "[${TID[timed-poller]}]"

# futex_waitv
w=${TID[waitv]}
assert_eq "waitv syscall" "$(thread_get "$f" "$w" .syscall)" futex_waitv
assert_eq "waitv futex.op" "$(thread_get "$f" "$w" .futex.op)" -1
assert_eq "waitv futex.addr" "$(thread_get "$f" "$w" .futex.addr)" "${ADDR[waitv_a]}"
assert_eq "waitv syscall_arg" "$(thread_get "$f" "$w" .syscall_arg)" "futex_waitv 2 futexes, first ${ADDR[waitv_a]} (waitv_a)"
assert_eq "waitv_a kind" "$(lock_get "$f" waitv_a .kind)" unknown
assert_eq "waitv_a waiters" "$(lock_get "$f" waitv_a '.waiters | tostring')" "[$w]"

# Locks with holders before event waits.
jq_check "locks (mutex, rwlock, pi, internal) come before condvar/semaphore/join" "$f" \
	'[.locks[] | .kind | IN("condvar", "semaphore", "join")] as $e | $e == ($e | sort)'
say "PASS: rwlock, condvar, internal, pi_mutex and semaphore decoded"

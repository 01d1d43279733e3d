#!/bin/bash
# test_deadlock_abba: tests/targets/lock_deadlock abba deadlocks two
# threads on two global mutexes (ab holds lock_a and waits for lock_b, ba
# the reverse). A 3 s snapshot (stacks sampled) must report exactly one
# deadlock with both tids and both lock addresses with their variable
# names, as a cycle; the two mutexes first in `locks`, in_deadlock, each
# owned by the other thread; each thread's `lock` is the mutex it waits
# for and its syscall_arg names it; the waiting function is the target's
# lock_pair. The main thread's pthread_join is a wait too, not part of
# the cycle. The text report shows the deadlock above everything else.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/locks/lib.sh
source "$(dirname "$0")/lib.sh"
need_cmd jq

start_target lock_deadlock abba
read_ids
f=$TMPD/s.json
take_snapshot "$TARGET_PID" "$f" 3
show_locks "$f"
check_deadlock "$f" "${TID[ab]} ${TID[ba]}" "lock_a lock_b"

assert_eq "lock_a owner" "$(lock_get "$f" lock_a .owner_tid)" "${TID[ab]}"
assert_eq "lock_a waiters" "$(lock_get "$f" lock_a '.waiters | tostring')" "[${TID[ba]}]"
assert_eq "lock_b owner" "$(lock_get "$f" lock_b .owner_tid)" "${TID[ba]}"
assert_eq "lock_b waiters" "$(lock_get "$f" lock_b '.waiters | tostring')" "[${TID[ab]}]"
assert_eq "ab waits for" "$(thread_get "$f" "${TID[ab]}" .lock)" "${ADDR[lock_b]}"
assert_eq "ba waits for" "$(thread_get "$f" "${TID[ba]}" .lock)" "${ADDR[lock_a]}"
assert_eq "ab syscall_arg" "$(thread_get "$f" "${TID[ab]}" .syscall_arg)" "futex ${ADDR[lock_b]} (lock_b)"
assert_eq "ab futex.symbol" "$(thread_get "$f" "${TID[ab]}" .futex.symbol)" lock_b
assert_eq "ab futex.val (a mutex waiter sleeps on 2)" "$(thread_get "$f" "${TID[ab]}" .futex.val)" 2
assert_eq "deadlock functions" "$(jq -c '.deadlocks[0].functions' "$f")" '["lock_pair","lock_pair"]'
assert_eq "ab top_function" "$(thread_get "$f" "${TID[ab]}" .top_function)" lock_pair
jq_check "ab's stack goes through transfer_ab" "$f" --argjson t "${TID[ab]}" \
	'.threads[] | select(.tid == $t) | .stack | index("transfer_ab") != null'
jq_check "main's pthread_join of ab is a join wait outside the deadlock" "$f" --argjson m "$TARGET_PID" \
	--argjson t "${TID[ab]}" \
	'[.locks[] | select(.kind == "join" and .owner_tid == $t and .waiters == [$m] and (.in_deadlock | not))] | length == 1'

run_cdtop -p "$TARGET_PID" --snapshot "$TMPD/s.txt" --duration 2
expect_rc 0 "text report"
say "text report, first lines:"
head -n 14 "$TMPD/s.txt" | sed 's/^/    | /'
grep -q '^DEADLOCKS (1)' "$TMPD/s.txt" || fail "the text report has no 'DEADLOCKS (1)' line"
ok "text report: DEADLOCKS (1)"
for who in ab ba; do
	other=lock_b; [ $who = ba ] && other=lock_a
	grep -q "thread ${TID[$who]} ($who) in lock_pair waits for mutex $other ${ADDR[$other]} held by" "$TMPD/s.txt" ||
		fail "the text report does not say that $who waits for $other"
	ok "text report: $who waits for $other"
done
[ "$(grep -n '^DEADLOCKS' "$TMPD/s.txt" | cut -d: -f1)" -lt "$(grep -n '^Process' "$TMPD/s.txt" | cut -d: -f1)" ] ||
	fail "the deadlock is not above the process figures"
ok "text report: deadlocks come before the process figures"
say "PASS: one deadlock of ${TID[ab]} and ${TID[ba]} on lock_a and lock_b"

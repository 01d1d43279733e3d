#!/bin/bash
# test_owner_blocked: tests/targets/lock_pipe: thread "owner" holds the
# global mutex ledger_lock and blocks in read() on a pipe nobody writes;
# waiter-1..3 wait for ledger_lock. The snapshot must show ledger_lock
# first, with its owner, the owner's state, syscall (read) and what it
# reads (the pipe, by inode), the owner's function and stack, the three
# waiters in post_entry, contended (3 waiters at every poll), and no
# deadlock. Threads' syscall_arg: the owner's pipe; net-reader's recv on
# a loopback TCP connection (both addresses, ESTABLISHED); poller's
# epoll_wait with the fds the epoll set watches. The text report shows
# the owner blocked in read on the pipe.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/locks/lib.sh
source "$(dirname "$0")/lib.sh"
need_cmd jq

start_target lock_pipe
read_ids
pl=$(target_line "pipe ")
PIPE_FD=$(kv "$pl" fd)
PIPE_INO=$(kv "$pl" ino)
tl=$(target_line "tcp ")
TCP_FD=$(kv "$tl" fd)
TCP_LOCAL=$(kv "$tl" local)
TCP_REMOTE=$(kv "$tl" remote)
EP_FD=$(kv "$(target_line "epoll ")" fd)
f=$TMPD/s.json
take_snapshot "$TARGET_PID" "$f" 3
show_locks "$f"

owner=${TID[owner]}
assert_eq "deadlocks" "$(jq -c '.deadlocks' "$f")" '[]'
assert_eq "locks[0].symbol" "$(jq -r '.locks[0].symbol' "$f")" ledger_lock
assert_eq "ledger_lock kind" "$(lock_get "$f" ledger_lock .kind)" mutex
assert_eq "ledger_lock owner" "$(lock_get "$f" ledger_lock .owner_tid)" "$owner"
assert_eq "owner state" "$(lock_get "$f" ledger_lock .owner_state)" S
assert_eq "owner syscall" "$(lock_get "$f" ledger_lock .owner_syscall)" read
assert_eq "owner syscall_arg" "$(lock_get "$f" ledger_lock .owner_syscall_arg)" "fd $PIPE_FD: pipe:[$PIPE_INO]"
assert_eq "owner function" "$(lock_get "$f" ledger_lock .owner_function)" flush_journal
jq_check "owner_stack holds flush_journal and owner" "$f" \
	'[.locks[] | select(.symbol == "ledger_lock")][0].owner_stack | (index("flush_journal") != null) and (index("owner") != null)'
assert_cmp "owner blocked for" "$(lock_get "$f" ledger_lock .owner_blocked_s)" '>=' 1.5
assert_eq "waiters" "$(lock_get "$f" ledger_lock '.waiters | sort | tostring')" \
	"$(printf '%s\n' "${TID[waiter-1]}" "${TID[waiter-2]}" "${TID[waiter-3]}" | jq -sc 'sort')"
assert_eq "waiting functions" "$(lock_get "$f" ledger_lock '[.waiter_details[].function] | unique | tostring')" '["post_entry"]'
assert_cmp "longest wait" "$(lock_get "$f" ledger_lock .max_wait_s)" '>=' 1.5
assert_eq "contended (3 waiters at every poll)" "$(lock_get "$f" ledger_lock .contended)" true
assert_eq "waiters_history" "$(lock_get "$f" ledger_lock '.waiters_history | unique | tostring')" '[3]'

assert_eq "owner thread syscall_arg" "$(thread_get "$f" "$owner" .syscall_arg)" "fd $PIPE_FD: pipe:[$PIPE_INO]"
assert_eq "owner thread lock (waits for none)" "$(thread_get "$f" "$owner" .lock)" null
assert_eq "owner top_function" "$(thread_get "$f" "$owner" .top_function)" flush_journal
assert_eq "net-reader syscall" "$(thread_get "$f" "${TID[net-reader]}" .syscall)" recvfrom
assert_eq "net-reader syscall_arg" "$(thread_get "$f" "${TID[net-reader]}" .syscall_arg)" \
	"fd $TCP_FD: TCP $TCP_LOCAL -> $TCP_REMOTE ESTABLISHED"
assert_eq "poller syscall" "$(thread_get "$f" "${TID[poller]}" .syscall)" epoll_wait
assert_eq "poller syscall_arg" "$(thread_get "$f" "${TID[poller]}" .syscall_arg)" \
	"fd $EP_FD: epoll watching 2 fds ($PIPE_FD $TCP_FD)"
assert_eq "waiter-1 syscall_arg" "$(thread_get "$f" "${TID[waiter-1]}" .syscall_arg)" "futex ${ADDR[ledger_lock]} (ledger_lock)"

run_cdtop -p "$TARGET_PID" --snapshot - --duration 1 --format text
expect_rc 0 "text report"
grep -A8 '^Locks' "$OUT" | sed 's/^/    | /'
grep -q "held by $owner (owner), state S, in flush_journal, blocked in read(fd $PIPE_FD: pipe:\[$PIPE_INO\])" "$OUT" ||
	fail "the text report does not show the owner blocked in read on the pipe"
ok "text report: the owner is blocked in read on the pipe"
grep -Eq "^ +$owner owner .* read .* flush_journal +fd $PIPE_FD: pipe:\[$PIPE_INO\]\$" "$OUT" ||
	fail "the owner's thread row lacks its function and syscall argument: $(grep -E "^ +$owner " "$OUT")"
ok "text report: the owner's thread row shows flush_journal and the pipe"
say "PASS: ledger_lock held by $owner blocked in read on pipe:[$PIPE_INO]"

#!/bin/bash
# test_tui_locks: the lock panes of the real screen on a real deadlock
# (tests/targets/lock_deadlock abba: thread ab holds lock_a and waits for
# lock_b, ba the reverse), driven in tmux:
#  1. 80x24 overview: a lock waits box says "1 DEADLOCK" and shows the
#     cycle in the alert color (red escapes in capture-pane -e); the
#     threads pane names the futex each thread sleeps on by its variable
#     and the function it waits in (lock_pair).
#  2. Key 4: both mutexes with their holders and waiters.
#  3. Enter on the first lock: its holder's stack in the threads pane,
#     through lock_pair.
#  4. 200x50, key 4: the selected lock's holder, what it waits on and its
#     stack below the list; q exits 0 and restores the terminal.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/tui_lib.sh
source "$TUILIB"
tui_server

start_target lock_deadlock abba
pid=$TARGET_PID
ids=$(target_line "tids ")
ab=$(kv "$ids" ab)
ba=$(kv "$ids" ba)

# --- 1: overview --------------------------------------------------------------------------
tui_start small 80 24 -p "$pid" -d 0.5
tui_wait small 10 -F "4 Lock waits - 1 DEADLOCK"
tui_wait small 5 -E "thread $ab ab in lock_pair waits for mutex lock_b, held by thread $ba"
say "80x24 overview:"
tui_show small
tui_expect small "the other edge of the cycle" -E "thread $ba ba in lock_pair waits for mutex lock_a, held by thread $ab"
tm capture-pane -e -p -t small | grep -F "DEADLOCK 1:" | grep -qE $'\e\\[([0-9;]*;)?31m' ||
	{ tm capture-pane -e -p -t small | grep -F "DEADLOCK 1:" | cat -v; fail "the deadlock is not in red"; }
ok "the deadlock is highlighted in red"
tui_expect small "threads: ab waits on lock_b, in lock_pair" -E "$ab ab +S .*futex lock_b +lock_pair"
tui_expect small "threads: ba waits on lock_a, in lock_pair" -E "$ba ba +S .*futex lock_a +lock_pair"

# --- 2: the lock waits pane --------------------------------------------------------------------
tui_keys small 4
tui_wait small 3 -E "^ lock_a +mutex +$ab ab +1 "
tui_expect small "lock_b held by ba, one waiter" -E "^ lock_b +mutex +$ba ba +1 "
tui_expect small "ab waits for lock_b" -E "<- $ab ab waits .* in lock_pair"
say "lock waits pane:"
tui_show small

# --- 3: Enter: the holder's stack -------------------------------------------------------------
first=$(grep -A1 "^ LOCK " "$TMPD/screen.small" | tail -1 | awk '{ print $1 }')
case $first in lock_a) holder=$ab; name=ab ;; lock_b) holder=$ba; name=ba ;; *) fail "first lock is $first" ;; esac
tui_keys small Enter
tui_wait small 3 -F "thread $holder $name: stack"
tui_wait small 3 -E "#[0-9]+ +lock_pair"
ok "Enter on $first: the stack of its holder $holder, through lock_pair"
tui_quit small

# --- 4: 200x50, the holder below the list ---------------------------------------------------
tui_start wide 200 50 -p "$pid" -d 0.5
tui_wait wide 10 -F "1 DEADLOCK"
tui_keys wide 4
tui_wait wide 3 -E "holder of lock_(a|b): [0-9]+ (ab|ba)"
tui_wait wide 5 -E "now in lock_pair \\[S futex 0x[0-9a-f]+ \\(lock_(a|b)\\)"
tui_expect wide "the holder's stack" -E "^ #[0-9]+ +lock_pair"
say "200x50 lock waits pane:"
tui_show wide
tui_quit wide
say "PASS"

#!/bin/bash
# test_tui_panes: the dashboard of the real binary on a real target
# (prof_hot_fp: main thread spinning in hot_function, thread "blocker" in
# read()), driven in tmux:
#  1. 80x24 overview: pid and comm, LIVE, CPU user well above 0, the thread
#     count, STK with a sampling rate, top functions led by hot_function,
#     the threads table with both threads, blocker's decoded wait (the
#     pipe's fd) and its function (blocked_function); the key footer.
#  2. Every pane key switches the pane (title "N Name" right under the
#     header), 1 returns to the overview, ? shows the help, any key
#     closes it; w switches cpu -> wall mode and blocked_function appears;
#     the threads pane sorted by blocked time lists blocker first and
#     Enter shows its stack with blocked_function.
#  3. 200x50 overview: two columns (the checklist beside the functions),
#     hot_function with its module, the files pane with the fd count;
#     the threads pane full-screen has separate syscall and wchan columns.
#  4. A resize from 80x24 to 200x50 re-lays out at once (two columns).
#  5. q exits 0 and restores the terminal (alternate screen off, cursor on).
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/tui_lib.sh
source "$TUILIB"
tui_server

start_target prof_hot_fp
pid=$TARGET_PID
blocked_tid=$(kv "$(target_line blocked_tid=)" blocked_tid)
nfd=$(ls /proc/"$pid"/fd | wc -l)

# --- 1: 80x24 overview ----------------------------------------------------------
# --mode cpu: under load the target gets little CPU and auto would pick wall.
tui_start small 80 24 -p "$pid" -d 0.5 --mode cpu
tui_wait small 10 -E '^ *[0-9.]+% +[0-9.]+% +[0-9]+ +[0-9]+ +hot_function'
tui_wait small 5 -E "CPU user [0-9]+\.[0-9]%"
cpu=$(grep -o -E "CPU user [0-9.]+" "$TMPD/screen.small" | awk '{print $3}')
# The target spins; how much CPU it gets depends on the machine's load,
# so only "some" is asserted.
assert_cmp "80x24: CPU user of a spinning target" "$cpu" '>' 0
say "80x24 overview:"
tui_show small
tui_expect small "title: pid, comm, LIVE" -E "PID $pid \(prof_hot_fp\).*LIVE"
tui_expect small "thread count" -E "THR 2 \(1 run"
tui_expect small "fds against the limit" -E "FD $nfd/[0-9]+"
tui_expect small "TCP states" -F "TCP ESTAB 0 CLOSE_WAIT 0 TIME_WAIT 0 LISTEN 0"
tui_expect small "sampling rate and pause" -E "STK [0-9]+Hz( pause)? [0-9]+/[0-9]+us"
tui_expect small "top functions pane" -F "2 Top functions - cpu, all threads"
tui_expect small "threads pane" -F "3 Threads - 2 of 2, by CPU"
tui_wait small 5 -E "$blocked_tid blocker +S .*fd [0-9]+: pipe:\[[0-9]+\] +blocked_function"
ok "small: the blocked thread, the pipe it reads and its function"
tui_expect small "key footer" -F "1Overview 2Funcs 3Threads 4Locks 5Files 6Go 7Check"
# The first function row must be hot_function (the hottest).
first=$(grep -A1 -m1 'FLAT%' "$TMPD/screen.small" | tail -1)
case $first in *hot_function*) ok "hot_function leads the top functions" ;;
*) fail "first function row is not hot_function: $first" ;; esac

# --- 2: pane keys, help, w, sort, Enter -------------------------------------------
# pane_is SESSION KEY TITLE: after KEY, line 5 (below the 4 header lines)
# is the pane's title bar.
pane_is() {
	tui_keys "$1" "$2"
	tui_wait "$1" 3 -E "^ $2 $3"
	[ "$(sed -n 5p "$TMPD/screen.$1" | grep -c "^ $2 $3")" = 1 ] ||
		{ tui_show "$1"; fail "key $2: the pane title is not on the first line below the header"; }
	ok "key $2 shows the $3 pane full-screen"
}
pane_is small 2 "Top functions"
pane_is small 3 "Threads"
pane_is small 4 "Lock waits"
pane_is small 5 "Files and sockets"
tui_expect small "files pane: fds by type" -E "FDS $nfd open of [0-9]+"
pane_is small 6 "Goroutines"
tui_expect small "goroutines pane: a native target" -F "not a Go program"
pane_is small 7 "Triage checklist"
tui_keys small 1
tui_wait small 3 -F "2 Top functions"
tui_expect small "1: back to the overview with both panes" -F "3 Threads"
tui_keys small '?'
tui_wait small 3 -F "help - any key closes"
tui_expect small "? shows the help with the keys" -F "freeze / unfreeze"
tui_keys small x
tui_wait small 3 -F "2 Top functions"
ok "any key closes the help"
tui_keys small 2 w
tui_wait small 5 -F "Top functions - wall, all threads"
tui_wait small 5 -F "blocked_function"
ok "w: wall mode shows blocked_function"
tui_keys small 3 b
tui_wait small 3 -F "Threads - 2 of 2, by blocked"
row=$(grep -A1 'TID NAME' "$TMPD/screen.small" | tail -1)
case $row in *"$blocked_tid"*blocker*) ok "b: sorted by blocked time, blocker first" ;;
*) tui_show small; fail "b: first row is not blocker: $row" ;; esac
# The selection stays on its thread when the order changes (as in htop):
# Home goes to the first row.
tui_keys small Home Enter
tui_wait small 3 -F "thread $blocked_tid blocker: stack"
tui_wait small 5 -F "blocked_function"
tui_expect small "Enter: the stack frames" -E "#[0-9]+ +blocked_function"
say "stack of blocker:"
tui_show small
tui_keys small Escape
tui_wait small 3 -F "Threads - 2 of 2"
ok "Esc: back to the table"
tui_keys small /
tui_keys small -l "hot"
tui_keys small Enter
tui_wait small 3 -F "Threads [filter: hot] - 1 of 2"
ok "/ filters threads by function"
tui_quit small

# --- 3: 200x50 overview -----------------------------------------------------------
tui_start wide 200 50 -p "$pid" -d 0.5
tui_wait wide 10 -E 'hot_function +prof_hot_fp'
say "200x50 overview:"
tui_show wide
fl=$(grep -n ' 2 Top functions' "$TMPD/screen.wide" | cut -d: -f1)
cl=$(grep -n ' 7 Triage checklist' "$TMPD/screen.wide" | cut -d: -f1)
assert_eq "200x50: checklist beside the functions (same line)" "$cl" "$fl"
tui_expect wide "files pane in the overview" -E "FDS $nfd open"
tui_expect wide "lock waits pane in the overview" -F "4 Lock waits"
tui_expect wide "wide footer" -F "spaceFreeze sSave /Filter wcpu/wall"
tui_expect wide "sampling rate and pause, labelled" -E "STK [0-9]+Hz pause [0-9]+/[0-9]+us +CHECK"
tui_keys wide 3
tui_wait wide 3 -E "TID NAME +S +USER% +SYS% +BLOCKED SYSCALL +WCHAN +WAITING ON +FUNCTION"
tui_expect wide "full-screen threads: the blocked thread's syscall and wchan" -E "$blocked_tid blocker +S .* read +[a-z_]+"
ok "200 columns: the threads pane has syscall and wchan columns"
tui_quit wide

# --- 4: resize 80x24 -> 200x50 ----------------------------------------------------
tui_start grow 80 24 -p "$pid" -d 5
tui_wait grow 10 -F "hot_function"
tm resize-window -t grow -x 200 -y 50
t0=$(date +%s.%N)
tui_wait grow 3 -E ' 2 Top functions.* 7 Triage checklist'
t1=$(date +%s.%N)
say "re-laid out $(calc "$t1 - $t0") s after the resize (refresh interval 5 s)"
ok "resize to 200x50: two columns without waiting for a refresh"
tm resize-window -t grow -x 80 -y 24
tui_wait grow 3 -F "1Overview 2Funcs"
grep -q "Triage checklist" "$TMPD/screen.grow" && fail "back at 80x24 the checklist column is still there"
ok "back to 80x24: one column again"
tui_quit grow
say "PASS"

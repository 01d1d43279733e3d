#!/bin/bash
# test_tui_signals: the terminal is given back on every way out, and
# suspending cdtop never leaves the target stopped (prof_hot_fp target,
# screen in tmux):
#  1. SIGTERM: exit status 0, alternate screen off, cursor visible.
#  2. Ctrl-C (SIGINT from the terminal): the same.
#  3. Ctrl-Z under an interactive shell: cdtop stops (state T) with the
#     terminal restored; meanwhile, sampled four times over 2 s, no thread
#     of the target is stopped or traced; `fg` brings the screen back
#     (alternate screen on, the header redrawn) and q exits 0.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/tui_lib.sh
source "$TUILIB"
tui_server

start_target prof_hot_fp
pid=$TARGET_PID

# cdtop_pid ARGS-REGEX: the pid of the cdtop process running with these
# arguments.
cdtop_pid() {
	local p
	p=$(pgrep -f -- "^$CDTOP $1\$" | head -1)
	[ -n "$p" ] || fail "cannot find the cdtop process ($1)"
	echo "$p"
}

# --- 1: SIGTERM ------------------------------------------------------------------------
tui_start term 100 30 -p "$pid" -d 0.5
tui_wait term 10 -F "hot_function"
kill -TERM "$(cdtop_pid "-p $pid -d 0.5")"
tui_restored term
assert_eq "exit status after SIGTERM" "$(cat "$TMPD/rc.term")" 0

# --- 2: Ctrl-C -------------------------------------------------------------------------
tui_start intr 100 30 -p "$pid" -d 0.4
tui_wait intr 10 -F "hot_function"
tui_keys intr C-c
tui_restored intr
assert_eq "exit status after Ctrl-C" "$(cat "$TMPD/rc.intr")" 0

# --- 3: Ctrl-Z and fg --------------------------------------------------------------------
# An interactive shell gives job control (a pane's plain command runs in an
# orphaned process group, where the kernel drops terminal stop signals).
tm new-session -d -s job -x 100 -y 30 "env -i PATH=/usr/bin:/bin TERM=screen-256color LANG=C.UTF-8 HOME=$TMPD PS1='job$ ' bash --norc --noprofile -i"
sleep 0.3
tui_keys job "cd $(printf %q "$TMPD") && $(printf %q "$CDTOP") -p $pid -d 0.3" Enter
tui_wait job 10 -F "hot_function"
cp=$(cdtop_pid "-p $pid -d 0.3")
tui_keys job C-z
i=0
until [ "$(awk '{ print $3 }' /proc/"$cp"/stat)" = T ]; do
	i=$((i + 1))
	[ $i -lt 60 ] || fail "cdtop not stopped 3 s after Ctrl-Z (state $(awk '{ print $3 }' /proc/"$cp"/stat))"
	sleep 0.05
done
ok "Ctrl-Z: cdtop is stopped"
tui_wait job 3 -F "Stopped"
assert_eq "Ctrl-Z: alternate screen off" "$(tui_fmt job '#{alternate_on}')" 0
assert_eq "Ctrl-Z: cursor visible" "$(tui_fmt job '#{cursor_flag}')" 1
for n in 1 2 3 4; do
	for t in /proc/"$pid"/task/*; do
		st=$(sed 's/.*) //' "$t/stat" | awk '{ print $1 }')
		tr=$(awk '/^TracerPid:/ { print $2 }' "$t/status")
		case $st in T | t) fail "thread $(basename "$t") of the target is stopped ($st) while cdtop is suspended" ;; esac
		[ "$tr" = 0 ] || fail "thread $(basename "$t") of the target is traced by $tr while cdtop is suspended"
	done
	sleep 0.5
done
ok "while cdtop is suspended no thread of the target is stopped or traced (4 checks over 2 s)"
tui_keys job fg Enter
i=0
until [ "$(tui_fmt job '#{alternate_on}')" = 1 ]; do
	i=$((i + 1))
	[ $i -lt 60 ] || fail "fg: the screen did not come back"
	sleep 0.05
done
tui_wait job 5 -E "PID $pid \\(prof_hot_fp\\).* LIVE "
ok "fg: the screen is back"
tui_keys job q
i=0
until [ "$(tui_fmt job '#{alternate_on}')" = 0 ]; do
	i=$((i + 1))
	[ $i -lt 60 ] || fail "q after fg: the terminal was not restored"
	sleep 0.05
done
kill -0 "$cp" 2>/dev/null && sleep 0.5
kill -0 "$cp" 2>/dev/null && fail "cdtop still running after q"
tui_keys job 'echo "rc=$?"' Enter
tui_wait job 3 -F "rc=0"
ok "q after fg: exit status 0"
kill -0 "$pid" || fail "the target died"
say "PASS"

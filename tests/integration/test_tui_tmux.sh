#!/bin/bash
# test_tui_tmux: the interactive screen, driven in a detached tmux server
# on a private socket (as tmux's own regress tests do) and read back with
# capture-pane.
#  1. `cdtop -p PID -d 0.5` of a cpu_burn target in a 100x30 pane: within
#     5 s the screen shows the pid and "CPU"; after `q` cdtop exits with
#     status 0 within 3 s (pane dead; the status is written by the pane's
#     shell to a file, and #{pane_dead_status} must be 0 when tmux has
#     filled it in).
#  2. Shrunk to 40x10 while running, cdtop shows a "too small" message
#     instead of crashing, keeps running, redraws the full screen when the
#     pane grows back to 100x30, and `q` still exits with status 0.
#  3. Started in a 40x10 pane, it shows a "too small" message too: it then
#     either keeps running (and q exits 0) or exits at once with status 9
#     (no usable terminal); a crash or any other status fails.
# Skipped (77) only if tmux is not installed.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd tmux

unset TMUX
SOCK=cdtop-test-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
on_exit "tmux -L '$SOCK' kill-server"

start_target cpu_burn 1
pid=$TARGET_PID
# cmd_for SESSION: the pane's command. The shell around cdtop writes its
# exit status to $TMPD/rc.SESSION: tmux 3.3 can mark a pane dead before it
# has reaped the child, leaving #{pane_dead_status} empty (a known race).
cmd_for() {
	printf '%q -p %s -d 0.5; echo $? >%q' "$CDTOP" "$pid" "$TMPD/rc.$1"
}

# A keeper session starts the server so remain-on-exit is set before any
# cdtop pane exists (a pane that dies at once is kept to read its status).
tm new-session -d -s keeper -x 80 -y 24 "sleep 120"
tm set-option -g remain-on-exit on
tm set-option -g history-limit 1000
tm set-option -g default-shell "$BASH" # cmd_for quotes with bash's %q

screen_of() { tm capture-pane -p -t "$1"; }
pane() { tm display-message -p -t "$1" "$2"; }

# wait_screen SESSION SECONDS: until the pane shows what check_screen wants.
wait_screen() {
	local s=$1 n=$(($2 * 10)) i=0
	while [ $i -lt "$n" ]; do
		if [ "$(pane "$s" '#{pane_dead}')" = 1 ]; then
			say "screen of the dead pane:"
			screen_of "$s" | sed 's/^/    | /'
			fail "$s: cdtop exited early with status $(cat "$TMPD/rc.$s" 2>/dev/null)"
		fi
		screen_of "$s" >"$TMPD/screen.$s"
		if check_screen "$TMPD/screen.$s"; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	say "last screen of $s:"
	sed 's/^/    | /' "$TMPD/screen.$s"
	fail "$s: the expected text did not appear within $2 s"
}

# quit_and_check SESSION: send q, wait up to 3 s for cdtop to exit and
# the pane to die, expect exit status 0 (from the status file; also
# from #{pane_dead_status} when tmux has filled it in).
quit_and_check() {
	local s=$1 i=0 st
	tm send-keys -t "$s" q
	while [ ! -s "$TMPD/rc.$s" ] || [ "$(pane "$s" '#{pane_dead}')" != 1 ]; do
		i=$((i + 1))
		[ $i -lt 30 ] || fail "$s: cdtop still running 3 s after 'q'"
		sleep 0.1
	done
	assert_eq "$s: cdtop exit status after q" "$(cat "$TMPD/rc.$s")" 0
	st=$(pane "$s" '#{pane_dead_status}')
	if [ -n "$st" ]; then
		assert_eq "$s: #{pane_dead_status}" "$st" 0
	else
		say "note: tmux has not reaped the pane's shell yet (#{pane_dead_status} empty); status file used"
	fi
}

# --- 1: 100x30 ------------------------------------------------------------------
tm new-session -d -s big -x 100 -y 30 "$(cmd_for big)"
assert_eq "big pane size" "$(pane big '#{pane_width}x#{pane_height}')" 100x30
check_screen() { grep -qw -- "$pid" "$1" && grep -q CPU "$1"; }
wait_screen big 5
say "100x30 screen:"
sed 's/^/    | /' "$TMPD/screen.big"
ok "100x30: the screen shows pid $pid and CPU"
quit_and_check big

# --- 2: shrunk to 40x10 while running -------------------------------------------
tm new-session -d -s shrink -x 100 -y 30 "$(cmd_for shrink)"
check_screen() { grep -qw -- "$pid" "$1" && grep -q CPU "$1"; }
wait_screen shrink 5
tm resize-window -t shrink -x 40 -y 10
assert_eq "shrunk pane size" "$(pane shrink '#{pane_width}x#{pane_height}')" 40x10
check_screen() { grep -qi "too small" "$1"; }
wait_screen shrink 5
say "screen after shrinking to 40x10:"
sed 's/^/    | /' "$TMPD/screen.shrink"
ok "shrunk to 40x10: the screen says it is too small"
sleep 1
assert_eq "shrunk: still running 1 s later" "$(pane shrink '#{pane_dead}')" 0
tm resize-window -t shrink -x 100 -y 30
check_screen() { grep -qw -- "$pid" "$1" && grep -q CPU "$1"; }
wait_screen shrink 5
ok "back at 100x30: the full screen returns"
quit_and_check shrink

# --- 3: started in a 40x10 terminal ------------------------------------------------
# Either the "too small" screen until a resize (then q exits 0), or an
# immediate exit 9 (no usable terminal) with a message saying so.
tm new-session -d -s small -x 40 -y 10 "$(cmd_for small)"
assert_eq "small pane size" "$(pane small '#{pane_width}x#{pane_height}')" 40x10
# Wait until the message shows or cdtop has exited (the pane's history is
# included, in case the message scrolled up when the pane died).
i=0
while :; do
	[ -s "$TMPD/rc.small" ] && break
	screen_of small | grep -qi "too small" && break
	i=$((i + 1))
	[ $i -lt 50 ] || break
	sleep 0.1
done
sleep 1
tm capture-pane -p -S - -t small >"$TMPD/screen.small"
say "40x10 screen (with history):"
grep -v '^ *$' "$TMPD/screen.small" | sed 's/^/    | /'
grep -Eqi "too small|needs at least" "$TMPD/screen.small" ||
	fail "started at 40x10: no 'too small' message within 5 s"
ok "started at 40x10: the screen says it is too small"
if [ -s "$TMPD/rc.small" ]; then
	assert_eq "started at 40x10: exited with 9 (no usable terminal), not a crash" "$(cat "$TMPD/rc.small")" 9
	say "note: started at 40x10, cdtop exits 9 at once instead of waiting for a resize"
else
	assert_eq "started at 40x10: still running 1 s later" "$(pane small '#{pane_dead}')" 0
	quit_and_check small
fi
say "PASS: the screen shows pid and CPU, handles 40x10 without crashing, and q exits 0"

# tests/tui_lib.sh - helpers for the screen tests (sourced after lib.sh).
#
# cdtop runs in a detached tmux server on a private socket (as tmux's own
# regress tests do) and the screen is read back with capture-pane. Each
# pane's command is wrapped in a shell that writes cdtop's exit status to
# $TMPD/rc.SESSION, because tmux 3.3 can mark a pane dead before it has
# reaped the child (#{pane_dead_status} then stays empty); the pane then
# stays alive (sleep), so the terminal state cdtop left behind (alternate
# screen, cursor) can be read: tmux's flags of a dead pane mean nothing.
#
#   source "$TESTLIB"; source "$TUILIB"
#   tui_server                      # starts the server, skips without tmux
#   tui_start main 80 24 -p "$pid"  # cdtop -p PID in an 80x24 pane
#   tui_wait main 5 -F 'hot_function'
#   tui_keys main 3                 # send keys
#   tui_quit main                   # q, exit status 0, terminal restored

need_cmd tmux
unset TMUX
TUI_SOCK=cdtop-test-$$
tm() { tmux -L "$TUI_SOCK" -f /dev/null "$@"; }
# The server is killed and its socket removed (tmux leaves it behind).
on_exit "tmux -L '$TUI_SOCK' kill-server; rm -f '${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TUI_SOCK'"

# tui_server: a keeper session starts the server so options are set before
# any cdtop pane exists (a pane that dies at once is kept to be read).
tui_server() {
	tm new-session -d -s keeper -x 80 -y 24 "sleep 600"
	tm set-option -g remain-on-exit on
	tm set-option -g history-limit 2000
	tm set-option -g default-shell "$BASH"
	tm set-option -g default-terminal screen-256color
}

# tui_start SESSION W H [ENV=VAL ...] -- ARGS...: run cdtop ARGS in a new
# W x H pane, in a UTF-8 locale, from $TMPD (so `s` saves there unless
# --out-dir says otherwise). Without "--", every argument goes to cdtop.
tui_start() {
	local s=$1 w=$2 h=$3 envs=() cmd
	shift 3
	if printf '%s\n' "$@" | grep -qx -- --; then
		while [ "$1" != -- ]; do envs+=("$1"); shift; done
		shift
	fi
	cmd=$(printf 'cd %q && env LANG=C.UTF-8 LC_ALL=C.UTF-8 %s %q' "$TMPD" "${envs[*]+"${envs[*]}"}" "$CDTOP")
	cmd+=$(printf ' %q' "$@")
	cmd+=$(printf '; echo $? >%q; exec sleep 600' "$TMPD/rc.$s")
	rm -f "$TMPD/rc.$s"
	tm new-session -d -s "$s" -x "$w" -y "$h" "$cmd"
	[ "$(tui_fmt "$s" '#{pane_width}x#{pane_height}')" = "${w}x$h" ] ||
		fail "$s: pane is $(tui_fmt "$s" '#{pane_width}x#{pane_height}'), expected ${w}x$h"
}

tui_fmt() { tm display-message -p -t "$1" "$2"; }
tui_screen() { tm capture-pane -p -t "$1"; }
tui_keys() { local s=$1; shift; tm send-keys -t "$s" "$@"; }

# tui_show SESSION [FILE]: print the last screen (or FILE) indented.
tui_show() {
	local f=${2:-$TMPD/screen.$1}
	sed 's/^/    | /' "$f"
}

# tui_settle SESSION: re-capture until two captures 50 ms apart are the
# same (at most 1 s): a match may come from a screen still being drawn
# (the header before the panes), and tui_expect reads the saved capture.
tui_settle() {
	local s=$1 k=0
	while [ $k -lt 20 ]; do
		sleep 0.05
		tui_screen "$s" >"$TMPD/screen.$s.next"
		if cmp -s "$TMPD/screen.$s" "$TMPD/screen.$s.next"; then
			break
		fi
		mv "$TMPD/screen.$s.next" "$TMPD/screen.$s"
		k=$((k + 1))
	done
	rm -f "$TMPD/screen.$s.next"
}

# tui_wait SESSION SECONDS GREP-ARGS...: until the screen matches grep
# GREP-ARGS (the screen is left in $TMPD/screen.SESSION); fails when
# cdtop exits or time runs out.
tui_wait() {
	local s=$1 n=$(($2 * 20)) i=0
	shift 2
	while [ $i -lt "$n" ]; do
		tui_screen "$s" >"$TMPD/screen.$s"
		if grep -q "$@" "$TMPD/screen.$s"; then
			tui_settle "$s"
			return 0
		fi
		if [ -s "$TMPD/rc.$s" ]; then
			tui_show "$s"
			fail "$s: cdtop exited (status $(cat "$TMPD/rc.$s" 2>/dev/null)) before the screen showed: $*"
		fi
		sleep 0.05
		i=$((i + 1))
	done
	say "last screen of $s:"
	tui_show "$s"
	fail "$s: the screen did not show '$*' within $(($n / 20)) s"
}

# tui_joined SESSION: the last captured screen as one line, blanks
# squeezed (for messages that wrap).
tui_joined() { tr '\n' ' ' <"$TMPD/screen.$1" | tr -s ' '; }

# tui_expect SESSION WHAT GREP-ARGS...: the last captured screen matches.
tui_expect() {
	local s=$1 what=$2
	shift 2
	grep -q "$@" "$TMPD/screen.$s" || { tui_show "$s"; fail "$s: $what: the screen lacks $*"; }
	ok "$s: $what"
}

# tui_quit SESSION: send q; cdtop must exit with status 0 within 3 s and
# leave the terminal as it found it (alternate screen off, cursor shown).
tui_quit() {
	local s=$1 i=0
	tui_keys "$s" q
	while [ ! -s "$TMPD/rc.$s" ]; do
		i=$((i + 1))
		[ $i -lt 60 ] || fail "$s: cdtop still running 3 s after q"
		sleep 0.05
	done
	assert_eq "$s: exit status after q" "$(cat "$TMPD/rc.$s")" 0
	tui_restored "$s"
}

# tui_restored SESSION: cdtop has exited and the terminal is restored:
# the alternate screen is off and the cursor is visible again.
tui_restored() {
	local s=$1 i=0
	while [ ! -s "$TMPD/rc.$s" ]; do
		i=$((i + 1))
		[ $i -lt 60 ] || fail "$s: cdtop has not exited"
		sleep 0.05
	done
	sleep 0.2   # let tmux take in the last bytes
	assert_eq "$s: alternate screen off after exit" "$(tui_fmt "$s" '#{alternate_on}')" 0
	assert_eq "$s: cursor visible after exit" "$(tui_fmt "$s" '#{cursor_flag}')" 1
}

#!/bin/bash
# bench/tui_keys.sh - how fast the live screen answers a key while it
# samples a big target, against the same screen on a small target in the
# same run (and, with PEER=/path/to/cdtop, another cdtop binary on the
# big target: a build from before the sampling moved to a thread, whose
# screen toggles threads/functions with Tab).
#
#   bench/tui_keys.sh [-t THREADS] [-n KEYS]     (default 10000 threads, 40 keys)
#   BIG_TARGET_SRC=/path/to/big_target.c bench/tui_keys.sh
#
# Method: cdtop -p PID runs in a private tmux server (120x40), one pane
# per case, all at once; keys go to the cases in turn. A key that
# switches the pane (2 and 3 alternately; Tab for PEER) is sent with
# `tmux send-keys`, then capture-pane is polled until the screen shows the
# other pane (its title; for PEER its column headings); the time from
# send to the first capture that shows it is one latency. It includes
# tmux's own work (send, parse, capture: a few ms), so it is an upper
# bound of cdtop's. Keys are sent at random moments (50-300 ms apart), so
# they land during sampling rounds as often as their share of the time.
# cdtop itself logs when it read each key and when the answer was drawn
# (CDTOP_KEYLOG), which splits the total into send->read (tmux, the
# kernel, the scheduler), read->drawn (cdtop's UI thread) and drawn->seen
# (tmux parsing, capture-pane). Reports median, p90 and max of each, and
# the ratio of the medians big/small (and peer/cdtop).
#
# Needs root (ptrace), tmux, a C compiler; big_target.c from bench/ (or
# BIG_TARGET_SRC). Exit status: 0 done, 1 failure, 2 usage/missing tool.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
CDTOP=${CDTOP:-$TOP/cdtop}
PEER=${PEER:-}
SRC=${BIG_TARGET_SRC:-$HERE/big_target.c}
THREADS=10000
NKEYS=40
PROG=$(basename "$0")

while getopts "t:n:h" o; do
	case $o in
	t) THREADS=$OPTARG ;;
	n) NKEYS=$OPTARG ;;
	*) sed -n '2,20p' "$0"; exit 2 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "$PROG: needs root (ptrace)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "$PROG: needs tmux" >&2; exit 2; }
[ -x "$CDTOP" ] || { echo "$PROG: no cdtop at $CDTOP" >&2; exit 2; }
[ -f "$SRC" ] || { echo "$PROG: no big_target.c at $SRC (set BIG_TARGET_SRC)" >&2; exit 2; }
[ "${BASH_VERSINFO[0]}" -ge 5 ] || { echo "$PROG: needs bash >= 5 (EPOCHREALTIME)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/cdtop-keys.XXXXXX)
SOCK=cdtop-keys-$$
TPIDS=()
cleanup() {
	local rc=$? p
	trap - EXIT INT TERM HUP
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
	for p in "${TPIDS[@]+"${TPIDS[@]}"}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$WORK"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }

cc -O2 -pthread -o "$WORK/big_target" "$SRC"
cp "$CDTOP" "$WORK/cdtop"
[ -n "$PEER" ] && cp "$PEER" "$WORK/peer"

# start_target THREADS: sets TPID.
start_target() {
	"$WORK/big_target" -t "$1" -f 64 -s 0 -a 900 >"$WORK/t.out" 2>"$WORK/t.err" &
	TPID=$!
	TPIDS+=("$TPID")
	local i=0
	until grep -q '^ready' "$WORK/t.out"; do
		kill -0 "$TPID" 2>/dev/null || { cat "$WORK/t.err"; echo "$PROG: target failed" >&2; exit 1; }
		i=$((i + 1))
		[ $i -lt 1200 ] || { echo "$PROG: target not ready in 120 s" >&2; exit 1; }
		sleep 0.1
	done
}

now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }

# open_screen NAME BINARY PID KEY: cdtop BINARY -p PID in a 120x40 pane,
# logging its keys; waits for the screen, lets sampling run 3 s, sends
# KEY once unless it is "" (to leave the overview).
open_screen() {
	local name=$1 bin=$2 pid=$3 i=0
	tm new-session -d -s "$name" -x 120 -y 40 \
		"env LANG=C.UTF-8 CDTOP_KEYLOG=$WORK/$name.keylog $bin -p $pid; sleep 600"
	until tm capture-pane -p -t "$name" | grep -q "PID $pid"; do
		i=$((i + 1))
		[ $i -lt 600 ] || { tm capture-pane -p -t "$name"; echo "$PROG: $name: no screen in 60 s" >&2; exit 1; }
		sleep 0.1
	done
	sleep 3
	if [ -n "$4" ]; then
		tm send-keys -t "$name" "$4"
		sleep 1
	fi
	: >"$WORK/$name.keylog"
	: >"$WORK/$name.ms"
	: >"$WORK/$name.sent"
}

# one_key NAME LINE KEY MARK LIMIT_MS: send KEY, wait until line LINE of
# the screen matches MARK; record the time.
one_key() {
	local name=$1 line=$2 key=$3 want=$4 limit=$5 t0 t1 ts
	sleep "0.$((RANDOM % 250 + 50))"
	t0=$(now_ms)
	ts=$EPOCHREALTIME
	tm send-keys -t "$name" "$key"
	until tm capture-pane -p -t "$name" | sed -n "${line}p" | grep -qE "$want"; do
		t1=$(now_ms)
		[ $((t1 - t0)) -lt "$limit" ] || { echo "$PROG: $name: key $key not shown in $((limit / 1000)) s" >&2; break; }
	done
	t1=$(now_ms)
	echo $((t1 - t0)) >>"$WORK/$name.ms"
	echo "$ts $EPOCHREALTIME" >>"$WORK/$name.sent"
}

# report NAME: the totals, and the split when cdtop logged every key.
report() {
	local name=$1 n
	n=$(wc -l <"$WORK/$name.ms")
	stats "$name total" <"$WORK/$name.ms"
	if [ "$(wc -l <"$WORK/$name.keylog")" = "$n" ]; then
		paste -d' ' "$WORK/$name.sent" "$WORK/$name.keylog" >"$WORK/$name.split"
		awk '{ printf "%d\n", ($3 - $1) * 1000 }' "$WORK/$name.split" | stats "  send->read"
		awk '{ printf "%d\n", ($4 - $3) * 1000 }' "$WORK/$name.split" | stats "  read->drawn"
		awk '{ printf "%d\n", ($2 - $4) * 1000 }' "$WORK/$name.split" | stats "  drawn->seen"
	else
		echo "  (no per-key log from $name: $(wc -l <"$WORK/$name.keylog") lines for $n keys)"
	fi
}

# stats LABEL: median, p90, max and share over 100 ms of the numbers on
# stdin (ms).
stats() {
	sort -n | awk -v n="$1" '{ v[NR] = $1; if ($1 > 100) slow++ } END {
		printf "%-20s keys %3d  median %5d ms  p90 %5d ms  max %5d ms  >100ms %3.0f%%\n", n, NR,
			v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)], v[NR], 100 * slow / NR }'
}

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, cdtop $("$WORK/cdtop" -V)"
start_target 0
small=$TPID
start_target "$THREADS"
big=$TPID
echo "# small target: pid $small, $(ls /proc/$small/task | wc -l) threads; big target: pid $big, $(ls /proc/$big/task | wc -l) threads"
# Keys go to the two screens in turn, so a change in the machine's load
# (other work on it) hits both alike.
open_screen small "$WORK/cdtop" "$small" 3
open_screen big "$WORK/cdtop" "$big" 3
for i in $(seq 1 "$NKEYS"); do
	if [ $((i % 2)) = 1 ]; then k=2; m='^ 2 Top functions'; else k=3; m='^ 3 Threads'; fi
	one_key small 5 "$k" "$m" 10000
	one_key big 5 "$k" "$m" 10000
done
tm send-keys -t big q
tm send-keys -t small q
for name in small big; do report "$name"; done
# The peer afterwards, alone on the big target (two tracers would get in
# each other's way); it may take seconds per key: 10 keys, 60 s each.
if [ -n "$PEER" ]; then
	open_screen peer-big "$WORK/peer" "$big" ""
	for i in $(seq 1 10); do
		if [ $((i % 2)) = 1 ]; then m='FUNCTION \(MODULE\)'; else m='TID +NAME'; fi
		one_key peer-big 9 Tab "$m" 60000
	done
	tm send-keys -t peer-big q
	report peer-big
fi
ms=$(median "$WORK/small.ms")
mb=$(median "$WORK/big.ms")
awk -v a="$mb" -v b="$ms" 'BEGIN { printf "ratio of medians big/small: %.2f\n", (b > 0 ? a / b : 0) }'
if [ -n "$PEER" ]; then
	mp=$(median "$WORK/peer-big.ms")
	awk -v a="$mp" -v b="$mb" 'BEGIN { printf "ratio of medians peer/cdtop on the big target: %.2f\n", (b > 0 ? a / b : 0) }'
fi

#!/bin/bash
# bench/cpu_overhead.sh - CPU cost of watching a process interactively:
# the live `cdtop -p PID` (default 1 s refresh) against `top -d 1 -H -p PID`
# (and `htop -d 10 -p PID` when installed), each run in a detached tmux
# pane for the same time against the same idle target. No timing
# assertions: it prints CPU % of one core and ratios.
#
#   bench/cpu_overhead.sh [-t THREADS] [-f FDS] [-s SOCKETS] [-d SECS]
#
# Defaults: target with 1000 threads, 1000 fds, 100 TCP sockets; 30 s per tool.
# Tools run one after the other (not at once), so they do not compete.
# Environment: CDTOP (default: ../cdtop), CC (default cc), KEEP=1 keeps
# the work directory (screen captures, logs). See bench/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
CDTOP=${CDTOP:-$TOP/cdtop}
CC=${CC:-cc}
T=1000 F=1000 S=100 SECS=30

usage() { echo "usage: $0 [-t threads] [-f fds] [-s sockets] [-d seconds]" >&2; exit 2; }
while getopts "t:f:s:d:h" o; do
	case $o in
	t) T=$OPTARG ;; f) F=$OPTARG ;; s) S=$OPTARG ;; d) SECS=$OPTARG ;; *) usage ;;
	esac
done
[ -x "$CDTOP" ] || { echo "cpu_overhead.sh: no cdtop binary at $CDTOP (build it, or set CDTOP=)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "cpu_overhead.sh: needs tmux" >&2; exit 2; }
command -v top >/dev/null || { echo "cpu_overhead.sh: needs top (procps)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/cdtop-cpu.XXXXXX)
SOCK=cdtop-bench-$$          # private tmux server: tmux -L $SOCK
TPID=
SLPID=
TMUX_UP=0

# Load right now: load averages, runnable tasks, and other processes using
# >= 20% of a core over the last half second (top's second iteration).
busy_others() {
	local others
	others=$(top -b -n 2 -d 0.5 -w 200 2>/dev/null | awk -v t="${TPID:-0}" '/^top -/ { n++ }
		n == 2 && $1 ~ /^[0-9]+$/ && $1 != t && $9 + 0 >= 20 { printf "%s (pid %s) %s%%; ", $12, $1, $9 }')
	others=${others%; }
	echo "loadavg $(cut -d' ' -f1-3 /proc/loadavg), runnable $(cut -d' ' -f4 /proc/loadavg | cut -d/ -f1); others busy now: ${others:-none}"
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	[ -n "$SLPID" ] && kill "$SLPID" 2>/dev/null || true
	if [ $TMUX_UP = 1 ]; then
		tmux -L "$SOCK" kill-server 2>/dev/null || true
		# kill-server can leave the socket file behind
		rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
	fi
	if [ -n "$TPID" ] && kill -0 "$TPID" 2>/dev/null; then
		kill -KILL "$TPID" 2>/dev/null || true
		wait "$TPID" 2>/dev/null || true
	fi
	if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A private copy, so a rebuild of ../cdtop during the run changes nothing.
cp "$CDTOP" "$WORK/cdtop"

"$CC" -O2 -pthread -o "$WORK/big_target" "$HERE/big_target.c"
"$WORK/big_target" -t "$T" -f "$F" -s "$S" -a $((SECS * 4 + 300)) >"$WORK/target.out" 2>"$WORK/target.err" &
TPID=$!
for _ in $(seq 600); do
	grep -q '^ready' "$WORK/target.out" 2>/dev/null && break
	if ! kill -0 "$TPID" 2>/dev/null; then
		echo "cpu_overhead.sh: big_target died during setup:" >&2; cat "$WORK/target.err" >&2; TPID=; exit 1
	fi
	sleep 0.5
done
grep -q '^ready' "$WORK/target.out" || { echo "cpu_overhead.sh: big_target not ready" >&2; exit 1; }

HZ=$(getconf CLK_TCK)
# remain-on-exit keeps a pane whose program died, so its last screen can be shown.
printf 'set -g remain-on-exit on\nset -g default-terminal tmux-256color\nset -g status off\n' >"$WORK/tmux.conf"
tmux -L "$SOCK" -f "$WORK/tmux.conf" new-session -d -s idle -x 200 -y 50 "sleep 100000"
TMUX_UP=1

# On-CPU ns of the whole target (sum of its threads' schedstat): what the
# observer makes the observed process spend (ptrace stops wake its threads).
# Tick-based utime/stime would miss these short wake-ups.
target_ns() { cat /proc/"$TPID"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'; }
# On-CPU ns of a tool, all its threads (cdtop's screen has a worker thread;
# /proc/PID/schedstat alone is the main thread only).
tool_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'; }

declare -a ROWS=()
# run_tool NAME COMMAND: run COMMAND in a 200x50 pane for SECS seconds, then
# read its CPU time. Appends "name|command|cpu_s|wall_s|pct|sched_pct" to ROWS.
run_tool() {
	local name=$1 cmd=$2 pid stat ut st start wall cpu pct sched0 sched1 up0 up1 spct tg0 tg1 tup0 tpct
	tg0=$(target_ns); tup0=$(cut -d' ' -f1 /proc/uptime)
	tmux -L "$SOCK" new-session -d -s "$name" -x 200 -y 50 "exec $cmd"
	pid=$(tmux -L "$SOCK" display-message -p -t "$name" '#{pane_pid}')
	sleep 2 & SLPID=$!; wait $SLPID   # (background + wait: signals act at once)
	if ! kill -0 "$pid" 2>/dev/null || [ "$(tmux -L "$SOCK" display-message -p -t "$name" '#{pane_dead}')" = 1 ]; then
		echo "cpu_overhead.sh: $name exited at once; command: $cmd; its screen:" >&2
		tmux -L "$SOCK" capture-pane -p -t "$name" >&2
		return 1
	fi
	# steady state: on-CPU ns from schedstat between t=2 s and the end
	sched0=$(tool_ns "$pid"); up0=$(cut -d' ' -f1 /proc/uptime)
	sleep $((SECS - 2)) & SLPID=$!; wait $SLPID
	stat=$(sed 's/^.*) //' "/proc/$pid/stat")      # fields from 3 (state) on
	sched1=$(tool_ns "$pid"); up1=$(cut -d' ' -f1 /proc/uptime)
	tg1=$(target_ns)
	read -r ut st start < <(awk '{print $12, $13, $20}' <<<"$stat")
	tmux -L "$SOCK" capture-pane -p -t "$name" >"$WORK/screen-$name.txt"
	if [ "$(tmux -L "$SOCK" display-message -p -t "$name" '#{pane_dead}')" = 1 ]; then
		echo "cpu_overhead.sh: $name died during the run; its screen:" >&2
		cat "$WORK/screen-$name.txt" >&2
		return 1
	fi
	tmux -L "$SOCK" kill-session -t "$name"
	wall=$(awk -v up="$up1" -v s="$start" -v hz="$HZ" 'BEGIN { printf "%.2f", up - s / hz }')
	cpu=$(awk -v u="$ut" -v s="$st" -v hz="$HZ" 'BEGIN { printf "%.2f", (u + s) / hz }')
	pct=$(awk -v c="$cpu" -v w="$wall" 'BEGIN { printf "%.3f", 100 * c / w }')
	spct=$(awk -v a="$sched0" -v b="$sched1" -v t0="$up0" -v t1="$up1" \
		'BEGIN { printf "%.3f", 100 * (b - a) / 1e9 / (t1 - t0) }')
	tpct=$(awk -v a="$tg0" -v b="$tg1" -v t0="$tup0" -v t1="$up1" \
		'BEGIN { printf "%.3f", 100 * (b - a) / 1e9 / (t1 - t0) }')
	ROWS+=("$name|$cmd|$ut|$st|$cpu|$wall|$pct|$spct|$tpct")
}

echo "== environment"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "kernel:  $(uname -r) ($(nproc) cpus), CLK_TCK=$HZ"
echo "cdtop:   $("$WORK/cdtop" --version 2>&1 | head -1) (copy of $CDTOP, built $(date -u -r "$CDTOP" +%Y-%m-%dT%H:%M:%SZ))"
echo "load:    $(busy_others)"
echo "target:  pid $TPID, big_target -t $T -f $F -s $S: $(cat "$WORK/target.out")"
echo "method:  each tool alone in a detached 200x50 tmux pane (tmux -L $SOCK) for $SECS s"
echo

run_tool cdtop "$WORK/cdtop -p $TPID"
# Newer cdtop samples stacks with ptrace by default; measure the /proc-only
# form as well when it exists.
if "$WORK/cdtop" --help 2>&1 | grep -q -- --no-stacks; then
	run_tool cdtop-ns "$WORK/cdtop -p $TPID --no-stacks"
fi
run_tool top "top -d 1 -H -p $TPID"
if command -v htop >/dev/null; then
	run_tool htop "htop -d 10 -p $TPID"
fi

echo "load after the runs: $(busy_others)"
echo
cd_pct=$(cut -d'|' -f7 <<<"${ROWS[0]}")
cd_spct=$(cut -d'|' -f8 <<<"${ROWS[0]}")
printf '%-8s %-44s %6s %6s %7s %7s %11s %8s %10s %8s %10s\n' tool command utime stime "cpu s" "wall s" "% of core" ratio "steady %" ratio "target %"
for r in "${ROWS[@]}"; do
	IFS='|' read -r name cmd ut st cpu wall pct spct tpct <<<"$r"
	cmd=${cmd//$WORK\//}
	awk -v n="$name" -v c="$cmd" -v ut="$ut" -v st="$st" -v cpu="$cpu" -v w="$wall" -v p="$pct" -v sp="$spct" \
		-v cp="$cd_pct" -v csp="$cd_spct" -v tp="$tpct" 'BEGIN {
		printf "%-8s %-44s %6d %6d %7.2f %7.2f %11.2f %8s %10.2f %8s %10.3f\n", n, c, ut, st, cpu, w, p,
			(cp > 0 ? sprintf("%.2f", p / cp) : "-"), sp, (csp > 0 ? sprintf("%.2f", sp / csp) : "-"), tp }'
done
echo "(utime/stime in ticks of 1/$HZ s from /proc/PID/stat; % of core = (utime+stime)/CLK_TCK / wall since the"
echo " tool started; steady % = on-CPU time from /proc/PID/task/*/schedstat between t=2 s and t=$SECS s, i.e."
echo " without start-up; ratio = tool / cdtop, > 1 means the peer costs more; target % = the target's own"
echo " on-CPU time (sum of its threads' schedstat) over the tool's whole run, start-up included: what"
echo " watching costs the watched process (an idle target spends ~0 on its own);"
echo " cdtop-ns = cdtop --no-stacks)"
echo
echo "== first lines of cdtop's screen at t=$SECS s"
head -8 "$WORK/screen-cdtop.txt"

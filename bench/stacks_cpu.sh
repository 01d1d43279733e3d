#!/bin/bash
# bench/stacks_cpu.sh - CPU used by cdtop itself while it samples the stacks
# of a many-threaded busy process at the default rate, against
# `perf record -g -F 49 -p PID`, in the same run on the same target. No
# timing assertions: it prints % of one core and the ratio.
#
#   bench/stacks_cpu.sh [-t THREADS] [-b] [-d SECS] [-L LIMIT_SECS]
#
# -t  threads of stacks_target (default 200, all spinning)
# -b  stacks_target -b: half of the threads block in read() instead
# -d  window: cdtop --snapshot --duration SECS, perf ... -- sleep SECS (default 20)
# -L  kill a tool still running after this many seconds (default 900)
# Environment: CDTOP (default ../cdtop), CC, KEEP=1 keeps the work directory.
#
# CPU = (utime + stime) from /proc/<tool pid>/stat, in CLK_TCK ticks, over
# wall time since the tool started, read every 0.2 s; the figure at SECS
# (the requested window) and the last reading before the tool exited are
# both given, plus the same from /proc/<tool pid>/schedstat (ns on CPU).
# The tools run one after the other, not at once.
set -euo pipefail
export LC_ALL=C

T=200 BLOCK='' SECS=20 LIMIT=900
usage() { echo "usage: $0 [-t threads] [-b] [-d secs] [-L limit_secs]" >&2; exit 2; }
while getopts "t:bd:L:h" o; do
	case $o in
	t) T=$OPTARG ;; b) BLOCK=-b ;; d) SECS=$OPTARG ;; L) LIMIT=$OPTARG ;; *) usage ;;
	esac
done

. "$(cd "$(dirname "$0")" && pwd)/stacks_lib.sh"

command -v perf >/dev/null || die "perf not found: apt-get install -y linux-perf"
HZ=$(getconf CLK_TCK)

start_target -t "$T" $BLOCK -a 7200

echo "== environment"
print_env
echo "target:   pid $TPID, stacks_target -t $T $BLOCK ($(grep '^ready' "$WORK/target.out"))"
echo "window:   $SECS s per tool, one tool at a time"
echo

# measure NAME CMD...: start CMD in the background, read its CPU every
# 0.2 s until it exits; sets R_AT (CPU % at SECS), R_ALL (CPU % over its
# whole run, last reading), R_SCHED_ALL (same from schedstat), R_TICKS,
# R_WALL (us), R_RC. The loop uses shell builtins only: while the target's
# threads spin, every process this script forks waits its turn among them.
measure() {
	local name=$1 pid s el line run f at_ticks=-1 at_el=0 last_el=0 last_run=0
	shift
	s=$EPOCHREALTIME
	"${TOOL_NICE[@]}" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	pid=$!
	BGPIDS+=("$pid")
	R_TICKS=0
	while :; do
		el=$(( ${EPOCHREALTIME/./} - ${s/./} ))
		read -r line <"/proc/$pid/stat" 2>/dev/null || break
		read -r run _ <"/proc/$pid/schedstat" 2>/dev/null || break
		# after "comm) ": state is field 0, utime field 11, stime field 12
		read -ra f <<<"${line##*) }"
		[ "${f[0]}" = Z ] && break
		R_TICKS=$(( f[11] + f[12] )) last_el=$el last_run=$run
		if [ "$at_ticks" -lt 0 ] && [ "$el" -ge $((SECS * 1000000)) ]; then
			at_ticks=$R_TICKS at_el=$el
		fi
		if [ "$el" -ge $((LIMIT * 1000000)) ]; then
			echo "# $name still running after $LIMIT s: killed"
			kill -TERM "$pid" 2>/dev/null || true
		fi
		sleep 0.2
	done
	set +e
	wait "$pid"
	R_RC=$?
	set -e
	unset 'BGPIDS[-1]'
	R_WALL=$(( ${EPOCHREALTIME/./} - ${s/./} ))
	R_ALL=$(awk -v t="$R_TICKS" -v hz="$HZ" -v e="$last_el" 'BEGIN { if (e > 0) printf "%.2f", t / hz / (e / 1e6) * 100; else print "-" }')
	R_SCHED_ALL=$(awk -v r="$last_run" -v e="$last_el" 'BEGIN { if (e > 0) printf "%.2f", r / 1e9 / (e / 1e6) * 100; else print "-" }')
	# A tool that ended before SECS (perf's sleep): its last reading.
	[ "$at_ticks" -ge 0 ] || { at_ticks=$R_TICKS at_el=$last_el; }
	R_AT=$(awk -v t="$at_ticks" -v hz="$HZ" -v e="$at_el" 'BEGIN { if (e > 0) printf "%.2f", t / hz / (e / 1e6) * 100; else print "-" }')
}

printf '%-7s %10s %12s %16s %14s %12s   %s\n' tool "wall s" "CPU % at ${SECS}s" "CPU % whole run" "ticks (CPU s)" "schedstat %" "notes"
row() {  # name notes
	printf '%-7s %10.1f %12s %16s %14s %12s   %s\n' "$1" "$(awk -v u="$R_WALL" 'BEGIN { print u / 1e6 }')" "$R_AT" "$R_ALL" \
		"$R_TICKS ($(awk -v t="$R_TICKS" -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }'))" "$R_SCHED_ALL" "$2"
}

measure cdtop "$CDTOP" -p "$TPID" --snapshot "$WORK/cdtop.json" --duration "$SECS"
CD_ALL=$R_ALL CD_AT=$R_AT
note="exit $R_RC"
[ -s "$WORK/cdtop.json" ] && note="$note; $(jq -r '.profile | "\(.samples_total) samples, \(.stops) stops, \(.frequency_hz) Hz of \(.requested_hz), pause p50 \(.pause_us_p50) us"' "$WORK/cdtop.json")"
row cdtop "$note"
LEFT_CD=$(stopped_or_traced | wc -l)

measure perf perf record -g -F 49 -p "$TPID" -o "$WORK/perf.data" -- sleep "$SECS"
PF_ALL=$R_ALL PF_AT=$R_AT
note="exit $R_RC; $(grep -ho '([0-9]* samples)' "$WORK/perf.err" "$WORK/perf.out" 2>/dev/null | head -1)"
row perf "$note"
grep -hiE 'not supported|error|permission|paranoid' "$WORK/perf.err" 2>/dev/null | head -3 | sed 's/^/# perf: /' || true

echo
echo "ratio cdtop / perf (CPU %): at ${SECS} s $(awk -v a="$CD_AT" -v b="$PF_AT" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'), whole run $(awk -v a="$CD_ALL" -v b="$PF_ALL" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }')"
echo "threads left stopped or traced after cdtop: $LEFT_CD"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg); others: $(others_busy)"

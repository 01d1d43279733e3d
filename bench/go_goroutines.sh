#!/bin/bash
# bench/go_goroutines.sh - reading the goroutines of a Go program with many
# of them: cdtop from outside vs the program's own
# pprof.Lookup("goroutine").WriteTo, in the same run on the same target,
# with the target's own scheduling latency measured during each (a pause
# of the program shows as late wake-ups of its 1 ms ticker). See
# bench/README.md, Goroutines. Not part of make check; run as root.
#
#   bench/go_goroutines.sh [-n GOROUTINES] [-d DEPTH] [-r RUNS] [-p POLL_SECS]
#
# Defaults: -n 100000 -d 8 -r 5 -p 10. Environment: CDTOP (binary, default
# the tree's ./cdtop), GO (default go), KEEP=1 keeps the work directory.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
CDTOP=${CDTOP:-$TOP/cdtop}
GO=${GO:-go}
N=100000 DEPTH=8 RUNS=5 POLL=10
PROG=$(basename "$0")

usage() { echo "usage: $PROG [-n GOROUTINES] [-d DEPTH] [-r RUNS] [-p POLL_SECS]" >&2; exit 2; }
while getopts n:d:r:p:h o; do
	case $o in
	n) N=$OPTARG ;;
	d) DEPTH=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	p) POLL=$OPTARG ;;
	*) usage ;;
	esac
done

[ "$(id -u)" = 0 ] || { echo "$PROG: run as root (cdtop reads another process's memory)" >&2; exit 2; }
[ -x "$CDTOP" ] || { echo "$PROG: no cdtop binary at $CDTOP (build it, or set CDTOP=)" >&2; exit 2; }
command -v jq >/dev/null || { echo "$PROG: needs jq (apt-get install -y jq)" >&2; exit 2; }
command -v "$GO" >/dev/null || { echo "$PROG: needs go (apt-get install -y golang-go)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/go-goroutines-bench.XXXXXX")
TPID=
cleanup() {
	local rc=$?
	set +e
	trap - EXIT INT TERM HUP
	if [ -n "$TPID" ]; then
		kill -KILL "$TPID" 2>/dev/null
		wait "$TPID" 2>/dev/null
	fi
	if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cp "$CDTOP" "$WORK/cdtop"
cp "$HERE/go_bench_target.go" "$WORK/"
(cd "$WORK" && GOCACHE=$WORK/gocache GOPATH=$WORK/gopath GOENV=off GO111MODULE=off GOFLAGS= \
	"$GO" build -o go_bench_target go_bench_target.go) || { echo "$PROG: go build failed" >&2; exit 1; }

OUT=$WORK/target.out
"$WORK/go_bench_target" -n "$N" -depth "$DEPTH" >"$OUT" 2>"$WORK/target.err" &
TPID=$!

# wait_line PREFIX COUNT: until OUT has COUNT lines starting with PREFIX.
wait_line() {
	local i=0
	local n
	while n=$(grep -c "^$1" "$OUT" 2>/dev/null || true); [ "${n:-0}" -lt "$2" ]; do
		kill -0 "$TPID" 2>/dev/null || { echo "$PROG: the target died: $(cat "$WORK/target.err")" >&2; exit 1; }
		i=$((i + 1))
		[ "$i" -lt 6000 ] || { echo "$PROG: no '$1' line from the target in 300 s" >&2; exit 1; }
		sleep 0.05
	done
}
# latency: end the target's latency window; its line goes in LATLINE
# (not a $(...) subshell, which would lose the count of windows).
LAT=0
LATLINE=
latency() {
	LAT=$((LAT + 1))
	kill -USR1 "$TPID"
	wait_line latency "$LAT"
	LATLINE=$(grep '^latency' "$OUT" | sed -n "${LAT}p")
}
kv() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

wait_line ready 1
want=$(kv "$(grep '^ready' "$OUT")" goroutines)
echo "== $("$GO" version | awk '{ print $3 }'), $want goroutines (NumGoroutine), each $DEPTH frames of main.park deep in chan receive"
echo "== machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r)"
latency                                             # the set-up window

# One warm-up read (page cache of the binary, DWARF parse).
"$WORK/cdtop" -p "$TPID" --snapshot "$WORK/warm.json" --duration 0 --no-stacks

PP=0
printf '%-4s %10s %10s %10s %7s | %-26s %-26s %-26s\n' run cdtop_ms cdtop_run pprof_ms ratio \
	"idle: p99/max latency us" "during cdtop" "during pprof"
for r in $(seq 1 "$RUNS"); do
	latency
	sleep 1
	latency
	base=$LATLINE
	t0=$EPOCHREALTIME
	"$WORK/cdtop" -p "$TPID" --snapshot "$WORK/run$r.json" --duration 0 --no-stacks
	t1=$EPOCHREALTIME
	latency
	during=$LATLINE
	PP=$((PP + 1))
	kill -USR2 "$TPID"
	wait_line "pprof debug=1" "$PP"
	pline=$(grep '^pprof debug=1' "$OUT" | sed -n "${PP}p")
	latency
	dpprof=$LATLINE
	read_ms=$(jq -r .goroutines.read_ms "$WORK/run$r.json")
	count=$(jq -r .goroutines.count "$WORK/run$r.json")
	run_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
	pms=$(kv "$pline" ms)
	printf '%-4s %10s %10s %10s %7s | %-26s %-26s %-26s\n' "$r" "$read_ms" "$run_ms" "$pms" \
		"$(awk -v a="$read_ms" -v b="$pms" 'BEGIN { printf "%.2f", a / b }')" \
		"$(kv "$base" p99_us)/$(kv "$base" max_us)" "$(kv "$during" p99_us)/$(kv "$during" max_us)" \
		"$(kv "$dpprof" p99_us)/$(kv "$dpprof" max_us)"
	echo "$read_ms $pms $run_ms $(kv "$base" max_us) $(kv "$during" max_us) $(kv "$dpprof" max_us) $count" >>"$WORK/runs"
	[ "$count" = "$want" ] || echo "   note: cdtop counted $count goroutines, the program $want"
done

# debug=2 (every goroutine printed) once, for reference.
kill -HUP "$TPID"
wait_line "pprof debug=2" 1
p2=$(kv "$(grep '^pprof debug=2' "$OUT")" ms)

# cdtop watching for POLL seconds: a light read (g structs only) every
# second, full reads at start and end; its own CPU time.
latency
sleep "$POLL"
latency
idle_lat=$LATLINE
TIMEFORMAT='%R %U %S'
cpu=$( { time "$WORK/cdtop" -p "$TPID" --snapshot "$WORK/poll.json" --duration "$POLL" --no-stacks; } 2>&1 )
latency
poll_lat=$LATLINE
hist=$(jq -c '[.history[].goroutines] | unique' "$WORK/poll.json")

echo
echo "== medians over $RUNS runs"
m_cdtop=$(cut -d' ' -f1 "$WORK/runs" | median)
m_pprof=$(cut -d' ' -f2 "$WORK/runs" | median)
echo "cdtop read of $want goroutines with stacks: $m_cdtop ms (goroutines.read_ms); whole cdtop run (start, 2 reads, JSON): $(cut -d' ' -f3 "$WORK/runs" | median) ms"
echo "pprof.Lookup(\"goroutine\").WriteTo(debug=1) in the program: $m_pprof ms; debug=2 (once): $p2 ms"
echo "ratio cdtop / pprof debug=1: $(awk -v a="$m_cdtop" -v b="$m_pprof" 'BEGIN { printf "%.2f", a / b }')"
echo "target's worst wake-up delay, median of runs: idle $(cut -d' ' -f4 "$WORK/runs" | median) us, during cdtop $(cut -d' ' -f5 "$WORK/runs" | median) us, during pprof $(cut -d' ' -f6 "$WORK/runs" | median) us"
read -r wall user sys <<<"$cpu"
echo "cdtop --duration $POLL (light read every second): wall ${wall}s, CPU user ${user}s + sys ${sys}s = $(awk -v u="$user" -v s="$sys" -v d="$POLL" 'BEGIN { printf "%.1f%% of one CPU", (u + s) / d * 100 }'); target latency p99/max meanwhile $(kv "$poll_lat" p99_us)/$(kv "$poll_lat" max_us) us, over $POLL s idle just before $(kv "$idle_lat" p99_us)/$(kv "$idle_lat" max_us) us; history counts $hist"

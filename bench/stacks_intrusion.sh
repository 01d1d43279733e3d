#!/bin/bash
# bench/stacks_intrusion.sh - how long stack sampling keeps the threads of
# a busy process stopped: cdtop's sampling against perf record, eu-stack
# and gdb, measured from outside through /proc/PID/task/TID/schedstat, in
# the same run on the same target. No timing assertions: it prints
# per-thread figures and ratios.
#
#   bench/stacks_intrusion.sh [-t THREADS] [-b] [-d SECS] [-n DUMPS] [-c CAP_SECS]
#                             [-L CDTOP_LIMIT_SECS] [-s TOOLS]
#
# -t  spinning threads of stacks_target (default 200)
# -b  stacks_target -b: half of the threads block in read() instead
# -d  window of the baseline, cdtop (--duration) and perf (default 10 s)
# -n  eu-stack and gdb dumps (default: as many as cdtop took samples per
#     spinning thread in its window; 49 x SECS when cdtop is not run)
# -c  stop starting new eu-stack/gdb dumps after CAP seconds (default 60)
# -L  kill cdtop if it has not exited after this many seconds (default 900)
# -s  comma-separated tools among cdtop,perf,eu-stack,gdb,idle (default: all);
#     the baseline always runs first; idle is a second baseline (sleep SECS,
#     no tool): its row shows the method's own error
# Environment: CDTOP (default ../cdtop), CC, KEEP=1 keeps the work directory.
#
# Method (details in bench/README.md): the target is held in a group stop
# (SIGSTOP) between phases, so every thread's schedstat is exact when read.
# Its main thread runs SCHED_FIFO (stacks_target -r) so that SIGSTOP takes
# effect at once instead of after the main thread's turn among the spinners.
# Per phase: read schedstat, SIGCONT at t0, run the tool, SIGSTOP at t1,
# wait until every thread is stopped, read schedstat again. A spinning
# thread is always runnable, so over the phase
#     stopped = (t1 - t0) - d(run) - d(run-queue wait)
# and each ptrace stop adds one voluntary context switch (a spinning thread
# has none otherwise). Both are taken minus the same thread's figure in the
# baseline phase (no tool), which holds the cost of our own SIGSTOP.
set -euo pipefail
export LC_ALL=C

T=200 BLOCK='' DUR=10 NDUMPS='' CAP=60 CDLIMIT=900 TOOLS=cdtop,perf,eu-stack,gdb,idle
usage() {
	echo "usage: $0 [-t threads] [-b] [-d secs] [-n dumps] [-c cap_secs] [-L cdtop_limit_secs] [-s tools]" >&2
	exit 2
}
while getopts "t:bd:n:c:L:s:h" o; do
	case $o in
	t) T=$OPTARG ;; b) BLOCK=-b ;; d) DUR=$OPTARG ;; n) NDUMPS=$OPTARG ;;
	c) CAP=$OPTARG ;; L) CDLIMIT=$OPTARG ;; s) TOOLS=$OPTARG ;; *) usage ;;
	esac
done
has_tool() { [[ ",$TOOLS," == *",$1,"* ]]; }
NSPIN=$T
[ -n "$BLOCK" ] && NSPIN=$((T - T / 2))   # stacks_target -b: even-numbered threads spin

. "$(cd "$(dirname "$0")" && pwd)/stacks_lib.sh"

has_tool perf && ! command -v perf >/dev/null && die "perf not found: apt-get install -y linux-perf (or drop it with -s)"
has_tool eu-stack && ! command -v eu-stack >/dev/null && die "eu-stack not found: apt-get install -y elfutils (or drop it with -s)"
has_tool gdb && ! command -v gdb >/dev/null && die "gdb not found: apt-get install -y gdb (or drop it with -s)"

start_target -t "$T" $BLOCK -r -a 7200

# --- measurement -------------------------------------------------------------

# Wait until every thread of the target is in a stop (state T): only then
# are run time and run-queue wait in schedstat up to date.
wait_all_stopped() {
	local i n
	for i in $(seq 3000); do
		n=$(awk '{ s = $0; sub(/.*\) /, "", s); if (substr(s, 1, 1) != "T") n++ } END { print n + 0 }' \
			/proc/$TPID/task/*/stat 2>/dev/null)
		[ "$n" = 0 ] && return 0
		sleep 0.01
	done
	die "the target's threads did not all stop within 30 s after SIGSTOP"
}

# read_sched FILE: "tid name run_ns wait_ns voluntary_cs nonvoluntary_cs" per thread.
read_sched() {
	local d files=()
	for d in /proc/$TPID/task/*; do files+=("$d/comm" "$d/schedstat" "$d/status"); done
	awk '
		{ split(FILENAME, p, "/"); tid = p[5] }
		FILENAME ~ /\/comm$/      { name[tid] = $0; order[++n] = tid; next }
		FILENAME ~ /\/schedstat$/ { run[tid] = $1; wait[tid] = $2; next }
		/^voluntary_ctxt_switches:/    { vcs[tid] = $2 }
		/^nonvoluntary_ctxt_switches:/ { nvcs[tid] = $2 }
		END { for (i = 1; i <= n; i++) { t = order[i]; print t, name[t], run[t], wait[t], vcs[t], nvcs[t] } }
	' "${files[@]}" >"$1"
}

# phase NAME FUNCTION: one measured phase around FUNCTION (which runs a tool).
phase() {
	local name=$1 fn=$2 t0 t0b t1 t1b
	read_sched "$WORK/$name.s0"
	t0=$EPOCHREALTIME
	kill -CONT "$TPID"
	t0b=$EPOCHREALTIME
	"$fn"
	# Left stopped or still traced by the tool? (checked before our SIGSTOP)
	stopped_or_traced >"$WORK/$name.left" || true
	t1=$EPOCHREALTIME
	kill -STOP "$TPID"
	t1b=$EPOCHREALTIME
	# Time spent in kill(2) itself (signalling 200 threads): a bound on the
	# timestamps' error.
	echo "$(( ${t0b/./} - ${t0/./} )) $(( ${t1b/./} - ${t1/./} ))" >"$WORK/$name.killus"
	wait_all_stopped
	read_sched "$WORK/$name.s1"
	echo $(( ${t1/./} - ${t0/./} )) >"$WORK/$name.wall_us"
	# Per thread: tid name stopped_ns voluntary_cs_delta all_cs_delta
	awk -v wall_ns="$(( ($(cat "$WORK/$name.wall_us")) * 1000 ))" '
		NR == FNR { r[$1] = $3; w[$1] = $4; v[$1] = $5; nv[$1] = $6; next }
		($1 in r) { print $1, $2, wall_ns - ($3 - r[$1]) - ($4 - w[$1]), $5 - v[$1], ($5 + $6) - (v[$1] + nv[$1]) }
	' "$WORK/$name.s0" "$WORK/$name.s1" >"$WORK/$name.d"
	if [ -s "$WORK/$name.left" ]; then
		echo "# WARNING: after $name, $(wc -l <"$WORK/$name.left") thread(s) were left stopped or traced (tid state TracerPid):"
		sed 's/^/#   /' "$WORK/$name.left" | head -5
	fi
}

# --- the tools ---------------------------------------------------------------

tool_baseline() { run_bg /dev/null /dev/null sleep "$DUR"; }

CD_RC='' CD_WALL=''
tool_cdtop() {
	local s=$EPOCHREALTIME
	run_bg "$WORK/cdtop.out" "$WORK/cdtop.err" timeout -k 10 "$CDLIMIT" \
		"$CDTOP" -p "$TPID" --snapshot "$WORK/cdtop.json" --duration "$DUR" && CD_RC=0 || CD_RC=$?
	CD_WALL=$(( ${EPOCHREALTIME/./} - ${s/./} ))
}

PF_RC='' PF_WALL=''
tool_perf() {
	local s=$EPOCHREALTIME
	run_bg "$WORK/perf.out" "$WORK/perf.err" perf record -g -F 49 -p "$TPID" -o "$WORK/perf.data" -- sleep "$DUR" \
		&& PF_RC=0 || PF_RC=$?
	PF_WALL=$(( ${EPOCHREALTIME/./} - ${s/./} ))
}

# dump_loop NAME CMD...: run CMD NDUMPS times, but start no new dump after
# CAP seconds. Writes NAME.dumps (one "wall_us exit_status" line per dump).
dump_loop() {
	local name=$1 s=$EPOCHREALTIME d0 rc i=0
	shift
	: >"$WORK/$name.dumps"
	while [ $i -lt "$NDUMPS" ]; do
		if [ $i -gt 0 ] && [ $(( ${EPOCHREALTIME/./} - ${s/./} )) -ge $((CAP * 1000000)) ]; then
			break
		fi
		d0=$EPOCHREALTIME
		run_bg /dev/null "$WORK/$name.err.$i" timeout -k 10 600 "$@" && rc=0 || rc=$?
		echo "$(( ${EPOCHREALTIME/./} - ${d0/./} )) $rc" >>"$WORK/$name.dumps"
		i=$((i + 1))
	done
}
tool_eustack() { dump_loop eu-stack eu-stack -p "$TPID"; }
tool_gdb() { dump_loop gdb gdb -batch -ex 'thread apply all bt' -p "$TPID"; }

# --- run ---------------------------------------------------------------------

echo "== environment"
print_env
echo "target:   pid $TPID, stacks_target -t $T $BLOCK -r ($(grep '^ready' "$WORK/target.out"))"
echo "window:   $DUR s (baseline, cdtop --duration, perf); eu-stack/gdb: ${NDUMPS:-cdtop samples per thread} dumps, no new dump after $CAP s"
echo

kill -STOP "$TPID"
wait_all_stopped

echo "# baseline: sleep $DUR"
phase baseline tool_baseline

if has_tool cdtop; then
	echo "# cdtop -p $TPID --snapshot cdtop.json --duration $DUR   (killed after $CDLIMIT s)"
	phase cdtop tool_cdtop
	echo "#   cdtop exit status $CD_RC after $(awk -v u="$CD_WALL" 'BEGIN { printf "%.1f", u / 1e6 }') s"
	[ -s "$WORK/cdtop.err" ] && sed 's/^/#   cdtop stderr: /' "$WORK/cdtop.err" | head -5
fi
# Samples per spinning thread in cdtop's snapshot: "tid count" lines.
if [ -s "$WORK/cdtop.json" ]; then
	jq -r '(.threads | map({key: (.tid | tostring), value: .name}) | from_entries) as $n
		| .profile.stacks // [] | group_by(.tid)
		| map(select(($n[.[0].tid | tostring] // "") | startswith("spin-")) | "\(.[0].tid) \(map(.count) | add)")[]' \
		"$WORK/cdtop.json" >"$WORK/cdtop.per_tid"
fi
if [ -z "$NDUMPS" ]; then
	if [ -s "$WORK/cdtop.per_tid" ]; then
		NDUMPS=$(awk -v n="$NSPIN" '{ s += $2 } END { m = s / n; print (m < 1 ? 1 : int(m + 0.5)) }' "$WORK/cdtop.per_tid")
		echo "#   eu-stack and gdb will take $NDUMPS dump(s) each: cdtop's mean samples per spinning thread"
	else
		NDUMPS=$(awk -v d="$DUR" 'BEGIN { print int(49 * d + 0.5) }')
	fi
fi

if has_tool perf; then
	echo "# perf record -g -F 49 -p $TPID -- sleep $DUR"
	phase perf tool_perf
	echo "#   perf exit status $PF_RC after $(awk -v u="$PF_WALL" 'BEGIN { printf "%.1f", u / 1e6 }') s; $(grep -h 'perf record: Captured' "$WORK/perf.err" "$WORK/perf.out" 2>/dev/null | head -1)"
	grep -hiE 'not supported|error|warning|permission|paranoid' "$WORK/perf.err" 2>/dev/null | head -5 | sed 's/^/#   perf: /' || true
	if [ -s "$WORK/perf.data" ]; then
		perf report -i "$WORK/perf.data" --header-only 2>/dev/null | sed -n 's/^# event : name = \([^,]*\),.*/#   perf event: \1/p' | head -1
		perf script -i "$WORK/perf.data" -F tid 2>/dev/null | awk '{ c[$1]++ } END { for (t in c) print t, c[t] }' >"$WORK/perf.per_tid" || true
	fi
fi
if has_tool eu-stack; then
	echo "# eu-stack -p $TPID, $NDUMPS time(s), no new dump after $CAP s"
	phase eu-stack tool_eustack
	echo "#   $(awk '{ n++; s += $1; if ($2 != 0) bad++ } END { printf "%d dump(s), %.2f s each on average, %d non-zero exit", n, s / n / 1e6, bad }' "$WORK/eu-stack.dumps")"
fi
if has_tool idle; then
	echo "# idle: sleep $DUR (a second baseline)"
	phase idle tool_baseline
fi
if has_tool gdb; then
	echo "# gdb -batch -ex 'thread apply all bt' -p $TPID, $NDUMPS time(s), no new dump after $CAP s"
	phase gdb tool_gdb
	echo "#   $(awk '{ n++; s += $1; if ($2 != 0) bad++ } END { printf "%d dump(s), %.2f s each on average, %d non-zero exit", n, s / n / 1e6, bad }' "$WORK/gdb.dumps")"
fi
kill -CONT "$TPID"

# --- report --------------------------------------------------------------------

# Percentile (nearest rank) helper for awk programs.
AWK_PCT='function pct(a, n, p,   k) { k = int(p / 100 * n); if (k < p / 100 * n) k++; if (k < 1) k = 1; return a[k] }
function sortn(a, n,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x } }'

echo
echo "== baseline (no tool): per spinning thread, raw (t1-t0) - run - wait, i.e. the noise of the method"
awk "$AWK_PCT"'
	$2 ~ /^spin-/ { n++; s[n] = $3 / 1000; v[n] = $4 }
	END { sortn(s, n); sortn(v, n)
	      printf "stopped us p50 %.0f  p99 %.0f  max %.0f  min %.0f; voluntary switches p50 %d max %d (our SIGSTOP)\n",
	             pct(s, n, 50), pct(s, n, 99), s[n], s[1], pct(v, n, 50), v[n] }' "$WORK/baseline.d"

# summarize NAME COUNT_LABEL: one table row for a phase, baseline subtracted per thread.
# Prints: stops_p50 perstop_p50 perstop_p99 perstop_max total_p50 total_p99 total_max nthreads_stopped
summarize() {
	awk "$AWK_PCT"'
		NR == FNR { bs[$1] = $3; bv[$1] = $4; next }
		$2 ~ /^spin-/ && ($1 in bs) {
			n++; tot = ($3 - bs[$1]) / 1e6; stops = $4 - bv[$1]
			T[n] = tot; S[n] = stops
			if (stops > 0) { m++; P[m] = tot * 1000 / stops }
		}
		END {
			sortn(T, n); sortn(S, n); if (m) sortn(P, m)
			if (m) printf "%d %.0f %.0f %.0f %.2f %.2f %.2f %d\n", pct(S, n, 50), pct(P, m, 50), pct(P, m, 99), P[m], pct(T, n, 50), pct(T, n, 99), T[n], m
			else   printf "%d - - - %.2f %.2f %.2f 0\n", pct(S, n, 50), pct(T, n, 50), pct(T, n, 99), T[n]
		}' "$WORK/baseline.d" "$WORK/$1.d"
}

declare -A ROW=() COUNT=()
for name in cdtop perf eu-stack gdb idle; do
	[ -s "$WORK/$name.d" ] || continue
	ROW[$name]=$(summarize "$name")
done
[ -s "$WORK/cdtop.per_tid" ] && COUNT[cdtop]="$(awk '{ s += $2; n++ } END { printf "%.1f samples", s / '"$NSPIN"' }' "$WORK/cdtop.per_tid")"
[ -s "$WORK/perf.per_tid" ] && COUNT[perf]="$(awk -v f="$WORK/perf.d" 'BEGIN { while ((getline l < f) > 0) { split(l, a, " "); if (a[2] ~ /^spin-/) sp[a[1]] = 1; ns += (a[2] ~ /^spin-/) } }
	($1 in sp) { s += $2 } END { printf "%.1f samples", s / ns }' "$WORK/perf.per_tid")"
[ -n "${ROW[perf]:-}" ] && [ -z "${COUNT[perf]:-}" ] && COUNT[perf]="0 samples"
for name in eu-stack gdb; do
	[ -s "$WORK/$name.dumps" ] && COUNT[$name]="$(wc -l <"$WORK/$name.dumps") dumps"
done

echo
echo "== stopped time per spinning thread ($NSPIN of $T threads spin), minus the same thread's baseline"
echo "   stops = voluntary context switches (one per ptrace stop); per stop = thread's total / its stops"
printf '%-9s %-14s %7s %26s %30s %22s\n' tool "tool's count" "stops" "stopped us/stop p50/p99/max" "total stopped ms p50/p99/max" "ratio vs cdtop (stop/total p50)"
read -r c_st c_p50 _ _ c_t50 _ _ _ <<<"${ROW[cdtop]:-x - - - - - - -}"
for name in cdtop perf eu-stack gdb idle; do
	[ -n "${ROW[$name]:-}" ] || continue
	read -r st p50 p99 pmax t50 t99 tmax m <<<"${ROW[$name]}"
	r1=$(awk -v a="$p50" -v b="$c_p50" 'BEGIN { if (a == "-" || b == "-" || b + 0 <= 0) print "-"; else printf "%.1fx", a / b }')
	r2=$(awk -v a="$t50" -v b="$c_t50" 'BEGIN { if (b == "-" || b + 0 <= 0) print "-"; else if (a + 0 <= 0) print "~0"; else printf "%.2fx", a / b }')
	printf '%-9s %-14s %7s %26s %30s %22s\n' "$name" "${COUNT[$name]:--}" "$st" "$p50 / $p99 / $pmax" "$t50 / $t99 / $tmax" "$r1 / $r2"
done

if [ -n "$BLOCK" ]; then
	echo
	echo "== blocked threads (in read()): context switches per thread minus baseline (2 per wake-up: stop + back to sleep)"
	for name in cdtop perf eu-stack gdb idle; do
		[ -s "$WORK/$name.d" ] || continue
		awk "$AWK_PCT"'
			NR == FNR { b[$1] = $5; next }
			$2 ~ /^block-/ && ($1 in b) { n++; c[n] = $5 - b[$1] }
			END { sortn(c, n); printf "%-9s p50 %d  max %d  (over %d threads)\n", name, pct(c, n, 50), c[n], n }' name="$name" \
			"$WORK/baseline.d" "$WORK/$name.d"
	done
fi

if [ -s "$WORK/cdtop.json" ]; then
	echo
	echo "== cdtop's own figures (snapshot .profile)"
	jq -r '.profile | "frequency_hz \(.frequency_hz) (requested \(.requested_hz)), samples_total \(.samples_total), stops \(.stops), duration_s \(.duration_s)",
		"pause_us p50 \(.pause_us_p50)  p99 \(.pause_us_p99)  max \(.pause_us_max)",
		"status: \(.status)"' "$WORK/cdtop.json"
	awk -v n="$NSPIN" '{ c[++k] = $2 } END {
		for (i = 2; i <= k; i++) { x = c[i]; for (j = i - 1; j >= 1 && c[j] > x; j--) c[j + 1] = c[j]; c[j + 1] = x }
		printf "samples per spinning thread: %d of %d threads sampled at least once; min %d  median %d  max %d\n", k, n, c[1], c[int((k + 1) / 2)], c[k] }' \
		"$WORK/cdtop.per_tid"
	jq -r '.profile | if .frequency_hz < .requested_hz then "NOTE: frequency_hz \(.frequency_hz) < requested \(.requested_hz): the 1% pause budget lowered the rate" else empty end' "$WORK/cdtop.json"
	echo "cdtop wall time: $(awk -v u="$CD_WALL" 'BEGIN { printf "%.1f", u / 1e6 }') s for --duration $DUR (exit status $CD_RC)"
fi
echo
echo "kill(2) durations (CONT, STOP) in us per phase: $(for n in baseline cdtop perf eu-stack gdb idle; do [ -s "$WORK/$n.killus" ] && printf '%s %s; ' "$n" "$(cat "$WORK/$n.killus")"; done)"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg); others: $(others_busy)"

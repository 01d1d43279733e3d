#!/bin/bash
# bench/collect.sh - time one cdtop collection of a very large process
# against peers (ss -tanp; ls /proc/PID/fd + ps -L) in the same run, and
# check cdtop's counts. No timing assertions: it prints medians and ratios.
#
#   bench/collect.sh [-t THREADS] [-f FDS] [-s SOCKETS] [-r RUNS]
#
# Defaults: 10000 threads, 100000 fds, 50000 TCP sockets, 5 runs.
# Environment: CDTOP (default: ../cdtop next to this folder),
#              CC (default cc), KEEP=1 keeps the work directory.
# Needs root (sysctl, setrlimit). See bench/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
CDTOP=${CDTOP:-$TOP/cdtop}
CC=${CC:-cc}
T=10000 F=100000 S=50000 RUNS=5

usage() { echo "usage: $0 [-t threads] [-f fds] [-s sockets] [-r runs]" >&2; exit 2; }
while getopts "t:f:s:r:h" o; do
	case $o in
	t) T=$OPTARG ;; f) F=$OPTARG ;; s) S=$OPTARG ;; r) RUNS=$OPTARG ;; *) usage ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "collect.sh: needs root (sysctl, RLIMIT_NOFILE)" >&2; exit 2; }
[ -x "$CDTOP" ] || { echo "collect.sh: no cdtop binary at $CDTOP (build it, or set CDTOP=)" >&2; exit 2; }
for tool in jq ss ps; do
	command -v $tool >/dev/null || { echo "collect.sh: needs $tool" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/cdtop-bench.XXXXXX)
TPID=
HFPID=
declare -A SYSCTL_OLD=()

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
	if [ -n "$HFPID" ]; then
		kill -TERM "$HFPID" 2>/dev/null || true
		wait "$HFPID" 2>/dev/null || true
	fi
	if [ -n "$TPID" ] && kill -0 "$TPID" 2>/dev/null; then
		kill -KILL "$TPID" 2>/dev/null || true
		wait "$TPID" 2>/dev/null || true
	fi
	local k
	for k in "${!SYSCTL_OLD[@]}"; do
		sysctl -qw "$k=${SYSCTL_OLD[$k]}" || echo "collect.sh: could not restore $k" >&2
	done
	if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Raise a sysctl to at least $2, remembering the old value for cleanup.
raise_sysctl() {
	local key=$1 want=$2 path=/proc/sys/${1//.//} cur
	cur=$(cat "$path")
	if [ "$cur" -lt "$want" ]; then
		SYSCTL_OLD[$key]=$cur
		sysctl -qw "$key=$want"
		echo "# raised $key $cur -> $want (restored on exit)"
	fi
}

# A private copy, so a rebuild of ../cdtop during the run changes nothing.
cp "$CDTOP" "$WORK/cdtop"
CDTOP_SRC=$CDTOP
CDTOP=$WORK/cdtop

# --- kernel limits ---------------------------------------------------------
ntasks=$(ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l)
raise_sysctl kernel.pid_max $((T + ntasks + 2000))
raise_sysctl kernel.threads-max $((T + ntasks + 2000))
raise_sysctl vm.max_map_count $((2 * T + 2000))     # stack + guard page per thread

# RLIMIT_NOFILE: raising the hard limit needs CAP_SYS_RESOURCE, which even
# root may lack (containers). Then scale F and S down to what fits.
want_nofile=$((F > 200000 - 64 ? F + 64 : 200000))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want_nofile" ]; then
	ulimit -Hn "$want_nofile" 2>/dev/null || true
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
hard=$(ulimit -Hn)
SCALED=""
if [ "$hard" != unlimited ] && [ $((F + 64)) -gt "$hard" ]; then
	F0=$F S0=$S
	F=$((hard - 64))
	[ $((S + 100)) -gt "$F" ] && S=$(( (F / 2) / 2 * 2 ))
	SCALED="scaled down from -f $F0 -s $S0: RLIMIT_NOFILE hard limit is $hard and cannot be raised (no CAP_SYS_RESOURCE)"
	echo "# WARNING: $SCALED" >&2
fi

# --- target ----------------------------------------------------------------
"$CC" -O2 -pthread -o "$WORK/big_target" "$HERE/big_target.c"
echo "# starting big_target -t $T -f $F -s $S"
"$WORK/big_target" -t "$T" -f "$F" -s "$S" -a 600 >"$WORK/target.out" 2>"$WORK/target.err" &
TPID=$!
for _ in $(seq 600); do
	grep -q '^ready' "$WORK/target.out" 2>/dev/null && break
	if ! kill -0 "$TPID" 2>/dev/null; then
		echo "collect.sh: big_target died during setup:" >&2; cat "$WORK/target.err" >&2; TPID=; exit 1
	fi
	sleep 0.5
done
grep -q '^ready' "$WORK/target.out" || { echo "collect.sh: big_target not ready after 300 s" >&2; exit 1; }
sed 's/^/# /' "$WORK/target.err"
ready=$(grep '^ready' "$WORK/target.out")
field() { sed -n "s/.*[[:space:]]$1=\([0-9]*\).*/\1/p" <<<"$ready"; }
EXP_THREADS=$(field threads) EXP_FDS=$(field fds) EXP_EST=$(field established) EXP_LISTEN=$(field listen)

# --- which cdtop invocation is "one collection" ----------------------------
SNAP=$WORK/x.json
DUR=
for d in 0 0.1 1; do
	set +e
	"$CDTOP" -p "$TPID" --snapshot "$SNAP" --duration "$d" >"$WORK/cdtop.out" 2>"$WORK/cdtop.err"
	rc=$?
	set -e
	if [ $rc = 0 ]; then DUR=$d; break; fi
	if [ $rc != 2 ]; then   # 2 = usage error: try a larger duration; anything else is a failure
		echo "collect.sh: cdtop failed (exit $rc): $CDTOP -p $TPID --snapshot $SNAP --duration $d" >&2
		cat "$WORK/cdtop.out" "$WORK/cdtop.err" >&2
		exit 1
	fi
done
[ -n "$DUR" ] || { echo "collect.sh: cdtop rejected --duration 0, 0.1 and 1:" >&2; cat "$WORK/cdtop.err" >&2; exit 1; }
SUB_MS=$(awk -v d="$DUR" 'BEGIN { printf "%.3f", d * 1000 }')
CDTOP_CMD="$CDTOP -p $TPID --snapshot $SNAP --duration $DUR"
# Newer cdtop samples stacks with ptrace by default, also in a one-shot
# snapshot; when it has --no-stacks, time that form too (/proc figures only).
NOSTACK_CMD=
if "$CDTOP" --help 2>&1 | grep -q -- --no-stacks; then
	NOSTACK_CMD="$CDTOP_CMD --no-stacks"
	NOSTACK_CMD=${NOSTACK_CMD/$SNAP/$WORK/y.json}
fi
SS_CMD="ss -tanp"
LSPS_CMD="ls /proc/$TPID/fd | wc -l; ps -L -p $TPID | wc -l"

echo
echo "== environment"
echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "kernel:   $(uname -r) ($(nproc) cpus, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo))"
echo "cdtop:    $("$CDTOP" --version 2>&1 | head -1) (copy of $CDTOP_SRC, built $(date -u -r "$CDTOP_SRC" +%Y-%m-%dT%H:%M:%SZ))"
echo "load:     $(busy_others)"
echo "target:   pid $TPID, big_target -t $T -f $F -s $S${SCALED:+ ($SCALED)}"
echo "one-shot: $CDTOP_CMD$( [ "$DUR" = 0 ] || echo "   (--duration 0 rejected; $SUB_MS ms subtracted)")"
[ -z "$NOSTACK_CMD" ] || echo "also:     $NOSTACK_CMD"
[ -s "$WORK/cdtop.err" ] && sed 's/^/cdtop stderr: /' "$WORK/cdtop.err"

# --- counts ------------------------------------------------------------------
echo
echo "== cdtop counts vs expected (expected = what big_target counted itself; peer = ls/ss)"
peer_threads=$(ls /proc/$TPID/task | wc -l)
peer_fds=$(ls /proc/$TPID/fd | wc -l)
peer_est=$(ss -tanp state established 2>/dev/null | grep -c "pid=$TPID," || true)
peer_listen=$(ss -tlnp 2>/dev/null | grep -c "pid=$TPID," || true)
MISMATCH=0
printf '%-26s %10s %10s %10s  %s\n' figure expected cdtop peer check
check() {   # name expected got peer
	local verdict=ok
	if [ "$3" != "$2" ]; then
		if [[ "$3" =~ ^[0-9]+$ ]] && [ $(( ($3 - $2) * ($3 - $2) * 10000 )) -le $(( $2 * $2 )) ]; then
			verdict="~ok (within 1%)"
		else
			verdict=MISMATCH; MISMATCH=1
		fi
	fi
	printf '%-26s %10s %10s %10s  %s\n' "$1" "$2" "$3" "$4" "$verdict"
}
check "process.threads" "$EXP_THREADS" "$(jq -r '.process.threads' "$SNAP")" "$peer_threads"
check "threads[] (entries)" "$EXP_THREADS" "$(jq -r '.threads | length' "$SNAP")" "$peer_threads"
check "process.fds.open" "$EXP_FDS" "$(jq -r '.process.fds.open' "$SNAP")" "$peer_fds"
check "process.tcp.ESTABLISHED" "$EXP_EST" "$(jq -r '.process.tcp.ESTABLISHED' "$SNAP")" "$peer_est"
check "process.tcp.LISTEN" "$EXP_LISTEN" "$(jq -r '.process.tcp.LISTEN' "$SNAP")" "$peer_listen"
echo "fds.by_type: $(jq -c '.process.fds.by_type' "$SNAP")   errors: $(jq -c '.errors' "$SNAP")"

# --- timings -----------------------------------------------------------------
echo
declare -A MED=() SPREAD=() CPU=()
if command -v hyperfine >/dev/null; then
	echo "== timing with $(hyperfine --version), $RUNS runs + 1 warmup each, median"
	# In the background + wait, so that a signal to this script is acted on
	# at once (bash defers traps while a foreground child runs).
	extra=()
	[ -z "$NOSTACK_CMD" ] || extra=(-n "cdtop --no-stacks" "$NOSTACK_CMD")
	hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$WORK/h.json" \
		-n cdtop "$CDTOP_CMD" "${extra[@]}" -n "ss -tanp" "$SS_CMD" -n "ls fd + ps -L" "$LSPS_CMD" \
		>"$WORK/hyperfine.log" 2>&1 &
	HFPID=$!
	wait $HFPID || { cat "$WORK/hyperfine.log" >&2; exit 1; }
	HFPID=
	while IFS=$'\t' read -r name med spread cpu; do
		MED[$name]=$med; SPREAD[$name]=$spread; CPU[$name]=$cpu
	done < <(jq -r '.results[] | [.command, (.median * 1000 | tostring),
			("\(.min * 1000 | round)..\(.max * 1000 | round)"),
			((.user + .system) * 1000 | tostring)] | @tsv' "$WORK/h.json")
else
	echo "== timing with a date +%s%N loop (hyperfine not found), $RUNS runs + 1 warmup, median;"
	echo "   bash -c startup (median of $RUNS) subtracted from each"
	median_ms() {   # command: prints median wall ms of bash -c "$1"
		local i t0 t1 times=()
		bash -c "$1" >/dev/null 2>&1 || true
		for ((i = 0; i < RUNS; i++)); do
			t0=$(date +%s%N); bash -c "$1" >/dev/null 2>&1 || true; t1=$(date +%s%N)
			times+=($((t1 - t0)))
		done
		printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m / 1e6}'
	}
	base=$(median_ms ":")
	pairs=("cdtop|$CDTOP_CMD" "ss -tanp|$SS_CMD" "ls fd + ps -L|$LSPS_CMD")
	[ -z "$NOSTACK_CMD" ] || pairs+=("cdtop --no-stacks|$NOSTACK_CMD")
	for pair in "${pairs[@]}"; do
		m=$(median_ms "${pair#*|}")
		MED[${pair%%|*}]=$(awk -v m="$m" -v b="$base" 'BEGIN { printf "%.3f", m - b }')
		SPREAD[${pair%%|*}]=-
		CPU[${pair%%|*}]=-
	done
fi
echo "load after timing: $(busy_others)"
cd_ms=$(awk -v m="${MED[cdtop]}" -v s="$SUB_MS" 'BEGIN { printf "%.3f", m - s }')
echo
printf '%-18s %10s %15s %13s %17s %10s\n' tool "median ms" "ratio vs cdtop" "min..max ms" "cpu ms (usr+sys)" "cpu ratio"
names=(cdtop)
[ -z "$NOSTACK_CMD" ] || names+=("cdtop --no-stacks")
names+=("ss -tanp" "ls fd + ps -L")
for name in "${names[@]}"; do
	ms=${MED[$name]}
	case $name in cdtop*) ms=$(awk -v m="$ms" -v s="$SUB_MS" 'BEGIN { printf "%.3f", m - s }') ;; esac
	awk -v n="$name" -v m="$ms" -v c="$cd_ms" -v r="${SPREAD[$name]}" -v u="${CPU[$name]}" -v cu="${CPU[cdtop]}" \
		'BEGIN { printf "%-18s %10.1f %15.2f %13s %17s %10s\n", n, m, (c > 0 ? m / c : 0), r,
			(u == "-" ? "-" : sprintf("%.1f", u)), (u == "-" || cu <= 0 ? "-" : sprintf("%.2f", u / cu)) }'
done
[ "$DUR" = 0 ] || echo "(cdtop rows: measured time minus --duration $DUR = $SUB_MS ms)"
echo "(ratio = tool time / cdtop time; > 1 means the peer is slower. cpu ms = mean user+system time"
echo " of the command as hyperfine reports it: less sensitive to other load than wall time)"
if [ -f "$WORK/hyperfine.log" ] && grep -q Warning "$WORK/hyperfine.log"; then
	echo "hyperfine warnings:"; grep Warning "$WORK/hyperfine.log" | sort -u | sed 's/^/  /'
fi
if command -v strace >/dev/null; then
	echo
	echo "== where one cdtop collection goes: strace -c -f (separate run, not timed)"
	strace -c -f -o "$WORK/strace.txt" $CDTOP_CMD >/dev/null 2>&1 || true
	awk 'NR <= 2 || (NR > 2 && NR <= 9) || /total/' "$WORK/strace.txt"
fi
[ $MISMATCH = 0 ] || { echo "collect.sh: cdtop counts do not match (see above)" >&2; exit 3; }

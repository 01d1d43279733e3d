#!/bin/bash
# bench/stacks_dump.sh - one whole-process stack dump of a many-threaded
# busy process: `cdtop -p PID --stacks` against `eu-stack -p PID` and
# `gdb -batch -ex 'thread apply all bt' -p PID`, in the same run on the same
# target, and a check that the three agree on the stacks. No timing
# assertions: it prints medians and ratios.
#
#   bench/stacks_dump.sh [-t THREADS] [-b] [-r RUNS]
#
# -t  threads of stacks_target (default 200, all spinning)
# -b  stacks_target -b: half of the threads block in read() instead
# -r  timed runs per tool (default 5), after one untimed run whose output
#     is checked
# Environment: CDTOP (default ../cdtop), CC, KEEP=1 keeps the work directory.
set -euo pipefail
export LC_ALL=C

T=200 BLOCK='' RUNS=5
usage() { echo "usage: $0 [-t threads] [-b] [-r runs]" >&2; exit 2; }
while getopts "t:br:h" o; do
	case $o in
	t) T=$OPTARG ;; b) BLOCK=-b ;; r) RUNS=$OPTARG ;; *) usage ;;
	esac
done

. "$(cd "$(dirname "$0")" && pwd)/stacks_lib.sh"

command -v eu-stack >/dev/null || die "eu-stack not found: apt-get install -y elfutils"
command -v gdb >/dev/null || die "gdb not found: apt-get install -y gdb"

start_target -t "$T" $BLOCK -a 7200

CD_CMD="$CDTOP -p $TPID --stacks"
EU_CMD="eu-stack -p $TPID"
GDB_CMD="gdb -batch -ex 'thread apply all bt' -p $TPID"

echo "== environment"
print_env
echo "target:   pid $TPID, stacks_target -t $T $BLOCK ($(grep '^ready' "$WORK/target.out"))"
echo

# --- one untimed run of each, outputs kept and compared -----------------------
# Each parser prints "tid frame0 frame1 ..." (function names only, innermost
# first) for every thread in the dump.
parse_cdtop() {   # TID 123 (name) state R /   #0  0x... fn+0x1a (module+0x..)
	awk '/^TID / { if (tid) print tid, f; tid = $2; f = ""; next }
	     /^  #[0-9]/ { fn = $3; sub(/\+0x[0-9a-f]+$/, "", fn); f = f " " fn }
	     END { if (tid) print tid, f }' "$1"
}
parse_eustack() { # TID 123: / #0  0x... fn
	awk '/^TID [0-9]+:/ { if (tid) print tid, f; tid = $2; sub(/:$/, "", tid); f = ""; next }
	     /^#[0-9]/ { fn = $3; sub(/@.*/, "", fn); f = f " " fn }
	     END { if (tid) print tid, f }' "$1"
}
parse_gdb() {     # Thread 2 (Thread 0x... (LWP 123) "spin-0"): / #1  0x... in fn (...) at ... / #0  fn (...)
	awk '/^Thread [0-9]+ / { if (tid) print tid, f; tid = $0; sub(/.*\(LWP /, "", tid); sub(/\).*/, "", tid); f = ""; next }
	     /^#[0-9]/ { fn = ($3 == "in") ? $4 : $2; sub(/@.*/, "", fn); f = f " " fn }
	     END { if (tid) print tid, f }' "$1"
}

run_checked() {   # name parser cmd...: one run, output kept, target checked afterwards
	local name=$1 parser=$2 s rc
	shift 2
	s=$EPOCHREALTIME
	run_bg "$WORK/$name.txt" "$WORK/$name.err" "$@" && rc=0 || rc=$?
	printf '%-9s exit %s, %.1f s, ' "$name" "$rc" "$(awk -v u=$(( ${EPOCHREALTIME/./} - ${s/./} )) 'BEGIN { print u / 1e6 }')"
	"$parser" "$WORK/$name.txt" >"$WORK/$name.chains"
	stopped_or_traced >"$WORK/$name.left" || true
	if [ -s "$WORK/$name.left" ]; then
		echo "WARNING: $(wc -l <"$WORK/$name.left") thread(s) of the target left stopped or traced after $name:"
		sed 's/^/    /' "$WORK/$name.left" | head -5
	fi
}

echo "== output check (one untimed run each; also the warm-up)"
for name in cdtop eu-stack gdb; do
	case $name in
	cdtop)    run_checked cdtop parse_cdtop "$CDTOP" -p "$TPID" --stacks ;;
	eu-stack) run_checked eu-stack parse_eustack eu-stack -p "$TPID" ;;
	gdb)      run_checked gdb parse_gdb gdb -batch -ex 'thread apply all bt' -p "$TPID" ;;
	esac
	echo "$(wc -l <"$WORK/$name.chains") threads in the output, $(grep -c ' compute_b compute_a worker' "$WORK/$name.chains" || true) with compute_b <- compute_a <- worker innermost"
done

SAMPLE=$(grep -lx 'spin-0' /proc/$TPID/task/*/comm | head -1 | awk -F/ '{ print $5 }')
echo
echo "sample thread spin-0 (tid $SAMPLE), innermost first:"
AGREE=1
for name in cdtop eu-stack gdb; do
	chain=$(awk -v t="$SAMPLE" '$1 == t { $1 = ""; print substr($0, 2) }' "$WORK/$name.chains")
	ok=no
	[[ " $chain " == *" compute_b compute_a worker "* ]] && ok=yes
	[ $ok = yes ] || AGREE=0
	printf '  %-9s %-3s %s\n' "$name" "$ok" "${chain:-(no stack)}"
done
# All spinning threads: which tool has the chain for how many of them.
nspin=$(grep -lx 'spin-[0-9]*' /proc/$TPID/task/*/comm | wc -l)
echo "spinning threads with the full chain: $(for name in cdtop eu-stack gdb; do
	printf '%s %s/%s  ' "$name" "$(grep -c ' compute_b compute_a worker' "$WORK/$name.chains" || true)" "$nspin"; done)"
if [ -n "$BLOCK" ]; then
	echo "blocked threads with read <- wait_b <- wait_a: $(for name in cdtop eu-stack gdb; do
		printf '%s %s  ' "$name" "$(grep -cE ' (__libc_read|read|__GI___libc_read) wait_b wait_a' "$WORK/$name.chains" || true)"; done)"
fi

# --- timing -----------------------------------------------------------------------
echo
declare -A MED=() SPREAD=()
if command -v hyperfine >/dev/null; then
	echo "== timing with $(hyperfine --version), $RUNS runs each (no warm-up: the check above was one), output discarded"
	run_bg "$WORK/hyperfine.log" "$WORK/hyperfine.err" hyperfine -N --style basic --runs "$RUNS" --export-json "$WORK/h.json" \
		-n cdtop "$CD_CMD" -n eu-stack "$EU_CMD" -n gdb "$GDB_CMD" \
		|| { cat "$WORK/hyperfine.log" "$WORK/hyperfine.err" >&2; die "hyperfine failed"; }
	while IFS=$'\t' read -r name med spread; do
		MED[$name]=$med; SPREAD[$name]=$spread
	done < <(jq -r '.results[] | [.command, (.median * 1000 | tostring),
			("\(.min * 1000 | round)..\(.max * 1000 | round)")] | @tsv' "$WORK/h.json")
else
	echo "== timing: $RUNS runs each, median (hyperfine not found), output to /dev/null"
	for pair in "cdtop|$CD_CMD" "eu-stack|$EU_CMD" "gdb|$GDB_CMD"; do
		name=${pair%%|*} times=()
		for ((i = 0; i < RUNS; i++)); do
			s=$EPOCHREALTIME
			run_bg /dev/null /dev/null bash -c "${pair#*|}" || true
			times+=($(( ${EPOCHREALTIME/./} - ${s/./} )))
		done
		MED[$name]=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f", m / 1000 }')
		SPREAD[$name]=$(printf '%s\n' "${times[@]}" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%d..%d", lo / 1000, hi / 1000 }')
	done
fi
LEFT=$(stopped_or_traced | wc -l)

echo
printf '%-9s %12s %18s %16s   %s\n' tool "median ms" "min..max ms" "ratio vs cdtop" "goal"
for name in cdtop eu-stack gdb; do
	r=$(awk -v a="${MED[$name]}" -v b="${MED[cdtop]}" 'BEGIN { printf "%.2f", a / b }')
	case $name in
	cdtop) goal="" ;;
	eu-stack) goal=$(awk -v r="$r" 'BEGIN { print (r >= 5 ? "cdtop >= 5x faster: met" : "cdtop >= 5x faster: NOT met") }') ;;
	gdb) goal=$(awk -v r="$r" 'BEGIN { print (r >= 20 ? "cdtop >= 20x faster: met" : "cdtop >= 20x faster: NOT met") }') ;;
	esac
	printf '%-9s %12.1f %18s %15sx   %s\n' "$name" "${MED[$name]}" "${SPREAD[$name]}" "$r" "$goal"
done
echo
echo "stacks agree on spin-0 (compute_b <- compute_a <- worker in all three): $([ $AGREE = 1 ] && echo yes || echo NO)"
echo "threads left stopped or traced after the timed runs: $LEFT"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg); others: $(others_busy)"
[ $AGREE = 1 ] || exit 3

# shellcheck shell=bash
# bench/stacks_lib.sh - shared by bench/stacks_intrusion.sh, stacks_dump.sh
# and stacks_cpu.sh (sourced, not run). See bench/README.md, "Stack sampling".
#
# Sets HERE, TOP, CDTOP (a private copy in WORK), CC, WORK, TPID; provides
# the target's start-up, the cleanup trap, background runs that a signal to
# the script can interrupt, and the environment header.
#
# Every process a script starts is recorded (BGPIDS, TPID) and killed by
# its pid on exit, Ctrl-C or SIGTERM; the work directory is removed unless
# KEEP=1.

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
CDTOP=${CDTOP:-$TOP/cdtop}
CC=${CC:-cc}
PROG=$(basename "$0")
TPID=
BGPIDS=()

die() { echo "$PROG: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || { echo "$PROG: needs root (ptrace of a process we did not start directly, perf)" >&2; exit 2; }
[ -x "$CDTOP" ] || { echo "$PROG: no cdtop binary at $CDTOP (build it, or set CDTOP=)" >&2; exit 2; }
command -v jq >/dev/null || { echo "$PROG: needs jq (apt-get install -y jq)" >&2; exit 2; }
[ "${BASH_VERSINFO[0]}" -ge 5 ] || { echo "$PROG: needs bash >= 5 (EPOCHREALTIME)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/cdtop-stacks.XXXXXX)

# The script itself (timestamps, SIGSTOP/SIGCONT, /proc reads) runs at nice
# -10, so that it is not queued behind the target's spinning threads; the
# target and the tools run at the niceness the script was started with
# ("${TOOL_NICE[@]}" CMD).
BASE_NICE=$(nice)
renice -n -10 -p $$ >/dev/null 2>&1 || true
TOOL_NICE=(nice -n $((BASE_NICE - $(nice))))

stacks_cleanup() {
	local rc=$? p
	trap - EXIT INT TERM HUP
	for p in "${BGPIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	sleep 0.2
	for p in "${BGPIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	if [ -n "$TPID" ] && kill -0 "$TPID" 2>/dev/null; then
		kill -KILL "$TPID" 2>/dev/null || true
		wait "$TPID" 2>/dev/null || true
	fi
	if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
	exit $rc
}
trap stacks_cleanup EXIT
trap 'exit 130' INT TERM HUP

# A private copy, so a rebuild of ../cdtop during the run changes nothing.
cp "$CDTOP" "$WORK/cdtop"
CDTOP_SRC=$CDTOP
CDTOP=$WORK/cdtop

# run_bg OUT ERR CMD...: run CMD in the background with its output to OUT
# and ERR, wait for it (a signal to this script interrupts the wait and the
# trap kills CMD), return its exit status.
run_bg() {
	local out=$1 err=$2 pid rc
	shift 2
	"${TOOL_NICE[@]}" "$@" >"$out" 2>"$err" &
	pid=$!
	BGPIDS+=("$pid")
	set +e
	wait "$pid"
	rc=$?
	set -e
	unset 'BGPIDS[-1]'
	return $rc
}

# start_target ARGS...: build stacks_target and start it with ARGS; sets TPID.
start_target() {
	"$CC" -O2 -g -fno-omit-frame-pointer -pthread -o "$WORK/stacks_target" "$HERE/stacks_target.c"
	"${TOOL_NICE[@]}" "$WORK/stacks_target" "$@" >"$WORK/target.out" 2>"$WORK/target.err" &
	TPID=$!
	local i
	for i in $(seq 600); do
		grep -q '^ready' "$WORK/target.out" 2>/dev/null && break
		if ! kill -0 "$TPID" 2>/dev/null; then
			cat "$WORK/target.err" >&2; TPID=; die "stacks_target died during start-up"
		fi
		sleep 0.1
	done
	grep -q '^ready' "$WORK/target.out" || die "stacks_target not ready after 60 s"
	[ "$(ls /proc/$TPID/task | wc -l)" -gt 1 ] || die "pid $TPID is not the target"
}

# Tasks of the target whose state is T or t, or that have a tracer: a tool
# that left the target stopped or attached. Prints "tid state tracer" lines.
# One awk for all threads: while the target's threads spin, each process
# this script starts waits its turn among them, so forks are kept rare.
stopped_or_traced() {
	local d files=()
	for d in /proc/$TPID/task/*; do files+=("$d/stat" "$d/status"); done
	awk '{ split(FILENAME, p, "/"); tid = p[5] }
	     FILENAME ~ /\/stat$/ { s = $0; sub(/.*\) /, "", s); st[tid] = substr(s, 1, 1); order[++n] = tid; next }
	     /^TracerPid:/ { tr[tid] = $2 }
	     END { for (i = 1; i <= n; i++) { t = order[i]; if (st[t] == "T" || st[t] == "t" || tr[t] + 0 != 0) print t, st[t], tr[t] } }' \
		"${files[@]}" 2>/dev/null
}

# Busy processes other than the target (> 20% CPU since they started).
others_busy() {
	ps -eo pcpu=,pid=,comm= --sort=-pcpu | awk -v t="$TPID" '$1 >= 20 && $2 != t {printf "%s(%s) %s%%; ", $3, $2, $1}' | sed 's/; $//'
}

print_env() {
	echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "kernel:   $(uname -r) ($(nproc) cpus, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)), CLK_TCK $(getconf CLK_TCK)$( zcat /proc/config.gz 2>/dev/null | sed -n 's/^CONFIG_HZ=/, CONFIG_HZ /p')"
	echo "cdtop:    $("$CDTOP" --version 2>&1 | head -1) (copy of $CDTOP_SRC, built $(date -u -r "$CDTOP_SRC" +%Y-%m-%dT%H:%M:%SZ))"
	echo "nice:     script $(nice), target and tools $BASE_NICE"
	echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; includes the target's own spinning threads once it runs)"
	echo "others:   $(others_busy)"
}

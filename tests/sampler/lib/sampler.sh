# shellcheck shell=bash
# tests/sampler/lib/sampler.sh - helpers for the stack sampling tests
# (sourced after tests/lib.sh, bash).
#
# Thread-state checks read /proc directly so they see exactly what the
# kernel says: state letter (field 3 of task/TID/stat) and TracerPid
# (task/TID/status). A thread left behind by a sampler shows as state t
# (tracing stop) or T, or with a non-zero TracerPid.

# thread_report PID: one "tid:state:tracer" word per thread of PID.
thread_report() {
	local pid=$1 d tid st tr
	for d in /proc/"$pid"/task/*; do
		tid=${d##*/}
		st=$(sed 's/.*) //' "$d/stat" 2>/dev/null | cut -d' ' -f1) || continue
		[ -n "$st" ] || continue
		tr=$(awk '/^TracerPid:/ { print $2 }' "$d/status" 2>/dev/null)
		printf '%s:%s:%s ' "$tid" "$st" "${tr:-?}"
	done
	echo
}

# threads_clean PID: true when no thread is in state t/T or traced.
threads_clean() {
	local r
	r=$(thread_report "$1")
	! printf '%s\n' "$r" | tr ' ' '\n' | grep -Eq '^[0-9]+:([tT]:|[^:]*:[1-9])'
}

# threads_all_stopped PID: true when every thread is in state T.
threads_all_stopped() {
	local r
	r=$(thread_report "$1")
	[ -n "$r" ] && ! printf '%s\n' "$r" | tr ' ' '\n' | grep -Eq '^[0-9]+:[^T]'
}

# assert_not_stopped PID WHAT [LIMIT_MS]: within LIMIT_MS (default 200)
# every thread of PID runs untraced (no t/T state, TracerPid 0).
assert_not_stopped() {
	local pid=$1 what=$2 limit=${3:-200} i=0
	while ! threads_clean "$pid"; do
		kill -0 "$pid" 2>/dev/null || fail "$what: process $pid is gone"
		i=$((i + 10))
		[ "$i" -le "$limit" ] || fail "$what: threads of $pid still stopped or traced after ${limit} ms: $(thread_report "$pid")"
		sleep 0.01
	done
	kill -0 "$pid" 2>/dev/null || fail "$what: process $pid is gone"
	ok "$what: no thread of $pid stopped or traced ($(thread_report "$pid" | wc -w) threads)"
}

# proc_cpu_ticks PID: utime+stime of the whole process, in clock ticks.
proc_cpu_ticks() {
	sed 's/.*) //' /proc/"$1"/stat | awk '{ print $12 + $13 }'
}

# assert_progress PID WHAT: the process uses CPU within the next second.
assert_progress() {
	local pid=$1 a b i
	a=$(proc_cpu_ticks "$pid")
	for i in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.1
		b=$(proc_cpu_ticks "$pid")
		[ "$b" -gt "$a" ] && break
	done
	[ "$b" -gt "$a" ] || fail "$2: process $pid used no CPU in 1 s (ticks $a -> $b): $(thread_report "$pid")"
	ok "$2: process $pid is running (CPU ticks $a -> $b)"
}

# check_pause FILE: when the snapshot has samples, pause_us_p50 and
# pause_us_max are positive numbers (max >= p50); prints them.
check_pause() {
	local f=$1 n p50 p99 pmax stops
	n=$(jq -r '.profile.samples_total // 0' "$f")
	if [ "$n" = 0 ]; then
		say "intrusion: no samples in $(basename "$f"), pause figures not required ($(jq -c '{p50: .profile.pause_us_p50, max: .profile.pause_us_max}' "$f"))"
		return 0
	fi
	p50=$(jq_num "$f" .profile.pause_us_p50)
	pmax=$(jq_num "$f" .profile.pause_us_max)
	p99=$(jq -r .profile.pause_us_p99 "$f")
	stops=$(jq -r .profile.stops "$f")
	assert_cmp "pause_us_p50 in $(basename "$f")" "$p50" '>' 0
	assert_cmp "pause_us_max in $(basename "$f")" "$pmax" '>=' "$p50"
	say "intrusion: $(basename "$f"): pause p50=${p50} us p99=${p99} us max=${pmax} us over ${stops} stops, ${n} samples, rate $(jq -r .profile.frequency_hz "$f") Hz of $(jq -r .profile.requested_hz "$f")"
}

# top_summary FILE [N]: print the first N (default 5) top functions.
top_summary() {
	say "top functions ($(jq -r .profile.mode "$1") mode, $(jq -r .profile.samples "$1") samples):"
	jq -r --argjson n "${2:-5}" '.profile.top_functions[:$n][] |
		"    \(.function)  flat \(.flat) (\(.flat_pct)%)  cum \(.cum) (\(.cum_pct)%)  [\(.module)]"' "$1"
}

# cum_pct FILE FUNCTION: cum_pct of FUNCTION in top_functions (0 if absent).
cum_pct() {
	jq -r --arg f "$2" '[.profile.top_functions[] | select(.function == $f) | .cum_pct] | (.[0] // 0)' "$1"
}

# flat_pct FILE FUNCTION: flat_pct of FUNCTION in top_functions (0 if absent).
flat_pct() {
	jq -r --arg f "$2" '[.profile.top_functions[] | select(.function == $f) | .flat_pct] | (.[0] // 0)' "$1"
}

# go_env: a private Go environment under $TMPD (nothing written to HOME).
go_env() {
	export HOME=$TMPD/home GOCACHE=$TMPD/gocache GOPATH=$TMPD/gopath GOTMPDIR=$TMPD
	export GO111MODULE=on GOFLAGS='' GOPROXY=off
	mkdir -p "$HOME" "$GOCACHE" "$GOPATH"
}

# go_build SRC OUT [GO BUILD ARGS...]: build a single-file Go program.
go_build() {
	local src=$1 out=$2
	shift 2
	need_cmd go
	go_env
	cp "$src" "$TMPD/$(basename "$src")"
	(cd "$TMPD" && go build "$@" -o "$out" "$(basename "$src")") >"$TMPD/gobuild.log" 2>&1 ||
		fail "go build $* $(basename "$src") failed: $(head -c 1500 "$TMPD/gobuild.log")"
	ok "built $(basename "$out") with go build $* ($(go version | awk '{ print $3 }'))"
}

# srcdir of the tests (tests/targets sources that are built at test time).
# shellcheck disable=SC2034 # used by the tests
SAMPLER_SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# soft CHECK [ARGS...]: run one check (assert_*, jq_true, fail ...) in a
# subshell; a failure is printed and counted instead of ending the test,
# so one run reports every check. soft_done fails the test if any did.
SOFT_FAILS=0
soft() {
	if ! ("$@"); then
		SOFT_FAILS=$((SOFT_FAILS + 1))
	fi
}
soft_done() {
	[ "$SOFT_FAILS" = 0 ] || fail "$SOFT_FAILS check(s) failed, see the FAIL lines above"
}

# threads_clean_tracer PID: true when no thread has a TracerPid.
threads_clean_tracer() {
	local r
	r=$(thread_report "$1")
	! printf '%s\n' "$r" | tr ' ' '\n' | grep -Eq '^[0-9]+:[^:]*:[1-9]'
}

# restart_target NAME [ARGS...]: start_target for a target already started
# once in this test. start_bg (tests/lib.sh) reuses $TMPD/NAME.out and the
# shell truncates it only in the child, so wait_ready could still see the
# previous instance's "ready" (and target_line its lines): remove the old
# output first.
restart_target() {
	rm -f "$TMPD/$1.out" "$TMPD/$1.err"
	start_target "$@"
}

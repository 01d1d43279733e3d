# tests/lib.sh - helpers shared by the integration tests (sourced, bash).
#
# Each test is a bash script run by automake's test harness with CDTOP,
# TARGETS, FIXTURES and TESTLIB in the environment (see Makefile.am). The
# test starts real target processes, runs the real cdtop binary against
# them and checks its output. Exit status follows automake: 0 pass,
# 1 fail, 77 skip (always with the reason printed), 99 hard error.
#
# Everything a test writes goes under $TMPD (a fresh mktemp -d directory,
# removed on exit), never into the source tree, so tests work in a VPATH
# build with a read-only srcdir (make distcheck). Every background process
# started through this library is killed on exit.
#
# Typical use:
#   source "$TESTLIB"
#   need_cmd jq
#   start_target cpu_burn            # sets TARGET_PID, TARGET_OUT
#   take_snapshot "$TARGET_PID" "$TMPD/s.json" 3
#   v=$(jq_num "$TMPD/s.json" .process.cpu.user_pct)
#   assert_cmp "user CPU %" "$v" '>' 60

: "${CDTOP:?CDTOP is not set (run through make check, or export CDTOP=path/to/cdtop)}"
: "${TARGETS:?TARGETS is not set (directory of built test targets)}"

TEST_NAME=$(basename "$0" .sh)
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/cdtop-$TEST_NAME.XXXXXX")
_BG_PIDS=()
_EXIT_HOOKS=()

# Print a progress or result line (the harness keeps it in the .log file).
say() { printf '%s: %s\n' "$TEST_NAME" "$*"; }
# Record one successful check.
ok() { printf '%s: ok: %s\n' "$TEST_NAME" "$*"; }
# Fail the test with a message.
fail() { printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2; exit 1; }
# Skip the test (exit 77) with the reason; never silently.
skip() { printf '%s: SKIP: %s\n' "$TEST_NAME" "$*"; exit 77; }

# Run a command (string, eval'ed) when the test exits, before the targets
# are killed and $TMPD is removed.
on_exit() { _EXIT_HOOKS+=("$1"); }

_cleanup() {
	local rc=$? h p
	trap - EXIT
	set +e
	for h in "${_EXIT_HOOKS[@]+"${_EXIT_HOOKS[@]}"}"; do
		eval "$h" >/dev/null 2>&1
	done
	for p in "${_BG_PIDS[@]+"${_BG_PIDS[@]}"}"; do
		kill -KILL "$p" 2>/dev/null
	done
	for p in "${_BG_PIDS[@]+"${_BG_PIDS[@]}"}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMPD"
	exit $rc
}
trap _cleanup EXIT
trap 'exit 99' INT TERM HUP

# need_cmd CMD...: skip (with the reason) unless every command exists.
need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "'$c' is not installed (Debian: apt-get install -y $c)"
	done
}

# ---------------------------------------------------------------------------
# Background processes

# start_bg NAME CMD [ARGS...]: start CMD in the background with stdin from
# /dev/null and stdout/stderr in $TMPD/NAME.out / NAME.err. Sets BG_PID,
# BG_OUT, BG_ERR. The process is killed when the test exits. CMD may be
# `env VAR=value prog`: env execs prog, so the pid is prog's.
start_bg() {
	local name=$1
	shift
	BG_OUT=$TMPD/$name.out
	BG_ERR=$TMPD/$name.err
	# Truncate here, not only in the child: a second start of the same
	# target must not see the first one's "ready".
	: >"$BG_OUT"
	: >"$BG_ERR"
	"$@" </dev/null >"$BG_OUT" 2>"$BG_ERR" &
	BG_PID=$!
	_BG_PIDS+=("$BG_PID")
}

# wait_ready PID OUTFILE [TIMEOUT_S]: wait until OUTFILE has a line
# "ready" (default 10 s); fail if the process dies or time runs out.
wait_ready() {
	local pid=$1 out=$2 limit=${3:-10} i=0 n
	n=$((limit * 20))
	while ! grep -qx ready "$out" 2>/dev/null; do
		if ! kill -0 "$pid" 2>/dev/null; then
			fail "target pid $pid died before printing ready; its output: $(cat "$out" "${out%.out}.err" 2>/dev/null | head -c 2000)"
		fi
		i=$((i + 1))
		[ "$i" -lt "$n" ] || fail "target pid $pid did not print ready within ${limit}s"
		sleep 0.05
	done
}

# start_target NAME [ARGS...]: start $TARGETS/NAME (a built test target)
# and wait for its "ready". Sets TARGET_PID and TARGET_OUT.
start_target() {
	local name=$1
	shift
	[ -x "$TARGETS/$name" ] || fail "test target $TARGETS/$name is not built (make check builds it)"
	start_bg "$name" "$TARGETS/$name" "$@"
	wait_ready "$BG_PID" "$BG_OUT"
	TARGET_PID=$BG_PID
	TARGET_OUT=$BG_OUT
	say "started $name (pid $TARGET_PID)"
}

# start_target_env "VAR=value ..." NAME [ARGS...]: start_target with extra
# environment variables (space-separated assignments).
start_target_env() {
	local envs=$1 name=$2
	shift 2
	[ -x "$TARGETS/$name" ] || fail "test target $TARGETS/$name is not built (make check builds it)"
	# shellcheck disable=SC2086
	start_bg "$name" env $envs "$TARGETS/$name" "$@"
	wait_ready "$BG_PID" "$BG_OUT"
	TARGET_PID=$BG_PID
	TARGET_OUT=$BG_OUT
	say "started $name (pid $TARGET_PID) with environment $envs"
}

# target_line PREFIX: the first line of the target's stdout starting with
# PREFIX (e.g. "expect ").
target_line() {
	local l
	l=$(grep -m1 "^$1" "$TARGET_OUT" || true)
	[ -n "$l" ] || fail "target printed no line starting with '$1'"
	printf '%s\n' "$l"
}

# kv LINE KEY: the value of KEY=value in a line of words.
kv() {
	local w
	for w in $1; do
		case $w in "$2"=*) printf '%s\n' "${w#*=}"; return 0 ;; esac
	done
	fail "no $2= in line: $1"
}

# stop_pid PID: kill a background process and reap it.
stop_pid() {
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------------------
# Running cdtop

# run_cdtop [ARGS...]: run cdtop with stdin from /dev/null and stdout and
# stderr captured; never aborts the test. Sets RC, OUT (stdout file), ERR
# (stderr file) and ELAPSED (seconds, decimal). A run is killed after
# $CDTOP_TIMEOUT seconds (default 30), which shows as RC 124.
run_cdtop() {
	local t0 t1
	OUT=$TMPD/cdtop.stdout
	ERR=$TMPD/cdtop.stderr
	t0=$(date +%s.%N)
	set +e
	timeout -k 5 "${CDTOP_TIMEOUT:-30}" "$CDTOP" "$@" </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	set -e
	t1=$(date +%s.%N)
	ELAPSED=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

# run_cdtop_as USER [ARGS...]: like run_cdtop, but as an unprivileged user
# (setpriv drops every capability with the uid).
run_cdtop_as() {
	local user=$1 group t0 t1
	shift
	group=$(id -gn "$user")
	OUT=$TMPD/cdtop.stdout
	ERR=$TMPD/cdtop.stderr
	t0=$(date +%s.%N)
	set +e
	timeout -k 5 "${CDTOP_TIMEOUT:-30}" setpriv --reuid="$user" --regid="$group" --clear-groups \
		"$CDTOP" "$@" </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	set -e
	t1=$(date +%s.%N)
	ELAPSED=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

# Show what cdtop printed (for failure messages).
cdtop_said() {
	printf 'stderr: %s' "$(head -c 1500 "$ERR" 2>/dev/null)"
}

# expect_rc WANT WHAT: the last run_cdtop exited with WANT.
expect_rc() {
	if [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
		fail "$2: cdtop did not finish within ${CDTOP_TIMEOUT:-30}s (killed); $(cdtop_said)"
	fi
	[ "$RC" = "$1" ] || fail "$2: exit status $RC, expected $1; $(cdtop_said)"
	ok "$2: exit $RC"
}

# expect_one_line_stderr WHAT: the last run's stderr is exactly one
# non-empty line starting with "cdtop: ".
expect_one_line_stderr() {
	local n first
	n=$(awk 'END { print NR }' "$ERR")
	first=$(head -n 1 "$ERR")
	[ "$n" = 1 ] || fail "$1: stderr has $n lines, expected exactly 1: $(head -c 1500 "$ERR")"
	case $first in
	"cdtop: "?*) ;;
	*) fail "$1: stderr line does not start with 'cdtop: ': $first" ;;
	esac
	ok "$1: stderr is one line: $first"
}

# expect_dir_empty DIR WHAT: nothing (not even a temp file) in DIR.
expect_dir_empty() {
	local left
	left=$(ls -A "$1")
	[ -z "$left" ] || fail "$2: files left behind in $1: $left"
	ok "$2: no file left behind"
}

# ---------------------------------------------------------------------------
# Numbers and JSON

# fcmp A OP B: true if the numeric comparison holds (OP: < <= > >= == !=).
fcmp() {
	awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
		if (a !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/ || b !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) exit 2
		a += 0; b += 0
		if (op == "<") r = a < b; else if (op == "<=") r = a <= b
		else if (op == ">") r = a > b; else if (op == ">=") r = a >= b
		else if (op == "==") r = a == b; else if (op == "!=") r = a != b
		else exit 2
		exit !r }'
}

# calc EXPR: evaluate an awk arithmetic expression (e.g. "$a / 4").
calc() { awk "BEGIN { print ($1) }"; }

# assert_cmp WHAT A OP B: numeric check, printed either way.
assert_cmp() {
	if fcmp "$2" "$3" "$4"; then
		ok "$1: $2 $3 $4"
	else
		fail "$1: expected $2 $3 $4"
	fi
}

# assert_eq WHAT GOT WANT: string equality.
assert_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
	ok "$1 = $2"
}

# jq_get FILE EXPR: raw jq output (strings unquoted, null as "null").
jq_get() {
	local v
	v=$(jq -r "$2" "$1" 2>&1) || fail "jq '$2' on $1 failed: $v"
	printf '%s\n' "$v"
}

# jq_num FILE EXPR: the value, which must be a JSON number.
jq_num() {
	local v
	v=$(jq -r "($2) | if type == \"number\" then . else error(\"is \\(type) \\(tojson), not a number\") end" "$1" 2>&1) ||
		fail "$2 in $(basename "$1"): $v"
	printf '%s\n' "$v"
}

# jq_true FILE EXPR WHAT: EXPR must evaluate to true.
jq_true() {
	local v
	v=$(jq -r "$2" "$1" 2>&1) || fail "$3: jq '$2' failed: $v"
	[ "$v" = true ] || fail "$3: '$2' is $v"
	ok "$3"
}

# cpu_mark PID: print "WALL UTIME STIME" (seconds) from /proc/PID/stat,
# to measure a process's real CPU use around a cdtop run.
cpu_mark() {
	local now
	now=$(date +%s.%N)
	sed 's/.*) //' /proc/"$1"/stat | awk -v now="$now" -v hz="$(getconf CLK_TCK)" \
		'{ printf "%s %.2f %.2f\n", now, $12 / hz, $13 / hz }'
}

# cpu_truth MARK0 MARK1: print "USER_PCT SYS_PCT" between two cpu_mark's.
cpu_truth() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		split(a, x, " "); split(b, y, " "); w = y[1] - x[1]
		printf "%.1f %.1f\n", 100 * (y[2] - x[2]) / w, 100 * (y[3] - x[3]) / w }'
}

# file_mode FILE: octal permission bits, e.g. 600.
file_mode() { stat -c %a "$1"; }

# Paths every snapshot must contain (format 1): each may be null when
# unknown, but never omitted. Children of an object that is itself null
# are not required.
SNAPSHOT_PATHS='
format version cdtop_version taken_at window_s host process history threads
profile locks deadlocks goroutines checklist sockets errors
host.hostname host.kernel host.ncpu
process.pid process.ppid process.comm process.exe process.cmdline process.state
process.uptime_s process.runtime process.threads
process.cpu process.cpu.user_pct process.cpu.sys_pct process.cpu.total_pct
process.memory process.memory.rss_kb process.memory.rss_anon_kb process.memory.rss_file_kb
process.memory.rss_shmem_kb process.memory.vsz_kb process.memory.swap_kb
process.fds process.fds.open process.fds.limit process.fds.by_type
process.fds.by_type.file process.fds.by_type.socket process.fds.by_type.pipe
process.fds.by_type.anon_inode process.fds.by_type.other
process.tcp process.tcp.ESTABLISHED process.tcp.SYN_SENT process.tcp.SYN_RECV
process.tcp.FIN_WAIT1 process.tcp.FIN_WAIT2 process.tcp.TIME_WAIT process.tcp.CLOSE
process.tcp.CLOSE_WAIT process.tcp.LAST_ACK process.tcp.LISTEN process.tcp.CLOSING
process.ctx_switches_per_s process.ctx_switches_per_s.voluntary
process.ctx_switches_per_s.involuntary
process.faults_per_s process.faults_per_s.minor process.faults_per_s.major
process.io_per_s process.io_per_s.read_bytes process.io_per_s.write_bytes
process.cgroup process.cgroup.path process.cgroup.cpu_throttled_pct
process.netns_time_wait
goroutines.count goroutines.go_version goroutines.by_status goroutines.by_wait_reason
goroutines.groups goroutines.read_ms goroutines.layout goroutines.system
goroutines.created_during_read goroutines.moved_during_read
'
HISTORY_KEYS='t cpu_user_pct cpu_sys_pct rss_kb threads fds goroutines'
THREAD_KEYS='tid name state cpu_user_pct cpu_sys_pct syscall wchan blocked_s lock stack
syscall_arg top_function ctx_switches stalled_polls futex'

# _missing_keys FILE: print the documented paths missing from FILE.
_missing_keys() {
	local paths p hk tk
	paths=$(for p in $SNAPSHOT_PATHS; do printf '"%s",' "$p"; done)
	hk=$(for p in $HISTORY_KEYS; do printf '"%s",' "$p"; done)
	tk=$(for p in $THREAD_KEYS; do printf '"%s",' "$p"; done)
	jq -r --argjson paths "[${paths%,}]" --argjson hk "[${hk%,}]" --argjson tk "[${tk%,}]" '
		def present($p): ($p | split(".")) as $a
			| ($a[:-1]) as $parent
			| (if ($parent | length) == 0 then . else getpath($parent) end) as $o
			| if $o == null and ($parent | length) > 0 then true
			  else ($o | type) == "object" and ($o | has($a[-1])) end;
		. as $root
		| ($paths[] | select(. as $p | $root | present($p) | not)),
		  ((.history // []) | to_entries[] | .key as $i | .value as $e
			| $hk[] | select(. as $k | ($e | type) != "object" or ($e | has($k) | not))
			| "history[\($i)].\(.)"),
		  ((.threads // []) | to_entries[] | .key as $i | .value as $e
			| $tk[] | select(. as $k | ($e | type) != "object" or ($e | has($k) | not))
			| "threads[\($i)].\(.)"),
		  ((.errors // []) | to_entries[] | .key as $i | .value as $e
			| ("source", "message") | select(. as $k | ($e | type) != "object" or ($e | has($k) | not))
			| "errors[\($i)].\(.)")
	' "$1"
}

# check_snapshot_common FILE PID WINDOW: the checks every JSON snapshot
# must pass: mode 0600, valid JSON, every documented key present, header
# fields, pid, window length, types of the sections.
check_snapshot_common() {
	local f=$1 pid=$2 window=$3 mode missing v ncpu
	[ -f "$f" ] || fail "snapshot $f was not written"
	mode=$(file_mode "$f")
	[ "$mode" = 600 ] || fail "snapshot mode is $mode, expected 600"
	ok "snapshot file mode 0600"
	jq -e . "$f" >/dev/null 2>&1 || fail "snapshot is not valid JSON: $(head -c 300 "$f")"
	ok "snapshot is valid JSON ($(wc -c <"$f") bytes)"
	missing=$(_missing_keys "$f") || fail "jq failed on $f"
	[ -z "$missing" ] || fail "snapshot lacks documented keys: $(echo "$missing" | tr '\n' ' ')"
	ok "every documented key is present"
	assert_eq "format" "$(jq_get "$f" .format)" cdtop-snapshot
	assert_eq "version" "$(jq_get "$f" .version)" 1
	jq_true "$f" '.cdtop_version | type == "string" and length > 0' "cdtop_version is a non-empty string"
	jq_true "$f" '.taken_at | type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})$")' \
		"taken_at is an ISO 8601 timestamp ($(jq_get "$f" .taken_at))"
	v=$(jq_num "$f" .window_s)
	assert_cmp "window_s" "$v" '>=' "$(calc "$window * 0.9")"
	assert_cmp "window_s" "$v" '<=' "$(calc "$window + 1.5")"
	ncpu=$(getconf _NPROCESSORS_ONLN)
	assert_eq "host.ncpu" "$(jq_get "$f" .host.ncpu)" "$ncpu"
	assert_eq "host.hostname" "$(jq_get "$f" .host.hostname)" "$(uname -n)"
	assert_eq "process.pid" "$(jq_get "$f" .process.pid)" "$pid"
	jq_true "$f" '(.history | type == "array" and length > 0) and (.threads | type == "array" and length > 0) and (.errors | type == "array")' \
		"history, threads (non-empty) and errors are arrays"
	jq_true "$f" '(.profile == null or (.profile | type) == "object")
		and (.locks == null or (.locks | type) == "array")
		and (.deadlocks == null or (.deadlocks | type) == "array")
		and (.checklist == null or (.checklist | type) == "array")
		and (.sockets == null or (.sockets | type) == "array")' \
		"profile/locks/deadlocks/checklist/sockets are null or of their documented type"
	jq_true "$f" 'if .process.runtime == "go" then (.goroutines | type) == "object" or
		([.errors[] | select(.source == "goroutines")] | length > 0) else .goroutines == null end' \
		"goroutines: an object for a Go target (or an error saying why not), null for a native one"
	say "sections now: profile=$(jq -c '.profile | type' "$f") locks=$(jq -c '.locks | type' "$f") deadlocks=$(jq -c '.deadlocks | type' "$f") checklist=$(jq -c '.checklist | type' "$f") errors=$(jq -c '.errors' "$f" | head -c 300)"
}

# take_snapshot PID FILE [WINDOW [EXTRA ARGS...]]: run
# cdtop -p PID --snapshot FILE --duration WINDOW (default 3), expect exit
# 0, and run check_snapshot_common on the result (JSON only). Sets
# CPU_MARK0/CPU_MARK1 (see cpu_mark) taken just before and after the run.
take_snapshot() {
	local pid=$1 f=$2 window=${3:-3}
	shift 2
	[ $# -gt 0 ] && shift
	# shellcheck disable=SC2034 # read by the tests
	CPU_MARK0=$(cpu_mark "$pid" 2>/dev/null || true)
	run_cdtop -p "$pid" --snapshot "$f" --duration "$window" "$@"
	# shellcheck disable=SC2034
	CPU_MARK1=$(cpu_mark "$pid" 2>/dev/null || true)
	expect_rc 0 "cdtop -p $pid --snapshot $(basename "$f") --duration $window $*"
	say "snapshot took ${ELAPSED}s"
	check_snapshot_common "$f" "$pid" "$window"
}

# ---------------------------------------------------------------------------
# Triage checklist

# item_field FILE ID FIELD: a field of checklist item ID ("" when absent).
item_field() {
	jq -r --arg id "$2" --arg f "$3" '[.checklist[]? | select(.id == $id) | .[$f]][0] // ""' "$1"
}

# expect_item FILE ID STATUSES [SUBSTRING...]: checklist item ID has one of
# the |-separated STATUSES (e.g. "warn|alert") and its evidence contains
# every SUBSTRING.
expect_item() {
	local f=$1 id=$2 want=$3 st ev sub
	shift 3
	st=$(item_field "$f" "$id" status)
	ev=$(item_field "$f" "$id" evidence)
	[ -n "$st" ] || fail "checklist has no item $id"
	case "|$want|" in
	*"|$st|"*) ;;
	*) fail "checklist item $id is '$st', expected $want; evidence: $ev" ;;
	esac
	for sub in "$@"; do
		case $ev in
		*"$sub"*) ;;
		*) fail "checklist item $id evidence lacks '$sub': $ev" ;;
		esac
	done
	ok "checklist $id = $st: $ev"
}

# expect_no_warn FILE: no checklist item is warn or alert.
expect_no_warn() {
	local bad
	bad=$(jq -r '.checklist[] | select(.status == "warn" or .status == "alert") | "\(.id)=\(.status): \(.evidence)"' "$1")
	[ -z "$bad" ] || fail "checklist items at warn or alert: $bad"
	ok "no checklist item at warn or alert ($(jq -r '[.checklist[].status] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' "$1"))"
}

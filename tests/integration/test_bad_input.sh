#!/bin/bash
# test_bad_input: every failure class exits with its own code, prints
# exactly one non-empty stderr line starting with "cdtop: ", and leaves no
# output file (nor temp file) behind. Exit codes (include/cdtop.h):
#    0 ok                     1 internal error
#    2 usage                  3 no such process
#    4 permission denied (nothing readable; see test_permission.sh)
#    5 exited during observation
#    6 kernel thread          7 zombie
#    8 output not writable    9 no terminal
#   10 bad input file       11 --fail-on level reached (tests/triage/)
# Cases: unknown pid, reaped pid and non-leader thread id -> 3; bad flags
# (also --fail-on with a bad level or without --snapshot) -> 2; kernel
# thread (pid 2, kthreadd) -> 6; zombie -> 7; unwritable output (/nonexistent/dir, /proc, /sys)
# or one that is not a regular file (/dev/null, a FIFO: left as they were) -> 8 before the window starts
# (< 2 s with --duration 5); target exiting mid-window -> 5 and no file;
# no --snapshot with stdout not a terminal -> 9 naming --snapshot.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"

ncase=0
# newdir: a fresh empty output directory for one case, in $D.
newdir() {
	ncase=$((ncase + 1))
	D=$TMPD/case$ncase
	mkdir "$D"
}
# bad WANT WHAT ARGS...: run cdtop ARGS in a fresh $D (ARGS may name it
# as "@D"), expect exit WANT, one stderr line, and $D left empty.
bad() {
	local want=$1 what=$2 a args=()
	shift 2
	newdir
	for a in "$@"; do args+=("${a//@D/$D}"); done
	run_cdtop "${args[@]}"
	expect_rc "$want" "$what"
	expect_one_line_stderr "$what"
	expect_dir_empty "$D" "$what"
}

start_bg sleeper sleep 120
SLEEPER=$BG_PID
say "sleeper pid $SLEEPER"

# --- 2: usage -------------------------------------------------------------
bad 2 "--bogus" -p "$SLEEPER" --snapshot @D/x.json --bogus
bad 2 "-p abc" -p abc --snapshot @D/x.json
bad 2 "-p -5" -p -5 --snapshot @D/x.json
bad 2 "-p 12abc" -p 12abc --snapshot @D/x.json
bad 2 "-d 0" -p "$SLEEPER" -d 0 --snapshot @D/x.json
bad 2 "--duration -1" -p "$SLEEPER" --snapshot @D/x.json --duration -1
bad 2 "--duration abc" -p "$SLEEPER" --snapshot @D/x.json --duration abc
bad 2 "--format xml" -p "$SLEEPER" --snapshot @D/x.json --format xml
bad 2 "--fail-on maybe" -p "$SLEEPER" --snapshot @D/x.json --fail-on maybe
bad 2 "--fail-on without --snapshot" -p "$SLEEPER" --fail-on alert
bad 2 "--nice 40" -p "$SLEEPER" --snapshot @D/x.json --nice 40
bad 2 "--nice x" -p "$SLEEPER" --snapshot @D/x.json --nice x
# A long-only option without its value is named as typed (it once printed
# a control character: getopt's optopt is not a letter for it).
bad 2 "--mode without a value" -p "$SLEEPER" --snapshot @D/x.json --mode
grep -q -- "option --mode needs a value" "$ERR" || fail "--mode without a value: $(cat -v "$ERR")"
ok "--mode without a value: the message names --mode"

# --- 3: no such process ---------------------------------------------------
pidmax=$(cat /proc/sys/kernel/pid_max)
unused=4194303
[ -e /proc/$unused ] && fail "test setup: pid $unused exists"
bad 3 "unknown pid $unused (pid_max $pidmax)" -p $unused --snapshot @D/x.json --duration 1
true &
reaped=$!
wait "$reaped"
[ -e /proc/$reaped ] && fail "test setup: reaped pid $reaped still exists"
bad 3 "reaped pid $reaped" -p "$reaped" --snapshot @D/x.json --duration 1

start_target threads_mix
tid=$(kv "$(target_line "tids ")" sleeper)
[ -e /proc/"$TARGET_PID"/task/"$tid" ] || fail "test setup: thread $tid missing"
bad 3 "non-leader thread id $tid (of pid $TARGET_PID)" -p "$tid" --snapshot @D/x.json --duration 1
stop_pid "$TARGET_PID"

# --- 6: kernel thread -----------------------------------------------------
# PF_KTHREAD is 0x00200000 in the flags field (9th) of /proc/PID/stat.
flags=$(sed 's/.*) //' /proc/2/stat 2>/dev/null | awk '{ print $7 }')
if [ -n "$flags" ] && [ $((flags & 0x00200000)) -ne 0 ]; then
	bad 6 "kernel thread pid 2 ($(cat /proc/2/comm))" -p 2 --snapshot @D/x.json --duration 1
else
	say "SKIP sub-case: pid 2 is not a kernel thread here (pid namespace?)"
fi

# --- 7: zombie ------------------------------------------------------------
start_target zombie_parent
zpid=$(target_line "zombie " | awk '{ print $2 }')
zstate=$(awk '/^State:/ { print $2 }' /proc/"$zpid"/status)
[ "$zstate" = Z ] || fail "test setup: pid $zpid is in state $zstate, not Z"
bad 7 "zombie pid $zpid" -p "$zpid" --snapshot @D/x.json --duration 1
stop_pid "$TARGET_PID"

# --- 8: output not writable, detected before the window -------------------
for out in /nonexistent/dir/x.json /proc/cdtop-test-$$.json /sys/cdtop-test-$$.json; do
	if [ "${out#/sys/}" != "$out" ] && (: >"$out") 2>/dev/null; then
		rm -f "$out"
		say "SKIP sub-case: $out is writable here"
		continue
	fi
	bad 8 "unwritable $out" -p "$SLEEPER" --snapshot "$out" --duration 5
	assert_cmp "unwritable $out: seconds taken with --duration 5" "$ELAPSED" '<' 2
	[ ! -e "$out" ] || fail "$out exists after the run"
done

# A destination that is not a regular file is refused, never replaced: as
# root, renaming the finished file over /dev/null made it a regular file.
mkfifo "$TMPD/fifo"
for out in /dev/null "$TMPD/fifo"; do
	bad 8 "not a file: $out" -p "$SLEEPER" --snapshot "$out" --duration 5
	assert_cmp "not a file $out: seconds taken with --duration 5" "$ELAPSED" '<' 2
done
[ -c /dev/null ] || fail "/dev/null is no longer a character device"
[ -p "$TMPD/fifo" ] || fail "$TMPD/fifo is no longer a FIFO"
ok "/dev/null and a FIFO are left as they were"

# --- 5: the process exits during the window -------------------------------
start_bg short sleep 1
short=$BG_PID
bad 5 "pid $short exiting 1 s into a 3 s window" -p "$short" --snapshot @D/x.json --duration 3
assert_cmp "exited case: seconds taken" "$ELAPSED" '<' 5

# --- 9: no terminal and no --snapshot --------------------------------------
run_cdtop -p $$
expect_rc 9 "no --snapshot, stdout not a terminal"
expect_one_line_stderr "no terminal"
grep -q -- --snapshot "$ERR" || fail "no terminal: the message does not mention --snapshot: $(cat "$ERR")"
ok "no terminal: the message mentions --snapshot"

say "PASS: $ncase failure cases exit with their codes, one stderr line each, nothing left behind"

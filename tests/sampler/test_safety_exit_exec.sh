#!/bin/bash
# test_safety_exit_exec: the target goes away during the window.
#  1. prof_exit exits after 1 s, cdtop --duration 3 -F 1000: exit 5, one
#     stderr line, no snapshot file (nor temp file), no crash (no signal
#     exit), done within ~3 s.
#  2. prof_exit's main thread execs /bin/sleep 30 after 1 s, and
#  3. a non-leader thread does (the kernel then gives the leader's pid to
#     that thread): cdtop does not crash or hang; exit 0 (it kept
#     observing the same pid, now /bin/sleep) or 5 (it saw the program
#     change and treats it as gone) are both accepted and printed;
#     afterwards the pid runs /bin/sleep, in state S, untraced, not
#     stopped. With exit 0 the snapshot must be valid JSON and describe
#     the program running at the end (process.exe is /bin/sleep, or
#     errors[] mentions the exec).
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
need_cmd jq
[ -x /bin/sleep ] || skip "/bin/sleep is missing"

# --- 1: exit mid-window ---------------------------------------------------
mkdir "$TMPD/o1"
start_target prof_exit 1000
pid=$TARGET_PID
run_cdtop -p "$pid" --snapshot "$TMPD/o1/s.json" --duration 3 -F 1000
say "cdtop said: $(cat "$ERR")"
soft assert_cmp "cdtop did not die of a signal (exit status < 128)" "$RC" '<' 128
expect_rc 5 "target exited during the window"
soft expect_one_line_stderr "target exited"
soft expect_dir_empty "$TMPD/o1" "target exited"
soft assert_cmp "run time (s)" "$ELAPSED" '<' 4.5
stop_pid "$pid"

# --- 2 and 3: exec mid-window ---------------------------------------------
for how in exec exec-thread; do
	mkdir "$TMPD/o-$how"
	restart_target prof_exit 1000 "$how"
	pid=$TARGET_PID
	run_cdtop -p "$pid" --snapshot "$TMPD/o-$how/s.json" --duration 3 -F 1000
	say "$how: cdtop exit $RC after ${ELAPSED}s; stderr: $(head -c 600 "$ERR")"
	soft assert_cmp "$how: cdtop did not die of a signal or time out (exit status < 124)" "$RC" '<' 124
	case $RC in
	0)
		ok "$how: exit 0: cdtop kept observing pid $pid across the exec"
		if jq -e . "$TMPD/o-$how/s.json" >/dev/null 2>&1; then
			ok "$how: snapshot is valid JSON; comm=$(jq -r .process.comm "$TMPD/o-$how/s.json") exe=$(jq -r .process.exe "$TMPD/o-$how/s.json") profile=$(jq -c '.profile | if . == null then null else {status, samples_total, stops} end' "$TMPD/o-$how/s.json") errors=$(jq -c .errors "$TMPD/o-$how/s.json" | head -c 300)"
			check_pause "$TMPD/o-$how/s.json"
			# The snapshot describes the process at the end of the window:
			# its exe must be the program then running (or errors[] must
			# say that the program changed).
			soft jq_true "$TMPD/o-$how/s.json" '(.process.exe | test("/sleep$")) or ([.errors[].message | test("exec"; "i")] | any)' \
				"$how: process.exe is the exec'ed program (or errors[] mentions the exec): exe=$(jq -r .process.exe "$TMPD/o-$how/s.json"), comm=$(jq -r .process.comm "$TMPD/o-$how/s.json")"
		else
			soft fail "$how: exit 0 but the snapshot is missing or not JSON"
		fi
		;;
	5)
		ok "$how: exit 5: cdtop treated the exec as the process going away"
		soft expect_dir_empty "$TMPD/o-$how" "$how"
		;;
	*) soft fail "$how: exit status $RC, expected 0 or 5; $(cdtop_said)" ;;
	esac
	kill -0 "$pid" 2>/dev/null || fail "$how: pid $pid is gone (the exec'ed sleep should still run)"
	soft assert_eq "$how: program running as pid $pid" "$(readlink /proc/"$pid"/exe)" "$(readlink -f /bin/sleep)"
	assert_not_stopped "$pid" "$how: exec'ed /bin/sleep"
	soft assert_eq "$how: state of the exec'ed sleep" "$(sed 's/.*) //' /proc/"$pid"/stat | cut -d' ' -f1)" S
	stop_pid "$pid"
done
soft_done
say "PASS: exit mid-window gives 5 and no file; exec mid-window leaves a running, untraced /bin/sleep"

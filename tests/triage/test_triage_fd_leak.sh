#!/bin/bash
# test_triage_fd_leak: fd_leak lowers its RLIMIT_NOFILE to 180 and leaks a
# descriptor every 40 ms in handle_request. Over 6 s the checklist must
# show the growth (fd-growth alert: fitted rise >= 50 and >= 50% of the
# start, with the time left before the limit) and the limit getting close
# (fd-limit warn at >= 50% of the limit, alert at >= 80%, as the open count
# in the same snapshot says). Run with --fail-on warn: exit 11 and one
# stderr line naming the items, the snapshot written all the same.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target fd_leak 180
snap=$TMPD/fd.json
run_cdtop -p "$TARGET_PID" --snapshot "$snap" --duration 6 --fail-on warn
expect_rc 11 "--fail-on warn with fds leaking"
grep -q "^cdtop: checklist alert: .*fd-growth.* (--fail-on warn)$" "$ERR" ||
	fail "stderr does not name fd-growth: $(cat "$ERR")"
check_snapshot_common "$snap" "$TARGET_PID" 6
open=$(jq_num "$snap" .process.fds.open)
say "fds: $(jq -c .process.fds "$snap"); history: $(jq -c '[.history[].fds]' "$snap")"
assert_cmp "fds open after 6 s of leaking (25 a second)" "$open" '>=' 140
expect_item "$snap" fd-growth alert "over 6 s" "at this rate the limit of 180 is reached in"
if [ "$open" -ge 144 ]; then want=alert; else want=warn; fi
expect_item "$snap" fd-limit "$want" "$open fds open (file" "of a limit of 180"
expect_item "$snap" tcp-close-wait ok
say "PASS"

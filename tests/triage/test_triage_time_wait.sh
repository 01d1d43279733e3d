#!/bin/bash
# test_triage_time_wait: tw_churn moves into its own network namespace
# (so other tests' sockets do not count) and makes 3000 short connections
# to itself, client closing first: 3000 sockets in TIME_WAIT for 60 s.
# TIME_WAIT sockets have no owner, so cdtop counts the namespace's
# (process.netns_time_wait from /proc/PID/net/sockstat): it must read
# 3000 (+- a few), and tcp-time-wait must warn (>= 2000).
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_bg tw_churn "$TARGETS/tw_churn" 3000
for _ in $(seq 200); do
	grep -qx ready "$BG_OUT" && break
	if ! kill -0 "$BG_PID" 2>/dev/null; then
		wait "$BG_PID" || rc=$?
		[ "${rc:-0}" = 77 ] && skip "tw_churn: $(cat "$BG_OUT")"
		fail "tw_churn died: $(cat "$BG_OUT" "$BG_ERR")"
	fi
	sleep 0.05
done
grep -qx ready "$BG_OUT" || fail "tw_churn not ready in 10 s"
snap=$TMPD/tw.json
take_snapshot "$BG_PID" "$snap" 1
tw=$(jq_num "$snap" .process.netns_time_wait)
assert_cmp "TIME_WAIT in the target's namespace" "$tw" '>=' 2990
assert_cmp "TIME_WAIT in the target's namespace" "$tw" '<=' 3010
expect_item "$snap" tcp-time-wait warn "$tw TCP sockets in TIME_WAIT in the process's network namespace"
say "PASS"

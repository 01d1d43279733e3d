#!/bin/bash
# test_triage_close_wait: conn_leak accepts a connection every 50 ms whose
# client hangs up, and never closes its end, so CLOSE_WAIT sockets pile up
# in the process. After 6 s the checklist's tcp-close-wait item must count
# exactly the process's CLOSE_WAIT sockets (process.tcp.CLOSE_WAIT, >= 10)
# at the level the threshold gives (>= 100 alert, >= 10 warn), and the fd
# count must show the same leak growing (fd-growth warn or alert).
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target conn_leak
snap=$TMPD/cw.json
take_snapshot "$TARGET_PID" "$snap" 6
cw=$(jq_num "$snap" .process.tcp.CLOSE_WAIT)
say "tcp: $(jq -c .process.tcp "$snap")"
assert_cmp "CLOSE_WAIT sockets after 6 s" "$cw" '>=' 10
if [ "$cw" -ge 100 ]; then want=alert; else want=warn; fi
expect_item "$snap" tcp-close-wait "$want" "$cw sockets in CLOSE_WAIT of" "LISTEN 1"
expect_item "$snap" fd-growth "warn|alert" "fds "
say "PASS"

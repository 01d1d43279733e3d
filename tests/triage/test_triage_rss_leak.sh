#!/bin/bash
# test_triage_rss_leak: rss_grow allocates and touches 20 MB a second and
# never frees. Over 6 s the rss-growth item must alert (fitted rise >=
# 64 MiB and >= 50% of the start), say it never fell and that the memory
# is anonymous; over 2 s the same item says unknown (history too short
# to judge a slope), not ok.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target rss_grow
short=$TMPD/short.json
take_snapshot "$TARGET_PID" "$short" 2
expect_item "$short" rss-growth unknown "history too short to judge a slope"
snap=$TMPD/rss.json
take_snapshot "$TARGET_PID" "$snap" 6
say "rss history: $(jq -c '[.history[].rss_kb]' "$snap")"
expect_item "$snap" rss-growth alert "RSS " "over 6 s" "never fell" "anonymous"
expect_item "$snap" threads-growth ok
say "PASS"

#!/bin/bash
# test_rss_growth: tests/targets/rss_grow allocates and writes about
# 20 MB per second. Over a 4 s window the snapshot's history (one point a
# second) must show it: history[-1].rss_kb > history[0].rss_kb + 30000,
# rss_kb never decreasing along the history, and
# process.memory.rss_anon_kb above the RssAnon read from /proc just
# before the window by more than 30000 kB; rss_kb >= rss_anon_kb.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target rss_grow
anon0=$(awk '/^RssAnon:/ { print $2 }' /proc/"$TARGET_PID"/status)
say "RssAnon before the window: $anon0 kB"
snap=$TMPD/s.json
take_snapshot "$TARGET_PID" "$snap" 4

say "history rss_kb: $(jq -c '[.history[] | {t, rss_kb}]' "$snap")"
first=$(jq_num "$snap" '.history[0].rss_kb')
last=$(jq_num "$snap" '.history[-1].rss_kb')
n=$(jq_get "$snap" '.history | length')
assert_cmp "history points over 4 s" "$n" '>=' 3
assert_cmp "history[-1].rss_kb - history[0].rss_kb" "$((last - first))" '>' 30000
# shellcheck disable=SC2016 # $r is jq's
jq_true "$snap" '[.history[].rss_kb] as $r | [range(1; $r | length) | $r[.] >= $r[. - 1]] | all' \
	"history rss_kb never decreases"
anon=$(jq_num "$snap" .process.memory.rss_anon_kb)
rss=$(jq_num "$snap" .process.memory.rss_kb)
say "process.memory: $(jq -c .process.memory "$snap")"
assert_cmp "rss_anon_kb growth over the window" "$((anon - anon0))" '>' 30000
assert_cmp "rss_kb >= rss_anon_kb" "$rss" '>=' "$anon"
vsz=$(jq_num "$snap" .process.memory.vsz_kb)
assert_cmp "vsz_kb >= rss_kb" "$vsz" '>=' "$rss"
say "PASS: rss grew from $first to $last kB, rss_anon from $anon0 to $anon kB"

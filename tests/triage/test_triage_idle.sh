#!/bin/bash
# test_triage_idle: a healthy idle process (sleep 1000) observed for 6 s
# gets an evaluated checklist with no warn and no alert: every item id is
# present in walk order (5 manual questions first, status manual, not
# answered), the trend items are judged (6 s is long enough), and
# --fail-on warn exits 0. The text report starts with the "most likely
# explanation" summary saying no automatic check found a problem, and has
# the checklist section.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_bg sleeper sleep 1000
pid=$BG_PID
snap=$TMPD/idle.json
take_snapshot "$pid" "$snap" 6 --fail-on warn
expect_no_warn "$snap"

ids=$(jq -r '[.checklist[].id] | join(" ")' "$snap")
say "checklist: $ids"
assert_eq "walk order" "$ids" "manual-traffic manual-deploy manual-heavy manual-scope manual-errors cpu-user cpu-sys cpu-starved rss-growth memory-pressure threads-growth goroutines-growth fd-limit fd-growth tcp-close-wait tcp-time-wait threads-d-state hot-function blocked-same-place goroutines-blocked lock-contention deadlock"
jq_true "$snap" '[.checklist[0:5][] | .status == "manual" and .answer == null and .note == null] | all' \
	"manual items are manual and not answered"
jq_true "$snap" '[.checklist[] | has("id") and has("title") and has("status") and has("evidence") and has("next_step") and has("pane") and has("answer") and has("note")] | all' \
	"every item has every field"
jq_true "$snap" '[.checklist[] | select(.status != "manual") | (.evidence | length > 0) and (.next_step | length > 20) and (.pane | IN("funcs","threads","locks","files","goroutines","overview"))] | all' \
	"automatic items carry evidence, a next step and a pane"
for id in cpu-user cpu-sys rss-growth threads-growth fd-growth fd-limit tcp-close-wait threads-d-state; do
	expect_item "$snap" "$id" ok
done
expect_item "$snap" cpu-user ok "of one CPU over 6 s"
expect_item "$snap" threads-growth ok "threads 1 -> 1"
expect_item "$snap" blocked-same-place ok "1 of 1 threads blocked now"

txt=$TMPD/idle.txt
run_cdtop -p "$pid" --snapshot "$txt" --duration 1 --fail-on alert
expect_rc 0 "text snapshot with --fail-on alert"
sed -n 4p "$txt" | grep -q "^Most likely explanation (pid $pid sleep" ||
	fail "line 4 of the text report is not the summary: $(head -6 "$txt")"
grep -q "No automatic check found a problem" "$txt" || fail "summary does not say nothing was found"
grep -q "^Checklist (walk it top to bottom" "$txt" || fail "no checklist section in the text report"
grep -q "ask    Is traffic (QPS) up? \[manual-traffic\]" "$txt" || fail "no manual item in the checklist section"
ok "text report: summary on top, checklist section"
say "PASS"

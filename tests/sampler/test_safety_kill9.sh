#!/bin/bash
# test_safety_kill9: kill -9 of cdtop at random moments while it samples
# never strands the target. prof_many (20 threads: spinning, napping,
# futex waits, blocked read/lock/sigwait) is sampled by cdtop
# --snapshot --duration 60 -F 1000, started afresh 100 times and SIGKILLed
# after 10 ms + a random 0-50 ms (tests/targets/prof_killer.c does the
# timing and the /proc scans, bash is too slow for it). After each kill,
# within 200 ms, no thread of the target may be in state t/T or have a
# TracerPid. At the end the target is alive, still ticking, with every
# counted thread making progress, and no file is left in the output dir.
# Prints how many kills found a thread traced just before / right after
# the kill, and the slowest time to a clean state.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
KILLS=${SAMPLER_KILLS:-100}

start_target prof_many
pid=$TARGET_PID
say "target: $(target_line threads=)"
mkdir "$TMPD/out"
set +e
"$TARGETS/prof_killer" "$CDTOP" "$pid" "$TMPD/out" "$KILLS" 10 50 >"$TMPD/killer.out" 2>&1
krc=$?
set -e
grep -v '^round' "$TMPD/killer.out" | sed 's/^/    /' || true
say "rounds that found a thread traced (first 15):"
grep '^round' "$TMPD/killer.out" | head -15 | sed 's/^/    /' || true
summary=$(grep '^kills=' "$TMPD/killer.out" || true)
[ -n "$summary" ] || fail "prof_killer gave no summary (exit $krc): $(tail -5 "$TMPD/killer.out")"
say "summary: $summary"
soft assert_eq "prof_killer exit status (1 = a round stayed dirty or the target died)" "$krc" 0
soft assert_cmp "kills done" "$(kv "$summary" kills)" '>=' "$KILLS"
soft assert_eq "kills after which a thread was still stopped/traced 200 ms later" "$(kv "$summary" dirty_after_200ms)" 0
soft assert_cmp "kills that hit cdtop while it had a thread seized (at least one, or the test proves little)" \
	"$(kv "$summary" traced_before_kill)" '>' 0
say "slowest return to a clean state: $(kv "$summary" max_clean_us) us (mean $(kv "$summary" mean_clean_us) us)"

kill -0 "$pid" 2>/dev/null || fail "target $pid died"
ok "target $pid is alive"
assert_not_stopped "$pid" "after $KILLS kills"
n0=$(grep -c '^tick ' "$TARGET_OUT" || true)
sleep 0.7
n1=$(grep -c '^tick ' "$TARGET_OUT" || true)
soft assert_cmp "target ticks in the last 0.7 s" "$((n1 - n0))" '>=' 4
minstalled=$(grep '^tick ' "$TARGET_OUT" | tail -5 | sed 's/.*stalled=//' | sort -n | head -1)
say "last ticks: $(grep '^tick ' "$TARGET_OUT" | tail -5 | tr '\n' ' ')"
soft assert_eq "fewest stalled counted threads over the last 5 ticks" "$minstalled" 0
left=$(ls -A "$TMPD/out")
soft assert_eq "files left in the snapshot directory by killed cdtops" "$left" ""
soft_done
say "PASS: $summary"

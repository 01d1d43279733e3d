#!/bin/bash
# test_no_env: cdtop must not copy the target's environment into its
# output. A target started with SECRET_TOKEN=hunter2 in its environment
# (checked in /proc/PID/environ) is snapshotted in JSON and text format;
# neither file (nor cdtop's stdout/stderr) may contain "hunter2" or
# "SECRET_TOKEN", while both do contain the target's pid.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target_env "SECRET_TOKEN=hunter2" cpu_burn 1
pid=$TARGET_PID
tr '\0' '\n' </proc/"$pid"/environ | grep -qx SECRET_TOKEN=hunter2 ||
	fail "test setup: SECRET_TOKEN=hunter2 is not in /proc/$pid/environ"
ok "the target's environment holds SECRET_TOKEN=hunter2"

for fmt in json text; do
	f=$TMPD/s.$fmt
	run_cdtop -p "$pid" --snapshot "$f" --duration 1 --format "$fmt"
	expect_rc 0 "$fmt snapshot"
	[ -s "$f" ] || fail "$fmt snapshot is empty or missing"
	grep -qw -- "$pid" "$f" || fail "$fmt snapshot does not mention pid $pid"
	ok "$fmt snapshot written ($(wc -c <"$f") bytes) and mentions pid $pid"
	for word in hunter2 SECRET_TOKEN; do
		if grep -q "$word" "$f" "$OUT" "$ERR"; then
			fail "$fmt: '$word' leaked: $(grep -n "$word" "$f" "$OUT" "$ERR" | head -c 400)"
		fi
		ok "$fmt: no '$word' in the snapshot or cdtop's output"
	done
done
say "PASS: the environment did not leak into either format"

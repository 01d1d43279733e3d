#!/bin/bash
# test_go_version: a Go version outside the layout table is reported, never
# guessed. Copies of go_gr (sleep mode) have their version string
# (.go.buildinfo, runtime.buildVersion) rewritten from go1.NN to go1.99,
# same length. The stripped copy has no DWARF: goroutines is null and
# errors[] says the layout is unknown and not guessed. The copy with DWARF
# still reads them (layout "dwarf"), counting as NumGoroutine does.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/go/lib.sh
source "$(dirname "$0")/lib.sh"
go_need_targets
need_cmd perl

old=$GO_VERSION
new="go1.99${old:6}"
[ "${#new}" = "${#old}" ] || fail "cannot build a same-length version string from $old"
for exe in go_gr go_gr_stripped; do
	cp "$TARGETS/$exe" "$TMPD/$exe-99"
	OLD=$old NEW=$new perl -pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/g' "$TMPD/$exe-99"
	n=$(grep -c -a -F "$new" "$TMPD/$exe-99" || true)
	[ "$n" -gt 0 ] || fail "$exe: version string $old not found in the binary"
	ok "$exe: version rewritten to $new"
	start_bg "$exe-99" "$TMPD/$exe-99" sleep
	wait_ready "$BG_PID" "$BG_OUT"
	TARGET_PID=$BG_PID
	TARGET_OUT=$BG_OUT
	n0=$(go_numgoroutine)
	f=$TMPD/$exe.json
	take_snapshot "$TARGET_PID" "$f" 1 --no-stacks
	say "$exe-99: goroutines $(jq -c '.goroutines | if . then {count, go_version, layout} else . end' "$f"), errors $(jq -c '[.errors[] | select(.source == "goroutines")]' "$f")"
	if [ "$exe" = go_gr_stripped ]; then
		jq_true "$f" '.goroutines == null' "$exe-99: goroutines not read"
		jq_true "$f" '[.errors[] | select(.source == "goroutines" and (.message | contains("outside the layout table") and contains("not guessed")))] | length == 1' \
			"$exe-99: the error says the version is outside the table and nothing is guessed"
	else
		assert_eq "$exe-99: layout" "$(jq_get "$f" .goroutines.layout)" dwarf
		assert_eq "$exe-99: go_version" "$(jq_get "$f" .goroutines.go_version)" "$new"
		assert_eq "$exe-99: count = NumGoroutine" "$(jq_get "$f" .goroutines.count)" "$n0"
	fi
	stop_pid "$TARGET_PID"
done
say "PASS: an unknown Go version is read from DWARF or reported, never guessed"

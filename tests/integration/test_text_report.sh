#!/bin/bash
# test_text_report: the text report. For a cpu_burn target:
#   - `--format text` (with a name that says nothing, s.out) and a .txt
#     extension without --format both write a text report: exit 0, mode
#     0600, not JSON, containing the pid and "CPU";
#   - `--format json` with a .txt name still writes JSON (the flag wins);
#   - `--snapshot -` writes the report (text or JSON) to standard output.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target cpu_burn 1
pid=$TARGET_PID

check_text() {
	local f=$1 what=$2 mode
	[ -f "$f" ] || fail "$what: no file written"
	mode=$(file_mode "$f")
	[ "$mode" = 600 ] || fail "$what: mode $mode, expected 600"
	ok "$what: mode 0600"
	if jq -e . "$f" >/dev/null 2>&1; then fail "$what: the text report parses as JSON"; fi
	ok "$what: not JSON"
	grep -qw -- "$pid" "$f" || fail "$what: the pid $pid does not appear: $(head -c 600 "$f")"
	ok "$what: contains the pid $pid"
	grep -q CPU "$f" || fail "$what: 'CPU' does not appear: $(head -c 600 "$f")"
	ok "$what: contains 'CPU'"
	say "$what: $(wc -l <"$f") lines; first lines:"
	head -n 8 "$f" | sed 's/^/    | /'
}

run_cdtop -p "$pid" --snapshot "$TMPD/s.out" --duration 1 --format text
expect_rc 0 "--format text"
check_text "$TMPD/s.out" "--format text"

run_cdtop -p "$pid" --snapshot "$TMPD/s.txt" --duration 1
expect_rc 0 ".txt extension"
check_text "$TMPD/s.txt" ".txt extension"

run_cdtop -p "$pid" --snapshot "$TMPD/j.txt" --duration 1 --format json
expect_rc 0 "--format json with a .txt name"
jq -e . "$TMPD/j.txt" >/dev/null 2>&1 || fail "--format json with a .txt name did not write JSON"
ok "--format json wins over a .txt extension"
# "-" writes to standard output, in either format.
run_cdtop -p "$pid" --snapshot - --duration 1 --format text
expect_rc 0 "--snapshot - --format text"
if ! grep -qw -- "$pid" "$OUT" || ! grep -q CPU "$OUT"; then
	fail "--snapshot - --format text: stdout lacks the pid or CPU: $(head -c 400 "$OUT")"
fi
ok "--snapshot - --format text: the report is on stdout ($(wc -l <"$OUT") lines)"
run_cdtop -p "$pid" --snapshot - --duration 1
expect_rc 0 "--snapshot -"
assert_eq "--snapshot -: pid in the JSON on stdout" "$(jq -r .process.pid "$OUT" 2>&1)" "$pid"
say "PASS: text reports contain pid $pid and CPU"

#!/bin/bash
# tests/layering_selftest.sh - the layering check (tests/layering.sh)
# catches what it is there for.
#
# Why: a check that never fails looks the same as a check that works.
# Each case copies src/ and include/ to a fresh directory under mktemp
# (the source tree may be read-only, as in `make distcheck`), makes one
# deliberate mistake, and passes only if the check then exits 1 with
# exactly one more violation than on the untouched copy, at the line of
# the mistake and under the right rule. Comments and strings that only
# mention a forbidden name must change nothing, and a small tree that
# keeps the rules must pass with exit 0.

set -u
here=$(cd "$(dirname "$0")" && pwd)
check="$here/layering.sh"
srcroot=$(cd "$here/.." && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cdtop-layering.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

failures=0
ncase=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A writable copy of the tree's sources in $tmp/$1.
copy_tree() {
	mkdir -p "$tmp/$1" &&
	(cd "$srcroot" && find src include -type f \( -name '*.c' -o -name '*.h' \) -print0 |
		tar --null -T - -cf -) | tar -xf - -C "$tmp/$1" &&
	chmod -R u+w "$tmp/$1"
}

count_of() { tail -n 1 <<<"$1" | sed -n 's/^layering: \([0-9]*\) violation.*/\1/p'; }

copy_tree base || { echo "cannot copy the tree" >&2; exit 99; }
base_out=$("$check" "$tmp/base")
base_rc=$?
base_n=$(count_of "$base_out")
if [ -z "$base_n" ] || { [ "$base_rc" != 0 ] && [ "$base_rc" != 1 ]; }; then
	echo "the check failed on the untouched tree (exit $base_rc):" >&2
	echo "$base_out" >&2
	exit 99
fi
echo "untouched tree: $base_n violations (exit $base_rc)"

# case NAME FILE RULE TEXT: append TEXT as a new last line of FILE and
# expect "FILE:LINE: RULE:" from the check, and nothing else new.
case_append() {
	local name=$1 file=$2 rule=$3 text=$4
	ncase=$((ncase + 1))
	copy_tree "$name" || { fail "$name: cannot copy"; return; }
	local path="$tmp/$name/$file"
	mkdir -p "$(dirname "$path")" && { [ -f "$path" ] || : >"$path"; }
	local line=$(($(wc -l <"$path") + 1))
	printf '%s\n' "$text" >>"$path"
	local out rc
	out=$("$check" "$tmp/$name")
	rc=$?
	local want="$file:$line: $rule:"
	if [ "$rc" != 1 ]; then
		fail "$name: exit $rc, expected 1"
	elif ! grep -qF -- "$want" <<<"$out"; then
		fail "$name: no \"$want\" line"
	elif [ "$(count_of "$out")" != $((base_n + 1)) ]; then
		fail "$name: $(count_of "$out") violations, expected $((base_n + 1))"
	else
		echo "ok $name: $(grep -F -- "$want" <<<"$out")"
		return
	fi
	echo "$out" | sed 's/^/    /'
}

# A file that does not exist yet gets created with TEXT as line 1.
case_append collect-includes-view src/collect/maps.c layer '#include "ui.h"'
case_append analysis-includes-collect src/analysis/profile.c layer '#include "maps.h"'
case_append collect-includes-analysis src/collect/maps.c layer '#include "triage.h"'
case_append model-header-includes-program include/snapshot.h layer '#include "session.h"'
case_append view-includes-program-angle src/view/ui_fmt.c layer '#include <tui_worker.h>'
case_append relative-path src/model/util.c layer '#include "../view/canvas.h"'
case_append curses-in-analysis src/analysis/triage.c curses '#include <curses.h>'
case_append ncursesw-in-view src/view/ui.c curses '#  include <ncursesw/ncurses.h>'
case_append ptrace-call-in-view src/view/ui.c ptrace 'static long probe(void) { return ptrace(PTRACE_PEEKDATA, 1, 0, 0); }'
case_append ptrace-header-in-collect src/collect/maps.c ptrace '#include <sys/ptrace.h>'
case_append ptrace-syscall src/collect/unwind.c ptrace 'static long probe(void) { return syscall(SYS_ptrace, 0, 0, 0, 0); }'
case_append unplaced-header include/probe.h placement '#define PROBE 1'
case_append unknown-folder src/misc/probe.c placement 'int probe;'
case_append unknown-include src/view/ui.c include '#include "no_such_header.h"'

# Mentions in comments and strings are not code.
ncase=$((ncase + 1))
copy_tree quiet
cat >>"$tmp/quiet/src/model/util.c" <<'EOF'
/* #include "ui.h" and ptrace(2), #include <curses.h>
 * over two lines: ptrace(PTRACE_SEIZE) */
// #include "session.h" ptrace(
static const char *const probe_text = "ptrace(\"#include <curses.h>\")";
static const char probe_ch = '(';
EOF
out=$("$check" "$tmp/quiet")
if [ "$out" = "$base_out" ]; then
	echo "ok comments-and-strings: no new violation"
else
	fail "comments-and-strings: the output changed"
	diff <(echo "$base_out") <(echo "$out") | sed 's/^/    /'
fi

# A tree that keeps every rule passes.
ncase=$((ncase + 1))
mini="$tmp/mini"
mkdir -p "$mini/include" "$mini/src/model" "$mini/src/collect" "$mini/src/analysis" \
	"$mini/src/view" "$mini/src/program"
printf '#include "snapshot.h"\n' >"$mini/src/model/snapshot.c"
printf '/* model */\n' >"$mini/include/snapshot.h"
printf '#include "snapshot.h"\n' >"$mini/include/cdtop.h"
printf '#include "snapshot.h"\n#include "maps.h"\n#include <sys/ptrace.h>\nint f(void) { return ptrace(0, 0, 0, 0); }\n' \
	>"$mini/src/collect/sampler.c"
printf '#include "snapshot.h"\n' >"$mini/src/collect/maps.h"
printf '#include "locks.h"\n#include "snapshot.h"\n' >"$mini/src/analysis/locks.c"
printf '#include "snapshot.h"\n' >"$mini/include/locks.h"
printf '#include "locks.h"\n#include "cdtop.h"\n#include <curses.h>\n' >"$mini/src/view/tui.c"
printf '#include "tui.h"\n#include "maps.h"\n#include "locks.h"\n' >"$mini/src/program/main.c"
printf '#include "cdtop.h"\n' >"$mini/include/tui.h"
out=$("$check" "$mini")
rc=$?
if [ "$rc" = 0 ] && [ "$out" = "layering: 0 violations in 10 files" ]; then
	echo "ok clean-tree: exit 0"
else
	fail "clean-tree: exit $rc"
	echo "$out" | sed 's/^/    /'
fi

# Every line but the count is "file:line: rule: what".
ncase=$((ncase + 1))
bad=$(sed '$d' <<<"$base_out" | grep -Ev '^[^: ]+:[0-9]+: (layer|curses|ptrace|placement|include): .')
if [ -z "$bad" ]; then
	echo "ok format"
else
	fail "format: $bad"
fi

echo "$((ncase - failures)) of $ncase cases passed"
[ "$failures" = 0 ]

#!/bin/bash
# test_prof_cpp: C++ names in the profile. tests/targets/prof_cpp.cc is
# compiled here with the system C++ compiler (-O2, frame pointers kept);
# its main thread runs Worker<int>::run -> Worker<int>::spin forever.
# cpu mode, --duration 3:
#  - top_functions[0] is a demangled name containing Worker<int>::spin or
#    Worker<int>::run (not _ZN6WorkerIiE4spinEi), flat_pct > 60;
#  - Worker<int>::run has cum_pct >= that flat_pct - 1 (caller chain);
#  - no top function is a raw mangled name (_Z...);
#  - pause figures positive; the target is left running.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
need_cmd jq
CXX=${CXX:-g++}
command -v "$CXX" >/dev/null 2>&1 || skip "no C++ compiler ($CXX; Debian: apt-get install -y g++)"

src=$SAMPLER_SRCDIR/targets/prof_cpp.cc
exe=$TMPD/prof_cpp
"$CXX" -O2 -fno-omit-frame-pointer -Wall -Wextra -o "$exe" "$src" 2>"$TMPD/cxx.log" ||
	fail "$CXX failed on prof_cpp.cc: $(head -c 1500 "$TMPD/cxx.log")"
[ -s "$TMPD/cxx.log" ] && fail "prof_cpp.cc does not compile cleanly: $(head -c 1500 "$TMPD/cxx.log")"
ok "built prof_cpp with $CXX -O2 -fno-omit-frame-pointer (no warnings)"

start_bg prof_cpp "$exe"
wait_ready "$BG_PID" "$BG_OUT"
pid=$BG_PID
say "started prof_cpp (pid $pid)"

run_cdtop -p "$pid" --stacks
expect_rc 0 "--stacks"
sed 's/^/    /' "$OUT" | head -12

f=$TMPD/cpu.json
take_snapshot "$pid" "$f" 3 --mode cpu
top_summary "$f" 5
top=$(jq_get "$f" '.profile.top_functions[0].function')
hot=$(jq_num "$f" '.profile.top_functions[0].flat_pct')
case $top in
*"Worker<int>::spin"* | *"Worker<int>::run"*) ok "top_functions[0] is demangled: $top" ;;
*) soft fail "top_functions[0].function is '$top', expected a demangled name containing Worker<int>::spin or Worker<int>::run (C++ demangling in src/collect/symbols.c?)" ;;
esac
soft assert_cmp "top function flat_pct" "$hot" '>' 60
run_cum=$(jq -r '[.profile.top_functions[] | select(.function | contains("Worker<int>::run")) | .cum_pct] | (.[0] // 0)' "$f")
soft assert_cmp "Worker<int>::run cum_pct (>= top flat_pct - 1)" "$run_cum" '>=' "$(calc "$hot - 1")"
soft jq_true "$f" '[.profile.top_functions[].function | select(startswith("_Z"))] | length == 0' \
	"no mangled (_Z...) name among top_functions"
check_pause "$f"
assert_not_stopped "$pid" "after the runs"
soft_done
say "PASS: top function '$top' ${hot}% flat; Worker<int>::run cum ${run_cum}%"

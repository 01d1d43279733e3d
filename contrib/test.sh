#!/bin/bash
# contrib/test.sh - install what is missing, build, and run the whole test
# suite (make check, then make distcheck). Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
./contrib/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

make check -j1
check_rc=$?
log=test-suite.log
count() { sed -n "s/^# $1: *\([0-9]*\).*/\1/p" "$log" | head -1; }
pass=$(count PASS); fail=$(count FAIL); err=$(count ERROR); xpass=$(count XPASS); skip=$(count SKIP)
pass=${pass:-0}; fail=$((${fail:-0} + ${err:-0} + ${xpass:-0})); skip=${skip:-0}
if [ "$fail" -gt 0 ]; then
	for f in $(grep -l -E '^:test-result: (FAIL|ERROR|XPASS)' tests/*.trs tests/*/*.trs 2>/dev/null); do
		echo "---- ${f%.trs}.log"; tail -30 "${f%.trs}.log"
	done
fi

dist_rc=0
if [ "${CDTOP_SKIP_DISTCHECK:-0}" != 1 ]; then
	make distcheck > distcheck.log 2>&1
	dist_rc=$?
	if [ $dist_rc -ne 0 ]; then
		tail -40 distcheck.log
		echo "make distcheck failed (see distcheck.log)"
		fail=$((fail + 1))
	else
		echo "make distcheck passed"
		pass=$((pass + 1))
	fi
fi
echo "$pass passed, $fail failed, $skip skipped"
[ $check_rc -eq 0 ] && [ $dist_rc -eq 0 ] && [ "$fail" -eq 0 ]

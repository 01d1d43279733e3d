#!/bin/bash
# tests/listed.sh - every file is on the list it must be on: each source
# file of src/, include/ and tests/ (fixtures too) is in the release
# tarball, and each test program or script under tests/ is registered
# for `make check`.
#
# Why: a file left out of Makefile.am's lists (a new header, a Go or C++
# target compiled at test time, a fixture) builds and passes in a git
# checkout and only breaks `make distcheck` later, or is silently never
# tested from the tarball; a test left out of TESTS is silently never
# run. This test fails in `make check` instead.
#
# Usage: tests/listed.sh [DIST]. DIST (default tests/listed.dist in the
# build folder, where `make check` runs tests; tests/tree.mk writes it)
# holds $(DISTFILES) one per line, with the $(srcdir)/ prefix removed. A
# listed folder counts for every file under it (automake copies it
# whole). Checked: *.c *.cc *.h *.go *.sh *.mk and everything under
# tests/fixtures/ must be in DIST (hidden folders, Go's caches, aside);
# tests/*/test_*.sh and tests/unit/test_NAME.c (as tests/unit/test_NAME)
# must be named in Makefile.am or a tests/*.mk, which is where TESTS is
# built (read there, not from $(TESTS), which `make check TESTS=...`
# overrides). Exit 0 when all are, 1 otherwise (one line each).

set -u
dist=${1:-tests/listed.dist}
srcroot=$(cd "$(dirname "$0")/.." && pwd)
[ -r "$dist" ] || { echo "listed: cannot read $dist" >&2; exit 99; }

missing=0
ndist=0
while IFS= read -r f; do
	ndist=$((ndist + 1))
	p=$f
	while ! grep -qxF -- "$p" "$dist"; do
		case $p in
		*/*) p=${p%/*} ;;
		*)
			echo "$f: not in the tarball: add it to a _SOURCES, noinst_HEADERS or EXTRA_DIST list (Makefile.am, tests/*.mk)"
			missing=$((missing + 1))
			break
			;;
		esac
	done
done < <(cd "$srcroot" && find src include tests -name '.*' -prune -o -type f \
	\( -name '*.c' -o -name '*.cc' -o -name '*.h' -o -name '*.go' -o -name '*.sh' -o -name '*.mk' \
	   -o -path 'tests/fixtures/*' \) -print | LC_ALL=C sort)

ntests=0
while IFS= read -r f; do
	ntests=$((ntests + 1))
	t=${f%.c}
	if ! grep -qwF -- "$t" "$srcroot/Makefile.am" "$srcroot"/tests/*.mk; then
		echo "$f: never run: add $t to a TESTS list (tests/unit.mk for unit tests, tests/*.mk)"
		missing=$((missing + 1))
	fi
done < <(cd "$srcroot" && find tests -name '.*' -prune -o -type f \
	\( -path 'tests/*/test_*.sh' -o -path 'tests/unit/test_*.c' \) -print | LC_ALL=C sort)

echo "listed: $missing missing of $ndist source files and $ntests tests"
[ "$missing" = 0 ]

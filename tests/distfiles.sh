#!/bin/bash
# tests/distfiles.sh - every source file of src/, include/ and tests/ is
# in the release tarball.
#
# Why: a file left out of Makefile.am's lists (a new header, a Go or C++
# target compiled at test time, a fixture) builds and passes in a git
# checkout and only breaks `make distcheck` later, or is silently never
# tested from the tarball. This test fails in `make check` instead.
#
# Usage: tests/distfiles.sh [LIST]. LIST (default tests/distfiles.list
# in the build folder, where `make check` runs tests; tests/tree.mk writes
# it) holds $(DISTFILES) one per line with the $(srcdir)/ prefix removed.
# A listed folder counts for every file under it (automake copies it
# whole). Files checked: *.c *.cc *.h *.go *.sh *.mk and everything under
# tests/fixtures/, outside hidden folders (Go's caches).
# Exit 0 when all are listed, 1 otherwise (one line per missing file).

set -u
list=${1:-tests/distfiles.list}
srcroot=$(cd "$(dirname "$0")/.." && pwd)
[ -r "$list" ] || { echo "distfiles: cannot read $list" >&2; exit 99; }

missing=0
total=0
while IFS= read -r f; do
	total=$((total + 1))
	covered=
	p=$f
	while :; do
		if grep -qxF -- "$p" "$list"; then
			covered=1
			break
		fi
		case $p in */*) p=${p%/*} ;; *) break ;; esac
	done
	if [ -z "$covered" ]; then
		echo "$f: not in the tarball: add it to a _SOURCES, noinst_HEADERS or EXTRA_DIST list (Makefile.am, tests/*.mk)"
		missing=$((missing + 1))
	fi
done < <(cd "$srcroot" && find src include tests -name '.*' -prune -o -type f \
	\( -name '*.c' -o -name '*.cc' -o -name '*.h' -o -name '*.go' -o -name '*.sh' -o -name '*.mk' \
	   -o -path 'tests/fixtures/*' \) -print | LC_ALL=C sort)

echo "distfiles: $missing of $total source files missing from the tarball"
[ "$missing" = 0 ]

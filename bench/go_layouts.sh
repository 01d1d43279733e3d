#!/bin/bash
# bench/go_layouts.sh - check cdtop's goroutine layout table against real
# Go toolchains (see bench/README.md, Goroutines). For each `go` binary given, build
# tests/targets/go_gr.go with and without -ldflags='-s -w', run it in
# sleep mode (33 goroutines, 30 of them in main.sleeper), and read it with
# cdtop three ways: DWARF, CDTOP_GO_LAYOUT=table on the same binary, and the
# stripped binary. Prints one line per way: version, layout used, count vs
# the program's runtime.NumGoroutine(), the sleeper group, and any
# goroutine error (a table that disagrees with DWARF is reported there).
# Not part of make check (other toolchains are not installed by set-up).
#
#   bench/go_layouts.sh [GO_BINARY...]      # default: go from PATH
#
# Exit 1 when a way gives a different count or no sleeper group.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
CDTOP=${CDTOP:-$TOP/cdtop}
[ "$(id -u)" = 0 ] || { echo "go_layouts.sh: run as root" >&2; exit 2; }
[ -x "$CDTOP" ] || { echo "go_layouts.sh: no cdtop at $CDTOP" >&2; exit 2; }
[ $# -gt 0 ] || set -- "$(command -v go)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/go-layouts-bench.XXXXXX")
PIDS=()
cleanup() {
	set +e
	for p in "${PIDS[@]+"${PIDS[@]}"}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

bad=0
for gobin in "$@"; do
	goroot=$("$gobin" env GOROOT)
	ver=$(GOROOT=$goroot "$gobin" version | awk '{ print $3 }')
	for flavour in plain stripped; do
		exe=$WORK/gr-$ver-$flavour
		flags=()
		[ "$flavour" = stripped ] && flags=(-ldflags=-s\ -w)
		(cd "$TOP/tests/targets" && GOROOT=$goroot GOTOOLCHAIN=local GOENV=off GO111MODULE=off GOFLAGS= \
			GOCACHE=$WORK/cache-$ver GOPATH=$WORK/gopath "$gobin" build "${flags[@]}" -o "$exe" go_gr.go)
		"$exe" sleep >"$exe.out" 2>&1 &
		pid=$!
		PIDS+=("$pid")
		until grep -qx ready "$exe.out"; do sleep 0.05; done
		kill -USR1 "$pid"
		until grep -q '^goroutines ' "$exe.out"; do sleep 0.05; done
		want=$(awk '/^goroutines / { print $2 }' "$exe.out")
		ways=(default)
		[ "$flavour" = plain ] && ways+=(table)
		for way in "${ways[@]}"; do
			env=()
			[ "$way" = table ] && env=(CDTOP_GO_LAYOUT=table)
			env "${env[@]}" "$CDTOP" -p "$pid" --snapshot "$exe.$way.json" --duration 0 --no-stacks
			line=$(jq -r --arg want "$want" '(.goroutines // {}) as $g
				| ([$g.groups[]? | select(.frames | index("main.sleeper"))][0]) as $s
				| "\($g.go_version // "-") layout=\($g.layout // "-") count=\($g.count // "-")/\($want)"
				  + " sleepers=\($s.count // "-") \($s.frames[0:3] // [] | join("<-"))"
				  + " errors=\([.errors[] | select(.source == "goroutines") | .message])"' "$exe.$way.json")
			printf '%-10s %-8s %-8s %s\n' "$ver" "$flavour" "$way" "$line"
			jq -e --arg want "$want" '.goroutines.count == ($want | tonumber) and
				([.goroutines.groups[] | select(.frames | index("main.sleeper")) | .count] == [30]) and
				([.errors[] | select(.source == "goroutines")] | length == 0)' "$exe.$way.json" >/dev/null || bad=1
		done
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null || true
	done
done
exit $bad

# shellcheck shell=bash
# tests/go/lib.sh - helpers for the goroutine tests (sourced after
# tests/lib.sh, bash).
#
# The target is tests/targets/go_gr (built by make check, see tests/go.mk)
# in two flavours: go_gr (symbols, DWARF) and go_gr_stripped (-s -w). It
# prints "goroutines N" (runtime.NumGoroutine) on each SIGUSR1.

# go_need_targets: skip when Go is missing, fail when it is there but the
# targets were not built.
go_need_targets() {
	need_cmd jq
	if [ ! -x "$TARGETS/go_gr" ] || [ ! -x "$TARGETS/go_gr_stripped" ]; then
		command -v go >/dev/null 2>&1 || skip "'go' is not installed (Debian: apt-get install -y golang-go), so the Go targets were not built"
		fail "the Go targets $TARGETS/go_gr{,_stripped} are not built (make check builds them)"
	fi
	GO_VERSION=$(go version 2>/dev/null | awk '{ print $3 }')
}

# go_start FLAVOUR MODE: start go_gr or go_gr_stripped in MODE, wait for
# ready. Sets TARGET_PID, TARGET_OUT.
go_start() {
	local exe=$1 mode=$2
	start_bg "$exe-$mode" "$TARGETS/$exe" "$mode"
	wait_ready "$BG_PID" "$BG_OUT"
	TARGET_PID=$BG_PID
	TARGET_OUT=$BG_OUT
	say "started $exe $mode (pid $TARGET_PID)"
}

# go_numgoroutine: send SIGUSR1 to the target and print the count it
# reports (runtime.NumGoroutine at that moment).
go_numgoroutine() {
	local before after i=0
	before=$(grep -c '^goroutines ' "$TARGET_OUT" || true)
	kill -USR1 "$TARGET_PID"
	while :; do
		after=$(grep -c '^goroutines ' "$TARGET_OUT" || true)
		[ "$after" -gt "$before" ] && break
		i=$((i + 1))
		[ "$i" -lt 200 ] || fail "the target did not report its goroutine count within 10 s"
		sleep 0.05
	done
	grep '^goroutines ' "$TARGET_OUT" | tail -n 1 | awk '{ print $2 }'
}

# go_check_common FILE FLAVOUR: the goroutines section is there, with the
# Go version and the expected source of the layout, the history carries
# the count, and no layout error was recorded.
go_check_common() {
	local f=$1 exe=$2
	jq_true "$f" '.process.runtime == "go"' "$exe: runtime is go"
	jq_true "$f" '.goroutines | type == "object"' "$exe: goroutines section present"
	assert_eq "$exe: go_version" "$(jq_get "$f" .goroutines.go_version)" "$GO_VERSION"
	if [ "$exe" = go_gr ]; then
		assert_eq "$exe: layout" "$(jq_get "$f" .goroutines.layout)" dwarf
	else
		jq_true "$f" '.goroutines.layout | startswith("table go1.")' \
			"$exe: layout from the version table ($(jq_get "$f" .goroutines.layout))"
	fi
	jq_true "$f" '[.errors[] | select(.source == "goroutines")] | length == 0' \
		"$exe: no goroutine error ($(jq -c '[.errors[] | select(.source == "goroutines")]' "$f"))"
	jq_true "$f" '[.history[].goroutines] | all(type == "number")' "$exe: every history point has a goroutine count"
	jq_true "$f" '.goroutines | (.count == ([.groups[].count] | add)) and (.count == ([.by_status[]] | add))' \
		"$exe: groups and by_status add up to count ($(jq -c .goroutines.count "$f"))"
	jq_true "$f" '.goroutines.groups | . == (sort_by(-.count))' "$exe: groups are largest first"
	jq_true "$f" '.goroutines.system >= 3' "$exe: runtime goroutines counted apart ($(jq -c .goroutines.system "$f"))"
}

# go_group FILE FUNC: the first group whose frames contain FUNC (JSON).
go_group() {
	jq -c --arg fn "$2" '[.goroutines.groups[] | select(.frames | index($fn))][0]' "$1"
}

# Keys of every goroutine group (doc/snapshot-format.md).
GROUP_KEYS='count status wait_reason max_wait_s frames goids tids stalled_s deadlock_hint'

# go_check_groups FILE WHAT: every group has every documented key.
go_check_groups() {
	local keys k missing
	keys=$(for k in $GROUP_KEYS; do printf '"%s",' "$k"; done)
	missing=$(jq -r --argjson k "[${keys%,}]" '.goroutines.groups | to_entries[] | .key as $i | .value as $g
		| $k[] | select(. as $x | $g | has($x) | not) | "groups[\($i)].\(.)"' "$1")
	[ -z "$missing" ] || fail "$2: groups lack keys: $(echo "$missing" | tr '\n' ' ')"
	ok "$2: every group has the documented keys"
}

# go_count_matches FILE WHAT N0 N1: the count cdtop read lies between the
# program's own counts before (N0) and after (N1) the read, widened by
# the goroutines created during the read.
go_count_matches() {
	local f=$1 what=$2 n0=$3 n1=$4 c cr
	c=$(jq_num "$f" .goroutines.count)
	cr=$(jq_num "$f" .goroutines.created_during_read)
	assert_cmp "$what: count ($c) >= NumGoroutine before ($n0) - created during read ($cr)" "$c" '>=' "$(calc "$n0 - $cr")"
	assert_cmp "$what: count ($c) <= NumGoroutine after ($n1) + created during read ($cr)" "$c" '<=' "$(calc "$n1 + $cr")"
}

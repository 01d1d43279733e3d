# shellcheck shell=bash
# tests/sampler/lib/prof_hot_checks.sh - the checks every variant of
# tests/targets/prof_hot.c goes through (sourced by test_prof_c_*.sh
# after tests/lib.sh and sampler.sh). prof_hot_checks TARGET_NAME runs:
#  1. --stacks: exit 0 promptly, shows hot_function (below it caller_b,
#     caller_a, main) and blocked_function;
#  2. cpu mode, --duration 3: top_functions[0] is hot_function with
#     flat_pct > 60; cum_pct of caller_b and caller_a >= hot_function's
#     flat_pct - 1; >= 99% of the hot samples have the stack
#     hot_function, caller_b, caller_a, main (innermost first);
#  3. wall mode, --duration 2: blocked_function cum_pct in [35, 65] (one
#     of two threads); the blocked thread's threads[].stack holds it, and
#     its innermost frame outside libc is blocked_function;
#  4. --format folded: every line is "frames count", and lines containing
#     caller_a;caller_b;hot_function carry most of the samples;
#  5. intrusion: pause_us_p50 and pause_us_max positive in each snapshot;
#  6. the target is left running, untraced.

# Frames that belong to the C library even in a static binary (where the
# module is the program itself): the read(2) wrappers and syscall glue.
LIBC_FRAME_RE='^(__)?(libc_)?read(_nocancel)?$|^__GI_|syscall_cancel|^__internal_syscall'
LIBC_MODULE_RE='/libc[.-]|/libpthread[.-]|/ld-linux'

prof_hot_checks() {
	local name=$1 pid hot_tid blk_tid line f hot caller_b_cum caller_a_cum n good total frac wall blk

	start_target "$name"
	pid=$TARGET_PID
	line=$(target_line blocked_tid=)
	blk_tid=$(kv "$line" blocked_tid)
	hot_tid=$(kv "$line" hot_tid)
	say "$name: hot thread $hot_tid, blocked thread $blk_tid; $(file -b "$TARGETS/$name" 2>/dev/null | cut -d, -f1-2)"

	# --- 1: --stacks -----------------------------------------------------
	run_cdtop -p "$pid" --stacks
	expect_rc 0 "--stacks"
	say "--stacks took ${ELAPSED}s; output:"
	sed 's/^/    /' "$OUT" | head -40
	soft assert_cmp "--stacks time (s)" "$ELAPSED" '<' 5
	# The hot thread's frames #0..#3, then the blocked thread's frames.
	awk -v t="$hot_tid" '$1 == "TID" { on = ($2 == t); next } on && /^  #/ { print $3 }' "$OUT" |
		sed 's/+0x[0-9a-f]*$//' | head -4 | tr '\n' ' ' >"$TMPD/hotframes"
	soft assert_eq "--stacks: hot thread frames #0-#3" "$(cat "$TMPD/hotframes")" "hot_function caller_b caller_a main "
	awk -v t="$blk_tid" '$1 == "TID" { on = ($2 == t); next } on && /^  #/ { print $3 }' "$OUT" |
		sed 's/+0x[0-9a-f]*$//' >"$TMPD/blkframes"
	if grep -qx blocked_function "$TMPD/blkframes"; then
		ok "--stacks: blocked thread $blk_tid shows blocked_function ($(tr '\n' ' ' <"$TMPD/blkframes"))"
	else
		soft fail "--stacks: blocked thread $blk_tid has no blocked_function frame: $(tr '\n' ' ' <"$TMPD/blkframes")"
	fi
	assert_not_stopped "$pid" "after --stacks"

	# --- 2: cpu mode -----------------------------------------------------
	f=$TMPD/cpu.json
	take_snapshot "$pid" "$f" 3 --mode cpu
	top_summary "$f" 6
	say "profile: $(jq -c '.profile | {mode, frequency_hz, requested_hz, samples, samples_total, stops, duration_s, status}' "$f")"
	soft assert_eq "profile.mode" "$(jq_get "$f" .profile.mode)" cpu
	soft assert_cmp "profile.samples (few under heavy load: cdtop keeps stops under 1%)" "$(jq_num "$f" .profile.samples)" '>=' 3
	soft assert_eq "top_functions[0].function" "$(jq_get "$f" '.profile.top_functions[0].function')" hot_function
	hot=$(jq_num "$f" '.profile.top_functions[0].flat_pct')
	soft assert_cmp "hot_function flat_pct" "$hot" '>' 60
	caller_b_cum=$(cum_pct "$f" caller_b)
	caller_a_cum=$(cum_pct "$f" caller_a)
	soft assert_cmp "caller_b cum_pct (>= hot_function flat_pct - 1)" "$caller_b_cum" '>=' "$(calc "$hot - 1")"
	soft assert_cmp "caller_a cum_pct (>= hot_function flat_pct - 1)" "$caller_a_cum" '>=' "$(calc "$hot - 1")"
	soft assert_cmp "main cum_pct (>= hot_function flat_pct - 1)" "$(cum_pct "$f" main)" '>=' "$(calc "$hot - 1")"
	total=$(jq '[.profile.stacks[] | select(.running and .frames[0] == "hot_function") | .count] | add // 0' "$f")
	good=$(jq '[.profile.stacks[] | select(.running and .frames[0:4] == ["hot_function", "caller_b", "caller_a", "main"]) | .count] | add // 0' "$f")
	say "hot samples: $total with hot_function innermost, $good of them with hot_function<caller_b<caller_a<main"
	jq -c '.profile.stacks[] | select(.running and .frames[0] == "hot_function" and .frames[0:4] != ["hot_function", "caller_b", "caller_a", "main"]) | {count, frames}' "$f" | head -5 |
		while read -r l; do say "  other hot stack: $l"; done
	soft assert_cmp "hot samples with hot_function innermost" "$total" '>' 0
	frac=$(calc "100 * $good / $total")
	soft assert_cmp "% of hot samples whose stack is hot_function, caller_b, caller_a, main" "$frac" '>=' 99
	soft jq_true "$f" "[.threads[] | select(.tid == $hot_tid) | .stack[0:4]] == [[\"hot_function\", \"caller_b\", \"caller_a\", \"main\"]]" \
		"threads[].stack of the hot thread $hot_tid starts hot_function, caller_b, caller_a, main"
	check_pause "$f"

	# --- 3: wall mode ----------------------------------------------------
	wall=$TMPD/wall.json
	take_snapshot "$pid" "$wall" 2 --mode wall
	top_summary "$wall" 8
	soft assert_eq "profile.mode" "$(jq_get "$wall" .profile.mode)" wall
	blk=$(cum_pct "$wall" blocked_function)
	soft assert_cmp "blocked_function cum_pct in wall mode (>= 35)" "$blk" '>=' 35
	soft assert_cmp "blocked_function cum_pct in wall mode (<= 65)" "$blk" '<=' 65
	say "blocked thread's stack in threads[]: $(jq -c --argjson t "$blk_tid" '.threads[] | select(.tid == $t) | .stack' "$wall")"
	soft jq_true "$wall" "[.threads[] | select(.tid == $blk_tid) | .stack // [] | index(\"blocked_function\")] | .[0] != null" \
		"threads[].stack of the blocked thread $blk_tid contains blocked_function"
	# Innermost frame outside libc, from the profile's stacks (they carry
	# modules): for every stack sample of the blocked thread.
	jq -r --argjson t "$blk_tid" --arg fre "$LIBC_FRAME_RE" --arg mre "$LIBC_MODULE_RE" '
		.profile.stacks[] | select(.tid == $t) | . as $s
		| [range(0; .frames | length) | select(($s.modules[.] | test($mre) | not) and ($s.frames[.] | test($fre) | not))]
		| "\($s.count) \(if length > 0 then $s.frames[.[0]] else "(none)" end) \($s.frames | join(","))"' "$wall" >"$TMPD/blk_inner"
	say "blocked thread samples (count, innermost program frame, stack):"
	sed 's/^/    /' "$TMPD/blk_inner"
	[ -s "$TMPD/blk_inner" ] || soft fail "no stack sample of the blocked thread $blk_tid in profile.stacks"
	n=$(awk '$2 != "blocked_function" { s += $1 } END { print s + 0 }' "$TMPD/blk_inner" 2>/dev/null || echo 0)
	soft assert_eq "blocked thread samples whose innermost program frame is not blocked_function" "$n" 0
	check_pause "$wall"

	# --- 4: folded -------------------------------------------------------
	run_cdtop -p "$pid" --snapshot "$TMPD/out.folded" --format folded --duration 2 --mode cpu
	expect_rc 0 "--format folded"
	say "folded output (first lines):"
	head -5 "$TMPD/out.folded" | cut -c1-300 | sed 's/^/    /'
	[ -s "$TMPD/out.folded" ] || fail "folded output is empty"
	n=$(grep -cvE '^[^ ].* [0-9]+$' "$TMPD/out.folded" || true)
	soft assert_eq "folded lines not of the form 'frames count'" "$n" 0
	total=$(awk '{ s += $NF } END { print s + 0 }' "$TMPD/out.folded")
	good=$(grep -F 'caller_a;caller_b;hot_function' "$TMPD/out.folded" | awk '{ s += $NF } END { print s + 0 }')
	soft assert_cmp "folded samples" "$total" '>' 0
	soft assert_cmp "folded samples under caller_a;caller_b;hot_function (% of $total)" "$(calc "100 * $good / ($total > 0 ? $total : 1)")" '>' 60

	# --- 6: left alone -----------------------------------------------------
	assert_not_stopped "$pid" "after all runs"
	assert_progress "$pid" "after all runs"
	soft_done
	say "PASS: $name: hot_function ${hot}% flat, callers cum ${caller_b_cum}/${caller_a_cum}%, blocked_function ${blk}% in wall mode"
}

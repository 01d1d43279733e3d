#!/bin/bash
# test_tui_freeze_save: freeze, save and terminal care of the real screen
# on a real target (prof_hot_fp, whose CPU time and samples grow all the
# time), driven in tmux:
#  1. Live, two captures 1.5 s apart differ; after space the title says
#     FROZEN and two captures 3 s apart are identical while the target's
#     CPU time (from /proc) went on growing; space again goes live.
#  2. The header shows the checklist's worst verdict; in the checklist (in
#     walk order, <), y and a note answer the first manual item ("Is
#     traffic up?") on screen, and the answer stays through new snapshots.
#     s writes cdtop-prof_hot_fp-PID-<UTC>.json and .txt into --out-dir,
#     both mode 0600; the status line shows the paths; the JSON passes the
#     common snapshot checks (jq), its top function is hot_function and
#     its checklist carries the answer and the note;
#     the text report names the pid.
#     cdtop -r of the saved file shows REPLAY and the same top function.
#  3. A save into a directory that disappeared shows "NOT SAVED" with the
#     reason and cdtop keeps running; q exits 0.
#  4. --out-dir that does not exist fails at start with exit 8.
#  5. NO_COLOR=1 gives a screen without color escapes; without it, the
#     same terminal gets colors.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/tui_lib.sh
source "$TUILIB"
need_cmd jq
tui_server

start_target prof_hot_fp
pid=$TARGET_PID
utime() { sed 's/.*) //' /proc/"$pid"/stat | awk '{ print $12 }'; }
mkdir -p "$TMPD/out"

# --- 1: freeze ---------------------------------------------------------------------
# --mode cpu: under load the target gets little CPU and auto would pick wall.
tui_start live 100 30 -p "$pid" -d 0.5 --mode cpu --out-dir "$TMPD/out"
tui_wait live 10 -F "hot_function"
tui_screen live >"$TMPD/a"
sleep 1.5
tui_screen live >"$TMPD/b"
cmp -s "$TMPD/a" "$TMPD/b" && { tui_show live "$TMPD/a"; fail "live: the screen did not change in 1.5 s"; }
ok "live: the screen changes between two captures"
tui_keys live Space
tui_wait live 3 -E "^ cdtop .* FROZEN "
say "frozen screen:"
tui_show live
u1=$(utime)
tui_screen live >"$TMPD/c"
sleep 3
tui_screen live >"$TMPD/d"
u2=$(utime)
if ! cmp -s "$TMPD/c" "$TMPD/d"; then
	diff "$TMPD/c" "$TMPD/d" | head -20
	fail "frozen: the screen changed"
fi
ok "frozen: two captures 3 s apart are identical"
assert_cmp "the target kept running meanwhile (utime ticks)" "$u2" '>' "$u1"
tui_keys live Space
tui_wait live 3 -E "^ cdtop .* LIVE "
tui_screen live >"$TMPD/e"
sleep 1.5
tui_screen live >"$TMPD/f"
cmp -s "$TMPD/e" "$TMPD/f" && fail "unfrozen: the screen does not change any more"
ok "space again: live, the screen changes"

# --- 2: save (with an answer to the first manual checklist item) --------------------
tui_expect live "the header has a checklist verdict" -E "CHECK (ok|warn|alert|unknown)$"
tui_keys live 7
tui_wait live 3 -E "^ 7 Triage checklist - [0-9]+ items.*most severe first"
# < : the walk order, whose first item is the first scope question.
tui_keys live '<'
tui_wait live 3 -E "^ 7 Triage checklist - [0-9]+ items.*in walk order"
tui_wait live 3 -E "^ +ASK +Is traffic \(QPS\) up\?"
tui_keys live y
tui_wait live 3 -F "Note for manual-traffic"
tui_keys live -l "flat since 09:00"
tui_keys live Enter
tui_wait live 3 -F "answered yes: flat since 09:00"
ok "y and a note answer the manual item on screen"
sleep 1.5
tui_screen live >"$TMPD/screen.live"
tui_expect live "the answer stays through new snapshots" -F "answered yes: flat since 09:00"
tui_keys live s
tui_wait live 5 -F "saved $TMPD/out/cdtop-prof_hot_fp-$pid-"
say "after s:"
tui_show live
json=$(ls "$TMPD/out"/cdtop-prof_hot_fp-"$pid"-*.json)
txt=${json%.json}.txt
case $(basename "$json") in
cdtop-prof_hot_fp-"$pid"-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z.json)
	ok "file name cdtop-<comm>-<pid>-<UTC>.json: $(basename "$json")" ;;
*) fail "unexpected file name $(basename "$json")" ;;
esac
[ -f "$txt" ] || fail "the .txt report $txt was not written beside the JSON"
assert_eq "mode of the .txt report" "$(file_mode "$txt")" 600
tui_joined live | grep -qF "$(basename "$txt")" || fail "the status line does not name the .txt file"
ok "the status line shows both files"
check_snapshot_common "$json" "$pid" 0.5
assert_eq "saved top function" "$(jq_get "$json" '.profile.top_functions[0].function')" hot_function
assert_eq "saved answer" "$(jq_get "$json" '.checklist[] | select(.id == "manual-traffic") | .answer')" yes
assert_eq "saved note" "$(jq_get "$json" '.checklist[] | select(.id == "manual-traffic") | .note')" "flat since 09:00"
grep -q "pid $pid" "$txt" || fail "the text report does not name pid $pid"
ok "the text report names pid $pid"
ls -A "$TMPD/out" | grep -v -e '\.json$' -e '\.txt$' && fail "temporary files left in the output directory"
ok "nothing else in the output directory"
cp "$json" "$TMPD/saved.json"
tui_quit live

# --- 2b: replay of the saved file ----------------------------------------------------------
top=$(jq_get "$json" '.profile.top_functions[0].function')
tui_start replay 100 30 -r "$json"
tui_wait replay 5 -E "^ cdtop +PID $pid \(prof_hot_fp\).* REPLAY "
tui_wait replay 3 -F "REPLAY of $json"
first=$(grep -A1 -m1 'FLAT%' "$TMPD/screen.replay" | tail -1)
case $first in *" $top"*) ok "replay: the same top function as the file ($top)" ;;
*) tui_show replay; fail "replay: first function row is not $top: $first" ;; esac
say "replay of the saved file:"
tui_show replay
tui_keys replay s
tui_wait replay 3 -F "replay: this view is a file already"
tui_keys replay 3
tui_wait replay 3 -E "prof_hot_fp +R"
ok "replay: the threads pane"
tui_quit replay

# --- 3: a save that fails is shown, not fatal ------------------------------------------
mkdir "$TMPD/gone"
tui_start gone 100 30 -p "$pid" -d 0.5 --out-dir "$TMPD/gone"
tui_wait gone 10 -F "hot_function"
rmdir "$TMPD/gone"
tui_keys gone s
tui_wait gone 5 -F "NOT SAVED: cannot write"
tui_expect gone "the file is named" -F "$TMPD/gone/cdtop-prof_hot_fp-$pid-"
tui_joined gone | grep -qF "No such file or directory" || { tui_show gone; fail "the reason is not shown"; }
ok "the reason is shown"
sleep 1
[ -e "$TMPD/rc.gone" ] && fail "cdtop exited after the failed save"
ok "still running after the failed save"
tui_quit gone

# --- 4: --out-dir checked at start -------------------------------------------------------
run_cdtop -p "$pid" --out-dir "$TMPD/nope"
expect_rc 8 "--out-dir that does not exist"
expect_one_line_stderr "--out-dir that does not exist"

# --- 5: colors, NO_COLOR ----------------------------------------------------------------
# capture-pane -e shows SGR escapes; color ones are 3x/4x/9x/10x or 38;/48;.
has_color() { tm capture-pane -e -p -t "$1" | grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|38;|48;)'; }
tui_start color 100 30 -p "$pid" -d 0.5
tui_wait color 10 -F "hot_function"
has_color color || fail "the screen has no colors on a color terminal"
ok "colors on a 256-color terminal"
tui_quit color
tui_start mono 100 30 NO_COLOR=1 -- -p "$pid" -d 0.5
tui_wait mono 10 -F "hot_function"
has_color mono && { tm capture-pane -e -p -t mono | head -5 | cat -v; fail "NO_COLOR=1: color escapes on the screen"; }
tm capture-pane -e -p -t mono | grep -q $'\e\\[7m' || fail "NO_COLOR=1: no reverse video for the bars either"
ok "NO_COLOR=1: no colors, bars in reverse video"
tui_quit mono

say "PASS"

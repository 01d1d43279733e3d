#!/bin/bash
# test_threads: per-thread view. tests/targets/threads_mix has four
# threads: main (in pthread_join -> futex), "sleeper" (nanosleep ->
# clock_nanosleep), "reader" (read on an empty pipe) and "burner"
# (spinning). It prints their tids. The snapshot must have:
#   - one threads[] entry per thread (4, = process.threads), tids matching
#     /proc/PID/task, each with tid/name/state/cpu_user_pct/cpu_sys_pct/
#     syscall/wchan/blocked_s (and lock/stack) keys;
#   - names from the kernel (sleeper, reader, burner);
#   - sleeper: syscall clock_nanosleep (or nanosleep), state S;
#     reader: syscall read, state S; main: syscall futex;
#   - blocked_s of sleeper and reader at least half the window and growing:
#     a 3 s snapshot taken after a 1 s one reports more than 1 s more;
#   - burner: state R, cpu_user_pct within 12 points of its utime delta
#     (/proc/PID/task/TID/stat) and > 50 unless the machine is busy,
#     blocked_s null or < 0.5.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target threads_mix
tids=$(target_line "tids ")
say "target says: $tids"
T_MAIN=$(kv "$tids" main)
T_SLEEP=$(kv "$tids" sleeper)
T_READ=$(kv "$tids" reader)
T_BURN=$(kv "$tids" burner)

s1=$TMPD/s1.json
take_snapshot "$TARGET_PID" "$s1" 1
s3=$TMPD/s3.json
B0=$(cpu_mark "$TARGET_PID/task/$T_BURN")
take_snapshot "$TARGET_PID" "$s3" 3
B1=$(cpu_mark "$TARGET_PID/task/$T_BURN")
read -r btruth _ <<<"$(cpu_truth "$B0" "$B1")"

th() { jq -c --argjson t "$2" '.threads[] | select(.tid == $t)' "$1"; }
for t in $T_MAIN $T_SLEEP $T_READ $T_BURN; do say "thread $t: $(th "$s3" "$t" | head -c 400)"; done

assert_eq "threads[] length" "$(jq_get "$s3" '.threads | length')" 4
assert_eq "process.threads" "$(jq_get "$s3" .process.threads)" 4
assert_eq "thread ids" "$(jq -c '[.threads[].tid] | sort' "$s3")" \
	"$(cd /proc/"$TARGET_PID"/task && printf '%s\n' * | jq -cs 'sort')"
jq_true "$s3" '[.threads[] | (.tid | type == "number") and (.name | type == "string")
	and (.state | type == "string") and (.cpu_user_pct | type == "number")
	and (.cpu_sys_pct | type == "number")
	and (.syscall == null or (.syscall | type == "string"))
	and (.wchan == null or (.wchan | type == "string"))
	and (.blocked_s == null or (.blocked_s | type == "number"))] | all' \
	"every thread entry has typed tid/name/state/cpu/syscall/wchan/blocked_s"

get() { jq -r --argjson t "$3" ".threads[] | select(.tid == \$t) | $2" "$1"; }
assert_eq "sleeper name" "$(get "$s3" .name "$T_SLEEP")" sleeper
assert_eq "reader name" "$(get "$s3" .name "$T_READ")" reader
assert_eq "burner name" "$(get "$s3" .name "$T_BURN")" burner
assert_eq "main name" "$(get "$s3" .name "$T_MAIN")" threads_mix

sc=$(get "$s3" .syscall "$T_SLEEP")
case $sc in
clock_nanosleep | nanosleep) ok "sleeper syscall = $sc" ;;
*) fail "sleeper syscall is '$sc', expected clock_nanosleep or nanosleep" ;;
esac
assert_eq "reader syscall" "$(get "$s3" .syscall "$T_READ")" read
assert_eq "main syscall" "$(get "$s3" .syscall "$T_MAIN")" futex
assert_eq "sleeper state" "$(get "$s3" .state "$T_SLEEP")" S
assert_eq "reader state" "$(get "$s3" .state "$T_READ")" S
assert_eq "burner state" "$(get "$s3" .state "$T_BURN")" R

w1=$(jq_num "$s1" .window_s)
w3=$(jq_num "$s3" .window_s)
for who in sleeper reader; do
	[ $who = sleeper ] && t=$T_SLEEP || t=$T_READ
	b1=$(get "$s1" .blocked_s "$t")
	b3=$(get "$s3" .blocked_s "$t")
	say "$who blocked_s: $b1 (1 s window), $b3 (3 s window)"
	assert_cmp "$who blocked_s (1 s window)" "$b1" '>=' "$(calc "$w1 / 2")"
	assert_cmp "$who blocked_s (3 s window)" "$b3" '>=' "$(calc "$w3 / 2")"
	assert_cmp "$who blocked_s growth between the snapshots" "$(calc "$b3 - $b1")" '>' 1
	up=$(jq_num "$s3" .process.uptime_s)
	assert_cmp "$who blocked_s <= process uptime" "$b3" '<=' "$(calc "$up + 0.5")"
done

bu=$(get "$s3" .cpu_user_pct "$T_BURN")
say "burner user CPU from /proc/PID/task/TID/stat around the run: $btruth%"
assert_cmp "|burner cpu_user_pct - truth|" "$(calc "($bu - $btruth) < 0 ? $btruth - $bu : $bu - $btruth")" '<=' 12
if fcmp "$btruth" '>=' 70; then
	assert_cmp "burner cpu_user_pct" "$bu" '>' 50
else
	say "WARNING: machine busy, the burner got only $btruth% of a CPU; checking agreement only"
	assert_cmp "burner cpu_user_pct (busy machine)" "$bu" '>' 20
fi
bb=$(get "$s3" .blocked_s "$T_BURN")
if [ "$bb" != null ]; then assert_cmp "burner blocked_s" "$bb" '<' 0.5; else ok "burner blocked_s is null"; fi
su=$(get "$s3" .cpu_user_pct "$T_SLEEP")
assert_cmp "sleeper cpu_user_pct" "$su" '<' 5
say "PASS: 4 threads; sleeper $sc, reader read, blocked_s as expected; burner ${bu}% user"

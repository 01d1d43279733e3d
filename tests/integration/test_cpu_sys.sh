#!/bin/bash
# test_cpu_sys: a target looping over system calls whose work is done in
# the kernel (tests/targets/syscall_loop: read 64 KB from /dev/zero,
# write to /dev/null, getppid) must show a clearly visible system CPU
# share: process.cpu.sys_pct > 20; user_pct and sys_pct each within 12
# points of the utime/stime deltas read from /proc/PID/stat around the
# run; total_pct = user_pct + sys_pct.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

start_target syscall_loop
snap=$TMPD/s.json
take_snapshot "$TARGET_PID" "$snap" 3

user=$(jq_num "$snap" .process.cpu.user_pct)
sys=$(jq_num "$snap" .process.cpu.sys_pct)
total=$(jq_num "$snap" .process.cpu.total_pct)
read -r tuser tsys <<<"$(cpu_truth "$CPU_MARK0" "$CPU_MARK1")"
say "measured by cdtop: user_pct=$user sys_pct=$sys total_pct=$total"
say "measured from /proc/PID/stat around the run: user $tuser% sys $tsys%"

assert_cmp "sys_pct" "$sys" '>' 20
assert_cmp "|sys_pct - truth|" "$(calc "($sys - $tsys) < 0 ? $tsys - $sys : $sys - $tsys")" '<=' 12
assert_cmp "|user_pct - truth|" "$(calc "($user - $tuser) < 0 ? $tuser - $user : $user - $tuser")" '<=' 12
assert_cmp "total_pct - (user+sys)" "$(calc "$total - $user - $sys")" '<=' 1
assert_cmp "total_pct - (user+sys)" "$(calc "$total - $user - $sys")" '>=' -1
last_sys=$(jq_num "$snap" '.history[-1].cpu_sys_pct')
say "history: $(jq -c '[.history[] | {t, cpu_user_pct, cpu_sys_pct}]' "$snap")"
assert_cmp "last history cpu_sys_pct" "$last_sys" '>' 15
say "PASS: sys CPU ${sys}% user ${user}%"

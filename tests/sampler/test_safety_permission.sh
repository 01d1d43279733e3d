#!/bin/bash
# test_safety_permission: stack sampling without the right to ptrace.
# As user nobody (setpriv, no capabilities) against a root-owned
# prof_hot_fp:
#  - cdtop --stacks exits 4 with one stderr line mentioning CAP_SYS_PTRACE;
#  - cdtop --snapshot --duration 1 exits 0 with profile null and an
#    errors[] entry explaining that stacks need CAP_SYS_PTRACE (or root);
#  - the target is untouched: running, untraced.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
need_cmd jq setpriv
[ "$(id -u)" = 0 ] || skip "must run as root to start cdtop as user nobody"
id nobody >/dev/null 2>&1 || skip "no user 'nobody' on this system"
setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups test -x "$CDTOP" ||
	skip "user nobody cannot execute $CDTOP (a parent directory is not searchable)"

start_target prof_hot_fp
pid=$TARGET_PID
assert_eq "target owner uid" "$(awk '/^Uid:/ { print $2 }' /proc/"$pid"/status)" 0
say "kernel.yama.ptrace_scope: $(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 'absent (no Yama)')"

run_cdtop_as nobody -p "$pid" --stacks
say "--stacks as nobody: exit $RC, stderr: $(cat "$ERR")"
expect_rc 4 "--stacks as nobody against a root process"
soft expect_one_line_stderr "--stacks as nobody"
if grep -q CAP_SYS_PTRACE "$ERR"; then ok "--stacks message mentions CAP_SYS_PTRACE"; else soft fail "--stacks message does not mention CAP_SYS_PTRACE: $(cat "$ERR")"; fi

D=$TMPD/out
mkdir "$D"
chmod 777 "$D"
chmod 755 "$TMPD"
run_cdtop_as nobody -p "$pid" --snapshot "$D/s.json" --duration 1
say "--snapshot as nobody: exit $RC, stderr: $(head -c 600 "$ERR")"
expect_rc 0 "--snapshot as nobody against a root process"
check_snapshot_common "$D/s.json" "$pid" 1
say "errors[]: $(jq -c .errors "$D/s.json" | head -c 900)"
soft jq_true "$D/s.json" '.profile == null' "profile is null"
soft jq_true "$D/s.json" '[.errors[] | select(.message | test("stack"; "i")) | .message | test("CAP_SYS_PTRACE")] | any' \
	"an errors[] entry about stacks explains CAP_SYS_PTRACE"
assert_not_stopped "$pid" "after the unprivileged runs"
assert_progress "$pid" "after the unprivileged runs"
soft_done
say "PASS: unprivileged: --stacks exit 4 and a profile-less snapshot, both explaining CAP_SYS_PTRACE"

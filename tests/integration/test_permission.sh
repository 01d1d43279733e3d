#!/bin/bash
# test_permission: cdtop run without privileges against a root-owned
# process.
#  1. As user nobody (setpriv, no capabilities) against a root-owned
#     `sleep`: /proc/PID/stat and status are readable but fd/, io, syscall
#     are not. cdtop must still exit 0, write the snapshot (mode 0600) into
#     a directory nobody can write to, set process.fds.open to null (not a
#     made-up 0), list in errors[] at least one entry saying permission was
#     denied and how to get it (mentions CAP_SYS_PTRACE or root), still
#     report what it could read (pid, cpu), and say on stderr what is
#     missing.
#  2. Exit 4 (permission denied, nothing readable): in a private mount
#     namespace with /proc remounted hidepid=1, nobody cannot read any
#     file of the root-owned process. Expect exit 4, one stderr line
#     starting with "cdtop: ", and no output file. Skipped (with the
#     reason) only if unshare/mount is not permitted here.
# Needs root to switch users: skipped otherwise.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq setpriv

[ "$(id -u)" = 0 ] || skip "must run as root to start cdtop as user nobody"
id nobody >/dev/null 2>&1 || skip "no user 'nobody' on this system"
setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups test -x "$CDTOP" ||
	skip "user nobody cannot execute $CDTOP (a parent directory is not searchable)"

start_bg sleeper sleep 120
pid=$BG_PID
sleep 0.2
assert_eq "target owner uid" "$(awk '/^Uid:/ { print $2 }' /proc/"$pid"/status)" 0

# --- 1: partial access ------------------------------------------------------
D=$TMPD/out
mkdir "$D"
chmod 777 "$D"
chmod 755 "$TMPD"
run_cdtop_as nobody -p "$pid" --snapshot "$D/s.json" --duration 1
say "stderr: $(head -c 600 "$ERR")"
expect_rc 0 "as nobody against root-owned pid $pid"
check_snapshot_common "$D/s.json" "$pid" 1
assert_eq "snapshot owner" "$(stat -c %U "$D/s.json")" nobody
jq_true "$D/s.json" '.process.fds.open == null' "process.fds.open is null (fd/ unreadable)"
jq_true "$D/s.json" '.process.cpu.user_pct | type == "number"' "process.cpu.user_pct still measured (stat is readable)"
say "errors[]: $(jq -c .errors "$D/s.json" | head -c 800)"
jq_true "$D/s.json" '.errors | length > 0' "errors[] is not empty"
jq_true "$D/s.json" '[.errors[].message | test("permission|denied|not permitted|EACCES|EPERM"; "i")] | any' \
	"an errors[] message says permission was denied"
jq_true "$D/s.json" '[.errors[].message | test("CAP_SYS_PTRACE|root")] | any' \
	"an errors[] message says how to get access (CAP_SYS_PTRACE or root)"
[ -s "$ERR" ] || fail "stderr is empty: cdtop should say what it could not read"
grep -Eqi 'permission|denied|CAP_SYS_PTRACE|root' "$ERR" ||
	fail "stderr does not say what is missing: $(cat "$ERR")"
ok "stderr says what is missing"
left=$(ls -A "$D")
[ "$left" = s.json ] || fail "files left in the output directory: $left"
ok "only s.json in the output directory"

# --- 2: nothing readable: exit 4 ----------------------------------------------
need_cmd unshare
D4=$TMPD/out4
mkdir "$D4"
chmod 777 "$D4"
if ! unshare -m sh -c 'mount -t proc -o hidepid=1 proc /proc' 2>"$TMPD/unshare.err"; then
	say "SKIP sub-case exit 4: cannot remount /proc with hidepid=1 in a mount namespace: $(cat "$TMPD/unshare.err")"
	say "PASS (partial): unprivileged run exits 0 with fds.open null and a permission error"
	exit 0
fi
set +e
# shellcheck disable=SC2016 # $1..$4 are expanded by the inner sh
timeout -k 5 30 unshare -m sh -c 'mount -t proc -o hidepid=1 proc /proc &&
	exec setpriv --reuid=nobody --regid="$1" --clear-groups "$2" -p "$3" --snapshot "$4" --duration 1' \
	sh "$(id -gn nobody)" "$CDTOP" "$pid" "$D4/x.json" </dev/null >"$TMPD/cdtop.stdout" 2>"$TMPD/cdtop.stderr"
RC=$?
set -e
OUT=$TMPD/cdtop.stdout
ERR=$TMPD/cdtop.stderr
expect_rc 4 "as nobody with /proc hidepid=1"
expect_one_line_stderr "hidepid=1"
expect_dir_empty "$D4" "hidepid=1"
say "PASS: unprivileged run exits 0 with fds.open null and a permission error; nothing readable exits 4"

#!/bin/bash
# test_sockets: the process's TCP sockets list (`sockets`). The fd_tcp
# target (a known set of loopback sockets: LISTEN, ESTABLISHED pairs,
# CLOSE_WAIT, IPv6 if available) runs in a network namespace of its own,
# so cdtop reads it two ways:
#   - as root: netlink sock_diag after setns() into the target's netns;
#   - without CAP_SYS_ADMIN (setpriv drops it): setns is refused and the
#     /proc/PID/net/tcp{,6} fallback is used (the text report says which).
# Both lists must be identical and match the kernel: one entry per socket
# inode of /proc/PID/fd with its lowest fd, and the state, local and
# remote address of `ss -tanHe` run in the target's namespace; the count
# per state must equal process.tcp.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq unshare nsenter ip ss setpriv

if ! unshare -n true 2>/dev/null; then
	skip "cannot create a network namespace here (unshare -n refused)"
fi
[ -x "$TARGETS/fd_tcp" ] || fail "test target $TARGETS/fd_tcp is not built"
start_bg fd_tcp unshare -n sh -c 'ip link set lo up && exec "$0" 10' "$TARGETS/fd_tcp"
wait_ready "$BG_PID" "$BG_OUT"
pid=$BG_PID
say "fd_tcp (pid $pid) in its own network namespace: $(grep '^expect' "$BG_OUT")"
[ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] || fail "the target is in our namespace"

# The kernel's view: inode -> lowest fd, then ss in the target's netns.
declare -A lowfd
for l in /proc/"$pid"/fd/*; do
	t=$(readlink "$l") || continue
	case $t in socket:\[*\]) ino=${t#socket:[}; ino=${ino%]}
		fd=${l##*/}
		if [ -z "${lowfd[$ino]:-}" ] || [ "$fd" -lt "${lowfd[$ino]}" ]; then lowfd[$ino]=$fd; fi ;;
	esac
done
truth=$TMPD/truth.txt
nsenter -t "$pid" -n ss -tanHe | while read -r st rq sq loc rem rest; do
	ino=$(printf '%s\n' "$rest" | grep -o 'ino:[0-9]*' | cut -d: -f2)
	[ -n "$ino" ] && [ -n "${lowfd[$ino]:-}" ] || continue
	case $st in ESTAB) st=ESTABLISHED ;; CLOSE-WAIT) st=CLOSE_WAIT ;; *) st=${st//-/_} ;; esac
	[ "$st" = LISTEN ] && rem=-
	printf '%s %s %s %s %s\n' "${lowfd[$ino]}" "$ino" "$st" "$loc" "$rem"
done | sort -n >"$truth"
say "kernel (ss -tanHe in the target's netns, fds from /proc/$pid/fd):"
sed 's/^/    /' "$truth"
[ "$(wc -l <"$truth")" -ge 9 ] || fail "expected at least 9 sockets from ss, got $(wc -l <"$truth")"

ours() {
	jq -r '.sockets[] | "\(.fd) \(.inode) \(.state) \(.local) \(if .state == "LISTEN" then "-" else .remote end)"' "$1" | sort -n
}

f1=$TMPD/netlink.json
take_snapshot "$pid" "$f1" 1
ours "$f1" >"$TMPD/netlink.txt"
diff -u "$truth" "$TMPD/netlink.txt" >"$TMPD/d1" || fail "netlink sockets differ from the kernel's: $(cat "$TMPD/d1")"
ok "netlink: $(wc -l <"$TMPD/netlink.txt") sockets match ss and /proc/$pid/fd"
jq_true "$f1" '(.sockets | group_by(.state) | map({key: .[0].state, value: length}) | from_entries) as $c
	| [.process.tcp | to_entries[] | .value == ($c[.key] // 0)] | all' "netlink: sockets per state = process.tcp"
jq_true "$f1" '[.sockets[] | (.rx_queue | type == "number") and (.tx_queue | type == "number")] | all' \
	"netlink: queues are numbers"

# Without CAP_SYS_ADMIN: the /proc fallback.
drop() {
	OUT=$TMPD/cdtop.stdout
	ERR=$TMPD/cdtop.stderr
	set +e
	timeout -k 5 30 setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin "$CDTOP" "$@" </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	set -e
}
f2=$TMPD/proc.json
drop -p "$pid" --snapshot "$f2" --duration 1
expect_rc 0 "snapshot without CAP_SYS_ADMIN"
ours "$f2" >"$TMPD/proc.txt"
diff -u "$truth" "$TMPD/proc.txt" >"$TMPD/d2" || fail "/proc fallback sockets differ from the kernel's: $(cat "$TMPD/d2")"
ok "/proc fallback: $(wc -l <"$TMPD/proc.txt") sockets match ss and /proc/$pid/fd"
drop -p "$pid" --snapshot "$TMPD/proc.txt.out" --duration 0 --format text
expect_rc 0 "text snapshot without CAP_SYS_ADMIN"
grep -q 'TCP sockets of the process (from proc)' "$TMPD/proc.txt.out" ||
	fail "the fallback run did not use /proc: $(grep 'TCP sockets' "$TMPD/proc.txt.out")"
ok "the run without CAP_SYS_ADMIN read /proc/PID/net/tcp*"
# Queues too, except a LISTEN socket's backlog (tx_queue), which only
# netlink knows (null from /proc).
same='[.sockets[] | if .state == "LISTEN" then .tx_queue = null else . end]'
assert_eq "both paths give the same list" "$(jq -c "$same" "$f1")" "$(jq -c "$same" "$f2")"
jq_true "$f2" '[.sockets[] | select(.state == "LISTEN") | .tx_queue == null] | all' "/proc: LISTEN backlog is null"
jq_true "$f1" '[.sockets[] | select(.state == "LISTEN") | .tx_queue > 0] | all' "netlink: LISTEN backlog is known"
say "PASS: sockets list matches the kernel by netlink and by /proc"

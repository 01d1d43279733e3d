#!/bin/bash
# test_fd_tcp: exact descriptor and TCP counts. tests/targets/fd_tcp
# closes every inherited descriptor above 2, opens N_FILES=50 on
# /dev/null and sets up on loopback 1 LISTEN socket, 3 in-process
# connections (6 ESTABLISHED), 2 CLOSE_WAIT sockets (their closed client
# ends are orphans with no descriptor) and, if [::1] works, 1 IPv6
# connection (2 more ESTABLISHED). It prints the expected counts.
# The test runs it with stdin, stdout and stderr on files, so:
#   process.tcp.{ESTABLISHED,LISTEN,CLOSE_WAIT} = the target's figures,
#   every other TCP state = 0 (the orphan FIN_WAIT2 ends are not counted),
#   process.fds.by_type = {file: 50+3, socket: S, pipe: 0, anon_inode: 0, other: 0},
#   process.fds.open = 53 + S, process.fds.limit = soft RLIMIT_NOFILE,
#   history[-1].fds = open.
# The expectations are cross-checked against /proc/PID/fd first.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
need_cmd jq

NFILES=50
start_target fd_tcp "$NFILES"
exp=$(target_line "expect ")
say "target says: $exp"
E_EST=$(kv "$exp" ESTABLISHED)
E_LISTEN=$(kv "$exp" LISTEN)
E_CW=$(kv "$exp" CLOSE_WAIT)
E_SOCK=$(kv "$exp" sockets)
[ "$(kv "$exp" ipv6)" = 1 ] || say "note: IPv6 loopback unusable here, IPv4 part only"
E_FILE=$((NFILES + 3))
E_OPEN=$((E_FILE + E_SOCK))

# Cross-check with the kernel's view before asking cdtop.
declare -A seen=([file]=0 [socket]=0 [pipe]=0 [anon_inode]=0 [other]=0)
total=0
for l in /proc/"$TARGET_PID"/fd/*; do
	t=$(readlink "$l")
	case $t in
	socket:*) k=socket ;;
	pipe:*) k=pipe ;;
	anon_inode:*) k=anon_inode ;;
	/*) k="file" ;;
	*) k=other ;;
	esac
	seen[$k]=$((seen[$k] + 1))
	total=$((total + 1))
done
say "/proc/$TARGET_PID/fd: open=$total file=${seen[file]} socket=${seen[socket]} pipe=${seen[pipe]} anon_inode=${seen[anon_inode]} other=${seen[other]}"
if [ "$total" != "$E_OPEN" ] || [ "${seen[file]}" != "$E_FILE" ] || [ "${seen[socket]}" != "$E_SOCK" ]; then
	fail "test setup: /proc/$TARGET_PID/fd does not match the expectation (open $E_OPEN, file $E_FILE, socket $E_SOCK)"
fi
limit=$(awk '/^Max open files/ { print $4 }' /proc/"$TARGET_PID"/limits)

snap=$TMPD/s.json
take_snapshot "$TARGET_PID" "$snap" 3
say "cdtop: tcp=$(jq -c .process.tcp "$snap") fds=$(jq -c .process.fds "$snap")"

assert_eq "tcp.ESTABLISHED" "$(jq_num "$snap" .process.tcp.ESTABLISHED)" "$E_EST"
assert_eq "tcp.LISTEN" "$(jq_num "$snap" .process.tcp.LISTEN)" "$E_LISTEN"
assert_eq "tcp.CLOSE_WAIT" "$(jq_num "$snap" .process.tcp.CLOSE_WAIT)" "$E_CW"
for st in SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE LAST_ACK CLOSING; do
	assert_eq "tcp.$st" "$(jq_num "$snap" ".process.tcp.$st")" 0
done
assert_eq "fds.open" "$(jq_num "$snap" .process.fds.open)" "$E_OPEN"
assert_eq "fds.limit" "$(jq_num "$snap" .process.fds.limit)" "$limit"
assert_eq "fds.by_type.file" "$(jq_num "$snap" .process.fds.by_type.file)" "$E_FILE"
assert_eq "fds.by_type.socket" "$(jq_num "$snap" .process.fds.by_type.socket)" "$E_SOCK"
assert_eq "fds.by_type.pipe" "$(jq_num "$snap" .process.fds.by_type.pipe)" 0
assert_eq "fds.by_type.anon_inode" "$(jq_num "$snap" .process.fds.by_type.anon_inode)" 0
assert_eq "fds.by_type.other" "$(jq_num "$snap" .process.fds.by_type.other)" 0
assert_eq "history[-1].fds" "$(jq_num "$snap" '.history[-1].fds')" "$E_OPEN"
say "PASS: ESTABLISHED=$E_EST LISTEN=$E_LISTEN CLOSE_WAIT=$E_CW open=$E_OPEN file=$E_FILE socket=$E_SOCK"

# shellcheck shell=bash
# tests/locks/lib.sh - helpers for the lock tests (sourced after
# tests/lib.sh, bash). The lock_* targets print "tids NAME=TID ..." and
# "addrs VAR=0xADDR ..." before "ready"; addresses are lower-case hex as
# in the snapshot.

declare -A TID ADDR

# read_ids: TID[name] and ADDR[var] from the target's output.
read_ids() {
	local l w
	l=$(target_line "tids ")
	for w in ${l#tids }; do TID[${w%%=*}]=${w#*=}; done
	l=$(grep -m1 '^addrs ' "$TARGET_OUT" || true)
	for w in ${l#addrs }; do ADDR[${w%%=*}]=${w#*=}; done
	say "target: $(grep -E '^(tids|addrs|pipe|tcp|epoll) ' "$TARGET_OUT" | tr '\n' ';')"
}

# lock_get FILE SYMBOL EXPR: EXPR (jq) on the lock named SYMBOL ("null"
# when there is none).
lock_get() {
	jq -r --arg s "$2" "[.locks[] | select(.symbol == \$s)][0] | $3" "$1"
}

# thread_get FILE TID EXPR: EXPR (jq) on thread TID.
thread_get() {
	jq -r --argjson t "$2" ".threads[] | select(.tid == \$t) | $3" "$1"
}

# jq_check WHAT FILE [JQ OPTIONS...] EXPR: EXPR must evaluate to true
# (jq_true with options such as --argjson).
jq_check() {
	local what=$1 f=$2 v
	shift 2
	v=$(jq -r "$@" "$f" 2>&1) || fail "$what: jq failed: $v"
	[ "$v" = true ] || fail "$what: '${*: -1}' is $v"
	ok "$what"
}

LOCK_KEYS='address symbol kind owner_tid waiters max_wait_s waiter_details owner_function
owner_state owner_syscall waiters_history contended in_deadlock owner_syscall_arg owner_blocked_s
owner_stack readers size'
WAITER_KEYS='tid wait_s mode function futex'
DEADLOCK_KEYS='threads locks symbols stalled_s functions kinds'

# check_lock_keys FILE: every documented key of locks[], their
# waiter_details[] and deadlocks[] is present (null allowed).
check_lock_keys() {
	local lk wk dk
	lk=$(for k in $LOCK_KEYS; do printf '"%s",' "$k"; done)
	wk=$(for k in $WAITER_KEYS; do printf '"%s",' "$k"; done)
	dk=$(for k in $DEADLOCK_KEYS; do printf '"%s",' "$k"; done)
	jq_check "every documented key of locks, waiter_details and deadlocks is present" "$1" \
		--argjson lk "[${lk%,}]" --argjson wk "[${wk%,}]" --argjson dk "[${dk%,}]" \
		'([.locks[] as $l | $lk[] | . as $k | $l | has($k)] | all)
		 and ([.locks[].waiter_details[] as $w | $wk[] | . as $k | $w | has($k)] | all)
		 and ([.deadlocks[] as $d | $dk[] | . as $k | $d | has($k)] | all)'
}

# show_locks FILE: the locks and deadlocks, one line each, for the log.
show_locks() {
	check_lock_keys "$1"
	say "locks:"
	jq -r '.locks[]? | "    \(.symbol // "-") \(.address) \(.kind) owner=\(.owner_tid) (\(.owner_state) \(.owner_syscall) \(.owner_syscall_arg)) waiters=\(.waiters) readers=\(.readers) history=\(.waiters_history) contended=\(.contended) deadlock=\(.in_deadlock)"' "$1"
	say "deadlocks: $(jq -c '.deadlocks' "$1")"
}

# check_deadlock FILE "TID..." "VAR...": exactly one deadlock; its
# threads are the TIDs and its locks the addresses of the VARs, with the
# variables' names; it reads as a cycle (threads[i] waits for locks[i],
# which threads[i+1] holds); each of those locks is in_deadlock, a mutex,
# and first in `locks`; the threads made no progress (stalled_polls >= 1).
check_deadlock() {
	local f=$1 tids=$2 vars=$3 want got n t v
	assert_eq "number of deadlocks" "$(jq '.deadlocks | length' "$f")" 1
	want=$(printf '%s\n' $tids | sort -n | tr '\n' ' ')
	got=$(jq -r '.deadlocks[0].threads[]' "$f" | sort -n | tr '\n' ' ')
	assert_eq "deadlock threads" "$got" "$want"
	want=$(for v in $vars; do printf '%s\n' "${ADDR[$v]}"; done | sort | tr '\n' ' ')
	got=$(jq -r '.deadlocks[0].locks[]' "$f" | sort | tr '\n' ' ')
	assert_eq "deadlock lock addresses" "$got" "$want"
	want=$(printf '%s\n' $vars | sort | tr '\n' ' ')
	got=$(jq -r '.deadlocks[0].symbols[]' "$f" | sort | tr '\n' ' ')
	assert_eq "deadlock lock names" "$got" "$want"
	for v in $vars; do
		assert_eq "lock $v at its address" "$(lock_get "$f" "$v" .address)" "${ADDR[$v]}"
	done
	jq_true "$f" '. as $root | .deadlocks[0] as $d | ($d.threads | length) as $n
		| [range(0; $n) | . as $i | $d.locks[$i] as $a
		   | ($root.locks[] | select(.address == $a)) as $l
		   | ($l.owner_tid == $d.threads[($i + 1) % $n]) and ($l.waiters | index($d.threads[$i]) != null)]
		| all' "the deadlock is a cycle: threads[i] waits for locks[i], held by threads[i+1]"
	n=$(jq '.deadlocks[0].threads | length' "$f")
	jq_check "the $n deadlocked mutexes come first in locks" "$f" --argjson n "$n" \
		'[.locks[:$n][] | .in_deadlock and .kind == "mutex"] | all'
	jq_true "$f" '[.locks[] | select(.in_deadlock)] | length == '"$n" "no other lock is marked in_deadlock"
	for t in $tids; do
		assert_cmp "thread $t stalled_polls" "$(thread_get "$f" "$t" .stalled_polls)" '>=' 1
		assert_eq "thread $t syscall" "$(thread_get "$f" "$t" .syscall)" futex
	done
	assert_cmp "deadlock stalled_s" "$(jq_num "$f" '.deadlocks[0].stalled_s')" '>=' 1
}

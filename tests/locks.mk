# tests/locks.mk - tests of thread wait details, lock waits and deadlocks
# (src/collect/proc_waits.c, src/analysis/locks.c), included from the top Makefile.am.
#
# The integration tests start the lock_* targets (each sets up known
# waits on named globals, prints "tids ..." and "addrs ..." and then
# "ready") and assert on the JSON (and text) snapshot of the real cdtop,
# which samples stacks with ptrace by default. The unit test of the pure
# analysis from fixture snapshots built in C (test_locks) is in
# tests/unit.mk.

check_PROGRAMS += \
	tests/targets/lock_deadlock \
	tests/targets/lock_contend \
	tests/targets/lock_pipe \
	tests/targets/lock_kinds \
	tests/targets/lock_dstate

# Targets: optimised like a production build, with symbols for the names.
LOCK_TARGET_CF = -std=gnu11 -O2 -g -Wall -Wextra -pthread
tests_targets_lock_deadlock_SOURCES = tests/targets/lock_deadlock.c tests/targets/lock_common.h
tests_targets_lock_deadlock_CFLAGS = $(LOCK_TARGET_CF)
tests_targets_lock_deadlock_LDADD = -lpthread
tests_targets_lock_contend_SOURCES = tests/targets/lock_contend.c tests/targets/lock_common.h
tests_targets_lock_contend_CFLAGS = $(LOCK_TARGET_CF)
tests_targets_lock_contend_LDADD = -lpthread
tests_targets_lock_pipe_SOURCES = tests/targets/lock_pipe.c tests/targets/lock_common.h
tests_targets_lock_pipe_CFLAGS = $(LOCK_TARGET_CF)
tests_targets_lock_pipe_LDADD = -lpthread
tests_targets_lock_kinds_SOURCES = tests/targets/lock_kinds.c tests/targets/lock_common.h
tests_targets_lock_kinds_CFLAGS = $(LOCK_TARGET_CF)
tests_targets_lock_kinds_LDADD = -lpthread
tests_targets_lock_dstate_SOURCES = tests/targets/lock_dstate.c tests/targets/lock_common.h
tests_targets_lock_dstate_CFLAGS = $(LOCK_TARGET_CF)
tests_targets_lock_dstate_LDADD = -lpthread

LOCKS_INTEGRATION_TESTS = \
	tests/locks/test_deadlock_abba.sh \
	tests/locks/test_deadlock_cycle3.sh \
	tests/locks/test_deadlock_self.sh \
	tests/locks/test_contention.sh \
	tests/locks/test_owner_blocked.sh \
	tests/locks/test_lock_kinds.sh \
	tests/locks/test_dstate.sh \
	tests/locks/test_sockets.sh

TESTS += $(LOCKS_INTEGRATION_TESTS)
EXTRA_DIST += $(LOCKS_INTEGRATION_TESTS) tests/locks/lib.sh

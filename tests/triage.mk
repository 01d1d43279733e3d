# tests/triage.mk - the triage checklist end to end, included from the
# top Makefile.am.
#
# Each target reproduces a case of the incident write-ups behind
# doc/triage-rules.md (an fd leak, a CLOSE_WAIT leak, a thread leak,
# lock contention, an AB-BA deadlock, TIME_WAIT churn); cpu_burn and
# rss_grow come from tests.mk. The scripts in tests/triage/ take a real
# snapshot of a real target and check the checklist items in it (jq),
# and that a healthy idle process (sleep) gets no warn or alert.

check_PROGRAMS += \
	tests/targets/fd_leak \
	tests/targets/conn_leak \
	tests/targets/thread_leak \
	tests/targets/lock_contention \
	tests/targets/deadlock_abba \
	tests/targets/tw_churn

tests_targets_fd_leak_SOURCES = tests/targets/fd_leak.c
tests_targets_conn_leak_SOURCES = tests/targets/conn_leak.c
tests_targets_thread_leak_SOURCES = tests/targets/thread_leak.c
tests_targets_thread_leak_LDADD = -lpthread
tests_targets_lock_contention_SOURCES = tests/targets/lock_contention.c
tests_targets_lock_contention_LDADD = -lpthread
tests_targets_deadlock_abba_SOURCES = tests/targets/deadlock_abba.c
tests_targets_deadlock_abba_LDADD = -lpthread
tests_targets_tw_churn_SOURCES = tests/targets/tw_churn.c

TRIAGE_TESTS = \
	tests/triage/test_triage_idle.sh \
	tests/triage/test_triage_cpu.sh \
	tests/triage/test_triage_fd_leak.sh \
	tests/triage/test_triage_close_wait.sh \
	tests/triage/test_triage_thread_leak.sh \
	tests/triage/test_triage_rss_leak.sh \
	tests/triage/test_triage_time_wait.sh \
	tests/triage/test_triage_lock_contention.sh \
	tests/triage/test_triage_deadlock.sh

TESTS += $(TRIAGE_TESTS)
EXTRA_DIST += $(TRIAGE_TESTS)

# Unit tests: plain C programs linked against libcdtop.a, one per module
# group. Each prints "ok N checks" and exits 1 on any failed check.
# Fixtures are read from $FIXTURES (AM_TESTS_ENVIRONMENT); temp files go
# under a mkdtemp() directory in /tmp, so `make distcheck` works.

UNIT_TESTS = tests/unit/test_proc_parse tests/unit/test_report tests/unit/test_snapshot_load \
	tests/unit/test_triage tests/unit/test_frame \
	tests/unit/test_ui tests/unit/test_golden tests/unit/test_model
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

tests_unit_test_proc_parse_SOURCES = tests/unit/test_proc_parse.c tests/unit/check.h
tests_unit_test_proc_parse_LDADD = libcdtop.a $(CORE_LIBS)

tests_unit_test_report_SOURCES = tests/unit/test_report.c tests/unit/check.h
tests_unit_test_report_LDADD = libcdtop.a $(CORE_LIBS)

tests_unit_test_snapshot_load_SOURCES = tests/unit/test_snapshot_load.c tests/unit/check.h tests/unit/rich_snapshot.h
tests_unit_test_snapshot_load_LDADD = libcdtop.a $(CORE_LIBS)

tests_unit_test_triage_SOURCES = tests/unit/test_triage.c tests/unit/check.h
tests_unit_test_triage_LDADD = libcdtop.a $(CORE_LIBS)

tests_unit_test_frame_SOURCES = tests/unit/test_frame.c tests/unit/check.h
tests_unit_test_frame_LDADD = libcdtop.a $(CORE_LIBS)

tests_unit_test_ui_SOURCES = tests/unit/test_ui.c tests/unit/check.h
tests_unit_test_ui_LDADD = libcdtop.a $(CORE_LIBS)

tests_unit_test_golden_SOURCES = tests/unit/test_golden.c tests/unit/check.h
tests_unit_test_golden_LDADD = libcdtop.a $(CORE_LIBS)

tests_unit_test_model_SOURCES = tests/unit/test_model.c tests/unit/check.h
tests_unit_test_model_LDADD = libcdtop.a $(CORE_LIBS)

# Every output written from every fixture snapshot (test_golden.c): the
# whole folder, so a new golden file cannot be left out of the tarball.
EXTRA_DIST += tests/fixtures/golden

EXTRA_DIST += \
	tests/fixtures/snapshots/README \
	tests/fixtures/snapshots/conn_leak.json \
	tests/fixtures/snapshots/cpu_burn.json \
	tests/fixtures/snapshots/deadlock_abba.json \
	tests/fixtures/snapshots/fd_leak.json \
	tests/fixtures/snapshots/fd_tcp.json \
	tests/fixtures/snapshots/lock_contention.json \
	tests/fixtures/snapshots/rss_grow.json \
	tests/fixtures/snapshots/sleep_idle.json \
	tests/fixtures/snapshots/thread_leak.json \
	tests/fixtures/snapshots/threads_mix.json \
	tests/fixtures/proc/README \
	tests/fixtures/proc/comm_paren_stat \
	tests/fixtures/proc/cpu_stat_v1 \
	tests/fixtures/proc/cpu_stat_v2_root \
	tests/fixtures/proc/hand_cgroup_v1_only \
	tests/fixtures/proc/hand_cgroup_v2_only \
	tests/fixtures/proc/hand_cpu_stat_v2 \
	tests/fixtures/proc/hand_limits_unlimited \
	tests/fixtures/proc/hand_mountinfo_v1_cpu_cpuacct \
	tests/fixtures/proc/hand_mountinfo_v2_only \
	tests/fixtures/proc/hand_stat_distinct \
	tests/fixtures/proc/hand_stat_truncated \
	tests/fixtures/proc/kthread_stat \
	tests/fixtures/proc/kthread_status \
	tests/fixtures/proc/net_sockstat \
	tests/fixtures/proc/net_tcp \
	tests/fixtures/proc/net_tcp6 \
	tests/fixtures/proc/self_cgroup \
	tests/fixtures/proc/self_io \
	tests/fixtures/proc/self_limits \
	tests/fixtures/proc/self_mountinfo \
	tests/fixtures/proc/self_schedstat \
	tests/fixtures/proc/self_stat \
	tests/fixtures/proc/self_status \
	tests/fixtures/proc/stat_stopped \
	tests/fixtures/proc/status_traced \
	tests/fixtures/proc/syscall_nanosleep \
	tests/fixtures/proc/syscall_running \
	tests/fixtures/proc/syscall_stopped \
	tests/fixtures/proc/task_stat_sleeper \
	tests/fixtures/proc/task_syscall_futex \
	tests/fixtures/proc/zombie_stat \
	tests/fixtures/proc/zombie_status

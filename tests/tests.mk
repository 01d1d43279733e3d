# tests/tests.mk - integration tests, included from the top Makefile.am.
#
# Test targets are small C programs with known behaviour (built by
# `make check`, never installed); the tests are bash scripts that start a
# target, run the real cdtop against it and check the result (see
# tests/lib.sh). Scripts are run directly, so they must stay executable.

check_PROGRAMS += \
	tests/targets/cpu_burn \
	tests/targets/syscall_loop \
	tests/targets/fd_tcp \
	tests/targets/rss_grow \
	tests/targets/threads_mix \
	tests/targets/zombie_parent

tests_targets_cpu_burn_SOURCES = tests/targets/cpu_burn.c
tests_targets_cpu_burn_LDADD = -lpthread
tests_targets_syscall_loop_SOURCES = tests/targets/syscall_loop.c
tests_targets_fd_tcp_SOURCES = tests/targets/fd_tcp.c
tests_targets_rss_grow_SOURCES = tests/targets/rss_grow.c
tests_targets_threads_mix_SOURCES = tests/targets/threads_mix.c
tests_targets_threads_mix_LDADD = -lpthread
tests_targets_zombie_parent_SOURCES = tests/targets/zombie_parent.c

INTEGRATION_TESTS = \
	tests/integration/test_cpu_user.sh \
	tests/integration/test_cpu_sys.sh \
	tests/integration/test_fd_tcp.sh \
	tests/integration/test_rss_growth.sh \
	tests/integration/test_threads.sh \
	tests/integration/test_text_report.sh \
	tests/integration/test_no_env.sh \
	tests/integration/test_bad_input.sh \
	tests/integration/test_permission.sh \
	tests/integration/test_tui_tmux.sh \
	tests/integration/test_tui_panes.sh \
	tests/integration/test_tui_freeze_save.sh \
	tests/integration/test_tui_replay.sh \
	tests/integration/test_tui_signals.sh \
	tests/integration/test_tui_locks.sh \
	tests/integration/test_tui_go.sh

TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += tests/lib.sh tests/tui_lib.sh $(INTEGRATION_TESTS)

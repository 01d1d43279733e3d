# tests/sampler.mk - tests of stack sampling (ptrace), included from the
# top Makefile.am.
#
# Targets with known function names, built in several code-generation
# variants, and safety targets (many threads, thread churn, exit/exec,
# signal counting, a second tracer, a kill -9 driver). C++ and Go targets
# (prof_cpp.cc, prof_go.go) are compiled by their tests at run time, since
# configure looks for neither compiler. Tests are bash scripts in
# tests/sampler/ using tests/lib.sh and tests/sampler/lib/sampler.sh.

# Per-target CFLAGS replace AM_CFLAGS, so the variants get exactly these
# code-generation flags (configure's CFLAGS, e.g. -g -O2, still follow).
PROF_HOT_WARN = -std=gnu11 -Wall -Wextra -pthread

check_PROGRAMS += \
	tests/targets/prof_hot_fp \
	tests/targets/prof_hot_nofp \
	tests/targets/prof_hot_nopie \
	tests/targets/prof_hot_static \
	tests/targets/prof_many \
	tests/targets/prof_churn \
	tests/targets/prof_exit \
	tests/targets/prof_signals \
	tests/targets/prof_sigsend \
	tests/targets/prof_seizer \
	tests/targets/prof_killer

tests_targets_prof_hot_fp_SOURCES = tests/targets/prof_hot.c
tests_targets_prof_hot_fp_CFLAGS = $(PROF_HOT_WARN) -O2 -fno-omit-frame-pointer
tests_targets_prof_hot_fp_LDADD = -lpthread

tests_targets_prof_hot_nofp_SOURCES = tests/targets/prof_hot.c
tests_targets_prof_hot_nofp_CFLAGS = $(PROF_HOT_WARN) -O2 -fomit-frame-pointer
tests_targets_prof_hot_nofp_LDADD = -lpthread

tests_targets_prof_hot_nopie_SOURCES = tests/targets/prof_hot.c
tests_targets_prof_hot_nopie_CFLAGS = $(PROF_HOT_WARN) -O2 -fno-pie
tests_targets_prof_hot_nopie_LDFLAGS = -no-pie
tests_targets_prof_hot_nopie_LDADD = -lpthread

tests_targets_prof_hot_static_SOURCES = tests/targets/prof_hot.c
tests_targets_prof_hot_static_CFLAGS = $(PROF_HOT_WARN) -O2
tests_targets_prof_hot_static_LDFLAGS = -static
tests_targets_prof_hot_static_LDADD = -lpthread

tests_targets_prof_many_SOURCES = tests/targets/prof_many.c
tests_targets_prof_many_LDADD = -lpthread
tests_targets_prof_churn_SOURCES = tests/targets/prof_churn.c
tests_targets_prof_churn_LDADD = -lpthread
tests_targets_prof_exit_SOURCES = tests/targets/prof_exit.c
tests_targets_prof_exit_LDADD = -lpthread
tests_targets_prof_signals_SOURCES = tests/targets/prof_signals.c
tests_targets_prof_signals_LDADD = -lpthread
tests_targets_prof_sigsend_SOURCES = tests/targets/prof_sigsend.c
tests_targets_prof_seizer_SOURCES = tests/targets/prof_seizer.c
tests_targets_prof_killer_SOURCES = tests/targets/prof_killer.c

SAMPLER_TESTS = \
	tests/sampler/test_prof_c_fp.sh \
	tests/sampler/test_prof_c_nofp.sh \
	tests/sampler/test_prof_c_nopie.sh \
	tests/sampler/test_prof_c_static.sh \
	tests/sampler/test_prof_cpp.sh \
	tests/sampler/test_prof_go.sh \
	tests/sampler/test_prof_go_callers.sh \
	tests/sampler/test_prof_rate.sh \
	tests/sampler/test_safety_kill9.sh \
	tests/sampler/test_safety_sigstop.sh \
	tests/sampler/test_safety_thread_churn.sh \
	tests/sampler/test_safety_exit_exec.sh \
	tests/sampler/test_safety_signals.sh \
	tests/sampler/test_safety_traced.sh \
	tests/sampler/test_safety_permission.sh

TESTS += $(SAMPLER_TESTS)
EXTRA_DIST += $(SAMPLER_TESTS) \
	tests/sampler/lib/sampler.sh \
	tests/sampler/lib/prof_hot_checks.sh \
	tests/targets/prof_cpp.cc \
	tests/targets/prof_go.go

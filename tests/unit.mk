# tests/unit.mk - every unit test, included from the top Makefile.am.
#
# A unit test is a plain C program, tests/unit/test_NAME.c, linked
# against libcdtop.a; it prints "ok N checks" and exits 1 on any failed
# check (tests/unit/check.h), 77 when it cannot run here. Fixtures are
# read from $FIXTURES (AM_TESTS_ENVIRONMENT); temp files go under a
# mkdtemp() directory in /tmp, so `make distcheck` works. Integration
# suites (bash scripts against live targets) stay in tests/tests.mk,
# sampler.mk, locks.mk, triage.mk and go.mk.
#
# A new unit test: add it to UNIT_TESTS and give it the two lines every
# test has (_SOURCES, _LDADD) below. Fixtures built in C come from the
# shared builder, tests/unit/snapbuild.h.

UNIT_TESTS = \
	tests/unit/test_proc_parse \
	tests/unit/test_report \
	tests/unit/test_snapshot_load \
	tests/unit/test_triage \
	tests/unit/test_frame \
	tests/unit/test_ui \
	tests/unit/test_golden \
	tests/unit/test_model \
	tests/unit/test_goroutines \
	tests/unit/test_locks \
	tests/unit/test_symbols \
	tests/unit/test_symbols_go
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

# Shared by every unit test: check.h (the CHECK macros), the snapshot
# builder (snapbuild.h) and the fixture folders (fixtures.h), from one
# library so a test links what it uses.
check_LIBRARIES = tests/unit/libunittest.a
tests_unit_libunittest_a_SOURCES = tests/unit/snapbuild.c tests/unit/snapbuild.h \
	tests/unit/fixtures.c tests/unit/fixtures.h tests/unit/check.h
UNIT_LDADD = tests/unit/libunittest.a libcdtop.a $(CORE_LIBS)

tests_unit_test_proc_parse_SOURCES = tests/unit/test_proc_parse.c
tests_unit_test_proc_parse_LDADD = $(UNIT_LDADD)
tests_unit_test_report_SOURCES = tests/unit/test_report.c
tests_unit_test_report_LDADD = $(UNIT_LDADD)
tests_unit_test_snapshot_load_SOURCES = tests/unit/test_snapshot_load.c
tests_unit_test_snapshot_load_LDADD = $(UNIT_LDADD)
tests_unit_test_triage_SOURCES = tests/unit/test_triage.c
tests_unit_test_triage_LDADD = $(UNIT_LDADD)
tests_unit_test_frame_SOURCES = tests/unit/test_frame.c
tests_unit_test_frame_LDADD = $(UNIT_LDADD)
tests_unit_test_ui_SOURCES = tests/unit/test_ui.c
tests_unit_test_ui_LDADD = $(UNIT_LDADD)
tests_unit_test_golden_SOURCES = tests/unit/test_golden.c
tests_unit_test_golden_LDADD = $(UNIT_LDADD)
tests_unit_test_model_SOURCES = tests/unit/test_model.c
tests_unit_test_model_LDADD = $(UNIT_LDADD)
tests_unit_test_goroutines_SOURCES = tests/unit/test_goroutines.c
tests_unit_test_goroutines_LDADD = $(UNIT_LDADD)
tests_unit_test_locks_SOURCES = tests/unit/test_locks.c
tests_unit_test_locks_LDADD = $(UNIT_LDADD)
tests_unit_test_symbols_SOURCES = tests/unit/test_symbols.c
tests_unit_test_symbols_LDADD = $(UNIT_LDADD)
tests_unit_test_symbols_go_SOURCES = tests/unit/test_symbols.c
tests_unit_test_symbols_go_LDADD = $(UNIT_LDADD)

# The only per-test flags. test_symbols (src/collect/symbols.c) reads
# this machine's libc/libstdc++, the sym_c target built PIE, non-PIE and
# static (with debug info and a build-id: the test makes stripped copies,
# separate debug files and a MiniDebugInfo section from it under a
# temporary directory) and a C++ target it compiles itself (configure
# does not look for a C++ compiler). test_symbols_go is the same source
# built with -DSYMTEST_GO: it runs `go build` on sym_go.go and exits 77
# (skip) when go is not installed. Sources built at test time are read
# from $(abs_top_srcdir)/tests/targets, which may be read-only.
SYMTEST_CPPFLAGS = $(AM_CPPFLAGS) -DSYMTEST_SRCDIR='"$(abs_top_srcdir)/tests/targets"'
tests_unit_test_symbols_CPPFLAGS = $(SYMTEST_CPPFLAGS)
tests_unit_test_symbols_go_CPPFLAGS = $(SYMTEST_CPPFLAGS) -DSYMTEST_GO

# test_symbols' targets get their own flags (no sanitizers: -static could
# not link).
check_PROGRAMS += tests/targets/sym_c_pie tests/targets/sym_c_nopie tests/targets/sym_c_static
SYMTARGET_CF = -O2 -g -fno-omit-frame-pointer -pthread
SYMTARGET_LD = -pthread -Wl,--build-id
tests_targets_sym_c_pie_SOURCES = tests/targets/sym_c.c
tests_targets_sym_c_pie_CFLAGS = $(SYMTARGET_CF) -fPIE
tests_targets_sym_c_pie_LDFLAGS = $(SYMTARGET_LD) -pie
tests_targets_sym_c_nopie_SOURCES = tests/targets/sym_c.c
tests_targets_sym_c_nopie_CFLAGS = $(SYMTARGET_CF) -fno-pie
tests_targets_sym_c_nopie_LDFLAGS = $(SYMTARGET_LD) -no-pie
tests_targets_sym_c_static_SOURCES = tests/targets/sym_c.c
tests_targets_sym_c_static_CFLAGS = $(SYMTARGET_CF)
tests_targets_sym_c_static_LDFLAGS = $(SYMTARGET_LD) -static
EXTRA_DIST += tests/targets/sym_cxx.cc tests/targets/sym_go.go

# The fixture folders, whole: a new file in tests/fixtures/ is in the
# tarball without a list to update (tests/distfiles.sh checks it). Tests
# that treat every file alike read the folder (fixtures_list), the others
# fail on a file no test names (fixtures_unnamed): tests/unit/fixtures.h.
#   proc/       /proc and cgroup files (test_proc_parse)
#   snapshots/  real snapshots of the test targets (test_snapshot_load,
#               test_triage, test_ui, test_golden)
#   golden/     every output written from each snapshot (test_golden)
EXTRA_DIST += tests/fixtures

# tests/unit/symbols.mk - the symbolizer's unit tests (src/collect/symbols.c) and
# their targets, included from the top Makefile.am.
#
# test_symbols reads this machine's libc/libstdc++, the sym_c target built
# PIE, non-PIE and static (with debug info and a build-id: the test makes
# stripped copies, separate debug files and a MiniDebugInfo section from
# it under a temporary directory) and a C++ target it compiles itself
# (configure does not look for a C++ compiler). test_symbols_go is the
# same source built with -DSYMTEST_GO: it runs `go build` on sym_go.go and
# exits 77 (skip) when go is not installed. Sources built at test time are
# read from $(abs_top_srcdir)/tests/targets, which may be read-only.

SYMBOLS_TESTS = tests/unit/test_symbols tests/unit/test_symbols_go
check_PROGRAMS += $(SYMBOLS_TESTS) \
	tests/targets/sym_c_pie tests/targets/sym_c_nopie tests/targets/sym_c_static
TESTS += $(SYMBOLS_TESTS)

SYMTEST_CPPFLAGS = $(AM_CPPFLAGS) -DSYMTEST_SRCDIR='"$(abs_top_srcdir)/tests/targets"'
tests_unit_test_symbols_SOURCES = tests/unit/test_symbols.c tests/unit/check.h
tests_unit_test_symbols_CPPFLAGS = $(SYMTEST_CPPFLAGS)
tests_unit_test_symbols_LDADD = libcdtop.a $(CORE_LIBS)
tests_unit_test_symbols_go_SOURCES = tests/unit/test_symbols.c tests/unit/check.h
tests_unit_test_symbols_go_CPPFLAGS = $(SYMTEST_CPPFLAGS) -DSYMTEST_GO
tests_unit_test_symbols_go_LDADD = libcdtop.a $(CORE_LIBS)

# The targets get their own flags (no sanitizers: -static could not link).
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

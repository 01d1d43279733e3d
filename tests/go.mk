# tests/go.mk - tests of the goroutine reader (src/collect/golang.c) and its
# analysis (src/analysis/goroutines.c) on live Go targets, included from the
# top Makefile.am. The unit test (test_goroutines) is in tests/unit.mk.
#
# tests/targets/go_gr.go (one program, a mode per run: leak, deadlock,
# hot, iowait, sleep) is built once per flavour by `make check`: with
# symbols and DWARF, and stripped with -ldflags='-s -w' (layout from the
# version table, globals found by scanning). Go's caches live in the
# build tree (removed by make clean), so a read-only source tree and
# `make distcheck` work. Without `go` the targets are not built and the
# tests exit 77 saying so. The tests are bash scripts in tests/go/.

GO_TESTS = \
	tests/go/test_go_leak.sh \
	tests/go/test_go_deadlock.sh \
	tests/go/test_go_hot.sh \
	tests/go/test_go_iowait.sh \
	tests/go/test_go_sleep.sh \
	tests/go/test_go_version.sh

TESTS += $(GO_TESTS)
EXTRA_DIST += $(GO_TESTS) tests/go/lib.sh tests/targets/go_gr.go

GO_TARGETS = tests/targets/go_gr tests/targets/go_gr_stripped
GO_ENV = GOCACHE='$(abs_top_builddir)/tests/.gocache' GOPATH='$(abs_top_builddir)/tests/.gopath' \
	GOENV=off GOFLAGS= GO111MODULE=off GOTOOLCHAIN=local

if HAVE_GO
check_SCRIPTS += $(GO_TARGETS)
endif

tests/targets/go_gr: $(srcdir)/tests/targets/go_gr.go
	$(AM_V_GEN)$(MKDIR_P) tests/targets && $(GO_ENV) $(GO) build -o $@ $(srcdir)/tests/targets/go_gr.go

tests/targets/go_gr_stripped: $(srcdir)/tests/targets/go_gr.go
	$(AM_V_GEN)$(MKDIR_P) tests/targets && $(GO_ENV) $(GO) build -ldflags='-s -w' -o $@ $(srcdir)/tests/targets/go_gr.go

CLEANFILES += $(GO_TARGETS)
clean-local: clean-local-go
clean-local-go:
	-rm -rf tests/.gocache tests/.gopath
.PHONY: clean-local-go

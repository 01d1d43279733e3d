# tests/tree.mk - checks of the source tree itself, included from the top
# Makefile.am. They read sources only (no build product), in well under a
# second each:
#
# layering.sh           every #include goes to the file's own layer or a
#                       lower one; curses only in src/view/tui.c, ptrace
#                       only in src/collect/sampler.c (see the script);
# layering_selftest.sh  layering.sh catches a deliberately wrong include,
#                       curses or ptrace use in a copy of the tree;
# distfiles.sh          every source file and fixture of src/, include/
#                       and tests/ is in $(DISTFILES), so a file left out
#                       of the lists fails here, not in `make distcheck`.

TREE_TESTS = tests/layering.sh tests/layering_selftest.sh tests/distfiles.sh
TESTS += $(TREE_TESTS)
EXTRA_DIST += $(TREE_TESTS)

# $(DISTFILES) as distfiles.sh reads it: one per line, $(srcdir)/ removed.
check_DATA = tests/distfiles.list
CLEANFILES += tests/distfiles.list
tests/distfiles.list: Makefile
	$(AM_V_GEN)$(MKDIR_P) tests && \
	srcdirstrip=`echo "$(srcdir)" | sed 's/[].[^$$\\*]/\\\\&/g'`; \
	for f in $(DISTFILES); do echo "$$f"; done | \
		sed -e "s|^$$srcdirstrip/||" -e 's|^\./||' >$@-t && mv $@-t $@

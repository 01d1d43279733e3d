# tests/tree.mk - checks of the source tree itself, included from the top
# Makefile.am. They read sources only (no build product), in well under a
# second each:
#
# layering.sh           every #include goes to the file's own layer or a
#                       lower one; curses only in src/view/tui.c, ptrace
#                       only in src/collect/sampler.c (see the script);
# layering_selftest.sh  layering.sh catches a deliberately wrong include,
#                       curses or ptrace use in a copy of the tree;
# listed.sh             every source file and fixture of src/, include/
#                       and tests/ is in $(DISTFILES), every test file is
#                       registered in a .mk: a file left off a list fails
#                       here, not in `make distcheck` or never;
# design_tree.sh        doc/design.md's diagram names exactly the files of
#                       each src/ folder, under that folder.

TREE_TESTS = tests/layering.sh tests/layering_selftest.sh tests/listed.sh tests/design_tree.sh
TESTS += $(TREE_TESTS)
EXTRA_DIST += $(TREE_TESTS)

# $(DISTFILES) as listed.sh reads it: one per line, $(srcdir)/ removed.
check_DATA = tests/listed.dist
CLEANFILES += tests/listed.dist
LISTED_SED = sed -e "s|^$$srcdirstrip/||" -e 's|^\./||'
LISTED_SRCDIR = srcdirstrip=`echo "$(srcdir)" | sed 's/[].[^$$\\*]/\\\\&/g'`
tests/listed.dist: Makefile
	$(AM_V_GEN)$(MKDIR_P) tests && $(LISTED_SRCDIR) && \
	for f in $(DISTFILES); do echo "$$f"; done | $(LISTED_SED) >$@-t && mv $@-t $@

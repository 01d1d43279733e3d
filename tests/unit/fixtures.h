/*
 * fixtures.h - where the unit tests find the fixture files of
 * tests/fixtures/ (proc/, snapshots/, golden/), the list of a folder, and
 * which files of a folder no test named.
 *
 * Why: a fixture list written into a test misses the next file added to
 * the folder, silently. Tests that treat every file alike loop over
 * fixtures_list(); tests that expect something particular of each file
 * open them by name through fixtures_path() and then check
 * fixtures_unnamed() == 0, so a new file fails until a test names it.
 */
#ifndef CDTOP_TEST_FIXTURES_H
#define CDTOP_TEST_FIXTURES_H

#include <stddef.h>

/* $FIXTURES (make check sets it), else "tests/fixtures". */
const char *fixtures_dir(void);

/* The path of file name of folder sub of fixtures_dir(), in buf (n
 * bytes); name now counts as named (fixtures_unnamed). Returns buf. */
char *fixtures_path(char *buf, size_t n, const char *sub, const char *name);

/* The names of the files of folder sub ending in suffix ("" for any),
 * sorted, README and hidden files left out; their number in *n. NULL
 * (and a message on stderr) when the folder cannot be read. */
char **fixtures_list(const char *sub, const char *suffix, int *n);

/* Free a fixtures_list() result. */
void fixtures_list_free(char **names, int n);

/* How many files of folder sub (README and hidden files aside) no
 * fixtures_path() call named; each is printed on stderr. -1 when the
 * folder cannot be read. */
int fixtures_unnamed(const char *sub);

#endif

/*
 * fixtures.c - the fixture folders of the unit tests (see fixtures.h):
 * paths, sorted listings, and the names the tests asked for.
 */
#include "fixtures.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "sub/name" of every fixtures_path() call, for fixtures_unnamed(). */
static char **named;
static int nnamed;

const char *fixtures_dir(void)
{
	const char *d = getenv("FIXTURES");
	return d && *d ? d : "tests/fixtures";
}

char *fixtures_path(char *buf, size_t n, const char *sub, const char *name)
{
	snprintf(buf, n, "%s/%s/%s", fixtures_dir(), sub, name);
	char key[512];
	snprintf(key, sizeof(key), "%s/%s", sub, name);
	for (int i = 0; i < nnamed; i++)
		if (strcmp(named[i], key) == 0)
			return buf;
	named = xrealloc(named, sizeof(*named) * (size_t)(nnamed + 1));
	named[nnamed++] = xstrdup(key);
	return buf;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fixtures_list(const char *sub, const char *suffix, int *n)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/%s", fixtures_dir(), sub);
	*n = 0;
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "cannot open %s: %s\n", dir, strerror(errno));
		return NULL;
	}
	char **names = NULL;
	size_t slen = strlen(suffix);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || strcmp(e->d_name, "README") == 0 || len <= slen ||
		    strcmp(e->d_name + len - slen, suffix) != 0)
			continue;
		names = xrealloc(names, sizeof(*names) * (size_t)(*n + 1));
		names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(names, (size_t)*n, sizeof(*names), cmp_names);
	else
		names = xcalloc(1, sizeof(*names));
	return names;
}

void fixtures_list_free(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int fixtures_unnamed(const char *sub)
{
	int n;
	char **names = fixtures_list(sub, "", &n);
	if (!names)
		return -1;
	int unnamed = 0;
	for (int i = 0; i < n; i++) {
		char key[512];
		snprintf(key, sizeof(key), "%s/%s", sub, names[i]);
		int k = 0;
		while (k < nnamed && strcmp(named[k], key) != 0)
			k++;
		if (k == nnamed) {
			fprintf(stderr, "FAIL: %s/%s: no test names this fixture\n", fixtures_dir(), key);
			unnamed++;
		}
	}
	fixtures_list_free(names, n);
	return unnamed;
}

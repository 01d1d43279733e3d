/*
 * test_model.c - the model layer's shared helpers on their own: the
 * growable array (ARRAY_GROW / array_grow) and the string interner.
 */
#include "intern.h"
#include "util.h"
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void test_array(void)
{
	/* Appending through int counters from an empty array. */
	int *v = NULL, n = 0, cap = 0;
	for (int i = 0; i < 1000; i++) {
		ARRAY_GROW(v, n, cap, 16);
		v[n++] = i * 3;
	}
	CHECK_EQ_INT(n, 1000);
	CHECK_EQ_INT(cap, 1024);        /* 16 doubled six times */
	bool same = true;
	for (int i = 0; i < n; i++)
		same &= v[i] == i * 3;
	CHECK(same);
	free(v);

	/* size_t counters, a preallocated array: `first` is not used, the
	 * capacity it has doubles. */
	size_t sn = 0, scap = 5;
	double *d = xmalloc(scap * sizeof(*d));
	for (int i = 0; i < 6; i++) {
		ARRAY_GROW(d, sn, scap, 100);
		d[sn++] = i;
	}
	CHECK_EQ_INT(scap, 10);
	CHECK(d[5] == 5.0 && d[0] == 0.0);
	free(d);

	/* No growth while there is room: the array does not move. */
	size_t c = 8;
	char *b = xmalloc(c), *was = b;
	b = array_grow(b, 1, 8, &c, 4);
	CHECK(b == was);
	CHECK_EQ_INT(c, 8);
	/* A jump past double goes straight to the first power-of-two step
	 * that holds it. */
	b = array_grow(b, 1, 100, &c, 4);
	CHECK_EQ_INT(c, 128);
	b[99] = 'x';
	free(b);

	/* first == 0 still grows. */
	long *l = NULL;
	size_t lc = 0;
	l = array_grow(l, sizeof(*l), 3, &lc, 0);
	CHECK(lc >= 3);
	free(l);
}

static void test_intern(void)
{
	struct intern in;
	intern_init(&in);
	CHECK_EQ_INT(intern_find(&in, "a"), -1);        /* empty: no table yet */
	CHECK(intern_at(&in, 0) == NULL);

	/* Dense indices in the order first added; copies are owned. */
	char buf[16] = "main";
	CHECK_EQ_INT(intern_add(&in, buf), 0);
	buf[0] = 'x';
	CHECK_STR(intern_at(&in, 0), "main");
	CHECK_EQ_INT(intern_add(&in, "write"), 1);
	CHECK_EQ_INT(intern_add(&in, "main"), 0);
	CHECK_EQ_INT(intern_find(&in, "write"), 1);
	CHECK_EQ_INT(intern_find(&in, "writ"), -1);
	CHECK_EQ_INT(intern_add(&in, ""), 2);           /* the empty string is a key */
	CHECK_EQ_INT(intern_find(&in, ""), 2);
	CHECK(intern_second(&in, 0) == NULL);

	/* Pairs: never equal to a string, nor to another split of the same
	 * bytes. */
	int p = intern_add_pair(&in, "main", "/usr/bin/app");
	CHECK_EQ_INT(p, 3);
	CHECK_STR(intern_at(&in, p), "main");
	CHECK_STR(intern_second(&in, p), "/usr/bin/app");
	CHECK_EQ_INT(intern_add_pair(&in, "main", "/usr/bin/app"), p);
	CHECK_EQ_INT(intern_find_pair(&in, "main", "/usr/bin/app"), p);
	CHECK_EQ_INT(intern_find_pair(&in, "main", "/usr/bin/ap"), -1);
	CHECK_EQ_INT(intern_add_pair(&in, "ma", "in"), 4);
	CHECK_EQ_INT(intern_add_pair(&in, "m", "ain"), 5);
	CHECK_EQ_INT(intern_add_pair(&in, "write", ""), 6);
	CHECK_EQ_INT(intern_find(&in, "write"), 1);
	CHECK_EQ_INT(intern_find_pair(&in, "", "write"), -1);
	CHECK(intern_at(&in, 7) == NULL && intern_at(&in, -1) == NULL);

	/* Many keys (rehashing several times, long keys over 8-byte words):
	 * every one keeps its index and its text. */
	char k[64];
	int base = in.n;
	for (int i = 0; i < 20000; i++) {
		snprintf(k, sizeof(k), "std::vector<int>::push_back#%d", i);
		if (intern_add(&in, k) != base + i)
			break;
	}
	CHECK_EQ_INT(in.n, base + 20000);
	bool ok = true;
	for (int i = 0; i < 20000; i += 7) {
		snprintf(k, sizeof(k), "std::vector<int>::push_back#%d", i);
		ok &= intern_find(&in, k) == base + i && strcmp(intern_at(&in, base + i), k) == 0;
	}
	CHECK(ok);
	CHECK_EQ_INT(intern_find(&in, "main"), 0);
	CHECK_EQ_INT(intern_find_pair(&in, "m", "ain"), 5);

	intern_fini(&in);
	CHECK_EQ_INT(in.n, 0);
	CHECK_EQ_INT(intern_find(&in, "main"), -1);
	CHECK_EQ_INT(intern_add(&in, "again"), 0);      /* usable after fini */
	intern_fini(&in);
}

int main(void)
{
	test_array();
	test_intern();
	return CHECK_DONE();
}

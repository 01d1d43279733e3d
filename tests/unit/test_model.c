/*
 * test_model.c - the model layer's shared helpers on their own: the
 * growable array (ARRAY_GROW / array_grow).
 */
#include "util.h"
#include "check.h"

#include <stdint.h>
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

int main(void)
{
	test_array();
	return CHECK_DONE();
}

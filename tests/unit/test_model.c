/*
 * test_model.c - the model layer's shared helpers on their own: the
 * growable array (ARRAY_GROW / array_grow), the string interner and the
 * size formatter.
 */
#include "intern.h"
#include "units.h"
#include "util.h"
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define KIB(v, flags, want) do { \
		char b_[32]; \
		CHECK_STR(units_kib(b_, sizeof(b_), (v), (flags)), (want)); \
	} while (0)
#define BYTES(v, flags, want) do { \
		char b_[32]; \
		CHECK_STR(units_bytes(b_, sizeof(b_), (v), (flags)), (want)); \
	} while (0)

static void test_units(void)
{
	/* KiB whole; from MiB up one decimal under 10; the next unit where
	 * a figure would round to 1024. */
	KIB(0, 0, "0 KiB");
	KIB(640, 0, "640 KiB");
	KIB(1023, 0, "1023 KiB");
	KIB(1023.4, 0, "1023 KiB");
	KIB(1023.5, 0, "1.0 MiB");
	KIB(1024, 0, "1.0 MiB");
	KIB(1592, 0, "1.6 MiB");
	KIB(5408, 0, "5.3 MiB");
	KIB(10188, 0, "9.9 MiB");
	KIB(10189, 0, "10 MiB");                /* 9.95 MiB: not "10.0" */
	KIB(10240, 0, "10 MiB");
	KIB(812 * 1024, 0, "812 MiB");
	KIB(1023 * 1024, 0, "1023 MiB");
	KIB(1048064, 0, "1.0 GiB");             /* 1023.5 MiB */
	KIB(3.2 * 1048576, 0, "3.2 GiB");
	KIB(12.0 * 1048576, 0, "12 GiB");
	KIB(2.0 * 1073741824, 0, "2.0 TiB");
	KIB(9.2233720368547758e18, 0, "8.0 ZiB"); /* INT64_MAX KiB */
	/* Unknown: "-" with no unit, written into the buffer too. */
	char b[16] = "junk";
	CHECK(units_kib(b, sizeof(b), -1, 0) == b);
	CHECK_STR(b, "-");
	KIB(NAN, 0, "-");
	KIB(INFINITY, 0, "-");
	KIB(NAN, UNITS_SIGNED, "-");
	KIB(NAN, UNITS_COMPACT, "-");
	/* Changes and rates. */
	KIB(-1536, UNITS_SIGNED, "-1.5 MiB");
	KIB(-0.3, UNITS_SIGNED, "0 KiB");       /* no "-0" */
	KIB(19.4 * 1024, UNITS_SIGNED, "19 MiB");
	/* Compact: the same figure and unit, no space. */
	KIB(812 * 1024, UNITS_COMPACT, "812MiB");
	KIB(1392, UNITS_COMPACT, "1.4MiB");
	KIB(0, UNITS_COMPACT, "0KiB");
	KIB(-2048, UNITS_COMPACT | UNITS_SIGNED, "-2.0MiB");
	/* Bytes: B whole, then as above. */
	BYTES(0, 0, "0 B");
	BYTES(512, 0, "512 B");
	BYTES(1023, 0, "1023 B");
	BYTES(1536, 0, "2 KiB");
	BYTES(1048576, UNITS_COMPACT, "1.0MiB");
	BYTES(123456789, 0, "118 MiB");
	BYTES(-1, 0, "-");
	/* The widest compact figures fit a 7-column field. */
	char w[32];
	bool narrow = true;
	for (double k = 0; k < 1e12; k = k * 1.01 + 1)
		narrow &= strlen(units_kib(w, sizeof(w), k, UNITS_COMPACT)) <= 7;
	CHECK(narrow);
	/* A short buffer truncates, never overflows. */
	char s[4];
	units_kib(s, sizeof(s), 812 * 1024, 0);
	CHECK_STR(s, "812");
}

int main(void)
{
	test_array();
	test_intern();
	test_units();
	return CHECK_DONE();
}

/*
 * test_model.c - the model layer's shared helpers on their own: the
 * growable array (ARRAY_GROW / array_grow), the string interner, the
 * integer-keyed map and the size formatter.
 */
#include "intern.h"
#include "u64map.h"
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

/* n keys (not 0) whose home slot in a table of cap slots is `home`. */
static void keys_at(uint64_t *out, int n, size_t cap, size_t home)
{
	for (uint64_t k = 1; n > 0; k++)
		if ((hash64(k) & (cap - 1)) == home)
			out[--n] = k;
}

static void test_u64map(void)
{
	struct u64map m;
	u64map_init(&m);
	uint32_t v = 7;
	CHECK(!u64map_find(&m, 0, &v));                 /* empty: no table yet */
	CHECK_EQ_INT(v, 7);                             /* untouched when absent */
	u64map_clear(&m);                               /* clearing nothing is fine */

	/* 0 and the largest key are keys like any other. */
	u64map_put(&m, 0, 10);
	CHECK(u64map_find(&m, 0, &v) && v == 10);
	CHECK(!u64map_find(&m, 1, &v));
	u64map_put(&m, UINT64_MAX, 11);
	CHECK(u64map_find(&m, UINT64_MAX, &v) && v == 11);
	CHECK(u64map_find(&m, 0, &v) && v == 10);
	u64map_put(&m, 0, 0);                           /* replace: the count stays */
	CHECK(u64map_find(&m, 0, &v) && v == 0);
	CHECK_EQ_INT(m.n, 2);
	u64map_put(&m, 5, UINT32_MAX);
	CHECK(u64map_find(&m, 5, &v) && v == UINT32_MAX);

	/* Keys sharing one home slot, the last one so probes wrap around
	 * to slot 0; key 0 sits in the run too when its home is there. */
	size_t cap = m.cap, last = cap - 1;
	CHECK(cap >= 8 && (cap & (cap - 1)) == 0);
	uint64_t same[5];
	keys_at(same, 5, cap, last);
	for (int i = 0; i < 5; i++)
		u64map_put(&m, same[i], 100 + (uint32_t)i);
	CHECK_EQ_INT(m.cap, cap);                       /* 8 keys: no growth yet */
	bool ok = true;
	for (int i = 0; i < 5; i++)
		ok &= u64map_find(&m, same[i], &v) && v == 100 + (uint32_t)i;
	CHECK(ok);
	uint64_t six[6];
	keys_at(six, 6, cap, last);                     /* six[1..5] are same[0..4] */
	CHECK(six[1] == same[0] && six[5] == same[4]);
	CHECK(!u64map_find(&m, six[0], &v));            /* same home, never added */
	CHECK(u64map_find(&m, 0, &v) && v == 0);
	CHECK(u64map_find(&m, UINT64_MAX, &v) && v == 11);

	/* Growth: many keys, each found with its value afterwards; never
	 * more than half full. Keys are spaced so some share low bits. */
	enum { MANY = 100000 };
	for (uint32_t i = 0; i < MANY; i++)
		u64map_put(&m, (uint64_t)i << 12 | 7, i);
	CHECK_EQ_INT(m.n, MANY + 8);
	CHECK(m.cap >= 2 * m.n && (m.cap & (m.cap - 1)) == 0);
	ok = true;
	for (uint32_t i = 0; i < MANY; i++)
		ok &= u64map_find(&m, (uint64_t)i << 12 | 7, &v) && v == i;
	for (int i = 0; i < 5; i++)
		ok &= u64map_find(&m, same[i], &v) && v == 100 + (uint32_t)i;
	CHECK(ok);
	CHECK(u64map_find(&m, 0, &v) && v == 0);
	CHECK(u64map_find(&m, UINT64_MAX, &v) && v == 11);
	CHECK(!u64map_find(&m, (uint64_t)MANY << 12 | 7, &v));

	/* Clear keeps the room; nothing is found, and adding starts over. */
	cap = m.cap;
	u64map_clear(&m);
	CHECK_EQ_INT(m.n, 0);
	CHECK_EQ_INT(m.cap, cap);
	ok = true;
	for (uint32_t i = 0; i < MANY; i++)
		ok &= !u64map_find(&m, (uint64_t)i << 12 | 7, &v);
	CHECK(ok);
	CHECK(!u64map_find(&m, 0, &v) && !u64map_find(&m, UINT64_MAX, &v));
	u64map_put(&m, 0, 3);
	CHECK(u64map_find(&m, 0, &v) && v == 3);
	CHECK_EQ_INT(m.n, 1);

	/* Fini frees and leaves an empty map that can be used again. */
	u64map_fini(&m);
	CHECK(m.slot == NULL && m.n == 0 && m.cap == 0);
	CHECK(!u64map_find(&m, 0, &v));
	u64map_put(&m, 42, 1);
	CHECK(u64map_find(&m, 42, &v) && v == 1);
	u64map_fini(&m);

	/* A zeroed struct is an empty map too. */
	struct u64map z = { 0 };
	CHECK(!u64map_find(&z, 9, &v));
	u64map_put(&z, 9, 9);
	CHECK(u64map_find(&z, 9, &v) && v == 9);
	u64map_fini(&z);
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
	test_u64map();
	test_units();
	return CHECK_DONE();
}

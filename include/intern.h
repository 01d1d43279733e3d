/*
 * intern.h - one string interner for every module: each distinct string,
 * or pair of strings (a frame's function and module), gets a dense index
 * 0, 1, 2, ... in the order it was first added, so stacks and groups can
 * be small integer arrays. The table owns copies of what it holds.
 *
 * Life cycle: a zeroed struct (or intern_init) is an empty table;
 * intern_fini frees it. Lookups hash with hash64 (util.h) over 8-byte
 * words and probe linearly; adding is amortised O(length of the key).
 */
#ifndef CDTOP_INTERN_H
#define CDTOP_INTERN_H

#include <stddef.h>
#include <stdint.h>

struct intern_ent {
	char *key;                      /* owned: "s", or "a\0b" for a pair */
	const char *second;             /* inside key: b of a pair; NULL for a string */
	size_t len;                     /* bytes of key before its final NUL */
	uint64_t hash;
};

struct intern {
	struct intern_ent *v;           /* index -> entry */
	int n;                          /* entries, read-only for users */
	int cap;                        /* room in v */
	int *slot;                      /* open addressing: index + 1, 0 empty */
	size_t nslots;                  /* a power of two, > 2 * n; 0 before the first add */
};

/* An empty table (the same as a zeroed struct). */
void intern_init(struct intern *in);

/* Free the copies and the table; in is empty again afterwards. */
void intern_fini(struct intern *in);

/* Index of string s, added (copied) when new. */
int intern_add(struct intern *in, const char *s);

/* Index of the pair (a, b), added (copied) when new. A pair never equals
 * a string, nor (a, b) the pair (a', b') unless a == a' and b == b'. */
int intern_add_pair(struct intern *in, const char *a, const char *b);

/* Index of string s, or -1 when it was never added. */
int intern_find(const struct intern *in, const char *s);

/* Index of the pair (a, b), or -1 when it was never added. */
int intern_find_pair(const struct intern *in, const char *a, const char *b);

/* The string at index i, or the first of the pair; NULL when i is out of
 * range. Valid until intern_fini. */
const char *intern_at(const struct intern *in, int i);

/* The second string of the pair at index i; NULL for a plain string or
 * when i is out of range. */
const char *intern_second(const struct intern *in, int i);

#endif

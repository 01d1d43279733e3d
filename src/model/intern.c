/*
 * intern.c - the string interner (intern.h): strings and pairs of strings
 * to dense indices, with owned copies.
 *
 * Entries live in one array in the order they were added (the index is
 * the position); a separate open-addressing table of index + 1 finds them
 * by hash, and is rebuilt twice as large when half full, from the hashes
 * kept in the entries. A pair is stored as "a\0b" with a hash chained
 * over a then b, so looking one up needs no temporary copy.
 */
#include "intern.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PAIR_SEED 0x9e3779b97f4a7c15ULL

/* hash64 over s[0..len) in 8-byte words, seeded with h. */
static uint64_t hash_bytes(uint64_t h, const char *s, size_t len)
{
	h = hash64(h ^ len);
	const uint8_t *p = (const uint8_t *)s;
	for (; len >= 8; p += 8, len -= 8)
		h = hash64(h ^ rd64(p));
	uint64_t tail = 0;
	memcpy(&tail, p, len);
	return hash64(h ^ tail);
}

void intern_init(struct intern *in)
{
	memset(in, 0, sizeof(*in));
}

void intern_fini(struct intern *in)
{
	for (int i = 0; i < in->n; i++)
		free(in->v[i].key);
	free(in->v);
	free(in->slot);
	memset(in, 0, sizeof(*in));
}

static void rehash(struct intern *in)
{
	size_t ns = in->nslots ? in->nslots * 2 : 256;
	free(in->slot);
	in->slot = xcalloc(ns, sizeof(int));
	in->nslots = ns;
	for (int i = 0; i < in->n; i++) {
		size_t h = in->v[i].hash & (ns - 1);
		while (in->slot[h])
			h = (h + 1) & (ns - 1);
		in->slot[h] = i + 1;
	}
}

/* The slot holding key (a, b) (b NULL for a string), or the empty slot
 * where it would go. la and lb are their lengths. */
static size_t probe(const struct intern *in, uint64_t hash, const char *a, size_t la, const char *b,
		    size_t lb)
{
	size_t len = b ? la + 1 + lb : la, mask = in->nslots - 1;
	size_t h = hash & mask;
	for (; in->slot[h]; h = (h + 1) & mask) {
		const struct intern_ent *e = &in->v[in->slot[h] - 1];
		if (e->hash != hash || e->len != len)
			continue;
		if (b ? e->second == e->key + la + 1 && memcmp(e->key, a, la) == 0 && memcmp(e->second, b, lb) == 0
		      : !e->second && memcmp(e->key, a, la) == 0)
			break;
	}
	return h;
}

static uint64_t key_hash(const char *a, size_t la, const char *b, size_t lb)
{
	uint64_t h = hash_bytes(0, a, la);
	return b ? hash_bytes(h ^ PAIR_SEED, b, lb) : h;
}

static int find(const struct intern *in, const char *a, const char *b)
{
	if (!in->nslots)
		return -1;
	size_t la = strlen(a), lb = b ? strlen(b) : 0;
	size_t h = probe(in, key_hash(a, la, b, lb), a, la, b, lb);
	return in->slot[h] - 1;
}

static int add(struct intern *in, const char *a, const char *b)
{
	if ((size_t)in->n * 2 + 2 > in->nslots)
		rehash(in);
	size_t la = strlen(a), lb = b ? strlen(b) : 0;
	uint64_t hash = key_hash(a, la, b, lb);
	size_t h = probe(in, hash, a, la, b, lb);
	if (in->slot[h])
		return in->slot[h] - 1;
	if (in->n == INT32_MAX - 1)
		fatal("more than %d interned strings", in->n);
	ARRAY_GROW(in->v, in->n, in->cap, 256);
	struct intern_ent *e = &in->v[in->n];
	e->len = b ? la + 1 + lb : la;
	e->key = xmalloc(e->len + 1);
	memcpy(e->key, a, la + 1);
	e->second = NULL;
	if (b) {
		memcpy(e->key + la + 1, b, lb + 1);
		e->second = e->key + la + 1;
	}
	e->hash = hash;
	in->slot[h] = in->n + 1;
	return in->n++;
}

int intern_add(struct intern *in, const char *s)
{
	return add(in, s, NULL);
}

int intern_add_pair(struct intern *in, const char *a, const char *b)
{
	return add(in, a, b);
}

int intern_find(const struct intern *in, const char *s)
{
	return find(in, s, NULL);
}

int intern_find_pair(const struct intern *in, const char *a, const char *b)
{
	return find(in, a, b);
}

const char *intern_at(const struct intern *in, int i)
{
	return i >= 0 && i < in->n ? in->v[i].key : NULL;
}

const char *intern_second(const struct intern *in, int i)
{
	return i >= 0 && i < in->n ? in->v[i].second : NULL;
}

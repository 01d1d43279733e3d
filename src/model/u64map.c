/*
 * u64map.c - the integer-keyed map (u64map.h): 64-bit keys to 32-bit
 * values, for the caches of the profiler and the Go reader.
 *
 * One array of slots (key, value, taken), probed linearly from
 * hash64(key); the taken word sits in what would be padding, so key 0
 * needs no special case and a slot stays 16 bytes. The table is rebuilt
 * twice as large before an add would make it more than half full, which
 * keeps probe runs short; it never shrinks (clear keeps the room).
 */
#include "u64map.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define FIRST_CAP 64

void u64map_init(struct u64map *m)
{
	memset(m, 0, sizeof(*m));
}

void u64map_fini(struct u64map *m)
{
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

void u64map_clear(struct u64map *m)
{
	if (m->slot)
		memset(m->slot, 0, sizeof(*m->slot) * m->cap);
	m->n = 0;
}

/* The slot holding key, or the empty slot where it would go; m->cap > 0.
 * The same walk as u64map_find (u64map.h), which is inline. */
static struct u64map_slot *probe(const struct u64map *m, uint64_t key)
{
	size_t mask = m->cap - 1, h = hash64(key) & mask;
	while (m->slot[h].used && m->slot[h].key != key)
		h = (h + 1) & mask;
	return &m->slot[h];
}

static void grow(struct u64map *m)
{
	struct u64map_slot *old = m->slot;
	size_t ocap = m->cap;
	if (ocap > SIZE_MAX / 2 / sizeof(*old))
		fatal("integer map of %zu slots is too large", ocap);
	m->cap = ocap ? ocap * 2 : FIRST_CAP;
	m->slot = xcalloc(m->cap, sizeof(*m->slot));
	for (size_t i = 0; i < ocap; i++)
		if (old[i].used)
			*probe(m, old[i].key) = old[i];
	free(old);
}

void u64map_put(struct u64map *m, uint64_t key, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	struct u64map_slot *s = probe(m, key);
	if (!s->used) {
		s->key = key;
		s->used = 1;
		m->n++;
	}
	s->val = val;
}

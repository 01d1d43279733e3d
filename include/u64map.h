/*
 * u64map.h - one map from 64-bit integer keys to 32-bit values for every
 * module: instruction pointers to frames (profiler), PCs to what the Go
 * reader knows of them, stack hashes to merged stacks, Ms to thread ids.
 * A caller that keeps more than 32 bits per key keeps its own array
 * (ARRAY_GROW, util.h) and stores the index here.
 *
 * Every key is a key, 0 and UINT64_MAX included: a slot says whether it
 * is taken. Open addressing with linear probing on hash64 (util.h) in a
 * power-of-two table that doubles before it is more than half full, so a
 * lookup is one hash and, nearly always, one cache line.
 *
 * Life cycle: a zeroed struct (or u64map_init) is an empty map;
 * u64map_clear empties it and keeps its room (a cache dropped often);
 * u64map_fini frees it. Keys are never removed one by one.
 *
 * u64map_find is inline: the profiler asks for every frame of every
 * sample and the Go reader for every goroutine frame, nearly always a
 * hit, and a call more costs about 1 ns of 6 per lookup (measured).
 */
#ifndef CDTOP_U64MAP_H
#define CDTOP_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct u64map_slot {
	uint64_t key;
	uint32_t val;
	uint32_t used;                  /* 1 holds key -> val, 0 empty */
};

struct u64map {
	struct u64map_slot *slot;
	size_t n;                       /* keys held, read-only for users */
	size_t cap;                     /* slots: 0, or a power of two >= 2 * n */
};

/* An empty map (the same as a zeroed struct). */
void u64map_init(struct u64map *m);

/* Free the table; m is empty again afterwards. */
void u64map_fini(struct u64map *m);

/* Remove every key, keeping the table's room. */
void u64map_clear(struct u64map *m);

/* True, with *val set, when key is in m; false (*val untouched) if not. */
static inline bool u64map_find(const struct u64map *m, uint64_t key, uint32_t *val)
{
	if (!m->cap)
		return false;
	size_t mask = m->cap - 1;
	for (size_t h = hash64(key) & mask; m->slot[h].used; h = (h + 1) & mask)
		if (m->slot[h].key == key) {
			*val = m->slot[h].val;
			return true;
		}
	return false;
}

/* Map key to val, adding key or replacing its value. */
void u64map_put(struct u64map *m, uint64_t key, uint32_t val);

#endif

/*
 * snapbuild.h - the one snapshot builder of the unit tests: a new
 * snapshot with a process header, frames, sampled stacks (also from a
 * folded "a;b;c" string), threads and thread stacks, and the rich
 * snapshot with every section of the model filled.
 *
 * Why: each test had its own copy of these (add_frame, add_stack,
 * fx_frame, rich_frame, ...) and the copies drifted (one deduplicated
 * frames, one did not; one counted samples, one did not). Tests keep
 * only what is theirs: the values of their fixtures. Linked into every
 * unit test from tests/unit/libunittest.a (tests/unit.mk).
 */
#ifndef CDTOP_TEST_SNAPBUILD_H
#define CDTOP_TEST_SNAPBUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "snapshot.h"

#define SNAPBUILD_TAKEN_AT 1795514400.0   /* 2026-11-24T10:00:00Z (seconds since the epoch) */
#define SNAPBUILD_LIBC "/usr/lib/x86_64-linux-gnu/libc.so.6"

/* A new snapshot of process pid (parent 1, state 'S', named comm) taken
 * at SNAPBUILD_TAKEN_AT over window_s seconds; nothing else is known. */
struct snapshot *snapbuild_new(int pid, const char *comm, double window_s);

/* The index of frame fn in module mod in p's frame table, added if absent. */
int snapbuild_frame(struct snap_profile *p, const char *fn, const char *mod);

/* Append a stack sampled count times in thread tid: n frame indices,
 * innermost first; count is added to p->samples_total. Returns the stack
 * (valid until the next append). */
struct snap_stack *snapbuild_stack(struct snap_profile *p, int tid, bool running, int64_t count, int n,
				   const int *fr);

/* The same from a folded stack "a;b;c" (innermost first, at most 32
 * frames): names snapbuild_is_libc() accepts are in SNAPBUILD_LIBC, the
 * others in module exe. */
struct snap_stack *snapbuild_stack_folded(struct snap_profile *p, int tid, bool running, int64_t count,
					  const char *folded, const char *exe);

/* Whether fixture frame name fn is libc's: starting with '_' or
 * "pthread", "clock_", "epoll_", or read, malloc, start_thread. */
bool snapbuild_is_libc(const char *fn);

/* Append a thread in state state with its CPU (percent of one CPU), the
 * syscall it is in ("" none; known either way) and how long it has been
 * blocked (s); no stack, no top frame, context switches unknown. Returns
 * it (valid until the next append). */
struct snap_thread *snapbuild_thread(struct snapshot *s, int tid, const char *name, char state,
				     double user_pct, double sys_pct, const char *syscall, double blocked_s);

/* Replace t's stack by a copy of the n frame indices fr, innermost first. */
void snapbuild_thread_stack(struct snap_thread *t, int n, const int *fr);

/* A snapshot with every section of the model filled (profile, threads
 * with stacks and futex details, sockets, locks, deadlocks, goroutines,
 * checklist, errors), with known values, known zeros, unknowns and
 * hostile strings, for the loader and writer tests. */
struct snapshot *snapbuild_rich(void);

#endif

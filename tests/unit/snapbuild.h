/*
 * snapbuild.h - the one snapshot builder of the unit tests: a new
 * snapshot with a process header, host, command line, CPU and memory,
 * frames, sampled stacks (also from a folded "a;b;c" string), threads
 * and thread stacks, locks and their waiters, deadlock cycles, goroutine
 * counts and groups, checklist items, and the rich snapshot with every
 * section of the model filled.
 *
 * Why: each test had its own copy of these (add_frame, add_stack,
 * fx_frame, rich_frame, ...) and the copies drifted (one deduplicated
 * frames, one did not; one counted samples, one did not). Tests keep
 * only what is theirs: the values of their fixtures. Linked into every
 * unit test from tests/unit/libunittest.a (tests/unit.mk).
 *
 * The appending functions (stack, thread, lock, waiter, deadlock, count,
 * group, check) grow their array by one zeroed element, fill what they
 * are given and return it: the pointer is valid until the next append to
 * the same array. What they are not given stays zero (NULL, 0, "") unless
 * the contract says otherwise; a test sets the rest by hand.
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

/* A new copy of the n ints v, with one more slot set to 0 (stacks, tids,
 * waiter histories). */
int *snapbuild_ints(int n, const int *v);

/* Set the host s was taken on: its name, kernel release and CPU count. */
void snapbuild_host(struct snapshot *s, const char *hostname, const char *kernel, int ncpu);

/* Set the process' CPU use, in percent of one CPU (NAN unknown): user,
 * system and their total (measured on its own, so not always the sum). */
void snapbuild_cpu(struct snapshot *s, double user_pct, double sys_pct, double total_pct);

/* Set the process' memory in KiB: resident anonymous, file-backed and
 * shared pages (rss_kb is their sum) and swapped out. */
void snapbuild_memory(struct snapshot *s, int64_t anon_kb, int64_t file_kb, int64_t shmem_kb, int64_t swap_kb);

/* Set the process' executable path and its command line, a copy of the
 * NULL-terminated argv. */
void snapbuild_cmdline(struct snapshot *s, const char *exe, const char *const *argv);

/* Append a lock at address, named symbol (NULL unknown), of kind kind,
 * held by owner_tid (SNAP_UNKNOWN not recorded) now in owner_function
 * (NULL unknown), in thread state owner_state and syscall owner_syscall
 * (NULL ""); no waiters. */
struct snap_lock *snapbuild_lock(struct snapshot *s, uint64_t address, const char *symbol, enum lock_kind kind,
				 int owner_tid, const char *owner_function, char owner_state,
				 const char *owner_syscall);

/* Append waiter tid to l, waiting for wait_s seconds (NAN unknown) in
 * function (NULL unknown); mode NONE, futex word 0. */
struct snap_lock_waiter *snapbuild_waiter(struct snap_lock *l, int tid, double wait_s, const char *function);

/* Append a deadlock cycle of n threads with no progress for stalled_s:
 * tids[i] waits for locks[i]. symbols and functions (entries NULL
 * unknown) and kinds are copied when given, NULL stays NULL. */
struct snap_deadlock *snapbuild_deadlock(struct snapshot *s, int n, const int *tids, const uint64_t *locks,
					 const char *const *symbols, const char *const *functions,
					 const enum lock_kind *kinds, double stalled_s);

/* Give s (which has none) a goroutine section: count goroutines, Go
 * version go_version, nothing counted by status or reason, no groups. */
struct snap_goroutines *snapbuild_goroutines(struct snapshot *s, int64_t count, const char *go_version);

/* Append name with count to the count list *list of *n entries
 * (goroutines by_status, by_wait_reason). */
void snapbuild_count(struct snap_count **list, int *n, const char *name, int64_t count);

/* Append a group of count goroutines in status, waiting for wait_reason
 * ("" none) for at most max_wait_s (NAN unknown), with the NULL-terminated
 * function names frames, innermost first (NULL: no frames); no ids, no
 * threads, stall 0. */
struct snap_gr_group *snapbuild_gr_group(struct snap_goroutines *g, int64_t count, enum gr_status status,
					 const char *wait_reason, double max_wait_s, const char *const *frames);

/* Replace gr's goroutine ids by a copy of the n ids goids. */
void snapbuild_gr_goids(struct snap_gr_group *gr, int n, const int64_t *goids);

/* Append checklist item id titled title with status, its evidence shown
 * in pane, evidence and next_step (NULL none); not answered, no note. */
struct snap_check *snapbuild_check(struct snapshot *s, const char *id, const char *title, enum check_status status,
				   enum check_pane pane, const char *evidence, const char *next_step);

/* A snapshot with every section of the model filled (profile, threads
 * with stacks and futex details, sockets, locks, deadlocks, goroutines,
 * checklist, errors), with known values, known zeros, unknowns and
 * hostile strings, for the loader and writer tests. */
struct snapshot *snapbuild_rich(void);

#endif

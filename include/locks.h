/*
 * locks.h - pure analysis of lock waits: which threads wait for which
 * lock, what kind of lock it is, who holds it, whether the waits form a
 * deadlock, and how contention evolved over the polls.
 *
 * Input is a snapshot whose threads carry their futex details (address,
 * op, value, the target memory around it, its data symbol; filled by
 * proc_waits.c), stacks and stalled_polls; output is s->locks,
 * s->deadlocks, each thread's top_frame and lock_addr. No /proc, no
 * ptrace: unit-tested from fixture snapshots.
 *
 * glibc 2.36 layouts (checked with gdb `ptype /o` against this machine's
 * glibc, and by experiment with /proc/PID/task/TID/syscall):
 *   pthread_mutex_t (40 bytes): __lock @0 (the futex; waiters FUTEX_WAIT
 *     with val 2), __owner @8 (TID), __kind @16.
 *   pthread_rwlock_t (56 bytes): __readers @0 (count << 3 | flags),
 *     __wrphase_futex @8 (readers wait here during a write phase, a
 *     writer waits here for readers to leave), __writers_futex @12
 *     (writers wait here for another writer), __cur_writer @24 (TID).
 *   pthread_cond_t (48 bytes): __wrefs @36 (waiters << 3 | flags),
 *     __g_signals[2] @40 (waiters sleep on one of them, FUTEX_WAIT_BITSET).
 *   PI mutexes: FUTEX_LOCK_PI on __lock, which holds the owner TID
 *     (& 0x3fffffff).
 */
#ifndef CDTOP_LOCKS_H
#define CDTOP_LOCKS_H

#include <stdint.h>
#include "snapshot.h"

#define LOCKS_HISTORY_MAX 120           /* polls kept by the tracker (2 minutes at 1 s) */
#define LOCKS_CONTENDED_WAITERS 3       /* "many waiters" at one poll */
#define LOCKS_CONTENDED_WINDOW 10       /* polls looked at for contention */

/* Waiter counts per futex word at each poll, oldest first. */
struct lock_tracker;

/* A new empty tracker. Never NULL. */
struct lock_tracker *lock_tracker_new(void);

/* Record one poll: the futex words that threads were sleeping on (one
 * entry per sleeping thread, any order). */
void lock_tracker_add(struct lock_tracker *tr, const uint64_t *words, int n);

/* Number of polls recorded (at most LOCKS_HISTORY_MAX). */
int lock_tracker_polls(const struct lock_tracker *tr);

/* For each recorded poll, oldest first, the number of sleepers on futex
 * words in [lo, hi) into out[] (room for lock_tracker_polls entries).
 * Returns the number of entries written. */
int lock_tracker_history(const struct lock_tracker *tr, uint64_t lo, uint64_t hi, int *out);

/* Free a tracker. NULL is a no-op. */
void lock_tracker_free(struct lock_tracker *tr);

/* Analyse the lock waits of s: sets every thread's top_frame (its first
 * program frame, frame_first_program) and lock_addr, and replaces s->locks and s->deadlocks (empty arrays when
 * nothing waits). Locks are sorted deadlocked first, then contended, then
 * locks with holders before event waits (condvar, semaphore, join), then
 * by waiters and longest wait. tr (may be NULL) supplies waiters_history
 * and contention. */
void locks_analyse(struct snapshot *s, const struct lock_tracker *tr);

#endif

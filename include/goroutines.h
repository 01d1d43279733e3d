/*
 * goroutines.h - pure analysis of goroutine reads (goroutine_read.h): the
 * numbers runtime.NumGoroutine() would give, groups of goroutines with
 * the same stack, status and wait reason (largest first, like
 * pprof's goroutine?debug=1), and a tracker that follows each goroutine
 * across reads to tell "parked in the same place since t" from "made
 * progress", for deadlock hints. No I/O: unit-tested from hand-made reads.
 */
#ifndef CDTOP_GOROUTINES_H
#define CDTOP_GOROUTINES_H

#include <stdint.h>
#include "goroutine_read.h"
#include "snapshot.h"

#define GR_MAX_GOIDS 10                 /* goroutine ids kept per group */
#define GR_MAX_TIDS 16                  /* thread ids kept per group */
#define GR_HINT_MIN_S 2.0               /* a deadlock hint needs at least this much stall */
#define GR_HINT_MIN_READS 3             /* ... seen by at least this many reads */

/* Goroutines runtime.NumGoroutine() counts in r: live and not started by
 * the runtime itself. */
int64_t goroutines_count(const struct go_read *r);

struct gr_tracker;

/* A tracker with no history. Never NULL. */
struct gr_tracker *gr_tracker_new(void);

/* Fold read r (taken at r->t) in. A goroutine is "in place" when the
 * previous read saw it with the same goid, the same waiting (or syscall)
 * status and wait reason, and either the same non-zero waitsince (the
 * scheduler zeroes it whenever the goroutine runs: proof), or, with no
 * waitsince to go by, the same saved pc and sp and the same stack bytes
 * (compared when both reads copied the stack; light reads carry the last
 * hash over). It keeps its first time; any other goroutine starts afresh
 * at r->t. Goroutines missing from r are forgotten. */
void gr_tracker_update(struct gr_tracker *t, const struct go_read *r);

/* Seconds goroutine goid has been in place as of the last update, and
 * the number of reads that saw it so (1: only the last). Returns NAN
 * when the tracker does not know it. */
double gr_tracker_stalled(const struct gr_tracker *t, uint64_t goid, int *reads);

/* Forget everything (a new program after exec). */
void gr_tracker_reset(struct gr_tracker *t);

/* Free the tracker. NULL is a no-op. */
void gr_tracker_free(struct gr_tracker *t);

/* Is this (wait reason, frames) a wait on a sync.Mutex or sync.RWMutex?
 * Go 1.20+ says so in the reason; Go 1.19 parks them as "semacquire",
 * told apart by a sync.(*Mutex) or sync.(*RWMutex) frame (or
 * internal/sync.(*Mutex), where Go 1.24 moved it). */
bool goroutines_mutex_wait(const char *reason, char *const *frames, int nframes);

/* Build the goroutines section from full read r: counts by status and
 * wait reason, and groups by identical (status, wait reason, frames),
 * largest first. Running goroutines take the stack the sampler last saw
 * on their thread when s has one (s->threads[].stack, s->profile), else
 * no frames. Groups get stalled_s from t (may be NULL) and a deadlock
 * hint when every goroutine of a mutex-waiting group stayed in place
 * over the whole window (window_s, at least GR_HINT_MIN_S and
 * GR_HINT_MIN_READS reads). Never NULL; free with snap_goroutines_free. */
struct snap_goroutines *goroutines_build(const struct go_read *r, const struct gr_tracker *t,
					 const struct snapshot *s, double window_s,
					 const char *go_version, const char *layout);

#endif

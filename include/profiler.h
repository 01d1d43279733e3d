/*
 * profiler.h - samples the stacks of every thread of the target at a
 * steady rate, cheaply and safely, and keeps the merged, symbolized
 * samples for the profile of a snapshot.
 *
 * Each round: list the threads; a thread that is blocked and has not run
 * since its last sample (unchanged schedstat) is not stopped again, its
 * last stack is counted once more; the others are grabbed (sampler.c),
 * unwound (unwind.c) and symbolized (symbols.c). The rate per thread is
 * -F (default 49 Hz, the session's SESSION_DEFAULT_HZ) and is lowered
 * when the measured stop time would exceed 1% of the target's thread
 * time.
 */
#ifndef CDTOP_PROFILER_H
#define CDTOP_PROFILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "snapshot.h"

#define PROFILER_PAUSE_BUDGET 0.01      /* of the target's thread time */

struct profiler;

/* Whether grab rounds may run at real-time priority while they hold
 * threads of the target stopped (sampler.h; default on, silently off
 * when not permitted). Process-wide. */
void profiler_allow_realtime(bool on);

/* Start profiling pid (its /proc dir open as piddir) at hz per thread.
 * The first round runs here. Returns NULL with a one-line explanation in err when ptrace is not
 * permitted (the caller goes on without stacks). */
struct profiler *profiler_new(int pid, int piddir, double hz, char *err, size_t errlen);

/* Run a sampling round if one is due. Returns the seconds until the next
 * one (0: due again at once, it fell behind), or -1 when the profiler gave
 * up (see profiler_status). */
double profiler_tick(struct profiler *p);

/* Grab, unwind and record every thread once now (for --stacks). */
void profiler_round_now(struct profiler *p);

/* Put the merged samples into s->profile (frames, stacks, rates; no top
 * table: that is analysis, profile.h) and each thread's latest stack into
 * s->threads[].stack. */
void profiler_fill(struct profiler *p, struct snapshot *s);

/* Forget the samples taken so far (new window). */
void profiler_reset(struct profiler *p);

/* A note for the screen: rate lowered, process stopped, ptrace refused
 * mid-way. "" when all is well. */
const char *profiler_status(const struct profiler *p);

/* Print every thread's latest stack (tid, name, state, frames with
 * function+offset, module+offset), like eu-stack. Returns 0 or -1. */
int profiler_write_stacks(struct profiler *p, FILE *f);

/* Stop profiling and free everything (no thread is left traced). */
void profiler_free(struct profiler *p);

#endif

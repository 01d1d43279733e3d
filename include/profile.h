/*
 * profile.h - pure analysis of sampled stacks: the pprof-style top
 * functions table (flat, flat%, cum, cum%) in cpu or wall mode, for the
 * whole process or one thread, and folded stacks for flame graphs.
 * Works on a snapshot's profile, live or loaded from a file.
 */
#ifndef CDTOP_PROFILE_H
#define CDTOP_PROFILE_H

#include <stdio.h>
#include "snapshot.h"

/* Recompute p->top and p->samples (and set p->mode) for mode CPU (only
 * samples of running threads) or any other (WALL: every sample), over
 * thread tid or all (tid <= 0). Rows are sorted by flat, then cum,
 * descending. */
void profile_compute_top(struct snap_profile *p, enum profile_mode mode, int tid);

/* Choose a mode for a process: CPU when it used at least 20% of one
 * CPU on average over the span the profile covers (the history's points
 * in it; the window's figure without history), else WALL. */
enum profile_mode profile_auto_mode(const struct snapshot *s);

/* Write Brendan Gregg's folded format: "thread;outer;...;inner count"
 * per line, for the samples counted in p->mode. Returns 0 or -1. */
int profile_write_folded(const struct snapshot *s, FILE *f);

#endif

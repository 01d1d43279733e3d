/*
 * profile.h - pure analysis of sampled stacks: the pprof-style top
 * functions table (flat, flat%, cum, cum%) in cpu or wall mode, for the
 * whole process or one thread, and which samples a mode counts (the
 * folded stacks for flame graphs, report_folded.c, count the same).
 * Works on a snapshot's profile, live or loaded from a file.
 */
#ifndef CDTOP_PROFILE_H
#define CDTOP_PROFILE_H

#include <stdbool.h>
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

/* Does stack st count in mode: CPU counts only samples of running
 * threads, any other mode every sample; over thread tid, or all when tid
 * <= 0. The rule the top table and the folded stacks share. */
bool profile_stack_counted(const struct snap_stack *st, enum profile_mode mode, int tid);

#endif

/*
 * profile.c - top functions and folded stacks from merged samples.
 *
 * flat = samples whose innermost frame is the function; cum = samples
 * in which it appears anywhere, counted once per sample even under
 * recursion (as pprof does). Percentages are of the samples counted in
 * the mode, so in cpu mode they answer "of the time this process was on
 * a CPU, where was it", and in wall mode "where are its threads, running
 * or waiting". Folded stacks count the same samples; their text is the
 * view's (report_folded.c).
 */
#include "profile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static bool counted(const struct snap_stack *st, bool cpu, int tid)
{
	if (cpu && !st->running)
		return false;
	return tid <= 0 || st->tid == tid;
}

bool profile_stack_counted(const struct snap_stack *st, enum profile_mode mode, int tid)
{
	return counted(st, mode == PROFILE_MODE_CPU, tid);
}

static int cmp_top(const void *a, const void *b)
{
	const struct snap_top *x = a, *y = b;
	if (x->flat != y->flat)
		return x->flat < y->flat ? 1 : -1;
	if (x->cum != y->cum)
		return x->cum < y->cum ? 1 : -1;
	return x->frame - y->frame;
}

void profile_compute_top(struct snap_profile *p, enum profile_mode mode, int tid)
{
	bool cpu = mode == PROFILE_MODE_CPU;
	p->mode = cpu ? PROFILE_MODE_CPU : PROFILE_MODE_WALL;
	free(p->top);
	p->top = NULL;
	p->ntop = 0;
	p->samples = 0;
	if (!p->nframes)
		return;
	int64_t *flat = xcalloc((size_t)p->nframes, sizeof(int64_t));
	int64_t *cum = xcalloc((size_t)p->nframes, sizeof(int64_t));
	int *seen = xcalloc((size_t)p->nframes, sizeof(int));   /* stack index + 1 that last counted it */
	for (int i = 0; i < p->nstacks; i++) {
		const struct snap_stack *st = &p->stacks[i];
		if (!counted(st, cpu, tid) || st->nframes < 1)
			continue;
		p->samples += st->count;
		flat[st->frames[0]] += st->count;
		for (int j = 0; j < st->nframes; j++) {
			int f = st->frames[j];
			if (seen[f] == i + 1)
				continue;
			seen[f] = i + 1;
			cum[f] += st->count;
		}
	}
	int n = 0;
	for (int f = 0; f < p->nframes; f++)
		if (cum[f])
			n++;
	p->top = xcalloc((size_t)n + 1, sizeof(*p->top));
	for (int f = 0; f < p->nframes; f++) {
		if (!cum[f])
			continue;
		struct snap_top *t = &p->top[p->ntop++];
		t->frame = f;
		t->flat = flat[f];
		t->cum = cum[f];
		t->flat_pct = p->samples ? 100.0 * (double)flat[f] / (double)p->samples : 0;
		t->cum_pct = p->samples ? 100.0 * (double)cum[f] / (double)p->samples : 0;
	}
	qsort(p->top, (size_t)p->ntop, sizeof(*p->top), cmp_top);
	free(flat);
	free(cum);
	free(seen);
}

enum profile_mode profile_auto_mode(const struct snapshot *s)
{
	double cpu = s->proc.cpu_total_pct;
	/* Judge over the span the samples cover: the live screen's window is
	 * one refresh while its profile covers the whole session, and a busy
	 * process that was starved for a second must not flip the view. */
	if (s->profile && s->profile->duration_s > 0 && s->nhistory > 1) {
		double end = s->history[s->nhistory - 1].t, sum = 0;
		int n = 0;
		for (int i = s->nhistory - 1; i >= 0 && end - s->history[i].t < s->profile->duration_s; i--) {
			const struct snap_hist *h = &s->history[i];
			if (isnan(h->cpu_user_pct) || isnan(h->cpu_sys_pct))
				continue;
			sum += h->cpu_user_pct + h->cpu_sys_pct;
			n++;
		}
		if (n)
			cpu = sum / n;
	}
	return !isnan(cpu) && cpu >= 20.0 ? PROFILE_MODE_CPU : PROFILE_MODE_WALL;
}

/*
 * goroutines.c - what a goroutine read means (see goroutines.h).
 *
 * Grouping follows pprof's goroutine?debug=1: goroutines with the same
 * stack are one line with a count, largest first; we also split by
 * status and wait reason, since "200 in chan receive" and "200 runnable"
 * at the same place are different incidents. Runtime goroutines (GC
 * workers, the scavenger, the finalizer goroutine) are left out of
 * counts and groups, as NumGoroutine() and pprof leave them out, and
 * counted apart.
 *
 * Progress: a goroutine that stays parked (same goid, status, wait
 * reason, saved pc and sp) across reads has most likely not run; when the
 * runtime recorded waitsince (a GC saw it blocked) an unchanged value
 * proves it, since the scheduler zeroes waitsince whenever the goroutine
 * runs. A group waiting on a mutex in place for the whole window is a
 * deadlock hint: a hint, because a mutex handed round a tight loop can
 * look the same at one-second reads.
 */
#include "goroutines.h"
#include "frame.h"
#include "intern.h"
#include "u64map.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int64_t goroutines_count(const struct go_read *r)
{
	int64_t n = 0;
	for (int i = 0; i < r->ng; i++)
		if (!r->g[i].system)
			n++;
	return n;
}

/* ---- tracker ---------------------------------------------------------- */

struct tr_ent {
	uint32_t status;
	uint8_t reason;
	uint64_t pc, sp;
	int64_t waitsince;
	uint64_t stack_hash;            /* last known (full reads), 0 none */
	double since;                   /* first read that saw it in place */
	int reads;
};

/* The goroutines of one read, as the tracker keeps them. */
struct tr_set {
	struct tr_ent *v;               /* in the read's order */
	size_t n, cap;
	struct u64map at;               /* goid -> index into v (the last one of a goid) */
};

struct gr_tracker {
	struct tr_set cur;              /* the last read */
	struct tr_set next;             /* built by an update, then swapped; its room is kept */
	double last_t;
};

struct gr_tracker *gr_tracker_new(void)
{
	return xcalloc(1, sizeof(struct gr_tracker));
}

static const struct tr_ent *tr_find(const struct tr_set *s, uint64_t goid)
{
	uint32_t i;
	return goid && u64map_find(&s->at, goid, &i) ? &s->v[i] : NULL;
}

static void tr_set_fini(struct tr_set *s)
{
	free(s->v);
	u64map_fini(&s->at);
	memset(s, 0, sizeof(*s));
}

void gr_tracker_update(struct gr_tracker *t, const struct go_read *r)
{
	struct tr_set *ns = &t->next;
	ns->n = 0;
	u64map_clear(&ns->at);
	for (int i = 0; i < r->ng; i++) {
		const struct go_g *g = &r->g[i];
		if (!g->goid)
			continue;
		const struct tr_ent *old = tr_find(&t->cur, g->goid);
		ARRAY_GROW(ns->v, ns->n, ns->cap, 64);
		struct tr_ent *e = &ns->v[ns->n];
		u64map_put(&ns->at, g->goid, (uint32_t)ns->n++);
		bool parked = g->status == GO_WAITING || g->status == GO_SYSCALL;
		bool same = old && parked && old->status == g->status && old->reason == g->waitreason;
		if (same && g->waitsince && old->waitsince == g->waitsince) {
			/* proven: the scheduler zeroes waitsince when it runs
			 * the goroutine (a stack move by the GC keeps it) */
		} else if (same && old->waitsince && old->waitsince != g->waitsince) {
			same = false;           /* zeroed or re-stamped: it ran */
		} else {
			same = same && old->pc == g->sched_pc && old->sp == g->sched_sp &&
			       !(old->stack_hash && g->stack_hash && old->stack_hash != g->stack_hash);
		}
		e->status = g->status;
		e->reason = g->waitreason;
		e->pc = g->sched_pc;
		e->sp = g->sched_sp;
		e->waitsince = g->waitsince;
		e->stack_hash = g->stack_hash ? g->stack_hash : (same ? old->stack_hash : 0);
		e->since = same ? old->since : r->t;
		e->reads = same ? old->reads + 1 : 1;
	}
	struct tr_set done = t->cur;
	t->cur = *ns;
	*ns = done;
	t->last_t = r->t;
}

double gr_tracker_stalled(const struct gr_tracker *t, uint64_t goid, int *reads)
{
	const struct tr_ent *e = t ? tr_find(&t->cur, goid) : NULL;
	if (reads)
		*reads = e ? e->reads : 0;
	return e ? t->last_t - e->since : NAN;
}

void gr_tracker_reset(struct gr_tracker *t)
{
	tr_set_fini(&t->cur);
	tr_set_fini(&t->next);
	memset(t, 0, sizeof(*t));
}

void gr_tracker_free(struct gr_tracker *t)
{
	if (!t)
		return;
	gr_tracker_reset(t);
	free(t);
}

/* ---- grouping --------------------------------------------------------- */

bool goroutines_mutex_wait(const char *reason, char *const *frames, int nframes)
{
	if (!reason)
		return false;
	if (strcmp(reason, "sync.Mutex.Lock") == 0 || strcmp(reason, "sync.RWMutex.Lock") == 0 ||
	    strcmp(reason, "sync.RWMutex.RLock") == 0)
		return true;
	if (strcmp(reason, "semacquire") != 0)
		return false;
	/* sync.(*Mutex).lockSlow; internal/sync.(*Mutex) since Go 1.24 */
	for (int i = 0; i < nframes; i++)
		if (frame_is_lock_acquire(frames[i]))
			return true;
	return false;
}

/* A group while being built. */
struct grp {
	uint32_t status;
	const char *reason;
	int *frames; int nframes;       /* name ids */
	int64_t count;
	double max_wait;
	int64_t goids[GR_MAX_GOIDS]; int ngoids;
	int tids[GR_MAX_TIDS]; int ntids;
	double stalled;                 /* min over members; NAN when one is unknown */
	int min_reads;
	bool first;
};

static const char *reason_of(const struct go_read *r, const struct go_g *g, char *buf, size_t n)
{
	if (g->status != GO_WAITING)
		return "";
	if (g->waitreason < r->nreasons)
		return r->reasons[g->waitreason];
	snprintf(buf, n, "wait reason %u", g->waitreason);
	return buf;
}

/* Does the stack (frame indices) end in runtime.goexit, i.e. is it a
 * goroutine's stack rather than the scheduler's (g0: mcall, systemstack)? */
static bool on_goroutine(const struct snap_profile *p, const int *fr, int n)
{
	for (int k = 0; k < n; k++)
		if (fr[k] >= 0 && fr[k] < p->nframes && frame_is_goexit(p->frames[fr[k]].function))
			return true;
	return false;
}

/* Frames of a running goroutine from its thread's samples: the latest
 * stack when it is on the goroutine; when the latest sample caught the
 * thread in the scheduler (g0), the goroutine stack sampled most often on
 * that thread in the window. */
static int thread_frames(const struct snapshot *s, int tid, struct intern *nm, int *out, int max)
{
	if (!s || tid < 0 || !s->threads || !s->profile)
		return 0;
	const struct snap_profile *p = s->profile;
	const int *fr = NULL;
	int nfr = 0;
	for (int i = 0; i < s->nthreads; i++) {
		const struct snap_thread *t = &s->threads[i];
		if (t->tid == tid && t->stack) {
			fr = t->stack;
			nfr = t->nstack;
			break;
		}
	}
	if (!fr || !on_goroutine(p, fr, nfr)) {
		int64_t best = 0;
		for (int i = 0; i < p->nstacks; i++) {
			const struct snap_stack *st = &p->stacks[i];
			if (st->tid == tid && st->count > best && on_goroutine(p, st->frames, st->nframes)) {
				best = st->count;
				fr = st->frames;
				nfr = st->nframes;
			}
		}
	}
	int n = 0;
	for (int k = 0; fr && k < nfr && n < max; k++) {
		int f = fr[k];
		if (f < 0 || f >= p->nframes)
			continue;
		const char *fn = p->frames[f].function;
		if (frame_is_goexit(fn))
			break;
		out[n++] = intern_add(nm, fn);
	}
	return n;
}

static void count_add(struct snap_count **c, int *n, const char *name)
{
	for (int i = 0; i < *n; i++) {
		if (strcmp((*c)[i].name, name) == 0) {
			(*c)[i].count++;
			return;
		}
	}
	*c = xrealloc(*c, sizeof(**c) * (size_t)(*n + 1));
	str_copy((*c)[*n].name, name, sizeof((*c)[*n].name));
	(*c)[*n].count = 1;
	(*n)++;
}

static int cmp_count(const void *a, const void *b)
{
	const struct snap_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int cmp_group(const void *a, const void *b)
{
	const struct snap_gr_group *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	int c = strcmp(gr_status_name(x->status), gr_status_name(y->status));   /* by name, as always */
	if (c)
		return c;
	if ((c = strcmp(x->wait_reason, y->wait_reason)) != 0)
		return c;
	for (int i = 0; i < x->nframes && i < y->nframes; i++)
		if ((c = strcmp(x->frames[i], y->frames[i])) != 0)
			return c;
	return (x->nframes > y->nframes) - (x->nframes < y->nframes);
}

/* The groups being built, found by their hash. */
struct grp_set {
	struct grp *v;                  /* in the order they were first seen */
	int n, cap;
	struct u64map by_hash;          /* group_hash -> index into v */
};

static uint64_t group_hash(uint32_t status, const char *reason, const int *fr, int n)
{
	uint64_t h = hash64(status + 1) ^ hash_str(reason);
	for (int i = 0; i < n; i++)
		h = hash64(h ^ (uint64_t)(fr[i] + 1));
	return h;
}

/* The group of (status, reason, frames[0..nf)) in gs, added empty when
 * new. A group whose hash is taken by another group tries
 * hash64(hash + 1), and so on (as the profiler's merged stacks do).
 * frames is copied; reason must outlive gs. */
static struct grp *group_find_or_add(struct grp_set *gs, uint32_t status, const char *reason,
				     const int *frames, int nf)
{
	uint64_t key = group_hash(status, reason, frames, nf);
	uint32_t i;
	while (u64map_find(&gs->by_hash, key, &i)) {
		struct grp *gr = &gs->v[i];
		if (gr->status == status && strcmp(gr->reason, reason) == 0 && gr->nframes == nf &&
		    memcmp(gr->frames, frames, sizeof(int) * (size_t)nf) == 0)
			return gr;
		key = hash64(key + 1);
	}
	ARRAY_GROW(gs->v, gs->n, gs->cap, 64);
	struct grp *gr = &gs->v[gs->n];
	u64map_put(&gs->by_hash, key, (uint32_t)gs->n++);
	memset(gr, 0, sizeof(*gr));
	gr->status = status;
	gr->reason = reason;
	gr->frames = xmalloc(sizeof(int) * (size_t)(nf + 1));
	memcpy(gr->frames, frames, sizeof(int) * (size_t)nf);
	gr->nframes = nf;
	gr->max_wait = NAN;
	gr->first = true;
	return gr;
}

/* The model's group o from the built group gr (whose frames it frees),
 * frame names from nm; window_s is the observation window for the
 * deadlock hint. */
static void group_to_snap(struct grp *gr, const struct intern *nm, double window_s, struct snap_gr_group *o)
{
	o->count = gr->count;
	o->status = go_status_to_gr(gr->status);
	str_copy(o->wait_reason, gr->reason, sizeof(o->wait_reason));
	o->max_wait_s = gr->max_wait;
	o->frames = xcalloc((size_t)gr->nframes + 1, sizeof(char *));
	for (int k = 0; k < gr->nframes; k++)
		o->frames[k] = xstrdup(intern_at(nm, gr->frames[k]));
	o->nframes = gr->nframes;
	o->goids = xcalloc((size_t)gr->ngoids + 1, sizeof(int64_t));
	memcpy(o->goids, gr->goids, sizeof(int64_t) * (size_t)gr->ngoids);
	o->ngoids = gr->ngoids;
	o->tids = xcalloc((size_t)gr->ntids + 1, sizeof(int));
	memcpy(o->tids, gr->tids, sizeof(int) * (size_t)gr->ntids);
	o->ntids = gr->ntids;
	o->stalled_s = gr->stalled;
	bool parked = gr->status == GO_WAITING;
	o->deadlock_hint = parked && !isnan(gr->stalled) && gr->min_reads >= GR_HINT_MIN_READS &&
			   gr->stalled >= GR_HINT_MIN_S && (isnan(window_s) || gr->stalled + 0.5 >= window_s) &&
			   goroutines_mutex_wait(o->wait_reason, o->frames, o->nframes);
	free(gr->frames);
}

struct snap_goroutines *goroutines_build(const struct go_read *r, const struct gr_tracker *t,
					 const struct snapshot *s, double window_s,
					 const char *go_version, const char *layout)
{
	struct snap_goroutines *out = xcalloc(1, sizeof(*out));
	str_copy(out->go_version, go_version ? go_version : "", sizeof(out->go_version));
	str_copy(out->layout, layout ? layout : "", sizeof(out->layout));
	out->read_ms = r->read_ms;
	out->created_during_read = r->created;
	out->moved_during_read = r->moved;

	struct intern nm;               /* names of functions (read's and profile's alike) */
	intern_init(&nm);
	int *fid = xcalloc((size_t)r->nfuncs + 1, sizeof(int));
	for (int i = 0; i < r->nfuncs; i++)
		fid[i] = intern_add(&nm, r->funcs[i]);

	struct grp_set gs = { 0 };
	int tmp[256];
	char rbuf[32];
	for (int i = 0; i < r->ng; i++) {
		const struct go_g *g = &r->g[i];
		if (g->system) {
			out->system++;
			continue;
		}
		out->count++;
		count_add(&out->by_status, &out->nby_status, gr_status_name(go_status_to_gr(g->status)));
		const char *reason = reason_of(r, g, rbuf, sizeof(rbuf));
		if (g->status == GO_WAITING)
			count_add(&out->by_wait_reason, &out->nby_wait_reason, reason[0] ? reason : "unknown");
		int nf = 0;
		if (g->status == GO_RUNNING) {
			nf = thread_frames(s, g->tid, &nm, tmp, (int)(sizeof(tmp) / sizeof(tmp[0])));
		} else {
			for (int k = 0; k < g->nframes && nf < (int)(sizeof(tmp) / sizeof(tmp[0])); k++) {
				int f = r->frames[g->frame0 + k];
				if (f >= 0 && f < r->nfuncs)
					tmp[nf++] = fid[f];
			}
		}
		/* reason strings of the read live as long as r; a formatted
		 * unknown reason is interned so it outlives rbuf. */
		if (reason == rbuf)
			reason = intern_at(&nm, intern_add(&nm, rbuf));
		struct grp *gr = group_find_or_add(&gs, g->status, reason, tmp, nf);
		gr->count++;
		if ((g->status == GO_WAITING || g->status == GO_SYSCALL) && g->waitsince > 0 &&
		    r->now_ns > g->waitsince) {
			double w = (double)(r->now_ns - g->waitsince) / 1e9;
			if (isnan(gr->max_wait) || w > gr->max_wait)
				gr->max_wait = w;
		}
		if (gr->ngoids < GR_MAX_GOIDS)
			gr->goids[gr->ngoids++] = (int64_t)g->goid;
		if (g->tid > 0 && gr->ntids < GR_MAX_TIDS) {
			bool dup = false;
			for (int k = 0; k < gr->ntids; k++)
				dup |= gr->tids[k] == g->tid;
			if (!dup)
				gr->tids[gr->ntids++] = g->tid;
		}
		int reads = 0;
		double st_s = gr_tracker_stalled(t, g->goid, &reads);
		if (gr->first) {
			gr->stalled = st_s;
			gr->min_reads = reads;
			gr->first = false;
		} else {
			if (isnan(st_s) || (!isnan(gr->stalled) && st_s < gr->stalled))
				gr->stalled = st_s;
			if (reads < gr->min_reads)
				gr->min_reads = reads;
		}
	}

	out->groups = xcalloc((size_t)gs.n + 1, sizeof(*out->groups));
	for (int i = 0; i < gs.n; i++)
		group_to_snap(&gs.v[i], &nm, window_s, &out->groups[out->ngroups++]);
	qsort(out->groups, (size_t)out->ngroups, sizeof(*out->groups), cmp_group);
	qsort(out->by_status, (size_t)out->nby_status, sizeof(*out->by_status), cmp_count);
	qsort(out->by_wait_reason, (size_t)out->nby_wait_reason, sizeof(*out->by_wait_reason), cmp_count);
	intern_fini(&nm);
	free(fid);
	free(gs.v);
	u64map_fini(&gs.by_hash);
	return out;
}

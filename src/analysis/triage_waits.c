/*
 * triage_waits.c - the checklist's rules on where the time goes: one
 * function dominating the on-CPU samples, most threads blocked in the
 * same place (by wall-profile stack, else by syscall and wchan), most
 * goroutines blocked in one group or too many runnable, lock contention,
 * deadlock.
 *
 * Why apart: they read the stacks, the goroutine groups and the lock
 * analysis rather than the process's counters, the last step of the walk;
 * the helpers over stacks here are theirs alone.
 */
#include "triage_rules.h"
#include "frame.h"
#include "syscall_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers over stacks ------------------------------------------------ */

static const char *frame_fn(const struct snapshot *s, int fr)
{
	return s->profile && fr >= 0 && fr < s->profile->nframes ? s->profile->frames[fr].function : "?";
}

/* The first program frame of a stack (frame.h), or its innermost frame. */
static int stack_anchor(const struct snapshot *s, const int *fr, int n)
{
	int i = frame_first_program(s->profile, fr, n);
	return i >= 0 ? fr[i] : n ? fr[0] : -1;
}

/* "__lll_lock_wait <- pthread_mutex_lock <- post_ledger <- worker <- ...". */
static void stack_words(const struct snapshot *s, const int *fr, int n, char *b, size_t len)
{
	const char *names[FRAME_CHAIN_MAX];
	for (int i = 0; i < n && i < FRAME_CHAIN_MAX; i++)
		names[i] = frame_fn(s, fr[i]);
	frame_chain(names, n, b, len);
}

/* Does any frame of the stack satisfy the frame.h predicate is? */
static bool stack_has(const struct snapshot *s, const int *fr, int n, bool (*is)(const char *))
{
	for (int i = 0; i < n; i++)
		if (is(frame_fn(s, fr[i])))
			return true;
	return false;
}

/* ---- the rules ---------------------------------------------------------- */

void triage_rule_hot_function(const struct snapshot *s, struct verdict *v)
{
	const struct snap_profile *p = s->profile;
	if (!p) {
		v->st = ST_UNKNOWN;
		EV(v, "no stacks sampled (--no-stacks, or ptrace not permitted: see errors)");
		return;
	}
	/* Recount in cpu mode whatever mode the table was computed in. */
	int64_t *flat = xcalloc((size_t)p->nframes + 1, sizeof(int64_t));
	bool *is_alloc = xcalloc((size_t)p->nframes + 1, sizeof(bool));
	for (int i = 0; i < p->nframes; i++)
		is_alloc[i] = frame_is_alloc(p->frames[i].function);
	int64_t total = 0, alloc = 0;
	for (int i = 0; i < p->nstacks; i++) {
		const struct snap_stack *st = &p->stacks[i];
		if (!st->running || st->nframes == 0)
			continue;
		total += st->count;
		flat[st->frames[0]] += st->count;
		for (int k = 0; k < st->nframes; k++)
			if (is_alloc[st->frames[k]]) {
				alloc += st->count;
				break;
			}
	}
	free(is_alloc);
	int best = -1;
	for (int i = 0; i < p->nframes; i++)
		if (flat[i] > 0 && (best < 0 || flat[i] > flat[best]))
			best = i;
	double u, y, span;
	triage_cpu_figures(s, &u, &y, &span);
	double cpu = nz(u) + nz(y);
	if (total < HOT_MIN_SAMPLES || best < 0) {
		v->st = isnan(u) || cpu >= CPU_BUSY ? ST_UNKNOWN : ST_OK;
		EV(v, "%lld on-CPU samples of %lld", (long long)total, (long long)p->samples_total);
		if (v->st == ST_OK)
			EV(v, "; the process is mostly idle (CPU %.0f%% of one CPU): no hot spot to chase", cpu);
		else
			EV(v, ": too few to name a hot function (need %d)", HOT_MIN_SAMPLES);
	} else {
		double pct = 100.0 * (double)flat[best] / (double)total;
		EV(v, "%s (%s) in %.0f%% of %lld on-CPU samples (flat)", p->frames[best].function,
		   frame_module_name(p->frames[best].module),
		   pct, (long long)total);
		if (!isnan(u))
			EV(v, "; process CPU %.0f%% of one CPU", cpu);
		double apct = 100.0 * (double)alloc / (double)total;
		if (apct >= ALLOC_PCT)
			EV(v, "; malloc/GC functions in %.0f%% of them: allocation pressure", apct);
		if (!isnan(u) && cpu < CPU_BUSY)
			v->st = ST_OK;  /* a hot spot of an idle process is no incident */
		else
			v->st = pct >= HOT_ALERT_PCT ? ST_ALERT : pct >= HOT_WARN_PCT ? ST_WARN : ST_OK;
		if (v->st == ST_OK && apct >= ALLOC_PCT && cpu >= CPU_BUSY)
			v->st = ST_WARN;
	}
	free(flat);
}

/* Waiting stacks of the wall profile, merged over threads. */
struct place {
	const struct snap_stack *st;    /* one of the group's stacks (frames) */
	int64_t count;                  /* samples in this place, all threads */
	int nthreads;                   /* threads seen waiting here */
	double max_wait_s;              /* longest current wait of those threads */
};

static int cmp_stack_frames(const void *a, const void *b)
{
	const struct snap_stack *x = *(const struct snap_stack *const *)a;
	const struct snap_stack *y = *(const struct snap_stack *const *)b;
	if (x->nframes != y->nframes)
		return x->nframes - y->nframes;
	return memcmp(x->frames, y->frames, sizeof(int) * (size_t)x->nframes);
}

static int cmp_thread_tid(const void *a, const void *b)
{
	int x = (*(const struct snap_thread *const *)a)->tid, y = (*(const struct snap_thread *const *)b)->tid;
	return (x > y) - (x < y);
}

/* Thread tid in `byid` (s->threads sorted by tid), or NULL. */
static const struct snap_thread *thread_by_tid(const struct snap_thread **byid, int n, int tid)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (byid[mid]->tid == tid)
			return byid[mid];
		if (byid[mid]->tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The place (stack) where threads spent the most waiting samples. */
static bool wall_place(const struct snapshot *s, struct place *out, int64_t *total)
{
	const struct snap_profile *p = s->profile;
	*total = 0;
	memset(out, 0, sizeof(*out));
	if (!p || p->nstacks == 0)
		return false;
	const struct snap_stack **v = xmalloc(sizeof(*v) * (size_t)p->nstacks);
	int n = 0;
	for (int i = 0; i < p->nstacks; i++) {
		*total += p->stacks[i].count;
		if (!p->stacks[i].running && p->stacks[i].nframes > 0)
			v[n++] = &p->stacks[i];
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_stack_frames);
	int nt = s->threads ? s->nthreads : 0;
	const struct snap_thread **byid = xmalloc(sizeof(*byid) * (size_t)(nt + 1));
	for (int i = 0; i < nt; i++)
		byid[i] = &s->threads[i];
	qsort(byid, (size_t)nt, sizeof(*byid), cmp_thread_tid);
	for (int i = 0; i < n;) {
		struct place g = {.st = v[i]};
		int k = i;
		for (; k < n && cmp_stack_frames(&v[k], &v[i]) == 0; k++) {
			g.count += v[k]->count;
			g.nthreads++;   /* stacks are merged per thread: one entry each */
			const struct snap_thread *t = thread_by_tid(byid, nt, v[k]->tid);
			if (t)
				g.max_wait_s = fmax(g.max_wait_s, nz(t->blocked_s));
		}
		if (g.count > out->count)
			*out = g;
		i = k;
	}
	free(byid);
	free(v);
	return out->count > 0;
}

/* Without a profile: the largest group of blocked threads by syscall and
 * wchan. Returns its size; *best_idx a thread of it, *max_wait the
 * longest wait in it. */
static int syscall_place(const struct snapshot *s, int *best_idx, double *max_wait)
{
	int n = 0, bestn = 0;
	char (*keys)[112] = xmalloc(sizeof(*keys) * (size_t)(s->nthreads + 1));
	const char **kp = xmalloc(sizeof(*kp) * (size_t)(s->nthreads + 1));
	for (int i = 0; i < s->nthreads; i++) {
		const struct snap_thread *t = &s->threads[i];
		if (t->state == 'R' || t->state == 'Z' || t->state == 'X')
			continue;
		snprintf(keys[n], sizeof(keys[n]), "%s\x1f%s", t->syscall, t->wchan);
		kp[n] = keys[n];
		n++;
	}
	const char *best = triage_most_common(kp, n, &bestn);
	*best_idx = -1;
	*max_wait = 0;
	for (int i = 0, k = 0; best && i < s->nthreads; i++) {
		const struct snap_thread *t = &s->threads[i];
		if (t->state == 'R' || t->state == 'Z' || t->state == 'X')
			continue;
		if (strcmp(keys[k++], best) == 0) {
			if (*best_idx < 0)
				*best_idx = i;
			*max_wait = fmax(*max_wait, nz(t->blocked_s));
		}
	}
	free(kp);
	free(keys);
	return bestn;
}

/* The lock thread tid waits for (s->locks), or NULL. */
static const struct snap_lock *lock_of_thread(const struct snapshot *s, int tid)
{
	for (int i = 0; s->locks && i < s->nlocks; i++)
		for (int k = 0; k < s->locks[i].nwaiters; k++)
			if (s->locks[i].waiters[k].tid == tid)
				return &s->locks[i];
	return NULL;
}

/* Waiting for an event (work to arrive, a thread to end), not for a lock
 * somebody holds. */
static bool is_event_wait(enum lock_kind kind)
{
	return kind == LOCK_KIND_CONDVAR || kind == LOCK_KIND_SEMAPHORE || kind == LOCK_KIND_JOIN;
}

void triage_rule_blocked_same_place(const struct snapshot *s, struct verdict *v)
{
	if (!s->threads || s->nthreads == 0) {
		v->st = ST_UNKNOWN;
		EV(v, "threads unknown (/proc/PID/task unreadable)");
		return;
	}
	int nb = 0, n = s->nthreads;
	for (int i = 0; i < n; i++)
		nb += s->threads[i].state != 'R';
	EV(v, "%d of %d threads blocked now", nb, n);
	v->st = ST_OK;
	struct place g;
	int64_t total;
	bool lock = false, idle = false;
	int nthreads;
	double share;
	if (wall_place(s, &g, &total)) {
		char where[256];
		const struct snap_stack *st = g.st;
		int anchor = stack_anchor(s, st->frames, st->nframes);
		stack_words(s, st->frames, st->nframes, where, sizeof(where));
		share = 100.0 * (double)g.count / (double)total;
		nthreads = g.nthreads;
		EV(v, "; wall profile: %d thread%s waited in %s (%s), %.0f%% of all %lld thread samples",
		   g.nthreads, g.nthreads == 1 ? "" : "s", frame_fn(s, anchor), where, share, (long long)total);
		if (g.max_wait_s > 0)
			EV(v, "; longest current wait there %.1f s", g.max_wait_s);
		lock = stack_has(s, st->frames, st->nframes, frame_is_lock_acquire);
		idle = !lock && stack_has(s, st->frames, st->nframes, frame_is_idle_wait);
	} else {
		int best;
		double maxw;
		nthreads = syscall_place(s, &best, &maxw);
		if (best < 0) {
			EV(v, "; none waiting");
			return;
		}
		const struct snap_thread *t = &s->threads[best];
		share = 100.0 * nthreads / n;
		EV(v, "; largest group now: %d thread%s in syscall %s%s%s (no stacks: grouped by syscall and "
		   "wchan)", nthreads, nthreads == 1 ? "" : "s", t->syscall[0] ? t->syscall : "?",
		   t->wchan[0] ? ", wchan " : "", t->wchan);
		if (maxw > 0)
			EV(v, "; longest wait %.1f s", maxw);
		idle = syscall_is_idle(t->syscall);
		/* A futex wait is named by the lock analysis: a pool parked on
		 * a condvar or semaphore is idle, a mutex queue is a lock. */
		const struct snap_lock *l = lock_of_thread(s, t->tid);
		if (l) {
			lock = !is_event_wait(l->kind);
			idle = !lock;
			EV(v, "; they wait on %s %s", lock_kind_name(l->kind), l->symbol ? l->symbol : "(heap object)");
		}
	}
	if (nthreads >= SAME_MIN_THREADS && share >= SAME_WARN_PCT) {
		if (lock) {
			v->st = ST_ALERT;
			EV(v, "; they wait for a lock");
		} else if (idle) {
			EV(v, "; an idle wait (workers waiting for work): normal unless their number grows");
		} else {
			v->st = ST_WARN;
		}
	}
}

void triage_rule_goroutines_blocked(const struct snapshot *s, struct verdict *v)
{
	const struct snap_goroutines *g = s->goroutines;
	if (!g) {
		v->st = s->proc.runtime == PROC_RUNTIME_GO ? ST_UNKNOWN : ST_OK;
		EV(v, v->st == ST_OK ? "not a Go program: no goroutines"
		   : "goroutines were not read (Go runtime structures unavailable in this snapshot)");
		return;
	}
	const struct snap_gr_group *big = NULL;
	for (int i = 0; i < g->ngroups; i++) {
		const struct snap_gr_group *x = &g->groups[i];
		if (x->status == GR_STATUS_RUNNING || x->status == GR_STATUS_RUNNABLE)
			continue;
		if (!big || x->count > big->count)
			big = x;
	}
	int64_t runnable = 0;
	for (int i = 0; i < g->nby_status; i++)
		if (strcmp(g->by_status[i].name, gr_status_name(GR_STATUS_RUNNABLE)) == 0)
			runnable = g->by_status[i].count;
	EV(v, "%lld goroutines, %lld runnable", (long long)g->count, (long long)runnable);
	v->st = ST_OK;
	if (big) {
		EV(v, "; largest group: %lld %s", (long long)big->count, gr_status_name(big->status));
		if (big->wait_reason[0])
			EV(v, " (%s)", big->wait_reason);
		int at = frame_go_anchor(big->frames, big->nframes);
		char where[256];
		EV(v, " in %s (%s)", at >= 0 && big->frames[at] ? big->frames[at] : "?",
		   frame_chain((const char *const *)big->frames, big->nframes, where, sizeof(where)));
		if (!isnan(big->max_wait_s))
			EV(v, ", longest %.0f s", big->max_wait_s);
		double pct = g->count > 0 ? 100.0 * (double)big->count / (double)g->count : 0;
		static const char *const idle_reasons[] = {"IO wait", "sleep", "GC worker (idle)",
							   "timer goroutine (idle)", "force gc (idle)",
							   "finalizer wait", "GC sweep wait",
							   "GC scavenge wait", NULL};
		bool idle = false;
		for (int k = 0; idle_reasons[k]; k++)
			idle = idle || strcmp(big->wait_reason, idle_reasons[k]) == 0;
		if (big->count >= GR_SAME_MIN && pct >= GR_SAME_PCT && !idle)
			v->st = big->count >= GR_SAME_ALERT ? ST_ALERT : ST_WARN;
	}
	int ncpu = s->host.ncpu > 0 ? s->host.ncpu : 1;
	if (runnable >= GR_RUNNABLE_MIN && runnable >= (int64_t)GR_RUNNABLE_PER_CPU * ncpu) {
		EV(v, "; %lld runnable for %d CPUs: scheduler overload", (long long)runnable, ncpu);
		v->st = worse(v->st, ST_WARN);
	}
}

void triage_rule_lock_contention(const struct snapshot *s, struct verdict *v)
{
	if (!s->locks) {
		v->st = ST_UNKNOWN;
		EV(v, "lock analysis not available in this snapshot");
		return;
	}
	const struct snap_lock *worst = NULL;
	int with_waiters = 0, in_cycle = 0, events = 0;
	for (int i = 0; i < s->nlocks; i++) {
		const struct snap_lock *l = &s->locks[i];
		/* Event waits (an idle pool on a condvar, a semaphore, a join)
		 * are not contention; deadlocked locks have their own item. */
		if (l->in_deadlock) {
			in_cycle++;
			continue;
		}
		if (is_event_wait(l->kind)) {
			events++;
			continue;
		}
		if (l->nwaiters == 0)
			continue;
		with_waiters++;
		if (!worst || l->nwaiters > worst->nwaiters ||
		    (l->nwaiters == worst->nwaiters && nz(l->max_wait_s) > nz(worst->max_wait_s)))
			worst = l;
	}
	v->st = ST_OK;
	if (!worst) {
		EV(v, "no thread waits on a lock");
		if (in_cycle || events)
			EV(v, " outside %s%s%s", in_cycle ? "a deadlock" : "", in_cycle && events ? " and " : "",
			   events ? "event waits (condvar, semaphore, join)" : "");
		EV(v, " (%d lock%s seen)", s->nlocks, s->nlocks == 1 ? "" : "s");
	} else {
		if (worst->symbol)
			EV(v, "%s (%s at 0x%llx)", worst->symbol, lock_kind_name(worst->kind),
			   (unsigned long long)worst->address);
		else
			EV(v, "%s lock at 0x%llx", lock_kind_name(worst->kind), (unsigned long long)worst->address);
		EV(v, ": %d waiter%s", worst->nwaiters, worst->nwaiters == 1 ? "" : "s");
		if (!isnan(worst->max_wait_s))
			EV(v, ", longest wait %.1f s", worst->max_wait_s);
		if (worst->owner_tid > 0) {
			EV(v, "; held by thread %d", worst->owner_tid);
			if (worst->owner_function)
				EV(v, " in %s", worst->owner_function);
			if (worst->owner_syscall[0])
				EV(v, " (blocked in %s)", worst->owner_syscall);
		}
		if (worst->nwaiters_history > 0) {
			EV(v, "; waiters per poll:");
			int from = worst->nwaiters_history > 8 ? worst->nwaiters_history - 8 : 0;
			for (int k = from; k < worst->nwaiters_history; k++)
				EV(v, " %d", worst->waiters_history[k]);
		}
		if (worst->contended)
			EV(v, "; contended across polls");
		if (with_waiters > 1)
			EV(v, "; %d locks with waiters", with_waiters);
		int64_t nt = triage_nthreads_of(s);
		double pct = nt > 0 ? 100.0 * worst->nwaiters / (double)nt : 0;
		if ((worst->contended && worst->nwaiters >= LOCK_ALERT_WAITERS) ||
		    (worst->nwaiters >= LOCK_ALERT_WAITERS && pct >= LOCK_ALERT_PCT))
			v->st = ST_ALERT;
		else if (worst->contended ||
			 (worst->nwaiters >= LOCK_WARN_WAITERS && nz(worst->max_wait_s) >= 1.0))
			v->st = ST_WARN;
	}
}

void triage_rule_deadlock(const struct snapshot *s, struct verdict *v)
{
	if (!s->deadlocks) {
		v->st = ST_UNKNOWN;
		EV(v, "lock analysis not available in this snapshot");
		return;
	}
	if (s->ndeadlocks == 0) {
		v->st = ST_OK;
		EV(v, "no cycle in the wait-for graph");
	} else {
		v->st = ST_ALERT;
		for (int i = 0; i < s->ndeadlocks && i < 3; i++) {
			const struct snap_deadlock *d = &s->deadlocks[i];
			EV(v, "%sthreads", i ? "; " : "");
			for (int k = 0; k < d->ntids; k++)
				EV(v, " %d ->", d->tids[k]);
			EV(v, " %d wait on each other's locks:", d->ntids ? d->tids[0] : 0);
			for (int k = 0; k < d->ntids && k < d->nlocks; k++) {
				EV(v, "%s thread %d", k ? ";" : "", d->tids[k]);
				if (d->functions && d->functions[k])
					EV(v, " in %s", d->functions[k]);
				EV(v, " waits for ");
				if (d->symbols && d->symbols[k])
					EV(v, "%s", d->symbols[k]);
				else
					EV(v, "0x%llx", (unsigned long long)d->locks[k]);
				EV(v, " held by %d", d->tids[(k + 1) % d->ntids]);
			}
			if (!isnan(d->stalled_s))
				EV(v, "; no progress for %.0f s", d->stalled_s);
		}
		if (s->ndeadlocks > 3)
			EV(v, "; %d cycles in all", s->ndeadlocks);
	}
}

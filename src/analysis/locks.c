/*
 * locks.c - lock waits, their holders, deadlocks and contention, decoded
 * from a snapshot alone (see locks.h for the glibc layouts used).
 *
 * Each thread sleeping in a futex wait (not in D: an uninterruptible
 * sleep is IO, never a lock wait) is decoded into a lock: its kind comes
 * first from the waiter's own stack (the glibc function it sleeps in:
 * pthread_mutex_lock, pthread_rwlock_wrlock, pthread_cond_wait,
 * __lll_lock_wait_private, pthread_join, sem_wait), then from the futex
 * op (FUTEX_LOCK_PI), then from the data symbol's size and the offset of
 * the futex word in it (a 40-byte object waited on at +0 is a mutex, 56
 * at +8/+12 an rwlock, 48 at +40/+44 a condvar), and last from the
 * memory words themselves (an owner field that holds a TID of this
 * process). The lock's address is the object's start, which is not the
 * futex word for rwlocks and condvars.
 *
 * Wait-for graph: a waiter of a lock that records its owner (mutex, PI
 * mutex, rwlock held by a writer, a joined thread) points to the owner.
 * Every thread waits for one futex, so each node has at most one edge and
 * a cycle is found by following edges. A cycle is a deadlock only when
 * every thread in it has made no progress over at least one poll interval
 * (stalled_polls >= 1: same wait, unchanged context switch counts), so a
 * busy lock whose owner changes all the time never looks like one.
 */
#include "locks.h"
#include "frame.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUTEX_WAIT_ 0
#define FUTEX_LOCK_PI_ 6
#define FUTEX_TRYLOCK_PI_ 8
#define FUTEX_WAIT_BITSET_ 9
#define FUTEX_WAIT_REQUEUE_PI_ 11
#define FUTEX_LOCK_PI2_ 13
#define FUTEX_TID_MASK_ 0x3fffffffU

/* ---- contention tracker -------------------------------------------- */

struct tracker_poll {
	uint64_t *words;                /* sorted, distinct */
	int *counts;
	int n;
};

struct lock_tracker {
	struct tracker_poll polls[LOCKS_HISTORY_MAX];
	int head, len;                  /* ring: oldest at head */
};

struct lock_tracker *lock_tracker_new(void)
{
	return xcalloc(1, sizeof(struct lock_tracker));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

void lock_tracker_add(struct lock_tracker *tr, const uint64_t *words, int n)
{
	int idx;
	if (tr->len == LOCKS_HISTORY_MAX) {
		idx = tr->head;
		tr->head = (tr->head + 1) % LOCKS_HISTORY_MAX;
		free(tr->polls[idx].words);
		free(tr->polls[idx].counts);
	} else {
		idx = (tr->head + tr->len++) % LOCKS_HISTORY_MAX;
	}
	uint64_t *w = xmalloc(sizeof(uint64_t) * (size_t)(n + 1));
	memcpy(w, words, sizeof(uint64_t) * (size_t)n);
	qsort(w, (size_t)n, sizeof(uint64_t), cmp_u64);
	int *c = xmalloc(sizeof(int) * (size_t)(n + 1));
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (k && w[k - 1] == w[i]) {
			c[k - 1]++;
			continue;
		}
		w[k] = w[i];
		c[k++] = 1;
	}
	tr->polls[idx] = (struct tracker_poll){.words = w, .counts = c, .n = k};
}

int lock_tracker_polls(const struct lock_tracker *tr)
{
	return tr ? tr->len : 0;
}

int lock_tracker_history(const struct lock_tracker *tr, uint64_t lo, uint64_t hi, int *out)
{
	if (!tr)
		return 0;
	for (int i = 0; i < tr->len; i++) {
		const struct tracker_poll *p = &tr->polls[(tr->head + i) % LOCKS_HISTORY_MAX];
		int a = 0, b = p->n;
		while (a < b) {
			int mid = a + (b - a) / 2;
			if (p->words[mid] < lo)
				a = mid + 1;
			else
				b = mid;
		}
		int sum = 0;
		for (int k = a; k < p->n && p->words[k] < hi; k++)
			sum += p->counts[k];
		out[i] = sum;
	}
	return tr->len;
}

void lock_tracker_free(struct lock_tracker *tr)
{
	if (!tr)
		return;
	for (int i = 0; i < tr->len; i++) {
		int idx = (tr->head + i) % LOCKS_HISTORY_MAX;
		free(tr->polls[idx].words);
		free(tr->polls[idx].counts);
	}
	free(tr);
}

/* ---- decoding one wait ------------------------------------------------- */

struct pat {
	const char *sub;                /* substring of a function name */
	enum lock_kind kind;            /* NONE: not a lock wait */
	enum lock_mode mode;
};

/* Checked in order for each frame, innermost frame first: the innermost
 * glibc entry point decides (pthread_cond_wait re-locking its mutex is
 * waiting for the mutex). */
static const struct pat pats[] = {
	{"__lll_lock_wait_private", LOCK_KIND_INTERNAL, LOCK_MODE_NONE},
	{"runtime.lock2", LOCK_KIND_INTERNAL, LOCK_MODE_NONE},
	{"runtime.lockWithRank", LOCK_KIND_INTERNAL, LOCK_MODE_NONE},
	{"runtime.notesleep", LOCK_KIND_NONE, LOCK_MODE_NONE},        /* Go scheduler: an idle M, not a lock */
	{"runtime.notetsleep", LOCK_KIND_NONE, LOCK_MODE_NONE},
	{"pthread_rwlock_rdlock", LOCK_KIND_RWLOCK, LOCK_MODE_READ},
	{"rwlock_timedrdlock", LOCK_KIND_RWLOCK, LOCK_MODE_READ},
	{"rwlock_clockrdlock", LOCK_KIND_RWLOCK, LOCK_MODE_READ},
	{"pthread_rwlock_wrlock", LOCK_KIND_RWLOCK, LOCK_MODE_WRITE},
	{"rwlock_timedwrlock", LOCK_KIND_RWLOCK, LOCK_MODE_WRITE},
	{"rwlock_clockwrlock", LOCK_KIND_RWLOCK, LOCK_MODE_WRITE},
	{"pthread_cond_", LOCK_KIND_CONDVAR, LOCK_MODE_NONE},
	{"__condvar_", LOCK_KIND_CONDVAR, LOCK_MODE_NONE},
	{"pthread_mutex_", LOCK_KIND_MUTEX, LOCK_MODE_NONE},
	{"__lll_lock_wait", LOCK_KIND_MUTEX, LOCK_MODE_NONE},
	{"__lll_clocklock", LOCK_KIND_MUTEX, LOCK_MODE_NONE},
	{"pthread_join", LOCK_KIND_JOIN, LOCK_MODE_NONE},
	{"pthread_timedjoin", LOCK_KIND_JOIN, LOCK_MODE_NONE},
	{"pthread_clockjoin", LOCK_KIND_JOIN, LOCK_MODE_NONE},
	{"sem_wait", LOCK_KIND_SEMAPHORE, LOCK_MODE_NONE},
	{"sem_timedwait", LOCK_KIND_SEMAPHORE, LOCK_MODE_NONE},
	{"sem_clockwait", LOCK_KIND_SEMAPHORE, LOCK_MODE_NONE},
	{NULL, LOCK_KIND_NONE, LOCK_MODE_NONE}
};

struct decoded {
	bool lock;                      /* a lock wait at all */
	enum lock_kind kind;
	enum lock_mode mode;
	uint64_t address, size;
	int owner;                      /* SNAP_UNKNOWN */
	int readers;                    /* SNAP_UNKNOWN */
	bool edge;                      /* the owner is what the waiter waits for */
	bool rw_ambiguous;              /* rwlock at address-8 or address-12: resolved later */
	uint64_t rw_alt;
};

/* The 32-bit word of the target at a, from the memory read around the
 * futex. Returns false when a is outside it. */
static bool word(const struct snap_futex *f, uint64_t a, uint32_t *v)
{
	if (!f->mem_ok || a < f->mem_base || a + 4 > f->mem_base + 4 * SNAP_FUTEX_WORDS ||
	    (a - f->mem_base) % 4)
		return false;
	*v = f->mem[(a - f->mem_base) / 4];
	return true;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

struct tidset {
	int *tids;
	int n;
};

static bool tid_in(const struct tidset *ts, int64_t tid)
{
	if (tid <= 0)
		return false;
	return bsearch(&(int){(int)tid}, ts->tids, (size_t)ts->n, sizeof(int), cmp_int) != NULL;
}

/* The lock pattern a function name matches, or NULL. */
static const struct pat *pat_of(const char *fn)
{
	for (const struct pat *q = pats; q->sub; q++)
		if (strstr(fn, q->sub))
			return q;
	return NULL;
}

static bool has_pat(const char *fn, const void *arg)
{
	(void)arg;
	return pat_of(fn) != NULL;
}

/* Kind from the waiter's stack: the library frames below its first
 * program frame. Returns the pattern, or NULL when the stack says nothing. */
static const struct pat *stack_kind(const struct snapshot *s, const struct snap_thread *t)
{
	const char *fn = frame_find_wrapper(s->profile, t->stack, t->nstack, has_pat, NULL);
	return fn ? pat_of(fn) : NULL;
}

/* Could c be the start of a pthread_rwlock_t, from its padding words,
 * its __shared flag and its writer TID? */
static bool rwlock_plausible(const struct snap_futex *f, uint64_t c, const struct tidset *ts)
{
	uint32_t pad3, pad4, cur, shared;
	if (!word(f, c + 16, &pad3) || !word(f, c + 20, &pad4) || !word(f, c + 24, &cur) ||
	    !word(f, c + 28, &shared))
		return false;
	return pad3 == 0 && pad4 == 0 && shared <= 1 && (cur == 0 || tid_in(ts, cur));
}

static void decode_mutex(const struct snap_futex *f, struct decoded *d)
{
	uint32_t owner;
	d->kind = LOCK_KIND_MUTEX;
	d->address = f->addr;
	d->size = 40;
	d->edge = true;
	if (word(f, f->addr + 8, &owner) && owner != 0)
		d->owner = (int)owner;
}

static void decode_rwlock(const struct snap_futex *f, struct decoded *d, const struct tidset *ts)
{
	uint64_t a = f->addr;
	d->kind = LOCK_KIND_RWLOCK;
	d->size = 56;
	if (f->symbol && f->symbol_size == 56 && (a - f->symbol_addr == 8 || a - f->symbol_addr == 12)) {
		d->address = f->symbol_addr;
	} else if (d->mode == LOCK_MODE_READ) {
		d->address = a - 8;         /* readers sleep on __wrphase_futex only */
	} else {
		bool p8 = rwlock_plausible(f, a - 8, ts), p12 = rwlock_plausible(f, a - 12, ts);
		if (p8 && !p12) {
			d->address = a - 8;
		} else if (p12 && !p8) {
			d->address = a - 12;
		} else {
			/* Both fit: settled by the other waiters (resolve_rwlocks). */
			d->address = a - 8;
			d->rw_ambiguous = true;
			d->rw_alt = a - 12;
		}
	}
	uint32_t cur, r;
	if (word(f, d->address + 24, &cur) && cur != 0)
		d->owner = (int)cur;
	d->edge = true;
	/* __readers: count << 3; bit 0 set = write phase (they wait). */
	if (word(f, d->address, &r))
		d->readers = (r & 1) ? 0 : (int)(r >> 3);
}

static void decode_condvar(const struct snap_futex *f, struct decoded *d)
{
	uint64_t a = f->addr;
	uint32_t w4, w8;
	d->kind = LOCK_KIND_CONDVAR;
	d->size = 48;
	if (f->symbol && f->symbol_size == 48 && a >= f->symbol_addr && a < f->symbol_addr + 48)
		d->address = f->symbol_addr;
	else if (word(f, a - 4, &w4) && w4 >= 8)
		d->address = a - 40;        /* __wrefs (waiters << 3) right before __g_signals[0] */
	else if (word(f, a - 8, &w8) && w8 >= 8)
		d->address = a - 44;
	else
		d->address = a - 40;
}

/* Decode the wait of thread t. */
static void decode(const struct snapshot *s, const struct snap_thread *t, const struct tidset *ts,
		   struct decoded *d)
{
	const struct snap_futex *f = &t->futex;
	memset(d, 0, sizeof(*d));
	d->owner = SNAP_UNKNOWN;
	d->readers = SNAP_UNKNOWN;
	d->address = f->addr;
	d->size = 4;
	int cmd = f->op;
	if (!f->valid || t->state == 'D' || t->state == 'R')
		return;
	if (cmd != FUTEX_WAIT_ && cmd != FUTEX_WAIT_BITSET_ && cmd != FUTEX_LOCK_PI_ &&
	    cmd != FUTEX_LOCK_PI2_ && cmd != FUTEX_WAIT_REQUEUE_PI_ && cmd != FUTEX_TRYLOCK_PI_ &&
	    cmd != -1)
		return;   /* WAKE, REQUEUE...: not a sleep */
	const struct pat *sk = stack_kind(s, t);
	if (sk && sk->kind == LOCK_KIND_NONE)
		return;   /* Go scheduler park */
	d->lock = true;
	if (sk)
		d->mode = sk->mode;
	uint64_t off = f->symbol ? f->addr - f->symbol_addr : 0;

	if (cmd == FUTEX_LOCK_PI_ || cmd == FUTEX_LOCK_PI2_ || cmd == FUTEX_TRYLOCK_PI_) {
		uint32_t w;
		d->kind = LOCK_KIND_PI_MUTEX;
		d->size = 40;
		d->edge = true;
		if (word(f, f->addr, &w) && (w & FUTEX_TID_MASK_))
			d->owner = (int)(w & FUTEX_TID_MASK_);
		return;
	}
	enum lock_kind k = sk ? sk->kind : LOCK_KIND_NONE;
	if (k == LOCK_KIND_NONE) {
		uint32_t owner, kindw, w0;
		if (cmd == FUTEX_WAIT_REQUEUE_PI_)
			k = LOCK_KIND_CONDVAR;
		else if (f->symbol && f->symbol_size == 56 && (off == 8 || off == 12))
			k = LOCK_KIND_RWLOCK;
		else if (f->symbol && f->symbol_size == 48 && off >= 16 && off < 48)
			k = LOCK_KIND_CONDVAR;
		else if (f->val == 2 && (cmd == FUTEX_WAIT_ || cmd == FUTEX_WAIT_BITSET_) &&
			 ((f->symbol && f->symbol_size == 40 && off == 0) ||
			  (word(f, f->addr + 8, &owner) && tid_in(ts, owner) &&
			   word(f, f->addr + 16, &kindw) && kindw < 1024)))
			k = LOCK_KIND_MUTEX;
		else if (word(f, f->addr, &w0) && w0 == f->val && tid_in(ts, f->val) &&
			 (int)f->val != t->tid)
			k = LOCK_KIND_JOIN;   /* pthread_join sleeps on the thread's tid field */
		else
			k = LOCK_KIND_UNKNOWN;
	}
	if (k == LOCK_KIND_MUTEX) {
		decode_mutex(f, d);
	} else if (k == LOCK_KIND_RWLOCK) {
		decode_rwlock(f, d, ts);
	} else if (k == LOCK_KIND_CONDVAR) {
		decode_condvar(f, d);
	} else if (k == LOCK_KIND_JOIN) {
		d->kind = LOCK_KIND_JOIN;
		d->edge = true;
		if (f->val > 0)
			d->owner = (int)f->val;
	} else if (k == LOCK_KIND_SEMAPHORE) {
		d->kind = LOCK_KIND_SEMAPHORE;
		d->size = 4;
	} else {
		d->kind = k == LOCK_KIND_INTERNAL ? LOCK_KIND_INTERNAL : LOCK_KIND_UNKNOWN;
		if (f->symbol && d->kind == LOCK_KIND_INTERNAL && off == 0 && f->symbol_size <= 16)
			d->size = f->symbol_size;
	}
}

/* An ambiguous rwlock waiter (both address-8 and address-12 fit) joins
 * the lock another waiter decoded without doubt; failing that, a writer
 * is taken to sleep on __writers_futex (+12), anything else on +8. */
static void resolve_rwlocks(struct decoded *d, int n, const struct snap_thread *const *who)
{
	for (int i = 0; i < n; i++) {
		if (!d[i].rw_ambiguous)
			continue;
		bool found = false;
		for (int k = 0; k < n && !found; k++) {
			if (k == i || !d[k].lock || d[k].rw_ambiguous || d[k].kind != LOCK_KIND_RWLOCK)
				continue;
			if (d[k].address == d[i].address) {
				found = true;
			} else if (d[k].address == d[i].rw_alt) {
				d[i].address = d[i].rw_alt;
				found = true;
			}
		}
		if (!found && d[i].mode == LOCK_MODE_WRITE)
			d[i].address = d[i].rw_alt;
		/* Owner and readers at the chosen start. */
		const struct snap_futex *f = &who[i]->futex;
		uint32_t cur, r;
		d[i].owner = word(f, d[i].address + 24, &cur) && cur ? (int)cur : SNAP_UNKNOWN;
		d[i].readers = word(f, d[i].address, &r) ? ((r & 1) ? 0 : (int)(r >> 3)) : SNAP_UNKNOWN;
		d[i].rw_ambiguous = false;
	}
}

/* ---- building the locks ------------------------------------------------ */

/* A decoded wait's grouping key. */
struct gkey {
	uint64_t address;
	enum lock_kind kind;
	int i;                          /* index of the decoded wait */
};

/* By lock address, then kind (by name: the order locks of one address
 * but different kinds have always come in). */
static int cmp_group(const void *a, const void *b)
{
	const struct gkey *x = a, *y = b;
	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	return strcmp(lock_kind_name(x->kind), lock_kind_name(y->kind));
}

/* Thread index by tid: pairs sorted by tid. */
struct tidx {
	int tid, idx;
};

static int cmp_tidx(const void *a, const void *b)
{
	const struct tidx *x = a, *y = b;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

static const struct snap_thread *thread_by_tid(const struct snapshot *s, const struct tidx *order, int tid)
{
	const struct tidx key = {.tid = tid}, *r = bsearch(&key, order, (size_t)s->nthreads,
							   sizeof(*order), cmp_tidx);
	return r ? &s->threads[r->idx] : NULL;
}

static char *frame_name(const struct snapshot *s, int frame)
{
	if (!s->profile || frame < 0 || frame >= s->profile->nframes)
		return NULL;
	return xstrdup(s->profile->frames[frame].function);
}

/* A frame of a futex wait: a lock function of the patterns, or a frame
 * named after futex or the raw syscall(). For frame_find_wrapper. */
static bool in_wait(const char *fn, const void *arg)
{
	(void)arg;
	return strstr(fn, "futex") || strcmp(fn, "syscall") == 0 || pat_of(fn);
}

/* Where a waiting thread waits: its first program frame, but only when
 * its latest stack was taken inside the futex wait (in_wait below the
 * program's code). Samples and /proc readings are not simultaneous: a
 * thread of a busy lock may have been sampled running its own code (or
 * in clock_gettime) a moment before it went to sleep, and that stack
 * says nothing about the wait. */
static char *wait_function(const struct snapshot *s, const struct snap_thread *t)
{
	if (!frame_find_wrapper(s->profile, t->stack, t->nstack, in_wait, NULL))
		return NULL;
	return frame_name(s, t->top_frame);
}

/* "name" or "name+16" for a lock at address inside the symbol of f. */
static char *lock_symbol(const struct snap_futex *f, uint64_t address)
{
	if (!f->symbol || address < f->symbol_addr ||
	    (f->symbol_size && address >= f->symbol_addr + f->symbol_size))
		return NULL;
	if (address == f->symbol_addr)
		return xstrdup(f->symbol);
	char b[256];
	snprintf(b, sizeof(b), "%s+%llu", f->symbol, (unsigned long long)(address - f->symbol_addr));
	return xstrdup(b);
}

static int cmp_waiter(const void *a, const void *b)
{
	const struct snap_lock_waiter *x = a, *y = b;
	double wx = isnan(x->wait_s) ? -1 : x->wait_s, wy = isnan(y->wait_s) ? -1 : y->wait_s;
	if (wx != wy)
		return wx < wy ? 1 : -1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Condvars, semaphores and joins wait for an event, not for a holder:
 * an idle thread pool parks dozens of threads on one condvar. */
static bool event_wait(const struct snap_lock *l)
{
	return l->kind == LOCK_KIND_CONDVAR || l->kind == LOCK_KIND_SEMAPHORE || l->kind == LOCK_KIND_JOIN;
}

static int cmp_lock(const void *a, const void *b)
{
	const struct snap_lock *x = a, *y = b;
	if (x->in_deadlock != y->in_deadlock)
		return x->in_deadlock ? -1 : 1;
	if (x->contended != y->contended)
		return x->contended ? -1 : 1;
	if (event_wait(x) != event_wait(y))
		return event_wait(x) ? 1 : -1;
	if (x->nwaiters != y->nwaiters)
		return x->nwaiters < y->nwaiters ? 1 : -1;
	double wx = isnan(x->max_wait_s) ? -1 : x->max_wait_s, wy = isnan(y->max_wait_s) ? -1 : y->max_wait_s;
	if (wx != wy)
		return wx < wy ? 1 : -1;
	return (x->address > y->address) - (x->address < y->address);
}

/* Fill the owner's current whereabouts into l. */
static void owner_details(const struct snapshot *s, const struct tidx *order, struct snap_lock *l)
{
	l->owner_state = '?';
	l->owner_blocked_s = NAN;
	if (l->owner_tid <= 0)
		return;
	const struct snap_thread *o = thread_by_tid(s, order, l->owner_tid);
	if (!o)
		return;
	l->owner_state = o->state;
	str_copy(l->owner_syscall, o->syscall, sizeof(l->owner_syscall));
	str_copy(l->owner_syscall_arg, o->syscall_arg, sizeof(l->owner_syscall_arg));
	l->owner_blocked_s = o->blocked_s;
	l->owner_function = frame_name(s, o->top_frame);
	if (o->stack && o->nstack > 0) {
		l->owner_stack = xmalloc(sizeof(int) * (size_t)o->nstack);
		memcpy(l->owner_stack, o->stack, sizeof(int) * (size_t)o->nstack);
		l->nowner_stack = o->nstack;
	}
}

static bool event_wait(const struct snap_lock *l);

/* Contention: at least half of the last LOCKS_CONTENDED_WINDOW polls (and
 * at least two) had LOCKS_CONTENDED_WAITERS or more sleepers. Only for
 * locks with holders: many threads parked on a condvar is an idle pool. */
static bool contended(const int *h, int n)
{
	int from = n > LOCKS_CONTENDED_WINDOW ? n - LOCKS_CONTENDED_WINDOW : 0, many = 0;
	for (int i = from; i < n; i++)
		if (h[i] >= LOCKS_CONTENDED_WAITERS)
			many++;
	return n - from >= 2 && many >= 2 && many * 2 >= n - from;
}

/* ---- deadlocks ----------------------------------------------------------- */

struct edge {
	int to;                         /* thread index waited for, -1 none */
	int lock;                       /* index into s->locks */
};

static void add_deadlock(struct snapshot *s, const int *cyc, int n, const struct edge *e)
{
	/* Start the cycle at its smallest tid so it reads the same each time. */
	int start = 0;
	for (int i = 1; i < n; i++)
		if (s->threads[cyc[i]].tid < s->threads[cyc[start]].tid)
			start = i;
	s->deadlocks = xrealloc(s->deadlocks, sizeof(*s->deadlocks) * (size_t)(s->ndeadlocks + 1));
	struct snap_deadlock *d = &s->deadlocks[s->ndeadlocks++];
	memset(d, 0, sizeof(*d));
	d->ntids = d->nlocks = n;
	d->tids = xmalloc(sizeof(int) * (size_t)n);
	d->locks = xmalloc(sizeof(uint64_t) * (size_t)n);
	d->symbols = xcalloc((size_t)n, sizeof(char *));
	d->kinds = xcalloc((size_t)n, sizeof(*d->kinds));
	d->functions = xcalloc((size_t)n, sizeof(char *));
	d->stalled_s = NAN;
	for (int k = 0; k < n; k++) {
		int ti = cyc[(start + k) % n];
		const struct snap_thread *t = &s->threads[ti];
		struct snap_lock *l = &s->locks[e[ti].lock];
		l->in_deadlock = true;
		d->tids[k] = t->tid;
		d->locks[k] = l->address;
		d->symbols[k] = l->symbol ? xstrdup(l->symbol) : NULL;
		d->kinds[k] = l->kind;
		d->functions[k] = wait_function(s, t);
		if (!isnan(t->blocked_s) && (isnan(d->stalled_s) || t->blocked_s < d->stalled_s))
			d->stalled_s = t->blocked_s;
	}
}

static int cmp_deadlock(const void *a, const void *b)
{
	const struct snap_deadlock *x = a, *y = b;
	return (x->tids[0] > y->tids[0]) - (x->tids[0] < y->tids[0]);
}

/* Follow the wait-for edges from every thread; each cycle found whose
 * threads all made no progress over a poll interval is a deadlock. */
static void find_deadlocks(struct snapshot *s, const struct edge *e)
{
	int n = s->nthreads;
	/* 0 unvisited, 1 on the current path, 2 done */
	char *color = xcalloc((size_t)n + 1, 1);
	int *path = xmalloc(sizeof(int) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		if (color[i])
			continue;
		int len = 0, v = i;
		while (v >= 0 && !color[v]) {
			color[v] = 1;
			path[len++] = v;
			v = e[v].to;
		}
		if (v >= 0 && color[v] == 1) {
			/* A new cycle: from v to the end of the path. */
			int from = 0;
			while (path[from] != v)
				from++;
			bool stalled = true;
			for (int k = from; k < len; k++)
				if (s->threads[path[k]].stalled_polls < 1)
					stalled = false;
			if (stalled)
				add_deadlock(s, path + from, len - from, e);
		}
		for (int k = 0; k < len; k++)
			color[path[k]] = 2;
	}
	free(color);
	free(path);
	if (s->ndeadlocks > 1)
		qsort(s->deadlocks, (size_t)s->ndeadlocks, sizeof(*s->deadlocks), cmp_deadlock);
}

/* ---- steps of the analysis ------------------------------------------------ */

/* Replace earlier results: free them, start with no locks and no
 * deadlocks. */
static void reset_results(struct snapshot *s)
{
	struct snap_lock *old = s->locks;
	int nold = s->nlocks;
	struct snap_deadlock *oldd = s->deadlocks;
	int noldd = s->ndeadlocks;
	{
		struct snapshot tmp = {0};
		tmp.locks = old;
		tmp.nlocks = nold;
		tmp.deadlocks = oldd;
		tmp.ndeadlocks = noldd;
		snapshot_free_analysis(&tmp);
	}
	s->locks = xcalloc(1, sizeof(*s->locks));
	s->nlocks = 0;
	s->deadlocks = xcalloc(1, sizeof(*s->deadlocks));
	s->ndeadlocks = 0;
}

/* Say what the analysis could not see: threads whose system call is
 * unreadable, futex words whose memory is. */
static void note_blind_spots(struct snapshot *s)
{
	int n = s->nthreads;
	int unknown_sc = 0, no_mem = 0;
	for (int i = 0; i < n; i++) {
		const struct snap_thread *t = &s->threads[i];
		if (!t->syscall_known && t->state != 'R')
			unknown_sc++;
		if (t->futex.valid && !t->futex.mem_ok && t->state != 'D')
			no_mem++;
	}
	if (unknown_sc)
		snapshot_add_error(s, "locks", "%d thread(s) whose system call is unreadable are left out "
				   "of the lock analysis", unknown_sc);
	if (no_mem)
		snapshot_add_error(s, "locks", "the memory around %d futex word(s) could not be read: "
				   "their locks' holders are unknown", no_mem);
}

/* Group the nd decoded waits by (address, kind) into s->locks: sort the
 * waits, then take runs. Each waiting thread (tix[i]: index of wait i's
 * thread) gets its lock's address, and its edge the lock's index. */
static void group_waits(struct snapshot *s, const struct decoded *d, const struct snap_thread *const *who,
			const int *tix, int nd, struct edge *e)
{
	struct gkey *ord = xmalloc(sizeof(*ord) * (size_t)(nd + 1));
	for (int i = 0; i < nd; i++)
		ord[i] = (struct gkey){.address = d[i].address, .kind = d[i].kind, .i = i};
	qsort(ord, (size_t)nd, sizeof(*ord), cmp_group);
	free(s->locks);
	s->locks = xcalloc((size_t)nd + 1, sizeof(*s->locks));
	for (int g = 0; g < nd;) {
		int end = g + 1;
		while (end < nd && cmp_group(&ord[g], &ord[end]) == 0)
			end++;
		int first = ord[g].i;
		struct snap_lock *l = &s->locks[s->nlocks++];
		l->address = d[first].address;
		l->size = d[first].size;
		l->symbol = lock_symbol(&who[first]->futex, d[first].address);
		l->kind = d[first].kind;
		l->owner_tid = SNAP_UNKNOWN;
		l->readers = SNAP_UNKNOWN;
		l->max_wait_s = NAN;
		l->waiters = xcalloc((size_t)(end - g), sizeof(*l->waiters));
		for (int k = g; k < end; k++) {
			int i = ord[k].i;
			int li = s->nlocks - 1;
			if (l->owner_tid == SNAP_UNKNOWN && d[i].owner > 0)
				l->owner_tid = d[i].owner;
			if (l->readers == SNAP_UNKNOWN)
				l->readers = d[i].readers;
			struct snap_lock_waiter *w = &l->waiters[l->nwaiters++];
			w->tid = who[i]->tid;
			w->wait_s = who[i]->blocked_s;
			w->futex = who[i]->futex.addr;
			w->mode = d[i].mode;
			w->function = wait_function(s, who[i]);
			if (!isnan(w->wait_s) && (isnan(l->max_wait_s) || w->wait_s > l->max_wait_s))
				l->max_wait_s = w->wait_s;
			s->threads[tix[i]].lock_addr = l->address;
			e[tix[i]].lock = li;
		}
		g = end;
	}
	free(ord);
}

/* Each lock's owner, waiters in order, waiter history and contention. */
static void lock_details(struct snapshot *s, const struct tidx *order, const struct lock_tracker *tr)
{
	int polls = lock_tracker_polls(tr);
	for (int k = 0; k < s->nlocks; k++) {
		struct snap_lock *l = &s->locks[k];
		owner_details(s, order, l);
		qsort(l->waiters, (size_t)l->nwaiters, sizeof(*l->waiters), cmp_waiter);
		l->waiters_history = xcalloc((size_t)polls + 1, sizeof(int));
		l->nwaiters_history = lock_tracker_history(tr, l->address, l->address + (l->size ? l->size : 4),
							   l->waiters_history);
		l->contended = !event_wait(l) && contended(l->waiters_history, l->nwaiters_history);
	}
}

/* The wait-for edges: a wait that is for its lock's owner points at the
 * owner's thread. */
static void wait_for_edges(const struct snapshot *s, const struct decoded *d, const int *tix, int nd,
			   const struct tidx *order, struct edge *e)
{
	for (int i = 0; i < nd; i++) {
		const struct snap_lock *l = &s->locks[e[tix[i]].lock];
		if (!d[i].edge || l->owner_tid <= 0)
			continue;
		const struct snap_thread *o = thread_by_tid(s, order, l->owner_tid);
		if (o)
			e[tix[i]].to = (int)(o - s->threads);
	}
}

/* ---- entry point ---------------------------------------------------------- */

void locks_analyse(struct snapshot *s, const struct lock_tracker *tr)
{
	reset_results(s);
	if (!s->threads || s->nthreads == 0)
		return;

	int n = s->nthreads;
	struct tidx *order = xmalloc(sizeof(*order) * (size_t)n);
	for (int i = 0; i < n; i++)
		order[i] = (struct tidx){.tid = s->threads[i].tid, .idx = i};
	qsort(order, (size_t)n, sizeof(*order), cmp_tidx);
	struct tidset ts = {.tids = xmalloc(sizeof(int) * (size_t)n), .n = n};
	for (int i = 0; i < n; i++)
		ts.tids[i] = order[i].tid;

	for (int i = 0; i < n; i++) {
		struct snap_thread *t = &s->threads[i];
		int top = frame_first_program(s->profile, t->stack, t->nstack);
		t->top_frame = top < 0 ? -1 : t->stack[top];
		t->lock_addr = 0;
	}

	note_blind_spots(s);

	/* Decode every wait. */
	struct decoded *d = xcalloc((size_t)n + 1, sizeof(*d));
	const struct snap_thread **who = xcalloc((size_t)n + 1, sizeof(*who));
	int *tix = xmalloc(sizeof(int) * (size_t)(n + 1));
	int nd = 0;
	for (int i = 0; i < n; i++) {
		decode(s, &s->threads[i], &ts, &d[nd]);
		if (!d[nd].lock)
			continue;
		who[nd] = &s->threads[i];
		tix[nd++] = i;
	}
	resolve_rwlocks(d, nd, who);

	/* Group by (address, kind). */
	struct edge *e = xmalloc(sizeof(*e) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		e[i] = (struct edge){.to = -1, .lock = -1};
	group_waits(s, d, who, tix, nd, e);

	/* Owners, history, edges. */
	lock_details(s, order, tr);
	wait_for_edges(s, d, tix, nd, order, e);
	find_deadlocks(s, e);

	/* Most important first: deadlocked, contended, locks before event
	 * waits, more waiters, longer waits. */
	qsort(s->locks, (size_t)s->nlocks, sizeof(*s->locks), cmp_lock);

	free(e);
	free(d);
	free(who);
	free(tix);
	free(order);
	free(ts.tids);
}

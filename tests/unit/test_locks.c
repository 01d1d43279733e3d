/*
 * test_locks.c - unit tests of the lock analysis (src/locks.c) from
 * fixture snapshots built here: threads with futex waits, the target
 * memory around each futex word, data symbols and stacks, as proc_waits.c
 * and the profiler would fill them. Memory images of rwlocks and condvars
 * are the words glibc 2.36 really holds in those states (dumped by a
 * program that set them up: see the comments at each image), so the
 * decoding is checked against the real layouts, not against itself.
 * Also: the contention tracker, the first-program-frame rule, sorting,
 * and the JSON and text renderings of locks and deadlocks.
 */
#include "check.h"
#include "snapbuild.h"
#include "frame.h"
#include "locks.h"
#include "report.h"
#include "snapshot.h"
#include "util.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TID0 1000

/* ---- fixture builders ---------------------------------------------------- */

/* A snapshot of n threads (tids 1000..), all sleeping for 5 s with no
 * progress over 2 polls, and an empty profile. */
static struct snapshot *fx_new(int n)
{
	struct snapshot *s = snapshot_new();
	for (int i = 0; i < n; i++) {
		char name[16];
		snprintf(name, sizeof(name), "t%d", i);
		struct snap_thread *t = snapbuild_thread(s, TID0 + i, name, 'S', 0, 0, "", 5.0 + i);
		t->stalled_polls = 2;
		t->ctx_vol = t->ctx_invol = 10;
	}
	s->profile = xcalloc(1, sizeof(*s->profile));
	return s;
}

#define LIBC SNAPBUILD_LIBC
#define PROG "/usr/bin/app"

/* Give thread t a stack: pairs of (function, module), innermost first,
 * NULL-terminated. */
static void fx_stack(struct snapshot *s, struct snap_thread *t, ...)
{
	va_list ap;
	va_start(ap, t);
	int fr[32], n = 0;
	for (;;) {
		const char *fn = va_arg(ap, const char *);
		if (!fn)
			break;
		const char *mod = va_arg(ap, const char *);
		fr[n++] = snapbuild_frame(s->profile, fn, mod);
	}
	va_end(ap);
	snapbuild_thread_stack(t, n, fr);
}

/* Target memory: words at address base (as in the target). */
#define IMG_WORDS 1024
struct memimg {
	uint64_t base;
	uint32_t w[IMG_WORDS];
};

/* Thread t sleeps in futex(addr, op, val); its mem[] is read from img. */
static void fx_futex(struct snap_thread *t, const struct memimg *img, uint64_t addr, int op, uint32_t val)
{
	struct snap_futex *f = &t->futex;
	memset(f, 0, sizeof(*f));
	f->valid = true;
	f->addr = addr;
	f->op = op;
	f->private_op = true;
	f->val = val;
	f->mem_base = (addr - 32) & ~3ULL;
	f->mem_ok = true;
	for (int i = 0; i < SNAP_FUTEX_WORDS; i++) {
		uint64_t a = f->mem_base + 4 * (uint64_t)i;
		f->mem[i] = img && a >= img->base && a < img->base + 4 * IMG_WORDS ? img->w[(a - img->base) / 4] : 0;
	}
	str_copy(t->syscall, "futex", sizeof(t->syscall));
}

static void fx_symbol(struct snap_thread *t, const char *name, uint64_t start, uint64_t size)
{
	free(t->futex.symbol);
	t->futex.symbol = xstrdup(name);
	t->futex.symbol_addr = start;
	t->futex.symbol_size = size;
}

/* A global pthread_mutex_t at addr held by owner (0 = free). */
static void fx_mutex(struct memimg *img, uint64_t addr, int owner)
{
	uint64_t i = (addr - img->base) / 4;
	img->w[i] = owner ? 2 : 0;      /* __lock: locked with waiters */
	img->w[i + 2] = (uint32_t)owner; /* __owner @8 */
	img->w[i + 3] = owner ? 1 : 0;   /* __nusers */
}

/* The mutex wait stack of glibc 2.36. */
static void fx_mutex_stack(struct snapshot *s, struct snap_thread *t, const char *caller)
{
	fx_stack(s, t, "__lll_lock_wait", LIBC, "pthread_mutex_lock", LIBC, caller, PROG,
		 "start_thread", LIBC, "clone3", LIBC, NULL);
}

static const struct snap_lock *find_lock(const struct snapshot *s, uint64_t addr)
{
	for (int i = 0; i < s->nlocks; i++)
		if (s->locks[i].address == addr)
			return &s->locks[i];
	return NULL;
}

static bool has_waiter(const struct snap_lock *l, int tid)
{
	for (int i = 0; l && i < l->nwaiters; i++)
		if (l->waiters[i].tid == tid)
			return true;
	return false;
}

/* ---- deadlocks ----------------------------------------------------------- */

#define BASE 0x555500001000ULL
#define LOCK_A (BASE + 0x40)
#define LOCK_B (BASE + 0x80)
#define LOCK_C (BASE + 0xc0)

static struct snapshot *abba(int stalled_b)
{
	static struct memimg img;
	memset(&img, 0, sizeof(img));
	img.base = BASE;
	struct snapshot *s = fx_new(3);
	fx_mutex(&img, LOCK_A, TID0);        /* t0 holds A */
	fx_mutex(&img, LOCK_B, TID0 + 1);    /* t1 holds B */
	struct snap_thread *t0 = &s->threads[0], *t1 = &s->threads[1];
	fx_futex(t0, &img, LOCK_B, 0, 2);   /* t0 waits for B */
	fx_symbol(t0, "lock_b", LOCK_B, 40);
	fx_mutex_stack(s, t0, "transfer_ab");
	fx_futex(t1, &img, LOCK_A, 0, 2);   /* t1 waits for A */
	fx_symbol(t1, "lock_a", LOCK_A, 40);
	fx_mutex_stack(s, t1, "transfer_ba");
	t1->stalled_polls = stalled_b;
	/* t2 runs. */
	s->threads[2].state = 'R';
	s->threads[2].blocked_s = 0;
	s->threads[2].stalled_polls = 0;
	return s;
}

static void test_abba(void)
{
	struct snapshot *s = abba(1);
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->ndeadlocks, 1);
	CHECK_EQ_INT(s->nlocks, 2);
	if (s->ndeadlocks == 1) {
		const struct snap_deadlock *d = &s->deadlocks[0];
		CHECK_EQ_INT(d->ntids, 2);
		CHECK_EQ_INT(d->tids[0], TID0);      /* starts at the smallest tid */
		CHECK_EQ_INT(d->tids[1], TID0 + 1);
		CHECK_EQ_INT(d->locks[0], LOCK_B);   /* what tids[0] waits for */
		CHECK_EQ_INT(d->locks[1], LOCK_A);
		CHECK_STR(d->symbols[0], "lock_b");
		CHECK_STR(d->symbols[1], "lock_a");
		CHECK_STR(d->functions[0], "transfer_ab");
		CHECK_STR(d->functions[1], "transfer_ba");
		CHECK_EQ_INT(d->kinds[0], LOCK_KIND_MUTEX);
		CHECK_NEAR(d->stalled_s, 5.0, 1e-9); /* the shorter of the two waits */
	}
	for (int i = 0; i < s->nlocks; i++) {
		const struct snap_lock *l = &s->locks[i];
		CHECK(l->in_deadlock);
		CHECK_EQ_INT(l->kind, LOCK_KIND_MUTEX);
		CHECK_EQ_INT(l->nwaiters, 1);
		CHECK_EQ_INT(l->size, 40);
		CHECK(l->owner_state == 'S');
	}
	const struct snap_lock *a = find_lock(s, LOCK_A), *b = find_lock(s, LOCK_B);
	CHECK(a && b);
	if (a && b) {
		CHECK_STR(a->symbol, "lock_a");
		CHECK_EQ_INT(a->owner_tid, TID0);
		CHECK(has_waiter(a, TID0 + 1));
		CHECK_STR(a->owner_function, "transfer_ab");
		CHECK_STR(a->owner_syscall, "futex");
		CHECK_EQ_INT(a->nowner_stack, 5);
		CHECK_EQ_INT(b->owner_tid, TID0 + 1);
		CHECK_STR(b->waiters[0].function, "transfer_ab");
		CHECK_EQ_INT(b->waiters[0].futex, LOCK_B);
		CHECK_NEAR(b->waiters[0].wait_s, 5.0, 1e-9);
	}
	CHECK_EQ_INT(s->threads[0].lock_addr, LOCK_B);
	CHECK_EQ_INT(s->threads[1].lock_addr, LOCK_A);
	CHECK_EQ_INT(s->threads[2].lock_addr, 0);
	CHECK_STR(s->profile->frames[s->threads[0].top_frame].function, "transfer_ab");

	/* Analysing again replaces the results (no leak, same answer). */
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->ndeadlocks, 1);
	CHECK_EQ_INT(s->nlocks, 2);
	snapshot_free(s);

	/* One side made progress (context switches moved): not a deadlock. */
	s = abba(0);
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->ndeadlocks, 0);
	CHECK_EQ_INT(s->nlocks, 2);
	for (int i = 0; i < s->nlocks; i++)
		CHECK(!s->locks[i].in_deadlock);
	snapshot_free(s);

	/* A thread in D is never a lock waiter, even with futex details. */
	s = abba(1);
	s->threads[1].state = 'D';
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->ndeadlocks, 0);
	CHECK_EQ_INT(s->nlocks, 1);
	CHECK(find_lock(s, LOCK_A) == NULL);
	CHECK_EQ_INT(s->threads[1].lock_addr, 0);
	if (s->nlocks == 1) {
		CHECK_EQ_INT(s->locks[0].owner_tid, TID0 + 1);
		CHECK(s->locks[0].owner_state == 'D');
	}
	snapshot_free(s);

	/* t0's latest stack was sampled while it ran its own code (a sample
	 * from before it went to sleep): it says nothing about the wait, so
	 * the waiting function is unknown; the kind still comes from the
	 * symbol's size and offset and the deadlock from the owner fields. */
	s = abba(1);
	fx_stack(s, &s->threads[0], "compute_fee", PROG, "transfer_ab", PROG, NULL);
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->ndeadlocks, 1);
	const struct snap_lock *lb = find_lock(s, LOCK_B);
	CHECK(lb && lb->kind == LOCK_KIND_MUTEX && lb->waiters[0].function == NULL);
	CHECK(s->ndeadlocks == 1 && s->deadlocks[0].functions[0] == NULL &&
	      strcmp(s->deadlocks[0].functions[1], "transfer_ba") == 0);
	CHECK_STR(s->profile->frames[s->threads[0].top_frame].function, "compute_fee");
	/* Same with a library frame innermost that is not the wait (a sample
	 * taken in clock_gettime on the way). */
	fx_stack(s, &s->threads[0], "__vdso_clock_gettime", "[vdso]", "spin_us", PROG, "transfer_ab", PROG, NULL);
	locks_analyse(s, NULL);
	lb = find_lock(s, LOCK_B);
	CHECK(lb && lb->waiters[0].function == NULL);
	CHECK_STR(s->profile->frames[s->threads[0].top_frame].function, "spin_us");
	snapshot_free(s);
}

static void test_cycle3_and_self(void)
{
	struct memimg img = {.base = BASE};
	struct snapshot *s = fx_new(4);
	uint64_t ring[3] = {LOCK_A, LOCK_B, LOCK_C};
	const char *names[3] = {"ring_1", "ring_2", "ring_3"};
	for (int i = 0; i < 3; i++)
		fx_mutex(&img, ring[i], TID0 + i);
	for (int i = 0; i < 3; i++) {
		struct snap_thread *t = &s->threads[i];
		fx_futex(t, &img, ring[(i + 1) % 3], 0, 2);
		fx_symbol(t, names[(i + 1) % 3], ring[(i + 1) % 3], 40);
		fx_mutex_stack(s, t, "ring_step");
	}
	/* Main joins t0: an edge into the cycle, not part of it. */
	struct snap_thread *m = &s->threads[3];
	img.w[0] = TID0;   /* t0's tid field at BASE */
	fx_futex(m, &img, BASE, 9, TID0);
	fx_stack(s, m, "__futex_abstimed_wait_common", LIBC, "__pthread_clockjoin_ex", LIBC, "main", PROG, NULL);
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->ndeadlocks, 1);
	if (s->ndeadlocks == 1) {
		const struct snap_deadlock *d = &s->deadlocks[0];
		CHECK_EQ_INT(d->ntids, 3);
		CHECK_EQ_INT(d->tids[0], TID0);
		CHECK_EQ_INT(d->tids[1], TID0 + 1);
		CHECK_EQ_INT(d->tids[2], TID0 + 2);
		CHECK_STR(d->symbols[0], "ring_2");
		CHECK_STR(d->symbols[1], "ring_3");
		CHECK_STR(d->symbols[2], "ring_1");
	}
	CHECK_EQ_INT(s->nlocks, 4);
	const struct snap_lock *j = find_lock(s, BASE);
	CHECK(j != NULL);
	if (j) {
		CHECK_EQ_INT(j->kind, LOCK_KIND_JOIN);
		CHECK_EQ_INT(j->owner_tid, TID0);
		CHECK(!j->in_deadlock);
	}
	/* Deadlocked locks first, the join last. */
	CHECK(s->locks[0].in_deadlock && s->locks[1].in_deadlock && s->locks[2].in_deadlock);
	CHECK_EQ_INT(s->locks[3].kind, LOCK_KIND_JOIN);
	snapshot_free(s);

	/* Self-deadlock: a non-recursive mutex locked twice. */
	memset(&img, 0, sizeof(img));
	img.base = BASE;
	s = fx_new(1);
	fx_mutex(&img, LOCK_A, TID0);
	fx_futex(&s->threads[0], &img, LOCK_A, 0, 2);
	fx_symbol(&s->threads[0], "self_lock", LOCK_A, 40);
	fx_mutex_stack(s, &s->threads[0], "relock_twice");
	s->threads[0].stalled_polls = 1;
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->ndeadlocks, 1);
	if (s->ndeadlocks == 1) {
		CHECK_EQ_INT(s->deadlocks[0].ntids, 1);
		CHECK_EQ_INT(s->deadlocks[0].tids[0], TID0);
		CHECK_STR(s->deadlocks[0].symbols[0], "self_lock");
	}
	CHECK_EQ_INT(s->nlocks, 1);
	CHECK(s->nlocks == 1 && s->locks[0].owner_tid == TID0 && s->locks[0].in_deadlock);
	snapshot_free(s);

	/* pthread_join of a thread that waits for a mutex the joiner holds:
	 * a deadlock through a join edge, decoded without any stack (the
	 * join from its tid word, the mutex from its owner field). */
	memset(&img, 0, sizeof(img));
	img.base = BASE;
	s = fx_new(2);
	img.w[0] = TID0 + 1;                      /* t1's tid field at BASE */
	fx_mutex(&img, LOCK_A, TID0);
	img.w[(LOCK_A - BASE) / 4 + 4] = 0;       /* __kind: normal */
	fx_futex(&s->threads[0], &img, BASE, 9, TID0 + 1);
	fx_futex(&s->threads[1], &img, LOCK_A, 0, 2);
	free(s->profile);
	s->profile = NULL;
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->nlocks, 2);
	CHECK_EQ_INT(s->ndeadlocks, 1);
	const struct snap_lock *jl = find_lock(s, BASE), *ml = find_lock(s, LOCK_A);
	CHECK(jl && jl->kind == LOCK_KIND_JOIN && jl->owner_tid == TID0 + 1);
	CHECK(ml && ml->kind == LOCK_KIND_MUTEX && ml->owner_tid == TID0);
	CHECK(ml && ml->symbol == NULL && ml->waiters[0].function == NULL);
	CHECK_EQ_INT(s->threads[0].top_frame, -1);
	snapshot_free(s);
}

/* ---- kinds --------------------------------------------------------------- */

/* pthread_rwlock_t words of glibc 2.36 with 2 readers holding it and two
 * writers waiting: one on __wrphase_futex (+8, waiting for the readers),
 * one on __writers_futex (+12, waiting for the first writer). */
static const uint32_t rw_readers_held[14] = {0x12, 0, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
/* ... held by a writer (__cur_writer @24 = its tid), a reader waiting on
 * +8 and a writer on +12. */
static const uint32_t rw_writer_held[14] = {0x13, 0, 3, 3, 0, 0, 0 /* tid */, 0, 0, 0, 0, 0, 0, 0};
/* pthread_cond_t after a signal with 3 waiters: one on __g_signals[0]
 * (+40), two on __g_signals[1] (+44); __wrefs @36 = 3 << 3. */
static const uint32_t cond_3waiters[12] = {9, 0, 1, 0, 2, 4, 1, 0, 8, 0x18, 0, 0};

static void test_rwlock(void)
{
	/* A heap rwlock (no symbol) held by readers: both writers must end
	 * up on the same lock at its start, though +12 alone is ambiguous. */
	uint64_t rw = BASE + 0x100;
	struct memimg img = {.base = BASE};
	memcpy(&img.w[(rw - BASE) / 4], rw_readers_held, sizeof(rw_readers_held));
	struct snapshot *s = fx_new(3);
	fx_futex(&s->threads[0], &img, rw + 12, 9, 3);
	fx_stack(s, &s->threads[0], "__futex_abstimed_wait_common", LIBC, "__pthread_rwlock_wrlock_full64", LIBC,
		 "pthread_rwlock_wrlock", LIBC, "update_table", PROG, NULL);
	fx_futex(&s->threads[1], &img, rw + 8, 9, 2);
	fx_stack(s, &s->threads[1], "__futex_abstimed_wait_common", LIBC, "pthread_rwlock_wrlock", LIBC,
		 "update_table", PROG, NULL);
	s->threads[2].state = 'S';   /* a reader, sleeping while it holds the lock */
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->nlocks, 1);
	const struct snap_lock *l = find_lock(s, rw);
	CHECK(l != NULL);
	if (l) {
		CHECK_EQ_INT(l->kind, LOCK_KIND_RWLOCK);
		CHECK_EQ_INT(l->nwaiters, 2);
		CHECK_EQ_INT(l->readers, 2);
		CHECK_EQ_INT(l->owner_tid, SNAP_UNKNOWN);
		CHECK_EQ_INT(l->size, 56);
		for (int i = 0; i < l->nwaiters; i++)
			CHECK_EQ_INT(l->waiters[i].mode, LOCK_MODE_WRITE);
		CHECK_STR(l->waiters[0].function, "update_table");
	}
	CHECK_EQ_INT(s->ndeadlocks, 0);
	snapshot_free(s);

	/* Writer-held, global (symbol): reader on +8, writer on +12, owner
	 * from __cur_writer; the reader/writer modes from the stacks. */
	memset(&img, 0, sizeof(img));
	img.base = BASE;
	memcpy(&img.w[(rw - BASE) / 4], rw_writer_held, sizeof(rw_writer_held));
	img.w[(rw - BASE) / 4 + 6] = TID0 + 2;
	s = fx_new(3);
	fx_futex(&s->threads[0], &img, rw + 8, 9, 3);
	fx_symbol(&s->threads[0], "table_lock", rw, 56);
	fx_stack(s, &s->threads[0], "__futex_abstimed_wait_common", LIBC, "__pthread_rwlock_rdlock_full64", LIBC,
		 "pthread_rwlock_rdlock", LIBC, "read_table", PROG, NULL);
	fx_futex(&s->threads[1], &img, rw + 12, 9, 3);
	fx_symbol(&s->threads[1], "table_lock", rw, 56);
	fx_stack(s, &s->threads[1], "__futex_abstimed_wait_common", LIBC, "pthread_rwlock_wrlock", LIBC,
		 "update_table", PROG, NULL);
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->nlocks, 1);
	l = find_lock(s, rw);
	CHECK(l != NULL);
	if (l) {
		CHECK_STR(l->symbol, "table_lock");
		CHECK_EQ_INT(l->owner_tid, TID0 + 2);
		CHECK_EQ_INT(l->readers, 0);   /* write phase: the reader waits */
		CHECK_EQ_INT(l->nwaiters, 2);
		int modes = 0;
		for (int i = 0; i < l->nwaiters; i++) {
			if (l->waiters[i].tid == TID0 && l->waiters[i].mode == LOCK_MODE_READ)
				modes++;
			if (l->waiters[i].tid == TID0 + 1 && l->waiters[i].mode == LOCK_MODE_WRITE)
				modes++;
		}
		CHECK_EQ_INT(modes, 2);
	}
	snapshot_free(s);

	/* Without stacks, the symbol's size (56) and offset say rwlock. */
	s = fx_new(3);
	free(s->profile);
	s->profile = NULL;
	fx_futex(&s->threads[0], &img, rw + 12, 9, 3);
	fx_symbol(&s->threads[0], "table_lock", rw, 56);
	locks_analyse(s, NULL);
	CHECK(s->nlocks == 1 && s->locks[0].kind == LOCK_KIND_RWLOCK && s->locks[0].address == rw &&
	      s->locks[0].owner_tid == TID0 + 2 && s->locks[0].waiters[0].mode == LOCK_MODE_NONE);
	snapshot_free(s);
}

static void test_condvar_internal_pi_sem(void)
{
	uint64_t cv = BASE + 0x200;
	struct memimg img = {.base = BASE};
	memcpy(&img.w[(cv - BASE) / 4], cond_3waiters, sizeof(cond_3waiters));
	struct snapshot *s = fx_new(7);
	/* Heap condvar (no symbol): waiters on +40 and +44 are one condvar. */
	for (int i = 0; i < 3; i++) {
		fx_futex(&s->threads[i], &img, cv + (i == 0 ? 40 : 44), 9, 0);
		fx_stack(s, &s->threads[i], "__futex_abstimed_wait_common", LIBC, "___pthread_cond_wait", LIBC,
			 "take_job", PROG, NULL);
	}
	/* stdout's FILE lock (glibc-internal), owner not recorded. */
	uint64_t io = BASE + 0x300;
	img.w[(io - BASE) / 4] = 2;
	fx_futex(&s->threads[3], &img, io, 0, 2);
	fx_symbol(&s->threads[3], "_IO_stdfile_1_lock", io, 16);
	fx_stack(s, &s->threads[3], "__lll_lock_wait_private", LIBC, "__vfprintf_internal", LIBC, "printf", LIBC,
		 "print_status", PROG, NULL);
	/* A PI mutex: FUTEX_LOCK_PI, owner in the word with FUTEX_WAITERS. */
	uint64_t pi = BASE + 0x340;
	img.w[(pi - BASE) / 4] = 0x80000000U | (TID0 + 6);
	fx_futex(&s->threads[4], &img, pi, 6, 0);
	fx_symbol(&s->threads[4], "pi_lock", pi, 40);
	fx_stack(s, &s->threads[4], "__futex_lock_pi64", LIBC, "__pthread_mutex_lock_full", LIBC, "take_pi", PROG,
		 NULL);
	/* A semaphore. */
	uint64_t sem = BASE + 0x380;
	fx_futex(&s->threads[5], &img, sem, 9, 0);
	fx_symbol(&s->threads[5], "slots", sem, 32);
	fx_stack(s, &s->threads[5], "__futex_abstimed_wait_common", LIBC, "__new_sem_wait_slow64", LIBC,
		 "wait_slot", PROG, NULL);
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->nlocks, 4);
	CHECK_EQ_INT(s->ndeadlocks, 0);
	const struct snap_lock *l = find_lock(s, cv);
	CHECK(l && l->kind == LOCK_KIND_CONDVAR && l->nwaiters == 3 && l->owner_tid == SNAP_UNKNOWN &&
	      !l->in_deadlock && l->size == 48);
	l = find_lock(s, io);
	CHECK(l && l->kind == LOCK_KIND_INTERNAL && l->owner_tid == SNAP_UNKNOWN);
	CHECK(l && l->symbol && strcmp(l->symbol, "_IO_stdfile_1_lock") == 0);
	CHECK(l && l->waiters[0].function && strcmp(l->waiters[0].function, "print_status") == 0);
	l = find_lock(s, pi);
	CHECK(l && l->kind == LOCK_KIND_PI_MUTEX && l->owner_tid == TID0 + 6 && l->owner_state == 'S');
	l = find_lock(s, sem);
	CHECK(l && l->kind == LOCK_KIND_SEMAPHORE && l->owner_tid == SNAP_UNKNOWN);
	/* Event waits (condvar, semaphore) after the locks with holders. */
	CHECK(s->locks[2].kind == LOCK_KIND_CONDVAR || s->locks[2].kind == LOCK_KIND_SEMAPHORE);
	CHECK(s->locks[3].kind == LOCK_KIND_CONDVAR || s->locks[3].kind == LOCK_KIND_SEMAPHORE);
	snapshot_free(s);

	/* Not lock waits: FUTEX_WAKE, Go's idle M, and threads with no futex. */
	s = fx_new(3);
	fx_futex(&s->threads[0], &img, BASE, 1, 1);
	fx_futex(&s->threads[1], &img, BASE + 8, 0, 0);
	fx_stack(s, &s->threads[1], "runtime.futex", "/srv/gosvc", "runtime.futexsleep", "/srv/gosvc",
		 "runtime.notesleep", "/srv/gosvc", "runtime.stopm", "/srv/gosvc", NULL);
	locks_analyse(s, NULL);
	CHECK_EQ_INT(s->nlocks, 0);
	CHECK(s->locks != NULL);   /* analysed: [] not null */
	CHECK(s->deadlocks != NULL && s->ndeadlocks == 0);
	/* Nothing known about a futex word: "unknown", one waiter. */
	fx_stack(s, &s->threads[1], "syscall", LIBC, "my_futex_wait", PROG, NULL);
	locks_analyse(s, NULL);
	CHECK(s->nlocks == 1 && s->locks[0].kind == LOCK_KIND_UNKNOWN &&
	      strcmp(s->locks[0].waiters[0].function, "my_futex_wait") == 0);
	snapshot_free(s);
}

/* ---- top frame ------------------------------------------------------------- */

/* The frame index of the first program frame (frame.h), or -1. */
static int top_frame(const struct snap_profile *p, const int *stack, int n)
{
	int i = frame_first_program(p, stack, n);
	return i < 0 ? -1 : stack[i];
}

static void test_top_frame(void)
{
	struct snapshot *s = fx_new(5);
	/* Dynamic binary: libc frames skipped. */
	fx_stack(s, &s->threads[0], "read", LIBC, "flush_journal", PROG, "main", PROG, NULL);
	/* Static binary: glibc's functions are in the program's module. */
	fx_stack(s, &s->threads[1], "__lll_lock_wait", PROG, "___pthread_mutex_lock", PROG, "__libc_read", PROG,
		 "post_entry", PROG, "start_thread", PROG, NULL);
	/* Go: runtime and syscall wrappers skipped. */
	fx_stack(s, &s->threads[2], "runtime.futex", "/srv/go", "runtime.futexsleep", "/srv/go",
		 "syscall.Syscall", "/srv/go", "internal/poll.(*FD).Read", "/srv/go", "main.handle", "/srv/go",
		 NULL);
	/* Nothing of the program. */
	fx_stack(s, &s->threads[3], "epoll_wait", LIBC, "0x7f0000001234", "[unknown]", NULL);
	/* Program code innermost; C++ runtime skipped. */
	fx_stack(s, &s->threads[4], "std::condition_variable::wait(std::unique_lock<std::mutex>&)",
		 "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "Queue::pop()", PROG, NULL);
	const struct snap_profile *p = s->profile;
	const char *want[5] = {"flush_journal", "post_entry", "main.handle", NULL, "Queue::pop()"};
	for (int i = 0; i < 5; i++) {
		int f = top_frame(p, s->threads[i].stack, s->threads[i].nstack);
		if (want[i])
			CHECK(f >= 0 && strcmp(p->frames[f].function, want[i]) == 0);
		else
			CHECK_EQ_INT(f, -1);
	}
	CHECK_EQ_INT(top_frame(NULL, s->threads[0].stack, 3), -1);
	CHECK_EQ_INT(top_frame(p, NULL, 0), -1);
	locks_analyse(s, NULL);
	CHECK(s->threads[0].top_frame >= 0 &&
	      strcmp(p->frames[s->threads[0].top_frame].function, "flush_journal") == 0);
	CHECK_EQ_INT(s->threads[3].top_frame, -1);
	snapshot_free(s);
}

/* ---- contention ---------------------------------------------------------------- */

static void test_tracker(void)
{
	struct lock_tracker *tr = lock_tracker_new();
	CHECK_EQ_INT(lock_tracker_polls(tr), 0);
	uint64_t p1[] = {LOCK_A, LOCK_B, LOCK_A, LOCK_A + 4, LOCK_C};
	uint64_t p2[] = {LOCK_A};
	lock_tracker_add(tr, p1, 5);
	lock_tracker_add(tr, p2, 1);
	lock_tracker_add(tr, NULL, 0);
	CHECK_EQ_INT(lock_tracker_polls(tr), 3);
	int h[LOCKS_HISTORY_MAX];
	CHECK_EQ_INT(lock_tracker_history(tr, LOCK_A, LOCK_A + 40, h), 3);
	CHECK_EQ_INT(h[0], 3);
	CHECK_EQ_INT(h[1], 1);
	CHECK_EQ_INT(h[2], 0);
	lock_tracker_history(tr, LOCK_B, LOCK_B + 4, h);
	CHECK(h[0] == 1 && h[1] == 0 && h[2] == 0);
	/* The ring keeps the last LOCKS_HISTORY_MAX polls. */
	for (int i = 0; i < LOCKS_HISTORY_MAX + 5; i++) {
		uint64_t w[4] = {LOCK_C, LOCK_C, LOCK_C, LOCK_C};
		lock_tracker_add(tr, w, i % 5);
	}
	CHECK_EQ_INT(lock_tracker_polls(tr), LOCKS_HISTORY_MAX);
	lock_tracker_history(tr, LOCK_C, LOCK_C + 40, h);
	CHECK_EQ_INT(h[LOCKS_HISTORY_MAX - 1], (LOCKS_HISTORY_MAX + 4) % 5);
	lock_tracker_free(tr);
	lock_tracker_free(NULL);

	/* Contended: many waiters at most polls puts the lock first even
	 * with fewer waiters right now than a quiet lock. */
	struct memimg img = {.base = BASE};
	fx_mutex(&img, LOCK_A, TID0 + 7);
	fx_mutex(&img, LOCK_B, TID0 + 7);
	struct snapshot *s = fx_new(8);
	for (int i = 0; i < 2; i++) {
		fx_futex(&s->threads[i], &img, LOCK_A, 0, 2);
		fx_symbol(&s->threads[i], "hot_lock", LOCK_A, 40);
		fx_mutex_stack(s, &s->threads[i], "update_ledger");
		s->threads[i].stalled_polls = 0;
	}
	for (int i = 2; i < 5; i++) {
		fx_futex(&s->threads[i], &img, LOCK_B, 0, 2);
		fx_mutex_stack(s, &s->threads[i], "slow_path");
		s->threads[i].stalled_polls = 0;
	}
	s->threads[7].state = 'R';
	tr = lock_tracker_new();
	uint64_t busy[6] = {LOCK_A, LOCK_A, LOCK_A, LOCK_A, LOCK_A, LOCK_B};
	uint64_t now[5] = {LOCK_A, LOCK_A, LOCK_B, LOCK_B, LOCK_B};
	lock_tracker_add(tr, busy, 6);
	lock_tracker_add(tr, busy, 6);
	lock_tracker_add(tr, busy, 4);
	lock_tracker_add(tr, now, 5);
	locks_analyse(s, tr);
	CHECK_EQ_INT(s->nlocks, 2);
	CHECK_EQ_INT(s->ndeadlocks, 0);
	if (s->nlocks == 2) {
		CHECK_EQ_INT(s->locks[0].address, LOCK_A);
		CHECK(s->locks[0].contended);
		CHECK(!s->locks[1].contended);
		CHECK_EQ_INT(s->locks[0].nwaiters_history, 4);
		CHECK(s->locks[0].waiters_history[0] == 5 && s->locks[0].waiters_history[3] == 2);
		CHECK(s->locks[1].waiters_history[0] == 1 && s->locks[1].waiters_history[3] == 3);
		CHECK_EQ_INT(s->locks[0].owner_tid, TID0 + 7);
		CHECK(s->locks[0].owner_state == 'R');
	}
	/* Many threads parked on a condvar at every poll: not contention. */
	{
		uint64_t cv = BASE + 0x200;
		struct memimg ci = {.base = BASE};
		memcpy(&ci.w[(cv - BASE) / 4], cond_3waiters, sizeof(cond_3waiters));
		struct snapshot *c = fx_new(4);
		for (int i = 0; i < 4; i++) {
			fx_futex(&c->threads[i], &ci, cv + 40, 9, 0);
			fx_symbol(&c->threads[i], "pool_cond", cv, 48);
		}
		struct lock_tracker *ct = lock_tracker_new();
		uint64_t four[4] = {cv + 40, cv + 40, cv + 40, cv + 40};
		for (int k = 0; k < 3; k++)
			lock_tracker_add(ct, four, 4);
		locks_analyse(c, ct);
		CHECK(c->nlocks == 1 && c->locks[0].kind == LOCK_KIND_CONDVAR && !c->locks[0].contended &&
		      c->locks[0].nwaiters_history == 3 && c->locks[0].waiters_history[2] == 4);
		lock_tracker_free(ct);
		snapshot_free(c);
	}
	/* Without history nothing is contended and more waiters come first. */
	locks_analyse(s, NULL);
	CHECK(s->nlocks == 2 && s->locks[0].address == LOCK_B && !s->locks[0].contended &&
	      s->locks[0].nwaiters_history == 0);
	lock_tracker_free(tr);
	snapshot_free(s);
}

/* ---- views ---------------------------------------------------------------------- */

static void test_views(void)
{
	struct snapshot *s = abba(2);
	s->threads[2].state = 'S';
	str_copy(s->threads[2].syscall, "read", sizeof(s->threads[2].syscall));
	str_copy(s->threads[2].syscall_arg, "fd 3: pipe:[61939]", sizeof(s->threads[2].syscall_arg));
	locks_analyse(s, NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CHECK(report_json_write(s, f) == 0);
	fclose(f);
	json_error_t err;
	json_t *root = json_loads(buf, 0, &err);
	CHECK(root != NULL);
	free(buf);
	if (root) {
		json_t *locks = json_object_get(root, "locks"), *dl = json_object_get(root, "deadlocks");
		CHECK(json_is_array(locks) && json_array_size(locks) == 2);
		CHECK(json_is_array(dl) && json_array_size(dl) == 1);
		json_t *l = json_array_get(locks, 0);
		static const char *const keys[] = {
			"address", "symbol", "kind", "owner_tid", "waiters", "max_wait_s", "waiter_details",
			"owner_function", "owner_state", "owner_syscall", "waiters_history", "contended",
			"in_deadlock", "owner_syscall_arg", "owner_blocked_s", "owner_stack", "readers", "size", NULL
		};
		for (int i = 0; keys[i]; i++)
			CHECK(json_object_get(l, keys[i]) != NULL);
		CHECK(json_is_array(json_object_get(l, "owner_stack")));
		CHECK(json_is_null(json_object_get(l, "readers")));
		CHECK(json_integer_value(json_object_get(l, "size")) == 40);
		json_t *wd = json_array_get(json_object_get(l, "waiter_details"), 0);
		CHECK(json_is_string(json_object_get(wd, "futex")));
		json_t *d = json_array_get(dl, 0);
		CHECK(json_array_size(json_object_get(d, "threads")) == 2);
		CHECK(json_is_string(json_array_get(json_object_get(d, "symbols"), 0)));
		CHECK(json_array_size(json_object_get(d, "functions")) == 2);
		CHECK(strcmp(json_string_value(json_array_get(json_object_get(d, "kinds"), 0)), "mutex") == 0);
		json_t *t0 = json_array_get(json_object_get(root, "threads"), 0);
		CHECK(strcmp(json_string_value(json_object_get(t0, "lock")), "0x555500001080") == 0);
		CHECK(strcmp(json_string_value(json_object_get(t0, "top_function")), "transfer_ab") == 0);
		json_t *t2 = json_array_get(json_object_get(root, "threads"), 2);
		CHECK(json_is_null(json_object_get(t2, "lock")));
		CHECK(strcmp(json_string_value(json_object_get(t2, "syscall_arg")), "fd 3: pipe:[61939]") == 0);
		json_decref(root);
	}
	buf = NULL;
	f = open_memstream(&buf, &len);
	CHECK(report_text_write(s, f) == 0);
	fclose(f);
	CHECK(strstr(buf, "DEADLOCKS (1)") != NULL);
	CHECK(strstr(buf, "thread 1000 (t0) in transfer_ab waits for mutex lock_b 0x555500001080 held by 1001 (t1)") != NULL);
	CHECK(strstr(buf, "Locks (2 with waiters") != NULL);
	CHECK(strstr(buf, "lock_a 0x555500001040 mutex DEADLOCKED") != NULL);
	CHECK(strstr(buf, "fd 3: pipe:[61939]") != NULL);
	/* Locks and deadlocks come before the process figures. */
	CHECK(strstr(buf, "DEADLOCKS") < strstr(buf, "\nProcess\n"));
	free(buf);
	snapshot_free(s);
}

int main(void)
{
	test_abba();
	test_cycle3_and_self();
	test_rwlock();
	test_condvar_internal_pi_sem();
	test_top_frame();
	test_tracker();
	test_views();
	return CHECK_DONE();
}

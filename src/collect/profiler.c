/*
 * profiler.c - the sampling loop behind the top-functions view.
 *
 * Cost control, in order of effect:
 *  1. A blocked thread (state S or D) whose schedstat run time has not
 *     moved since its last sample is not stopped: its cached stack is
 *     counted again. Stopping it would cost a pause and, for epoll_wait
 *     or sigtimedwait, a spurious EINTR in the target (design-notes §1).
 *     Our own interrupt makes a sleeping thread run for a few
 *     microseconds, so right after a grab a small run-time change
 *     (PERTURB_NS) is still taken as "has not run".
 *  2. Threads in D are never stopped (an interrupt would wait for the IO).
 *  3. The rate is lowered when stop time exceeds PROFILER_PAUSE_BUDGET of
 *     the target's thread time, and raised back when well under it.
 * Symbolization is cached per IP; frames are interned by name+module so
 * stacks are small integer arrays.
 */
#include "profiler.h"
#include "frame.h"
#include "intern.h"
#include "maps.h"
#include "proc_parse.h"
#include "sampler.h"
#include "symbols.h"
#include "u64map.h"
#include "unwind.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STACK_COPY_BYTES (32 * 1024)
#define SYS_RESTART_SYSCALL 219
#define PERTURB_NS 300000               /* run time our own interrupt may add */
#define MAX_PAUSES (1 << 20)
#define MAX_SKIP 16                     /* an idle thread is re-checked at least every 16 rounds */
#define MAX_CACHED_FDS 4096             /* schedstat files kept open for pread */
#define RELIST_S 0.2                    /* how often the thread list is re-read */

struct thr {
	int tid;
	bool alive;                     /* seen in the current round */
	int64_t last_run_ns;
	bool perturbed;                 /* grabbed while asleep at the last sample */
	long sc_nr;                     /* syscall it slept in at that grab, -1 none */
	uint64_t sc_arg0;               /* and its first argument */
	int *frames;
	int nframes;
	uint64_t *ips;                  /* raw addresses of the latest stack */
	char state;                     /* at the last check */
	int ss_fd;                      /* open task/TID/schedstat, or -1 */
	int idle_checks;                /* consecutive checks that found it idle */
	int skip;                       /* rounds to count its cached stack unchecked */
	bool gone;
};

struct profiler {
	int pid, piddir;
	char root[64];
	double hz_req, hz;
	double next;                    /* monotonic time of the next round */
	double started;
	struct procmap *pm;
	double maps_checked;
	struct unwinder *uw;
	struct sampler_pool *pool;      /* grab window and stack buffers */
	struct {                        /* threads to grab this round */
		int idx;                /* into thr */
		bool blocked;
		int64_t run_ns;
	} *queue;
	int nqueue, capqueue;
	struct thr *thr;
	int nthr;                       /* sorted by tid */
	int cached_fds;
	double listed;                  /* when the thread list was last read */
	/* frames: (function, module) pairs, the index is the frame */
	struct intern frames;
	struct u64map ipc;              /* frame_of's key -> frame; cleared when the maps change */
	/* merged stacks */
	struct snap_stack *stacks;
	int nstacks, capstacks;
	struct u64map sh;               /* record's key -> index into stacks */
	int64_t samples_total;
	int64_t rounds;                 /* since start/reset */
	/* pauses */
	float *pauses;
	size_t npauses, cappauses;
	double pause_max_us;
	int64_t stops;
	/* budget, over the last second */
	double budget_t0, budget_pause_ns, budget_thread_s;
	char status[512];
	bool gave_up;
	int refused;                    /* grabs refused (EPERM) in this round */
	bool ever_grabbed;              /* a grab has worked since profiler_new */
	int64_t life_rounds;            /* rounds since profiler_new (not reset) */
	bool leader_refused;
};

/* Frame index for instruction pointer ip; `ret` is true for return
 * addresses (every frame but the innermost), which point after the call. */
static int frame_of(struct profiler *p, uint64_t ip, bool ret)
{
	uint64_t key = ip ^ (ret ? 0 : (1ULL << 63));
	uint32_t f;
	if (u64map_find(&p->ipc, key, &f))
		return (int)f;
	char name[1024];
	const char *modpath = "[unknown]";
	const struct mapping *m = p->pm ? procmap_find(p->pm, ip) : NULL;
	if (m && m->mod) {
		uint64_t vaddr = ip - m->bias;
		uint64_t off;
		symbols_load(m->mod, p->root);
		const char *fn = symbols_func(m->mod, ret ? vaddr - 1 : vaddr, &off);
		if (fn)
			str_copy(name, fn, sizeof(name));
		else
			snprintf(name, sizeof(name), "%s+0x%llx", m->mod->name, (unsigned long long)vaddr);
		modpath = m->mod->path;
	} else if (m && m->path[0]) {
		snprintf(name, sizeof(name), "%s+0x%llx", m->path, (unsigned long long)(ip - m->start));
		modpath = m->path;
	} else {
		snprintf(name, sizeof(name), "0x%llx", (unsigned long long)ip);
	}
	int fr = intern_add_pair(&p->frames, name, modpath);
	u64map_put(&p->ipc, key, (uint32_t)fr);
	return fr;
}

static uint64_t stack_hash(int tid, bool running, const int *fr, int n)
{
	uint64_t h = hash64((uint64_t)tid * 2 + running);
	for (int i = 0; i < n; i++)
		h = hash64(h ^ (uint64_t)fr[i]);
	return h;
}

/* Count one sample of the stack fr[0..n) of thread tid. Stacks are
 * found by their hash; a stack whose hash is taken by another stack
 * tries hash64(hash + 1), and so on, until it finds itself or a free key
 * (keys are only ever removed all at once, so the chain never breaks). */
static void record(struct profiler *p, int tid, bool running, const int *fr, int n)
{
	p->samples_total++;
	uint64_t key = stack_hash(tid, running, fr, n);
	uint32_t i;
	while (u64map_find(&p->sh, key, &i)) {
		struct snap_stack *st = &p->stacks[i];
		if (st->tid == tid && st->running == running && st->nframes == n &&
		    memcmp(st->frames, fr, sizeof(int) * (size_t)n) == 0) {
			st->count++;
			return;
		}
		key = hash64(key + 1);
	}
	ARRAY_GROW(p->stacks, p->nstacks, p->capstacks, 256);
	struct snap_stack *st = &p->stacks[p->nstacks];
	st->count = 1;
	st->tid = tid;
	st->running = running;
	st->nframes = n;
	st->frames = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	memcpy(st->frames, fr, sizeof(int) * (size_t)n);
	u64map_put(&p->sh, key, (uint32_t)p->nstacks++);
}

static void refresh_maps(struct profiler *p, bool force)
{
	double now = now_mono();
	if (!force && p->pm && now - p->maps_checked < 1.0)
		return;
	p->maps_checked = now;
	struct procmap *n = procmap_refresh(p->pm, p->piddir);
	if (!n)
		return;   /* process gone; the observer reports it */
	if (n != p->pm) {
		p->pm = n;
		unwinder_set_map(p->uw, n);
		u64map_clear(&p->ipc);
	}
}

static void add_pause(struct profiler *p, uint64_t ns)
{
	double us = (double)ns / 1000.0;
	if (us > p->pause_max_us)
		p->pause_max_us = us;
	p->stops++;
	p->budget_pause_ns += (double)ns;
	if (p->npauses == p->cappauses && p->cappauses >= MAX_PAUSES)
		return;
	ARRAY_GROW(p->pauses, p->npauses, p->cappauses, 1024);
	p->pauses[p->npauses++] = (float)us;
}

/* Right after a grab, a sleeping thread has run a little (our own
 * interrupt), so a small run-time change cannot tell "still in the same
 * wait" from "woke, did a little work, and went to sleep elsewhere".
 * Compare the syscall it is in now with the one it was in at the grab
 * (a sleep we interrupted continues as restart_syscall). */
static bool same_wait_as_grab(struct profiler *p, const struct thr *t)
{
	if (t->sc_nr < 0)
		return false;
	char path[64], buf[256];
	snprintf(path, sizeof(path), "task/%d/syscall", t->tid);
	struct task_syscall sc;
	if (read_file_at(p->piddir, path, buf, sizeof(buf)) <= 0 || parse_syscall(buf, &sc) < 0 ||
	    sc.kind != SYSCALL_IN)
		return false;
	return sc.nr == SYS_RESTART_SYSCALL || (sc.nr == t->sc_nr && sc.args[0] == t->sc_arg0);
}

/* True when thread t has not run since its last sample (run time from
 * schedstat unchanged, or changed only by our own interrupt of it). */
static bool has_not_run(struct profiler *p, struct thr *t, int64_t run_ns)
{
	if (run_ns < 0 || t->last_run_ns < 0)
		return false;
	int64_t d = run_ns - t->last_run_ns;
	if (!t->perturbed)
		return d == 0;
	if (d > PERTURB_NS || !same_wait_as_grab(p, t))
		return false;
	t->last_run_ns = run_ns;
	t->perturbed = false;
	return true;
}

/* Count a thread's cached stack without stopping it when it is blocked
 * and has not run since its last sample (or is in D, which is never
 * interrupted). Returns true when it still needs a grab. */
static bool reuse_or_queue(struct profiler *p, struct thr *t, char state, int64_t run_ns)
{
	bool blocked = state != 'R';
	if (blocked && t->frames && (state == 'D' || has_not_run(p, t, run_ns))) {
		/* Has not run since: same stack, no stop. */
		record(p, t->tid, false, t->frames, t->nframes);
		return false;
	}
	return state != 'D';   /* never interrupt uninterruptible sleep */
}

/* Unwind, symbolize and record one grab of thread t. */
static void finish_grab(struct profiler *p, struct thr *t, bool blocked, int64_t run_ns,
			const struct stack_grab *g)
{
	if (g->status == GRAB_OK || g->status == GRAB_STOPPED)
		add_pause(p, g->pause_ns);
	switch (g->status) {
	case GRAB_OK:
		p->ever_grabbed = true;
		break;
	case GRAB_STOPPED:
		snprintf(p->status, sizeof(p->status), "process %d is stopped (SIGSTOP/SIGTSTP): "
			 "left stopped, not sampled; `kill -CONT %d` resumes it", p->pid, p->pid);
		return;
	case GRAB_DENIED:
	case GRAB_TRACED:
		sampler_explain_denied(p->pid, p->status, sizeof(p->status));
		/* Decided at the end of the round (round_once). */
		p->refused++;
		if (t->tid == p->pid)
			p->leader_refused = true;
		return;
	default:
		return;   /* gone, pending: nothing to count */
	}
	uint64_t ips[UNWIND_MAX_FRAMES];
	int n = unwinder_unwind(p->uw, g, ips, UNWIND_MAX_FRAMES);
	const struct mapping *m0 = p->pm ? procmap_find(p->pm, ips[0]) : NULL;
	if (!m0)
		refresh_maps(p, true);   /* new code mapped since (dlopen, JIT) */
	int fr[UNWIND_MAX_FRAMES];
	for (int i = 0; i < n; i++)
		fr[i] = frame_of(p, ips[i], i > 0);
	free(t->frames);
	t->frames = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	memcpy(t->frames, fr, sizeof(int) * (size_t)n);
	free(t->ips);
	t->ips = xmalloc(sizeof(uint64_t) * (size_t)(n ? n : 1));
	memcpy(t->ips, ips, sizeof(uint64_t) * (size_t)n);
	t->nframes = n;
	t->last_run_ns = run_ns;
	t->perturbed = blocked;
	/* The syscall it sleeps in (orig_rax is -1 outside one). */
	t->sc_nr = blocked ? (long)g->regs.orig_rax : -1;
	t->sc_arg0 = g->regs.rdi;
	record(p, t->tid, !blocked, fr, n);
}

static void on_grab(void *ctx, int idx, const struct stack_grab *g)
{
	struct profiler *p = ctx;
	finish_grab(p, &p->thr[p->queue[idx].idx], p->queue[idx].blocked, p->queue[idx].run_ns, g);
}

/* Grab the queued threads (sampler_grab_many: many at once); each is
 * unwound while no other stopped thread waits for us. */
static void grab_queued(struct profiler *p)
{
	if (!p->nqueue)
		return;
	int *tids = xmalloc(sizeof(int) * (size_t)p->nqueue);
	for (int i = 0; i < p->nqueue; i++)
		tids[i] = p->thr[p->queue[i].idx].tid;
	sampler_grab_many(p->pool, p->pid, tids, p->nqueue, STACK_COPY_BYTES, on_grab, p);
	free(tids);
	p->nqueue = 0;
}

/* Sample one thread: reuse its stack, or queue it for this round's grab. */
static void sample_thread(struct profiler *p, int idx, char state, int64_t run_ns)
{
	struct thr *t = &p->thr[idx];
	if (!reuse_or_queue(p, t, state, run_ns))
		return;
	ARRAY_GROW(p->queue, p->nqueue, p->capqueue, 64);
	p->queue[p->nqueue].idx = idx;
	p->queue[p->nqueue].blocked = state != 'R';
	p->queue[p->nqueue].run_ns = run_ns;
	p->nqueue++;
}

/* State letter of a thread; -1 when gone. (run_ns is left unknown.) */
static int thread_state(int piddir, int tid, char *state, int64_t *run_ns)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "task/%d/stat", tid);
	if (read_file_at(piddir, path, buf, sizeof(buf)) <= 0)
		return -1;
	const char *rp = strrchr(buf, ')');
	if (!rp || !rp[1] || !rp[2])
		return -1;
	*state = rp[2];
	*run_ns = -1;
	return 0;
}

static void thr_fini(struct profiler *p, struct thr *t)
{
	free(t->frames);
	free(t->ips);
	t->frames = NULL;
	t->ips = NULL;
	if (t->ss_fd >= 0) {
		close(t->ss_fd);
		t->ss_fd = -1;
		p->cached_fds--;
	}
}

/* Run time of thread t from its schedstat, read with pread on a kept
 * descriptor (one syscall instead of open/read/close). -1 when gone. */
static int64_t thread_run_ns(struct profiler *p, struct thr *t)
{
	char buf[128];
	if (t->ss_fd < 0) {
		char path[64];
		snprintf(path, sizeof(path), "task/%d/schedstat", t->tid);
		if (p->cached_fds >= MAX_CACHED_FDS)
			return read_file_at(p->piddir, path, buf, sizeof(buf)) > 0 ? strtoll(buf, NULL, 10) : -1;
		t->ss_fd = openat(p->piddir, path, O_RDONLY | O_CLOEXEC);
		if (t->ss_fd < 0)
			return -1;
		p->cached_fds++;
	}
	ssize_t n = pread(t->ss_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The thread ids of the process, sorted. Caller frees. */
static int *list_tids(int piddir, int *n)
{
	*n = 0;
	int taskdir = openat(piddir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (taskdir < 0)
		return NULL;
	DIR *d = fdopendir(taskdir);
	if (!d) {
		close(taskdir);
		return NULL;
	}
	int cap = 64;
	int *tids = xmalloc(sizeof(int) * (size_t)cap);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		ARRAY_GROW(tids, *n, cap, 64);
		tids[(*n)++] = atoi(de->d_name);
	}
	closedir(d);
	qsort(tids, (size_t)*n, sizeof(int), cmp_int);
	return tids;
}

/* Re-read the thread list: exited threads are dropped, new ones start
 * empty. Both lists are sorted by tid. */
static void relist(struct profiler *p)
{
	int ntids;
	int *tids = list_tids(p->piddir, &ntids);
	if (!tids)
		return;
	struct thr *nt = xcalloc((size_t)ntids + 1, sizeof(*nt));
	int j = 0;
	for (int i = 0; i < ntids; i++) {
		while (j < p->nthr && p->thr[j].tid < tids[i])
			thr_fini(p, &p->thr[j++]);
		if (j < p->nthr && p->thr[j].tid == tids[i]) {
			nt[i] = p->thr[j++];
		} else {
			nt[i].tid = tids[i];
			nt[i].last_run_ns = -1;
			nt[i].sc_nr = -1;
			nt[i].ss_fd = -1;
		}
	}
	while (j < p->nthr)
		thr_fini(p, &p->thr[j++]);
	free(p->thr);
	p->thr = nt;
	p->nthr = ntids;
	free(tids);
	p->listed = now_mono();
}

/*
 * One round. Cost is what matters on processes with thousands of mostly
 * idle threads: a thread whose run time has not moved is counted with its
 * cached stack and no further reads, and while it stays idle it is
 * re-checked less and less often (every 2, 4, ... MAX_SKIP rounds); a
 * thread that ran is looked at (state) and grabbed.
 */
static void round_once(struct profiler *p)
{
	p->rounds++;
	p->life_rounds++;
	refresh_maps(p, false);
	sampler_reap_pending();
	if (!p->thr || now_mono() - p->listed >= RELIST_S)
		relist(p);

	bool stopped_seen = false;
	int alive = 0;
	if (!p->gave_up)
		p->status[0] = '\0';
	for (int i = 0; i < p->nthr && !p->gave_up; i++) {
		struct thr *t = &p->thr[i];
		if (t->gone)
			continue;
		bool idle_before = t->frames && t->state != 'R';
		if (idle_before && t->skip > 0) {
			t->skip--;
			alive++;
			record(p, t->tid, false, t->frames, t->nframes);
			continue;
		}
		int64_t run_ns = thread_run_ns(p, t);
		if (run_ns < 0) {
			t->gone = true;   /* exited; dropped at the next relist */
			continue;
		}
		alive++;
		if (idle_before && has_not_run(p, t, run_ns)) {
			/* Has not run since its last sample. */
			t->idle_checks++;
			int sh = t->idle_checks < 4 ? t->idle_checks : 4;
			t->skip = (1 << sh) - 1 < MAX_SKIP - 1 ? (1 << sh) - 1 : MAX_SKIP - 1;
			record(p, t->tid, false, t->frames, t->nframes);
			continue;
		}
		t->idle_checks = 0;
		t->skip = 0;
		char state;
		int64_t run2;
		if (thread_state(p->piddir, t->tid, &state, &run2) < 0) {
			t->gone = true;
			continue;
		}
		t->state = state;
		if (state == 'Z' || state == 'X')
			continue;
		if (state == 'T' || state == 't') {
			stopped_seen = true;   /* stopped before us: leave it alone */
			continue;
		}
		sample_thread(p, i, state, run_ns);
	}
	grab_queued(p);
	/* Refused with no grab ever working (no permission, a debugger on
	 * every thread), or the main thread refused at the first round (a
	 * debugger attached to it): no stacks at all. Otherwise someone else
	 * held a thread for a moment (another cdtop): skipped this round. */
	if (p->refused && (!p->ever_grabbed || (p->leader_refused && p->life_rounds == 1)))
		p->gave_up = true;
	p->refused = 0;
	p->leader_refused = false;
	if (stopped_seen && !p->gave_up)
		snprintf(p->status, sizeof(p->status), "process %d is stopped (state T): left stopped, "
			 "not sampled; `kill -CONT %d` resumes it", p->pid, p->pid);
	p->budget_thread_s += (double)alive / p->hz;
}

/* Lower the rate when stops cost more than the budget; raise it back. */
static void adjust_rate(struct profiler *p, double now)
{
	if (now - p->budget_t0 < 1.0)
		return;
	if (p->budget_thread_s > 0) {
		double frac = p->budget_pause_ns / 1e9 / p->budget_thread_s;
		if (frac > PROFILER_PAUSE_BUDGET) {
			p->hz = p->hz * PROFILER_PAUSE_BUDGET / frac;
			if (p->hz < 1.0)
				p->hz = 1.0;
		} else if (frac < PROFILER_PAUSE_BUDGET / 2 && p->hz < p->hz_req) {
			p->hz = p->hz * 1.25 > p->hz_req ? p->hz_req : p->hz * 1.25;
		}
	}
	if (p->hz < p->hz_req - 0.5 && !p->status[0])
		snprintf(p->status, sizeof(p->status), "sampling lowered to %.0f Hz (of %.0f) to keep "
			 "stops under %.0f%% of the target's thread time", p->hz, p->hz_req,
			 PROFILER_PAUSE_BUDGET * 100);
	p->budget_t0 = now;
	p->budget_pause_ns = 0;
	p->budget_thread_s = 0;
}

void profiler_allow_realtime(bool on)
{
	sampler_set_realtime(on);
}

struct profiler *profiler_new(int pid, int piddir, double hz, char *err, size_t errlen)
{
	struct profiler *p = xcalloc(1, sizeof(*p));
	p->pid = pid;
	p->piddir = piddir;
	snprintf(p->root, sizeof(p->root), "/proc/%d/root", pid);
	p->hz_req = p->hz = hz;
	p->uw = unwinder_new(pid);
	p->pool = sampler_pool_new();
	p->started = p->next = p->budget_t0 = now_mono();
	refresh_maps(p, true);
	/* The first round tells whether ptrace is permitted: no extra stop. */
	round_once(p);
	if (p->gave_up) {
		str_copy(err, p->status, errlen);
		profiler_free(p);
		return NULL;
	}
	p->next = now_mono() + 1.0 / p->hz;
	return p;
}

double profiler_tick(struct profiler *p)
{
	if (p->gave_up)
		return -1;
	double now = now_mono();
	if (now < p->next)
		return p->next - now;
	round_once(p);
	adjust_rate(p, now_mono());
	p->next += 1.0 / p->hz;
	now = now_mono();
	if (p->next < now)
		p->next = now;   /* fell behind: don't burst */
	return p->next - now;
}

void profiler_round_now(struct profiler *p)
{
	if (!p->gave_up)
		round_once(p);
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* A sleep interrupted by a stop (a debugger, or our own sampling before
 * this window) continues as restart_syscall. The innermost frame is the
 * libc wrapper of the original call: when it is named after a syscall
 * ("clock_nanosleep", "__poll"), show that instead. */
static void name_restarted(struct snap_thread *t, const char *fn)
{
	char name[64];
	if (frame_syscall_name(fn, name, sizeof(name)) && strcmp(name, "restart_syscall") != 0)
		str_copy(t->syscall, name, sizeof(t->syscall));
}

void profiler_fill(struct profiler *p, struct snapshot *s)
{
	struct snap_profile *pr = xcalloc(1, sizeof(*pr));
	/* What was achieved, not what was aimed at: a busy machine or the
	 * pause budget can make rounds late. */
	double span = now_mono() - p->started;
	pr->frequency_hz = span > 0.5 ? (double)p->rounds / span : p->hz;
	pr->requested_hz = p->hz_req;
	pr->samples_total = p->samples_total;
	pr->stops = p->stops;
	pr->duration_s = now_mono() - p->started;
	str_copy(pr->status, p->status, sizeof(pr->status));
	pr->pause_us_p50 = pr->pause_us_p99 = pr->pause_us_max = NAN;
	if (p->npauses) {
		float *c = xmalloc(sizeof(float) * p->npauses);
		memcpy(c, p->pauses, sizeof(float) * p->npauses);
		qsort(c, p->npauses, sizeof(float), cmp_float);
		pr->pause_us_p50 = c[p->npauses / 2];
		pr->pause_us_p99 = c[(size_t)((double)(p->npauses - 1) * 0.99)];
		pr->pause_us_max = p->pause_max_us;
		free(c);
	}
	pr->nframes = p->frames.n;
	pr->frames = xcalloc((size_t)p->frames.n + 1, sizeof(*pr->frames));
	for (int i = 0; i < p->frames.n; i++) {
		pr->frames[i].function = xstrdup(intern_at(&p->frames, i));
		pr->frames[i].module = xstrdup(intern_second(&p->frames, i));
	}
	pr->nstacks = p->nstacks;
	pr->stacks = xcalloc((size_t)p->nstacks + 1, sizeof(*pr->stacks));
	for (int i = 0; i < p->nstacks; i++) {
		pr->stacks[i] = p->stacks[i];
		pr->stacks[i].frames = xmalloc(sizeof(int) * (size_t)(p->stacks[i].nframes + 1));
		memcpy(pr->stacks[i].frames, p->stacks[i].frames, sizeof(int) * (size_t)p->stacks[i].nframes);
	}
	snap_profile_free(s->profile);
	s->profile = pr;
	for (int i = 0; i < s->nthreads; i++) {
		struct snap_thread *t = &s->threads[i];
		for (int k = 0; k < p->nthr; k++) {
			if (p->thr[k].tid != t->tid || !p->thr[k].frames)
				continue;
			free(t->stack);
			t->nstack = p->thr[k].nframes;
			t->stack = xmalloc(sizeof(int) * (size_t)(t->nstack + 1));
			memcpy(t->stack, p->thr[k].frames, sizeof(int) * (size_t)t->nstack);
			if (strcmp(t->syscall, "restart_syscall") == 0 && t->nstack)
				name_restarted(t, intern_at(&p->frames, t->stack[0]));
		}
	}
}

void profiler_reset(struct profiler *p)
{
	for (int i = 0; i < p->nstacks; i++)
		free(p->stacks[i].frames);
	p->nstacks = 0;
	u64map_clear(&p->sh);
	p->samples_total = 0;
	p->rounds = 0;
	p->npauses = 0;
	p->pause_max_us = 0;
	p->stops = 0;
	p->started = now_mono();
}

const char *profiler_status(const struct profiler *p)
{
	return p->status;
}

void profiler_free(struct profiler *p)
{
	if (!p)
		return;
	sampler_reap_pending();
	sampler_release_all();
	sampler_pool_free(p->pool);
	free(p->queue);
	unwinder_free(p->uw);
	procmap_free(p->pm);
	for (int i = 0; i < p->nthr; i++)
		thr_fini(p, &p->thr[i]);
	free(p->thr);
	intern_fini(&p->frames);
	u64map_fini(&p->ipc);
	for (int i = 0; i < p->nstacks; i++)
		free(p->stacks[i].frames);
	free(p->stacks);
	u64map_fini(&p->sh);
	free(p->pauses);
	free(p);
}

int profiler_write_stacks(struct profiler *p, FILE *f)
{
	for (int i = 0; i < p->nthr; i++) {
		struct thr *t = &p->thr[i];
		char path[64], comm[64] = "?";
		snprintf(path, sizeof(path), "task/%d/comm", t->tid);
		if (read_file_at(p->piddir, path, comm, sizeof(comm)) > 0)
			comm[strcspn(comm, "\n")] = '\0';
		char *name = utf8_sanitize(comm);
		fprintf(f, "TID %d (%s) state %c\n", t->tid, name, t->state ? t->state : '?');
		free(name);
		if (!t->ips) {
			if (t->state == 'D')
				fprintf(f, "  (uninterruptible sleep: not stopped, no stack)\n");
			else if (t->state == 'T' || t->state == 't')
				fprintf(f, "  (stopped: left alone, no stack)\n");
			else
				fprintf(f, "  (no stack: the thread exited or could not be stopped)\n");
			continue;
		}
		for (int k = 0; k < t->nframes; k++) {
			uint64_t ip = t->ips[k];
			const struct mapping *m = p->pm ? procmap_find(p->pm, ip) : NULL;
			const char *fn = intern_at(&p->frames, t->frames[k]);
			fprintf(f, "  #%-2d 0x%016llx ", k, (unsigned long long)ip);
			if (m && m->mod) {
				uint64_t vaddr = ip - m->bias, off = 0;
				const char *sym = symbols_func(m->mod, k ? vaddr - 1 : vaddr, &off);
				char *clean = utf8_sanitize(fn);
				if (sym)
					fprintf(f, "%s+0x%llx", clean, (unsigned long long)(off + (k ? 1 : 0)));
				else
					fputs(clean, f);
				free(clean);
				fprintf(f, " (%s+0x%llx)\n", m->mod->path, (unsigned long long)vaddr);
			} else {
				fprintf(f, "%s\n", fn);
			}
		}
	}
	fflush(f);
	return ferror(f) ? -1 : 0;
}

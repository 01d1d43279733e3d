/*
 * sampler.c - stop a thread for a few microseconds, copy its registers
 * and the top of its stack, let it go. The only file that calls ptrace.
 *
 * Stop handling follows ptrace(2) for PTRACE_SEIZE'd tracees:
 *  - PTRACE_EVENT_STOP with SIGTRAP is our interrupt: sample it;
 *  - PTRACE_EVENT_STOP with SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU is a
 *    group-stop: the process is being stopped by someone else; we detach
 *    without a signal and it stays stopped (never PTRACE_CONT it);
 *  - any other stop is a signal-delivery-stop: the signal is re-injected
 *    with PTRACE_CONT(sig) so the target gets it exactly once, and we
 *    wait for our interrupt stop again.
 * Nothing here writes to a terminal or a file while a thread is stopped.
 * The waits poll with a timeout: a thread that enters uninterruptible
 * sleep after our state check would otherwise hang us; such a thread is
 * left "pending" (traced, not stopped) and detached once it stops.
 *
 * Threads are grabbed through a sliding window: up to SAMPLER_WINDOW are
 * interrupted at once and each is handled as it stops (waitpid(-1), in
 * arrival order), its slot refilled with the next thread. On a saturated
 * machine an interrupted thread stops only when the scheduler next runs
 * it; one thread at a time would cost that delay per thread, the window
 * costs it about once per round. The window only opens while threads are
 * slow to stop (GRACE_NS): threads that stop at once are taken one by
 * one, so none waits stopped behind another. Each thread is let go right after its
 * own copy; unwinding (the caller's callback) runs only when no stopped
 * thread is waiting for us. A pause is an upper bound: from the later of
 * the thread's interrupt and the last moment no thread of ours was known
 * to be stopped (a WNOHANG wait that found nothing, or the wake-up from a
 * blocking wait minus the time cdtop then waited for a CPU and a 50 us
 * margin), to its detach.
 */
#include "sampler.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define WAIT_TIMEOUT_NS 1500000000ULL  /* 1.5 s: a runnable thread on a saturated machine may wait that long for a CPU */
#define MAX_PENDING 256
#define WAKE_MARGIN_NS 50000ULL        /* kernel wake-up path of the tracer, generous */
#define RT_SLICE_NS 5000000ULL         /* longest real-time stint without a yield */
#define GRACE_NS 200000ULL             /* an interrupted thread slower than this waits for a CPU */

static volatile int pending[MAX_PENDING];
static volatile int npending;
static volatile int seized_tids[SAMPLER_WINDOW]; /* seized right now, for release_all; 0 free */

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A per-thread timer bounds the blocking waitpid below: it interrupts
 * the wait with a signal whose handler does nothing (no SA_RESTART), so
 * we wake the instant the tracee stops and never hang on one that went
 * into uninterruptible sleep. */
static _Thread_local timer_t wait_timer;
static _Thread_local int wait_timer_ok;
static volatile sig_atomic_t timer_fired;

static void on_timer(int sig)
{
	(void)sig;
	timer_fired = 1;
}

static int timer_setup(void)
{
	if (wait_timer_ok)
		return 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timer;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	struct sigevent sev;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGRTMIN + 1;
	sev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &sev, &wait_timer) < 0)
		return -1;
	wait_timer_ok = 1;
	return 0;
}

static void timer_arm(uint64_t ns)
{
	struct itimerspec it = {{0, 0}, {(time_t)(ns / 1000000000ULL), (long)(ns % 1000000000ULL)}};
	timer_fired = 0;
	timer_settime(wait_timer, 0, &it, NULL);
}

/* Copy [sp, sp+max) from the target, one iovec per page so that a read
 * running past the end of the stack mapping still returns what exists. */
static size_t copy_stack(int pid, uint64_t sp, uint8_t *buf, size_t max)
{
	struct iovec local[32], remote[32];
	size_t n = 0, total = 0;
	uint64_t a = sp;
	while (total < max && n < 32) {
		uint64_t page_end = (a | 4095) + 1;
		size_t chunk = (size_t)(page_end - a);
		if (chunk > max - total)
			chunk = max - total;
		local[n].iov_base = buf + total;
		local[n].iov_len = chunk;
		remote[n].iov_base = (void *)(uintptr_t)a;
		remote[n].iov_len = chunk;
		n++;
		total += chunk;
		a += chunk;
	}
	ssize_t r = process_vm_readv(pid, local, n, remote, n, 0);
	return r > 0 ? (size_t)r : 0;
}

static void add_pending(int tid)
{
	if (npending < MAX_PENDING)
		pending[npending++] = tid;
}

/* Reset g for a grab of tid and make room for max_stack bytes. */
static void grab_prepare(struct stack_grab *g, int tid, size_t max_stack)
{
	g->tid = tid;
	g->status = GRAB_ERROR;
	g->err = 0;
	g->stack_len = 0;
	g->pause_ns = 0;
	if (g->stack_cap < max_stack) {
		g->stack = xrealloc(g->stack, max_stack);
		g->stack_cap = max_stack;
	}
}

/* TracerPid of thread tid: 0 none, -1 when the thread is gone. */
static int tracer_of(int pid, int tid)
{
	char path[64], buf[2048];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
	if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return -1;
	char *tp = strstr(buf, "TracerPid:");
	return tp ? atoi(tp + 10) : 0;
}

/* What one wait status of a seized, interrupted thread means. */
enum stop_kind { STOP_OURS, STOP_GROUP, STOP_SIGNAL, STOP_OTHER, STOP_GONE };

static enum stop_kind classify_stop(int st, int *sig)
{
	*sig = 0;
	if (WIFEXITED(st) || WIFSIGNALED(st))
		return STOP_GONE;
	if (!WIFSTOPPED(st))
		return STOP_OTHER;
	*sig = WSTOPSIG(st);
	int event = (unsigned)st >> 16;
	if (event == PTRACE_EVENT_STOP) {
		if (*sig == SIGSTOP || *sig == SIGTSTP || *sig == SIGTTIN || *sig == SIGTTOU)
			return STOP_GROUP;
		return STOP_OURS;
	}
	if (event != 0)
		*sig = 0;     /* not expected without options: just continue it */
	return STOP_SIGNAL;
}

/* tid is in our interrupt stop: registers, stack copy, detach. The pause
 * is counted from `since`. */
static void take_and_detach(int pid, int tid, struct stack_grab *g, uint64_t since)
{
	if (ptrace(PTRACE_GETREGS, tid, 0, &g->regs) < 0) {
		g->err = errno;
		ptrace(PTRACE_DETACH, tid, 0, 0);
		g->pause_ns = mono_ns() - since;
		g->status = GRAB_GONE;
		return;
	}
	g->sp = g->regs.rsp;
	g->stack_len = copy_stack(pid, g->sp, g->stack, g->stack_cap);
	ptrace(PTRACE_DETACH, tid, 0, 0);
	g->pause_ns = mono_ns() - since;
	g->status = GRAB_OK;
}

/* A stop of a thread left pending by an earlier timeout: deliver a
 * signal and keep it pending, or detach it. Returns true if tid was
 * pending. */
static bool handle_pending_stop(int tid, int st)
{
	int i;
	for (i = 0; i < npending && pending[i] != tid; i++)
		;
	if (i == npending)
		return false;
	int sig;
	enum stop_kind k = classify_stop(st, &sig);
	if (k == STOP_OTHER || (k == STOP_SIGNAL && ptrace(PTRACE_CONT, tid, 0, sig) == 0))
		return true;
	if (k != STOP_GONE)
		ptrace(PTRACE_DETACH, tid, 0, 0);
	pending[i] = pending[--npending];
	return true;
}

/* Job-control stops of cdtop itself are held off while a thread of the
 * target is stopped by us (a Ctrl-Z then would keep it stopped). */
static void block_jobsigs(sigset_t *old)
{
	sigset_t jobsigs;
	sigemptyset(&jobsigs);
	sigaddset(&jobsigs, SIGTSTP);
	sigaddset(&jobsigs, SIGTTIN);
	sigaddset(&jobsigs, SIGTTOU);
	sigprocmask(SIG_BLOCK, &jobsigs, old);
}

/* One slot of the window. */
struct slot {
	struct stack_grab g;
	int idx;                        /* into the caller's tids; -1 free */
	enum { SL_FREE, SL_START, SL_WAIT, SL_DONE } st; /* START: to seize (again at retry_at) */
	uint64_t t0;                    /* when interrupted */
	int tries;                      /* EPERM retries so far */
	uint64_t retry_at;
};

struct sampler_pool {
	struct slot slot[SAMPLER_WINDOW];
};

struct sampler_pool *sampler_pool_new(void)
{
	struct sampler_pool *p = xcalloc(1, sizeof(*p));
	for (int i = 0; i < SAMPLER_WINDOW; i++)
		p->slot[i].idx = -1;
	return p;
}

void sampler_pool_free(struct sampler_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < SAMPLER_WINDOW; i++)
		free(p->slot[i].g.stack);
	free(p);
}

/* Nanoseconds this thread has spent runnable but waiting for a CPU
 * (second field of /proc/thread-self/schedstat), or 0 when unreadable. */
static uint64_t my_runqueue_wait_ns(void)
{
	static _Thread_local int fd = -2;
	if (fd == -2)
		fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
	char buf[96];
	ssize_t n = fd >= 0 ? pread(fd, buf, sizeof(buf) - 1, 0) : -1;
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *sp = strchr(buf, ' ');
	return sp ? strtoull(sp + 1, NULL, 10) : 0;
}

/* Wait for any traced thread to change state until `deadline`. Returns
 * its tid, 0 on timeout, -1 when nothing is traced. *stopped_after gets
 * a time before which no thread of ours had stopped: the moment we woke
 * up, minus the time we then waited for a CPU (our schedstat) and a
 * margin for the wake-up itself. */
static int wait_any(int *st, uint64_t deadline, uint64_t *stopped_after)
{
	if (timer_setup() < 0) {
		for (;;) {
			pid_t r = waitpid(-1, st, __WALL | WNOHANG);
			if (r != 0)
				return r > 0 ? r : (errno == EINTR ? 0 : -1);
			*stopped_after = mono_ns();
			if (*stopped_after >= deadline)
				return 0;
			sched_yield();
		}
	}
	uint64_t now = mono_ns();
	if (now >= deadline)
		return 0;
	uint64_t q0 = my_runqueue_wait_ns();
	timer_arm(deadline - now);
	pid_t r;
	int e;
	do {
		r = waitpid(-1, st, __WALL);
		e = errno;
	} while (r < 0 && e == EINTR && !timer_fired);
	uint64_t woke = mono_ns(), q = my_runqueue_wait_ns() - q0;
	struct itimerspec off = {{0, 0}, {0, 0}};
	timer_settime(wait_timer, 0, &off, NULL);
	if (r > 0) {
		uint64_t before = woke - q - WAKE_MARGIN_NS;
		if (q0 && before > *stopped_after && before < woke)
			*stopped_after = before;
		return r;
	}
	return r < 0 && e == ECHILD ? -1 : 0;
}

/* Try to seize and interrupt the thread of slot s. Returns true when it
 * is now waiting for its stop; false when the slot is done (gone,
 * refused) or must be retried later (EPERM: s->retry_at set). */
static bool start_grab(int pid, struct slot *s)
{
	struct stack_grab *g = &s->g;
	if (ptrace(PTRACE_SEIZE, g->tid, 0, 0) < 0) {
		g->err = errno;
		if (errno == ESRCH) {
			g->status = GRAB_GONE;
		} else if (errno != EPERM) {
			g->status = GRAB_ERROR;
		} else {
			/* EPERM: exiting, traced by someone else (a debugger, or
			 * another cdtop for microseconds), or no permission. Back
			 * off (0.2, 0.5, 1, 2, 4 ms) before calling it refused. */
			static const long backoff_us[] = {200, 500, 1000, 2000, 4000};
			int tracer = tracer_of(pid, g->tid);
			if (tracer < 0) {
				g->status = GRAB_GONE;
			} else if (s->tries >= (int)(sizeof(backoff_us) / sizeof(backoff_us[0]))) {
				g->status = tracer ? GRAB_TRACED : GRAB_DENIED;
			} else {
				s->retry_at = mono_ns() + (uint64_t)backoff_us[s->tries++] * 1000;
				return false;
			}
		}
		s->st = SL_DONE;
		return false;
	}
	s->t0 = mono_ns();
	if (ptrace(PTRACE_INTERRUPT, g->tid, 0, 0) < 0) {
		g->err = errno;
		g->status = errno == ESRCH ? GRAB_GONE : GRAB_ERROR;
		ptrace(PTRACE_DETACH, g->tid, 0, 0);
		s->st = SL_DONE;
		return false;
	}
	s->st = SL_WAIT;
	return true;
}

/* Real-time scheduling while threads of the target may be stopped by us:
 * -1 not tried yet, 0 refused or turned off, 1 works. */
static int rt_state = -1;

void sampler_set_realtime(bool on)
{
	rt_state = on ? -1 : 0;
}

/* SCHED_FIFO priority 1 for this thread while it grabs (on), back to
 * SCHED_OTHER after (its nice value is kept). On a saturated machine a
 * stopped thread waits until cdtop gets a CPU; a real-time cdtop gets it
 * at once. A grab round is short (ptrace, copies, one unwind between stop
 * checks) and the kernel's RT throttling caps it anyway; all other work
 * (/proc, symbols, snapshots) runs at normal priority. */
static void realtime(bool on)
{
	if (rt_state == 0)
		return;
	struct sched_param sp = {.sched_priority = on ? 1 : 0};
	if (sched_setscheduler(0, on ? SCHED_FIFO : SCHED_OTHER, &sp) < 0 && on)
		rt_state = 0;           /* not permitted: stay as we are */
	else if (on)
		rt_state = 1;
}

/* Fill the window's free slots with the next of the n tids (*next: the
 * first not yet started; *busy: slots not free) and start threads.
 * Start (seize, interrupt) one thread at a time, and the next only when
 * every interrupted thread has been waited for GRACE_NS without stopping:
 * a sleeping or on-CPU thread stops within microseconds and is handled
 * before the next one is stopped (no queue of stopped threads waiting for
 * us); a runnable thread waiting for a CPU is slow to stop, and then the
 * window opens wider. Returns when the next start is allowed (0: now). */
static uint64_t window_fill(struct slot *sl, int pid, const int *tids, int n, size_t max_stack,
			    int *next, int *busy)
{
	uint64_t now = mono_ns();
	uint64_t newest = 0;
	for (int i = 0; i < SAMPLER_WINDOW; i++)
		if (sl[i].st == SL_WAIT && sl[i].t0 > newest)
			newest = sl[i].t0;
	for (int i = 0; i < SAMPLER_WINDOW; i++) {
		struct slot *s = &sl[i];
		if (s->st == SL_FREE && *next < n) {
			s->idx = *next;
			s->tries = 0;
			s->retry_at = 0;
			grab_prepare(&s->g, tids[(*next)++], max_stack);
			s->st = SL_START;
			(*busy)++;
		}
		if (s->st == SL_START && s->retry_at <= now && (!newest || now >= newest + GRACE_NS)) {
			if (start_grab(pid, s)) {
				seized_tids[i] = s->g.tid;
				newest = s->t0;
			}
		}
	}
	return newest ? newest + GRACE_NS : 0;
}

/* Hand one finished grab to the caller's callback (which unwinds it) and
 * free its slot. Returns false when no grab is finished. */
static bool hand_over_one(struct slot *sl, sampler_done_fn done, void *ctx)
{
	for (int i = 0; i < SAMPLER_WINDOW; i++) {
		if (sl[i].st != SL_DONE)
			continue;
		done(ctx, sl[i].idx, &sl[i].g);
		sl[i].st = SL_FREE;
		sl[i].idx = -1;
		return true;
	}
	return false;
}

/* Sleep until a stop, the earliest timeout or retry (not before gate_at,
 * when a start is next allowed). Returns the tid that changed state (its
 * status in *st), or 0 when none did; a sleep restarts the real-time
 * stint (*rt_since), and *empty_at moves as wait_any says. */
static pid_t sleep_until_stop(const struct slot *sl, uint64_t gate_at, int *st, uint64_t *empty_at,
			      uint64_t *rt_since)
{
	pid_t tid = 0;
	uint64_t until = UINT64_MAX;
	bool waiting = false;
	for (int i = 0; i < SAMPLER_WINDOW; i++) {
		uint64_t t = sl[i].st == SL_WAIT ? sl[i].t0 + WAIT_TIMEOUT_NS
			   : sl[i].st == SL_START ? (sl[i].retry_at > gate_at ? sl[i].retry_at : gate_at)
			   : UINT64_MAX;
		if (sl[i].st == SL_WAIT)
			waiting = true;
		if (t < until)
			until = t;
	}
	if (waiting || until != UINT64_MAX) {
		tid = waiting ? wait_any(st, until, empty_at) : 0;
		*rt_since = mono_ns();  /* slept: the stint starts again */
		if (!waiting) {
			struct timespec ts = {0, (long)(until > mono_ns() ? until - mono_ns() : 0)};
			nanosleep(&ts, NULL);
		}
	}
	return tid;
}

/* Threads that did not stop in time (went into D after our check?) stay
 * traced with our interrupt pending and are reaped later. */
static void expire_waits(struct slot *sl)
{
	uint64_t now = mono_ns();
	for (int i = 0; i < SAMPLER_WINDOW; i++) {
		if (sl[i].st != SL_WAIT || now < sl[i].t0 + WAIT_TIMEOUT_NS)
			continue;
		add_pending(sl[i].g.tid);
		sl[i].g.status = GRAB_PENDING;
		sl[i].st = SL_DONE;
		seized_tids[i] = 0;
	}
}

/* Handle the stop (status st) of slot s's thread tid: sample and let it
 * go, leave a group-stop as it is, deliver a signal. Returns true when
 * the slot's grab is over, false while we still wait for our stop. The
 * pause counts from the later of the interrupt and empty_at. */
static bool take_stop(int pid, struct slot *s, pid_t tid, int st, uint64_t empty_at)
{
	int sig;
	uint64_t since = s->t0 > empty_at ? s->t0 : empty_at;
	switch (classify_stop(st, &sig)) {
	case STOP_GONE:
		s->g.status = GRAB_GONE;
		break;
	case STOP_OTHER:
		return false;
	case STOP_GROUP:
		/* Group-stop: leave it as we found it (stopped). */
		ptrace(PTRACE_DETACH, tid, 0, 0);
		s->g.pause_ns = mono_ns() - since;
		s->g.status = GRAB_STOPPED;
		break;
	case STOP_SIGNAL:
		/* Signal-delivery-stop: deliver it, wait for our stop. */
		if (ptrace(PTRACE_CONT, tid, 0, sig) == 0)
			return false;
		s->g.status = GRAB_GONE;
		break;
	case STOP_OURS:
		take_and_detach(pid, tid, &s->g, since);
		break;
	}
	return true;
}

void sampler_grab_many(struct sampler_pool *pool, int pid, const int *tids, int n,
		       size_t max_stack, sampler_done_fn done, void *ctx)
{
	struct slot *sl = pool->slot;
	int next = 0, busy = 0;         /* next tid to start; slots not free */
	uint64_t empty_at = 0;          /* last time a wait found no stop ready */
	sigset_t oldmask;
	block_jobsigs(&oldmask);
	realtime(true);
	uint64_t rt_since = mono_ns();  /* start of the current real-time stint (busy, no sleep) */
	for (;;) {
		uint64_t gate_at = window_fill(sl, pid, tids, n, max_stack, &next, &busy);
		if (!busy)
			break;
		/* Take every stop that is ready; only then do other work. */
		int st;
		pid_t tid = waitpid(-1, &st, __WALL | WNOHANG);
		if (tid == 0 || (tid < 0 && errno == ECHILD)) {
			empty_at = mono_ns();
			/* Nobody waits on us: hand one finished grab over (the
			 * caller unwinds it), then look for stops again, so a
			 * thread that stops meanwhile waits one unwind at most. */
			if (rt_state == 1 && mono_ns() - rt_since > RT_SLICE_NS) {
				/* A long round (thousands of threads): let the
				 * target's threads have the CPU for a moment. */
				realtime(false);
				sched_yield();
				realtime(true);
				rt_since = mono_ns();
			}
			if (hand_over_one(sl, done, ctx)) {
				busy--;
				continue;
			}
			tid = sleep_until_stop(sl, gate_at, &st, &empty_at, &rt_since);
			if (tid <= 0) {
				expire_waits(sl);
				continue;
			}
		} else if (tid < 0) {
			continue;   /* EINTR */
		}
		int i;
		for (i = 0; i < SAMPLER_WINDOW && !(sl[i].st == SL_WAIT && sl[i].g.tid == tid); i++)
			;
		if (i == SAMPLER_WINDOW) {
			handle_pending_stop(tid, st);
			continue;
		}
		if (take_stop(pid, &sl[i], tid, st, empty_at)) {
			sl[i].st = SL_DONE;
			seized_tids[i] = 0;
		}
	}
	realtime(false);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
}
int sampler_reap_pending(void)
{
	int j = 0;
	for (int i = 0; i < npending; i++) {
		int tid = pending[i], st;
		pid_t r = waitpid(tid, &st, __WALL | WNOHANG);
		if (r == tid) {
			if (WIFSTOPPED(st)) {
				int sig = WSTOPSIG(st);
				int event = (unsigned)st >> 16;
				if (event == 0 && ptrace(PTRACE_CONT, tid, 0, sig) == 0) {
					pending[j++] = tid;   /* deliver, keep waiting */
					continue;
				}
				ptrace(PTRACE_DETACH, tid, 0, 0);
			}
			continue;
		}
		if (r < 0)
			continue;   /* gone */
		pending[j++] = tid;
	}
	npending = j;
	return j;
}

void sampler_release_all(void)
{
	/* Async-signal-safe: ptrace and waitpid are plain syscalls. */
	for (int i = 0; i < SAMPLER_WINDOW; i++)
		if (seized_tids[i])
			ptrace(PTRACE_DETACH, seized_tids[i], 0, 0);
	for (int i = 0; i < npending; i++)
		ptrace(PTRACE_DETACH, pending[i], 0, 0);
}

/* CAP_SYS_PTRACE in our effective set? */
static int have_cap_ptrace(void)
{
	char buf[4096];
	if (read_file_at(AT_FDCWD, "/proc/self/status", buf, sizeof(buf)) <= 0)
		return 0;
	char *c = strstr(buf, "CapEff:");
	if (!c)
		return 0;
	unsigned long long caps = strtoull(c + 7, NULL, 16);
	return (caps >> 19) & 1;
}

void sampler_explain_denied(int pid, char *msg, size_t len)
{
	char buf[4096], path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	int tracer = 0, uid = -1;
	if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) > 0) {
		char *tp = strstr(buf, "TracerPid:");
		char *up = strstr(buf, "Uid:");
		if (tp)
			tracer = atoi(tp + 10);
		if (up)
			uid = atoi(up + 4);
	}
	if (tracer) {
		char comm[64] = "?";
		snprintf(path, sizeof(path), "/proc/%d/comm", tracer);
		if (read_file_at(AT_FDCWD, path, comm, sizeof(comm)) > 0)
			comm[strcspn(comm, "\n")] = '\0';
		snprintf(msg, len, "stacks unavailable: process %d is already traced by pid %d (%s); "
			 "detach that debugger to sample stacks", pid, tracer, comm);
		return;
	}
	int yama = -1;
	if (read_file_at(AT_FDCWD, "/proc/sys/kernel/yama/ptrace_scope", buf, sizeof(buf)) > 0)
		yama = atoi(buf);
	int cap = have_cap_ptrace();
	if (yama == 3) {
		snprintf(msg, len, "stacks unavailable: kernel.yama.ptrace_scope=3 forbids ptrace for everyone "
			 "until reboot; only /proc figures are shown");
	} else if (yama == 2 && !cap) {
		snprintf(msg, len, "stacks unavailable: kernel.yama.ptrace_scope=2 allows ptrace only with "
			 "CAP_SYS_PTRACE: run cdtop as root or `setcap cap_sys_ptrace+ep cdtop`");
	} else if (!cap && uid >= 0 && (uid_t)uid != geteuid()) {
		snprintf(msg, len, "stacks unavailable: process %d belongs to uid %d and cdtop lacks "
			 "CAP_SYS_PTRACE: run it as root, as that user, or `setcap cap_sys_ptrace+ep cdtop`",
			 pid, uid);
	} else if (yama == 1 && !cap) {
		snprintf(msg, len, "stacks unavailable: kernel.yama.ptrace_scope=1 allows ptrace of "
			 "descendants only: run cdtop as root, or `sysctl kernel.yama.ptrace_scope=0`, "
			 "or `setcap cap_sys_ptrace+ep cdtop`");
	} else {
		snprintf(msg, len, "stacks unavailable: ptrace of process %d was refused (a container without "
			 "CAP_SYS_PTRACE or a seccomp profile that blocks ptrace?): run with "
			 "--cap-add SYS_PTRACE or as root on the host", pid);
	}
}

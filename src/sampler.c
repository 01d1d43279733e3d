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
 */
#include "sampler.h"
#include "util.h"

#include <errno.h>
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

#define WAIT_TIMEOUT_NS 500000000ULL   /* 0.5 s */
#define MAX_PENDING 256

static volatile int pending[MAX_PENDING];
static volatile int npending;
static volatile int current_tid;        /* seized right now, for release_all */

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

/* Wait for a stop of tid for at most the rest of WAIT_TIMEOUT_NS since
 * t0. Returns 0 with *st filled, -ESRCH/-ECHILD when gone, -ETIMEDOUT. */
static int wait_stop(int tid, int *st, uint64_t t0)
{
	if (timer_setup() < 0) {
		/* No timer: poll instead. */
		for (int i = 0;; i++) {
			pid_t r = waitpid(tid, st, __WALL | WNOHANG);
			if (r == tid)
				return 0;
			if (r < 0 && errno != EINTR)
				return -errno;
			if (mono_ns() - t0 > WAIT_TIMEOUT_NS)
				return -ETIMEDOUT;
			sched_yield();
		}
	}
	uint64_t spent = mono_ns() - t0;
	if (spent >= WAIT_TIMEOUT_NS)
		return -ETIMEDOUT;
	timer_arm(WAIT_TIMEOUT_NS - spent);
	int rc;
	for (;;) {
		pid_t r = waitpid(tid, st, __WALL);
		if (r == tid) {
			rc = 0;
			break;
		}
		if (r < 0 && errno == EINTR && !timer_fired)
			continue;
		rc = r < 0 && errno != EINTR ? -errno : -ETIMEDOUT;
		break;
	}
	struct itimerspec off = {{0, 0}, {0, 0}};
	timer_settime(wait_timer, 0, &off, NULL);
	return rc;
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

static enum grab_status grab_seized(int pid, int tid, struct stack_grab *g);

enum grab_status sampler_grab(int pid, int tid, struct stack_grab *g, size_t max_stack)
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
	/* EPERM comes from a thread that is exiting, one traced by someone
	 * else (a debugger, another cdtop for a few microseconds), or a real
	 * lack of permission. Retry briefly before deciding. */
	int tries = 0;
	while (ptrace(PTRACE_SEIZE, tid, 0, 0) < 0) {
		g->err = errno;
		if (errno == ESRCH)
			return g->status = GRAB_GONE;
		if (errno != EPERM)
			return g->status = GRAB_ERROR;
		char path[64], buf[2048];
		snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
		if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
			return g->status = GRAB_GONE;
		char *tp = strstr(buf, "TracerPid:");
		int tracer = tp ? atoi(tp + 10) : 0;
		if (++tries >= 3)
			return g->status = tracer ? GRAB_TRACED : GRAB_DENIED;
		struct timespec ts = {0, 200000};
		nanosleep(&ts, NULL);
	}
	current_tid = tid;
	/* Job-control stops of cdtop itself are held off while a thread of
	 * the target is stopped by us (a Ctrl-Z here would keep it stopped). */
	sigset_t jobsigs, oldmask;
	sigemptyset(&jobsigs);
	sigaddset(&jobsigs, SIGTSTP);
	sigaddset(&jobsigs, SIGTTIN);
	sigaddset(&jobsigs, SIGTTOU);
	sigprocmask(SIG_BLOCK, &jobsigs, &oldmask);
	enum grab_status rs = grab_seized(pid, tid, g);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	current_tid = 0;
	return rs;
}

/* The part of a grab after a successful SEIZE. */
static enum grab_status grab_seized(int pid, int tid, struct stack_grab *g)
{
	int st;
	uint64_t t0 = mono_ns();
	if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) < 0) {
		g->err = errno;
		ptrace(PTRACE_DETACH, tid, 0, 0);
		return g->status = errno == ESRCH ? GRAB_GONE : GRAB_ERROR;
	}
	for (;;) {
		int rc = wait_stop(tid, &st, t0);
		if (rc == -ETIMEDOUT) {
			/* Still traced with our interrupt pending: reap later. */
			add_pending(tid);
			return g->status = GRAB_PENDING;
		}
		if (rc < 0 || WIFEXITED(st) || WIFSIGNALED(st))
			return g->status = GRAB_GONE;
		if (!WIFSTOPPED(st))
			continue;
		int sig = WSTOPSIG(st);
		int event = (unsigned)st >> 16;
		if (event == PTRACE_EVENT_STOP) {
			if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
				/* Group-stop: leave it as we found it. */
				ptrace(PTRACE_DETACH, tid, 0, 0);
				g->pause_ns = mono_ns() - t0;
				return g->status = GRAB_STOPPED;
			}
			break;  /* our interrupt (SIGTRAP) */
		}
		if (event != 0) {
			/* Not expected without options; let it continue. */
			ptrace(PTRACE_CONT, tid, 0, 0);
			continue;
		}
		/* Signal-delivery-stop: deliver it, then wait for our stop. */
		if (ptrace(PTRACE_CONT, tid, 0, sig) < 0)
			return g->status = GRAB_GONE;
	}
	if (ptrace(PTRACE_GETREGS, tid, 0, &g->regs) < 0) {
		g->err = errno;
		ptrace(PTRACE_DETACH, tid, 0, 0);
		g->pause_ns = mono_ns() - t0;
		return g->status = GRAB_GONE;
	}
	g->sp = g->regs.rsp;
	g->stack_len = copy_stack(pid, g->sp, g->stack, g->stack_cap);
	ptrace(PTRACE_DETACH, tid, 0, 0);
	g->pause_ns = mono_ns() - t0;
	return g->status = GRAB_OK;
}

void sampler_grab_fini(struct stack_grab *g)
{
	free(g->stack);
	g->stack = NULL;
	g->stack_cap = 0;
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
	int t = current_tid;
	if (t)
		ptrace(PTRACE_DETACH, t, 0, 0);
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

/*
 * stacks_target.c - a many-threaded target for the stack-sampling benchmarks
 * (bench/stacks_intrusion.sh, stacks_dump.sh, stacks_cpu.sh).
 *
 *   stacks_target [-t THREADS] [-b] [-r] [-a ALARM_SECS]
 *
 * Starts THREADS threads (default 200), each named "spin-N", running the
 * chain worker -> compute_a -> compute_b, where compute_b spins on integer
 * arithmetic forever. Every spinning thread is therefore always runnable
 * (state R): it is either on a CPU or waiting in a run queue, never
 * sleeping. So, from /proc/PID/task/TID/schedstat (field 1 = ns on CPU,
 * field 2 = ns waiting in a run queue), the time a thread spent *stopped*
 * (by ptrace, a debugger or SIGSTOP) over an interval is
 *     wall - run - wait.
 *
 * With -b, half of the threads (the odd-numbered ones, named "block-N")
 * instead block in read() on a pipe nobody writes to, through the chain
 * worker -> wait_a -> wait_b -> read(): state S, they never run.
 *
 * Prints "ready" on stdout once every thread has started, then the main
 * thread sleeps in pause(). alarm(ALARM_SECS) (default 600) ends the
 * process if nobody kills it first.
 *
 * With -r (root), the main thread, once the others are started, switches
 * itself to SCHED_FIFO priority 1 (the workers keep SCHED_OTHER). Why: a
 * SIGSTOP sent to the process is handed to the main thread (it does not
 * block it and sleeps), and the group stop only begins when that thread
 * runs. Under SCHED_OTHER, with hundreds of runnable workers it waits
 * 30-500 ms for a CPU on a 2-CPU machine, so "kill -STOP" takes effect that
 * much later; under SCHED_FIFO it runs at once and every worker is stopped
 * within a few milliseconds. stacks_intrusion.sh relies on this to read
 * consistent schedstat figures at the start and end of each phase. The
 * main thread only ever sleeps, so this changes nothing else.
 *
 * The functions are noinline and noipa (GCC cannot turn the calls into
 * jumps or learn that compute_b never returns), and each caller does work
 * after the call, so each frame is a real frame. Build with
 * -fno-omit-frame-pointer so that frame-pointer unwinders (perf -g) see
 * the same chain as DWARF unwinders (cdtop, eu-stack, gdb).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__GNUC__) && !defined(__clang__)
#define FRAME __attribute__((noinline, noipa))
#else
#define FRAME __attribute__((noinline))
#endif

static volatile unsigned long sink;
static int pipefd[2];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int started;

FRAME unsigned long compute_b(unsigned long x)
{
	for (;;) {
		/* A few dependent multiply-adds; the volatile store keeps it. */
		for (int i = 0; i < 1000; i++)
			x = x * 6364136223846793005UL + 1442695040888963407UL;
		sink = x;
		if (x == 42)    /* practically never: keeps the loop "finite" */
			break;
	}
	return x;
}

FRAME unsigned long compute_a(unsigned long x)
{
	unsigned long r = compute_b(x ^ 0x9e3779b97f4a7c15UL);
	sink += r;      /* work after the call: no tail call */
	return r + 1;
}

FRAME long wait_b(void)
{
	char c;
	long n = read(pipefd[0], &c, 1);   /* nobody writes: blocks forever */
	sink += (unsigned long)n;
	return n;
}

FRAME long wait_a(void)
{
	long n = wait_b();
	sink += (unsigned long)n;
	return n + 1;
}

FRAME void *worker(void *arg)
{
	long id = (long)arg;
	int blocker = id < 0;
	char name[16];
	snprintf(name, sizeof(name), "%s-%ld", blocker ? "block" : "spin", blocker ? -id - 1 : id);
	pthread_setname_np(pthread_self(), name);
	pthread_mutex_lock(&mu);
	started++;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	if (blocker)
		sink += (unsigned long)wait_a();
	else
		sink += compute_a((unsigned long)id + 1);
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: stacks_target [-t THREADS] [-b] [-r] [-a ALARM_SECS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int nthreads = 200, block = 0, rt = 0, alarm_s = 600, opt;
	while ((opt = getopt(argc, argv, "t:bra:h")) != -1) {
		switch (opt) {
		case 't': nthreads = atoi(optarg); break;
		case 'b': block = 1; break;
		case 'r': rt = 1; break;
		case 'a': alarm_s = atoi(optarg); break;
		default: usage();
		}
	}
	if (nthreads < 1 || alarm_s < 1)
		usage();
	alarm((unsigned)alarm_s);
	if (pipe(pipefd) < 0) {
		perror("pipe");
		return 1;
	}
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (long i = 0; i < nthreads; i++) {
		pthread_t th;
		/* -b: odd-numbered threads block (encoded as negative ids). */
		long arg = block && (i & 1) ? -i - 1 : i;
		int e = pthread_create(&th, &attr, worker, (void *)arg);
		if (e) {
			fprintf(stderr, "stacks_target: pthread_create %ld: %s\n", i, strerror(e));
			return 1;
		}
		pthread_detach(th);
	}
	pthread_mutex_lock(&mu);
	while (started < nthreads)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	if (rt) {
		/* After the workers exist: they must not inherit it. */
		struct sched_param sp = {.sched_priority = 1};
		int e = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
		if (e) {
			fprintf(stderr, "stacks_target: -r: SCHED_FIFO refused: %s\n", strerror(e));
			return 1;
		}
	}
	printf("ready threads=%d spinning=%d blocked=%d%s\n", nthreads + 1,
	       block ? nthreads - nthreads / 2 : nthreads, block ? nthreads / 2 : 0,
	       rt ? " main=SCHED_FIFO" : "");
	fflush(stdout);
	for (;;)
		pause();
}

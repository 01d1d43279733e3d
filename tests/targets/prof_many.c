/*
 * prof_many - a target with 20 threads in a mix of states, for the
 * kill -9 safety test (tests/sampler/test_safety_kill9.sh):
 *   4 spinners   pure arithmetic loops (always running)
 *   4 nappers    nanosleep(2 ms) in a loop (wake up often)
 *   3 waiters    pthread_cond_timedwait, 20 ms timeout (futex, wake often)
 *   3 lockers    blocked for good in pthread_mutex_lock (futex)
 *   3 readers    blocked for good in read() on a pipe nobody writes
 *   2 sigwaiters blocked for good in sigwaitinfo (SIGUSR2, never sent)
 *   main         every 100 ms prints "tick N stalled=K": K is the number
 *                of spinners, nappers and waiters whose loop counter did
 *                not move since the previous tick (a thread left stopped
 *                shows up there on every tick).
 * Prints "ready" when every thread has started; exits after 120 s.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define NSPIN 4
#define NNAP 4
#define NWAIT 3
#define NLOCK 3
#define NREAD 3
#define NSIGW 2
#define NCOUNTED (NSPIN + NNAP + NWAIT)

static atomic_ulong counters[NCOUNTED];
static atomic_int started;
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cmtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int pipefd[2];
static volatile unsigned long sink;

static void *spinner(void *arg)
{
	atomic_ulong *c = arg;
	unsigned long x = 1;
	atomic_fetch_add(&started, 1);
	for (;;) {
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005UL + 1442695040888963407UL;
		sink = x;
		atomic_fetch_add(c, 1);
	}
	return NULL;
}

static void *napper(void *arg)
{
	atomic_ulong *c = arg;
	struct timespec ts = {0, 2000000};
	atomic_fetch_add(&started, 1);
	for (;;) {
		nanosleep(&ts, NULL);
		atomic_fetch_add(c, 1);
	}
	return NULL;
}

static void *waiter(void *arg)
{
	atomic_ulong *c = arg;
	atomic_fetch_add(&started, 1);
	for (;;) {
		struct timespec dl;
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_nsec += 20000000;
		if (dl.tv_nsec >= 1000000000) {
			dl.tv_sec++;
			dl.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&cmtx);
		pthread_cond_timedwait(&cond, &cmtx, &dl);
		pthread_mutex_unlock(&cmtx);
		atomic_fetch_add(c, 1);
	}
	return NULL;
}

static void *locker(void *arg)
{
	(void)arg;
	atomic_fetch_add(&started, 1);
	pthread_mutex_lock(&held);   /* main holds it forever */
	pthread_mutex_unlock(&held);
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	char ch;
	atomic_fetch_add(&started, 1);
	while (read(pipefd[0], &ch, 1) != 0)
		;
	return NULL;
}

static void *sigwaiter(void *arg)
{
	(void)arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	atomic_fetch_add(&started, 1);
	for (;;)
		sigwaitinfo(&set, NULL);
	return NULL;
}

static void start(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	if (pthread_create(&t, NULL, fn, arg) != 0) {
		fprintf(stderr, "prof_many: pthread_create failed\n");
		exit(1);
	}
}

int main(void)
{
	alarm(120);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pipe(pipefd) < 0) {
		perror("pipe");
		return 1;
	}
	pthread_mutex_lock(&held);
	int k = 0;
	for (int i = 0; i < NSPIN; i++)
		start(spinner, &counters[k++]);
	for (int i = 0; i < NNAP; i++)
		start(napper, &counters[k++]);
	for (int i = 0; i < NWAIT; i++)
		start(waiter, &counters[k++]);
	for (int i = 0; i < NLOCK; i++)
		start(locker, NULL);
	for (int i = 0; i < NREAD; i++)
		start(reader, NULL);
	for (int i = 0; i < NSIGW; i++)
		start(sigwaiter, NULL);
	while (atomic_load(&started) < NCOUNTED + NLOCK + NREAD + NSIGW)
		usleep(1000);
	usleep(50000);
	printf("threads=%d\n", 1 + NCOUNTED + NLOCK + NREAD + NSIGW);
	printf("ready\n");
	unsigned long last[NCOUNTED] = {0};
	for (unsigned long tick = 1;; tick++) {
		struct timespec ts = {0, 100000000};
		while (nanosleep(&ts, &ts) != 0)
			;
		int stalled = 0;
		for (int i = 0; i < NCOUNTED; i++) {
			unsigned long v = atomic_load(&counters[i]);
			if (v == last[i])
				stalled++;
			last[i] = v;
		}
		printf("tick %lu stalled=%d\n", tick, stalled);
	}
}

/*
 * prof_signals - counts signals, for tests/sampler/test_safety_signals.sh:
 * every signal sent must be delivered exactly once while a sampler stops
 * and resumes the threads.
 *   - SIGRTMIN: a sigaction handler (any thread may run it) increments a
 *     counter. Real-time signals are queued, so none may be lost or merged.
 *   - SIGUSR1: blocked everywhere but consumed by a dedicated thread in
 *     sigwaitinfo (standard signals may merge while one is pending, so
 *     the count is at most the number sent).
 * Threads: 2 spinners, 1 blocked in read(), 1 in nanosleep loops of 5 ms,
 * the sigwaitinfo thread and main. Prints "spinner_tid=N" and "ready";
 * then every 50 ms "count rt=N usr1=M".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_ulong rt_count, usr1_count;
static volatile unsigned long sink;
static volatile pid_t spinner_tid;
static int pipefd[2];

static void on_rt(int sig)
{
	(void)sig;
	atomic_fetch_add(&rt_count, 1);
}

static void *spinner(void *arg)
{
	unsigned long x = (unsigned long)(size_t)arg;
	if (!spinner_tid)
		spinner_tid = gettid();
	for (;;) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		sink = x;
	}
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	char c;
	for (;;)
		if (read(pipefd[0], &c, 1) == 0)
			pause();
	return NULL;
}

static void *napper(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec ts = {0, 5000000};
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void *usr1_waiter(void *arg)
{
	(void)arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (;;)
		if (sigwaitinfo(&set, NULL) == SIGUSR1)
			atomic_fetch_add(&usr1_count, 1);
	return NULL;
}

int main(void)
{
	pthread_t t;
	alarm(120);
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_rt;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGRTMIN, &sa, NULL) < 0)
		return 1;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);   /* inherited by every thread */
	if (pipe(pipefd) < 0)
		return 1;
	if (pthread_create(&t, NULL, spinner, (void *)1) != 0 ||
	    pthread_create(&t, NULL, spinner, (void *)2) != 0 ||
	    pthread_create(&t, NULL, reader, NULL) != 0 ||
	    pthread_create(&t, NULL, napper, NULL) != 0 ||
	    pthread_create(&t, NULL, usr1_waiter, NULL) != 0)
		return 1;
	while (!spinner_tid)
		usleep(1000);
	printf("spinner_tid=%d\n", (int)spinner_tid);
	printf("ready\n");
	for (;;) {
		struct timespec ts = {0, 50000000};
		while (nanosleep(&ts, &ts) != 0)
			;
		printf("count rt=%lu usr1=%lu\n", atomic_load(&rt_count), atomic_load(&usr1_count));
	}
}

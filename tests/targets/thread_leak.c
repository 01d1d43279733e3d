/*
 * thread_leak - test target for the thread-growth and "blocked in the
 * same place" items of the triage checklist: 5 times per second of
 * wall-clock time (catching up after a late wake-up) a worker thread is
 * started that blocks forever in pthread_mutex_lock
 * on `ledger_lock`, which main took and never releases (the "mutex never
 * unlocked" leak of the incident write-ups). Stops at 200 workers.
 *
 * Prints "ready" before the first worker; ends on SIGTERM or after
 * alarm(120).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

pthread_mutex_t ledger_lock = PTHREAD_MUTEX_INITIALIZER;

/* Wait for the ledger, which is never released. */
static __attribute__((noinline)) void post_ledger(void)
{
	pthread_mutex_lock(&ledger_lock);
	pthread_mutex_unlock(&ledger_lock);
}

/* Seconds on the monotonic clock. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *worker(void *arg)
{
	(void)arg;
	post_ledger();
	return NULL;
}

int main(void)
{
	struct timespec tick = {0, 200 * 1000 * 1000};
	pthread_attr_t at;

	alarm(120);
	pthread_mutex_lock(&ledger_lock);
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 64 * 1024);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	printf("ready\n");
	fflush(stdout);
	double t0 = now();
	for (int n = 0;; ) {
		pthread_t t;
		for (; n < 200 && n < (int)((now() - t0) * 5) + 1; n++)
			if (pthread_create(&t, &at, worker, NULL) != 0) {
				fprintf(stderr, "thread_leak: pthread_create failed\n");
				return 1;
			}
		nanosleep(&tick, NULL);
	}
}

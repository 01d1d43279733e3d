/*
 * lock_contention - test target for the lock-contention and "blocked in
 * the same place" items of the triage checklist: 8 worker threads loop
 * taking one global mutex, `stats_lock`, and hold it for 20 ms of
 * "work" (a sleep, like IO under the lock) in update_stats, so at any
 * moment about 7 of them wait for it in pthread_mutex_lock.
 *
 * Prints "ready" once every worker runs; ends on SIGTERM or after
 * alarm(120).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define WORKERS 8

pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;
static volatile int started;

/* A long critical section: 20 ms under the lock. */
static __attribute__((noinline)) void update_stats(void)
{
	struct timespec work = {0, 20 * 1000 * 1000};
	pthread_mutex_lock(&stats_lock);
	counter++;
	nanosleep(&work, NULL);
	pthread_mutex_unlock(&stats_lock);
}

static void *worker(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	for (;;)
		update_stats();
	return NULL;
}

int main(void)
{
	pthread_t t;
	struct timespec pause_ts = {0, 10 * 1000 * 1000};

	alarm(120);
	for (int i = 0; i < WORKERS; i++)
		if (pthread_create(&t, NULL, worker, NULL) != 0) {
			fprintf(stderr, "lock_contention: pthread_create failed\n");
			return 1;
		}
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < WORKERS)
		nanosleep(&pause_ts, NULL);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

/*
 * prof_churn - threads created and exiting at a high rate, for
 * tests/sampler/test_safety_thread_churn.sh. Two creator threads each
 * loop pthread_create + pthread_join of a thread that does a little work
 * and returns; a third thread spins. The main thread prints
 * "created N" (total so far) every 100 ms.
 * Prints "ready" once the first threads are made; exits after 120 s.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static atomic_ulong created;
static volatile unsigned long sink;

static void *short_lived(void *arg)
{
	unsigned long x = (unsigned long)arg;
	for (int i = 0; i < 2000; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	sink = x;
	return NULL;
}

static void *creator(void *arg)
{
	(void)arg;
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	for (unsigned long i = 0;; i++) {
		pthread_t t;
		if (pthread_create(&t, &a, short_lived, (void *)i) != 0) {
			usleep(1000);
			continue;
		}
		pthread_join(t, NULL);
		atomic_fetch_add(&created, 1);
	}
	return NULL;
}

static void *spinner(void *arg)
{
	(void)arg;
	unsigned long x = 3;
	for (;;) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		sink = x;
	}
	return NULL;
}

int main(void)
{
	pthread_t t;
	alarm(120);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t, NULL, creator, NULL) != 0)
			return 1;
	if (pthread_create(&t, NULL, spinner, NULL) != 0)
		return 1;
	while (atomic_load(&created) < 10)
		usleep(1000);
	printf("ready\n");
	for (;;) {
		struct timespec ts = {0, 100000000};
		while (nanosleep(&ts, &ts) != 0)
			;
		printf("created %lu\n", atomic_load(&created));
	}
}

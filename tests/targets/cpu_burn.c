/*
 * cpu_burn - test target: one or more threads spinning in pure user-space
 * arithmetic, so cdtop should see user CPU dominate and almost no system
 * time.
 *
 * Usage: cpu_burn [NTHREADS]   (default 1, at most 16)
 * Prints "ready" once every thread is spinning; ends on SIGTERM or after
 * alarm(120) so a forgotten target never lingers.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile uint64_t sink;
static volatile int started;

/* Spin forever doing integer arithmetic; never makes a system call. */
static __attribute__((noinline)) void burn_cpu(uint64_t seed)
{
	uint64_t x = seed | 1;

	for (;;) {
		for (int i = 0; i < 1000000; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		sink = x;
	}
}

static void *burn_thread(void *arg)
{
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	burn_cpu((uint64_t)(uintptr_t)arg);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	pthread_t t;

	alarm(120);
	if (n < 1 || n > 16) {
		fprintf(stderr, "cpu_burn: NTHREADS must be 1..16\n");
		return 2;
	}
	/* n - 1 helper threads; the main thread burns too. */
	for (int i = 1; i < n; i++) {
		if (pthread_create(&t, NULL, burn_thread, (void *)(uintptr_t)(i + 1)) != 0) {
			fprintf(stderr, "cpu_burn: pthread_create failed\n");
			return 1;
		}
		pthread_setname_np(t, "burner");
	}
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < n - 1)
		;
	printf("ready\n");
	fflush(stdout);
	burn_cpu(1);
	return 0;
}

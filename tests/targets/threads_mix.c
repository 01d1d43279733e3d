/*
 * threads_mix - test target with four threads in known, distinct states:
 *   main     blocked in pthread_join (futex)
 *   sleeper  blocked in nanosleep for 1000 s (clock_nanosleep syscall)
 *   reader   blocked in read(2) on a pipe nobody writes to
 *   burner   spinning in user space (running)
 *
 * Prints "tids main=T sleeper=T reader=T burner=T", then "ready" once
 * every thread has started. Ends on SIGTERM or after alarm(120).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t tid_sleeper, tid_reader, tid_burner;
static volatile uint64_t sink;
static int pipefd[2];

static __attribute__((noinline)) void sleep_long(void)
{
	struct timespec ts = {1000, 0};

	for (;;)
		nanosleep(&ts, NULL);
}

static __attribute__((noinline)) void read_forever(void)
{
	char c;

	for (;;)
		if (read(pipefd[0], &c, 1) <= 0)
			sleep_long();
}

static __attribute__((noinline)) void burn_cpu(void)
{
	uint64_t x = 7;

	for (;;) {
		for (int i = 0; i < 1000000; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		sink = x;
	}
}

static void *sleeper_main(void *arg)
{
	(void)arg;
	tid_sleeper = gettid();
	sleep_long();
	return NULL;
}

static void *reader_main(void *arg)
{
	(void)arg;
	tid_reader = gettid();
	read_forever();
	return NULL;
}

static void *burner_main(void *arg)
{
	(void)arg;
	tid_burner = gettid();
	burn_cpu();
	return NULL;
}

int main(void)
{
	pthread_t ts, tr, tb;
	struct timespec pause_ts = {0, 10 * 1000 * 1000};

	alarm(120);
	if (pipe(pipefd) < 0) {
		perror("threads_mix: pipe");
		return 1;
	}
	if (pthread_create(&ts, NULL, sleeper_main, NULL) || pthread_create(&tr, NULL, reader_main, NULL) ||
	    pthread_create(&tb, NULL, burner_main, NULL)) {
		fprintf(stderr, "threads_mix: pthread_create failed\n");
		return 1;
	}
	pthread_setname_np(ts, "sleeper");
	pthread_setname_np(tr, "reader");
	pthread_setname_np(tb, "burner");
	while (!tid_sleeper || !tid_reader || !tid_burner)
		nanosleep(&pause_ts, NULL);
	/* Give the blocked threads time to enter their system calls. */
	nanosleep(&pause_ts, NULL);
	printf("tids main=%d sleeper=%d reader=%d burner=%d\n", (int)getpid(), (int)tid_sleeper,
	       (int)tid_reader, (int)tid_burner);
	printf("ready\n");
	fflush(stdout);
	pthread_join(ts, NULL);
	return 0;
}

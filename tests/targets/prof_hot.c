/*
 * prof_hot - stack sampling target with known function names
 * (tests/sampler/test_prof_c_*.sh).
 *
 * The main thread runs main -> caller_a -> caller_b -> hot_function, a
 * pure arithmetic loop, forever; a second thread (named "blocker") sits
 * in blocked_function -> read() on a pipe nobody writes to. Every call in
 * the chain is followed by more work, so no call becomes a tail call at
 * -O2 and every frame stays on the stack. Built in several variants
 * (frame pointers or not, PIE or not, static) by tests/sampler.mk.
 *
 * Prints "blocked_tid=N hot_tid=N" then "ready"; exits after 120 s.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* noipa keeps gcc from cloning or inlining across the call; clang has no
 * such attribute (noinline and optnone-free code are enough there). */
#if defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE __attribute__((noinline, noipa))
#endif

unsigned long hot_function(unsigned long seed);
unsigned long caller_b(unsigned long seed);
unsigned long caller_a(unsigned long seed);
long blocked_function(int fd);

static volatile unsigned long sink;
static int pipefd[2];
static volatile int blocked_tid;

NOINLINE unsigned long hot_function(unsigned long seed)
{
	unsigned long x = seed;
	for (unsigned long i = 0; i < 20000000UL; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL + (x >> 17);
	return x;
}

NOINLINE unsigned long caller_b(unsigned long seed)
{
	unsigned long acc = seed;
	for (;;) {
		acc ^= hot_function(acc);
		sink = acc;
	}
	return acc;
}

NOINLINE unsigned long caller_a(unsigned long seed)
{
	unsigned long r = caller_b(seed + 1);
	sink = r;
	return r + 1;
}

NOINLINE long blocked_function(int fd)
{
	char c;
	long r = read(fd, &c, 1);
	sink = (unsigned long)r;
	return r + 1;
}

static void *blocker(void *arg)
{
	(void)arg;
	blocked_tid = (int)syscall(SYS_gettid);
	long r = blocked_function(pipefd[0]);
	fprintf(stderr, "prof_hot: read returned %ld\n", r - 1);
	return NULL;
}

int main(int argc, char **argv)
{
	(void)argv;
	pthread_t t;
	alarm(120);
	if (pipe(pipefd) < 0) {
		perror("pipe");
		return 1;
	}
	if (pthread_create(&t, NULL, blocker, NULL) != 0) {
		fprintf(stderr, "prof_hot: pthread_create failed\n");
		return 1;
	}
	pthread_setname_np(t, "blocker");
	while (!blocked_tid)
		usleep(1000);
	usleep(20000);   /* let it reach read() */
	printf("blocked_tid=%d hot_tid=%d\n", blocked_tid, (int)syscall(SYS_gettid));
	printf("ready\n");
	fflush(stdout);
	unsigned long r = caller_a((unsigned long)argc);
	printf("%lu\n", r);
	return 0;
}

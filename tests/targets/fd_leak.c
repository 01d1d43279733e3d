/*
 * fd_leak - test target for the triage checklist's fd items: a "request
 * handler" that opens a file per request and forgets to close it.
 *
 * Usage: fd_leak [LIMIT]   (default 200)
 * Lowers its own RLIMIT_NOFILE soft limit to LIMIT, then leaks one
 * descriptor on /dev/null per 40 ms of wall-clock time (25 per second,
 * catching up after a late wake-up, so a busy machine does not slow the
 * leak) in handle_request, stopping 5 below the limit so it never hits
 * EMFILE. Prints
 * "limit=LIMIT" and "ready" before it starts leaking; ends on SIGTERM or
 * after alarm(120).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static volatile int sink;

/* Seconds on the monotonic clock. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Open the request's "file" and never close it: the leak. */
static __attribute__((noinline)) int handle_request(void)
{
	int fd = open("/dev/null", O_RDONLY);
	sink = fd;
	return fd;
}

int main(int argc, char **argv)
{
	long limit = argc > 1 ? atol(argv[1]) : 200;
	struct timespec tick = {0, 40 * 1000 * 1000};
	struct rlimit rl;

	alarm(120);
	if (limit < 32 || limit > 100000 || getrlimit(RLIMIT_NOFILE, &rl) < 0) {
		fprintf(stderr, "fd_leak: LIMIT must be 32..100000\n");
		return 2;
	}
	rl.rlim_cur = (rlim_t)limit;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		perror("fd_leak: setrlimit");
		return 1;
	}
	printf("limit=%ld\nready\n", limit);
	fflush(stdout);
	double t0 = now();
	for (long n = 0;; ) {
		for (; n < (long)((now() - t0) * 25) + 1 && sink < limit - 6; n++)
			if (handle_request() < 0) {
				perror("fd_leak: open");
				return 1;
			}
		nanosleep(&tick, NULL);
	}
}

/*
 * prof_sigsend - send signals at a steady pace, for
 * tests/sampler/test_safety_signals.sh.
 *   prof_sigsend PID N INTERVAL_US [TID]
 * sends N SIGRTMIN and N SIGUSR1 to process PID, one of each every
 * INTERVAL_US microseconds. With TID, every second SIGRTMIN is sent to
 * that thread (tgkill) instead of the whole process, so it lands on a
 * thread the sampler is likely to be stopping. Prints
 * "sent rt=N usr1=N" and exits 0, or 1 if a send failed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: prof_sigsend PID N INTERVAL_US [TID]\n");
		return 2;
	}
	pid_t pid = (pid_t)atoi(argv[1]);
	long n = atol(argv[2]), interval = atol(argv[3]);
	pid_t tid = argc > 4 ? (pid_t)atoi(argv[4]) : 0;
	long rt = 0, usr1 = 0;
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (long i = 0; i < n; i++) {
		union sigval v = {.sival_int = (int)i};
		int r;
		if (tid && (i & 1))
			r = (int)syscall(SYS_tgkill, pid, tid, SIGRTMIN);
		else
			r = sigqueue(pid, SIGRTMIN, v);
		if (r < 0) {
			fprintf(stderr, "prof_sigsend: SIGRTMIN #%ld: %s\n", i, strerror(errno));
			return 1;
		}
		rt++;
		if (kill(pid, SIGUSR1) < 0) {
			fprintf(stderr, "prof_sigsend: SIGUSR1 #%ld: %s\n", i, strerror(errno));
			return 1;
		}
		usr1++;
		next.tv_nsec += interval * 1000L;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}
	printf("sent rt=%ld usr1=%ld\n", rt, usr1);
	return 0;
}

/*
 * lock_common.h - helpers shared by the lock test targets (lock_*.c):
 * thread ids, output that never takes a stdio lock (one target holds
 * stdout's lock on purpose), and waiting until a thread really sleeps in
 * a given system call, so "ready" is printed only once every wait the
 * test looks for is in place.
 */
#ifndef LOCK_COMMON_H
#define LOCK_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#define NOINLINE __attribute__((noinline))

static inline int lc_gettid(void)
{
	return (int)syscall(SYS_gettid);
}

/* printf to fd 1 with one write(): no FILE lock involved. */
static void lc_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void lc_say(const char *fmt, ...)
{
	char b[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	if (n > 0 && write(1, b, (size_t)n < sizeof(b) ? (size_t)n : sizeof(b) - 1) < 0)
		_exit(1);
}

static void lc_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Read /proc/self/task/TID/<what> into b; 0 or -1. */
static int lc_read_task(int tid, const char *what, char *b, size_t n)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", tid, what);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t k = fread(b, 1, n - 1, f);
	fclose(f);
	b[k] = '\0';
	return 0;
}

/* Wait (at most 10 s, else exit 1) until thread tid sleeps in syscall nr
 * (and, when state is not 0, is in that state). */
static void lc_wait_syscall(int tid, long nr, char state)
{
	char b[512];
	for (int i = 0; i < 1000; i++) {
		if (lc_read_task(tid, "syscall", b, sizeof(b)) == 0 && atol(b) == nr &&
		    strncmp(b, "running", 7) != 0) {
			if (!state)
				return;
			if (lc_read_task(tid, "stat", b, sizeof(b)) == 0) {
				const char *rp = strrchr(b, ')');
				if (rp && rp[1] == ' ' && rp[2] == state)
					return;
			}
		}
		lc_sleep_ms(10);
	}
	lc_say("thread %d never slept in syscall %ld (state %c)\n", tid, nr, state ? state : '-');
	_exit(1);
}

/* Wait until thread tid sleeps in futex(). */
static inline void lc_wait_futex(int tid)
{
	lc_wait_syscall(tid, SYS_futex, 'S');
}

#endif

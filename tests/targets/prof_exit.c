/*
 * prof_exit - a target that goes away during the observation window, for
 * tests/sampler/test_safety_exit_exec.sh.
 *   prof_exit MS              exit(0) after MS milliseconds
 *   prof_exit MS exec         the main thread execs /bin/sleep 30 after MS ms
 *   prof_exit MS exec-thread  a second thread (not the leader) does it
 * Two extra threads run meanwhile (one spinning, one blocked in read), so
 * the exit or exec tears down threads that a sampler may be stopping.
 * Prints "ready" when set up.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;
static int pipefd[2];
static long delay_ms;

static void *spinner(void *arg)
{
	(void)arg;
	unsigned long x = 5;
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
	while (read(pipefd[0], &c, 1) != 0)
		;
	return NULL;
}

static void wait_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

static void do_exec(void)
{
	char *const args[] = {"sleep", "30", NULL};
	execv("/bin/sleep", args);
	perror("prof_exit: execv /bin/sleep");
	_exit(1);
}

static void *exec_thread(void *arg)
{
	(void)arg;
	wait_ms(delay_ms);
	do_exec();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	alarm(120);
	if (argc < 2) {
		fprintf(stderr, "usage: prof_exit MS [exec|exec-thread]\n");
		return 2;
	}
	delay_ms = atol(argv[1]);
	const char *how = argc > 2 ? argv[2] : "exit";
	if (pipe(pipefd) < 0)
		return 1;
	if (pthread_create(&t, NULL, spinner, NULL) != 0 || pthread_create(&t, NULL, reader, NULL) != 0)
		return 1;
	if (strcmp(how, "exec-thread") == 0 && pthread_create(&t, NULL, exec_thread, NULL) != 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	if (strcmp(how, "exec-thread") == 0) {
		for (;;)
			pause();
	}
	wait_ms(delay_ms);
	if (strcmp(how, "exec") == 0)
		do_exec();
	exit(0);
}

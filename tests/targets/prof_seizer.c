/*
 * prof_seizer - a minimal debugger that holds a process traced, for
 * tests/sampler/test_safety_traced.sh.
 *   prof_seizer PID
 * PTRACE_SEIZEs thread PID (the main thread) without stopping it, prints
 * "ready", then behaves like a well-mannered debugger: every
 * signal-delivery-stop is resumed with the signal, a group-stop is left
 * in place with PTRACE_LISTEN. Exits when the tracee is gone, or after
 * 120 s. Killing it detaches the tracee (the kernel does that).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: prof_seizer PID\n");
		return 2;
	}
	alarm(120);
	pid_t pid = (pid_t)atoi(argv[1]);
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0) {
		fprintf(stderr, "prof_seizer: PTRACE_SEIZE %d: %s\n", (int)pid, strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		int st;
		pid_t r = waitpid(pid, &st, __WALL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st))
			return 0;
		if (!WIFSTOPPED(st))
			continue;
		int sig = WSTOPSIG(st);
		int event = (unsigned)st >> 16;
		if (event == PTRACE_EVENT_STOP)
			ptrace(PTRACE_LISTEN, pid, 0, 0);
		else
			ptrace(PTRACE_CONT, pid, 0, event ? 0 : sig);
	}
}

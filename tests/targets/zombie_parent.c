/*
 * zombie_parent - test target that keeps one zombie child: it forks a
 * child that exits at once and never reaps it.
 *
 * Prints "zombie PID" once the child has exited (it is then a zombie
 * until this process ends), then "ready". Ends on SIGTERM or after
 * alarm(120); the zombie goes away with it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	siginfo_t si;
	pid_t child;

	alarm(120);
	child = fork();
	if (child < 0) {
		perror("zombie_parent: fork");
		return 1;
	}
	if (child == 0)
		_exit(0);
	/* Wait until the child has exited, but leave it unreaped (WNOWAIT). */
	if (waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT) < 0) {
		perror("zombie_parent: waitid");
		return 1;
	}
	printf("zombie %d\n", (int)child);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}

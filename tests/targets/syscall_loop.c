/*
 * syscall_loop - test target: a tight loop of cheap system calls whose
 * work is done in the kernel (reading /dev/zero clears the buffer in
 * kernel mode, writing to /dev/null, getppid), so cdtop should show a
 * large system CPU share.
 *
 * Prints "ready" once the loop is about to start; ends on SIGTERM or
 * after alarm(120).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static char buf[65536];

/* Loop forever in system calls. */
static __attribute__((noinline)) void syscall_loop(int zero, int null)
{
	for (;;) {
		if (read(zero, buf, sizeof buf) < 0)
			_exit(1);
		if (write(null, buf, 1) < 0)
			_exit(1);
		syscall(SYS_getppid);
	}
}

int main(void)
{
	int zero, null;

	alarm(120);
	zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (zero < 0 || null < 0) {
		perror("syscall_loop: open");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	syscall_loop(zero, null);
	return 0;
}

/*
 * lock_dstate - test target with a thread in uninterruptible sleep (D)
 * that holds a lock: thread "vforker" takes the global mutex io_lock and
 * then starts a child with clone(CLONE_VM | CLONE_VFORK) in
 * spawn_helper; the kernel keeps a vfork parent in D until the child
 * execs or exits, and the child just sleeps. Thread "io-waiter" waits for
 * io_lock in write_record. The D thread is blocked, but not on a lock.
 *
 * Prints "tids vforker=TID io-waiter=TID", "addrs
 * io_lock=0xADDR", then "ready" once vforker is in D and io-waiter sleeps
 * in futex(). The child dies with the target (PR_SET_PDEATHSIG) or after
 * its own alarm; the target ends after alarm(60).
 */
#include "lock_common.h"

#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>

pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;

static volatile int tids[2], have_lock;
static volatile long records;
static char child_stack[64 * 1024] __attribute__((aligned(16)));

/* Runs in the child, on its own stack, sharing our memory: raw system
 * calls only. */
static int child_main(void *arg)
{
	(void)arg;
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	syscall(SYS_alarm, 60);
	for (;;)
		syscall(SYS_pause);
	return 0;
}

static NOINLINE void spawn_helper(void)
{
	pthread_mutex_lock(&io_lock);
	have_lock = 1;
	/* Returns only when the child exits. */
	int pid = clone(child_main, child_stack + sizeof(child_stack), CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
	records += pid;
	pthread_mutex_unlock(&io_lock);
}

static NOINLINE void write_record(void)
{
	pthread_mutex_lock(&io_lock);
	records++;
	pthread_mutex_unlock(&io_lock);
}

static void *vforker(void *arg)
{
	(void)arg;
	tids[0] = lc_gettid();
	spawn_helper();
	return NULL;
}

static void *io_waiter(void *arg)
{
	(void)arg;
	tids[1] = lc_gettid();
	while (!have_lock)
		lc_sleep_ms(1);
	write_record();
	return NULL;
}

int main(void)
{
	pthread_t th[2];
	alarm(60);
	pthread_create(&th[0], NULL, vforker, NULL);
	pthread_setname_np(th[0], "vforker");
	pthread_create(&th[1], NULL, io_waiter, NULL);
	pthread_setname_np(th[1], "io-waiter");
	while (!tids[0] || !tids[1])
		lc_sleep_ms(1);
	lc_wait_syscall(tids[0], SYS_clone, 'D');
	lc_wait_futex(tids[1]);
	lc_say("tids vforker=%d io-waiter=%d\naddrs io_lock=%p\nready\n", tids[0], tids[1],
	       (void *)&io_lock);
	pthread_join(th[1], NULL);
	pthread_join(th[0], NULL);
	return 0;
}

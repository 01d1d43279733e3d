/*
 * lock_kinds - test target with one wait of each kind, all on globals:
 *   - rwlock writer starvation: threads "reader-1" .. "reader-3" hold
 *     table_lock for reading in overlapping 300 ms turns (read_table), so
 *     it never becomes free; thread "writer" waits in update_table for
 *     the write lock all along;
 *   - condvar: threads "consumer-1", "consumer-2" wait on queue_cond
 *     (with queue_mutex) in take_job; nobody signals;
 *   - glibc-internal lock: thread "logger" holds stdout's FILE lock
 *     (flockfile) and sleeps; thread "printer" blocks in printf in
 *     print_status, inside __lll_lock_wait_private;
 *   - PI mutex: thread "pi-owner" holds pi_lock (PTHREAD_PRIO_INHERIT) and
 *     sleeps; thread "pi-waiter" waits for it in take_pi (FUTEX_LOCK_PI);
 *   - semaphore: thread "sem-waiter" waits in sem_wait on slots (0);
 *   - a timed condvar wait that starts while cdtop watches: thread
 *     "timed-poller" sleeps 1.5 s after "ready", then waits on tick_cond
 *     with a 100 s deadline (pthread_cond_timedwait), so the stack
 *     sample that interrupts it makes it continue as restart_syscall;
 *   - futex_waitv: thread "waitv" sleeps on the two words waitv_a and
 *     waitv_b at once (raw syscall, Linux 5.16+).
 * Output never goes through stdio (stdout's lock is held): "tids
 * NAME=TID ...", "addrs VAR=0xADDR ...", then "ready" once every wait is
 * in place. The main thread then sleeps. Ends after alarm(60).
 */
#include "lock_common.h"

#include <linux/futex.h>
#include <semaphore.h>
#include <stdint.h>

pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
pthread_mutex_t queue_mutex = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t queue_cond = PTHREAD_COND_INITIALIZER;
pthread_mutex_t pi_lock;
sem_t slots;
pthread_mutex_t tick_mutex = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t tick_cond = PTHREAD_COND_INITIALIZER;
uint32_t waitv_a, waitv_b;

enum { R1, R2, R3, WRITER, C1, C2, LOGGER, PRINTER, PIOWN, PIWAIT, SEMW, TIMED, WAITV, NT };
static const char *const names[NT] = {
	"reader-1", "reader-2", "reader-3", "writer", "consumer-1", "consumer-2", "logger",
	"printer", "pi-owner", "pi-waiter", "sem-waiter", "timed-poller", "waitv"
};
static volatile int tids[NT];
static volatile int readers_in, logger_has_stdout, pi_owned, job, ready_said;
static volatile long table_version, served;

static NOINLINE void read_table(int me)
{
	pthread_rwlock_rdlock(&table_lock);
	__atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
	lc_sleep_ms(300);
	served += me;
	pthread_rwlock_unlock(&table_lock);
}

static NOINLINE void update_table(void)
{
	pthread_rwlock_wrlock(&table_lock);
	table_version++;
	pthread_rwlock_unlock(&table_lock);
}

static NOINLINE void take_job(void)
{
	pthread_mutex_lock(&queue_mutex);
	while (!job)
		pthread_cond_wait(&queue_cond, &queue_mutex);
	pthread_mutex_unlock(&queue_mutex);
}

static NOINLINE void hold_stdout(void)
{
	flockfile(stdout);
	logger_has_stdout = 1;
	for (;;)
		lc_sleep_ms(1000);
}

static NOINLINE void print_status(void)
{
	printf("status %ld\n", table_version);
	fflush(stdout);
}

static NOINLINE void hold_pi(void)
{
	pthread_mutex_lock(&pi_lock);
	pi_owned = 1;
	for (;;)
		lc_sleep_ms(1000);
}

static NOINLINE void take_pi(void)
{
	pthread_mutex_lock(&pi_lock);
	served++;
	pthread_mutex_unlock(&pi_lock);
}

static NOINLINE void wait_slot(void)
{
	sem_wait(&slots);
	served++;
}

static NOINLINE void tick_wait(void)
{
	struct timespec ts;
	pthread_mutex_lock(&tick_mutex);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 100;
	pthread_cond_timedwait(&tick_cond, &tick_mutex, &ts);
	pthread_mutex_unlock(&tick_mutex);
}

static NOINLINE void wait_both(void)
{
	struct futex_waitv v[2];
	memset(v, 0, sizeof(v));
	v[0].uaddr = (uintptr_t)&waitv_a;
	v[1].uaddr = (uintptr_t)&waitv_b;
	v[0].flags = v[1].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
	while (syscall(SYS_futex_waitv, v, 2, 0, NULL, CLOCK_MONOTONIC) < 0)
		;
	served++;
}

static void *run(void *arg)
{
	int me = (int)(long)arg;
	tids[me] = lc_gettid();
	switch (me) {
	case R1: case R2: case R3:
		lc_sleep_ms(100L * me);
		for (;;)
			read_table(me);
	case WRITER:
		while (readers_in < 3)
			lc_sleep_ms(5);
		for (;;) {
			update_table();
			lc_sleep_ms(10);
		}
	case C1: case C2:
		take_job();
		break;
	case LOGGER:
		hold_stdout();
		break;
	case PRINTER:
		while (!logger_has_stdout)
			lc_sleep_ms(1);
		print_status();
		break;
	case PIOWN:
		hold_pi();
		break;
	case PIWAIT:
		while (!pi_owned)
			lc_sleep_ms(1);
		take_pi();
		break;
	case SEMW:
		wait_slot();
		break;
	case TIMED:
		while (!ready_said)
			lc_sleep_ms(1);
		lc_sleep_ms(1500);
		for (;;)
			tick_wait();
	case WAITV:
		wait_both();
		break;
	}
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t at;
	alarm(60);
	pthread_mutexattr_init(&at);
	pthread_mutexattr_setprotocol(&at, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&pi_lock, &at);
	sem_init(&slots, 0, 0);
	pthread_t th[NT];
	for (long i = 0; i < NT; i++) {
		pthread_create(&th[i], NULL, run, (void *)i);
		pthread_setname_np(th[i], names[i]);
	}
	for (int i = 0; i < NT; i++)
		while (!tids[i])
			lc_sleep_ms(1);
	int waiters[] = {WRITER, C1, C2, PRINTER, PIWAIT, SEMW};
	for (unsigned i = 0; i < sizeof(waiters) / sizeof(waiters[0]); i++)
		lc_wait_futex(tids[waiters[i]]);
	lc_wait_syscall(tids[WAITV], SYS_futex_waitv, 'S');
	char line[1024];
	int n = snprintf(line, sizeof(line), "tids");
	for (int i = 0; i < NT; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s=%d", names[i], tids[i]);
	lc_say("%s\naddrs table_lock=%p queue_cond=%p pi_lock=%p slots=%p tick_cond=%p waitv_a=%p\nready\n",
	       line, (void *)&table_lock, (void *)&queue_cond, (void *)&pi_lock, (void *)&slots,
	       (void *)&tick_cond, (void *)&waitv_a);
	ready_said = 1;
	for (;;)
		lc_sleep_ms(1000);
}

/*
 * lock_contend - test target with heavy, healthy contention: 8 threads
 * ("hot-1" .. "hot-8") loop on one global mutex, hot_lock, doing about
 * 200 us of work inside it (update_ledger) and a little outside. Every
 * thread makes progress all the time, so this is contention, never a
 * deadlock. The main thread waits in pthread_join.
 *
 * Prints "tids hot-1=TID ...", "addrs hot_lock=0xADDR", then "ready" once
 * the threads have taken the lock in turn many times. Ends after
 * alarm(60) or on a signal.
 */
#include "lock_common.h"

#define NTHREADS 8

pthread_mutex_t hot_lock = PTHREAD_MUTEX_INITIALIZER;

static volatile int tids[NTHREADS];
static volatile unsigned long rounds[NTHREADS];
static volatile unsigned long ledger;

/* ~spin for about us microseconds of CPU. */
static NOINLINE void spin_us(long us)
{
	struct timespec a, b;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do {
		for (int i = 0; i < 200; i++)
			ledger += (unsigned long)i;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000 < us);
}

static NOINLINE void update_ledger(int me)
{
	pthread_mutex_lock(&hot_lock);
	spin_us(200);
	rounds[me]++;
	pthread_mutex_unlock(&hot_lock);
}

static void *worker(void *arg)
{
	int me = (int)(long)arg;
	tids[me] = lc_gettid();
	for (;;) {
		update_ledger(me);
		spin_us(10);
	}
	return NULL;
}

int main(void)
{
	pthread_t th[NTHREADS];
	alarm(60);
	for (long i = 0; i < NTHREADS; i++) {
		char name[16];
		pthread_create(&th[i], NULL, worker, (void *)i);
		snprintf(name, sizeof(name), "hot-%ld", i + 1);
		pthread_setname_np(th[i], name);
	}
	/* Every thread has been through the lock a few times. */
	for (int i = 0; i < NTHREADS; i++)
		while (rounds[i] < 5)
			lc_sleep_ms(5);
	char line[512];
	int n = snprintf(line, sizeof(line), "tids");
	for (int i = 0; i < NTHREADS; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " hot-%d=%d", i + 1, tids[i]);
	lc_say("%s\naddrs hot_lock=%p\nready\n", line, (void *)&hot_lock);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	return 0;
}

/*
 * lock_deadlock - test target that deadlocks on purpose, three ways:
 *
 *   lock_deadlock abba    threads "ab" and "ba": ab locks lock_a then
 *                         lock_b, ba locks lock_b then lock_a (a barrier
 *                         makes both take their first lock first);
 *   lock_deadlock cycle3  threads "c1" "c2" "c3": ci holds ring_i and
 *                         waits for ring_(i+1 mod 3);
 *   lock_deadlock self    thread "self" locks the non-recursive
 *                         self_lock twice.
 *
 * Every mutex is a global with a known name. Prints "tids NAME=TID ...",
 * "addrs VAR=0xADDR ..." and, once every thread sleeps in futex(),
 * "ready". The main thread then waits in pthread_join. Ends after
 * alarm(60) or on a signal.
 */
#include "lock_common.h"

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring_1 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring_2 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring_3 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t self_lock = PTHREAD_MUTEX_INITIALIZER;

static pthread_barrier_t start;
static volatile int tids[3];
static volatile long balance;

/* Take first, wait for the others to take theirs, then take second. */
static NOINLINE void lock_pair(pthread_mutex_t *first, pthread_mutex_t *second)
{
	pthread_mutex_lock(first);
	pthread_barrier_wait(&start);
	pthread_mutex_lock(second);
	balance++;
	pthread_mutex_unlock(second);
	pthread_mutex_unlock(first);
}

static NOINLINE void transfer_ab(void)
{
	lock_pair(&lock_a, &lock_b);
	balance++;
}

static NOINLINE void transfer_ba(void)
{
	lock_pair(&lock_b, &lock_a);
	balance++;
}

static NOINLINE void ring_step(int i)
{
	pthread_mutex_t *ring[3] = {&ring_1, &ring_2, &ring_3};
	lock_pair(ring[i], ring[(i + 1) % 3]);
	balance++;
}

static NOINLINE void relock_twice(void)
{
	pthread_mutex_lock(&self_lock);
	pthread_barrier_wait(&start);
	pthread_mutex_lock(&self_lock);   /* never returns: PTHREAD_MUTEX_NORMAL */
	balance++;
}

static void *run_ab(void *arg)
{
	tids[(long)arg] = lc_gettid();
	transfer_ab();
	return NULL;
}

static void *run_ba(void *arg)
{
	tids[(long)arg] = lc_gettid();
	transfer_ba();
	return NULL;
}

static void *run_ring(void *arg)
{
	tids[(long)arg] = lc_gettid();
	ring_step((int)(long)arg);
	return NULL;
}

static void *run_self(void *arg)
{
	tids[(long)arg] = lc_gettid();
	relock_twice();
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "abba";
	void *(*fn[3])(void *) = {0};
	const char *names[3] = {0};
	int n;
	alarm(60);
	if (strcmp(mode, "abba") == 0) {
		n = 2;
		fn[0] = run_ab, fn[1] = run_ba;
		names[0] = "ab", names[1] = "ba";
	} else if (strcmp(mode, "cycle3") == 0) {
		n = 3;
		fn[0] = fn[1] = fn[2] = run_ring;
		names[0] = "c1", names[1] = "c2", names[2] = "c3";
	} else if (strcmp(mode, "self") == 0) {
		n = 1;
		fn[0] = run_self;
		names[0] = "self";
	} else {
		lc_say("usage: lock_deadlock abba|cycle3|self\n");
		return 2;
	}
	pthread_barrier_init(&start, NULL, (unsigned)n);
	pthread_t th[3];
	for (long i = 0; i < n; i++) {
		pthread_create(&th[i], NULL, fn[i], (void *)i);
		pthread_setname_np(th[i], names[i]);
	}
	for (int i = 0; i < n; i++) {
		while (!tids[i])
			lc_sleep_ms(1);
		lc_wait_futex(tids[i]);
	}
	if (n == 2)
		lc_say("tids ab=%d ba=%d\naddrs lock_a=%p lock_b=%p\n", tids[0], tids[1],
		       (void *)&lock_a, (void *)&lock_b);
	else if (n == 3)
		lc_say("tids c1=%d c2=%d c3=%d\naddrs ring_1=%p ring_2=%p ring_3=%p\n", tids[0], tids[1],
		       tids[2], (void *)&ring_1, (void *)&ring_2, (void *)&ring_3);
	else
		lc_say("tids self=%d\naddrs self_lock=%p\n", tids[0], (void *)&self_lock);
	lc_say("ready\n");
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	return 0;
}

/*
 * deadlock_abba - test target for the deadlock item of the triage
 * checklist: the AB-BA lock ordering bug. Thread "transfer" takes
 * accounts_lock then audit_lock; thread "auditor" takes audit_lock then
 * accounts_lock; a barrier makes both hold their first lock before they
 * try the second, so they deadlock every time.
 *
 * Prints "tids transfer=T auditor=T" and "ready" once both are blocked
 * on their second lock; ends on SIGTERM or after alarm(120).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

pthread_mutex_t accounts_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t audit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;
static volatile pid_t tid_transfer, tid_auditor;

static __attribute__((noinline)) void transfer(void)
{
	pthread_mutex_lock(&accounts_lock);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(&audit_lock);        /* never returns */
	pthread_mutex_unlock(&audit_lock);
	pthread_mutex_unlock(&accounts_lock);
}

static __attribute__((noinline)) void audit(void)
{
	pthread_mutex_lock(&audit_lock);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(&accounts_lock);     /* never returns */
	pthread_mutex_unlock(&accounts_lock);
	pthread_mutex_unlock(&audit_lock);
}

static void *transfer_main(void *arg)
{
	(void)arg;
	tid_transfer = gettid();
	transfer();
	return NULL;
}

static void *auditor_main(void *arg)
{
	(void)arg;
	tid_auditor = gettid();
	audit();
	return NULL;
}

/* Is thread tid asleep (state S) in /proc? */
static int sleeping(pid_t tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

int main(void)
{
	pthread_t a, b;
	struct timespec pause_ts = {0, 10 * 1000 * 1000};

	alarm(120);
	pthread_barrier_init(&both_hold_one, NULL, 2);
	if (pthread_create(&a, NULL, transfer_main, NULL) || pthread_create(&b, NULL, auditor_main, NULL)) {
		fprintf(stderr, "deadlock_abba: pthread_create failed\n");
		return 1;
	}
	pthread_setname_np(a, "transfer");
	pthread_setname_np(b, "auditor");
	while (!tid_transfer || !tid_auditor)
		nanosleep(&pause_ts, NULL);
	/* Both past the barrier and asleep on their second lock. */
	for (int i = 0; i < 20 || !sleeping(tid_transfer) || !sleeping(tid_auditor); i++)
		nanosleep(&pause_ts, NULL);
	printf("tids transfer=%d auditor=%d\nready\n", (int)tid_transfer, (int)tid_auditor);
	fflush(stdout);
	pthread_join(a, NULL);
	return 0;
}

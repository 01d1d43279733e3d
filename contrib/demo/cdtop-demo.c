/*
 * cdtop-demo - a small service that misbehaves in ways cdtop should make
 * obvious, for trying cdtop on a fresh machine (contrib/try.sh runs it
 * when no pid is given). Everything stays on loopback and in this
 * process, and it exits by itself after an hour (alarm) or on SIGTERM.
 *
 * What it does wrong, each in its own named thread:
 *   hot-loop    burns one CPU in compute_checksum()         -> user CPU
 *   conn-leak   every 2 s accepts a loopback connection whose peer then
 *               closes, and never closes its end            -> CLOSE_WAIT, fds
 *   cache-grow  adds ~1 MiB a second to a cache never evicted -> RSS slope
 *   worker-N    4 workers queue on one mutex that ledger-writer holds
 *               while it sleeps                              -> blocked threads
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CACHE_MAX_MB 512

static pthread_mutex_t ledger_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile uint64_t sink;

__attribute__((noinline)) static uint64_t compute_checksum(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static void *hot_loop(void *arg)
{
	(void)arg;
	static unsigned char buf[64 * 1024];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)i;
	for (;;)
		sink += compute_checksum(buf, sizeof(buf));
	return NULL;
}

static void *conn_leak(void *arg)
{
	(void)arg;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof(a);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 64) < 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &al) < 0) {
		perror("cdtop-demo: listen");
		return NULL;
	}
	for (int i = 0; i < 500; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
			break;
		int s = accept(ls, NULL, NULL);   /* leaked: never closed */
		(void)s;
		close(c);                         /* peer hangs up: s goes CLOSE_WAIT */
		sleep(2);
	}
	pause();
	return NULL;
}

static void *cache_grow(void *arg)
{
	(void)arg;
	for (int mb = 0; mb < CACHE_MAX_MB; mb++) {
		char *chunk = malloc(1 << 20);
		if (!chunk)
			break;
		memset(chunk, mb & 0xff, 1 << 20);   /* kept forever, as a cache would */
		sleep(1);
	}
	pause();
	return NULL;
}

__attribute__((noinline)) static void post_ledger(int id)
{
	pthread_mutex_lock(&ledger_lock);
	sink += (uint64_t)id;
	pthread_mutex_unlock(&ledger_lock);
}

static void *worker(void *arg)
{
	for (;;)
		post_ledger((int)(intptr_t)arg);
	return NULL;
}

static void *ledger_writer(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&ledger_lock);
		sleep(3);                         /* slow IO under the lock */
		pthread_mutex_unlock(&ledger_lock);
		usleep(1000);
	}
	return NULL;
}

static void start(const char *name, void *(*fn)(void *), void *arg)
{
	pthread_t t;
	if (pthread_create(&t, NULL, fn, arg) != 0) {
		perror("cdtop-demo: pthread_create");
		exit(1);
	}
	pthread_setname_np(t, name);
}

int main(void)
{
	alarm(3600);
	signal(SIGPIPE, SIG_IGN);
	start("ledger-writer", ledger_writer, NULL);
	usleep(10000);
	start("hot-loop", hot_loop, NULL);
	start("conn-leak", conn_leak, NULL);
	start("cache-grow", cache_grow, NULL);
	for (int i = 0; i < 4; i++) {
		char name[16];
		snprintf(name, sizeof(name), "worker-%d", i);
		start(name, worker, (void *)(intptr_t)i);
	}
	printf("cdtop-demo: pid %d ready\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
}

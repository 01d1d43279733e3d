/*
 * lock_pipe - test target where a lock holder is itself blocked: thread
 * "owner" takes the global mutex ledger_lock and then blocks in read()
 * on a pipe nobody writes to (flush_journal); threads "waiter-1" ..
 * "waiter-3" wait for ledger_lock in post_entry. Two more threads show
 * what other blocking calls wait on: "net-reader" blocks in recv() on a
 * loopback TCP connection whose other end (in this process too) never
 * sends, "poller" in epoll_wait() on an epoll set watching the pipe and
 * that connection. The main thread waits in pthread_join.
 *
 * Prints "tids owner=TID waiter-1=TID ... net-reader=TID poller=TID",
 * "addrs ledger_lock=0xADDR", "pipe fd=N ino=INODE" (the read end the
 * owner blocks on), "tcp fd=N local=127.0.0.1:P remote=127.0.0.1:Q"
 * (net-reader's socket), "epoll fd=N", then "ready" once every thread
 * sleeps where it should. Ends after alarm(60) or on a signal.
 */
#include "lock_common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define NWAITERS 3

pthread_mutex_t ledger_lock = PTHREAD_MUTEX_INITIALIZER;

static int pipefd[2], tcp_rd, tcp_wr, epfd;
static volatile int tids[NWAITERS + 3];
static volatile int owner_has_lock;
static volatile long entries;

static NOINLINE void flush_journal(void)
{
	char b[64];
	ssize_t n = read(pipefd[0], b, sizeof(b));   /* nobody writes: blocks */
	entries += n;
}

static void *owner(void *arg)
{
	(void)arg;
	tids[0] = lc_gettid();
	pthread_mutex_lock(&ledger_lock);
	owner_has_lock = 1;
	flush_journal();
	pthread_mutex_unlock(&ledger_lock);
	return NULL;
}

static NOINLINE void post_entry(void)
{
	pthread_mutex_lock(&ledger_lock);
	entries++;
	pthread_mutex_unlock(&ledger_lock);
}

static void *waiter(void *arg)
{
	tids[(long)arg] = lc_gettid();
	post_entry();
	return NULL;
}

static NOINLINE void wait_reply(void)
{
	char b[64];
	entries += recv(tcp_rd, b, sizeof(b), 0);   /* the peer never sends */
}

static void *net_reader(void *arg)
{
	(void)arg;
	tids[NWAITERS + 1] = lc_gettid();
	wait_reply();
	return NULL;
}

static NOINLINE void poll_events(void)
{
	struct epoll_event ev[4];
	/* Our observer's first stack sample interrupts epoll_wait (EINTR). */
	while (epoll_wait(epfd, ev, 4, -1) <= 0)
		;
	entries++;
}

static void *poller(void *arg)
{
	(void)arg;
	tids[NWAITERS + 2] = lc_gettid();
	poll_events();
	return NULL;
}

/* A connected loopback pair: *rd is the accepted end, *wr the client. */
static void tcp_pair(int *rd, int *wr)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) < 0)
		_exit(1);
	*wr = socket(AF_INET, SOCK_STREAM, 0);
	if (*wr < 0 || connect(*wr, (struct sockaddr *)&a, sizeof(a)) < 0)
		_exit(1);
	*rd = accept(l, NULL, NULL);
	if (*rd < 0)
		_exit(1);
	close(l);
}

static void print_inet(const char *what, int fd, int peer)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	char ip[32];
	if ((peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len)) < 0)
		_exit(1);
	inet_ntop(AF_INET, &a.sin_addr, ip, sizeof(ip));
	lc_say(" %s=%s:%u", what, ip, (unsigned)ntohs(a.sin_port));
}

int main(void)
{
	pthread_t th[NWAITERS + 3];
	alarm(60);
	if (pipe(pipefd) < 0)
		return 1;
	tcp_pair(&tcp_rd, &tcp_wr);
	epfd = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN};
	ev.data.fd = pipefd[0];
	epoll_ctl(epfd, EPOLL_CTL_ADD, pipefd[0], &ev);
	ev.data.fd = tcp_rd;
	epoll_ctl(epfd, EPOLL_CTL_ADD, tcp_rd, &ev);
	pthread_create(&th[0], NULL, owner, NULL);
	pthread_setname_np(th[0], "owner");
	while (!owner_has_lock)
		lc_sleep_ms(1);
	for (long i = 1; i <= NWAITERS; i++) {
		char name[16];
		pthread_create(&th[i], NULL, waiter, (void *)i);
		snprintf(name, sizeof(name), "waiter-%ld", i);
		pthread_setname_np(th[i], name);
	}
	pthread_create(&th[NWAITERS + 1], NULL, net_reader, NULL);
	pthread_setname_np(th[NWAITERS + 1], "net-reader");
	pthread_create(&th[NWAITERS + 2], NULL, poller, NULL);
	pthread_setname_np(th[NWAITERS + 2], "poller");
	for (int i = 0; i < NWAITERS + 3; i++)
		while (!tids[i])
			lc_sleep_ms(1);
	lc_wait_syscall(tids[0], SYS_read, 'S');
	for (int i = 1; i <= NWAITERS; i++)
		lc_wait_futex(tids[i]);
	lc_wait_syscall(tids[NWAITERS + 1], SYS_recvfrom, 'S');
	lc_wait_syscall(tids[NWAITERS + 2], SYS_epoll_wait, 'S');
	struct stat st;
	fstat(pipefd[0], &st);
	lc_say("tids owner=%d waiter-1=%d waiter-2=%d waiter-3=%d net-reader=%d poller=%d\n"
	       "addrs ledger_lock=%p\npipe fd=%d ino=%lu\ntcp fd=%d", tids[0], tids[1], tids[2], tids[3],
	       tids[4], tids[5], (void *)&ledger_lock, pipefd[0], (unsigned long)st.st_ino, tcp_rd);
	print_inet("local", tcp_rd, 0);
	print_inet("remote", tcp_rd, 1);
	lc_say("\nepoll fd=%d\nready\n", epfd);
	for (int i = 0; i < NWAITERS + 3; i++)
		pthread_join(th[i], NULL);
	return 0;
}

/*
 * conn_leak - test target for the CLOSE_WAIT item of the triage
 * checklist: a server whose handler never closes connections that the
 * client has closed.
 *
 * A listener on 127.0.0.1 (ephemeral port); 20 times per second of
 * wall-clock time (catching up after a late wake-up) a client connects and closes at once, and serve_client accepts the
 * connection, reads the EOF and "forgets" to close it, so the accepted
 * socket stays in CLOSE_WAIT. The client's end becomes an orphan
 * (FIN_WAIT2, no descriptor), not this process's socket. Stops at 1000
 * leaked connections. Prints "port=P" and "ready" before the first;
 * ends on SIGTERM or after alarm(120).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int lfd;
static struct sockaddr_in addr;

/* Seconds on the monotonic clock. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Accept one connection and read until the peer's FIN; then return
 * without close(): the leak. */
static __attribute__((noinline)) int serve_client(void)
{
	char c;
	int s = accept(lfd, NULL, NULL);
	if (s < 0)
		return -1;
	while (read(s, &c, 1) > 0)
		;
	return s;
}

/* A client that connects and hangs up. */
static __attribute__((noinline)) int client_hangs_up(void)
{
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return -1;
	return close(c);
}

int main(void)
{
	socklen_t len = sizeof(addr);
	struct timespec tick = {0, 50 * 1000 * 1000};

	alarm(120);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 64) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &len) < 0) {
		perror("conn_leak: listen on 127.0.0.1");
		return 1;
	}
	printf("port=%d\nready\n", ntohs(addr.sin_port));
	fflush(stdout);
	double t0 = now();
	for (int n = 0;; ) {
		for (; n < 1000 && n < (int)((now() - t0) * 20) + 1; n++)
			if (client_hangs_up() < 0 || serve_client() < 0) {
				perror("conn_leak: connection");
				return 1;
			}
		nanosleep(&tick, NULL);
	}
}
